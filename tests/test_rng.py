"""Counter-based random numbers: pure functions of their coordinates, well distributed."""

from __future__ import annotations

import math

import numpy as np

import sim.jit  # noqa: F401  (before Numba: it sets Numba's cache folder and switches SVML off)

# isort: split
from numba import njit

from sim.rng import Purpose, normal_pair, replication_key, stream, uniform


@njit
def _draws(seed: int, n: int) -> tuple[np.ndarray, np.ndarray]:
    key = stream(seed, 0)
    u = np.empty(n)
    z = np.empty(2 * n)
    for t in range(n):
        u[t] = uniform(key, t, 3, Purpose.ONSET, 0)
        z[2 * t], z[2 * t + 1] = normal_pair(key, t, 3, Purpose.WEEKLY_NOISE)
    return u, z


def test_same_coordinates_same_number_in_any_order() -> None:
    key = replication_key(42, 7)
    forward = [uniform(key, week, 1, Purpose.ONSET, 0) for week in range(50)]
    backward = [uniform(key, week, 1, Purpose.ONSET, 0) for week in reversed(range(50))]
    assert forward == backward[::-1]
    assert uniform(replication_key(42, 7), 3, 1, Purpose.ONSET, 0) == forward[3]


def test_every_coordinate_changes_the_number() -> None:
    key = replication_key(1, 1)
    base = uniform(key, 5, 2, Purpose.VOTE, 3)
    assert base != uniform(replication_key(2, 1), 5, 2, Purpose.VOTE, 3)
    assert base != uniform(replication_key(1, 2), 5, 2, Purpose.VOTE, 3)
    assert base != uniform(key, 6, 2, Purpose.VOTE, 3)
    assert base != uniform(key, 5, 3, Purpose.VOTE, 3)
    assert base != uniform(key, 5, 2, Purpose.CONSENT, 3)
    assert base != uniform(key, 5, 2, Purpose.VOTE, 4)


def test_uniforms_and_normals_have_the_right_distribution() -> None:
    u, z = _draws(2024, 200_000)
    assert u.min() >= 0.0 and u.max() < 1.0
    counts, _ = np.histogram(u, bins=20, range=(0, 1))
    expected = len(u) / 20
    assert ((counts - expected) ** 2 / expected).sum() < 45  # chi-square, 19 df, p ~ 0.001
    assert abs(z.mean()) < 0.01 and abs(z.std() - 1) < 0.01
    assert abs(np.mean(z**3)) < 0.03 and abs(np.mean(z**4) - 3) < 0.05
    assert abs(np.corrcoef(z[0::2], z[1::2])[0, 1]) < 0.01
    assert abs(np.corrcoef(u[:-1], u[1:])[0, 1]) < 0.01


def test_normals_follow_the_normal_cdf_into_the_tails() -> None:
    _, z = _draws(7, 1_000_000)
    n = len(z)
    for point in (-4.0, -3.5, -2.5, -1.0, -0.3, 0.0, 0.8, 2.0, 3.0, 3.6, 4.2):
        expected = 0.5 * (1.0 + math.erf(point / math.sqrt(2.0)))
        tolerance = 5 * math.sqrt(expected * (1 - expected) / n) + 1e-7
        assert abs(np.mean(z <= point) - expected) < tolerance, point

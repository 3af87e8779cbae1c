"""The pymoo search: a planted Pareto front is found, the same seed gives the same candidates, a
recorded search replays, and the robust statistics and hypervolume are as documented."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from sim.experiments.sampling import Uncertain
from sim.experiments.search import (
    REFERENCE,
    ReplayError,
    archive,
    convergence,
    hypervolume,
    non_dominated,
    scores,
    search,
)

LEVERS = (Uncertain("strategy.pillar3.trigger", 0.0, 1.0), Uncertain("strategy.pillar3.delay", 0, 4, True))


def planted(g: int, candidates: list[tuple]) -> np.ndarray:
    """Two objectives x + d and 1 - x + d in two futures: the front is d = 0 (f1 + f2 = 1); d > 0 is dominated."""
    return np.array([[[x + d + 0.1 * f, 1 - x + d + 0.1 * f] for f in range(2)] for x, d in candidates])


def run(seed: int = 3, method: str = "nsga2", robust: str = "mean", generations: int = 6, **kwargs: object) -> list:
    return search(LEVERS, 2, robust, method, 12, generations, seed, planted, **kwargs)


@pytest.mark.parametrize("method", ["nsga2", "nsga3"])
@pytest.mark.parametrize("robust", ["mean", "p90", "regret"])
def test_the_pareto_set_lies_on_the_planted_front(method: str, robust: str) -> None:
    found = archive(LEVERS, run(method=method, robust=robust))
    front = non_dominated(found.scores(robust))
    assert len(front) >= 3
    assert all(found.values[i][1] == 0 for i in front)  # no dominated delay
    assert any(values[1] > 0 for values in found.values)  # the dominated region was visited
    means = found.means[front].mean(axis=1)
    np.testing.assert_allclose(means.sum(axis=1), 1.1)  # on the line f1 + f2 = 1 (+ the futures' mean 0.05 each)


def test_the_same_seed_gives_the_same_candidates_and_another_seed_others() -> None:
    first, again, other = run(seed=3), run(seed=3), run(seed=4)
    assert all(np.array_equal(a.encoded, b.encoded) for a, b in zip(first, again, strict=True))
    assert not np.array_equal(first[0].encoded, other[0].encoded)


def test_a_recorded_search_replays_without_evaluating_and_goes_on() -> None:
    full = run(generations=5)
    seen: list[int] = []

    def counting(g: int, candidates: list[tuple]) -> np.ndarray:
        seen.append(g)
        return planted(g, candidates)

    resumed = search(LEVERS, 2, "mean", "nsga2", 12, 5, 3, counting, recorded=full[:3])
    assert seen == [3, 4]
    assert all(np.array_equal(a.means, b.means) for a, b in zip(full, resumed, strict=True))
    tampered = [full[0], type(full[1])(full[1].encoded + 0.01, full[1].means)]
    with pytest.raises(ReplayError):
        search(LEVERS, 2, "mean", "nsga2", 12, 3, 3, planted, recorded=tampered)


def test_candidates_with_the_same_values_are_evaluated_once() -> None:
    seen: list[tuple] = []

    def counting(g: int, candidates: list[tuple]) -> np.ndarray:
        seen.extend(candidates)
        return np.array([[[float(v), 1.0 - v]] for (v,) in candidates])

    search((Uncertain("strategy.veto_restraint", values=(False, True)),), 2, "mean", "nsga2", 8, 3, 1, counting)
    assert sorted(seen) == [(False,), (True,)]


def test_robust_statistics() -> None:
    means = np.array([[[1.0, 5.0], [3.0, 1.0]], [[2.0, 2.0], [2.0, 2.0]]])  # 2 candidates x 2 futures x 2 objectives
    best = means.min(axis=0)
    np.testing.assert_allclose(scores(means, "mean", best), [[2.0, 3.0], [2.0, 2.0]])
    np.testing.assert_allclose(scores(means, "p90", best), [[2.8, 4.6], [2.0, 2.0]])
    np.testing.assert_allclose(scores(means, "regret", best), [[1.0, 3.0], [1.0, 1.0]])


def test_hypervolume_is_the_share_of_the_box_up_to_the_reference() -> None:
    low, high = np.zeros(2), np.ones(2)
    assert hypervolume(np.array([[0.0, 0.0]]), low, high) == pytest.approx(1.0)
    assert hypervolume(np.array([[1.0, 1.0]]), low, high) == pytest.approx(0.01 / REFERENCE**2)
    two = hypervolume(np.array([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]), low, high)
    assert two == pytest.approx((1.1 * 0.1 * 2 - 0.01) / REFERENCE**2)
    rows = convergence("mean", archive(LEVERS, run()), 6)
    assert [r["generation"] for r in rows] == list(range(6))
    assert all(a["hypervolume"] <= b["hypervolume"] for a, b in itertools.pairwise(rows))  # the archive only grows

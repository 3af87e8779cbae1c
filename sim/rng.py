"""Counter-based random numbers: every variate is a pure function of its coordinates.

A variate is keyed by (root seed, replication, week, entity, purpose, sub-index) and computed by
SplitMix64 finalisers (Steele, Lea & Flood 2014): one over (replication stream, week), one over
that and a distinct odd-multiplier combination of (entity, purpose, sub-index). Nothing is stateful, so

* results do not depend on threads, processes, chunk size or the order agents act in;
* replication *r* sees the same exogenous shocks under every strategy (common random numbers):
  shocks are keyed by state and week only, never by anything a strategy changes.
"""

from __future__ import annotations

from enum import IntEnum

import numpy as np

from sim.jit import rule

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_ODD = np.uint64(0xD6E8FEB86659FD93)
_S11 = np.uint64(11)
_S27 = np.uint64(27)
_S30 = np.uint64(30)
_S31 = np.uint64(31)
_S32 = np.uint64(32)
_LOW32 = np.uint64(0xFFFFFFFF)
_TO_UNIT32 = 1.0 / 4294967296.0  # 2**-32
_TO_UNIT = 1.0 / 9007199254740992.0  # 2**-53
_TWO_PI = 6.283185307179586


class Purpose(IntEnum):
    """What a variate is for; part of its key so that different uses never share a number."""

    WEEKLY_NOISE = 1  # tension shock and early-warning noise (one Box-Muller pair)
    ONSET = 2
    SEVERITY = 3
    EPISODE_END = 4
    CONSENT = 5
    VOTE = 6


@rule
def _mix(z: np.uint64) -> np.uint64:
    z = (z ^ (z >> _S30)) * _M1
    z = (z ^ (z >> _S27)) * _M2
    return z ^ (z >> _S31)


@rule
def stream(seed: int, replication: int) -> np.uint64:
    """Key of one replication's random stream under a root seed."""
    return _mix(_mix(np.uint64(seed) + _GOLDEN) ^ (np.uint64(replication) * _ODD + _GOLDEN))


@rule
def _hash(key: np.uint64, week: int, entity: int, purpose: int, sub: int) -> np.uint64:
    h = _mix(key ^ (np.uint64(week + 1) * _GOLDEN))
    return _mix(h + np.uint64(entity) * _ODD + np.uint64(purpose) * _M1 + np.uint64(sub) * _M2)


@rule
def uniform(key: np.uint64, week: int, entity: int, purpose: int, sub: int) -> float:
    """A uniform variate in [0, 1) with 53 random bits."""
    return float(_hash(key, week, entity, purpose, sub) >> _S11) * _TO_UNIT


@rule
def normal_pair(key: np.uint64, week: int, entity: int, purpose: int) -> tuple[float, float]:
    """Two independent standard normal variates (Box-Muller on the two 32-bit halves of one hash)."""
    h = _hash(key, week, entity, purpose, 0)
    u1 = (float(h >> _S32) + 0.5) * _TO_UNIT32
    u2 = float(h & _LOW32) * _TO_UNIT32
    r = np.sqrt(-2.0 * np.log(u1))
    angle = _TWO_PI * u2
    return r * np.cos(angle), r * np.sin(angle)


def replication_key(seed: int, replication: int) -> np.uint64:
    """:func:`stream` for callers in Python: typed so that it can be handed back to the rules."""
    return np.uint64(stream(seed, replication))

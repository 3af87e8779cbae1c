"""Counter-based random numbers: every variate is a pure function of its coordinates.

A variate is keyed by (root seed, replication, week, entity, purpose, sub-index) and computed by
SplitMix64 finalisers (Steele, Lea & Flood 2014): one over (replication stream, week), one over
that and a distinct odd-multiplier combination of (entity, purpose, sub-index). Nothing is stateful, so

* results do not depend on threads, processes, chunk size or the order agents act in;
* replication *r* sees the same exogenous shocks under every strategy (common random numbers):
  shocks are keyed by state and week only, never by anything a strategy changes.
"""

from __future__ import annotations

import math
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
_TO_UNIT = 1.0 / 9007199254740992.0  # 2**-53


class Purpose(IntEnum):
    """What a variate is for; part of its key so that different uses never share a number."""

    WEEKLY_NOISE = 1  # tension shock (sub-index 0) and early-warning noise (sub-index 1)
    ONSET = 2
    SEVERITY = 3
    EPISODE_END = 4
    CONSENT = 5
    VOTE = 6
    MILITARY_END = 7  # an episode ended by the perpetrator's military defeat or victory
    THREAT = 8  # the penholder's answer to a veto threat (sub-index: instrument)


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


def _ziggurat_tables(layers: int = 128) -> tuple[np.ndarray, np.ndarray]:
    """Layer edges and inner ratios of the ziggurat for the standard normal (Doornik 2005).

    Computed with :mod:`math` (the platform's libm), once, at import.
    """
    edges = np.zeros(layers + 1)
    f = math.exp(-0.5 * _ZIG_R * _ZIG_R)
    edges[0] = _ZIG_V / f
    edges[1] = _ZIG_R
    for i in range(2, layers):
        edges[i] = math.sqrt(-2.0 * math.log(_ZIG_V / edges[i - 1] + f))
        f = math.exp(-0.5 * edges[i] * edges[i])
    return edges, edges[1:] / edges[:-1]


_ZIG_R = 3.442619855899  # start of the tail (128 layers)
_ZIG_V = 9.91256303526217e-3  # area of each layer
_ZIG_EDGES, _ZIG_RATIOS = _ziggurat_tables()
_LAYER_BITS = np.uint64(0x7F)


@rule
def _unit(h: np.uint64) -> float:
    """Uniform in (0, 1] from the top 53 bits of a hash."""
    return (float(h >> _S11) + 1.0) * _TO_UNIT


@rule
def _normal(h: np.uint64) -> float:
    """A standard normal variate from the hash ``h`` and hashes derived from it (ziggurat).

    The layer comes from the low 7 bits, the abscissa from the top 53; about 99 % of draws need
    no more. Rejections and the tail draw further numbers by re-mixing ``h``, so the variate
    stays a pure function of its key.
    """
    while True:
        layer = int(h & _LAYER_BITS)
        u = 2.0 * float(h >> _S11) * _TO_UNIT - 1.0
        if abs(u) < _ZIG_RATIOS[layer]:
            return u * _ZIG_EDGES[layer]
        h = _mix(h + _GOLDEN)
        if layer == 0:
            while True:  # tail beyond _ZIG_R (Marsaglia 1964)
                x = math.log(_unit(h)) / _ZIG_R
                h = _mix(h + _GOLDEN)
                y = math.log(_unit(h))
                h = _mix(h + _GOLDEN)
                if -2.0 * y >= x * x:
                    return x - _ZIG_R if u < 0.0 else _ZIG_R - x
        x = u * _ZIG_EDGES[layer]
        inner = math.exp(-0.5 * (_ZIG_EDGES[layer] ** 2 - x * x))
        outer = math.exp(-0.5 * (_ZIG_EDGES[layer + 1] ** 2 - x * x))
        if outer + float(h >> _S11) * _TO_UNIT * (inner - outer) < 1.0:
            return x
        h = _mix(h + _GOLDEN)


@rule
def normal_pair(key: np.uint64, week: int, entity: int, purpose: int) -> tuple[float, float]:
    """Two independent standard normal variates (ziggurat on sub-indices 0 and 1)."""
    return _normal(_hash(key, week, entity, purpose, 0)), _normal(_hash(key, week, entity, purpose, 1))


def replication_key(seed: int, replication: int) -> np.uint64:
    """:func:`stream` for callers in Python: typed so that it can be handed back to the rules."""
    return np.uint64(stream(seed, replication))

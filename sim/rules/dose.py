"""The dose of an active instrument, and the groups of instruments the side effects read.

Every channel and every side effect of an instrument is computed from :func:`dose`, so what an
instrument delivers is defined in one place.
"""

from __future__ import annotations

import numpy as np

from sim.concepts import INSTRUMENT_NAMES, N_INSTRUMENTS, Actor, Col, Strat
from sim.jit import rule
from sim.state import Region, World

FORCE_NAMES = ("preventive_deployment", "chapter7_force", "chapter8_regional", "regional_intervention")
"""Forces that protect: the credible force a determined perpetrator weighs."""
INTERVENTION_NAMES = ("chapter7_force", "chapter8_regional", "regional_intervention")
"""Forces deployed without the host's consent: the outside intervention a rebel group can count on."""
POOLS = (
    ("preventive_deployment", "rapid_civilian_police", "chapter7_force", "chapter8_regional", "regional_intervention"),
    ("mediation",),
)
"""Instruments that draw on the region's peacekeeping pool (0) and mediation pool (1)."""


def _mask(names: tuple[str, ...]) -> np.ndarray:
    return np.array([name in names for name in INSTRUMENT_NAMES], np.bool_)


FORCE = _mask(FORCE_NAMES)
INTERVENTION = np.array([INSTRUMENT_NAMES.index(name) for name in INTERVENTION_NAMES], np.int64)
ICC = INSTRUMENT_NAMES.index("icc_referral")
POOL = np.array([next((j for j, pool in enumerate(POOLS) if name in pool), -1) for name in INSTRUMENT_NAMES], np.int64)
"""Pool of each instrument (index in :data:`POOLS`), -1 for none."""
POOLED = np.uint64(sum(1 << k for k in range(N_INSTRUMENTS) if POOL[k] >= 0))
"""The pooled instruments, bit ``k`` for instrument ``k`` (:func:`sim.state.bit`)."""


@rule
def level(i: int, k: int, w: World, strategy: np.ndarray) -> float:
    """Intensity of instrument ``k`` for state ``i``: a measure in force at its own
    (``World.intensity``, :mod:`sim.rules.events`), any other at the strategy's."""
    own = w[i].intensity[k]
    return strategy[k, Strat.INTENSITY] if own < 0.0 else own


@rule
def dose(i: int, k: int, region: Region, w: World, strategy: np.ndarray, table: np.ndarray) -> float:
    """Dose of instrument ``k`` for state ``i`` before the pools' share: :func:`level`, scale, and
    the capacity of the regional body that delivers it."""
    d = level(i, k, w, strategy) * w[i].scale[k]
    if int(table[k, Col.ACTOR]) == Actor.REGIONAL_BODY:
        d *= region[i].body_capacity
    return d

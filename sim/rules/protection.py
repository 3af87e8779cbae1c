"""How much the active instruments and the state's own capacity shield the targeted group."""

from __future__ import annotations

import numpy as np

from sim.jit import rule
from sim.parameters import P
from sim.state import Region, World

MAX_DETERRENCE = 0.95
"""Deterrence never removes a hazard entirely (assumption)."""


@rule
def deterrence(i: int, w: World) -> float:
    """Deterrence acting on state ``i``, capped at :data:`MAX_DETERRENCE`."""
    return min(w[i].deterrence, MAX_DETERRENCE)


@rule
def protection_share(i: int, region: Region, w: World, p: np.ndarray) -> float:
    """Share of killing prevented by protection presence and, against non-state groups, capacity.

    A state perpetrator blunts outside protection (Hultman, Kathman & Shannon 2013); the
    state's own capacity protects only against a non-state perpetrator.
    """
    if region[i].state_led:
        dose = w[i].protection * p[P.STATE_PERPETRATOR_PROTECTION]
    else:
        dose = w[i].protection + p[P.CAPACITY_PROTECTION] * w[i].capacity
    return 1.0 - np.exp(-dose)

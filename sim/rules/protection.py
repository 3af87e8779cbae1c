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
    state's own capacity protects only against a non-state perpetrator. With both perpetrators,
    each one's share of the killing (``non_state_share`` for the non-state group) meets the
    protection that works against it.
    """
    against_state = w[i].protection * p[P.STATE_PERPETRATOR_PROTECTION]
    against_group = w[i].protection + p[P.CAPACITY_PROTECTION] * w[i].capacity
    share = region[i].non_state_share
    if share == 0.0:
        return 1.0 - np.exp(-against_state)
    if share == 1.0:
        return 1.0 - np.exp(-against_group)
    return (1.0 - share) * (1.0 - np.exp(-against_state)) + share * (1.0 - np.exp(-against_group))

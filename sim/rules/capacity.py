"""Stage 9: finite capacity. Peacekeepers and mediators are a regional pool shared by all states.

When the dose the active deployments (or mediation efforts) of all states ask for exceeds the
pool, every state receives the same share, pool / demand, of its dose; the share is computed
from every state's demand before any state's effects, so no state is served first.
"""

from __future__ import annotations

import numpy as np

from sim.concepts import Status
from sim.jit import rule
from sim.parameters import P
from sim.rules.dose import POOL, POOLED, dose
from sim.state import Region, World, lowest


@rule
def _share(pool: float, demand: float) -> float:
    return 1.0 if demand <= pool else pool / demand


@rule
def allocate(region: Region, w: World, p: np.ndarray, strategy: np.ndarray, table: np.ndarray) -> None:
    """Write into every state the share of demand the peacekeeping and mediation pools meet."""
    peacekeeping = 0.0
    mediation = 0.0
    for i in range(region.shape[0]):
        pooled = w[i].underway & POOLED
        while pooled:
            k, pooled = lowest(pooled)
            if w[i].status[k] == Status.ACTIVE:
                if POOL[k] == 0:
                    peacekeeping += dose(i, k, region, w, strategy, table)
                else:
                    mediation += dose(i, k, region, w, strategy, table)
    first = _share(p[P.PEACEKEEPING_POOL], peacekeeping)
    second = _share(p[P.MEDIATION_POOL], mediation)
    if w[0].pool_share[0] == first and w[0].pool_share[1] == second:
        return  # every state holds them already (they are written to all states at once)
    for i in range(region.shape[0]):
        w[i].pool_share[0] = first
        w[i].pool_share[1] = second

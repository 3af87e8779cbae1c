"""Stage 4: killing and displacement in a state in atrocity, by crime, leadership and protection."""

from __future__ import annotations

import numpy as np

from sim.concepts import Phase
from sim.jit import rule
from sim.parameters import P
from sim.rules.protection import deterrence, protection_share
from sim.state import Region, World


@rule
def suffer_harm(i: int, region: Region, w: World, p: np.ndarray) -> None:
    """Add the week's deaths and displacement of state ``i`` (zero outside atrocity)."""
    if w[i].phase != Phase.ATROCITY:
        w[i].weekly_displaced = 0.0
        return
    at_risk = max(region[i].population * region[i].vulnerable_share - w[i].deaths - w[i].displaced, 0.0)
    lead = region[i].leadership
    crime = region[i].crime
    intensity = (
        p[P.INTENSITY_RESILIENT + lead] * (0.5 + w[i].tension) * w[i].severity * (1.0 - deterrence(i, w)) * w[i].resolve
    )
    protected = protection_share(i, region, w, p)
    kill = p[P.KILL_RATE] * p[P.KILL_GENOCIDE + crime] * intensity * (1.0 - protected)
    flee = p[P.DISPLACE_RATE] * p[P.DISPLACE_GENOCIDE + crime] * intensity * (1.0 - 0.5 * protected)
    total = kill + flee
    if total > p[P.MAX_WEEKLY_SHARE]:
        kill *= p[P.MAX_WEEKLY_SHARE] / total
        flee *= p[P.MAX_WEEKLY_SHARE] / total
    w[i].deaths += at_risk * kill
    w[i].displaced += at_risk * flee
    w[i].weekly_displaced = at_risk * flee
    w[i].refugees += at_risk * flee * region[i].refugee_share

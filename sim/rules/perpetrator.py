"""The perpetrator's calculus: a determined state leadership weighs expected punishment.

Credible force (an active protecting force) and ICC exposure (an active referral) deter: they cut
its onset hazard and killing intensity. Coercion without credible force is a hollow threat: it
emboldens the leadership and raises its killing (Wood, Kathman & Gent 2012; Krain 2005). Any state
perpetrator under sanctions represses harder (Peksen 2009; Wood 2008). The result acts from next
week on, through ``restraint`` (onset hazard) and ``resolve`` (killing intensity).
"""

from __future__ import annotations

import numpy as np

from sim.concepts import Leadership
from sim.jit import rule
from sim.parameters import P
from sim.state import Region, World


@rule
def weigh_punishment(
    i: int, force: float, icc: float, coercion: float, sanction: float, region: Region, w: World, p: np.ndarray
) -> None:
    """Set state ``i``'s ``restraint`` and ``resolve`` from this week's doses of force, ICC referral,
    coercion and sanctions (each counted up to 1)."""
    restraint = 1.0
    resolve = 1.0
    if region[i].state_led:
        if sanction > 0.0:
            resolve *= 1.0 + p[P.SANCTION_REPRESSION] * min(sanction, 1.0)
        if region[i].leadership == Leadership.DETERMINED:
            if force > 0.0 or icc > 0.0:
                restraint = (1.0 - p[P.FORCE_DETERRENCE] * min(force, 1.0)) * (
                    1.0 - p[P.ICC_DETERRENCE] * min(icc, 1.0)
                )
                resolve *= restraint
            if force == 0.0 and coercion > 0.0:
                resolve *= 1.0 + p[P.HOLLOW_THREAT_KILLING] * min(coercion, 1.0)
    w[i].restraint = restraint
    w[i].resolve = resolve

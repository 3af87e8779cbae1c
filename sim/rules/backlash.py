"""Side effects of outside measures on a state's tension and on its consent to later help.

* Sovereignty backlash: intrusive measures in a state not in atrocity raise its tension (rally
  round the flag) and feed a decaying resentment stock that lowers its consent to later offers.
* Sanctions that hurt: sanctions and embargoes raise grievance (tension).
* Moral hazard (Kuperman 2008): while an outside force is expected (tabled, pending in the
  Assembly or active), a non-state group that can mobilise (a non-state perpetrator or an
  armed conflict) takes up arms, and tension rises.

The tension acts in next week's stage 2 (``grievance``).
"""

from __future__ import annotations

import numpy as np

from sim.concepts import Phase, Status
from sim.jit import rule
from sim.parameters import P
from sim.rules.dose import INTERVENTION
from sim.state import RISK_FACTORS, Region, World

ARMED_CONFLICT = RISK_FACTORS.index("armed_conflict")


@rule
def intervention_expected(i: int, w: World) -> bool:
    """An outside force for state ``i`` is tabled, before the Assembly, or active."""
    for k in INTERVENTION:
        status = w[i].status[k]
        if status == Status.PENDING or status == Status.ACTIVE or status == Status.ASSEMBLY_PENDING:
            return True
    return False


@rule
def can_mobilise(i: int, region: Region) -> bool:
    """A non-state armed group can mobilise in state ``i``: a non-state perpetrator or an armed conflict."""
    return region[i].state_led == 0 or region[i].risk[ARMED_CONFLICT] > 0


@rule
def react(i: int, intrusive: float, sanction: float, region: Region, w: World, p: np.ndarray) -> None:
    """Set state ``i``'s ``grievance`` and update its resentment and backlash from this week's
    intrusive and sanction doses."""
    grievance = 0.0
    resentment = w[i].resentment * (1.0 - p[P.RESENTMENT_DECAY])
    if intrusive > 0.0 and w[i].phase != Phase.ATROCITY:
        grievance += p[P.BACKLASH_TENSION] * intrusive
        resentment += intrusive
        w[i].backlash += intrusive
    if sanction > 0.0:
        grievance += p[P.SANCTION_GRIEVANCE] * sanction
    if w[i].underway != 0 and can_mobilise(i, region) and intervention_expected(i, w):
        grievance += p[P.MORAL_HAZARD_TENSION]
    w[i].grievance = grievance
    w[i].resentment = resentment


@rule
def consent_factor(i: int, w: World, p: np.ndarray) -> float:
    """Factor on state ``i``'s consent probability from its resentment (1 without resentment)."""
    if w[i].resentment > 0.0:
        return np.exp(-p[P.RESENTMENT_CONSENT] * w[i].resentment)
    return 1.0

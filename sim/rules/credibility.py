"""False alarms and the credibility of warnings ("cry wolf").

An alert about a state opens when its perceived risk reaches the warning threshold while it is
not in atrocity. It closes as a true alarm when an atrocity onset follows (or the state is in
atrocity), and as a false alarm when perceived risk falls ``alert_hysteresis`` below the
threshold first. Each false alarm costs a share ``cry_wolf_cost`` of the credibility of warnings
about that state; the Security Council and regional bodies read perceived risk times
credibility against their triggers. Alerts still open at the horizon are not counted.
"""

from __future__ import annotations

import numpy as np

from sim.concepts import Phase
from sim.jit import rule
from sim.parameters import P
from sim.state import World


@rule
def track_alert(i: int, week: int, w: World, p: np.ndarray) -> None:
    """Open, close or count state ``i``'s alert from this week's perceived risk and phase."""
    threshold = p[P.WARNING_THRESHOLD]
    if w[i].alert_week >= 0:
        if w[i].phase == Phase.ATROCITY or w[i].episodes != w[i].alert_episodes:
            w[i].alert_week = -1
        elif w[i].perceived < threshold - p[P.ALERT_HYSTERESIS]:
            w[i].alert_week = -1
            w[i].false_alarms += 1
            w[i].credibility *= 1.0 - p[P.CRY_WOLF_COST]
    elif w[i].perceived >= threshold and w[i].phase != Phase.ATROCITY:
        w[i].alert_week = week
        w[i].alert_episodes = w[i].episodes

"""Stage 5: early warning. Actors see a delayed, noisy and possibly selective signal.

The signal is the state's tension ``warning_delay`` weeks ago plus noise, shrunk for states of
low international salience (the seed's "selective reporting"). Civil-society monitoring and
fact-finding reduce the noise. Perceived risk smooths the signal; every trigger of every
strategy reads perceived risk, never the true tension.
"""

from __future__ import annotations

import numpy as np

from sim.jit import rule
from sim.parameters import P
from sim.rules.credibility import track_alert
from sim.state import HISTORY, Region, World

MAX_INFORMATION = 0.9
"""Fact-finding never removes all noise (assumption)."""


@rule
def reporting_bias(i: int, region: Region, p: np.ndarray) -> float:
    """Share of the signal lost through selective reporting."""
    return p[P.SELECTIVITY] * (1.0 - region[i].salience)


@rule
def observe(i: int, week: int, region: Region, w: World, p: np.ndarray) -> None:
    """Update perceived risk, public pressure, the Joint Office's warning and the alert for state ``i``."""
    delay = int(p[P.WARNING_DELAY])
    past = region[i].tension0 if week < delay else w[i].history[(week - delay) % HISTORY]
    noise = (
        p[P.WARNING_NOISE]
        * (1.0 - p[P.CIVIL_SOCIETY_NOISE_CUT] * region[i].civil_society)
        * (1.0 - min(w[i].information, MAX_INFORMATION))
    )
    bias = reporting_bias(i, region, p)
    signal = (past + noise * w[i].warning_noise) * (1.0 - bias)
    smoothing = p[P.WARNING_SMOOTHING]
    perceived = (1.0 - smoothing) * w[i].perceived + smoothing * signal
    w[i].perceived = min(max(perceived, 0.0), 1.0)
    reported = w[i].deaths * (1.0 - bias)
    if reported != w[i].reported:  # the exponential only when the reported deaths change
        w[i].reported = reported
        w[i].unmoved = np.exp(-reported / p[P.PRESSURE_SCALE]) if reported > 0.0 else 1.0
    quiet = w[i].unmoved * (1.0 - p[P.ADVOCACY] * region[i].civil_society * w[i].perceived)
    w[i].pressure = 1.0 - quiet
    if w[i].warned_week < 0 and w[i].perceived >= p[P.WARNING_THRESHOLD]:
        w[i].warned_week = week
    track_alert(i, week, w, p)

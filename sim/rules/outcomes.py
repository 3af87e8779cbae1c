"""Outcomes of one replication and the per-week trajectory record, shared by both engines.

The columns themselves (name, unit, meaning, order) are defined in :mod:`sim.outcome_columns`.
"""

from __future__ import annotations

import numpy as np

from sim.concepts import N_INSTRUMENTS
from sim.jit import rule
from sim.outcome_columns import OUTCOMES
from sim.rules.escalation import any_in_atrocity
from sim.state import World

TRAJECTORY = ("tension", "phase", "deaths", "displaced", "perceived")
"""Per-state variables recorded each week when trajectories are requested."""


@rule
def _earliest(best: float, week: float) -> float:
    """The earlier of ``best`` (NaN: none yet) and ``week`` (negative: never)."""
    if week >= 0 and not week >= best:
        return float(week)
    return best


@rule
def _lag(w: World, i: int) -> float:
    """Weeks from state ``i``'s first warning to its first response (NaN if either is missing)."""
    response = np.nan
    for pillar in range(3):
        response = _earliest(response, w[i].first_response[pillar])
    if w[i].warned_week < 0:
        return np.nan
    return response - w[i].warned_week


@rule
def _first_warned(w: World) -> int:
    """Index of the state warned about first (the lowest on a tie), -1 if none was."""
    first = -1
    for i in range(w.shape[0]):
        week = w[i].warned_week
        if week >= 0 and (first < 0 or week < w[first].warned_week):
            first = i
    return first


@rule
def tally(w: World) -> None:
    """End of a week: count it in ``atrocity_weeks_any`` (every state's row) if any state is in atrocity."""
    if any_in_atrocity(w):
        for i in range(w.shape[0]):
            w[i].atrocity_weeks_any += 1


@rule
def summarise(w: World, out: np.ndarray) -> None:
    """Fill ``out`` (length :func:`n_outcomes`) with the replication's outcomes."""
    deaths = displaced = cost = backlash = shortfall = refugees = 0.0
    false_alarms = 0
    atrocity_weeks = peak = vetoes = assembly = military_ends = withdrawn = watered_down = 0
    onset = warning = response = np.nan
    by_pillar = (np.nan, np.nan, np.nan)
    for i in range(w.shape[0]):
        x = w[i]
        deaths += x.deaths
        displaced += x.displaced
        cost += x.cost
        false_alarms += x.false_alarms
        backlash += x.backlash
        shortfall += x.shortfall
        refugees += x.refugees
        military_ends += x.military_ends
        atrocity_weeks += x.atrocity_weeks
        peak = max(peak, x.peak_phase)
        vetoes += x.vetoes
        withdrawn += x.withdrawn
        watered_down += x.watered_down
        assembly = max(assembly, x.assembly)
        onset = _earliest(onset, x.onset_week)
        warning = _earliest(warning, x.warned_week)
        by_pillar = (
            _earliest(by_pillar[0], x.first_response[0]),
            _earliest(by_pillar[1], x.first_response[1]),
            _earliest(by_pillar[2], x.first_response[2]),
        )
    for pillar in range(3):
        response = _earliest(response, by_pillar[pillar])
    used = 0
    for k in range(N_INSTRUMENTS):
        for i in range(w.shape[0]):
            if w[i].used[k]:
                used += 1
                break
    first_warned = _first_warned(w)
    out[0] = deaths
    out[1] = displaced
    out[2] = 0.0 if np.isnan(onset) else 1.0
    out[3] = onset
    out[4] = atrocity_weeks
    out[5] = w[0].atrocity_weeks_any if w.shape[0] > 0 else 0
    out[6] = peak
    out[7] = warning
    out[8] = response
    out[9] = by_pillar[0]
    out[10] = by_pillar[1]
    out[11] = by_pillar[2]
    out[12] = _lag(w, first_warned) if first_warned >= 0 else np.nan
    out[13] = used
    out[14] = vetoes
    out[15] = assembly
    out[16] = cost
    out[17] = false_alarms
    out[18] = backlash
    out[19] = shortfall
    out[20] = refugees
    out[21] = displaced - refugees
    out[22] = military_ends
    out[23] = withdrawn
    out[24] = watered_down
    n = w.shape[0]
    first = len(OUTCOMES)
    for i in range(n):
        out[first + i] = w[i].deaths
        out[first + n + i] = w[i].displaced
        out[first + 2 * n + i] = w[i].onset_week if w[i].onset_week >= 0 else np.nan
        out[first + 3 * n + i] = _lag(w, i)


@rule
def record(w: World, frame: np.ndarray) -> None:
    """Write the week's per-state variables into ``frame`` (shape ``(len(TRAJECTORY), n)``)."""
    for i in range(w.shape[0]):
        frame[0, i] = w[i].tension
        frame[1, i] = w[i].phase
        frame[2, i] = w[i].deaths
        frame[3, i] = w[i].displaced
        frame[4, i] = w[i].perceived

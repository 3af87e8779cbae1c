"""Outcomes of one replication and the per-week trajectory record, shared by both engines."""

from __future__ import annotations

import numpy as np

from sim.concepts import N_INSTRUMENTS
from sim.jit import rule
from sim.state import World

OUTCOMES = (
    "deaths",
    "displaced",
    "onset",
    "onset_week",
    "atrocity_weeks",
    "peak_phase",
    "first_warning_week",
    "first_response_week",
    "first_response_week_pillar1",
    "first_response_week_pillar2",
    "first_response_week_pillar3",
    "warning_response_lag",
    "instruments_used",
    "vetoes",
    "uniting_for_peace",
    "cost",
    "false_alarms",
    "backlash",
    "capacity_shortfall",
    "refugees",
    "idps",
    "military_ends",
    "drafts_withdrawn",
    "drafts_watered_down",
)
"""Region-wide outcome columns, in the order of the vector :func:`summarise` fills (NaN means 'never')."""

PER_STATE = ("deaths", "displaced", "onset_week")
"""Per-state outcomes, written ``deaths[NAME]`` and so on after :data:`OUTCOMES`, one group per quantity."""


def n_outcomes(n: int) -> int:
    """Length of the outcome vector of a region of ``n`` states."""
    return len(OUTCOMES) + len(PER_STATE) * n


def outcome_columns(states: list[str] | tuple[str, ...]) -> list[str]:
    """Names of the outcome columns of a region with these ``states``, in the vector's order."""
    return [*OUTCOMES, *(f"{quantity}[{name}]" for quantity in PER_STATE for name in states)]


TRAJECTORY = ("tension", "phase", "deaths", "displaced", "perceived")
"""Per-state variables recorded each week when trajectories are requested."""


@rule
def _earliest(best: float, week: float) -> float:
    """The earlier of ``best`` (NaN: none yet) and ``week`` (negative: never)."""
    if week >= 0 and not week >= best:
        return float(week)
    return best


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
    out[0] = deaths
    out[1] = displaced
    out[2] = 0.0 if np.isnan(onset) else 1.0
    out[3] = onset
    out[4] = atrocity_weeks
    out[5] = peak
    out[6] = warning
    out[7] = response
    out[8] = by_pillar[0]
    out[9] = by_pillar[1]
    out[10] = by_pillar[2]
    out[11] = response - warning
    out[12] = used
    out[13] = vetoes
    out[14] = assembly
    out[15] = cost
    out[16] = false_alarms
    out[17] = backlash
    out[18] = shortfall
    out[19] = refugees
    out[20] = displaced - refugees
    out[21] = military_ends
    out[22] = withdrawn
    out[23] = watered_down
    n = w.shape[0]
    first = len(OUTCOMES)
    for i in range(n):
        out[first + i] = w[i].deaths
        out[first + n + i] = w[i].displaced
        out[first + 2 * n + i] = w[i].onset_week if w[i].onset_week >= 0 else np.nan


@rule
def record(w: World, frame: np.ndarray) -> None:
    """Write the week's per-state variables into ``frame`` (shape ``(len(TRAJECTORY), n)``)."""
    for i in range(w.shape[0]):
        frame[0, i] = w[i].tension
        frame[1, i] = w[i].phase
        frame[2, i] = w[i].deaths
        frame[3, i] = w[i].displaced
        frame[4, i] = w[i].perceived

"""Outcomes of one replication and the per-week trajectory record, shared by both engines.

:data:`OUTCOME_TABLE` and :data:`PER_STATE_TABLE` define every outcome column once (name, unit,
meaning); the README, the user guide, the ODD, ``r2p run --help`` and the Parquet column
descriptions are made from them (``python -m sim.schema`` rewrites the documents).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from sim.concepts import N_INSTRUMENTS, Phase
from sim.jit import rule
from sim.state import World


class Outcome(NamedTuple):
    """One outcome column: its name, its unit and what it measures."""

    name: str
    unit: str
    kind: str
    """``float``, ``integer``, ``boolean`` or ``nullable integer`` (empty: it never happened)."""
    meaning: str


REPLICATION = Outcome(
    "replication", "number", "integer", "replication number `r` (with the seed it fixes every random number)"
)
"""The first column of every outcome table; not part of the outcome vector."""

_EXPECTED = "an expected value given the episodes drawn, so fractional"
_LAG = (
    "weeks from the first warning to the first response about the same state: its first active instrument's "
    "week minus its first warning's week; negative when an instrument whose trigger lies below the warning "
    "threshold (or a scheduled measure) was already active before the warning"
)

OUTCOME_TABLE = (
    Outcome("deaths", "persons", "float", f"sum over states of cumulative deaths ({_EXPECTED})"),
    Outcome("displaced", "persons", "float", f"sum over states of cumulative displaced persons ({_EXPECTED})"),
    Outcome(
        "onset",
        "true/false",
        "boolean",
        "true if any state had an atrocity onset during the run (a state that starts in atrocity does not count)",
    ),
    Outcome("onset_week", "week", "nullable integer", "earliest week of a first onset in any state"),
    Outcome("atrocity_state_weeks", "state-weeks", "integer", "sum over states of the weeks they ended in atrocity"),
    Outcome("atrocity_weeks_any", "weeks", "integer", "weeks that ended with at least one state in atrocity"),
    Outcome(
        "peak_phase",
        "phase code",
        "integer",
        "highest phase code reached by any state (0 stable, 1 tension, 2 crisis, 3 atrocity; recovery not counted)",
    ),
    Outcome("first_warning_week", "week", "nullable integer", "earliest week the Joint Office warned about any state"),
    Outcome(
        "first_response_week",
        "week",
        "nullable integer",
        "earliest week any instrument of any pillar became active for any state",
    ),
    Outcome(
        "first_response_week_pillar1",
        "week",
        "nullable integer",
        "earliest week a Pillar I instrument became active for any state",
    ),
    Outcome(
        "first_response_week_pillar2",
        "week",
        "nullable integer",
        "earliest week a Pillar II instrument became active for any state",
    ),
    Outcome(
        "first_response_week_pillar3",
        "week",
        "nullable integer",
        "earliest week a Pillar III instrument (including fact-finding and divestment, which need no Council) "
        "became active for any state",
    ),
    Outcome(
        "first_warned_response_lag",
        "weeks",
        "nullable integer",
        f"in the state warned about first (the first in scenario order on a tie), {_LAG}; empty if it had no "
        "warning or no response",
    ),
    Outcome(
        "instruments_used",
        "instruments",
        "integer",
        "number of distinct instruments that were active for at least one state",
    ),
    Outcome("vetoes", "vetoes", "integer", "vetoes cast on drafts about any state"),
    Outcome(
        "uniting_for_peace",
        "true/false",
        "boolean",
        "true if a vetoed matter was passed to the General Assembly for any state",
    ),
    Outcome("cost", "US$ million", "float", "sum over states of the cost of measures"),
    Outcome(
        "false_alarms",
        "alerts",
        "integer",
        "sum over states of alerts that lapsed without an atrocity onset (7.10); alerts still open at the horizon "
        "are not counted",
    ),
    Outcome(
        "backlash",
        "dose-weeks",
        "float",
        "sum over states of the intrusive dose applied while the state was not in atrocity (7.9)",
    ),
    Outcome(
        "capacity_shortfall",
        "dose-weeks",
        "float",
        "sum over states of the dose of deployments and mediation not delivered because a regional pool was "
        "exhausted (7.13)",
    ),
    Outcome(
        "refugees",
        "persons",
        "float",
        f"sum over states of the displaced who crossed a border (`refugee_share` of each state's displaced; "
        f"{_EXPECTED})",
    ),
    Outcome("idps", "persons", "float", "sum over states of the internally displaced: `displaced - refugees`"),
    Outcome(
        "military_ends",
        "episodes",
        "integer",
        "episodes (over all states) ended by the perpetrator's military defeat or victory (7.14)",
    ),
    Outcome(
        "drafts_withdrawn", "drafts", "integer", "drafts about any state withdrawn under a veto threat (not tabled)"
    ),
    Outcome(
        "drafts_watered_down",
        "drafts",
        "integer",
        "drafts about any state watered down to their weaker measure under a veto threat",
    ),
)
"""Region-wide outcome columns, in the order of the vector :func:`summarise` fills (NaN means 'never')."""

PER_STATE_TABLE = (
    Outcome("deaths", "persons", "float", f"the state's cumulative deaths ({_EXPECTED})"),
    Outcome("displaced", "persons", "float", f"the state's cumulative displaced persons ({_EXPECTED})"),
    Outcome("onset_week", "week", "nullable integer", "week of the state's first onset"),
    Outcome(
        "warning_response_lag", "weeks", "nullable integer", f"{_LAG}; empty if the state had no warning or no response"
    ),
)
"""Per-state outcomes, written ``deaths[NAME]`` and so on after :data:`OUTCOMES`, one group per quantity."""

OUTCOMES = tuple(o.name for o in OUTCOME_TABLE)
"""Names of the region-wide outcome columns, in the vector's order."""

PER_STATE = tuple(o.name for o in PER_STATE_TABLE)
"""Names of the per-state quantities, in the vector's order."""


def n_outcomes(n: int) -> int:
    """Length of the outcome vector of a region of ``n`` states."""
    return len(OUTCOMES) + len(PER_STATE) * n


def outcome_columns(states: list[str] | tuple[str, ...]) -> list[str]:
    """Names of the outcome columns of a region with these ``states``, in the vector's order."""
    return [*OUTCOMES, *(f"{quantity}[{name}]" for quantity in PER_STATE for name in states)]


def describe(column: str) -> Outcome | None:
    """The :class:`Outcome` of a column name (``deaths[NAME]``: the per-state entry), None if not an outcome."""
    name, bracket, _ = column.partition("[")
    table = PER_STATE_TABLE if bracket and column.endswith("]") else (REPLICATION, *OUTCOME_TABLE)
    return next((o for o in table if o.name == name), None)


def outcome_table() -> str:
    """The Markdown table of every outcome column (``column | unit | type | meaning``)."""
    rows = ["| column | unit | type | meaning |", "|---|---|---|---|"]
    rows += [f"| `{o.name}` | {o.unit} | {o.kind} | {o.meaning} |" for o in (REPLICATION, *OUTCOME_TABLE)]
    rows += [f"| `{o.name}[NAME]` | {o.unit} | {o.kind} | {o.meaning} (with `by_state`) |" for o in PER_STATE_TABLE]
    return "\n".join(rows)


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
    for i in range(w.shape[0]):
        if w[i].phase == Phase.ATROCITY:
            for j in range(w.shape[0]):
                w[j].atrocity_weeks_any += 1
            return


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

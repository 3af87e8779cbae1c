"""Every outcome column, defined once: name, unit, type and meaning.

:data:`OUTCOME_TABLE` and :data:`PER_STATE_TABLE` are the columns of an outcome table, in the order
of the vector :func:`sim.rules.outcomes.summarise` fills. The README, the user guide, the ODD,
``r2p run --help`` and the Parquet column descriptions are made from them (``python -m sim.schema``
rewrites the documents). Plain Python, so the command line can print them without compiling.
"""

from __future__ import annotations

from typing import NamedTuple


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

"""The scenario file: ``[scenario]``, ``[warning]``, ``[model]``, ``[[bodies]]`` and ``[[states]]``."""

from __future__ import annotations

import datetime
from typing import Annotated, Any

from pydantic import Field, create_model, field_validator, model_validator

from sim.concepts import COUNCIL_SEATS, INSTRUMENT_NAMES, N_P5, P5, Crime, Leadership, Phase, Stance, names
from sim.config import quote
from sim.limits import MAX_STATES, MAX_WEEKS
from sim.parameters import PARAMETERS, STRATEGY_SWITCHES, Param
from sim.schema.rules import (
    VERSION,
    VERSION_TEXT,
    Boolean,
    Choice,
    Day,
    Doc,
    FieldError,
    Names,
    Number,
    Shares,
    Table,
    Text,
    tables,
)
from sim.state import MAX_EVENTS, MAX_NEIGHBOURS, RISK_FACTORS

PATRONS = tuple(name.lower().replace(" ", "_") for name in P5)
"""Names of the permanent members as a state's ``patron``."""

ELECTED_SEATS = COUNCIL_SEATS - N_P5
"""Elected seats of the Council, which bodies' ``council_seats`` share."""

WARNING_KEYS = {
    "noise": "warning_noise",
    "delay_weeks": "warning_delay",
    "selectivity": "selectivity",
    "smoothing": "warning_smoothing",
    "threshold": "warning_threshold",
}
"""Fields of ``[warning]`` and the model parameter each sets."""

MODEL_PARAMETERS = tuple(p for p in PARAMETERS if p.name not in STRATEGY_SWITCHES)
"""The parameters a scenario may override (the strategy switches belong to strategy files)."""


class ScenarioHead(Table):
    """The ``[scenario]`` table."""

    schema_version: VERSION = Field(1, description=VERSION_TEXT)
    name: Annotated[str, Text()] = Field(description="short name, used in results and labels")
    title: Annotated[str | None, Text(), Doc(default="the `name`")] = Field(None, description="title shown in reports")
    description: Annotated[str, Text()] = Field("", description="one line, shown by `r2p scenarios`")
    weeks: Annotated[int, Number(1, MAX_WEEKS, integer=True)] = Field(
        104,
        description="horizon in weeks (one step is one week); `r2p run --weeks` and an experiment's `weeks` "
        "override it",
    )
    start: Annotated[datetime.date | None, Day(), Doc(default="none (a fictional region)")] = Field(
        None,
        description="calendar date of week 0 of a historical episode, for labels only (the classroom page "
        "dates each week from it); the model never reads it",
    )


def parameter_field(p: Param, description: str | None = None) -> Any:
    """Annotated type and field of an override of parameter ``p`` (absent: the default holds)."""
    text = description or p.description
    rule = Number(p.low, p.high, integer=p.integer, above=p.unit == "odds ratio" and p.low == 0)  # log(0) = -inf
    return (
        Annotated[float | None, rule, Doc(default=f"{p.default:g}")],
        Field(None, description=f"{text} (unit: {p.unit}; source: {p.source})"),
    )


_BY_NAME = {p.name: p for p in PARAMETERS}
_WARNING_TEXT = {
    "noise": "standard deviation of the weekly noise of the early-warning signal (in units of tension)",
    "delay_weeks": "reporting delay: the signal of week `t` is about the tension of week `t - delay_weeks`",
    "selectivity": "share of the signal lost for a state of zero salience (selective reporting); a state loses "
    "`selectivity * (1 - salience)`",
    "smoothing": "weight of the newest signal in perceived risk (1: no smoothing)",
    "threshold": "perceived risk at which the Joint Office warns and the Council takes the state up",
}

WarningTable = create_model(
    "WarningTable",
    __base__=Table,
    __doc__="The ``[warning]`` table: each field sets one early-warning parameter.",
    **{key: parameter_field(_BY_NAME[target], _WARNING_TEXT[key]) for key, target in WARNING_KEYS.items()},
)


class _ParameterTable(Table):
    unknown = "unknown model parameter"


ModelTable = create_model(
    "ModelTable",
    __base__=_ParameterTable,
    __doc__="The ``[model]`` table: overrides of model parameters, by name.",
    **{p.name: parameter_field(p) for p in MODEL_PARAMETERS},
)


class BodyTable(Table):
    """One ``[[bodies]]`` table: a regional or sub-regional organisation."""

    name: Annotated[str, Text()] = Field(description="name of the body")
    kind: Annotated[str, Choice(("regional", "subregional"))] = Field(
        description="informational only: both kinds act alike"
    )
    capacity: Annotated[float, Number(0, 1)] = Field(
        description="delivery capacity; scales the effects (not the cost) of the instruments it delivers: Pillar II "
        "help other than peacebuilding funding, and Chapter VIII action"
    )
    members: Annotated[tuple[str, ...], Names(), Doc(allowed="names of states of this scenario")] = Field(
        description="member states"
    )
    council_seats: Annotated[int, Number(0, ELECTED_SEATS, integer=True)] = Field(
        0,
        description="elected Council seats that vote as the body on drafts about its member states (e.g. the "
        "three African members and the AU); seats are given to the bodies in file order; 0: the elected "
        "members vote freely",
    )
    stance: Annotated[str, Choice(tuple(names(Stance)))] = Field(
        "manifest_failure",
        description="how those seats vote: `manifest_failure` yes once failure is manifest (perceived risk at "
        "least `manifest_failure`), before that freely; `support` always yes; `oppose` always no",
    )
    article_4h: Annotated[bool, Boolean()] = Field(
        False,
        description="the body may intervene in a member state in respect of war crimes, genocide and crimes "
        "against humanity by its own decision, without the Council (Article 4(h) of the AU Constitutive Act, "
        "never invoked so far); lets a strategy that names `regional_intervention` use it for the member states "
        "of which the body is the most capable body",
    )


class StateTable(Table):
    """One ``[[states]]`` table."""

    name: Annotated[str, Text(), Doc(allowed="unique within the scenario")] = Field(description="name of the state")
    population: Annotated[float, Number(1, 2e9)] = Field(description="persons")
    vulnerable_share: Annotated[float, Number(0, 1)] = Field(description="share of the population in the group at risk")
    capacity: Annotated[float, Number(0, 1)] = Field(
        description="initial Pillar I protective capacity (rule of law, security sector, human-rights institutions)"
    )
    tension: Annotated[float, Number(0, 1)] = Field(description="initial tension, the latent escalation pressure")
    leadership: Annotated[str, Choice(tuple(names(Leadership)))] = Field(
        description='political leadership; `divided` stands for the report\'s "weak, divided or uncertain"'
    )
    crime: Annotated[str, Choice(tuple(names(Crime)))] = Field(
        description="the crime an atrocity episode would take (its ratio of killing to displacement)"
    )
    perpetrator: Annotated[str, Choice(("state", "non_state", "both"))] = Field(
        "state",
        description="who would commit the atrocities; protection works less against a state perpetrator; `both`: "
        "a state and a non-state perpetrator at once, the group's share of the killing given by `non_state_share`",
    )
    patron: Annotated[str, Choice(("", *PATRONS)), Doc(default='`""` (none)')] = Field(
        "",
        description="a permanent member of the Security Council that may veto Council drafts about this state "
        "(interest 1; or give `patrons`)",
    )
    patrons: Annotated[tuple[tuple[str, float], ...], Shares(PATRONS), Doc(default="`{}` (none)")] = Field(
        (),
        description="several patrons, each with its interest in the state, e.g. `{russia = 1.0, china = 0.6}`; "
        "the interest scales that member's veto propensity; not together with `patron`",
    )
    penholder: Annotated[str, Choice(("", *PATRONS)), Doc(default='`""` (none)')] = Field(
        "",
        description="the permanent member that holds the pen on the state: it tables a due draft only once "
        'public pressure reaches `penholder_pressure`, and never while it is a patron; `""`: drafts are '
        "tabled when due",
    )
    salience: Annotated[float, Number(0, 1)] = Field(
        1.0,
        description="international attention; with `[warning] selectivity`, a low salience loses part of the "
        "early-warning signal and of the reported deaths",
    )
    civil_society: Annotated[float, Number(0, 1)] = Field(
        0.5,
        description="civil-society strength: less warning noise, more advocacy pressure, survivor networks that "
        "lower recurrence",
    )
    risk_factors: Annotated[tuple[str, ...], Names(tuple(RISK_FACTORS))] = Field(
        (),
        description="structural risk factors (Early Warning Project list); each multiplies the onset hazard by its "
        "odds ratio (`or_*` parameters) and raises baseline tension",
    )
    neighbours: Annotated[tuple[str, ...], Names(), Doc(allowed="other states of this scenario")] = Field(
        (),
        description="shared borders, for contagion and refugee flows; a border written on either side counts for "
        f"both; at most {MAX_NEIGHBOURS} per state",
    )
    phase: Annotated[str, Choice(("", *names(Phase)))] = Field(
        "",
        description='initial phase; `""` derives it from `tension` (crisis at `threshold_crisis` or above, tension '
        "at `threshold_tension` or above, else stable)",
    )
    severity: Annotated[float, Number(1, 1e4)] = Field(
        1.0, description='severity of an episode already under way; only allowed with `phase = "atrocity"`'
    )
    non_state_share: Annotated[float, Number(0, 1)] = Field(
        0.5,
        description='share of the killing by the non-state group; another value only with `perpetrator = "both"`',
    )
    military_end: Annotated[float, Number(0, 1)] = Field(
        0.0,
        description="weekly probability that an episode in atrocity ends by the perpetrator's military defeat or "
        "victory (counted in `military_ends`)",
    )
    refugee_share: Annotated[float, Number(0, 1)] = Field(
        1.0,
        description="share of the displaced who cross a border as refugees (the rest are internally displaced); "
        "only refugees carry tension to the neighbours",
    )
    refugees_to: Annotated[tuple[tuple[str, float], ...], Shares(whole=True), Doc(default="`{}` (an even split)")] = (
        Field(
            (),
            description="share of the refugees going to each neighbour, e.g. `{Uganda = 0.6, Zaire = 0.4}`; names "
            "neighbours of the state, shares sum to 1",
        )
    )

    @model_validator(mode="after")
    def _severity_needs_atrocity(self) -> StateTable:
        check_severity(self.severity, self.phase, ("severity",))
        if self.non_state_share != 0.5 and self.perpetrator != "both":
            raise FieldError('only a state with both perpetrators has a non-state share', 'perpetrator = "both"',
                             ("non_state_share",))  # fmt: skip
        if self.patron and self.patrons:
            raise FieldError("both `patron` and `patrons` given", "one of them", ("patrons",))
        return self


def check_severity(severity: float, phase: str, at: tuple[str, ...]) -> None:
    """Refuse a severity other than 1 for a state that does not start in atrocity (``at``: where
    the error points, relative to the state's table)."""
    if severity != 1.0 and phase != "atrocity":
        raise FieldError("only a state that starts in atrocity has a severity", 'phase = "atrocity"', at)


class MeasureTable(Table):
    """One ``[[measures]]`` table: an instrument already in force at week 0."""

    state: Annotated[str, Text(), Doc(allowed="a state of this scenario")] = Field(description="the state")
    instrument: Annotated[str, Choice(INSTRUMENT_NAMES)] = Field(description="the instrument in force")
    intensity: Annotated[float, Number(0, 1)] = Field(
        description="its intensity, above 0 (as a strategy's `intensity`); it scales effects and cost"
    )
    note: Annotated[str, Text()] = Field("", description="free text, e.g. the resolution and its date")

    @model_validator(mode="after")
    def _in_force(self) -> MeasureTable:
        if self.intensity == 0:
            raise FieldError("a measure in force needs an intensity above 0", "above 0 to 1", ("intensity",))
        return self


EVENT_KINDS = ("leadership", "risk_gained", "risk_lost", "salience", "tension", "measure", "military_end", "patron")
"""Kinds of ``[[events]]``, in the order of :class:`sim.rules.events.Event`."""

EVENT_FIELD = {
    "leadership": "leadership",
    "risk_gained": "risk_factor",
    "risk_lost": "risk_factor",
    "salience": "salience",
    "tension": "tension",
    "measure": "instrument",
    "patron": "member",
}
"""The field each kind of event needs."""


class EventTable(Table):
    """One ``[[events]]`` table: something that happens to a state at the start of a given week."""

    week: Annotated[int, Number(0, MAX_WEEKS, integer=True)] = Field(description="the week it happens (0: the first)")
    state: Annotated[str, Text(), Doc(allowed="a state of this scenario")] = Field(description="the state")
    kind: Annotated[str, Choice(EVENT_KINDS)] = Field(
        description="`leadership` (a new leadership: election, coup), `risk_gained` / `risk_lost` (a risk factor), "
        "`salience` (international attention), `tension` (a shock added to tension), `measure` (an instrument's "
        "intensity changed, 0 ends it), `military_end` (an episode in atrocity ends by military defeat or victory), "
        "`patron` (a permanent member takes a new interest in the state as its patron, 0: it is no longer one)"
    )
    leadership: Annotated[str | None, Choice(tuple(names(Leadership))), Doc(default="none")] = Field(
        None, description="the new leadership (kind `leadership`)"
    )
    risk_factor: Annotated[str | None, Choice(tuple(RISK_FACTORS)), Doc(default="none")] = Field(
        None, description="the risk factor gained or lost (kinds `risk_gained`, `risk_lost`)"
    )
    salience: Annotated[float | None, Number(0, 1), Doc(default="none")] = Field(
        None, description="the new salience (kind `salience`)"
    )
    tension: Annotated[float | None, Number(-1, 1), Doc(default="none")] = Field(
        None, description="the shock added to tension, kept in 0..1 (kind `tension`)"
    )
    instrument: Annotated[str | None, Choice(INSTRUMENT_NAMES), Doc(default="none")] = Field(
        None, description="the instrument (kind `measure`)"
    )
    intensity: Annotated[float, Number(0, 1)] = Field(
        0.0, description="the instrument's new intensity, 0 to end it (kind `measure`)"
    )
    member: Annotated[str | None, Choice(PATRONS), Doc(default="none")] = Field(
        None, description="the permanent member (kind `patron`)"
    )
    interest: Annotated[float | None, Number(0, 1), Doc(default="none")] = Field(
        None, description="the member's new interest in the state as its patron, 0 to end it (kind `patron`)"
    )
    note: Annotated[str, Text()] = Field("", description="free text, e.g. what happened and its source")

    @model_validator(mode="after")
    def _what_changes(self) -> EventTable:
        needed = EVENT_FIELD.get(self.kind)
        for name in ("leadership", "risk_factor", "salience", "tension", "instrument", "member"):
            given = getattr(self, name) is not None
            if given and name != needed:
                raise FieldError(f"not a field of a {quote(self.kind)} event", needed or "none", (name,))
            if not given and name == needed:
                raise FieldError(f"missing for a {quote(self.kind)} event", _EVENT_FIELD_ALLOWED[name], (name,))
        if self.intensity != 0.0 and self.kind != "measure":
            raise FieldError(f"not a field of a {quote(self.kind)} event", needed or "none", ("intensity",))
        if self.interest is None and self.kind == "patron":
            raise FieldError("missing for a 'patron' event", "0 to 1", ("interest",))
        if self.interest is not None and self.kind != "patron":
            raise FieldError(f"not a field of a {quote(self.kind)} event", needed or "none", ("interest",))
        return self


_EVENT_FIELD_ALLOWED = {
    "leadership": ", ".join(names(Leadership)),
    "risk_factor": ", ".join(RISK_FACTORS),
    "salience": "0 to 1",
    "tension": "-1 to 1",
    "instrument": ", ".join(INSTRUMENT_NAMES),
    "member": ", ".join(PATRONS),
}


class ScenarioFile(Table):
    """A scenario file."""

    scenario: ScenarioHead = Field(description="name, title, description, horizon")
    warning: WarningTable = Field(WarningTable(), description="the early-warning set-up")  # type: ignore[valid-type]
    model: ModelTable = Field(ModelTable(), description="overrides of model parameters")  # type: ignore[valid-type]
    states: tuple[StateTable, ...] = Field(description=f"the states of the region (1 to {MAX_STATES})")
    bodies: tuple[BodyTable, ...] = Field((), description="regional and sub-regional organisations")
    measures: tuple[MeasureTable, ...] = Field((), description="instruments already in force at week 0")
    events: tuple[EventTable, ...] = Field((), description="scheduled events, each at a given week for a state")

    @field_validator("states", mode="before")
    @classmethod
    def _some_states(cls, value: Any) -> Any:
        return tables(value, "states", MAX_STATES)

    @field_validator("bodies", mode="before")
    @classmethod
    def _some_bodies(cls, value: Any) -> Any:
        return tables(value, "bodies")

    @field_validator("measures", mode="before")
    @classmethod
    def _some_measures(cls, value: Any) -> Any:
        return tables(value, "measures")

    @field_validator("events", mode="before")
    @classmethod
    def _some_events(cls, value: Any) -> Any:
        return tables(value, "events")

    @model_validator(mode="after")
    def _links(self) -> ScenarioFile:
        known = [s.name for s in self.states]
        if len(set(known)) != len(known):
            raise FieldError("two states share a name", "unique names", ("states",))
        borders = {s.name: set(s.neighbours) for s in self.states}
        for n, s in enumerate(self.states):
            for other in s.neighbours:
                if other not in known or other == s.name:
                    where = ("states", n, "neighbours")
                    raise FieldError(f"{quote(other)} is not another state", ", ".join(known), where)
                borders[other].add(s.name)
        for n, s in enumerate(self.states):
            if len(borders[s.name]) > MAX_NEIGHBOURS:
                raise FieldError(
                    f"{len(borders[s.name])} borders", f"at most {MAX_NEIGHBOURS}", ("states", n, "neighbours")
                )
        for n, b in enumerate(self.bodies):
            for member in b.members:
                if member not in known:
                    where = ("bodies", n, "members")
                    raise FieldError(f"{quote(member)} is not a state", ", ".join(known), where)
        for n, s in enumerate(self.states):
            for other, _ in s.refugees_to:
                if other not in borders[s.name]:
                    allowed = ", ".join(sorted(borders[s.name])) or "none (no neighbours)"
                    raise FieldError(f"{quote(other)} is not a neighbour", allowed, ("states", n, "refugees_to"))
        for key, rows in (("measures", self.measures), ("events", self.events)):
            for n, row in enumerate(rows):
                if row.state not in known:
                    raise FieldError(f"{quote(row.state)} is not a state", ", ".join(known), (key, n, "state"))
        seen = set()
        for n, m in enumerate(self.measures):
            if (m.state, m.instrument) in seen:
                raise FieldError("a second measure of this instrument for this state", "one per state and "
                                 "instrument", ("measures", n, "instrument"))  # fmt: skip
            seen.add((m.state, m.instrument))
        for name in known:
            count = sum(e.state == name for e in self.events)
            if count > MAX_EVENTS:
                raise FieldError(f"{count} events for {quote(name)}", f"at most {MAX_EVENTS} per state", ("events",))
        for name in known:
            bodies = [n for n, b in enumerate(self.bodies) if name in b.members and b.council_seats]
            if sum(self.bodies[n].council_seats for n in bodies) > ELECTED_SEATS:
                allowed = f"at most {ELECTED_SEATS} over the bodies of one state"
                raise FieldError(f"more elected seats than there are for {quote(name)}", allowed,
                                 ("bodies", bodies[-1], "council_seats"))  # fmt: skip
        return self

"""Scenarios: a region of states, its regional bodies, early-warning set-up and model overrides."""

from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from sim.concepts import INSTRUMENT_NAMES, Crime, Leadership, Phase, Stance
from sim.config import InputError, quote, read_toml, resolve
from sim.deciders import delivery_capacity, most_capable_body
from sim.parameters import P, default_vector
from sim.schema.rules import FieldError, rule_of, validate
from sim.schema.scenario import (
    EVENT_FIELD,
    EVENT_KINDS,
    PATRONS,
    WARNING_KEYS,
    EventTable,
    ModelTable,
    ScenarioFile,
    StateTable,
)
from sim.state import REGION, RISK_FACTORS, Region

__all__ = [
    "PATRONS",
    "WARNING_KEYS",
    "BodySpec",
    "EventSpec",
    "MeasureSpec",
    "Scenario",
    "StateSpec",
    "load_scenario",
    "parse_scenario",
]


@dataclass(frozen=True)
class StateSpec:
    """One state of a scenario, as written in its ``[[states]]`` table."""

    name: str
    population: float
    vulnerable_share: float
    capacity: float
    tension: float
    leadership: str
    crime: str
    perpetrator: str = "state"
    patron: str = ""
    patrons: tuple[tuple[str, float], ...] = ()
    penholder: str = ""
    salience: float = 1.0
    civil_society: float = 0.5
    risk_factors: tuple[str, ...] = ()
    neighbours: tuple[str, ...] = ()
    phase: str = ""
    severity: float = 1.0
    non_state_share: float = 0.5
    military_end: float = 0.0
    refugee_share: float = 1.0
    refugees_to: tuple[tuple[str, float], ...] = ()

    def as_table(self) -> dict:
        """The state as its ``[[states]]`` table would write it (lists for lists, a table for shares)."""
        data = {k: list(v) if isinstance(v, tuple) else v for k, v in dataclasses.asdict(self).items()}
        data["refugees_to"] = dict(self.refugees_to)
        data["patrons"] = dict(self.patrons)
        return data

    def interests(self) -> dict[str, float]:
        """Each patron's interest in the state: ``patrons`` as written, or ``patron`` with interest 1."""
        if self.patrons:
            return dict(self.patrons)
        return {self.patron: 1.0} if self.patron else {}

    @property
    def group_share(self) -> float:
        """Share of the killing by a non-state group: 0 (state), 1 (non-state) or that of ``both``."""
        if self.perpetrator == "both":
            return self.non_state_share
        return float(self.perpetrator == "non_state")


@dataclass(frozen=True)
class MeasureSpec:
    """An instrument in force for a state at week 0 (a ``[[measures]]`` table)."""

    state: str
    instrument: str
    intensity: float
    note: str = ""


@dataclass(frozen=True)
class EventSpec:
    """A scheduled event (an ``[[events]]`` table); ``value`` is the field its kind needs."""

    week: int
    state: str
    kind: str
    value: str | float | None = None
    intensity: float = 0.0
    note: str = ""
    interest: float = 0.0

    def row(self) -> list[float]:
        """The event as a row of ``Region.events`` (columns in :class:`sim.state.EventCol` order)."""
        value: float = 0.0
        instrument = -1
        member = -1
        if self.kind == "leadership":
            value = int(Leadership[str(self.value).upper()])
        elif self.kind in ("risk_gained", "risk_lost"):
            value = RISK_FACTORS.index(str(self.value))
        elif self.kind in ("salience", "tension"):
            value = float(self.value)  # type: ignore[arg-type]
        elif self.kind == "measure":
            instrument = INSTRUMENT_NAMES.index(str(self.value))
            value = self.intensity
        elif self.kind == "patron":
            member = PATRONS.index(str(self.value))
            value = self.interest
        return [self.week, EVENT_KINDS.index(self.kind), value, instrument, member]


@dataclass(frozen=True)
class BodySpec:
    """A regional or sub-regional organisation."""

    name: str
    kind: str
    capacity: float
    members: tuple[str, ...]
    council_seats: int = 0
    stance: str = "manifest_failure"
    article_4h: bool = False


@dataclass(frozen=True)
class Scenario:
    """A validated scenario. ``params`` holds the scenario's overrides of model parameters."""

    name: str
    title: str
    description: str
    weeks: int
    states: tuple[StateSpec, ...]
    bodies: tuple[BodySpec, ...]
    params: dict[str, float] = field(default_factory=dict)
    source: str = ""
    measures: tuple[MeasureSpec, ...] = ()
    events: tuple[EventSpec, ...] = ()
    start: datetime.date | None = None
    """Calendar date of week 0 (historical episodes; labels only)."""

    def replace(self, **changes: object) -> Scenario:
        """A copy with some fields changed."""
        return dataclasses.replace(self, **changes)

    def with_params(self, **overrides: float) -> Scenario:
        """A copy with model parameters overridden (checked against their allowed ranges)."""
        for key, value in overrides.items():
            check_param(self.source or self.name, f"model.{key}", key, value)
        return self.replace(params={**self.params, **overrides})

    def with_state(self, name: str, **changes: object) -> Scenario:
        """A copy in which state ``name`` has some fields changed."""
        if name not in self.state_names:
            raise InputError(self.source or self.name, "states", f"no state {quote(name)}", ", ".join(self.state_names))
        states = tuple(dataclasses.replace(s, **changes) if s.name == name else s for s in self.states)
        return self.replace(states=states)

    @property
    def state_names(self) -> list[str]:
        """Names of the states, in index order."""
        return [s.name for s in self.states]

    def parameter_vector(self) -> np.ndarray:
        """Defaults with this scenario's overrides applied."""
        p = default_vector()
        for key, value in self.params.items():
            p[P[key.upper()]] = value
        return p

    def region(self) -> Region:
        """The scenario's fixed records, in the layout the Numba rules read."""
        index = {s.name: i for i, s in enumerate(self.states)}
        p = self.parameter_vector()
        region = np.zeros(len(self.states), REGION)
        linked: list[set[int]] = [set() for _ in self.states]
        for i, s in enumerate(self.states):
            for other in s.neighbours:
                linked[i].add(index[other])
                linked[index[other]].add(i)
        for i, s in enumerate(self.states):
            record = region[i]
            record["population"] = s.population
            record["vulnerable_share"] = s.vulnerable_share
            record["capacity0"] = s.capacity
            record["tension0"] = s.tension
            record["severity0"] = s.severity
            record["phase0"] = self.initial_phase(s)
            record["leadership"] = Leadership[s.leadership.upper()]
            record["crime"] = Crime[s.crime.upper()]
            record["state_led"] = s.perpetrator != "non_state"
            for member, interest in s.interests().items():
                record["patrons"][PATRONS.index(member)] = interest
            record["penholder"] = PATRONS.index(s.penholder) if s.penholder else -1
            record["bloc"] = -1
            seat = 0
            for b in self.bodies:
                if s.name in b.members:
                    record["bloc"][seat : seat + b.council_seats] = Stance[b.stance.upper()]
                    seat += b.council_seats
            record["salience"] = s.salience
            record["civil_society"] = s.civil_society
            record["risk"] = [f in s.risk_factors for f in RISK_FACTORS]
            record["body_capacity"] = delivery_capacity(s.name, self.bodies, p[P.UN_DELIVERY_CAPACITY])
            home = most_capable_body(s.name, self.bodies)
            record["article_4h"] = home >= 0 and self.bodies[home].article_4h
            record["degree"] = len(linked[i])
            record["neighbours"][: len(linked[i])] = sorted(linked[i])
            record["military_end"] = s.military_end
            record["refugee_share"] = s.refugee_share
            record["non_state_share"] = s.group_share
        for i, s in enumerate(self.states):
            for e, j in enumerate(sorted(linked[i])):
                region[i]["inflow_share"][e] = self._inflow(self.states[j], s.name, len(linked[j]))
        for m in self.measures:
            region[index[m.state]]["measure"][INSTRUMENT_NAMES.index(m.instrument)] = m.intensity
        for e in sorted(self.events, key=lambda e: e.week):  # stable: same-week events keep their order
            record = region[index[e.state]]
            record["events"][record["n_events"]] = e.row()
            record["n_events"] += 1
        return region

    @staticmethod
    def _inflow(origin: StateSpec, here: str, degree: int) -> float:
        """Share of ``origin``'s displaced arriving in ``here`` as refugees; -1 for the first model's
        even split of all of them (the same arithmetic, so the default stays bit-identical)."""
        if origin.refugee_share == 1.0 and not origin.refugees_to:
            return -1.0
        if origin.refugees_to:
            return origin.refugee_share * dict(origin.refugees_to).get(here, 0.0)
        return origin.refugee_share / degree

    def initial_phase(self, state: StateSpec) -> int:
        """The state's phase at week 0: as written, or from its tension and the thresholds."""
        if state.phase:
            return int(Phase[state.phase.upper()])
        p = self.parameter_vector()
        if state.tension >= p[P.THRESHOLD_CRISIS]:
            return int(Phase.CRISIS)
        if state.tension >= p[P.THRESHOLD_TENSION]:
            return int(Phase.TENSION)
        return int(Phase.STABLE)


def check_param(file: str | Path, where: str, key: str, value: object) -> float:
    """Check one override of model parameter ``key``, written at field ``where``; return it as a float."""
    if key not in ModelTable.model_fields:
        raise InputError(file, where, ModelTable.unknown, ", ".join(ModelTable.model_fields))
    try:
        return float(rule_of(ModelTable, key).check(value))
    except FieldError as problem:
        raise InputError(file, where, problem.problem, problem.allowed) from None


def state_spec(table: StateTable) -> StateSpec:
    """The :class:`StateSpec` of a validated ``[[states]]`` table."""
    return StateSpec(**dict(table))


def event_spec(table: EventTable) -> EventSpec:
    """The :class:`EventSpec` of a validated ``[[events]]`` table."""
    field_name = EVENT_FIELD.get(table.kind)
    value = getattr(table, field_name) if field_name else None
    interest = table.interest if table.interest is not None else 0.0
    return EventSpec(table.week, table.state, table.kind, value, table.intensity, table.note, interest)


def parse_state(data: object, file: str | Path, where: str) -> StateSpec:
    """Validate one state table (``data``, written at field ``where`` of ``file``)."""
    return state_spec(validate(StateTable, data, file, where))


def parse_scenario(data: dict, file: str | Path) -> Scenario:
    """Validate a parsed scenario TOML document."""
    checked = validate(ScenarioFile, data, file)
    head = checked.scenario
    params: dict[str, float] = {}
    for key, target in WARNING_KEYS.items():
        value = getattr(checked.warning, key)
        if value is not None:
            params[target] = float(value)
    for key in data.get("model", {}):  # in file order, as written
        params[key] = float(getattr(checked.model, key))
    states = tuple(state_spec(s) for s in checked.states)
    bodies = tuple(BodySpec(**dict(b)) for b in checked.bodies)
    measures = tuple(MeasureSpec(**dict(m)) for m in checked.measures)
    events = tuple(event_spec(e) for e in checked.events)
    title = head.name if head.title is None else head.title
    return Scenario(head.name, title, head.description, head.weeks, states, bodies, params, str(file), measures, events,
                    head.start)  # fmt: skip


def load_scenario(name_or_path: str | Path) -> Scenario:
    """Load and validate a shipped scenario (by name) or a scenario file (by path).

    Raises
    ------
    InputError
        With one line naming the file, the field and what is allowed.
    """
    path = resolve(name_or_path, "scenarios")
    return parse_scenario(read_toml(path), path)

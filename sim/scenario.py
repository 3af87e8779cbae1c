"""Scenarios: a region of states, its regional bodies, early-warning set-up and model overrides."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from sim.concepts import P5, Crime, Leadership, Phase, names
from sim.config import Fields, InputError, read_toml, resolve
from sim.deciders import delivery_capacity
from sim.limits import MAX_STATES, MAX_WEEKS
from sim.parameters import BY_NAME, PARAMETERS, STRATEGY_SWITCHES, P, default_vector
from sim.state import MAX_NEIGHBOURS, REGION, RISK_FACTORS, Region

PATRONS = [name.lower().replace(" ", "_") for name in P5]
WARNING_KEYS = {
    "noise": "warning_noise",
    "delay_weeks": "warning_delay",
    "selectivity": "selectivity",
    "smoothing": "warning_smoothing",
    "threshold": "warning_threshold",
}


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
    salience: float = 1.0
    civil_society: float = 0.5
    risk_factors: tuple[str, ...] = ()
    neighbours: tuple[str, ...] = ()
    phase: str = ""
    severity: float = 1.0


@dataclass(frozen=True)
class BodySpec:
    """A regional or sub-regional organisation."""

    name: str
    kind: str
    capacity: float
    members: tuple[str, ...]


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
            raise InputError(self.source or self.name, "states", f"no state {name!r}", ", ".join(self.state_names))
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
            record["state_led"] = s.perpetrator == "state"
            record["patron"] = PATRONS.index(s.patron) if s.patron else -1
            record["salience"] = s.salience
            record["civil_society"] = s.civil_society
            record["risk"] = [f in s.risk_factors for f in RISK_FACTORS]
            record["body_capacity"] = delivery_capacity(s.name, self.bodies, p[P.UN_DELIVERY_CAPACITY])
            record["degree"] = len(linked[i])
            record["neighbours"][: len(linked[i])] = sorted(linked[i])
        return region

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
    """Check one override of model parameter ``key``, written at field ``where``; return it."""
    if key not in BY_NAME or key in STRATEGY_SWITCHES:
        allowed = ", ".join(p.name for p in PARAMETERS if p.name not in STRATEGY_SWITCHES)
        raise InputError(file, where, "unknown model parameter", allowed)
    spec = BY_NAME[key]
    return float(Fields({where: value}, file, "").number(where, spec.low, spec.high, integer=spec.integer))


def parse_state(table: Fields) -> StateSpec:
    """Read one ``[[states]]`` table."""
    spec = StateSpec(
        name=table.text("name"),
        population=table.number("population", 1, 2e9),
        vulnerable_share=table.number("vulnerable_share", 0, 1),
        capacity=table.number("capacity", 0, 1),
        tension=table.number("tension", 0, 1),
        leadership=table.choice("leadership", names(Leadership)),
        crime=table.choice("crime", names(Crime)),
        perpetrator=table.choice("perpetrator", ["state", "non_state"], "state"),
        patron=table.choice("patron", ["", *PATRONS], ""),
        salience=table.number("salience", 0, 1, 1.0),
        civil_society=table.number("civil_society", 0, 1, 0.5),
        risk_factors=tuple(table.names("risk_factors", list(RISK_FACTORS), [])),
        neighbours=tuple(table.names("neighbours", None, [])),
        phase=table.choice("phase", ["", *names(Phase)], ""),
        severity=table.number("severity", 1, 1e4, 1.0),
    )
    table.done()
    return spec


def _body(table: Fields) -> BodySpec:
    spec = BodySpec(
        name=table.text("name"),
        kind=table.choice("kind", ["regional", "subregional"]),
        capacity=table.number("capacity", 0, 1),
        members=tuple(table.names("members")),
    )
    table.done()
    return spec


def parse_scenario(data: dict, file: str | Path) -> Scenario:
    """Validate a parsed scenario TOML document."""
    top = Fields(data, file, "")
    head = top.table("scenario")
    name = head.text("name")
    title = head.text("title", name)
    description = head.text("description", "")
    weeks = head.number("weeks", 1, MAX_WEEKS, 104, integer=True)
    head.done()

    params: dict[str, float] = {}
    warning = top.table("warning", {})
    for key, target in WARNING_KEYS.items():
        if key in warning.data:
            params[target] = check_param(file, warning.path(key), target, warning.data[key])
        warning.known.append(key)
    warning.data = {k: v for k, v in warning.data.items() if k not in WARNING_KEYS}
    warning.done()
    model = top.table("model", {})
    for key, value in model.rest().items():
        params[key] = check_param(file, model.path(key), key, value)

    state_tables = top.tables("states")
    if len(state_tables) > MAX_STATES:
        raise InputError(file, "states", f"{len(state_tables)} states", f"at most {MAX_STATES}")
    states = tuple(parse_state(t) for t in state_tables)
    bodies = tuple(_body(t) for t in top.tables("bodies")) if "bodies" in top.data else ()
    top.known.append("bodies")
    top.done()

    known = [s.name for s in states]
    if len(set(known)) != len(known):
        raise InputError(file, "states", "two states share a name", "unique names")
    for n, s in enumerate(states):
        for other in s.neighbours:
            if other not in known or other == s.name:
                raise InputError(file, f"states[{n}].neighbours", f"{other!r} is not another state", ", ".join(known))
        if s.severity != 1.0 and s.phase != "atrocity":
            raise InputError(file, f"states[{n}].severity", "only a state that starts in atrocity has a severity")
    degree = {s.name: set(s.neighbours) for s in states}
    for s in states:
        for other in s.neighbours:
            degree[other].add(s.name)
    for n, s in enumerate(states):
        if len(degree[s.name]) > MAX_NEIGHBOURS:
            raise InputError(
                file, f"states[{n}].neighbours", f"{len(degree[s.name])} borders", f"at most {MAX_NEIGHBOURS}"
            )
    for n, b in enumerate(bodies):
        for member in b.members:
            if member not in known:
                raise InputError(file, f"bodies[{n}].members", f"{member!r} is not a state", ", ".join(known))
    return Scenario(name, title, description, weeks, states, bodies, params, str(file))


def load_scenario(name_or_path: str | Path) -> Scenario:
    """Load and validate a shipped scenario (by name) or a scenario file (by path).

    Raises
    ------
    InputError
        With one line naming the file, the field and what is allowed.
    """
    path = resolve(name_or_path, "scenarios")
    return parse_scenario(read_toml(path), path)

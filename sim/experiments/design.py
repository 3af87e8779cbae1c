"""Experiment designs: scenarios x strategies x a grid of settings x replications, from TOML.

An experiment file has an ``[experiment]`` table (``name``, ``description``, ``seed``, ``reps``,
optional ``weeks``, ``scenarios``, ``strategies``) and an optional ``[grid]`` table whose keys
are dotted paths to any scenario or strategy field and whose values are lists::

    [grid]
    "strategy.pillar3.delay" = [0, 4, 8]            # every Pillar III instrument
    "strategy.instruments.mediation.trigger" = [0.3, 0.5]
    "strategy.veto_restraint" = [false, true]
    "scenario.warning.noise" = [0.04, 0.16]
    "scenario.model.shock_sd" = [0.02, 0.04]
    "scenario.states.Eastmarch.leadership" = ["resilient", "divided", "determined"]

Design points are the product of scenarios, strategies and grid values, in file order. Every
point uses the same root seed, so replication *r* sees the same shocks at every point (common
random numbers across the whole design).
"""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from sim.concepts import INSTRUMENT_NAMES, Pillar
from sim.config import Fields, InputError, read_toml, resolve
from sim.limits import MAX_REPS, MAX_SEED, MAX_WEEKS
from sim.parameters import STRATEGY_SWITCHES
from sim.scenario import WARNING_KEYS, Scenario, StateSpec, check_param, load_scenario, parse_state
from sim.strategy import Setting, Strategy, load_strategy, parse_setting

T = TypeVar("T")
MAX_POINTS = 100_000


@dataclass(frozen=True)
class DesignPoint:
    """One combination of scenario, strategy and grid settings."""

    index: int
    scenario: Scenario
    strategy: Strategy
    settings: tuple[tuple[str, object], ...]

    @property
    def label(self) -> str:
        """Short human-readable name, e.g. ``fragile_region | early_prevention | pillar3.delay=4``."""
        parts = [self.scenario.name, self.strategy.name]
        parts += [f"{key.split('.', 1)[1]}={value}" for key, value in self.settings]
        return " | ".join(parts)


@dataclass(frozen=True)
class Experiment:
    """A validated experiment design."""

    name: str
    description: str
    seed: int
    reps: int
    weeks: int | None
    scenarios: tuple[Scenario, ...]
    strategies: tuple[Strategy, ...]
    grid: tuple[tuple[str, tuple[object, ...]], ...]
    digest: str
    source: str = ""

    def points(self) -> list[DesignPoint]:
        """Every design point, numbered from 0 in file order."""
        keys = [key for key, _ in self.grid]
        combos = list(itertools.product(*(values for _, values in self.grid)))
        points = []
        for scenario, strategy, combo in itertools.product(self.scenarios, self.strategies, combos):
            for key, value in zip(keys, combo, strict=True):
                scenario, strategy = apply_setting(scenario, strategy, key, value, self.source)
            points.append(DesignPoint(len(points), scenario, strategy, tuple(zip(keys, combo, strict=True))))
        return points


def apply_setting(
    scenario: Scenario, strategy: Strategy, key: str, value: object, file: str | Path = "grid"
) -> tuple[Scenario, Strategy]:
    """Set the field a dotted ``key`` names to ``value``, checking it as the input files do.

    Raises
    ------
    InputError
        If the key names no field or the value is not allowed there.
    """
    where = f'grid."{key}"'
    parts = key.split(".")
    head, rest = parts[0], parts[1:]
    if head == "strategy" and len(rest) == 1 and rest[0] in STRATEGY_SWITCHES:
        return scenario, strategy.replace(**{rest[0]: Fields({key: value}, file, "grid").boolean(key)})
    if head == "strategy" and len(rest) == 2 and rest[0] in {f"pillar{int(p)}" for p in Pillar}:
        field = _setting_field(rest[1], value, file, where)
        return scenario, strategy.with_pillar(int(rest[0][-1]), **field)
    if head == "strategy" and len(rest) == 3 and rest[0] == "instruments" and rest[1] in INSTRUMENT_NAMES:
        field = _setting_field(rest[2], value, file, where)
        return scenario, strategy.with_instrument(rest[1], **field)
    if head == "scenario" and len(rest) == 2 and rest[0] == "warning" and rest[1] in WARNING_KEYS:
        return _with_param(scenario, WARNING_KEYS[rest[1]], value, file, where), strategy
    if head == "scenario" and len(rest) == 2 and rest[0] == "model":
        return _with_param(scenario, rest[1], value, file, where), strategy
    if head == "scenario" and len(rest) == 3 and rest[0] == "states":
        return _with_state(scenario, rest[1], rest[2], value, file, where), strategy
    allowed = (
        "strategy.veto_restraint, strategy.uniting_for_peace, strategy.pillarN.FIELD, "
        "strategy.instruments.NAME.FIELD, scenario.warning.KEY, scenario.model.PARAMETER, "
        "scenario.states.NAME.FIELD"
    )
    raise InputError(file, where, "names no scenario or strategy field", allowed)


def _with_param(scenario: Scenario, name: str, value: object, file: str | Path, where: str) -> Scenario:
    return scenario.replace(params={**scenario.params, name: check_param(file, where, name, value)})


STATE_FIELDS = tuple(f for f in StateSpec.__dataclass_fields__ if f not in {"name", "neighbours"})
"""State fields a grid may set (a state's name and borders tie it to the rest of the scenario)."""


class _GridFields(Fields):
    """:class:`Fields` whose errors name the grid key rather than a field of a table."""

    def __init__(self, data: dict, file: str | Path, where: str) -> None:
        super().__init__(data, file, "")
        self.grid_key = where

    def path(self, key: str) -> str:
        return self.grid_key


def _setting_field(field: str, value: object, file: str | Path, where: str) -> dict[str, object]:
    if field not in Setting.__dataclass_fields__:
        allowed = ", ".join(Setting.__dataclass_fields__)
        raise InputError(file, where, f"{field!r} is not an instrument setting", allowed)
    parsed = parse_setting(_GridFields({field: value}, file, where), Setting())
    return {field: getattr(parsed, field)}


def _with_state(scenario: Scenario, name: str, field: str, value: object, file: str | Path, where: str) -> Scenario:
    """Set one field of state ``name``, checked by the same rules as a scenario's ``[[states]]``."""
    if name not in scenario.state_names:
        raise InputError(
            file, where, f"scenario {scenario.name!r} has no state {name!r}", ", ".join(scenario.state_names)
        )
    if field not in STATE_FIELDS:
        raise InputError(file, where, f"{field!r} is not a state field a grid can set", ", ".join(STATE_FIELDS))
    state = next(s for s in scenario.states if s.name == name)
    data = {key: list(v) if isinstance(v, tuple) else v for key, v in dataclasses.asdict(state).items()}
    data[field] = value
    checked = parse_state(_GridFields(data, file, where))
    if checked.severity != 1.0 and checked.phase != "atrocity":
        raise InputError(file, where, "only a state that starts in atrocity has a severity", 'phase = "atrocity"')
    return scenario.with_state(name, **{field: getattr(checked, field)})


_OTHER_KINDS = (
    ("sensitivity", "a sensitivity analysis", "r2p sensitivity FILE"),
    ("validation", "the validation of the stylised facts", "r2p validate"),
    ("calibration", "the calibration of the historical episodes", "r2p calibrate"),
)
"""Top-level tables of the other files in ``experiments/``, what they are and the command that runs them."""


def parse_experiment(data: dict, file: str | Path, text: bytes) -> Experiment:
    """Validate a parsed experiment TOML document (``text`` is the file's bytes, for its digest)."""
    if "experiment" not in data:
        for kind, what, command in _OTHER_KINDS:
            if kind in data:
                raise InputError(file, "", f"is {what}, not an experiment design", command)
    top = Fields(data, file, "")
    head = top.table("experiment")
    name = head.text("name")
    description = head.text("description", "")
    seed = head.number("seed", 0, MAX_SEED, integer=True)
    reps = head.number("reps", 1, MAX_REPS, integer=True)
    weeks = head.number("weeks", 1, MAX_WEEKS, integer=True) if "weeks" in head.data else None
    scenario_names = head.names("scenarios")
    strategy_names = head.names("strategies")
    head.done()
    if not scenario_names or not strategy_names:
        raise InputError(file, "experiment.scenarios", "needs at least one scenario and one strategy")
    scenarios = tuple(load_named(load_scenario, n, file, "experiment.scenarios") for n in scenario_names)
    strategies = tuple(load_named(load_strategy, n, file, "experiment.strategies") for n in strategy_names)

    grid_table = top.table("grid", {})
    grid = []
    for key, values in grid_table.rest().items():
        if not isinstance(values, list) or not values:
            raise InputError(file, f'grid."{key}"', "expected a non-empty list of values")
        for value in values:
            for scenario in scenarios:
                apply_setting(scenario, strategies[0], key, value, file)
        grid.append((key, tuple(values)))
    top.done()
    count = len(scenarios) * len(strategies)
    for _, values in grid:
        count *= len(values)
    if count > MAX_POINTS:
        raise InputError(file, "grid", f"{count} design points", f"at most {MAX_POINTS}")
    digest = hashlib.sha256(text).hexdigest()
    return Experiment(name, description, seed, reps, weeks, scenarios, strategies, tuple(grid), digest, str(file))


def load_named(loader: Callable[[str], T], name: str, file: str | Path, where: str) -> T:
    """``loader(name)``, its error re-told as one about field ``where`` of ``file``."""
    try:
        return loader(name)
    except InputError as error:
        raise InputError(file, where, str(error)) from None


def load_file(parse: Callable[[dict, Path, bytes], T], name_or_path: str | Path) -> T:
    """Find a file of ``experiments/`` by name (or take a path), read it and validate it with
    ``parse``, which gets the parsed TOML, the path and the file's bytes (for its digest).

    Raises
    ------
    InputError
        With one line naming the file, the field and what is allowed.
    """
    path = resolve(name_or_path, "experiments")
    return parse(read_toml(path), path, path.read_bytes())


def load_experiment(name_or_path: str | Path) -> Experiment:
    """Load and validate a shipped experiment (by name) or an experiment file (by path); see
    :func:`load_file`."""
    return load_file(parse_experiment, name_or_path)

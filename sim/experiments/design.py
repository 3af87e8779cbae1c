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

An optional ``[uncertain]`` table gives inputs to sample rather than list, with ``samples`` and
``sampler = "latin_hypercube"`` in ``[experiment]`` (see :mod:`sim.experiments.sampling`)::

    [uncertain]
    "scenario.model.shock_sd" = { low = 0.02, high = 0.04 }
    "scenario.states.Eastmarch.leadership" = { values = ["divided", "determined"] }

``sampler`` may also be ``"sobol"`` (scrambled; ``samples`` a power of 2) or
``"full_factorial"`` (every combination of ``levels = K`` values per input, no ``samples``).

An optional ``[levers]`` table, of the same form but with strategy keys only, gives the choices
of the responders: ``policies = M`` settings of them are sampled by the same sampler from a seed
derived from the root seed (:func:`lever_seed`), and every policy meets every sample of
``[uncertain]`` (the same futures)::

    [levers]
    "strategy.pillar3.delay" = { low = 0, high = 12 }

Design points are the product of scenarios, strategies, grid values, policies and samples, in
file order. Every point uses the same root seed, so replication *r* sees the same shocks at every
point (common random numbers across the whole design). Keys are looked up in
:mod:`sim.schema.registry`, which also checks their values.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from sim.config import InputError, read_toml, resolve
from sim.experiments.sampling import Uncertain, design_size, sample
from sim.posterior import Posterior
from sim.scenario import Scenario, load_scenario
from sim.schema.experiment import MAX_POINTS, ExperimentFile, UncertainInput
from sim.schema.registry import lookup
from sim.schema.rules import validate
from sim.strategy import Strategy, load_strategy

T = TypeVar("T")


@dataclass(frozen=True)
class DesignPoint:
    """One combination of scenario, strategy, grid settings and sampled values."""

    index: int
    scenario: Scenario
    strategy: Strategy
    settings: tuple[tuple[str, object], ...]
    posterior: Posterior | None = None
    """Parameter uncertainty of the point's runs (``r2p sweep --posterior``), if any."""

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
    uncertain: tuple[Uncertain, ...] = ()
    samples: int = 0
    sampler: str = "latin_hypercube"
    levels: int = 0
    levers: tuple[Uncertain, ...] = ()
    policies: int = 0

    def points(self) -> list[DesignPoint]:
        """Every design point, numbered from 0 in file order (the policies, then the samples innermost)."""
        keys = [key for key, _ in self.grid]
        combos = list(itertools.product(*(values for _, values in self.grid)))
        draws = sample(self.uncertain, self.sampler, self.samples, self.levels, self.seed)
        policies = sample(self.levers, self.sampler, self.policies, self.levels, lever_seed(self.seed))
        points = []
        product = itertools.product(self.scenarios, self.strategies, combos, policies, draws)
        for scenario, strategy, combo, policy, draw in product:
            settings = (*zip(keys, combo, strict=True), *policy, *draw)
            for key, value in settings:
                scenario, strategy = apply_setting(scenario, strategy, key, value, self.source)
            points.append(DesignPoint(len(points), scenario, strategy, settings))
        return points

    def inputs(self) -> dict[str, dict[str, dict[str, object]]]:
        """The sampled inputs, split ``{"uncertain": {key: range}, "levers": {key: range}}``; a
        range is ``{"low", "high", "integer"}`` or ``{"values"}`` (for the manifest: the columns of
        ``design.csv`` that hold each point's sampled values)."""
        return {
            "uncertain": {i.key: i.described() for i in self.uncertain},
            "levers": {i.key: i.described() for i in self.levers},
        }


def lever_seed(seed: int) -> int:
    """The seed of the lever samples, derived from the root seed (so that the policies are not
    the same points of the unit cube as the futures)."""
    return int.from_bytes(hashlib.sha256(f"r2p levers {seed}".encode()).digest()[:8], "big") >> 1


def apply_setting(
    scenario: Scenario, strategy: Strategy, key: str, value: object, file: str | Path = "grid"
) -> tuple[Scenario, Strategy]:
    """Set the field a dotted ``key`` names to ``value``, checking it as the input files do (see
    :func:`sim.schema.registry.lookup`).

    Raises
    ------
    InputError
        If the key names no field or the value is not allowed there.
    """
    return lookup(key, file).apply(scenario, strategy, value, file)


_OTHER_KINDS = (
    ("sensitivity", "a sensitivity analysis", "r2p sensitivity FILE"),
    ("validation", "the validation of the stylised facts", "r2p validate"),
    ("calibration", "the calibration of the historical episodes", "r2p calibrate"),
    ("fit", "a Bayesian fit of model parameters", "r2p fit"),
    ("optimize", "a robust search over strategy levers", "r2p optimize FILE"),
)
"""Top-level tables of the other files in ``experiments/``, what they are and the command that runs them."""


def uncertain_input(key: str, table: UncertainInput, scenarios: tuple[Scenario, ...], strategy: Strategy,
                    file: str | Path, section: str = "uncertain") -> Uncertain:  # fmt: skip
    """One ``[uncertain]`` (or ``[levers]``: ``section``) input, its key and every value it can
    take checked on every scenario."""
    where = f'{section}."{key}"'
    field = lookup(key, file, where)
    if table.values is not None:
        ends, item = table.values, Uncertain(key, values=table.values)
    elif field.numeric:
        low, high = field.range_ends(table.low, table.high, file, where)
        ends, item = (low, high), Uncertain(key, float(low), float(high), field.integer)
    else:
        raise InputError(file, where, f"{key!r} takes no numbers", "values = [...]")
    for value in ends:
        for scenario in scenarios:
            field.apply(scenario, strategy, value, file, where)
    return item


def parse_experiment(data: dict, file: str | Path, text: bytes) -> Experiment:
    """Validate a parsed experiment TOML document (``text`` is the file's bytes, for its digest)."""
    if "experiment" not in data:
        for kind, what, command in _OTHER_KINDS:
            if kind in data:
                raise InputError(file, "", f"is {what}, not an experiment design", command)
    checked = validate(ExperimentFile, data, file)
    head = checked.experiment
    scenarios = tuple(load_named(load_scenario, n, file, "experiment.scenarios") for n in head.scenarios)
    strategies = tuple(load_named(load_strategy, n, file, "experiment.strategies") for n in head.strategies)
    grid = []
    for key, values in checked.grid.items():
        field = lookup(key, file)
        for value in values:
            for scenario in scenarios:
                field.apply(scenario, strategies[0], value, file)
        grid.append((key, values))
    uncertain = tuple(uncertain_input(k, t, scenarios, strategies[0], file) for k, t in checked.uncertain.items())
    levers = tuple(uncertain_input(k, t, scenarios, strategies[0], file, "levers") for k, t in checked.levers.items())
    samples, policies, levels = head.samples or 0, head.policies or 0, head.levels or 0
    count = len(scenarios) * len(strategies) * design_size(uncertain, head.sampler, samples, levels)
    count *= design_size(levers, head.sampler, policies, levels)
    for _, values in grid:
        count *= len(values)
    if count > MAX_POINTS:
        raise InputError(file, "grid", f"{count} design points", f"at most {MAX_POINTS}")
    digest = hashlib.sha256(text).hexdigest()
    return Experiment(head.name, head.description, head.seed, head.reps, head.weeks, scenarios, strategies,
                      tuple(grid), digest, str(file), uncertain, samples, head.sampler, levels, levers,
                      policies)  # fmt: skip


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

"""The simulator as an EMA Workbench model: uncertainties, levers and outcomes from the field registry.

:func:`ema_model` builds an ``ema_workbench.Model`` whose uncertainties and levers are dotted keys
of :mod:`sim.schema.registry` (``scenario.warning.noise``, ``strategy.pillar3.delay``, ...), each
with a range or a list of values written as in an experiment's ``[uncertain]`` table, and whose
outcomes are statistics over replications of the outcome columns (``deaths_mean``,
``cost_p90``). An EMA user then runs ``perform_experiments``, ``Prim`` and ``optimize`` on it with
EMA's own samplers and evaluators::

    from ema_workbench import SequentialEvaluator, perform_experiments
    from sim.ema import ema_model

    model = ema_model("fragile_region", "early_prevention",
                      uncertainties={"scenario.warning.noise": {"low": 0.04, "high": 0.2}},
                      levers={"strategy.pillar3.delay": {"low": 0, "high": 26}}, reps=200)
    experiments, outcomes = perform_experiments(model, scenarios=50, policies=4,
                                                evaluator=SequentialEvaluator(model))

Every experiment runs the same replications ``0 .. reps - 1`` of the root ``seed`` through the
project's runner (:func:`sim.experiments.runner.outcomes`): common random numbers across
experiments, and the numbers ``r2p sweep`` gives for the same settings. The model function is a
:class:`Simulation`, a picklable dataclass, so EMA's ``MultiprocessingEvaluator`` can ship it to
its worker processes; start them with ``spawn`` (``multiprocessing.set_start_method("spawn")``),
since processes forked from one that has run the Numba kernel can hang in its thread pool.

EMA parameter types follow the field: a range over a whole-number field is an
``IntegerParameter``, over any other number a ``RealParameter``; a list of ``values`` is a
``BooleanParameter`` for ``[false, true]`` on a true/false field and a ``CategoricalParameter``
otherwise. EMA 3's ``optimize`` cannot decode boolean or categorical levers; with
``integer_choices=True`` they become ``IntegerParameter`` indices into their values instead. An
EMA name is the dotted key with underscores for dots (``strategy_pillar3_delay``). Inputs an
experiment does not set (the levers of ``perform_experiments(model, scenarios=N)``) keep the
scenario's and strategy's own values.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ema_workbench
import numpy as np
import pandas as pd

from sim.config import InputError, quote
from sim.experiments.design import DesignPoint, apply_setting, uncertain_input
from sim.experiments.runner import outcomes as run_outcomes
from sim.experiments.sampling import Uncertain
from sim.outcome_columns import OUTCOMES
from sim.scenario import Scenario
from sim.schema.experiment import UncertainInput
from sim.schema.registry import lookup
from sim.schema.rules import validate
from sim.simulate import check_run, load_inputs
from sim.strategy import Strategy

FILE = "ema_model"
"""The "file" that error messages about the arguments of :func:`ema_model` name."""

STATISTICS: dict[str, Callable[[np.ndarray], float]] = {
    "mean": np.mean,
    "median": np.median,
    "std": lambda values: np.std(values, ddof=1) if len(values) > 1 else np.nan,
    "min": np.min,
    "max": np.max,
}
"""Statistics over replications by name; ``pNN`` (``p5``, ``p90``) is the NN-th percentile too."""

_PERCENTILE = re.compile(r"p([1-9][0-9]?)")
_ALLOWED_STATISTICS = f"{', '.join(STATISTICS)}, p1 .. p99"


def statistic(name: str, values: np.ndarray) -> float:
    """Statistic ``name`` of :data:`STATISTICS` (or percentile ``pNN``) of the present ``values``
    (NaN marks a week that never came: an outcome that did not happen); NaN if none is present."""
    present = values[~np.isnan(values)]
    if not len(present):
        return float("nan")
    percentile = _PERCENTILE.fullmatch(name)
    if percentile:
        return float(np.quantile(present, int(percentile.group(1)) / 100))
    return float(STATISTICS[name](present))


def outcome_values(table: pd.DataFrame, outcome: str) -> np.ndarray:
    """An outcome column of a run's table as floats (yes/no as 0/1, never as NaN)."""
    return table[outcome].to_numpy(dtype=np.float64, na_value=np.nan)


@dataclass(frozen=True)
class Input:
    """One EMA parameter: its EMA ``name``, the dotted ``key`` it sets and, for an integer index
    standing for a list of values (``integer_choices``), those ``values``."""

    name: str
    key: str
    values: tuple[Any, ...] = ()

    def value(self, given: Any) -> Any:
        """The field value for the value EMA gives (a NumPy scalar as the Python value)."""
        plain = given.item() if isinstance(given, np.generic) else given
        return self.values[int(plain)] if self.values else plain


@dataclass(frozen=True)
class Simulation:
    """The model function EMA calls: the scenario and strategy with the inputs given as keyword
    arguments (by EMA name) applied, run for ``reps`` replications of ``seed``; returns each
    ``(outcome, statistic)`` as ``{outcome}_{statistic}``."""

    scenario: Scenario
    strategy: Strategy
    inputs: tuple[Input, ...]
    outcomes: tuple[tuple[str, str], ...]
    reps: int
    seed: int
    weeks: int | None = None

    def settings(self, values: Mapping[str, Any]) -> tuple[tuple[str, Any], ...]:
        """The dotted keys and field values of the inputs EMA gives by name.

        Raises
        ------
        InputError
            If a name is not one of the model's inputs.
        """
        by_name = {i.name: i for i in self.inputs}
        unknown = sorted(set(values) - set(by_name))
        if unknown:
            raise InputError(FILE, "inputs", f"{quote(unknown[0])} is not an input of the model", ", ".join(by_name))
        return tuple((i.key, i.value(values[i.name])) for i in self.inputs if i.name in values)

    def run(self, values: Mapping[str, Any]) -> pd.DataFrame:
        """The outcome table (one row per replication) of the inputs EMA gives by name."""
        settings = self.settings(values)
        scenario, strategy = self.scenario, self.strategy
        for key, value in settings:
            scenario, strategy = apply_setting(scenario, strategy, key, value, FILE)
        return run_outcomes(DesignPoint(0, scenario, strategy, settings), 0, self.reps, self.seed, self.weeks)

    def __call__(self, **values: Any) -> dict[str, float]:
        table = self.run(values)
        return {f"{o}_{s}": statistic(s, outcome_values(table, o)) for o, s in self.outcomes}


def ema_name(key: str) -> str:
    """The EMA parameter name of a dotted key: ``strategy.pillar3.delay`` -> ``strategy_pillar3_delay``."""
    return key.replace(".", "_")


def _inputs(
    given: Mapping[str, Mapping[str, Any]], scenario: Scenario, strategy: Strategy, file: str
) -> list[Uncertain]:
    """Each ``key: {low, high}`` or ``key: {values}`` of ``given``, checked as an ``[uncertain]`` input."""
    if not isinstance(given, Mapping):
        raise InputError(file, "", f"expected a mapping of dotted keys, got {quote(given)}",
                         '{"scenario.warning.noise": {"low": 0.04, "high": 0.2}}')  # fmt: skip
    items = []
    for key, table in given.items():
        data = dict(table) if isinstance(table, Mapping) else table
        if isinstance(data, dict) and isinstance(data.get("values"), tuple):
            data["values"] = list(data["values"])  # the TOML reader gives lists
        checked = validate(UncertainInput, data, file, f'uncertain."{key}"')
        item = uncertain_input(key, checked, (scenario,), strategy, file)
        if item.values and len(set(item.values)) < 2:
            raise InputError(file, f'uncertain."{key}".values', f"{quote(list(item.values))} has one value",
                             "at least two different values")  # fmt: skip
        items.append(item)
    return items


def _parameter(item: Uncertain, integer_choices: bool) -> tuple[Any, Input]:
    """The EMA parameter of an input, and how to read the value EMA gives back."""
    name = ema_name(item.key)
    if item.values and integer_choices:
        return ema_workbench.IntegerParameter(name, 0, len(item.values) - 1), Input(name, item.key, item.values)
    if item.values and lookup(item.key).boolean and sorted(item.values) == [False, True]:
        return ema_workbench.BooleanParameter(name), Input(name, item.key)
    if item.values:
        return ema_workbench.CategoricalParameter(name, list(item.values)), Input(name, item.key)
    if item.integer:
        return ema_workbench.IntegerParameter(name, int(item.low), int(item.high)), Input(name, item.key)
    return ema_workbench.RealParameter(name, item.low, item.high), Input(name, item.key)


def _outcomes(outcomes: Sequence[str], statistics: Sequence[str]) -> tuple[tuple[str, str], ...]:
    for outcome in outcomes:
        if outcome not in OUTCOMES:
            raise InputError(FILE, "outcomes", f"{quote(outcome)} is not an outcome", ", ".join(OUTCOMES))
    for name in statistics:
        if not isinstance(name, str) or not (name in STATISTICS or _PERCENTILE.fullmatch(name)):
            raise InputError(FILE, "statistics", f"{quote(name)} is not a statistic", _ALLOWED_STATISTICS)
    if not outcomes or not statistics:
        raise InputError(FILE, "outcomes" if not outcomes else "statistics", "is empty", "at least one")
    return tuple(dict.fromkeys((o, s) for o in outcomes for s in statistics))


def ema_model(
    scenario: Scenario | str | Path,
    strategy: Strategy | str | Path,
    *,
    uncertainties: Mapping[str, Mapping[str, Any]] | None = None,
    levers: Mapping[str, Mapping[str, Any]] | None = None,
    outcomes: Sequence[str] = ("deaths", "cost"),
    statistics: Sequence[str] = ("mean",),
    reps: int = 100,
    seed: int = 0,
    weeks: int | None = None,
    name: str = "r2p",
    integer_choices: bool = False,
) -> ema_workbench.Model:
    """An EMA Workbench ``Model`` of a scenario under a strategy.

    Parameters
    ----------
    scenario, strategy
        Loaded objects, shipped names or paths to TOML files.
    uncertainties, levers
        Dotted keys (:mod:`sim.schema.registry`) mapped to ``{"low": A, "high": B}`` or
        ``{"values": [...]}``, as in an experiment's ``[uncertain]`` table; every end and value is
        checked on the scenario and strategy.
    outcomes
        Outcome columns (:data:`sim.outcome_columns.OUTCOMES`).
    statistics
        Statistics over the replications (:data:`STATISTICS` or ``pNN``); one EMA outcome
        ``{outcome}_{statistic}`` per pair, each to be minimised by ``optimize``.
    reps, seed, weeks
        Replications per experiment, root seed (the same replications in every experiment) and
        horizon (default: the scenario's).
    name
        The EMA model name (letters and digits, a letter first).
    integer_choices
        Boolean and categorical inputs as ``IntegerParameter`` indices into their values (what EMA
        3's ``optimize`` can search over).

    Raises
    ------
    InputError
        One line naming the argument, the key or field and what is allowed.
    """
    check_run(reps, seed, weeks=weeks, file=FILE)
    if not (isinstance(name, str) and name.isalnum() and name.isidentifier()):
        raise InputError(FILE, "name", f"{quote(name)} is not allowed", "letters and digits, a letter first")
    scenario, strategy = load_inputs(scenario, strategy)
    pairs = _outcomes(outcomes, statistics)
    groups = {}
    for kind, given in (("uncertainties", uncertainties or {}), ("levers", levers or {})):
        groups[kind] = [_parameter(i, integer_choices) for i in _inputs(given, scenario, strategy, f"{FILE}({kind})")]
    built = [*groups["uncertainties"], *groups["levers"]]
    taken: dict[str, str] = {}
    for _, item in built:
        if item.name in taken:
            raise InputError(FILE, item.key, f"has the EMA name {item.name} of {taken[item.name]}",
                             "each key once, among uncertainties and levers")  # fmt: skip
        taken[item.name] = item.key
    function = Simulation(scenario, strategy, tuple(i for _, i in built), pairs, reps, seed, weeks)
    model = ema_workbench.Model(name, function=function)
    model.uncertainties = [p for p, _ in groups["uncertainties"]]
    model.levers = [p for p, _ in groups["levers"]]
    model.outcomes = [ema_workbench.ScalarOutcome(f"{o}_{s}", kind=ema_workbench.ScalarOutcome.MINIMIZE)
                      for o, s in pairs]  # fmt: skip
    return model

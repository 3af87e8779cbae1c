"""Mutated files of ``experiments/``: experiment designs and sensitivity analyses refused in one line
or simulated with sound outcomes; validation and calibration files refused in one line or loaded
(their runs take thousands of replications, beyond this suite's budget; see ``fuzzing.BUDGETS``)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

import pytest
from fuzzing import BUDGETS, REPS, Fuzzer, check_outcomes, experiment_documents, horizon, refused, variants

from sim.experiments.calibration import load_calibration
from sim.experiments.design import DesignPoint, load_experiment
from sim.experiments.sensitivity import load_sensitivity
from sim.experiments.validation import load_validation
from sim.schema.registry import lookup
from sim.simulate import simulate

DESIGNS = experiment_documents("experiment")
SENSITIVITY = experiment_documents("sensitivity")


def check_point(point: DesignPoint, weeks: int | None, seed: int) -> None:
    """One design point simulated with sound outcomes."""
    table = simulate(point.scenario, point.strategy, REPS, seed, weeks=horizon(weeks, point.scenario))
    check_outcomes(table, point.scenario)


def check_design(path: Path) -> None:
    """Refused in one line, or its last design point (every grid key at its last value) simulated with
    sound outcomes."""
    experiment = refused(load_experiment, path)
    if experiment is not None:
        check_point(experiment.points()[-1], experiment.weeks, experiment.seed)


def check_sensitivity(path: Path) -> None:
    """Refused in one line, or simulated with every uncertain input at its low end, then its high end."""
    analysis = refused(load_sensitivity, path)
    if analysis is None:
        return
    for end in ("low", "high"):
        scenario, strategy = analysis.scenario, analysis.strategy
        for item in analysis.inputs:
            value = getattr(item, end)
            field = lookup(item.key, path)
            scenario, strategy = field.apply(scenario, strategy, int(value) if item.integer else value, path)
        table = simulate(scenario, strategy, REPS, analysis.seed, weeks=horizon(None, scenario))
        check_outcomes(table, scenario)


@pytest.mark.parametrize("name", sorted(DESIGNS))
def test_mutated_design(name: str, fuzz_folder: Path) -> None:
    fuzzer = Fuzzer(fuzz_folder, f"experiment-{name}")
    fuzzer.run(variants(DESIGNS[name]), check_design, BUDGETS["experiment"])


@pytest.mark.parametrize("name", sorted(SENSITIVITY))
def test_mutated_sensitivity(name: str, fuzz_folder: Path) -> None:
    fuzzer = Fuzzer(fuzz_folder, f"sensitivity-{name}")
    fuzzer.run(variants(SENSITIVITY[name]), check_sensitivity, BUDGETS["sensitivity"])


@pytest.mark.parametrize(("kind", "load"), [("validation", load_validation), ("calibration", load_calibration)])
def test_mutated_run_file(kind: str, load: Callable[[Path], object], fuzz_folder: Path) -> None:
    (name, base), *_ = experiment_documents(kind).items()
    fuzzer = Fuzzer(fuzz_folder, f"{kind}-{name}")
    fuzzer.run(variants(base), partial(refused, load), BUDGETS[kind])

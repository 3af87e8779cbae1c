"""Benchmark of the EMA Workbench route: what does driving the model through ``sim.ema`` cost?

    python benchmarks/ema.py            # 100 experiments of 200 replications (about a minute on 2 cores)
    python benchmarks/ema.py --quick    # 10 experiments of 50 replications

The same experiments (Latin hypercube samples of four uncertain inputs of ``fragile_region`` under
``early_prevention``) run three ways: EMA's ``perform_experiments`` with ``SequentialEvaluator``
on the model of :func:`sim.ema.ema_model`; the project's runner (:func:`sim.experiments.runner.evaluate`,
which also writes each point's replications to Parquet); and a bare loop over the runner's measure
(:func:`sim.experiments.runner.outcomes`, what the EMA model function calls), the floor. The EMA
overhead per experiment is its time minus the floor's, divided by the experiments; on a shared
machine that difference is within the noise, so EMA's own bookkeeping is also timed alone, with a
model function that simulates nothing. With
``--processes N`` (default 2, 0 to skip) EMA's ``MultiprocessingEvaluator`` runs them too, in N
worker processes started with ``spawn``, the start method ``sim.ema`` asks for; its time includes
starting the workers (each loads the compiled kernel from the Numba cache). Compilation is
excluded: a warm-up run loads the kernel first.
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import ema_workbench
import pandas as pd

import sim
from sim.ema import ema_model
from sim.experiments import ema_versions
from sim.experiments.design import DesignPoint, apply_setting
from sim.experiments.runner import evaluate
from sim.experiments.runner import outcomes as measure

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the sibling module, however this file is run
from measure import best_of, progress

SCENARIO, STRATEGY, SEED = "fragile_region", "early_prevention", 0
UNCERTAINTIES = {
    "scenario.warning.noise": {"low": 0.02, "high": 0.3},
    "scenario.warning.selectivity": {"low": 0.0, "high": 0.8},
    "scenario.model.shock_sd": {"low": 0.02, "high": 0.06},
    "scenario.states.Eastmarch.leadership": {"values": ["resilient", "divided", "determined"]},
}


@dataclass(frozen=True)
class Row:
    """One row of the table: what was measured and its value."""

    label: str
    value: str


def _points(model: ema_workbench.Model, experiments: pd.DataFrame) -> list[DesignPoint]:
    """The design points of EMA's experiments table, for the project's runner."""
    scenario, strategy = sim.load_scenario(SCENARIO), sim.load_strategy(STRATEGY)
    points = []
    for _, row in experiments.iterrows():
        settings = model.function.settings({i.name: row[i.name] for i in model.function.inputs})
        case = (scenario, strategy)
        for key, value in settings:
            case = apply_setting(*case, key, value)
        points.append(DesignPoint(len(points), *case, settings))
    return points


def _constant(**values: object) -> dict[str, float]:
    """A model function that simulates nothing: what EMA's own bookkeeping costs."""
    return {"deaths_mean": 0.0, "cost_mean": 0.0}


def _timed(run: Callable[[], object]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def main(argv: Sequence[str] | None = None) -> list[Row]:
    """Measure, print the table (and write it to ``--out``); the rows."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10 experiments of 50 replications")
    parser.add_argument("--experiments", type=int, help="experiments (default 100, quick 10)")
    parser.add_argument("--reps", type=int, help="replications per experiment (default 200, quick 50)")
    parser.add_argument("--repeats", type=int, default=3, help="repeats of the in-process measurements (best kept)")
    parser.add_argument("--processes", type=int, default=2, help="MultiprocessingEvaluator workers (0: skip)")
    parser.add_argument("--out", type=Path, help="also write the Markdown table here")
    args = parser.parse_args(argv)
    n = args.experiments or (10 if args.quick else 100)
    reps = args.reps or (50 if args.quick else 200)

    model = ema_model(SCENARIO, STRATEGY, uncertainties=UNCERTAINTIES, reps=reps, seed=SEED)
    progress("warm-up (loads the compiled kernel)")
    sim.simulate(SCENARIO, STRATEGY, reps=2)
    evaluator = ema_workbench.SequentialEvaluator(model)
    experiments, _ = ema_versions.perform_experiments(model, n, evaluator=evaluator, seed=SEED)
    points = _points(model, experiments)

    def through_ema() -> float:
        return _timed(lambda: ema_versions.perform_experiments(model, n, evaluator=evaluator, seed=SEED))

    def through_runner() -> float:
        with tempfile.TemporaryDirectory(prefix="r2p-bench-ema-") as folder:
            return _timed(lambda: evaluate(points, reps, SEED, Path(folder) / "run", identity={"benchmark": "ema"},
                                           progress=False))  # fmt: skip

    bookkeeping = ema_workbench.Model("bookkeeping", function=_constant)
    bookkeeping.uncertainties = list(model.uncertainties)
    bookkeeping.outcomes = list(model.outcomes)
    quiet = ema_workbench.SequentialEvaluator(bookkeeping)

    def ema_alone() -> float:
        return _timed(lambda: ema_versions.perform_experiments(bookkeeping, n, evaluator=quiet, seed=SEED))

    def bare() -> float:
        return _timed(lambda: [measure(p, 0, reps, SEED, None) for p in points])

    progress(f"{n} experiments of {reps} replications, three ways, best of {args.repeats}")
    best = best_of(args.repeats, {"ema": through_ema, "runner": through_runner, "bare": bare, "alone": ema_alone})
    per = {name: seconds / n * 1000 for name, seconds in best.items()}
    rows = [
        Row(f"EMA `perform_experiments`, SequentialEvaluator: time per experiment ({reps} replications)",
            f"{per['ema']:.1f} ms"),
        Row("project runner (`evaluate`, Parquet chunks): time per experiment", f"{per['runner']:.1f} ms"),
        Row("runner's measure in a loop (the floor): time per experiment", f"{per['bare']:.1f} ms"),
        Row("**EMA overhead per experiment (EMA - floor)**", f"{per['ema'] - per['bare']:.2f} ms"),
        Row("EMA's bookkeeping alone (the same experiments, a model function that simulates nothing)",
            f"{per['alone']:.2f} ms"),
    ]  # fmt: skip
    if args.processes:
        progress(f"MultiprocessingEvaluator, {args.processes} processes (spawn)")
        multiprocessing.set_start_method("spawn", force=True)
        start = time.perf_counter()
        with ema_workbench.MultiprocessingEvaluator(model, n_processes=args.processes) as pool:
            parallel = ema_versions.perform_experiments(model, n, evaluator=pool, seed=SEED)[1]
        wall = time.perf_counter() - start
        sequential = ema_versions.perform_experiments(model, n, evaluator=evaluator, seed=SEED)[1]
        same = all((parallel[k] == sequential[k]).all() for k in sequential)
        rows.append(Row(f"EMA MultiprocessingEvaluator, {args.processes} processes (spawn, start included): "
                        f"time per experiment; same numbers as sequential: {'yes' if same else 'NO'}",
                        f"{wall / n * 1000:.1f} ms"))  # fmt: skip
    table = "\n".join(
        ["| EMA Workbench route | result |", "| --- | --- |", *(f"| {r.label} | {r.value} |" for r in rows)]
    )
    versions = f"\n\nEMA Workbench {ema_workbench.__version__}, Python {sys.version.split()[0]}; {n} experiments.\n"
    print(table + versions)
    if args.out:
        args.out.write_text(table + versions)
    return rows


if __name__ == "__main__":
    main()

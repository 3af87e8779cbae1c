"""Benchmarks of experiments at scale: memory, workers, Dask and common random numbers.

    python benchmarks/sweeps.py             # full run (about 15 minutes on 2 cores)
    python benchmarks/sweeps.py --quick     # small sizes, about a minute
    python benchmarks/run.py                # everything, this included

What it measures:

1. Memory: ``r2p sweep`` of a one-point experiment (``fragile_region`` under ``no_response``)
   in a fresh process at 10^5, 10^6 and 10^7 replications; the peak resident set size of that
   process (``ru_maxrss`` from ``wait4``), its wall time and the size of the results folder.
   Memory must stay flat in the number of replications.
2. Workers: the same sweep (``intervention_timing`` at reduced replications) in-process on 1 and
   on 2 Numba threads, taking turns; the best of ``--repeats``.
3. Dask: the same sweep on a Dask ``LocalCluster`` already running on this machine, with two
   one-thread workers (each Numba kernel on one thread), against in-process on 2 threads,
   taking turns; the cluster's start-up is reported apart.
4. Common random numbers: the 95 % CI half-width of a difference in mean outcome between two
   strategies, paired (both on replications 0..n-1) and independent (the second strategy on
   replications n..2n-1), at equal replications, for three comparisons.
"""

from __future__ import annotations

import argparse
import math
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import sim.jit  # before Numba: it sets Numba's cache folder and switches SVML off

# isort: split
import numba
import numpy as np

import sim
from sim.experiments.design import Experiment, load_experiment
from sim.experiments.statistics import Z95
from sim.experiments.sweep import sweep

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the sibling module, however this file is run
from measure import best_of, progress

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class SweepConfig:
    """Sizes of one run of the experiment benchmarks."""

    memory_reps: tuple[int, ...] = (100_000, 1_000_000, 10_000_000)
    """Replications of the one-point sweeps whose peak memory is measured."""
    sweep_reps: int = 5_000
    """Replications per design point of ``intervention_timing`` for workers and Dask."""
    crn_reps: int = 20_000
    """Replications per strategy for the common-random-numbers comparison."""
    repeats: int = 3
    """Times each side-by-side measurement is repeated (the fastest counts)."""
    seed: int = 0


FULL = SweepConfig()
QUICK = SweepConfig(memory_reps=(10_000, 100_000), sweep_reps=500, crn_reps=2_000, repeats=2)


@dataclass(frozen=True)
class Measurement:
    """One line of the results table."""

    label: str
    value: str
    target: str = ""


COMPARISONS = (
    ("three_pillar_flexible vs no_response", "fragile_region", "three_pillar_flexible", "no_response"),
    ("reactive_coercion, Pillar III delay 8 vs 0 weeks", "fragile_region", "reactive_coercion@8", "reactive_coercion"),
    ("reactive_coercion with vs without veto restraint", "syria_2011", "reactive_coercion+veto_restraint",
     "reactive_coercion"),
)  # fmt: skip
"""(label, scenario, strategy, baseline); ``NAME@D`` delays the strategy's Pillar III by D weeks."""


# --------------------------------------------------------------------------- 1. memory

_EXPERIMENT = """[experiment]
name = "memory_{reps}"
description = "Peak-memory benchmark: one design point."
seed = {seed}
reps = {reps}
scenarios = ["fragile_region"]
strategies = ["no_response"]
"""


def sweep_process(reps: int, seed: int, folder: Path) -> dict[str, float]:
    """Run ``r2p sweep`` of a one-point experiment in a fresh process; its peak RSS and wall time."""
    toml = folder / f"memory_{reps}.toml"
    toml.write_text(_EXPERIMENT.format(reps=reps, seed=seed))
    out = folder / f"results_{reps}"
    command = [sys.executable, "-c", "import sys; from sim.cli import main; sys.exit(main())",
               "sweep", str(toml), "--out", str(out)]  # fmt: skip
    log = folder / f"memory_{reps}.log"  # a file, not a pipe: the progress lines would fill a pipe
    start = time.perf_counter()
    with log.open("wb") as stderr:
        child = subprocess.Popen(command, cwd=folder, stdout=subprocess.DEVNULL, stderr=stderr)
        _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"the sweep of {reps} replications failed: {log.read_text()}")
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    return {"rss": usage.ru_maxrss * 1024.0, "wall": wall, "disk": float(size)}


def memory(cfg: SweepConfig) -> list[Measurement]:
    """Peak RSS, wall time and disk use of one-point sweeps of growing size."""
    rows = []
    with tempfile.TemporaryDirectory(prefix="r2p-memory-") as folder:
        for reps in cfg.memory_reps:
            progress(f"memory: r2p sweep of {reps:,} replications in a fresh process")
            m = sweep_process(reps, cfg.seed, Path(folder))
            target = "<= 1 GiB" if reps == 10_000_000 else ""
            value = f"{m['rss'] / 2**20:,.0f} MiB peak RSS; {m['wall']:,.0f} s; {m['disk'] / 2**20:,.0f} MiB on disk"
            rows.append(Measurement(f"**`r2p sweep`, {reps:,} replications: peak memory**", value, target))
    return rows


# --------------------------------------------------------------------------- 2. and 3. workers, Dask


def timed_sweep(experiment: Experiment, reps: int, **options: object) -> Callable[[], float]:
    """A measure: seconds for a whole sweep into a fresh folder, with ``options`` for ``sweep``."""

    def measure() -> float:
        with tempfile.TemporaryDirectory(prefix="r2p-sweep-") as folder:
            start = time.perf_counter()
            sweep(experiment, Path(folder) / "out", reps=reps, progress=None, **options)
            return time.perf_counter() - start

    return measure


def workers_and_dask(cfg: SweepConfig) -> list[Measurement]:
    """1 vs 2 in-process threads, and a 2-worker LocalCluster vs in-process, taking turns."""
    from distributed import LocalCluster

    experiment = load_experiment("intervention_timing")
    points = len(experiment.points())
    total = f"{points} points x {cfg.sweep_reps:,} replications"
    progress("workers: warm-up")
    timed_sweep(experiment, 64, workers=1)()

    progress(f"workers: in-process sweep of intervention_timing ({total}) on 1 and on 2 threads")
    threads = best_of(cfg.repeats, {
        "one": timed_sweep(experiment, cfg.sweep_reps, workers=1),
        "two": timed_sweep(experiment, cfg.sweep_reps, workers=2),
    })  # fmt: skip

    progress("Dask: starting a LocalCluster (2 workers x 1 thread, Numba on 1 thread each)")
    start = time.perf_counter()
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None, env={"NUMBA_NUM_THREADS": "1"}) as cluster:  # fmt: skip
        address = cluster.scheduler_address
        timed_sweep(experiment, 64, scheduler=address)()
        started = time.perf_counter() - start
        progress(f"Dask: the same sweep on the cluster and in-process on 2 threads, {cfg.repeats} repeats")
        dask = best_of(cfg.repeats, {
            "cluster": timed_sweep(experiment, cfg.sweep_reps, scheduler=address),
            "here": timed_sweep(experiment, cfg.sweep_reps, workers=2),
        })  # fmt: skip
    overhead = dask["cluster"] / dask["here"] - 1
    return [
        Measurement(f"sweep of intervention_timing ({total}), in-process, 1 thread", f"{threads['one']:.1f} s"),
        Measurement(f"the same, in-process, {numba.config.NUMBA_NUM_THREADS} threads", f"{threads['two']:.1f} s"),
        Measurement("**sweep speed-up, 2 threads vs 1**", f"{threads['one'] / threads['two']:.2f}x", ">= 1.8x"),
        Measurement("the same sweep on a running Dask LocalCluster, 2 workers x 1 thread", f"{dask['cluster']:.1f} s"),
        Measurement("the same sweep in-process, 2 threads (taking turns with the cluster)", f"{dask['here']:.1f} s"),
        Measurement("**Dask LocalCluster overhead vs in-process**", f"{overhead:+.0%}", "<= 15%"),
        Measurement("LocalCluster start-up and warm-up (not in the overhead)", f"{started:.1f} s"),
    ]


# --------------------------------------------------------------------------- 4. common random numbers


def _strategy(name: str) -> sim.Strategy:
    base, _, delay = name.partition("@")
    strategy = sim.load_strategy(base)
    return strategy.with_pillar(3, delay=int(delay)) if delay else strategy


def crn_halfwidths(scenario: str, strategy: str, baseline: str, reps: int, seed: int) -> dict[str, tuple[float, float]]:
    """Per outcome, the 95 % CI half-width of the difference in means, paired and independent."""
    s = sim.load_scenario(scenario)
    a = sim.simulate(s, _strategy(strategy), reps, seed)
    b_paired = sim.simulate(s, _strategy(baseline), reps, seed)
    b_independent = sim.simulate(s, _strategy(baseline), reps, seed, first=reps)
    widths = {}
    for outcome in ("deaths", "displaced", "onset"):
        x = a[outcome].to_numpy(np.float64)
        y = b_paired[outcome].to_numpy(np.float64)
        z = b_independent[outcome].to_numpy(np.float64)
        paired = Z95 * np.std(x - y, ddof=1) / math.sqrt(reps)
        independent = Z95 * math.sqrt((np.var(x, ddof=1) + np.var(z, ddof=1)) / reps)
        widths[outcome] = (float(paired), float(independent))
    return widths


def common_random_numbers(cfg: SweepConfig) -> list[Measurement]:
    """CI narrowing from pairing, per comparison and outcome."""
    rows = []
    for label, scenario, strategy, baseline in COMPARISONS:
        progress(f"common random numbers: {label} on {scenario}, {cfg.crn_reps:,} replications each")
        widths = crn_halfwidths(scenario, strategy, baseline, cfg.crn_reps, cfg.seed)
        cells = []
        for outcome, (paired, independent) in widths.items():
            if paired > 0:
                cells.append(f"{outcome} {independent / paired:.1f}x (±{_short(paired)} vs ±{_short(independent)})")
            else:
                cells.append(f"{outcome}: no paired difference (±0 vs ±{_short(independent)})")
        rows.append(Measurement(f"**CI narrowing, paired vs independent**: {label} ({scenario})", "; ".join(cells),
                                ">= 5x"))  # fmt: skip
    return rows


def _short(x: float) -> str:
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:.2g}"


# --------------------------------------------------------------------------- report


def run_sweeps(cfg: SweepConfig) -> list[Measurement]:
    """Every measurement of ``cfg``, in order."""
    return [*common_random_numbers(cfg), *workers_and_dask(cfg), *memory(cfg)]


def markdown(rows: Sequence[Measurement]) -> str:
    """The measurements as a markdown table."""
    lines = ["| experiments at scale | result | target |", "|---|---|---|"]
    lines += [f"| {r.label} | {r.value} | {r.target} |" for r in rows]
    return "\n".join(lines) + "\n"


def parse_args(argv: Sequence[str] | None = None) -> tuple[SweepConfig, Path | None]:
    """The run's sizes and the optional output file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes (about a minute)")
    parser.add_argument("--memory-reps", type=int, nargs="+", help="replications of the peak-memory sweeps")
    parser.add_argument("--sweep-reps", type=int, help="replications per point for the workers and Dask sweeps")
    parser.add_argument("--crn-reps", type=int, help="replications per strategy for the CRN comparison")
    parser.add_argument("--repeats", type=int, help="repeats of each side-by-side measurement")
    parser.add_argument("--out", type=Path, help="also write the markdown table to this file")
    args = parser.parse_args(argv)
    cfg = QUICK if args.quick else FULL
    changes = {key: value for key in ("sweep_reps", "crn_reps", "repeats") if (value := getattr(args, key)) is not None}
    if args.memory_reps:
        changes["memory_reps"] = tuple(args.memory_reps)
    cfg = replace(cfg, **changes)
    if min(cfg.sweep_reps, cfg.crn_reps, *cfg.memory_reps) < 2 or cfg.repeats < 1:
        parser.error("replications must be at least 2 and repeats at least 1")
    return cfg, args.out


def main(argv: Sequence[str] | None = None) -> list[Measurement]:
    """Run the experiment benchmarks, print the table and write it to ``--out`` if given."""
    cfg, out = parse_args(argv)
    rows = run_sweeps(cfg)
    text = markdown(rows)
    print(text)
    if out is not None:
        out.write_text(text)
    return rows


if __name__ == "__main__":
    main()

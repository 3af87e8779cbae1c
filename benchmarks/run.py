"""Benchmark suite of the R2P simulator: one command, one markdown report.

    python benchmarks/run.py                  # full run (about 25 minutes on 2 cores)
    python benchmarks/run.py --quick          # small sizes, about two minutes
    python benchmarks/run.py --suite engines  # only the engine measurements below
    python benchmarks/run.py --out docs/results.md

``--suite experiments`` runs only the measurements of experiments at scale (peak memory of a
10^7-replication sweep, 1 vs 2 workers, Dask overhead, common random numbers), which live in
``benchmarks/sweeps.py`` and are described there. ``--suite view`` runs only 5. below. ``--suite runner``
runs only the CPU / wall time of ``r2p sensitivity`` and ``r2p validate`` (``benchmarks/runner.py``).

What it measures, on one scenario (default ``fragile_region``) for each strategy:

1. Engine ratio: time per replication of the Mesa engine and of the Numba kernel, one thread
   each, after warm-up, on the same replications (the kernel runs the Mesa replications over and
   over until it has done ``--reps`` of them); also the kernel's cost per state-week.
2. Throughput: ``--throughput-reps`` replications (default 1,000,000) on all threads (at most 2),
   and 1 vs 2 threads on the same ``--scaling-reps`` replications, run alternately.
3. RNG floor: a compiled loop that draws, for every replication x week x state, one
   :func:`sim.rng.normal_pair` and one :func:`sim.rng.uniform` (the generator the kernel uses), on
   one thread; compared with the kernel on the same replications, run alternately.
4. Start-up: a fresh ``python -c`` that imports ``sim`` and runs one replication, with an empty
   Numba cache (cold: everything compiles) and again with the cache that run left (warm).
5. Classroom view: what the server does for one press of Step on ``fragile_region`` (the Mesa
   model's week, the event log, the chart and map data), over whole 104-week runs.

The machine is shared and noisy, so every ratio is taken from measurements made side by side in
one run, each repeated ``--repeats`` times; the table shows the fastest repeat of each, the
usual estimate of a cost without interference from other work on the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

import sim.jit  # before Numba: it sets Numba's cache folder and switches SVML off

# isort: split
import numba
import numpy as np

import sim
from sim.engines import kernel
from sim.engines.mesa_model import R2PModel
from sim.model_inputs import ModelInputs, model_inputs
from sim.rng import Purpose, normal_pair, stream, uniform
from sim.scenario import Scenario
from sim.strategy import Strategy

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the sibling module, however this file is run
import runner
import sweeps
from measure import best_of, fmt_time, machine_info, progress

ROOT = Path(__file__).resolve().parents[1]
MAX_THREADS = 2
"""The project's machines have 2 cores; throughput is measured on at most this many threads."""


@dataclass(frozen=True)
class Config:
    """Sizes of one benchmark run."""

    scenario: str = "fragile_region"
    strategies: tuple[str, ...] = ("no_response", "three_pillar_flexible")
    reps: int = 20_000
    """Numba replications for the per-replication figures (engine ratio, RNG floor)."""
    mesa_reps: int = 50
    """Mesa replications for the engine ratio."""
    scaling_reps: int = 50_000
    """Replications for the 1- vs 2-thread comparison."""
    throughput_reps: int = 1_000_000
    """Replications for the throughput figure."""
    repeats: int = 5
    """Times each side-by-side measurement is repeated (the fastest counts)."""
    startup: str = "both"
    """Start-up measurement: "both" (cold and warm cache), "warm" or "none"."""
    seed: int = 0
    engines: bool = True
    """Run the engine measurements (1-4 above)."""
    view_runs: int = 10
    """Whole classroom runs stepped for the view measurement (5 above); 0 skips it."""
    experiments: sweeps.SweepConfig | None = sweeps.FULL
    """Sizes of the experiments-at-scale measurements (``benchmarks/sweeps.py``), or None to skip them."""
    runner: runner.RunnerConfig | None = runner.FULL
    """Sizes of the runner measurements (``benchmarks/runner.py``), or None to skip them."""


QUICK = Config(reps=2_000, mesa_reps=8, scaling_reps=10_000, throughput_reps=20_000, repeats=2,
               experiments=sweeps.QUICK, view_runs=2, runner=runner.QUICK)  # fmt: skip
"""Sizes of ``--quick``."""


@dataclass
class Row:
    """One line of the results table: a value per column (strategy) and the issue's target."""

    label: str
    values: dict[str, str] = field(default_factory=dict)
    target: str = ""


@dataclass
class Report:
    """Everything a run produced: the machine, the two tables and the command."""

    machine: dict[str, str]
    columns: list[str]
    rows: list[Row]
    startup: list[Row]
    command: str
    sections: list[str] = field(default_factory=list)
    """Further markdown tables (experiments at scale)."""

    def markdown(self) -> str:
        """The report as markdown: machine, per-strategy table, start-up table."""
        lines = [f"Command: `{self.command}`", ""]
        lines += [f"- **{key}**: {value}" for key, value in self.machine.items()]
        if self.rows:
            lines += ["", _table(["measurement", *self.columns, "target"], self.rows, self.columns)]
        if self.startup:
            lines += ["", _table(["start-up (fresh process)", "seconds", "target"], self.startup, ["s"])]
        lines += ["\n" + section for section in self.sections]
        return "\n".join(lines) + "\n"


def _table(header: list[str], rows: list[Row], columns: list[str]) -> str:
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in rows:
        cells = [row.label, *(row.values.get(c, "") for c in columns), row.target]
        out.append("| " + " | ".join(cells) + " |")
    return "\n".join(out)


# --------------------------------------------------------------------------- timing helpers


@contextmanager
def threads(n: int) -> Iterator[None]:
    """Run the Numba kernel on ``n`` threads inside the block."""
    old = numba.get_num_threads()
    numba.set_num_threads(n)
    try:
        yield
    finally:
        numba.set_num_threads(old)


def time_kernel(inputs: ModelInputs, reps: int, seed: int = 0, first: int = 0) -> float:
    """Seconds for replications ``first .. first + reps - 1`` on the Numba kernel."""
    start = time.perf_counter()
    kernel.run(seed, first, reps, inputs)
    return time.perf_counter() - start


def time_kernel_repeated(inputs: ModelInputs, reps: int, total: int, seed: int = 0) -> float:
    """Seconds per replication when the kernel runs replications ``0 .. reps - 1`` again and
    again until it has done at least ``total`` of them (the same replications Mesa ran)."""
    rounds = max(1, -(-total // reps))
    start = time.perf_counter()
    for _ in range(rounds):
        kernel.run(seed, 0, reps, inputs)
    return (time.perf_counter() - start) / (rounds * reps)


def time_mesa(scenario: Scenario, strategy: Strategy, reps: int, seed: int = 0) -> tuple[float, float]:
    """Seconds per replication on the Mesa engine, as :func:`sim.simulate` runs it, and the part
    of it spent building the model."""
    build = 0.0
    start = time.perf_counter()
    for r in range(reps):
        begin = time.perf_counter()
        model = R2PModel(scenario, strategy, seed, r, collect=False)
        build += time.perf_counter() - begin
        while model.running:
            model.step()
        model.outcomes()
    return (time.perf_counter() - start) / reps, build / reps


@numba.njit  # not cached: this file is also loaded under another module name by its smoke test
def draw_like_kernel(seed: int, first: int, reps: int, weeks: int, n: int) -> float:
    """For every replication x week x state, one normal pair and one uniform, summed."""
    total = 0.0
    for r in range(first, first + reps):
        key = stream(seed, r)
        for week in range(weeks):
            for i in range(n):
                shock, noise = normal_pair(key, week, i, Purpose.WEEKLY_NOISE)
                total += shock + noise + uniform(key, week, i, Purpose.ONSET, 0)
    return total


def time_rng(reps: int, weeks: int, n: int, seed: int = 0) -> float:
    """Seconds for :func:`draw_like_kernel` over ``reps`` replications."""
    start = time.perf_counter()
    draw_like_kernel(seed, 0, reps, weeks, n)
    return time.perf_counter() - start


# --------------------------------------------------------------------------- formatting


def fmt_ratio(ratio: float) -> str:
    """A ratio such as ``118x`` or ``3.4x``."""
    return f"{ratio:.0f}x" if ratio >= 100 else f"{ratio:.1f}x"


# --------------------------------------------------------------------------- the measurements


def engine_ratio(cfg: Config, scenario: Scenario, strategy: Strategy, inputs: ModelInputs) -> dict[str, float]:
    """Per-replication seconds of Mesa and Numba (1 thread, same replications) and of the kernel
    and the RNG-only loop (``cfg.reps`` replications), measured alternately."""
    n = inputs.region.shape[0]
    mesa_build = [float("inf")]

    def mesa() -> float:
        per_rep, build = time_mesa(scenario, strategy, cfg.mesa_reps, cfg.seed)
        mesa_build[0] = min(mesa_build[0], build)
        return per_rep

    with threads(1):
        best = best_of(
            cfg.repeats,
            {
                "mesa": mesa,
                "numba_same": lambda: time_kernel_repeated(inputs, cfg.mesa_reps, cfg.reps, cfg.seed),
                "numba": lambda: time_kernel(inputs, cfg.reps, cfg.seed) / cfg.reps,
                "rng": lambda: time_rng(cfg.reps, inputs.weeks, n, cfg.seed) / cfg.reps,
            },
        )
    best["mesa_build"] = mesa_build[0]
    best["state_weeks"] = float(inputs.weeks * n)
    return best


def scaling(cfg: Config, inputs: ModelInputs) -> dict[str, float]:
    """Seconds for ``cfg.scaling_reps`` replications on 1 thread and on 2, alternately."""
    two = min(MAX_THREADS, numba.config.NUMBA_NUM_THREADS)

    def on(n: int) -> Callable[[], float]:
        def measure() -> float:
            with threads(n):
                return time_kernel(inputs, cfg.scaling_reps, cfg.seed)

        return measure

    best = best_of(cfg.repeats, {"one": on(1), "two": on(two)})
    best["threads"] = float(two)
    return best


def throughput(cfg: Config, inputs: ModelInputs) -> float:
    """Seconds for ``cfg.throughput_reps`` replications on all threads (at most 2), once."""
    with threads(min(MAX_THREADS, numba.config.NUMBA_NUM_THREADS)):
        return time_kernel(inputs, cfg.throughput_reps, cfg.seed)


_FIRST_CALL = """
import json, time
start = time.perf_counter()
import sim
imported = time.perf_counter()
sim.simulate({scenario!r}, {strategy!r}, reps=1, seed=0)
done = time.perf_counter()
print(json.dumps({{"import": imported - start, "first": done - imported}}))
"""


def first_call(scenario: str, strategy: str, cache_dir: Path | None) -> dict[str, float]:
    """Seconds a fresh interpreter takes to import ``sim`` and to run one replication.

    ``cache_dir`` becomes ``NUMBA_CACHE_DIR`` (an empty folder: a cold cache); ``None`` keeps the
    default, fingerprinted cache of :mod:`sim.jit`. ``total`` includes interpreter start-up.
    """
    env = dict(os.environ)
    if cache_dir is not None:
        env["NUMBA_CACHE_DIR"] = str(cache_dir)
    code = _FIRST_CALL.format(scenario=scenario, strategy=strategy)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"the start-up run failed:\n{done.stderr}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["total"] = time.perf_counter() - start
    return result


def startup(cfg: Config) -> list[Row]:
    """Rows of the start-up table: cold cache (if asked), then warm cache."""
    if cfg.startup == "none":
        return []
    rows = []
    with tempfile.TemporaryDirectory(prefix="r2p-numba-cache-") as folder:
        cache = Path(folder)
        runs = [("cold", cache), ("warm", cache)] if cfg.startup == "both" else [("warm", None)]
        for name, cache_dir in runs:
            progress(f"start-up in a fresh process, {name} cache")
            cost = first_call(cfg.scenario, cfg.strategies[0], cache_dir)
            rows += [
                Row(f"{name} cache: `import sim`", {"s": f"{cost['import']:.2f}"}),
                Row(f"{name} cache: first replication (compile or load)", {"s": f"{cost['first']:.2f}"}),
                Row(f"{name} cache: whole process", {"s": f"{cost['total']:.2f}"}),
            ]
    return rows


def strategy_rows(cfg: Config, scenario: Scenario, name: str) -> dict[str, str]:
    """All per-strategy measurements of one strategy, formatted, keyed by row label."""
    strategy = sim.load_strategy(name)
    inputs = model_inputs(scenario, strategy)
    progress(f"{name}: warm-up")
    warm_up(scenario, strategy, inputs)
    progress(f"{name}: Mesa vs Numba vs RNG only, 1 thread, {cfg.repeats} repeats")
    e = engine_ratio(cfg, scenario, strategy, inputs)
    progress(f"{name}: 1 vs {MAX_THREADS} threads, {cfg.scaling_reps:,} replications, {cfg.repeats} repeats")
    s = scaling(cfg, inputs)
    progress(f"{name}: throughput, {cfg.throughput_reps:,} replications")
    t = throughput(cfg, inputs)
    sw = e["state_weeks"]
    per_million = t / cfg.throughput_reps * 1_000_000
    return {
        "mesa": f"{fmt_time(e['mesa'])} (build {fmt_time(e['mesa_build'])})",
        "numba_same": fmt_time(e["numba_same"]),
        "ratio": fmt_ratio(e["mesa"] / e["numba_same"]),
        "numba": fmt_time(e["numba"]),
        "ns": f"{e['numba'] / sw * 1e9:.0f} ns",
        "rng": f"{fmt_time(e['rng'])} ({e['rng'] / sw * 1e9:.0f} ns per state-week)",
        "rng_ratio": fmt_ratio(e["numba"] / e["rng"]),
        "one": fmt_time(s["one"]),
        "two": fmt_time(s["two"]),
        "speedup": fmt_ratio(s["one"] / s["two"]),
        "throughput": fmt_time(t) + ("" if cfg.throughput_reps == 1_000_000 else f" (1M: {per_million:.0f} s)"),
        "throughput_ns": f"{t / cfg.throughput_reps / sw * 1e9:.0f} ns",
    }


def warm_up(scenario: Scenario, strategy: Strategy, inputs: ModelInputs) -> None:
    """Compile (or load) everything that is timed, outside the timings."""
    with threads(1):
        time_kernel(inputs, kernel.BLOCK)
        time_rng(2, inputs.weeks, inputs.region.shape[0])
        time_mesa(scenario, strategy, 2)


ROW_LABELS = {
    "mesa": ("Mesa engine: time per replication, 1 thread", ""),
    "numba_same": ("Numba engine: time per replication, 1 thread (same replications as Mesa)", ""),
    "ratio": ("**Mesa / Numba per replication**", ">= 1000x"),
    "numba": ("Numba engine: time per replication, 1 thread ({reps} replications)", ""),
    "ns": ("Numba engine: time per state-week, 1 thread", ""),
    "rng": ("RNG only (1 normal pair + 1 uniform per state-week): time per replication, 1 thread", ""),
    "rng_ratio": ("**Numba kernel / RNG only**", "<= 3x"),
    "one": ("{scaling} replications, 1 thread", ""),
    "two": ("{scaling} replications, {threads} threads", ""),
    "speedup": ("**speed-up, {threads} threads vs 1**", ""),
    "throughput": ("**{throughput} replications x {weeks} weeks, {threads} threads**", "<= 60 s (1M)"),
    "throughput_ns": ("throughput run: wall time per state-week", ""),
}
"""Row keys of the per-strategy table, their labels and the issue's targets."""


def run_suite(cfg: Config, command: str = "python benchmarks/run.py") -> Report:
    """Run every measurement of ``cfg`` and gather the report."""
    scenario = sim.load_scenario(cfg.scenario)
    machine = machine_info()
    sections = [view_section(cfg.view_runs)] if cfg.view_runs else []
    if cfg.experiments:
        sections.append(sweeps.markdown(sweeps.run_sweeps(cfg.experiments)))
    if cfg.runner:
        sections.append(runner.markdown(runner.run_runner(cfg.runner)))
    if not cfg.engines:
        return Report(machine, [], [], [], command, sections)
    start_rows = startup(cfg)
    per_strategy = {name: strategy_rows(cfg, scenario, name) for name in cfg.strategies}
    names = {
        "reps": f"{cfg.reps:,}",
        "scaling": f"{cfg.scaling_reps:,}",
        "throughput": f"{cfg.throughput_reps:,}",
        "threads": str(min(MAX_THREADS, numba.config.NUMBA_NUM_THREADS)),
        "weeks": str(scenario.weeks),
    }
    rows = [
        Row(label.format(**names), {s: per_strategy[s][key] for s in cfg.strategies}, target)
        for key, (label, target) in ROW_LABELS.items()
    ]
    machine["scenario"] = f"{cfg.scenario}: {len(scenario.states)} states, {scenario.weeks} weeks"
    machine["sizes"] = (
        f"{cfg.mesa_reps} Mesa and {cfg.reps:,} Numba replications per figure, best of {cfg.repeats} repeats; "
        f"threading layer {numba.threading_layer()}"
    )
    return Report(machine, list(cfg.strategies), rows, start_rows, command, sections)


def view_steps(runs: int, scenario: str = "fragile_region") -> np.ndarray:
    """Seconds per press of Step in the classroom view, over ``runs`` whole runs (seeds 1, 2, ...)."""
    from sim.view import charts
    from sim.view.session import Settings, start

    times = []
    for seed in range(1, runs + 1):
        run = start(Settings(scenario=scenario, strategy="three_pillar_flexible", seed=str(seed)))
        positions = charts.layout(run)  # once per scenario, when the page loads it
        for _ in range(run.model.weeks):
            begin = time.perf_counter()
            run.step()
            charts.frame(run, positions)
            times.append(time.perf_counter() - begin)
    return np.array(times)


def view_section(runs: int) -> str:
    """The view measurement as a markdown table."""
    progress(f"classroom view: {runs} runs of fragile_region stepped week by week")
    view_steps(1)  # warm-up: imports, compilation
    times = view_steps(runs)
    rows = [
        ("median", np.median(times), ""),
        ("95th percentile", np.quantile(times, 0.95), "<= 100 ms"),
        ("slowest", times.max(), ""),
    ]
    lines = [f"| classroom view: one Step on fragile_region, server side ({len(times)} steps) | time | target |",
             "|---|---|---|"]  # fmt: skip
    lines += [f"| {label} | {fmt_time(value)} | {target} |" for label, value, target in rows]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- command line


def parse_args(argv: Sequence[str] | None = None) -> tuple[Config, Path | None]:
    """The run's sizes and the optional output file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes (under a minute)")
    parser.add_argument("--reps", type=int, help="Numba replications per per-replication figure")
    parser.add_argument("--mesa-reps", type=int, help="Mesa replications for the engine ratio")
    parser.add_argument("--scaling-reps", type=int, help="replications for 1 vs 2 threads")
    parser.add_argument("--throughput-reps", type=int, help="replications for the throughput run")
    parser.add_argument("--repeats", type=int, help="repeats of each side-by-side measurement")
    parser.add_argument("--startup", choices=("both", "warm", "none"), help="fresh-process start-up runs")
    parser.add_argument("--scenario", help="scenario name or TOML path")
    parser.add_argument("--strategies", nargs="+", help="strategy names or TOML paths")
    parser.add_argument("--suite", choices=("all", "engines", "experiments", "view", "runner"), default="all",
                        help="which measurements: engines, experiments, view, runner, or all")  # fmt: skip
    parser.add_argument("--out", type=Path, help="also write the markdown report to this file")
    args = parser.parse_args(argv)
    cfg = QUICK if args.quick else Config()
    changes = {
        key: value
        for key, value in vars(args).items()
        if key not in ("quick", "out", "strategies", "suite") and value is not None
    }
    if args.strategies:
        changes["strategies"] = tuple(args.strategies)
    if args.suite != "all":
        changes.update(engines=args.suite == "engines", view_runs=cfg.view_runs if args.suite == "view" else 0)
        changes["experiments"] = cfg.experiments if args.suite == "experiments" else None
        changes["runner"] = cfg.runner if args.suite == "runner" else None
    cfg = replace(cfg, **changes)
    for key in ("reps", "mesa_reps", "scaling_reps", "throughput_reps", "repeats"):
        if getattr(cfg, key) < 1:
            parser.error(f"--{key.replace('_', '-')} must be at least 1")
    return cfg, args.out


def main(argv: Sequence[str] | None = None) -> Report:
    """Run the benchmarks, print the report and write it to ``--out`` if given."""
    cfg, out = parse_args(argv)
    args = sys.argv[1:] if argv is None else list(argv)
    report = run_suite(cfg, " ".join(["python benchmarks/run.py", *args]))
    text = report.markdown()
    print(text)
    if out is not None:
        out.write_text(text)
    return report


if __name__ == "__main__":
    main()

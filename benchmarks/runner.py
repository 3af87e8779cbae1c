"""Benchmarks of the experiment runner: do ``r2p sensitivity`` and ``r2p validate`` use every core?

    python benchmarks/runner.py             # full run (a few minutes on 2 cores)
    python benchmarks/runner.py --quick     # small sizes, about a minute
    python benchmarks/run.py --suite runner # the same, inside the benchmark report

Each command runs in a fresh process into a new results folder; its CPU time (user + system,
from ``resource.getrusage(RUSAGE_CHILDREN)`` before and after) is divided by its wall time. On
2 cores a ratio near 2 means both are busy; the target is at least 1.6. The sensitivity analysis
is the shipped ``experiments/sensitivity.toml`` with fewer samples (``--samples``, ``--trajectories``),
the validation the shipped file at ``--validate-reps`` replications per arm. Compilation is
excluded: the kernel is loaded from the Numba cache by a warm-up run first.

Idle OpenMP threads of the Numba kernel wait by spinning for a moment before they sleep, and the
spin counts as CPU time; the ratio is therefore an upper bound of the useful work on both cores.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the sibling module, however this file is run
from measure import progress

ROOT = Path(__file__).resolve().parents[1]
TARGET = "CPU / wall >= 1.6 on 2 cores"


@dataclass(frozen=True)
class RunnerConfig:
    """Sizes of one run of the runner benchmarks."""

    samples: int = 64
    """Sobol base samples of the reduced shipped sensitivity analysis (a power of 2)."""
    trajectories: int = 16
    """Morris trajectories of the reduced shipped sensitivity analysis."""
    validate_reps: int = 20_000
    """Replications per arm of ``r2p validate`` (20,000: the shipped file's)."""


FULL = RunnerConfig()
QUICK = RunnerConfig(samples=8, trajectories=4, validate_reps=100)


@dataclass(frozen=True)
class Measurement:
    """One row of the table: what ran, its wall and CPU time."""

    label: str
    wall: float
    cpu: float

    @property
    def ratio(self) -> float:
        """CPU time over wall time."""
        return self.cpu / self.wall


def timed(command: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds (user + system) of ``command`` run to its end in a fresh process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def r2p(*args: str) -> list[str]:
    """The ``r2p`` command line in this interpreter."""
    return [sys.executable, "-m", "sim.cli", *args]


def reduced_sensitivity(cfg: RunnerConfig, folder: Path) -> Path:
    """The shipped sensitivity file with ``cfg``'s samples and trajectories, written into ``folder``."""
    text = (ROOT / "experiments" / "sensitivity.toml").read_text()
    lines = []
    for line in text.splitlines():
        if line.startswith("samples ="):
            line = f"samples = {cfg.samples}"
        elif line.startswith("trajectories ="):
            line = f"trajectories = {cfg.trajectories}"
        lines.append(line)
    path = folder / "sensitivity_bench.toml"
    path.write_text("\n".join(lines) + "\n")
    return path


def run_runner(cfg: RunnerConfig) -> list[Measurement]:
    """CPU and wall time of ``r2p sensitivity`` and ``r2p validate`` at ``cfg``'s sizes."""
    rows = []
    with tempfile.TemporaryDirectory(prefix="r2p-bench-runner-") as tmp:
        folder = Path(tmp)
        progress("runner: warm-up (kernel from the Numba cache)")
        timed(r2p("run", "fragile_region", "--reps", "10"))
        spec = reduced_sensitivity(cfg, folder)
        progress(f"runner: r2p sensitivity, {cfg.samples} Sobol samples, {cfg.trajectories} Morris trajectories")
        wall, cpu = timed(r2p("sensitivity", str(spec), "--out", str(folder / "sensitivity")))
        rows.append(Measurement(f"`r2p sensitivity` (shipped file, samples {cfg.samples}, trajectories "
                                f"{cfg.trajectories})", wall, cpu))  # fmt: skip
        progress(f"runner: r2p validate --reps {cfg.validate_reps}")
        wall, cpu = timed(r2p("validate", "--reps", str(cfg.validate_reps), "--out", str(folder / "docs"),
                              "--results", str(folder / "validation")))  # fmt: skip
        rows.append(Measurement(f"`r2p validate --reps {cfg.validate_reps}`", wall, cpu))
    return rows


def markdown(rows: Sequence[Measurement]) -> str:
    """The measurements as a markdown table."""
    lines = ["| runner: command in a fresh process | wall | CPU | CPU / wall | target |", "|---|---|---|---|---|"]
    lines += [f"| {r.label} | {r.wall:.1f} s | {r.cpu:.1f} s | {r.ratio:.2f} | {TARGET} |" for r in rows]
    return "\n".join(lines) + "\n"


def parse_args(argv: Sequence[str] | None = None) -> tuple[RunnerConfig, Path | None]:
    """The run's sizes and the optional output file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes (about a minute)")
    parser.add_argument("--samples", type=int, help="Sobol base samples (a power of 2)")
    parser.add_argument("--trajectories", type=int, help="Morris trajectories")
    parser.add_argument("--validate-reps", type=int, help="replications per arm of r2p validate (>= 100)")
    parser.add_argument("--out", type=Path, help="also write the markdown table to this file")
    args = parser.parse_args(argv)
    cfg = QUICK if args.quick else FULL
    changes = {key: value for key in ("samples", "trajectories", "validate_reps")
               if (value := getattr(args, key)) is not None}  # fmt: skip
    return replace(cfg, **changes), args.out


def main(argv: Sequence[str] | None = None) -> list[Measurement]:
    """Run the runner benchmarks, print the table and write it to ``--out`` if given."""
    cfg, out = parse_args(argv)
    rows = run_runner(cfg)
    text = markdown(rows)
    print(text)
    if out is not None:
        out.write_text(text)
    return rows


if __name__ == "__main__":
    main()

"""Benchmark of ``r2p fit`` on the shipped fit file: how long, how many simulations, and does it
survive SIGKILL without losing a finished generation?

    python benchmarks/fit.py            # the shipped experiments/fit.toml (target: <= 30 minutes on 2 cores)
    python benchmarks/fit.py --quick    # the same file with 20 particles and 2 generations, about two minutes

Two runs of the same file in fresh processes: one to the end, timed (wall and CPU, the kernel
loaded from the Numba cache by a warm-up first); one killed with SIGKILL as soon as its first
generation is in ``generations.csv``, then started again. The resumed posterior must equal the
uninterrupted one and keep the generation finished before the kill.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import pandas as pd

from sim.experiments.fit import load_fit

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the sibling modules, however this file is run
from measure import kill_once_written, progress, resized
from runner import r2p, timed

ROOT = Path(__file__).resolve().parents[1]
TARGET = "<= 30 minutes on 2 cores"


def killed_and_resumed(file: Path, folder: Path) -> tuple[int, float]:
    """Kill a fit with SIGKILL once its first generation is written, resume it; the generations
    finished before the kill and the wall time of the resumed run."""
    command = r2p("fit", str(file), "--out", str(folder), "--draws", "2")
    table = folder / "generations.csv"
    kill_once_written(command, table, ROOT, poll=0.5)
    before = len(pd.read_csv(table)) if table.is_file() else 0
    wall, _ = timed(command)
    return before, wall


def main(argv: list[str] | None = None) -> str:
    """Run the benchmark and print its markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="20 particles, 2 generations")
    parser.add_argument("--out", type=Path, help="also write the markdown table to this file")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="r2p-bench-fit-") as tmp:
        folder = Path(tmp)
        shipped = ROOT / "experiments" / "fit.toml"
        file = resized(shipped, folder, population=20, generations=2) if args.quick else shipped
        progress("fit: warm-up (kernel from the Numba cache)")
        timed(r2p("run", "fragile_region", "--reps", "10"))
        progress(f"fit: r2p fit {file.name} to the end")
        wall, cpu = timed(r2p("fit", str(file), "--out", str(folder / "whole"), "--draws", "2"))
        generations = pd.read_csv(folder / "whole" / "generations.csv")
        progress("fit: killed after its first generation, then resumed")
        kept, resumed_wall = killed_and_resumed(file, folder / "killed")
        same = pd.read_csv(folder / "killed" / "posterior.csv").equals(pd.read_csv(folder / "whole" / "posterior.csv"))
        spec = load_fit(file)
    evaluations = int(generations["evaluations"].sum())
    reps = sum(t.reps for t in spec.targets)
    text = "\n".join([
        "| r2p fit | wall | CPU | generations | candidates simulated | replications | target |",
        "|---|---|---|---|---|---|---|",
        f"| `{file.name}` ({spec.population} particles) | {wall / 60:.1f} min | {cpu / 60:.1f} min | "
        f"{len(generations)} | {evaluations:,} | {evaluations * reps:,} | {TARGET} |",
        "",
        f"SIGKILL after the first generation: {kept} generation(s) kept; resumed in {resumed_wall / 60:.1f} min; "
        f"posterior {'identical to' if same else '**different from**'} the uninterrupted run's.",
    ])  # fmt: skip
    print(text)
    if args.out is not None:
        args.out.write_text(text + "\n")
    return text


if __name__ == "__main__":
    main()

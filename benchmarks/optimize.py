"""Benchmark of ``r2p optimize`` on the shipped optimisation file: how long, how many candidates and
replications, and does a run killed with SIGKILL resume to the same Pareto set?

    python benchmarks/optimize.py           # experiments/optimize_timing.toml (target: <= 2 minutes on 2 cores)
    python benchmarks/optimize.py --quick   # the same file with 8 candidates per generation and 2 generations

Two runs of the same file in fresh processes (the kernel loaded from the Numba cache by a warm-up
first): one to the end, timed (wall and CPU); one killed with SIGKILL as soon as its first
generation is in ``checkpoint.json``, then started again. The resumed run's ``pareto.csv`` and
``checkpoint.json`` must be byte-identical to the uninterrupted run's.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the sibling modules, however this file is run
from measure import kill_once_written, progress, resized
from runner import r2p, timed

ROOT = Path(__file__).resolve().parents[1]
TARGET = "<= 2 minutes on 2 cores"


def killed_and_resumed(file: Path, folder: Path) -> tuple[int, float]:
    """Kill a run with SIGKILL once its first generation is checkpointed, resume it; the generations
    kept at the kill and the wall time of the resumed run."""
    command = r2p("optimize", str(file), "--out", str(folder))
    checkpoint = folder / "checkpoint.json"
    kill_once_written(command, checkpoint, ROOT)
    kept = len(json.loads(checkpoint.read_text())["generations"]) if checkpoint.is_file() else 0
    wall, _ = timed(command)
    return kept, wall


def main(argv: list[str] | None = None) -> str:
    """Run the benchmark and print its markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="8 candidates per generation, 2 generations")
    parser.add_argument("--out", type=Path, help="also write the markdown table to this file")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="r2p-bench-optimize-") as tmp:
        folder = Path(tmp)
        shipped = ROOT / "experiments" / "optimize_timing.toml"
        file = resized(shipped, folder, population=8, generations=2) if args.quick else shipped
        progress("optimize: warm-up (kernel from the Numba cache)")
        timed(r2p("run", "fragile_region", "--reps", "10"))
        progress(f"optimize: r2p optimize {file.name} to the end")
        wall, cpu = timed(r2p("optimize", str(file), "--out", str(folder / "whole")))
        steps = pd.read_csv(folder / "whole" / "convergence.csv")
        pareto = len(pd.read_csv(folder / "whole" / "pareto.csv"))
        progress("optimize: killed after its first generation, then resumed")
        kept, resumed_wall = killed_and_resumed(file, folder / "killed")
        same = all((folder / "killed" / name).read_bytes() == (folder / "whole" / name).read_bytes()
                   for name in ("pareto.csv", "checkpoint.json"))  # fmt: skip
    last = steps.iloc[-1]
    text = "\n".join([
        "| r2p optimize | wall | CPU | generations | candidates | replications | Pareto set | hypervolume | target |",
        "|---|---|---|---|---|---|---|---|---|",
        f"| `{file.name}` | {wall:.0f} s | {cpu:.0f} s | {len(steps)} | {int(last['candidates']):,} | "
        f"{int(last['replications']):,} | {pareto} | {last['hypervolume']:.3f} | {TARGET} |",
        "",
        f"SIGKILL after the first generation: {kept} generation(s) kept; resumed in {resumed_wall:.0f} s; "
        f"Pareto set and checkpoint {'byte-identical to' if same else '**different from**'} the uninterrupted run's.",
    ])  # fmt: skip
    print(text)
    if args.out is not None:
        args.out.write_text(text + "\n")
    return text


if __name__ == "__main__":
    main()

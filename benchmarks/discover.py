"""Benchmark of scenario discovery: ``r2p sweep`` of the shipped ``experiments/discovery.toml``,
then ``r2p discover`` on its results, each in a fresh process.

    python benchmarks/discover.py             # the shipped file (about 1-2 minutes on 2 cores)
    python benchmarks/discover.py --reps 20   # fewer replications per design point, for a smoke run

Reports the wall and CPU time of each command and the replications simulated (design points x
replications). The kernel is loaded from the Numba cache by a warm-up run first, so compilation
is not counted.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the sibling modules, however this file is run
from measure import progress
from runner import r2p, timed

WHERE = "deaths > 20000"
"""The question the benchmark asks (the shipped file's example)."""


def run_discover(reps: int | None) -> str:
    """Time the sweep and the discovery; the markdown table of the results."""
    with tempfile.TemporaryDirectory(prefix="r2p-bench-discover-") as tmp:
        folder = Path(tmp) / "discovery"
        progress("discover: warm-up (kernel from the Numba cache)")
        timed(r2p("run", "fragile_region", "--reps", "10"))
        extra = ["--reps", str(reps)] if reps is not None else []
        progress("discover: r2p sweep discovery")
        sweep_wall, sweep_cpu = timed(r2p("sweep", "discovery", "--out", str(folder), *extra))
        manifest = json.loads((folder / "manifest.json").read_text())
        progress(f"discover: r2p discover --where {WHERE!r}")
        wall, cpu = timed(r2p("discover", str(folder), "--where", WHERE))
        box = (folder / "discovery" / "box.csv").read_text().count("\n") - 1
    replications = manifest["points"] * manifest["reps"]
    lines = [
        "| discovery: command in a fresh process | replications | wall | CPU |",
        "|---|---|---|---|",
        f"| `r2p sweep discovery` ({manifest['points']} points x {manifest['reps']} replications, with report) | "
        f"{replications:,} | {sweep_wall:.1f} s | {sweep_cpu:.1f} s |",
        f"| `r2p discover --where {WHERE!r}` ({box} restricted inputs) | | {wall:.1f} s | {cpu:.1f} s |",
        f"| **sweep + discover** | {replications:,} | {sweep_wall + wall:.1f} s | {sweep_cpu + cpu:.1f} s |",
    ]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> str:
    """Run the benchmark, print the table and write it to ``--out`` if given."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, help="replications per design point (default: the file's)")
    parser.add_argument("--out", type=Path, help="also write the markdown table to this file")
    args = parser.parse_args(argv)
    text = run_discover(args.reps)
    print(text)
    if args.out is not None:
        args.out.write_text(text)
    return text


if __name__ == "__main__":
    main()

"""``r2p optimize FILE``: robust many-objective search over strategy levers (pymoo); writes a results
folder that a killed run resumes from its last finished generation."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from sim.cli.arguments import add_execution


def add_parser(commands: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add the ``optimize`` subcommand to the ``r2p`` subparsers."""
    parser = commands.add_parser("optimize", help="search strategy levers for robust Pareto-optimal settings (pymoo)")
    parser.add_argument("file", help="shipped optimisation name or path to an optimisation .toml")
    parser.add_argument("--out", type=Path, default=None, help="results folder (default results/NAME; resumable)")
    add_execution(parser)
    parser.set_defaults(handler=run, resumable="finished generations are kept")
    return parser


def run(args: argparse.Namespace) -> None:
    """Run ``r2p optimize`` (raises :class:`sim.config.InputError` on bad input)."""
    from sim.experiments.optimize import load_optimize, optimize

    spec = load_optimize(args.file)
    folder = args.out if args.out is not None else Path("results") / spec.name
    start = time.perf_counter()
    found = optimize(spec, folder, workers=args.workers, scheduler=args.scheduler)
    seconds = time.perf_counter() - start
    replications = len(found.values) * spec.futures * spec.reps
    print(f"{spec.name}: {len(found.values):,} candidates x {spec.futures} future(s) x {spec.reps:,} replications "
          f"({replications:,}), {seconds:.1f} s")  # fmt: skip
    print(f"results: {folder} (report.md, pareto.csv, pareto.png, convergence.csv, convergence.png, strategies/, "
          "candidates.csv, checkpoint.json, manifest.json)")  # fmt: skip

"""``r2p sensitivity FILE``: Sobol and Morris indices of an outcome (resumable results folder)."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from sim.cli.arguments import add_execution


def add_parser(commands: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add the ``sensitivity`` subcommand to the ``r2p`` subparsers."""
    parser = commands.add_parser("sensitivity", help="Sobol and Morris sensitivity of an outcome to uncertain inputs")
    parser.add_argument("file", help="shipped sensitivity name or path to a sensitivity .toml")
    parser.add_argument("--out", type=Path, default=None, help="results folder (default results/NAME; resumable)")
    add_execution(parser)
    parser.set_defaults(handler=run, resumable=True)
    return parser


def run(args: argparse.Namespace) -> None:
    """Run ``r2p sensitivity`` (raises :class:`sim.config.InputError` on bad input)."""
    import pandas as pd

    from sim.experiments.sensitivity import load_sensitivity, run_sensitivity

    spec = load_sensitivity(args.file)
    folder = args.out if args.out is not None else Path("results") / spec.name
    start = time.perf_counter()
    tables = run_sensitivity(spec, folder, workers=args.workers, scheduler=args.scheduler)
    seconds = time.perf_counter() - start
    print(f"{spec.name}: {spec.scenario.name} | {spec.strategy.name} | outcome mean {spec.outcome}, {seconds:.1f} s")
    with pd.option_context("display.float_format", "{:.3g}".format, "display.width", 120):
        for method, table in tables.items():
            print(f"\n{method}\n{table.to_string(index=False)}")
    print(f"\nresults: {folder} ({', '.join(f'{m}.csv, {m}.png' for m in tables)}, manifest.json, chunks/)")

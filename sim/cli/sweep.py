"""``r2p sweep``: run an experiment design into a results folder (resumable), then its report."""

from __future__ import annotations

import argparse
from pathlib import Path

from sim.cli.arguments import add_execution, whole
from sim.limits import MAX_REPS


def add_parser(commands: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add the ``sweep`` subcommand to the ``r2p`` subparsers."""
    sweep = commands.add_parser("sweep", help="run an experiment design into a results folder (resumable)")
    sweep.add_argument("experiment", help="shipped experiment name or path to an experiment .toml")
    sweep.add_argument("--out", type=Path, default=None, help="results folder (default results/NAME)")
    sweep.add_argument("--reps", type=whole(1, MAX_REPS), default=None, help="replications per design point")
    add_execution(sweep)
    sweep.set_defaults(handler=main, resumable=True)
    return sweep


def main(args: argparse.Namespace) -> None:
    """Run ``r2p sweep`` (raises :class:`sim.config.InputError` on bad input)."""
    from sim.experiments.design import load_experiment
    from sim.experiments.plots import write_report
    from sim.experiments.sweep import sweep

    experiment = load_experiment(args.experiment)
    folder = args.out if args.out is not None else Path("results") / experiment.name
    sweep(experiment, folder, reps=args.reps, workers=args.workers, scheduler=args.scheduler)
    report = write_report(folder)
    print(f"results: {folder} (report.md, plots/, summary.csv, chunks/, design.csv, manifest.json)")
    print(f"report: {report}")

"""``r2p plot DIR``: the plots and ``report.md`` of a results folder."""

from __future__ import annotations

import argparse
from pathlib import Path

from sim.cli.arguments import whole
from sim.limits import MAX_REPS


def add_parser(commands: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add the ``plot`` subcommand to ``r2p``'s subcommands."""
    parser = commands.add_parser("plot", help="draw the plots and report.md of a results folder")
    parser.add_argument("folder", type=Path, help="results folder written by 'r2p sweep'")
    parser.add_argument(
        "--reps",
        type=whole(1, MAX_REPS),
        default=None,
        help="replications re-simulated for the fan charts (default: all of the sweep's)",
    )
    parser.set_defaults(handler=run)
    return parser


def run(args: argparse.Namespace) -> None:
    """Write the plots and report of ``args.folder`` and say where they are."""
    from sim.experiments.plots import PLOTS, reload_experiment, write_report

    report = write_report(args.folder, args.reps, progress=True)
    _, why = reload_experiment(args.folder)
    if why:
        print(f"note: no fan charts: {why}")
    print(f"report: {report}")
    for path in sorted((Path(args.folder) / PLOTS).glob("*.png")):
        print(f"plot:   {path}")

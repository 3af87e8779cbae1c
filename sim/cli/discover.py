"""``r2p discover RESULTS --where EXPR``: scenario discovery (PRIM, CART, feature scores) on a sweep's results."""

from __future__ import annotations

import argparse
from pathlib import Path

from sim.cli.arguments import share, whole


def add_parser(commands: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add the ``discover`` subcommand to ``r2p``'s subcommands."""
    parser = commands.add_parser(
        "discover", help="scenario discovery: which sampled inputs make an outcome likely (PRIM)",
        description="Scenario discovery on the results folder of a sweep with [uncertain] inputs: a design point "
        "is of interest when at least --share of its replications satisfy --where; PRIM (EMA Workbench) finds a "
        "box of inputs where such points are dense, with a CART tree and feature scores as second views.",
    )  # fmt: skip
    parser.add_argument("folder", type=Path, help="results folder written by 'r2p sweep'")
    parser.add_argument("--where", required=True, metavar="EXPR",
                        help="outcome expression per replication, e.g. 'deaths > 50000 and cost < 2000' or "
                        "'not onset' (outcome columns, numbers, + - * /, comparisons, and, or, not)")  # fmt: skip
    parser.add_argument("--share", type=share, default=0.5,
                        help="share of a point's replications that must satisfy EXPR (default 0.5)")  # fmt: skip
    parser.add_argument("--density", type=share, default=0.8,
                        help="take the last box on the peeling trajectory of at least this density "
                        "(default 0.8)")  # fmt: skip
    parser.add_argument("--box", type=whole(0, 10_000), default=None, metavar="N",
                        help="take box N of the peeling trajectory instead (see trajectory.csv)")  # fmt: skip
    parser.add_argument("--out", type=Path, default=None, help="output folder (default FOLDER/discovery)")
    parser.set_defaults(handler=run)
    return parser


def run(args: argparse.Namespace) -> None:
    """Write the discovery of ``args.folder`` and say where."""
    from sim.experiments.discovery_report import write_discovery

    out = write_discovery(args.folder, args.where, args.share, args.density, args.box, args.out)
    print(f"discovery: {out} (report.md, box.csv, trajectory.csv, cases.csv, tree.txt, scores.csv, plots)")

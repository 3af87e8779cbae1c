"""``r2p compare DIR --baseline SPEC``: paired differences of a results folder's points against a baseline."""

from __future__ import annotations

import argparse
from pathlib import Path

from sim.experiments import COMPARE_FORMATS


def add_parser(commands: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add the ``compare`` subcommand to ``r2p``'s subcommands."""
    parser = commands.add_parser(
        "compare", help="paired differences of each design point against a baseline point",
        description="Paired differences (common random numbers) of every design point against its baseline "
        "point: the baseline point agrees with it on everything the baseline does not fix.",
    )  # fmt: skip
    parser.add_argument("folder", type=Path, help="results folder written by 'r2p sweep'")
    parser.add_argument(
        "--baseline", default="no_response", metavar="SPEC",
        help="STRATEGY (each strategy against it at the same settings), FIELD=VALUE (e.g. 'delay=0': each "
        "point against the same strategy at that setting) or STRATEGY:FIELD=VALUE; default no_response",
    )  # fmt: skip
    parser.add_argument("--format", choices=COMPARE_FORMATS, default="text", help="output format (default text)")
    parser.set_defaults(handler=run)
    return parser


def run(args: argparse.Namespace) -> None:
    """Print the comparison of ``args.folder`` against ``args.baseline``."""
    from sim.experiments.compare import compare, format_comparison

    print(format_comparison(compare(args.folder, args.baseline), args.format))

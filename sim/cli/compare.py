"""``r2p compare DIR --baseline STRATEGY``: paired differences of a results folder's strategies."""

from __future__ import annotations

import argparse
from pathlib import Path

from sim.experiments.compare import compare, format_comparison


def add_parser(commands: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add the ``compare`` subcommand to ``r2p``'s subcommands."""
    parser = commands.add_parser("compare", help="paired differences of each strategy against a baseline strategy")
    parser.add_argument("folder", type=Path, help="results folder written by 'r2p sweep'")
    parser.add_argument("--baseline", default="no_response", help="strategy to compare against (default no_response)")
    parser.set_defaults(handler=run)
    return parser


def run(args: argparse.Namespace) -> None:
    """Print the comparison of ``args.folder`` against ``args.baseline``."""
    print(format_comparison(compare(args.folder, args.baseline)))

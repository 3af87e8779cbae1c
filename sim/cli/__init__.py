"""Command line: ``r2p run``, ``sweep``, ``compare``, ``plot``, ``sensitivity``, ``discover``, ``validate``,
``calibrate``, ``fit``, ``optimize``, ``view``, ``scenarios``, ``strategies``, ``schema``; one module of this package
per command.

Every input error ends the program with one line on standard error naming the file or flag, the
field and what is allowed, exit status 2, and nothing written.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from importlib import metadata

from sim.cli import (
    calibrate,
    compare,
    discover,
    fit,
    listing,
    optimize,
    plot,
    run,
    schema,
    sensitivity,
    sweep,
    validate,
    view,
)
from sim.cli.arguments import Parser
from sim.config import InputError

_Parser = Parser  # the name the subcommand tests build their parsers with


def build_parser() -> argparse.ArgumentParser:
    """The ``r2p`` argument parser."""
    parser = Parser(prog="r2p", description="Simulate atrocity escalation and R2P responses.")
    parser.add_argument("--version", action="version", version=f"r2p {metadata.version('r2p-sim')}")
    commands = parser.add_subparsers(dest="command", parser_class=Parser)
    for command in (run, sweep, compare, sensitivity, discover, plot, validate, calibrate, fit, optimize, view):
        command.add_parser(commands)
    listing.add_parsers(commands)
    schema.add_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``r2p`` command (plain ``r2p`` prints the help)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    try:
        args.handler(args)
    except InputError as error:
        print(f"r2p: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        resumable = getattr(args, "resumable", False)  # True, or what a resumable command keeps
        kept = resumable if isinstance(resumable, str) else "finished chunks are kept"
        done = f"{kept}; run the same command to resume" if resumable else "nothing written"
        print(f"\nr2p: interrupted; {done}", file=sys.stderr)
        return 130
    return 0

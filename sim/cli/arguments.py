"""Argument types and the parser class shared by the ``r2p`` subcommands: every error is one line."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from sim.limits import MAX_REPS


class Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


def whole(low: int, high: int) -> Callable[[str], int]:
    """A parser of whole numbers from ``low`` to ``high``."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = None
        if value is None or not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{text!r} is not allowed; allowed: a whole number from {low} to {high}")
        return value

    parse.__name__ = "whole number"
    return parse


def share(text: str) -> float:
    """A parser of shares: numbers from 0 to 1."""
    try:
        value = float(text)
    except ValueError:
        value = None
    if value is None or not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not allowed; allowed: a number from 0 to 1")
    return value


def reps_argument(least: int) -> Callable[[str], int]:
    """A parser of ``--reps`` values: whole numbers from ``least`` to ``MAX_REPS``."""

    def parse(text: str) -> int:
        value = int(text) if text.isdigit() else 0
        if not least <= value <= MAX_REPS:
            raise argparse.ArgumentTypeError(
                f"{text!r} is not allowed; allowed: a whole number from {least} to {MAX_REPS}"
            )
        return value

    parse.__name__ = "whole number"
    return parse


def parquet_path(text: str) -> Path:
    """A file name ending in ``.parquet`` in an existing folder."""
    path = Path(text)
    if path.suffix != ".parquet":
        raise argparse.ArgumentTypeError(f"{text!r} is not allowed; allowed: a file name ending in .parquet")
    if not path.parent.is_dir():
        raise argparse.ArgumentTypeError(f"{text!r}: folder {str(path.parent)!r} does not exist")
    return path


def add_report_command(
    commands: argparse._SubParsersAction, name: str, kind: str, text: str, least: int
) -> argparse.ArgumentParser:
    """Add a subcommand that runs the ``kind`` file of ``experiments/`` and writes ``KIND.md``
    (``least``: the fewest replications per arm it accepts). Its runs go to ``--results``
    (default ``results/KIND-DIGEST-CODE-REPS``), a results folder that a killed run resumes from;
    the report goes to ``--out`` (default: that results folder), or to the tracked ``docs/`` with
    ``--write-docs``."""
    parser = commands.add_parser(name, help=text)
    parser.add_argument("file", nargs="?", default=kind, help=f"{kind} file (default: {kind})")
    parser.add_argument("--reps", type=reps_argument(least), default=None,
                        help="replications per arm (default: the file's)")  # fmt: skip
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--out", type=Path, default=None,
                       help=f"folder of {kind}.md and its plots (default: the results folder)")  # fmt: skip
    where.add_argument("--write-docs", dest="out", action="store_const", const=DOCS,
                       help=f"write the tracked report {DOCS}/{kind}.md instead (regenerates the docs)")  # fmt: skip
    parser.add_argument("--results", type=Path, default=None,
                        help=f"results folder of the runs (default results/{kind}-DIGEST-CODE-REPS; "
                        "resumable)")  # fmt: skip
    add_execution(parser)
    parser.set_defaults(kind=kind)
    return parser


DOCS = Path("docs")
"""Where ``--write-docs`` writes a report: the ``docs/`` folder of a checkout (run from its root)."""


def add_execution(parser: argparse.ArgumentParser) -> None:
    """Add ``--workers`` and ``--scheduler``: where the runner simulates (results do not depend on it)."""
    parser.add_argument("--workers", type=whole(1, 1024), default=None, help="threads (default: all cores)")
    parser.add_argument("--scheduler", default=None, help="run on a Dask cluster, e.g. tcp://127.0.0.1:8786")


def add_posterior(parser: argparse.ArgumentParser, what: str, then: str) -> None:
    """Add ``--posterior DIR``: run ``what`` over the posterior of the ``r2p fit`` in folder ``DIR``
    (:mod:`sim.experiments.posterior_folder`); ``then``: what the command adds to its output."""
    parser.add_argument("--posterior", type=Path, default=None, metavar="DIR",
                        help=f"run {what} over the posterior of 'r2p fit' in DIR; {then}")  # fmt: skip


def command_line(args: argparse.Namespace) -> str:
    """The command that reproduces a report, as written into it."""
    posterior = getattr(args, "posterior", None)
    return " ".join([f"r2p {args.command}", *([args.file] if args.file != args.kind else []),
                     *(["--reps", str(args.reps)] if args.reps else []),
                     *(["--posterior", str(posterior)] if posterior is not None else []),
                     *(["--write-docs"] if args.out == DOCS else [])])  # fmt: skip

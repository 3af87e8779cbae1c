"""``r2p sweep``: run an experiment design into a results folder (resumable), then its report;
``r2p sweep --verify FOLDER`` checks a results folder."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sim.cli.arguments import add_execution, add_posterior, whole
from sim.config import InputError
from sim.limits import MAX_REPS


def add_parser(commands: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add the ``sweep`` subcommand to the ``r2p`` subparsers."""
    sweep = commands.add_parser("sweep", help="run an experiment design into a results folder (resumable)")
    sweep.add_argument("experiment", nargs="?", help="shipped experiment name or path to an experiment .toml")
    sweep.add_argument("--out", type=Path, default=None, help="results folder (default results/NAME)")
    sweep.add_argument("--reps", type=whole(1, MAX_REPS), default=None,
                       help="replications per point (default: the run in --out, else the experiment's)")  # fmt: skip
    again = sweep.add_mutually_exclusive_group()
    again.add_argument("--overwrite", action="store_true",
                       help="start afresh in --out (deletes only the files r2p wrote there)")  # fmt: skip
    again.add_argument("--add-reps", type=whole(1, MAX_REPS), default=0, metavar="N",
                       help="extend every design point of the run in --out with N more replications")  # fmt: skip
    again.add_argument("--verify", type=Path, default=None, metavar="FOLDER",
                       help="check a results folder (chunks, checksums, tables); exit 0 sound, 2 damaged")  # fmt: skip
    add_posterior(
        sweep,
        "every point",
        "summary.csv splits each outcome's variance into parameters and dice, "
        "r2p compare gives the posterior probability that a point saves lives",
    )
    add_execution(sweep)
    sweep.set_defaults(handler=main, resumable=True)
    return sweep


def main(args: argparse.Namespace) -> None:
    """Run ``r2p sweep`` (raises :class:`sim.config.InputError` on bad input)."""
    if args.verify is not None:
        verify(args.verify, args.experiment)
        return
    if args.experiment is None:
        raise InputError("r2p sweep", "experiment", "missing", "a shipped experiment name or an experiment .toml")
    from sim.experiments.design import load_experiment
    from sim.experiments.findings import parameter_shares
    from sim.experiments.plots import write_report
    from sim.experiments.sweep import sweep

    experiment = load_experiment(args.experiment)
    folder = args.out if args.out is not None else Path("results") / experiment.name
    sweep(experiment, folder, reps=args.reps, workers=args.workers, scheduler=args.scheduler,
          add_reps=args.add_reps, overwrite=args.overwrite, notify=print, posterior=args.posterior)  # fmt: skip
    report = write_report(folder, progress=True)
    print(f"results: {folder} (report.md, plots/, summary.csv, chunks/, design.csv, manifest.json)")
    if args.posterior is not None:
        print(parameter_shares(folder))
    print(f"report: {report}")


def verify(folder: Path, experiment: str | None) -> None:
    """Print the verdict on a results folder; raise :class:`InputError` (exit 2) if it is damaged."""
    from sim.experiments.store import folder_repair_hint, read_manifest, verify

    if experiment is not None:
        raise InputError("--verify", "", f"takes only the folder, not also {experiment!r}", "r2p sweep --verify FOLDER")
    problems = verify(folder)
    if problems:
        print("\n".join(problems), file=sys.stderr)
        raise InputError(folder, "", f"damaged ({len(problems)} problem(s) above)", folder_repair_hint(folder))
    manifest = read_manifest(folder)
    print(f"{folder}: sound ({manifest['points']} points x {manifest['reps']:,} replications; every chunk, "
          "checksum and table as r2p wrote them)")  # fmt: skip

"""``r2p calibrate [FILE]``: the historical episodes beside the record; writes ``calibration.md``
(into the results folder; ``docs/`` with ``--write-docs``)."""

from __future__ import annotations

import argparse
import time

from sim.cli.arguments import add_posterior, add_report_command, command_line
from sim.cli.validate import results_folder
from sim.limits import MIN_CALIBRATION_REPS


def add_parser(commands: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add the ``calibrate`` subcommand to the ``r2p`` subparsers."""
    text = "historical episodes under what was done, beside the record"
    parser = add_report_command(commands, "calibrate", "calibration", text, MIN_CALIBRATION_REPS)
    add_posterior(parser, "every arm", "adds the share of each episode's variance from the parameters")
    parser.set_defaults(handler=run, resumable=True)
    return parser


def run(args: argparse.Namespace) -> None:
    """Run ``r2p calibrate``: print the fit per episode and write the report (raises InputError)."""
    from sim.experiments.calibration import calibrate, fit_label, load_calibration, split, write_report
    from sim.experiments.statistics import format_number

    spec = load_calibration(args.file)
    reps = args.reps or spec.reps
    folder = results_folder(args, spec.digest, reps)
    start = time.perf_counter()
    tables = calibrate(spec, reps, folder=folder, workers=args.workers, scheduler=args.scheduler,
                       posterior=args.posterior)  # fmt: skip
    seconds = time.perf_counter() - start
    n = format_number
    for episode, table in zip(spec.episodes, tables, strict=True):
        row = table.iloc[0]
        print(f"{episode.scenario.name:<14} {episode.state:<24} record {n(episode.deaths[0])}-{n(episode.deaths[1])}"
              f"  simulated median {n(row['median'])} (90 %: {n(row['q05'])}-{n(row['q95'])})"
              f"  {fit_label(row, episode.deaths)}{split(row)}", flush=True)  # fmt: skip
    path = write_report(spec, tables, args.out or folder, reps, seconds, command_line(args))
    print(f"\n{len(spec.episodes)} episodes, {reps:,} replications per arm, {seconds:.0f} s; report: {path}")
    print(f"runs: {folder}")

"""``r2p validate [FILE]``: measure the stylised facts S1-S9 and write ``docs/validation.md``."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from sim.cli.arguments import add_report_command, command_line
from sim.experiments.runner import code_digest
from sim.experiments.validation import format_summary, load_validation, validate, write_report
from sim.schema.validation import MIN_REPS


def add_parser(commands: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add the ``validate`` subcommand to the ``r2p`` subparsers."""
    parser = add_report_command(commands, "validate", "validation",
                                "measure the stylised facts S1-S9 and write a validation report", MIN_REPS)  # fmt: skip
    parser.set_defaults(handler=run, resumable=True)
    return parser


def results_folder(args: argparse.Namespace, digest: str, reps: int) -> Path:
    """``--results``, or ``results/KIND-DIGEST-CODE-REPS``: a new run of an edited file, or of
    edited model code (:func:`sim.experiments.runner.code_digest`), gets its own folder."""
    if args.results is not None:
        return args.results
    return Path("results") / f"{args.kind}-{digest[:12]}-{code_digest()[:8]}-{reps}"


def run(args: argparse.Namespace) -> None:
    """Run ``r2p validate``: print the table of S1-S9 and write the report (raises InputError)."""
    spec = load_validation(args.file)
    reps = args.reps or spec.reps
    folder = results_folder(args, spec.digest, reps)
    start = time.perf_counter()
    findings = validate(spec, reps, folder=folder, workers=args.workers, scheduler=args.scheduler)
    seconds = time.perf_counter() - start
    command = command_line(args)
    print(f"\n{spec.name}: {reps:,} replications per arm, seed {spec.seed}, {seconds:.0f} s\n")
    print(format_summary(findings))
    path = write_report(spec, findings, args.out, reps, seconds, command)
    print(f"\nreport: {path}\nruns: {folder}")

"""``r2p validate [FILE] [--only S10,S11] [--posterior DIR]``: measure the stylised facts S1-S9 and the
trade-off checks S10-S13 (or some of them), over the posterior of a fit if given, and write
``validation.md`` (into the results folder; ``docs/`` with ``--write-docs``)."""

from __future__ import annotations

import argparse
import hashlib
import time
from pathlib import Path

from sim.cli.arguments import DOCS, add_posterior, add_report_command, command_line
from sim.limits import MIN_VALIDATION_REPS


def add_parser(commands: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add the ``validate`` subcommand to the ``r2p`` subparsers."""
    text = "measure the stylised facts S1-S9 and trade-off checks S10-S13 and write a validation report"
    parser = add_report_command(commands, "validate", "validation", text, MIN_VALIDATION_REPS)
    parser.add_argument("--only", type=facts_argument, default=(),
                        help="comma-separated facts to measure, e.g. S10,S11,S12 (default: all)")  # fmt: skip
    add_posterior(parser, "every arm of every fact", "the CIs then cover parameters and dice")
    parser.set_defaults(handler=run, resumable=True)
    return parser


def facts_argument(text: str) -> tuple[str, ...]:
    """A parser of ``--only`` values: comma-separated fact names, each one of
    :data:`sim.experiments.validation.FACTS`."""
    from sim.experiments.validation import FACTS

    names = tuple(name.strip() for name in text.split(","))
    wrong = [name for name in names if name not in FACTS]
    if wrong or not names:
        raise argparse.ArgumentTypeError(f"{text!r} is not allowed; allowed: comma-separated {', '.join(FACTS)}")
    return names


def results_folder(args: argparse.Namespace, digest: str, reps: int) -> Path:
    """``--results``, or ``results/KIND-DIGEST-CODE-REPS``: a new run of an edited file, or of
    edited model code (:func:`sim.experiments.runner.code_digest`), gets its own folder."""
    from sim.experiments.runner import code_digest

    if args.results is not None:
        return args.results
    only = "-" + "-".join(args.only) if getattr(args, "only", ()) else ""
    posterior = getattr(args, "posterior", None)
    over = f"-posterior-{hashlib.sha256(str(posterior.resolve()).encode()).hexdigest()[:8]}" if posterior else ""
    return Path("results") / f"{args.kind}-{digest[:12]}-{code_digest()[:8]}-{reps}{only}{over}"


def run(args: argparse.Namespace) -> None:
    """Run ``r2p validate``: print the table of the facts and write the report (raises InputError)."""
    from sim.config import InputError
    from sim.experiments.store import read_manifest
    from sim.experiments.validation import format_summary, load_validation, validate, write_report

    if args.only and args.out == DOCS:
        raise InputError("--write-docs", "", "writes the tracked report of every fact, so not with --only",
                         "--only with --out DIR or the default results folder")  # fmt: skip
    spec = load_validation(args.file)
    reps = args.reps or spec.reps
    folder = results_folder(args, spec.digest, reps)
    start = time.perf_counter()
    findings = validate(spec, reps, folder=folder, workers=args.workers, scheduler=args.scheduler, only=args.only,
                        posterior=args.posterior)  # fmt: skip
    seconds = time.perf_counter() - start
    command = command_line(args) + (f" --only {','.join(args.only)}" if args.only else "")
    over = f", over the posterior {args.posterior} (CIs cover parameters and dice)" if args.posterior else ""
    print(f"\n{spec.name}: {reps:,} replications per arm, seed {spec.seed}{over}, {seconds:.0f} s\n")
    print(format_summary(findings))
    path = write_report(spec, findings, args.out or folder, reps, seconds, command, read_manifest(folder))
    print(f"\nreport: {path}\nruns: {folder}")

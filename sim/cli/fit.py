"""``r2p fit [FILE]``: ABC-SMC of uncertain model parameters against the reference facts; writes a
posterior folder (resumable) with its report."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from sim.cli.arguments import DOCS, whole

DRAWS = 100
"""Default parameter sets drawn from the prior and from the posterior for the predictive checks."""


def add_parser(commands: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add the ``fit`` subcommand to the ``r2p`` subparsers."""
    parser = commands.add_parser("fit", help="fit uncertain model parameters to the reference facts (ABC-SMC)")
    parser.add_argument("file", nargs="?", default="fit", help="fit file (default: fit)")
    parser.add_argument("--out", type=Path, default=None,
                        help="posterior folder (default results/fit-DIGEST-CODE; resumable)")  # fmt: skip
    parser.add_argument("--scheduler", default=None,
                        help="evaluate on a Dask cluster, e.g. tcp://127.0.0.1:8786 (same result)")  # fmt: skip
    parser.add_argument("--draws", type=whole(2, 100_000), default=DRAWS,
                        help=f"parameter sets drawn for the predictive checks (default {DRAWS})")  # fmt: skip
    parser.add_argument("--write-docs", action="store_true",
                        help=f"also copy the report to the tracked {DOCS}/fit.md and {DOCS}/fit/")  # fmt: skip
    parser.set_defaults(handler=run, resumable="finished generations are kept")
    return parser


def run(args: argparse.Namespace) -> None:
    """Run ``r2p fit``: the fit, its predictive checks and its report (raises InputError)."""
    from sim.experiments.fit import fit, load_fit
    from sim.experiments.fit_report import check, report
    from sim.experiments.runner import code_digest

    spec = load_fit(args.file)
    folder = args.out or Path("results") / f"fit-{spec.digest[:12]}-{code_digest()[:8]}"
    start = time.perf_counter()
    fit(spec, folder, scheduler=args.scheduler)
    checks = check(spec, folder, args.draws)
    command = " ".join(["r2p fit", *([args.file] if args.file != "fit" else [])])
    path = report(spec, folder, checks, time.perf_counter() - start, command)
    print(f"{spec.name}: posterior in {folder}; report: {path}")
    if args.write_docs:
        print(f"documentation: {publish(path, DOCS)}")


def publish(report: Path, docs: Path) -> Path:
    """Copy a fit's report and plot into ``docs`` (``fit.md``, ``fit/posterior.png``); return the page."""
    from sim.experiments.fit_report import PLOT
    from sim.experiments.store import write_atomically

    (docs / "fit").mkdir(parents=True, exist_ok=True)
    plot = (report.parent / PLOT).read_bytes()
    write_atomically(docs / "fit" / PLOT, lambda tmp: tmp.write_bytes(plot))
    text = report.read_text().replace(f"]({PLOT})", f"](fit/{PLOT})")
    write_atomically(docs / "fit.md", lambda tmp: tmp.write_text(text))
    return docs / "fit.md"

"""Command line: ``r2p run``, ``sweep``, ``compare``, ``plot``, ``sensitivity``, ``validate``, ``calibrate``,
``view``, ``scenarios``, ``strategies``, ``schema``.

Every input error ends the program with one line on standard error naming the file or flag, the
field and what is allowed, exit status 2, and nothing written.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from sim.config import InputError, shipped
from sim.experiments import calibration, compare, plots, sensitivity, validation
from sim.experiments.store import write_table
from sim.limits import MAX_REPS, MAX_SEED, MAX_WEEKS
from sim.scenario import load_scenario
from sim.schema import KINDS, json_schema
from sim.simulate import ENGINES, simulate
from sim.strategy import load_strategy
from sim.view import command as view


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


def _whole(low: int, high: int) -> type:
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


def _parquet_path(text: str) -> Path:
    path = Path(text)
    if path.suffix != ".parquet":
        raise argparse.ArgumentTypeError(f"{text!r} is not allowed; allowed: a file name ending in .parquet")
    if not path.parent.is_dir():
        raise argparse.ArgumentTypeError(f"{text!r}: folder {str(path.parent)!r} does not exist")
    return path


def build_parser() -> argparse.ArgumentParser:
    """The ``r2p`` argument parser."""
    parser = _Parser(prog="r2p", description="Simulate atrocity escalation and R2P responses.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    run = commands.add_parser("run", help="run replications of a scenario under a strategy")
    run.add_argument("scenario", help="shipped scenario name or path to a scenario .toml")
    run.add_argument(
        "--strategy",
        default="no_response",
        help="preset name (optionally +veto_restraint, +uniting_for_peace) or strategy .toml",
    )
    run.add_argument("--reps", type=_whole(1, MAX_REPS), default=1000, help="replications (default 1000)")
    run.add_argument("--seed", type=_whole(0, MAX_SEED), default=0, help="root seed (default 0)")
    run.add_argument("--engine", choices=ENGINES, default="numba", help="engine (default numba)")
    run.add_argument("--weeks", type=_whole(1, MAX_WEEKS), default=None, help="horizon (default: the scenario's)")
    run.add_argument("--out", type=_parquet_path, default=None, help="write per-replication outcomes here")
    restraint = run.add_mutually_exclusive_group()
    restraint.add_argument(
        "--veto-restraint",
        dest="veto_restraint",
        action="store_true",
        default=None,
        help="the P5 veto-restraint norm holds",
    )
    restraint.add_argument(
        "--no-veto-restraint", dest="veto_restraint", action="store_false", help="the norm does not hold"
    )

    sweep = commands.add_parser("sweep", help="run an experiment design into a results folder (resumable)")
    sweep.add_argument("experiment", help="shipped experiment name or path to an experiment .toml")
    sweep.add_argument("--out", type=Path, default=None, help="results folder (default results/NAME)")
    sweep.add_argument("--reps", type=_whole(1, MAX_REPS), default=None, help="replications per design point")
    sweep.add_argument("--workers", type=_whole(1, 1024), default=None, help="threads (default: all cores)")
    sweep.add_argument("--scheduler", default=None, help="run on a Dask cluster, e.g. tcp://127.0.0.1:8786")

    run.set_defaults(handler=_run)
    sweep.set_defaults(handler=_sweep)
    compare.add_parser(commands).set_defaults(handler=compare.run)
    sensitivity.add_parser(commands).set_defaults(handler=sensitivity.run)
    plots.add_parser(commands).set_defaults(handler=plots.run)
    validation.add_parser(commands).set_defaults(handler=validation.run)
    calibration.add_parser(commands).set_defaults(handler=calibration.run)
    view.add_parser(commands).set_defaults(handler=view.run)
    commands.add_parser("scenarios", help="list the shipped scenarios").set_defaults(handler=_list)
    commands.add_parser("strategies", help="list the shipped strategy presets").set_defaults(handler=_list)
    schema = commands.add_parser("schema", help="print the JSON Schema of a kind of input file")
    schema.add_argument("kind", choices=KINDS, help="kind of input file")
    schema.set_defaults(handler=_schema)
    return parser  # fmt: skip


def _run(args: argparse.Namespace) -> None:
    from sim.experiments.statistics import format_table, summary_table

    scenario = load_scenario(args.scenario)
    strategy = load_strategy(args.strategy)
    if args.veto_restraint is not None:
        strategy = strategy.replace(veto_restraint=args.veto_restraint)
    start = time.perf_counter()
    outcomes = simulate(scenario, strategy, args.reps, args.seed, args.engine, weeks=args.weeks)
    seconds = time.perf_counter() - start
    weeks = args.weeks or scenario.weeks
    print(f"{scenario.title} | strategy {strategy.name} | veto restraint {'on' if strategy.veto_restraint else 'off'}")
    print(f"{args.reps} replications x {weeks} weeks, seed {args.seed}, {args.engine} engine, {seconds:.2f} s\n")
    print(format_table(summary_table(outcomes)))
    if args.out is not None:
        write_table(outcomes, args.out)
        print(f"\nper-replication outcomes: {args.out}")


def _sweep(args: argparse.Namespace) -> None:
    from sim.experiments.design import load_experiment
    from sim.experiments.sweep import sweep

    experiment = load_experiment(args.experiment)
    folder = args.out if args.out is not None else Path("results") / experiment.name
    sweep(experiment, folder, reps=args.reps, workers=args.workers, scheduler=args.scheduler)
    report = plots.write_report(folder)
    print(f"results: {folder} (report.md, plots/, summary.csv, chunks/, design.csv, manifest.json)")
    print(f"report: {report}")


def _list(args: argparse.Namespace) -> None:
    kind = args.command
    loader = load_scenario if kind == "scenarios" else load_strategy
    for name in shipped(kind):
        item = loader(name)
        print(f"{name:<24}{item.description}")


def _schema(args: argparse.Namespace) -> None:
    print(json.dumps(json_schema(args.kind), indent=2))


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``r2p`` command."""
    args = build_parser().parse_args(argv)
    try:
        args.handler(args)
    except InputError as error:
        print(f"r2p: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        done = (
            "finished chunks are kept; run the same command to resume" if args.command == "sweep" else "nothing written"
        )
        print(f"\nr2p: interrupted; {done}", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""``r2p run``: replications of a scenario under a strategy, summarised on standard output."""

from __future__ import annotations

import argparse
import math
import os
import textwrap
import time
from importlib import metadata
from pathlib import Path

from sim.cli.arguments import add_posterior, parquet_path, whole
from sim.config import InputError
from sim.limits import ENGINES, MAX_REPS, MAX_SEED, MAX_WEEKS


def add_parser(commands: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add the ``run`` subcommand to the ``r2p`` subparsers."""
    run = commands.add_parser("run", help="run replications of a scenario under a strategy", epilog=outcome_help(),
                              formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    run.add_argument("scenario", help="shipped scenario name or path to a scenario .toml")
    run.add_argument(
        "--strategy",
        default="no_response",
        help="preset name (optionally +veto_restraint, +uniting_for_peace) or strategy .toml",
    )
    run.add_argument("--reps", type=whole(1, MAX_REPS), default=1000, help="replications (default 1000)")
    run.add_argument("--seed", type=whole(0, MAX_SEED), default=0, help="root seed (default 0)")
    run.add_argument("--engine", choices=ENGINES, default="numba", help="engine (default numba)")
    run.add_argument("--weeks", type=whole(1, MAX_WEEKS), default=None, help="horizon (default: the scenario's)")
    run.add_argument("--out", type=parquet_path, default=None, help="write per-replication outcomes here")
    run.add_argument("--overwrite", action="store_true", help="replace the --out file if it exists")
    add_posterior(
        run,
        "the replications",
        "replication r takes the parameters of a particle drawn for it (the "
        "same under every strategy); reports the share of each outcome's variance from the parameters",
    )
    run.add_argument(
        "--by-state",
        action="store_true",
        help="add each state's deaths, displaced and onset week (columns deaths[NAME], ...) to the outcomes",
    )
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
    run.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="set any settable field, e.g. --set strategy.pillar3.delay=8 --set scenario.warning.noise=0.2 "
        "(keys and ranges: r2p schema experiment, or docs/user-guide.md); repeatable",
    )
    run.set_defaults(handler=main)
    return run


def outcome_help() -> str:
    """The epilog of ``r2p run --help``: every outcome column with its unit."""
    from sim.outcome_columns import OUTCOME_TABLE, PER_STATE_TABLE, REPLICATION

    columns = ", ".join(f"{o.name} ({o.unit})" for o in (REPLICATION, *OUTCOME_TABLE))
    per_state = ", ".join(f"{o.name}[NAME] ({o.unit})" for o in PER_STATE_TABLE)
    text = (f"outcome columns (one row per replication): {columns}. With --by-state, per state: {per_state}. "
            "Deaths and displaced are expected values, so fractional; an empty week (<NA>) never happened. "
            "Each column's meaning: README.md ('Every outcome column') or docs/user-guide.md section 7; "
            "a Parquet file from --out carries unit and meaning in its field metadata.")  # fmt: skip
    return textwrap.fill(text, width=100, break_on_hyphens=False)


def main(args: argparse.Namespace) -> None:
    """Run ``r2p run`` (raises :class:`sim.config.InputError` on bad input)."""
    from sim.experiments.posterior_folder import load_posterior
    from sim.experiments.runner import compile_kernel
    from sim.experiments.statistics import format_number, format_table, summary_table, uncertainty_table
    from sim.experiments.store import check_output_file, write_table
    from sim.scenario import load_scenario
    from sim.schema.registry import apply_overrides
    from sim.simulate import simulate
    from sim.strategy import load_strategy

    scenario = load_scenario(args.scenario)
    strategy = load_strategy(args.strategy)
    if args.veto_restraint is not None:
        strategy = strategy.replace(veto_restraint=args.veto_restraint)
    scenario, strategy = apply_overrides(scenario, strategy, args.overrides)
    check_memory(args.reps, len(scenario.states))
    posterior = load_posterior(args.posterior) if args.posterior is not None else None
    if args.out is not None:
        check_output_file(args.out, args.overwrite)
    if args.engine == "numba":
        compile_kernel()
    start = time.perf_counter()
    outcomes = simulate(scenario, strategy, args.reps, args.seed, args.engine, weeks=args.weeks, by_state=args.by_state,
                        posterior=posterior)  # fmt: skip
    seconds = time.perf_counter() - start
    weeks = args.weeks or scenario.weeks
    print(f"{scenario.title} | strategy {strategy.name} | veto restraint {'on' if strategy.veto_restraint else 'off'}")
    print(f"{args.reps} replications x {weeks} weeks, seed {args.seed}, {args.engine} engine, {seconds:.2f} s\n")
    print(format_table(summary_table(outcomes)))
    if posterior is not None:
        print(
            f"\nover the posterior {args.posterior} ({len(posterior.weights):,} particles): spread across "
            "replications and the share of its variance from the parameters (the rest: the dice)"
        )
        for name, row in uncertainty_table(outcomes).iterrows():
            share = "-" if math.isnan(row["parameter_share"]) else f"{row['parameter_share']:.0%}"
            print(f"{name:<22} sd {format_number(row['sd']):>12}  parameters {share:>6}  "
                  f"({int(row['particles'])} particles drawn, n {int(row['n'])})")  # fmt: skip
    if args.by_state:
        columns = tuple(c for c in outcomes.columns if c.startswith(("deaths[", "displaced[")))
        print("\n" + format_table(summary_table(outcomes, columns)))
    if args.out is not None:
        description = {"scenario": scenario.name, "strategy": strategy.name, "veto_restraint": strategy.veto_restraint,
                       "overrides": args.overrides, "seed": args.seed, "reps": args.reps, "weeks": weeks,
                       "engine": args.engine, "version": metadata.version("r2p-sim"),
                       "posterior": None if args.posterior is None else str(args.posterior)}  # fmt: skip
        write_table(outcomes, args.out, description)
        print(f"\nper-replication outcomes: {args.out}")


BYTES_PER_VALUE = 8 * 3
"""Memory per outcome value of a run: the engine's array, the outcome table, and a copy while the
table is built."""


def check_memory(reps: int, states: int) -> None:
    """Refuse, before simulating, a run whose outcomes would take more than half the memory available.

    Raises
    ------
    InputError
        Naming the memory the run needs and the most replications that fit.
    """
    from sim.outcome_columns import n_outcomes

    per_rep = BYTES_PER_VALUE * n_outcomes(states)
    available = _available_memory()
    if reps * per_rep > available / 2:
        most = int(available / 2 // per_rep)
        raise InputError("--reps", "", f"{reps:,} replications need about {reps * per_rep / 2**30:.1f} GiB of memory "
                         f"at once; this machine has {available / 2**30:.1f} GiB available",
                         f"at most {most:,} here; 'r2p sweep' writes any number in chunks")  # fmt: skip


def _available_memory() -> float:
    """Bytes of memory available to new allocations (Linux ``MemAvailable``; else all physical memory)."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return float(line.split()[1]) * 1024
    except OSError:
        pass
    return float(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))

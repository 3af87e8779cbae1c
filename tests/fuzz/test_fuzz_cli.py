"""``r2p run`` on mutated scenario and strategy files: status 0, or status 2 with exactly one line on
standard error (budgets: see ``fuzzing.BUDGETS``)."""

from __future__ import annotations

from pathlib import Path

from fuzzing import BUDGETS, MOST_WEEKS, REPS, Fuzzer, check_cli, shipped_documents, variants

RUN = ["--reps", str(REPS), "--weeks", str(MOST_WEEKS), "--seed", "1"]


def run_scenario(path: Path) -> None:
    """``r2p run PATH`` under the all-instruments strategy."""
    check_cli(["run", str(path), "--strategy", "three_pillar_flexible", *RUN])


def run_strategy(path: Path) -> None:
    """``r2p run kenya_2008 --strategy PATH``."""
    check_cli(["run", "kenya_2008", "--strategy", str(path), *RUN])


def test_run_mutated_scenario(fuzz_folder: Path) -> None:
    fuzzer = Fuzzer(fuzz_folder, "cli-scenario")
    fuzzer.run(variants(shipped_documents("scenarios")["fragile_region"]), run_scenario, BUDGETS["cli_scenario"])


def test_run_mutated_strategy(fuzz_folder: Path) -> None:
    fuzzer = Fuzzer(fuzz_folder, "cli-strategy")
    base = shipped_documents("strategies")["three_pillar_flexible"]
    fuzzer.run(variants(base), run_strategy, BUDGETS["cli_strategy"])

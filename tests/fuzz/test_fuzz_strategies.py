"""Mutated strategy files: refused in one line, or simulated with sound outcomes (budgets: see
``fuzzing.BUDGETS``)."""

from __future__ import annotations

from functools import cache, partial
from pathlib import Path

import pytest
from fuzzing import BUDGETS, REPS, Fuzzer, check_outcomes, horizon, refused, shipped_documents, variants

from sim.scenario import Scenario, load_scenario
from sim.simulate import simulate
from sim.strategy import load_strategy

STRATEGIES = shipped_documents("strategies")


@cache
def scenario(name: str) -> Scenario:
    """The scenario the strategy ``name`` is run on: its episode's for a historical one (it targets
    that region's states), else the classroom default."""
    return load_scenario(name.removeprefix("historical/") if name.startswith("historical/") else "fragile_region")


def check_strategy(name: str, path: Path) -> None:
    """Refused in one line, or simulated with sound outcomes on the scenario of strategy ``name``
    (which may refuse it in one line too: its targets must be states of that scenario)."""
    strategy = refused(load_strategy, path)
    if strategy is not None:
        region = scenario(name)
        table = refused(lambda _: simulate(region, strategy, REPS, 0, weeks=horizon(None, region)), path)
        if table is not None:
            check_outcomes(table, region)


@pytest.mark.parametrize("name", sorted(STRATEGIES))
def test_mutated_strategy(name: str, fuzz_folder: Path) -> None:
    fuzzer = Fuzzer(fuzz_folder, f"strategy-{name}")
    fuzzer.run(variants(STRATEGIES[name]), partial(check_strategy, name), BUDGETS["strategy"])

"""Mutated scenario files: refused in one line, or simulated with sound outcomes (budgets: see
``fuzzing.BUDGETS``)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from fuzzing import (
    BUDGETS,
    REPS,
    Fuzzer,
    check_outcomes,
    horizon,
    mutated,
    refused,
    shipped_documents,
    toml_document,
    variants,
    with_states,
)
from hypothesis import strategies as st

from sim.scenario import load_scenario
from sim.simulate import simulate
from sim.strategy import Strategy, load_strategy

SCENARIOS = shipped_documents("scenarios")
STATE_COUNTS = (0, 1, 2, 200, 201, 500)
"""Sizes of region around the limits (``sim.limits.MAX_STATES`` is 200)."""


@cache
def strategy() -> Strategy:
    """The strategy every accepted scenario is run under: all instruments on."""
    return load_strategy("three_pillar_flexible")


def check_scenario(path: Path, by_state: bool = False) -> None:
    """Refused in one line, or simulated with sound outcomes (``by_state``: each state's too)."""
    scenario = refused(load_scenario, path)
    if scenario is not None:
        table = simulate(scenario, strategy(), REPS, 0, weeks=horizon(None, scenario), by_state=by_state)
        check_outcomes(table, scenario)


def check_states(path: Path) -> None:
    """:func:`check_scenario` with each state's outcomes."""
    check_scenario(path, by_state=True)


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_mutated_scenario(name: str, fuzz_folder: Path) -> None:
    fuzzer = Fuzzer(fuzz_folder, f"scenario-{name}")
    fuzzer.run(variants(SCENARIOS[name]), check_scenario, BUDGETS["scenario"])


def sized(count: int) -> st.SearchStrategy[dict]:
    """fragile_region with ``count`` states, as it is or mutated once."""
    doc = with_states(SCENARIOS["fragile_region"], count)
    return st.one_of(st.just(doc), mutated(doc, most=1))


def test_state_counts(fuzz_folder: Path) -> None:
    documents = st.sampled_from(STATE_COUNTS).flatmap(sized)
    Fuzzer(fuzz_folder, "scenario-sized").run(documents, check_states, BUDGETS["state_count"])


def test_state_limit_is_enforced(fuzz_folder: Path) -> None:
    """The sizes bracket the limit: 200 states load, 201 and 0 do not."""
    path = fuzz_folder / "limit.toml"
    loaded = {}
    for count in (0, 200, 201):
        path.write_text(toml_document(with_states(SCENARIOS["fragile_region"], count)))
        loaded[count] = refused(load_scenario, path) is not None
    assert loaded == {0: False, 200: True, 201: False}

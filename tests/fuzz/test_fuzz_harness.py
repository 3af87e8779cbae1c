"""The fuzz suite's own machinery: its budget of files and its TOML writer."""

from __future__ import annotations

import math
import tomllib

import pytest
from fuzzing import BUDGETS, FILES_PER_BUDGET, experiment_documents, shipped_documents, toml_document, with_states

SHIPPED = {**shipped_documents("scenarios"), **shipped_documents("strategies"), **shipped_documents("experiments")}


def test_budget_is_at_least_ten_thousand_files() -> None:
    assert sum(BUDGETS[name] * FILES_PER_BUDGET[name] for name in BUDGETS) >= 10_000


def test_budget_counts_the_shipped_files() -> None:
    counts = {
        "scenario": len(shipped_documents("scenarios")),
        "strategy": len(shipped_documents("strategies")),
        "experiment": len(experiment_documents("experiment")),
        "sensitivity": len(experiment_documents("sensitivity")),
    }
    assert counts == {name: FILES_PER_BUDGET[name] for name in counts}


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_writer_round_trips_shipped_files(name: str) -> None:
    assert tomllib.loads(toml_document(SHIPPED[name])) == SHIPPED[name]


def test_writer_round_trips_odd_values() -> None:
    doc = {"a b": {'c\n"d': [1.5, -0.0, 1e308, 5e-324, 2**70, True, "\x00\x7f\\", [], {}]}, "x": [{"y": 1}]}
    assert tomllib.loads(toml_document(doc)) == doc
    special = tomllib.loads(toml_document({"n": math.nan, "i": math.inf, "m": -math.inf}))
    assert math.isnan(special["n"]) and special["i"] == math.inf and special["m"] == -math.inf


def test_with_states_builds_a_chain() -> None:
    doc = with_states(shipped_documents("scenarios")["fragile_region"], 3)
    assert [(s["name"], s["neighbours"]) for s in doc["states"]] == [("S0", []), ("S1", ["S0"]), ("S2", ["S1"])]

"""The README's Python snippets run as printed, and say what they return."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from sim.config import REPO_ROOT

BLOCKS = re.findall(r"^```python\n(.*?)^```", (REPO_ROOT / "README.md").read_text(encoding="utf-8"), re.M | re.S)


def _block(first_line: str) -> str:
    return next(b for b in BLOCKS if b.startswith(first_line))


def test_the_simulate_snippet_gives_the_same_numbers_on_both_engines() -> None:
    names: dict = {}
    exec(_block("import sim"), names)
    mesa, paths = names["table"], names["paths"]
    numba = names["sim"].simulate(names["scenario"], names["strategy"], reps=20, seed=1)
    pd.testing.assert_frame_equal(mesa, numba)
    assert paths.shape[0] == 20


def test_the_mesa_snippet_runs_on_its_own_and_hands_over_a_decision(capsys: pytest.CaptureFixture[str]) -> None:
    names: dict = {}
    exec(_block("from sim.engines.agents import StateAgent"), names)
    model = names["model"]
    assert model.week == 10 and capsys.readouterr().out.startswith("10 [(")
    assert len(names["weekly"]) == 11 and list(names["weekly"]["week"]) == list(range(11))
    assert set(names["states"].columns) >= {"tension", "phase", "deaths", "displaced", "perceived"}
    exec(_block("from sim.concepts import Vote"), names)
    assert "ballots" in model.outside


def test_the_batch_run_snippet_matches_the_model_week_by_week() -> None:
    from sim.engines.mesa_model import R2PModel

    names: dict = {}
    exec(_block("import mesa"), names)
    weekly = names["weekly"]
    last = 25  # Mesa 3.3 leaves out the last collection (Mesa issue #2514)
    assert weekly["week"].max() == last and len(weekly) == 2 * 4 * (last + 1)
    model = R2PModel("fragile_region", "three_pillar_flexible", seed=0, replication=3, weeks=26)
    model.run_model()
    mine = model.datacollector.get_model_vars_dataframe()["deaths"].to_numpy()[: last + 1]
    run = weekly[(weekly["strategy"] == "three_pillar_flexible") & (weekly["replication"] == 3)]
    np.testing.assert_array_equal(run.sort_values("week")["deaths"].to_numpy(), mine)

"""The Mesa engine and the Numba engine give identical outcomes and trajectories."""

from __future__ import annotations

import numpy as np
import pytest

import sim
from sim.config import data_dir, shipped

REPS = 20
STRATEGIES = [*shipped("strategies"), *(f"{name}+veto_restraint" for name in shipped("strategies"))]
EPISODES = sorted(path.stem for path in (data_dir("strategies") / "historical").glob("*.toml"))


@pytest.mark.parametrize("strategy", STRATEGIES)
@pytest.mark.parametrize("scenario", shipped("scenarios"))
def test_engines_identical(scenario: str, strategy: str) -> None:
    numba_out, numba_path = sim.simulate(scenario, strategy, REPS, seed=11, engine="numba", trajectories=True)
    mesa_out, mesa_path = sim.simulate(scenario, strategy, REPS, seed=11, engine="mesa", trajectories=True)
    assert numba_out.equals(mesa_out)
    assert numba_path.shape == mesa_path.shape
    assert np.array_equal(numba_path, mesa_path)


@pytest.mark.parametrize("episode", EPISODES)
def test_engines_identical_under_the_historical_strategy(episode: str) -> None:
    test_engines_identical(episode, f"historical/{episode}")


def test_every_historical_episode_has_its_strategy() -> None:
    assert [name for name in shipped("scenarios") if name != "fragile_region"] == EPISODES


def test_engines_identical_from_any_first_replication(fragile_region: sim.Scenario) -> None:
    numba_out = sim.simulate(fragile_region, "three_pillar_flexible", 3, seed=5, first=1234, engine="numba")
    mesa_out = sim.simulate(fragile_region, "three_pillar_flexible", 3, seed=5, first=1234, engine="mesa")
    assert numba_out.equals(mesa_out)
    assert list(numba_out["replication"]) == [1234, 1235, 1236]

"""Shared fixtures: shipped inputs, loaded once per session, scenarios built in code, and a small
finished fit (a posterior folder to run over)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

import pytest

import sim
from sim.config import shipped


@pytest.fixture(scope="session")
def fragile_region() -> sim.Scenario:
    """The classroom default scenario."""
    return sim.load_scenario("fragile_region")


@pytest.fixture(scope="session")
def scenario_names() -> list[str]:
    """Names of every shipped scenario."""
    return shipped("scenarios")


@pytest.fixture(scope="session")
def single_state(fragile_region: sim.Scenario) -> Callable[..., sim.Scenario]:
    """Build a one-state scenario (from fragile_region's Eastmarch) to isolate one mechanism."""

    def build(**changes: object) -> sim.Scenario:
        state = next(s for s in fragile_region.states if s.name == "Eastmarch")
        state = dataclasses.replace(state, neighbours=(), **changes)
        return fragile_region.replace(name="single_state", states=(state,), bodies=())

    return build


SMALL_FIT = """
[fit]
name = "small"
seed = 7
population = 10
generations = 2
min_epsilon = 0.0

[typical_state]
name = "Typical"
population = 10_000_000
vulnerable_share = 0.15
capacity = 0.5
tension = 0.22
leadership = "divided"
crime = "crimes_against_humanity"

[[parameters]]
key = "scenario.model.onset_hazard"
low = 0.004
high = 0.016
scale = "log"
source = "assumption"

[[parameters]]
key = "scenario.model.kill_rate"
low = 0.0001
high = 0.0004
source = "assumption"

[[targets]]
kind = "onset_rate"
value = 0.0135
tolerance = 0.004
weeks = 104
reps = 30
source = "EWP"

[[targets]]
kind = "rate_ratio"
factor = "armed_conflict"
value = 3.2
tolerance = 1.0
weeks = 104
reps = 30
source = "EWP"

[[targets]]
kind = "episode_toll"
episode = "bosnia_1995"
tolerance = 0.5
reps = 10
source = "calibration file"
"""


@pytest.fixture(scope="session")
def small_fit(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A small fit file (two parameters, ten particles, two generations) and the posterior folder
    of a finished fit of it (about 3 s)."""
    from sim.experiments.fit import fit, load_fit

    folder = tmp_path_factory.mktemp("fit")
    path = folder / "small.toml"
    path.write_text(SMALL_FIT)
    return path, fit(load_fit(path), folder / "out", progress=False)


@pytest.fixture
def report(capsys: pytest.CaptureFixture[str]) -> Callable[[str], None]:
    """Print an effect size so that it shows in the test log even when output is captured."""

    def show(text: str) -> None:
        with capsys.disabled():
            print(f"\n    effect: {text}")

    return show

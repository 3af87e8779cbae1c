"""Shared fixtures: shipped inputs, loaded once per session, and scenarios built in code."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

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


@pytest.fixture
def report(capsys: pytest.CaptureFixture[str]) -> Callable[[str], None]:
    """Print an effect size so that it shows in the test log even when output is captured."""

    def show(text: str) -> None:
        with capsys.disabled():
            print(f"\n    effect: {text}")

    return show

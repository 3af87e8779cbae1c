"""Combine a scenario and a strategy into the arrays both engines run on."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from sim.concepts import instrument_table
from sim.deciders import Deciders, assign
from sim.scenario import Scenario
from sim.state import Region
from sim.strategy import Strategy


class ModelInputs(NamedTuple):
    """Everything a replication needs besides its seed and number."""

    region: Region
    params: np.ndarray
    strategy: np.ndarray
    table: np.ndarray
    weeks: int
    deciders: Deciders
    """Who decides each (state, instrument) pair (:mod:`sim.deciders`)."""


def model_inputs(scenario: Scenario, strategy: Strategy, weeks: int | None = None) -> ModelInputs:
    """Pack ``scenario`` and ``strategy`` (over ``weeks``, default the scenario's horizon)."""
    params = strategy.apply_switches(scenario.parameter_vector())
    return ModelInputs(
        scenario.region(),
        params,
        strategy.array(),
        instrument_table(),
        scenario.weeks if weeks is None else weeks,
        assign([s.name for s in scenario.states], scenario.bodies),
    )

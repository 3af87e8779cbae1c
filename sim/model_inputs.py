"""Combine a scenario and a strategy into the arrays both engines run on."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from sim.concepts import instrument_table
from sim.config import InputError
from sim.deciders import Deciders, assign, trigger_rank
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
    """Pack ``scenario`` and ``strategy`` (over ``weeks``, default the scenario's horizon).

    Raises
    ------
    InputError
        If the strategy targets a state the scenario does not have.
    """
    names = scenario.state_names
    for target in strategy.targets:
        if target not in names:
            raise InputError(strategy.source or strategy.name, "strategy.targets",
                             f"{target!r} is not a state of scenario {scenario.name!r}", ", ".join(names))  # fmt: skip
    params = strategy.apply_switches(scenario.parameter_vector())
    array = strategy.array()
    return ModelInputs(
        scenario.region(),
        params,
        array,
        instrument_table(),
        scenario.weeks if weeks is None else weeks,
        assign(names, scenario.bodies, strategy.targets, trigger_rank(array)),
    )

"""The weekly schedule: each stage names agents that can run it, and the kernel's week is its chain."""

from __future__ import annotations

import numpy as np

import sim
from sim.engines import agents, kernel
from sim.engines.mesa_model import R2PModel
from sim.model_inputs import model_inputs
from sim.rng import replication_key
from sim.schedule import STAGES, next_pending
from sim.state import new_world, reset_world


def test_every_stage_names_an_agent_method() -> None:
    for stage in STAGES:
        assert callable(getattr(getattr(agents, stage.actor), stage.method)), stage.name
    assert len({stage.name for stage in STAGES}) == len(STAGES)


def _week(run, fragile_region: sim.Scenario) -> np.ndarray:
    inputs = model_inputs(fragile_region, sim.load_strategy("three_pillar_flexible"))
    world = new_world(len(fragile_region.states))
    reset_world(inputs.region, inputs.params, world)
    votes = np.empty(15, np.int64)
    for week in range(30):
        run(week, replication_key(2, 0), inputs.region, world, inputs.params, inputs.strategy, inputs.table,
            inputs.deciders.pairs, inputs.deciders.runs, votes)  # fmt: skip
    return world


def test_the_kernel_runs_the_stages_in_schedule_order(fragile_region: sim.Scenario) -> None:
    """The chained week equals the stages' functions called one by one, and not in another order."""

    def one_by_one(*args: object) -> None:
        for stage in STAGES:
            stage.run(*args)

    def effects_first(*args: object) -> None:
        for stage in (STAGES[-1], *STAGES[:-1]):
            stage.run(*args)

    chained = _week(kernel.step_week, fragile_region)
    assert chained.tobytes() == _week(one_by_one, fragile_region).tobytes()
    assert chained.tobytes() != _week(effects_first, fragile_region).tobytes()


def test_the_mesa_week_is_the_same_schedule(fragile_region: sim.Scenario) -> None:
    model = R2PModel(fragile_region, sim.load_strategy("three_pillar_flexible"), seed=2, collect=False)
    for _ in range(30):
        model.step()
    assert model.world.tobytes() == _week(kernel.step_week, fragile_region).tobytes()


def test_next_pending_steps_through_the_states_with_a_decision_waiting() -> None:
    world = new_world(6)
    world["pending"][[1, 4]] = [2, 1]
    assert [next_pending(start, world) for start in range(7)] == [1, 1, 4, 4, 4, 6, 6]

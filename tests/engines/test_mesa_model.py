"""The Mesa engine: agents for every actor, a border network, order-independent stages."""

from __future__ import annotations

import numpy as np

import sim
from sim.concepts import N_INSTRUMENTS, Phase
from sim.engines.agents import CivilSociety, JointOffice, RegionalOrganisation, SecurityCouncil, StateAgent
from sim.engines.mesa_model import R2PModel


def test_every_actor_is_an_agent(fragile_region: sim.Scenario) -> None:
    model = R2PModel(fragile_region, sim.load_strategy("three_pillar_flexible"), seed=1)
    counts = {kind: len(model.agents_by_type[kind]) for kind in model.agent_types}
    assert counts[StateAgent] == 12
    assert counts[RegionalOrganisation] == 2
    assert counts[SecurityCouncil] == counts[JointOffice] == counts[CivilSociety] == 1
    decided = sorted(pair for agent in model.agents for pair in map(tuple, agent.portfolio))
    expected = sorted((i, k) for i in range(12) for k in range(N_INSTRUMENTS))
    assert decided == expected, "each pair has exactly one decider"


def test_states_sit_on_the_border_network(fragile_region: sim.Scenario) -> None:
    model = R2PModel(fragile_region, sim.load_strategy("no_response"))
    northland = model.states[0]
    assert sorted(n.name for n in northland.neighbours) == ["Eastmarch", "Highmoor", "Westvale"]
    assert model.states[4].patron == "Russia"


def test_model_steps_to_the_horizon_and_collects_each_week(fragile_region: sim.Scenario) -> None:
    model = R2PModel(fragile_region, sim.load_strategy("early_prevention"), seed=3, weeks=20)
    while model.running:
        model.step()
    assert model.week == 20
    assert model.trajectory().shape == (21, 5, 12)
    frame = model.datacollector.get_model_vars_dataframe()
    assert len(frame) == 21 and frame["deaths"].is_monotonic_increasing
    assert all(isinstance(s.phase, Phase) for s in model.states)


def test_activation_order_does_not_matter(fragile_region: sim.Scenario) -> None:
    """Agents act in a shuffled order; different shuffles give the same history."""
    strategy = sim.load_strategy("three_pillar_flexible")
    runs = []
    for shuffle_seed in (1, 2, 3):
        model = R2PModel(fragile_region, strategy, seed=9, replication=4)
        model.random.seed(shuffle_seed)
        while model.running:
            model.step()
        runs.append(model.trajectory())
    assert np.array_equal(runs[0], runs[1]) and np.array_equal(runs[0], runs[2])

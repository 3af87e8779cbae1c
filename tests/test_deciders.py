"""Who decides what: one decider per (state, instrument) pair, the most capable body, the Joint Office."""

from __future__ import annotations

import dataclasses

import numpy as np

import sim
from sim.concepts import INSTRUMENTS, N_INSTRUMENTS, Actor, Strat
from sim.deciders import assign, delivery_capacity, most_capable_body, trigger_rank
from sim.model_inputs import model_inputs
from sim.parameters import BY_NAME
from sim.scenario import BodySpec

_REGIONAL = [k for k, ins in enumerate(INSTRUMENTS) if ins.actor == Actor.REGIONAL_BODY]


def test_every_pair_has_exactly_one_decider(fragile_region: sim.Scenario) -> None:
    d = assign([s.name for s in fragile_region.states], fragile_region.bodies)
    n = len(fragile_region.states)
    assert d.decider.shape == (n, N_INSTRUMENTS)
    portfolios = [map(tuple, d.portfolio(a)) for a in range(len(d.kind))]
    decided = sorted(pair for rows in portfolios for pair in rows)
    assert decided == [(i, k) for i in range(n) for k in range(N_INSTRUMENTS)]
    for a in range(len(d.kind)):
        assert (d.decider[d.portfolio(a)[:, 0], d.portfolio(a)[:, 1]] == a).all()
        runs = d.actor_runs(a)
        rows = [row for _, first, end, _ in runs for row in range(first, end)]
        assert rows == list(range(d.start[a], d.start[a + 1])), "an actor's runs cover its portfolio"
        for state, first, end, instruments in runs:
            assert (d.pairs[first:end, 0] == state).all()
            assert instruments == sum(1 << int(k) for k in d.pairs[first:end, 1])


def test_each_kind_of_instrument_goes_to_its_kind_of_actor(fragile_region: sim.Scenario) -> None:
    d = assign([s.name for s in fragile_region.states], fragile_region.bodies)
    for i in range(len(fragile_region.states)):
        for k, ins in enumerate(INSTRUMENTS):
            a = d.decider[i, k]
            if ins.actor == Actor.STATE:
                assert a == i
            else:
                assert d.kind[a] == ins.actor, "every state of fragile_region belongs to a body"


def test_the_most_capable_body_decides(fragile_region: sim.Scenario) -> None:
    names = [s.name for s in fragile_region.states]
    d = assign(names, fragile_region.bodies)
    union, basin = (b.name for b in fragile_region.bodies)
    for i, name in enumerate(names):
        members = [b for b in fragile_region.bodies if name in b.members]
        best = max(members, key=lambda b: b.capacity)
        for k in _REGIONAL:
            assert fragile_region.bodies[d.body[d.decider[i, k]]] is best
    assert fragile_region.bodies[d.body[d.decider[names.index("Eastmarch"), _REGIONAL[0]]]].name == basin
    assert fragile_region.bodies[d.body[d.decider[names.index("Northland"), _REGIONAL[0]]]].name == union


def test_a_tie_goes_to_the_first_body_and_no_body_to_the_joint_office() -> None:
    bodies = (BodySpec("A", "regional", 0.5, ("x", "y")), BodySpec("B", "subregional", 0.5, ("y",)))
    assert [most_capable_body(s, bodies) for s in ("x", "y", "z")] == [0, 0, -1]
    d = assign(["x", "y", "z"], bodies)
    assert d.decider[2, _REGIONAL[0]] == d.actor(Actor.JOINT_OFFICE)
    assert delivery_capacity("z", bodies, 0.25) == 0.25
    assert delivery_capacity("y", bodies, 0.25) == 0.5


def test_body_capacity_is_that_of_the_deciding_body(fragile_region: sim.Scenario) -> None:
    lonely = dataclasses.replace(fragile_region.states[0], name="Outland", neighbours=())
    scenario = fragile_region.replace(states=(*fragile_region.states, lonely))
    inputs = model_inputs(scenario, sim.load_strategy("no_response"))
    d = inputs.deciders
    for i in range(len(scenario.states)):
        a = d.decider[i, _REGIONAL[0]]
        want = scenario.bodies[d.body[a]].capacity if d.body[a] >= 0 else BY_NAME["un_delivery_capacity"].default
        assert inputs.region[i]["body_capacity"] == want
    assert d.kind[d.decider[len(scenario.states) - 1, _REGIONAL[0]]] == Actor.JOINT_OFFICE
    assert np.array_equal(d.start[[0, -1]], [0, len(scenario.states) * N_INSTRUMENTS])


def test_by_state_holds_the_same_pairs_in_one_run_a_state(fragile_region: sim.Scenario) -> None:
    names = [s.name for s in fragile_region.states]
    d = assign(names, fragile_region.bodies, targets=(names[5], names[2]))
    pairs, runs = d.by_state()
    assert sorted(map(tuple, pairs)) == sorted(map(tuple, d.pairs))
    assert runs[:, 0].tolist() == [2, 5]
    for state, first, end, instruments in runs:
        assert pairs[first:end].tolist() == [[state, k] for k in range(N_INSTRUMENTS)]
        assert instruments == (1 << N_INSTRUMENTS) - 1
    assert runs[0, 1] == 0 and (runs[1:, 1] == runs[:-1, 2]).all() and runs[-1, 2] == len(pairs)


def test_a_run_takes_its_instruments_in_the_order_of_their_triggers(fragile_region: sim.Scenario) -> None:
    strategy = sim.load_strategy("three_pillar_flexible").array()
    strategy[3, Strat.ENABLED] = 0  # a disabled instrument comes last, whatever its trigger
    strategy[3, Strat.TRIGGER] = 0.0
    names = [s.name for s in fragile_region.states]
    d = assign(names, fragile_region.bodies, rank=trigger_rank(strategy))
    for pairs, runs in ((d.pairs, d.runs), d.by_state()):
        for _, first, end, _ in runs:
            k = pairs[first:end, 1]
            key = [(strategy[j, Strat.ENABLED] == 0, strategy[j, Strat.TRIGGER], j) for j in k]
            assert key == sorted(key)

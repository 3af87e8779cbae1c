"""Agents own their decisions: the Council's vote and a host's consent, by rule, subclass or outside hand."""

from __future__ import annotations

import numpy as np
import pytest

import sim
from sim.concepts import COUNCIL_SEATS, INSTRUMENT_NAMES, N_P5, Actor, Status, Vote
from sim.engines.agents import RegionalOrganisation, SecurityCouncil
from sim.engines.mesa_model import R2PModel

REPS = 40


@pytest.fixture(scope="module")
def client(single_state) -> sim.Scenario:
    """A determined leadership with a P5 patron: Council drafts about it get vetoed."""
    return single_state(leadership="determined", patron="russia", tension=0.6)


@pytest.fixture(scope="module")
def coercion() -> sim.Strategy:
    return sim.load_strategy("reactive_coercion")


def _run(model: R2PModel) -> R2PModel:
    while model.running:
        model.step()
    return model


class NoVetoCouncil(SecurityCouncil):
    """A Council whose permanent members abstain instead of vetoing."""

    def ballots(self, state: int, instrument: int) -> np.ndarray:
        votes = super().ballots(state, instrument)
        votes[:N_P5][votes[:N_P5] == Vote.NO] = Vote.ABSTAIN
        return votes


class NoVetoModel(R2PModel):
    council_class = NoVetoCouncil


def test_without_a_hook_the_agents_give_the_kernel_result(client: sim.Scenario, coercion: sim.Strategy) -> None:
    kernel = sim.simulate(client, coercion, REPS, seed=4)
    models = [_run(R2PModel(client, coercion, seed=4, replication=r, collect=False)) for r in range(REPS)]
    assert kernel["vetoes"].to_numpy().tolist() == [int(m.world["vetoes"].sum()) for m in models]
    assert kernel["vetoes"].sum() > 0, "the case must have vetoes for the tests below to mean something"
    for model in models:
        assert sum(d.vetoes for d in model.council.record) == int(model.world["vetoes"].sum())


def _first_vetoed(client: sim.Scenario, coercion: sim.Strategy) -> tuple[int, object]:
    """The first replication whose first draft the rule vetoes, and that draft."""
    for r in range(REPS):
        record = _run(R2PModel(client, coercion, seed=4, replication=r, collect=False)).council.record
        if record and record[0].vetoes:
            return r, record[0]
    raise AssertionError("no replication with a vetoed first draft")


def test_an_outside_yes_adopts_a_draft_the_rule_vetoes(client: sim.Scenario, coercion: sim.Strategy) -> None:
    r, draft = _first_vetoed(client, coercion)
    assert not draft.adopted
    replay = R2PModel(client, coercion, seed=4, replication=r, collect=False)
    replay.hand_over("ballots", lambda council, state, instrument: [Vote.YES] * COUNCIL_SEATS)
    while replay.week <= draft.week:
        replay.step()
    first = replay.council.record[0]
    assert (first.week, first.state, first.instrument) == (draft.week, draft.state, draft.instrument)
    assert first.adopted and first.vetoes == 0
    assert replay.world["status"][draft.state][draft.instrument] == Status.ACTIVE


def test_a_council_that_never_vetoes_via_a_subclass(client: sim.Scenario, coercion: sim.Strategy) -> None:
    default = [_run(R2PModel(client, coercion, seed=4, replication=r, collect=False)) for r in range(REPS)]
    no_veto = [_run(NoVetoModel(client, coercion, seed=4, replication=r, collect=False)) for r in range(REPS)]
    assert all(isinstance(m.council, NoVetoCouncil) for m in no_veto)
    assert sum(int(m.world["vetoes"].sum()) for m in no_veto) == 0
    adopted = [sum(d.adopted for d in m.council.record) for m in (default, no_veto) for m in m]
    assert sum(adopted[REPS:]) > sum(adopted[:REPS])
    for a, b in zip(default, no_veto, strict=True):
        if not (a.world["vetoes"].any() or a.world["withdrawn"].any() or a.world["watered_down"].any()):
            assert a.world.tobytes() == b.world.tobytes(), "without a veto (cast or threatened) nothing changes"


def test_a_refusing_host_stops_all_consent_based_help(single_state) -> None:
    scenario = single_state(leadership="divided", tension=0.5)
    strategy = sim.load_strategy("pillar2_only")
    asked: list[str] = []
    model = R2PModel(scenario, strategy, seed=1, collect=False)
    model.hand_over("consent", lambda host, k: asked.append(INSTRUMENT_NAMES[k]) or False)
    _run(model)
    assert asked, "the host was asked"
    consent = [k for k, name in enumerate(INSTRUMENT_NAMES) if name in asked]
    assert not model.world["used"][0][consent].any()
    model.hand_over("consent", None)
    assert model.outside == {}


def test_handing_over_checks_the_decision_and_the_ballots(client: sim.Scenario, coercion: sim.Strategy) -> None:
    model = R2PModel(client, coercion, seed=4, collect=False)
    with pytest.raises(ValueError, match="'veto' is not a decision; allowed: ballots, consent"):
        model.hand_over("veto", print)
    model.hand_over("ballots", lambda council, state, instrument: [Vote.YES] * 14)
    with pytest.raises(ValueError, match=r"ballots: .*allowed: 15 votes"):
        _run(model)


def test_each_agent_holds_its_own_portfolio_and_borders(fragile_region: sim.Scenario) -> None:
    model = R2PModel(fragile_region, sim.load_strategy("no_response"))
    for i, state in enumerate(model.states):
        assert state.borders.tolist() == model.region[i]["neighbours"][: model.region[i]["degree"]].tolist()
        assert state.borders.tolist() == sorted(n.index for n in state.neighbours)
        assert {int(k) for k in state.portfolio[:, 1]} == {0, 1}
    for body in model.bodies:
        assert isinstance(body, RegionalOrganisation)
        assert set(body.serves) <= set(body.members)
        assert all(model.region[i]["body_capacity"] == body.capacity for i in body.serves)
    assert model.responsible(2, Actor.REGIONAL_BODY).name == "Lake Basin Community"
    assert model.decider(2, INSTRUMENT_NAMES.index("chapter8_regional")) is model.bodies[1]
    assert model.decider(2, INSTRUMENT_NAMES.index("chapter7_force")) is model.council

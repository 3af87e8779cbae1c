"""The 16th instrument, ``regional_intervention``: a regional body's intervention under Article
4(h) of the AU Constitutive Act, decided by the body without a Council resolution."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

import sim
from sim.concepts import INSTRUMENT_NAMES, INSTRUMENTS, NAMED_ONLY, Actor, Col, Pillar, Status, instrument_table
from sim.config import data_dir, shipped
from sim.engines.mesa_model import R2PModel
from sim.scenario import BodySpec
from sim.strategy import parse_strategy

K = INSTRUMENT_NAMES.index("regional_intervention")


def _strategy(trigger: float = 0.3) -> sim.Strategy:
    return sim.load_strategy("no_response").with_instrument("regional_intervention", enabled=True, trigger=trigger,
                                                            delay=1)  # fmt: skip


def _with_body(single_state, article_4h: bool, **changes: object) -> sim.Scenario:
    scenario = single_state(phase="atrocity", tension=0.8, severity=5.0, **changes).replace(weeks=26)
    body = BodySpec("Union", "regional", 0.6, ("Eastmarch",), article_4h=article_4h)
    return scenario.replace(bodies=(body,))


def _run(scenario: sim.Scenario, strategy: sim.Strategy, seed: int = 1) -> R2PModel:
    model = R2PModel(scenario, strategy, seed=seed, collect=False)
    while model.running:
        model.step()
    return model


def test_the_instrument_acts_without_council_or_consent_and_needs_the_right() -> None:
    ins = INSTRUMENTS[K]
    assert (ins.pillar, ins.actor, ins.council, ins.consent, ins.assembly) == (
        Pillar.III, Actor.REGIONAL_BODY, False, False, False)  # fmt: skip
    table = instrument_table()
    assert Col.ARTICLE_4H == 16 and table.shape[1] == len(Col)
    assert np.flatnonzero(table[:, Col.ARTICLE_4H]).tolist() == [K]
    assert NAMED_ONLY == ("regional_intervention",)


def test_proposable_only_for_a_state_whose_body_holds_the_right(single_state) -> None:
    with_right = _run(_with_body(single_state, True), _strategy())
    without = _run(_with_body(single_state, False), _strategy())
    assert with_right.world[0]["used"][K] == 1
    assert without.world[0]["used"][K] == 0 and without.world[0]["status"][K] == Status.IDLE
    assert int(with_right.region[0]["article_4h"]) == 1 and int(without.region[0]["article_4h"]) == 0


def test_the_right_of_a_less_capable_body_does_not_count(single_state) -> None:
    """The body that decides a state's regional instruments is its most capable one (ODD 7.16)."""
    scenario = _with_body(single_state, True)
    stronger = BodySpec("League", "regional", 0.9, ("Eastmarch",))
    assert scenario.replace(bodies=(*scenario.bodies, stronger)).region()["article_4h"].tolist() == [0]
    assert scenario.region()["article_4h"].tolist() == [1]


def test_it_acts_without_a_council_vote_even_with_a_patron(single_state) -> None:
    scenario = _with_body(single_state, True, patrons=(("russia", 1.0),))
    model = _run(scenario, _strategy())
    assert model.world[0]["used"][K] == 1
    assert model.world[0]["vetoes"] == 0
    assert not [d for d in model.council.record if d.instrument == K]
    chapter8 = sim.load_strategy("no_response").with_instrument("chapter8_regional", enabled=True, trigger=0.3)
    assert sim.simulate(scenario, chapter8, 40, seed=1)["vetoes"].sum() > 0, "the same case under Chapter VIII"


def test_the_intervention_protects(single_state) -> None:
    scenario = _with_body(single_state, True)
    acting = sim.simulate(scenario, _strategy(), 100, seed=2)["deaths"].mean()
    assert acting < 0.8 * sim.simulate(scenario, "no_response", 100, seed=2)["deaths"].mean()


def test_a_pillar_table_never_enables_it() -> None:
    blanket = parse_strategy({"strategy": {"name": "s"}, "pillar3": {"trigger": 0.6, "delay": 3}}, "s.toml")
    assert "chapter8_regional" in blanket.enabled and "regional_intervention" not in blanket.enabled
    assert (blanket.settings[K].trigger, blanket.settings[K].delay) == (0.6, 3)
    named = parse_strategy({"strategy": {"name": "s"}, "pillar3": {"trigger": 0.6, "delay": 3},
                            "instruments": {"regional_intervention": {"delay": 5}}}, "s.toml")  # fmt: skip
    assert "regional_intervention" in named.enabled and (named.settings[K].trigger, named.settings[K].delay) == (0.6, 5)
    nothing = sim.load_strategy("no_response")
    assert "regional_intervention" not in nothing.with_pillar(3, enabled=True).enabled
    assert nothing.with_pillar(3, delay=7).settings[K].delay == 7


@pytest.mark.parametrize(
    "name",
    [*shipped("strategies"), *(f"historical/{p.stem}" for p in (data_dir("strategies") / "historical").glob("*.toml"))],
)
def test_no_shipped_strategy_uses_it(name: str) -> None:
    assert "regional_intervention" not in sim.load_strategy(name).enabled


@pytest.mark.parametrize("scenario", ["libya_2011", "kenya_2008"])
def test_engines_identical_with_it_enabled(scenario: str) -> None:
    strategy = sim.load_strategy("three_pillar_flexible").with_instrument("regional_intervention", trigger=0.6,
                                                                          delay=2, enabled=True)  # fmt: skip
    numba_out, numba_path = sim.simulate(scenario, strategy, 12, seed=7, engine="numba", trajectories=True)
    mesa_out, mesa_path = sim.simulate(scenario, strategy, 12, seed=7, engine="mesa", trajectories=True)
    assert numba_out.equals(mesa_out) and np.array_equal(numba_path, mesa_path)
    plain = sim.simulate(scenario, "three_pillar_flexible", 12, seed=7)
    assert not numba_out.equals(plain), "the instrument was used and changed the run"


def test_only_the_african_union_holds_the_right_in_the_shipped_scenarios() -> None:
    for name in shipped("scenarios"):
        holders = [b.name for b in sim.load_scenario(name).bodies if b.article_4h]
        assert holders == (["African Union"] if name in ("libya_2011", "kenya_2008") else []), name


def test_a_body_spec_defaults_to_no_right() -> None:
    assert not BodySpec("B", "regional", 0.5, ()).article_4h
    assert {f.name: f.default for f in dataclasses.fields(BodySpec)}["article_4h"] is False

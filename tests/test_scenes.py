"""Scenarios that say what happened: measures in force, events, military ends, refugees, both
perpetrators, strategy targets and per-state outcomes (end to end, both engines)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

import sim
from sim.config import InputError
from sim.model_inputs import model_inputs
from sim.outcome_columns import OUTCOMES
from sim.rules.events import Event
from sim.rules.outcomes import TRAJECTORY
from sim.scenario import EventSpec, MeasureSpec, parse_scenario
from sim.schema.scenario import EVENT_KINDS

REPS = 200


def _deaths(scenario: sim.Scenario, strategy: str = "no_response", column: str = "deaths") -> float:
    return float(sim.simulate(scenario, strategy, REPS, seed=3)[column].mean())


def _in_atrocity(single_state, **changes: object) -> sim.Scenario:
    return single_state(phase="atrocity", tension=0.8, severity=5.0, **changes).replace(weeks=52)


def test_event_kinds_match_the_rule_codes() -> None:
    assert [e.name.lower() for e in Event] == list(EVENT_KINDS)


def test_a_peacekeeping_mission_in_force_protects(single_state) -> None:
    scenario = _in_atrocity(single_state)
    deployed = scenario.replace(measures=(MeasureSpec("Eastmarch", "preventive_deployment", 1.0),))
    assert _deaths(deployed) < 0.8 * _deaths(scenario)


def test_cutting_a_mission_costs_lives_and_ending_the_episode_saves_them(single_state) -> None:
    scenario = _in_atrocity(single_state).replace(measures=(MeasureSpec("Eastmarch", "preventive_deployment", 1.0),))
    cut = scenario.replace(events=(EventSpec(2, "Eastmarch", "measure", "preventive_deployment", 0.1),))
    ended = scenario.replace(events=(EventSpec(2, "Eastmarch", "military_end"),))
    assert _deaths(cut) > _deaths(scenario) > _deaths(ended)
    table = sim.simulate(ended, "no_response", REPS, seed=3)
    assert (table["military_ends"] <= 1).all() and table["military_ends"].mean() > 0.5


def test_a_military_end_hazard_ends_episodes(single_state) -> None:
    scenario = _in_atrocity(single_state)
    table = sim.simulate(scenario.with_state("Eastmarch", military_end=0.2), "no_response", REPS, seed=3)
    assert table["military_ends"].mean() > 0.3
    assert (
        table["atrocity_state_weeks"].mean()
        < sim.simulate(scenario, "no_response", REPS, seed=3)["atrocity_state_weeks"].mean()
    )


def test_leadership_salience_risk_and_tension_events_change_the_run(single_state) -> None:
    scenario = single_state(tension=0.5).replace(weeks=52)
    base = _deaths(scenario)
    for event in (
        EventSpec(0, "Eastmarch", "leadership", "determined"),
        EventSpec(0, "Eastmarch", "risk_gained", "coup"),
        EventSpec(0, "Eastmarch", "tension", 0.4),
    ):
        assert _deaths(scenario.replace(events=(event,))) > base
    quiet = scenario.replace(events=(EventSpec(0, "Eastmarch", "salience", 0.0),))
    assert not sim.simulate(quiet, "early_prevention", 50, seed=3).equals(
        sim.simulate(scenario, "early_prevention", 50, seed=3)
    )


def test_events_do_not_leak_into_the_next_replication(single_state) -> None:
    scenario = single_state(tension=0.5).replace(events=(EventSpec(5, "Eastmarch", "leadership", "determined"),))
    together = sim.simulate(scenario, "no_response", 8, seed=1)
    alone = sim.simulate(scenario, "no_response", 1, seed=1, first=7)
    assert together.iloc[[7]].reset_index(drop=True).equals(alone)


def test_refugees_and_idps_split_the_displaced_and_only_refugees_spread(fragile_region) -> None:
    table = sim.simulate(fragile_region, "no_response", REPS, seed=3)
    assert np.allclose(table["refugees"], table["displaced"])
    assert (table["idps"].abs() <= 1e-9 * (1 + table["displaced"])).all()
    inside = fragile_region
    for name in fragile_region.state_names:
        inside = inside.with_state(name, refugee_share=0.2)
    split = sim.simulate(inside, "no_response", REPS, seed=3)
    assert np.allclose(split["refugees"] + split["idps"], split["displaced"])
    assert np.isclose(split["idps"].sum(), 4 * split["refugees"].sum(), rtol=0.01)
    _, fewer = sim.simulate(inside, "no_response", 20, seed=3, trajectories=True)
    _, more = sim.simulate(fragile_region, "no_response", 20, seed=3, trajectories=True)
    tension = TRAJECTORY.index("tension")
    assert fewer[:, :, tension].sum() < more[:, :, tension].sum()  # fewer refugees, less contagion


def test_both_perpetrators_lie_between_the_two(single_state) -> None:
    scenario = _in_atrocity(single_state, capacity=0.8)
    state, group = (
        scenario.with_state("Eastmarch", perpetrator="state"),
        scenario.with_state("Eastmarch", perpetrator="non_state"),
    )
    both = scenario.with_state("Eastmarch", perpetrator="both", non_state_share=0.5)
    assert _deaths(group) < _deaths(both) < _deaths(state)


def test_a_strategy_targets_only_named_states(fragile_region) -> None:
    strategy = sim.load_strategy("early_prevention")
    focal = fragile_region.state_names[0]
    only = strategy.replace(targets=(focal,))
    assert set(model_inputs(fragile_region, only).deciders.pairs[:, 0]) == {0}
    assert not sim.simulate(fragile_region, only, 50, seed=2).equals(sim.simulate(fragile_region, strategy, 50, seed=2))
    with pytest.raises(InputError, match=r"strategy\.targets: 'Atlantis' is not a state of scenario .*; allowed: "):
        model_inputs(fragile_region, strategy.replace(targets=("Atlantis",), source="mine.toml"))


def test_per_state_outcomes_add_up_to_the_region(fragile_region) -> None:
    table = sim.simulate(fragile_region, "no_response", 100, seed=4, by_state=True)
    assert list(sim.simulate(fragile_region, "no_response", 2, seed=4).columns) == ["replication", *OUTCOMES]
    names = fragile_region.state_names
    assert np.allclose(table[[f"deaths[{n}]" for n in names]].sum(axis=1), table["deaths"])
    assert np.allclose(table[[f"displaced[{n}]" for n in names]].sum(axis=1), table["displaced"])
    first = table[[f"onset_week[{n}]" for n in names]].min(axis=1)
    assert (first.fillna(-1) == table["onset_week"].fillna(-1)).all()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"measures": [{"state": "Nowhere", "instrument": "mediation", "intensity": 0.5}]}, r"measures\[0\]\.state: "),
        ({"measures": [{"state": "A", "instrument": "tanks", "intensity": 0.5}]}, r"measures\[0\]\.instrument: "),
        ({"measures": [{"state": "A", "instrument": "mediation", "intensity": 0}]}, r"measures\[0\]\.intensity: "),
        ({"events": [{"week": 1, "state": "A", "kind": "coup"}]}, r"events\[0\]\.kind: "),
        ({"events": [{"week": 1, "state": "A", "kind": "leadership"}]}, r"events\[0\]\.leadership: missing"),
        ({"events": [{"week": 1, "state": "A", "kind": "salience", "tension": 0.1, "salience": 0.2}]},
         r"events\[0\]\.tension: not a field"),
        ({"events": [{"week": -1, "state": "A", "kind": "military_end"}]}, r"events\[0\]\.week: "),
    ],
)  # fmt: skip
def test_bad_measures_and_events_give_one_line(extra: dict, message: str) -> None:
    data = {"scenario": {"name": "x"}, "states": [_state("A")], **extra}
    with pytest.raises(InputError, match="^x.toml: " + message):
        parse_scenario(data, "x.toml")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"refugee_share": 2}, r"states\[0\]\.refugee_share: "),
        ({"refugees_to": {"B": 0.5}}, r"states\[0\]\.refugees_to: the shares sum to 0.5"),
        ({"refugees_to": {"C": 1.0}}, r"states\[0\]\.refugees_to: 'C' is not a neighbour; allowed: B"),
        ({"non_state_share": 0.3}, r"states\[0\]\.non_state_share: only a state with both"),
        ({"perpetrator": "rebels"}, r"states\[0\]\.perpetrator: "),
        ({"military_end": -0.1}, r"states\[0\]\.military_end: "),
    ],
)
def test_bad_state_fields_give_one_line(changes: dict, message: str) -> None:
    data = {"scenario": {"name": "x"}, "states": [_state("A", neighbours=["B"], **changes), _state("B"), _state("C")]}
    with pytest.raises(InputError, match="^x.toml: " + message):
        parse_scenario(data, "x.toml")


def test_bad_targets_give_one_line() -> None:
    with pytest.raises(InputError, match=r"^s.toml: strategy\.targets: "):
        sim.strategy.parse_strategy({"strategy": {"name": "s", "targets": "Rwanda"}}, "s.toml")


def _state(name: str, **changes: object) -> dict:
    base = {"name": name, "population": 1e6, "vulnerable_share": 0.1, "capacity": 0.3, "tension": 0.3,
            "leadership": "divided", "crime": "genocide"}  # fmt: skip
    return {**base, **changes}


@pytest.mark.parametrize("changes", [{"military_end": 0.1}, {"perpetrator": "both", "non_state_share": 0.3}])
def test_engines_identical_with_the_new_state_fields(single_state, changes: dict) -> None:
    scenario = _in_atrocity(single_state, **changes).replace(
        events=(EventSpec(3, "Eastmarch", "leadership", "determined"), EventSpec(6, "Eastmarch", "risk_gained", "coup"))
    )
    numba_out = sim.simulate(scenario, "three_pillar_flexible", 10, seed=11, engine="numba")
    mesa_out = sim.simulate(scenario, "three_pillar_flexible", 10, seed=11, engine="mesa")
    assert numba_out.equals(mesa_out)


def test_old_scenarios_take_the_old_paths(fragile_region) -> None:
    region = fragile_region.region()
    for record in region:
        assert (record["inflow_share"][: record["degree"]] == -1.0).all()
    assert (region["n_events"] == 0).all() and (region["measure"] == 0).all()
    assert (region["non_state_share"] == [s.perpetrator == "non_state" for s in fragile_region.states]).all()
    assert dataclasses.asdict(fragile_region.states[0])["refugee_share"] == 1.0

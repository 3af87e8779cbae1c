"""The scheduled event ``patron``: a permanent member takes a new interest in a state as its patron."""

from __future__ import annotations

import pytest

import sim
from sim.config import InputError
from sim.scenario import EventSpec, parse_scenario

REPS = 60


def _force() -> sim.Strategy:
    return sim.load_strategy("no_response").with_instrument("chapter7_force", enabled=True, trigger=0.3, delay=0)


def _in_atrocity(single_state, **changes: object) -> sim.Scenario:
    return single_state(phase="atrocity", tension=0.8, severity=5.0, **changes).replace(weeks=52)


def _vetoes(scenario: sim.Scenario, engine: str = "numba", reps: int = REPS) -> float:
    return float(sim.simulate(scenario, _force(), reps, seed=4, engine=engine)["vetoes"].sum())


def test_a_patron_that_leaves_no_longer_vetoes(single_state) -> None:
    scenario = _in_atrocity(single_state, patrons=(("russia", 1.0),))
    assert _vetoes(scenario) > 0
    leaves = scenario.replace(events=(EventSpec(0, "Eastmarch", "patron", "russia", interest=0.0),))
    assert _vetoes(leaves) == 0


def test_a_new_patron_vetoes_from_its_week_on(single_state) -> None:
    scenario = _in_atrocity(single_state)
    assert _vetoes(scenario) == 0
    joins = scenario.replace(events=(EventSpec(0, "Eastmarch", "patron", "china", interest=1.0),))
    assert _vetoes(joins) > 0
    late = scenario.replace(events=(EventSpec(51, "Eastmarch", "patron", "china", interest=1.0),))
    assert _vetoes(late) < _vetoes(joins)


def test_both_engines_agree_on_the_event(single_state) -> None:
    scenario = _in_atrocity(single_state, patrons=(("russia", 1.0),)).replace(
        events=(EventSpec(8, "Eastmarch", "patron", "russia", interest=0.2),
                EventSpec(8, "Eastmarch", "patron", "china", interest=0.7)))  # fmt: skip
    numba = sim.simulate(scenario, _force(), 8, seed=4, engine="numba")
    assert numba.equals(sim.simulate(scenario, _force(), 8, seed=4, engine="mesa"))


def test_the_event_row_names_the_member() -> None:
    event = {"week": 3, "state": "A", "kind": "patron", "member": "united_states", "interest": 0.4}
    data = {"scenario": {"name": "x"}, "states": [_state("A")], "events": [event]}
    region = parse_scenario(data, "x.toml").region()
    assert region[0]["events"][0].tolist() == [3, 7, 0.4, -1, 4]


@pytest.mark.parametrize(
    ("event", "message"),
    [
        ({"member": "Russia", "interest": 0.5},
         r"events\[0\]\.member: 'Russia' is not allowed; allowed: "
         r"china, france, russia, united_kingdom, united_states$"),
        ({"interest": 0.5}, r"events\[0\]\.member: missing for a 'patron' event; allowed: china, france, russia"),
        ({"member": "china"}, r"events\[0\]\.interest: missing for a 'patron' event; allowed: 0 to 1$"),
        ({"member": "china", "interest": 1.5}, r"events\[0\]\.interest: "),
    ],
)  # fmt: skip
def test_bad_patron_events_give_one_line(event: dict, message: str) -> None:
    data = {"scenario": {"name": "x"}, "states": [_state("A")],
            "events": [{"week": 1, "state": "A", "kind": "patron", **event}]}  # fmt: skip
    with pytest.raises(InputError, match="^x.toml: " + message):
        parse_scenario(data, "x.toml")


def test_patron_fields_belong_to_the_patron_event_only() -> None:
    for extra in ({"member": "china"}, {"interest": 0.3}):
        data = {"scenario": {"name": "x"}, "states": [_state("A")],
                "events": [{"week": 1, "state": "A", "kind": "military_end", **extra}]}  # fmt: skip
        with pytest.raises(InputError, match=r"^x.toml: events\[0\]\.(member|interest): not a field"):
            parse_scenario(data, "x.toml")


def _state(name: str) -> dict:
    return {"name": name, "population": 1e6, "vulnerable_share": 0.2, "capacity": 0.5, "tension": 0.3,
            "leadership": "divided", "crime": "genocide"}  # fmt: skip

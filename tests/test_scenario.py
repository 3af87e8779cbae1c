"""Scenarios: shipped files load and say they are stylised; the region layout is consistent."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import sim
from sim.concepts import Phase
from sim.config import REPO_ROOT, shipped


@pytest.mark.parametrize("name", shipped("scenarios"))
def test_shipped_scenarios_load_and_are_labelled(name: str) -> None:
    scenario = sim.load_scenario(name)
    assert scenario.states and scenario.weeks > 0
    text = (REPO_ROOT / "scenarios" / f"{name}.toml").read_text().lower()
    assert "fictional" in text or "stylised" in text, "every scenario says it is not a real-world forecast"


def test_fragile_region_is_the_classroom_default(fragile_region: sim.Scenario) -> None:
    assert 10 <= len(fragile_region.states) <= 14
    assert {b.kind for b in fragile_region.bodies} == {"regional", "subregional"}
    assert any(s.patron for s in fragile_region.states)
    assert {s.leadership for s in fragile_region.states} == {"resilient", "divided", "determined"}


def test_borders_are_symmetric_and_sorted(fragile_region: sim.Scenario) -> None:
    region = fragile_region.region()
    for i in range(len(region)):
        mine = list(region[i]["neighbours"][: region[i]["degree"]])
        assert mine == sorted(mine)
        for j in mine:
            assert i in region[j]["neighbours"][: region[j]["degree"]]


def test_initial_phase_follows_tension_thresholds(fragile_region: sim.Scenario) -> None:
    phases = fragile_region.region()["phase0"]
    tensions = fragile_region.region()["tension0"]
    assert np.all(phases[tensions < 0.35] == Phase.STABLE)
    assert np.all(phases[tensions >= 0.6] == Phase.CRISIS)


def test_parameter_overrides_are_checked(fragile_region: sim.Scenario) -> None:
    changed = fragile_region.with_params(shock_sd=0.05)
    assert changed.parameter_vector()[sim.parameters.P.SHOCK_SD] == 0.05
    with pytest.raises(sim.InputError, match=r"shock_sd.*from 0 to 0\.5"):
        fragile_region.with_params(shock_sd=3.0)
    with pytest.raises(sim.InputError, match="unknown model parameter"):
        fragile_region.with_params(bravery=1.0)


def test_with_state_names_the_state(fragile_region: sim.Scenario) -> None:
    assert fragile_region.with_state("Highmoor", leadership="divided").states[4].leadership == "divided"
    with pytest.raises(sim.InputError, match="no state 'Atlantis'"):
        fragile_region.with_state("Atlantis", leadership="divided")


def _one_state(**fields: object) -> dict:
    state = {"name": "A", "population": 1e6, "vulnerable_share": 0.1, "capacity": 0.5, "tension": 0.3,
             "leadership": "divided", "crime": "genocide", **fields}  # fmt: skip
    return {"scenario": {"name": "x"}, "states": [state]}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (_one_state(patron="russia", patrons={"china": 1.0}), r"x\.toml: states\[0\]\.patrons: both .*one of them"),
        (_one_state(patrons={"germany": 1.0}), r"states\[0\]\.patrons: 'germany' is not allowed; allowed: china"),
        (_one_state(patrons={"china": 2.0}), r"states\[0\]\.patrons\.china: 2\.0 is out of range"),
        (_one_state(patrons=["china"]), r"states\[0\]\.patrons: expected a table"),
        (_one_state(penholder="germany"), r"states\[0\]\.penholder: 'germany' is not allowed"),
        ({**_one_state(), "bodies": [{"name": "B", "kind": "regional", "capacity": 0.5, "members": ["A"],
                                      "council_seats": 11}]}, r"bodies\[0\]\.council_seats: 11 is out of range"),
        ({**_one_state(), "bodies": [{"name": "B", "kind": "regional", "capacity": 0.5, "members": ["A"],
                                      "stance": "maybe"}]}, r"bodies\[0\]\.stance: 'maybe' is not allowed"),
        ({**_one_state(), "bodies": [{"name": b, "kind": "regional", "capacity": 0.5, "members": ["A"],
                                      "council_seats": 6} for b in "BC"]}, r"bodies\[1\]\.council_seats: more elected"),
    ],
)  # fmt: skip
def test_bad_council_fields_get_one_line(data: dict, message: str) -> None:
    with pytest.raises(sim.InputError, match=message) as error:
        sim.scenario.parse_scenario(data, "x.toml")
    assert "\n" not in str(error.value)


def test_patrons_and_penholder_reach_the_region() -> None:
    scenario = sim.scenario.parse_scenario(_one_state(patrons={"russia": 1.0, "china": 0.6}, penholder="france"), "x")
    region = scenario.region()
    assert list(region["patrons"][0]) == [0.6, 0.0, 1.0, 0.0, 0.0]
    assert region["penholder"][0] == 1 and (region["bloc"][0] == -1).all()


def _shipped_with(tmp_path: Path, old: str, new: str) -> Path:
    """fragile_region written to a file with ``old`` replaced by ``new`` once."""
    text = (REPO_ROOT / "scenarios" / "fragile_region.toml").read_text()
    assert old in text
    path = tmp_path / "scenario.toml"
    path.write_text(text.replace(old, new, 1))
    return path


def test_odds_ratio_of_zero_is_refused(tmp_path: Path) -> None:
    path = _shipped_with(tmp_path, "[warning]", "[model]\nor_coup = 0\n\n[warning]")
    with pytest.raises(sim.InputError, match=r"model\.or_coup: 0 is out of range; allowed: a number above 0"):
        sim.load_scenario(path)


def test_unknown_name_with_a_line_break_is_echoed_on_one_short_line(tmp_path: Path) -> None:
    member = "Nowhere\\n" + "x" * 1000
    path = _shipped_with(tmp_path, 'members = ["Northland", ', f'members = ["{member}", ')
    with pytest.raises(sim.InputError) as caught:
        sim.load_scenario(path)
    text = str(caught.value)
    assert len(text.splitlines()) == 1 and "'Nowhere\\n" in text
    assert len(text.split("; allowed: ")[0]) <= 400


@pytest.mark.parametrize("written", ['"1994-02-30"', "1994-03-28", '"March 1994"'])
def test_a_start_date_must_be_a_quoted_calendar_date(tmp_path: Path, written: str) -> None:
    path = _shipped_with(tmp_path, "[scenario]\n", f"[scenario]\nstart = {written}\n")
    allowed = 'allowed: a quoted date such as "1994-03-28"'
    with pytest.raises(sim.InputError, match=rf"scenario\.start: expected a date.*{allowed}"):
        sim.load_scenario(path)


def test_a_historical_scenario_dates_week_zero() -> None:
    import datetime

    assert sim.load_scenario("rwanda_1994").start == datetime.date(1994, 3, 28)
    assert sim.load_scenario("fragile_region").start is None

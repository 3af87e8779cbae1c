"""Side effects: sovereignty backlash and resentment, sanctions that hurt, moral hazard."""

from __future__ import annotations

import numpy as np

import sim
from sim.concepts import INSTRUMENT_NAMES, Phase, Status
from sim.parameters import BY_NAME, first_version
from sim.rules.backlash import consent_factor, react
from sim.state import REGION, RISK_FACTORS, new_world

REPS = 3000


def _old_except(scenario: sim.Scenario, *names: str) -> sim.Scenario:
    return scenario.with_params(**{k: v for k, v in first_version().items() if k not in names})


def _setup(state_led: int = 1, armed: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    region = np.zeros(1, REGION)
    region[0]["state_led"] = state_led
    region[0]["risk"][RISK_FACTORS.index("armed_conflict")] = armed
    w = new_world(1)
    return region, w, sim.load_scenario("fragile_region").parameter_vector()


def test_intrusive_measures_outside_atrocity_raise_tension_and_resentment() -> None:
    region, w, p = _setup()
    w[0]["phase"] = Phase.CRISIS
    react(0, 0.5, 0.0, region, w, p)
    assert w[0]["grievance"] == BY_NAME["backlash_tension"].default * 0.5
    assert w[0]["resentment"] == 0.5 and w[0]["backlash"] == 0.5
    assert consent_factor(0, w, p) == np.exp(-BY_NAME["resentment_consent"].default * 0.5) < 1.0
    w[0]["phase"] = Phase.ATROCITY
    react(0, 0.5, 0.0, region, w, p)
    assert w[0]["grievance"] == 0.0 and w[0]["backlash"] == 0.5
    assert w[0]["resentment"] == 0.5 * (1.0 - BY_NAME["resentment_decay"].default)


def test_sanctions_raise_grievance_and_an_expected_force_mobilises_a_rebel_group() -> None:
    region, w, p = _setup(armed=True)
    react(0, 0.0, 1.0, region, w, p)
    assert w[0]["grievance"] == BY_NAME["sanction_grievance"].default
    w[0]["status"][INSTRUMENT_NAMES.index("chapter7_force")] = Status.PENDING
    w[0]["underway"] = 1 << INSTRUMENT_NAMES.index("chapter7_force")
    react(0, 0.0, 0.0, region, w, p)
    assert w[0]["grievance"] == BY_NAME["moral_hazard_tension"].default
    region, w, p = _setup(armed=False)  # a state perpetrator and no armed conflict: nobody to mobilise
    w[0]["status"][INSTRUMENT_NAMES.index("chapter7_force")] = Status.ACTIVE
    w[0]["underway"] = 1 << INSTRUMENT_NAMES.index("chapter7_force")
    react(0, 0.0, 0.0, region, w, p)
    assert w[0]["grievance"] == 0.0


def test_off_values_leave_tension_and_consent_unchanged() -> None:
    region, w, _ = _setup(armed=True)
    p = sim.load_scenario("fragile_region").with_params(**first_version()).parameter_vector()
    w[0]["status"][INSTRUMENT_NAMES.index("chapter7_force")] = Status.PENDING
    w[0]["underway"] = 1 << INSTRUMENT_NAMES.index("chapter7_force")
    react(0, 0.8, 1.0, region, w, p)
    assert w[0]["grievance"] == 0.0 and w[0]["resentment"] > 0.0
    assert consent_factor(0, w, p) == 1.0


def test_backlash_raises_onset_under_early_intrusive_measures(single_state, report) -> None:
    scenario = single_state(leadership="divided", tension=0.5)
    intrusive = sim.load_strategy("no_response").with_instrument("fact_finding", enabled=True, trigger=0.3)
    intrusive = intrusive.with_instrument("council_statement", enabled=True, trigger=0.3)
    old = _old_except(scenario)
    new = _old_except(scenario, "backlash_tension")
    before = sim.simulate(old, intrusive, REPS, seed=5)["onset"].mean()
    after = sim.simulate(new, intrusive, REPS, seed=5)["onset"].mean()
    report(f"onset probability under early intrusive measures: {before:.3f} -> {after:.3f} with backlash")
    assert after > before


def test_sanctions_raise_tension_and_onset(single_state, report) -> None:
    scenario = single_state(leadership="divided", tension=0.5)
    sanctions = sim.load_strategy("no_response").with_instrument("targeted_sanctions", enabled=True, trigger=0.3)
    before = sim.simulate(_old_except(scenario), sanctions, REPS, seed=5)["onset"].mean()
    after = sim.simulate(_old_except(scenario, "sanction_grievance"), sanctions, REPS, seed=5)["onset"].mean()
    report(f"onset probability under early sanctions: {before:.3f} -> {after:.3f} with sanction grievance")
    assert after > before


def test_moral_hazard_raises_onset_where_a_rebel_group_can_mobilise(single_state, report) -> None:
    scenario = single_state(leadership="divided", tension=0.5, perpetrator="non_state")
    force = sim.load_strategy("no_response").with_instrument("chapter7_force", enabled=True, trigger=0.3)
    before = sim.simulate(_old_except(scenario), force, REPS, seed=5)["onset"].mean()
    after = sim.simulate(_old_except(scenario, "moral_hazard_tension"), force, REPS, seed=5)["onset"].mean()
    report(f"onset probability with a force expected: {before:.3f} -> {after:.3f} with moral hazard")
    assert after > before

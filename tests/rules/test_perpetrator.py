"""The perpetrator's calculus: credible force and the ICC deter, hollow threats and sanctions embolden."""

from __future__ import annotations

import numpy as np

import sim
from sim.concepts import Leadership
from sim.parameters import BY_NAME, first_version
from sim.rules.perpetrator import weigh_punishment
from sim.state import REGION, new_world

REPS = 3000
CALCULUS = ("force_deterrence", "icc_deterrence", "hollow_threat_killing", "sanction_repression")


def _old_except(scenario: sim.Scenario, *names: str) -> sim.Scenario:
    """The first model version with only the mechanisms of ``names`` at their defaults."""
    return scenario.with_params(**{k: v for k, v in first_version().items() if k not in names})


def _coercion_only() -> sim.Strategy:
    nothing = sim.load_strategy("no_response")
    for name in ("council_statement", "targeted_sanctions", "arms_embargo"):
        nothing = nothing.with_instrument(name, enabled=True, trigger=0.5, delay=0)
    return nothing


def _deaths(scenario: sim.Scenario, strategy: sim.Strategy | str) -> float:
    return float(sim.simulate(scenario, strategy, REPS, seed=23)["deaths"].mean())


def _one(leadership: Leadership, state_led: int) -> tuple[np.ndarray, np.ndarray]:
    region = np.zeros(1, REGION)
    region[0]["leadership"] = leadership
    region[0]["state_led"] = state_led
    return region, new_world(1)


def test_hollow_threats_embolden_and_force_or_the_icc_deter_a_determined_state_perpetrator() -> None:
    p = sim.load_scenario("libya_2011").parameter_vector()
    region, w = _one(Leadership.DETERMINED, 1)
    weigh_punishment(0, 0.0, 0.0, 1.0, 0.0, region, w, p)
    assert w[0]["resolve"] == 1.0 + BY_NAME["hollow_threat_killing"].default and w[0]["restraint"] == 1.0
    weigh_punishment(0, 1.0, 0.0, 1.0, 0.0, region, w, p)
    assert w[0]["restraint"] == w[0]["resolve"] == 1.0 - BY_NAME["force_deterrence"].default
    weigh_punishment(0, 0.0, 1.0, 0.0, 0.0, region, w, p)
    assert w[0]["restraint"] == 1.0 - BY_NAME["icc_deterrence"].default
    region, w = _one(Leadership.DIVIDED, 1)
    weigh_punishment(0, 1.0, 1.0, 1.0, 1.0, region, w, p)
    assert w[0]["restraint"] == 1.0 and w[0]["resolve"] == 1.0 + BY_NAME["sanction_repression"].default
    region, w = _one(Leadership.DETERMINED, 0)
    weigh_punishment(0, 0.0, 0.0, 1.0, 1.0, region, w, p)
    assert w[0]["restraint"] == w[0]["resolve"] == 1.0


def test_off_values_leave_the_perpetrator_unmoved() -> None:
    p = sim.load_scenario("libya_2011").with_params(**first_version()).parameter_vector()
    region, w = _one(Leadership.DETERMINED, 1)
    for doses in [(0.0, 0.0, 1.0, 1.0), (1.0, 1.0, 0.0, 0.0), (0.5, 0.2, 0.7, 0.3)]:
        weigh_punishment(0, *doses, region, w, p)
        assert w[0]["restraint"] == w[0]["resolve"] == 1.0


def test_coercion_short_of_force_raises_killing_by_a_determined_state_perpetrator(report) -> None:
    libya = sim.load_scenario("libya_2011")
    old = _old_except(libya)
    new = _old_except(libya, *CALCULUS)
    before, after = _deaths(old, _coercion_only()), _deaths(new, _coercion_only())
    report(f"libya_2011, coercion only: deaths {before:.0f} without the calculus, {after:.0f} with it")
    assert after > 1.2 * before


def test_credible_force_lowers_killing_by_a_determined_state_perpetrator(report) -> None:
    libya = sim.load_scenario("libya_2011")
    force = sim.load_strategy("no_response").with_instrument("chapter7_force", enabled=True, trigger=0.5, delay=0)
    before = _deaths(_old_except(libya), force)
    after = _deaths(_old_except(libya, "force_deterrence"), force)
    report(f"libya_2011, force only: deaths {before:.0f} without force deterrence, {after:.0f} with it")
    assert after < before

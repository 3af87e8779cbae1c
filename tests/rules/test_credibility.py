"""False alarms: alerts that lapse without an onset are counted and cost credibility."""

from __future__ import annotations

import sim
from sim.concepts import Phase
from sim.parameters import BY_NAME, first_version
from sim.rules.credibility import track_alert
from sim.state import new_world

REPS = 3000


def test_an_alert_that_lapses_without_an_onset_is_a_false_alarm() -> None:
    p = sim.load_scenario("fragile_region").parameter_vector()
    threshold = BY_NAME["warning_threshold"].default
    w = new_world(1)
    w[0]["alert_week"], w[0]["credibility"], w[0]["phase"] = -1, 1.0, Phase.CRISIS
    w[0]["perceived"] = threshold
    track_alert(0, 3, w, p)
    assert w[0]["alert_week"] == 3
    w[0]["perceived"] = threshold - 0.5 * BY_NAME["alert_hysteresis"].default
    track_alert(0, 4, w, p)
    assert w[0]["alert_week"] == 3 and w[0]["false_alarms"] == 0
    w[0]["perceived"] = threshold - 2 * BY_NAME["alert_hysteresis"].default
    track_alert(0, 5, w, p)
    assert w[0]["alert_week"] == -1 and w[0]["false_alarms"] == 1
    assert w[0]["credibility"] == 1.0 - BY_NAME["cry_wolf_cost"].default


def test_an_alert_followed_by_an_onset_is_no_false_alarm() -> None:
    p = sim.load_scenario("fragile_region").parameter_vector()
    w = new_world(1)
    w[0]["alert_week"], w[0]["credibility"], w[0]["phase"] = -1, 1.0, Phase.CRISIS
    w[0]["perceived"] = 0.9
    track_alert(0, 3, w, p)
    w[0]["episodes"] = 1
    w[0]["phase"] = Phase.RECOVERY
    w[0]["perceived"] = 0.0
    track_alert(0, 4, w, p)
    assert w[0]["alert_week"] == -1 and w[0]["false_alarms"] == 0 and w[0]["credibility"] == 1.0


def test_false_alarms_are_counted_and_only_the_cry_wolf_cost_changes_the_response(fragile_region, report) -> None:
    strategy = "early_prevention"
    old = fragile_region.with_params(**first_version())
    new = fragile_region.with_params(**{**first_version(), "cry_wolf_cost": BY_NAME["cry_wolf_cost"].default})
    before = sim.simulate(old, strategy, REPS, seed=9)
    after = sim.simulate(new, strategy, REPS, seed=9)
    report(
        f"false alarms per replication: {before['false_alarms'].mean():.2f} (old) {after['false_alarms'].mean():.2f}"
    )
    assert before["false_alarms"].mean() > 0.0
    assert after["deaths"].mean() > before["deaths"].mean()

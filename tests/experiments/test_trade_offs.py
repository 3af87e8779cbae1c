"""The trade-off checks S10-S13: each runs at a small size, its statistic has the structure the
report needs, and each can fail (with the first model version's parameters, or on made-up runs)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.config import REPO_ROOT, InputError
from sim.experiments.design import DesignPoint
from sim.experiments.facts import FAILS, HOLDS, Finding
from sim.experiments.trade_offs import ARMS, CLAIMS, FACTS, shifted, without_coercion
from sim.experiments.validation import load_validation
from sim.parameters import first_version
from sim.strategy import load_strategy

REPS = 100
SEED = 20261205


def _measure(fact: str, conditions: dict, reps: int = REPS) -> Finding:
    """Simulate every arm of ``fact`` with the same seed and measure the check."""
    runs = {label: arm.measure(DesignPoint(0, arm.scenario, arm.strategy, ()), 0, reps, SEED, None)
            for label, arm in ARMS[fact](conditions).items()}  # fmt: skip
    return FACTS[fact][1](conditions, reps, runs)


def _first_version(conditions: dict) -> dict:
    return {**conditions, "scenario": conditions["scenario"].with_params(**first_version())}


@pytest.fixture(scope="module")
def conditions() -> dict[str, dict]:
    spec = load_validation("validation")
    return {fact: spec.facts[fact] for fact in FACTS}


@pytest.mark.parametrize("fact", sorted(FACTS))
def test_each_check_gives_a_finding_with_ci_n_and_parts(fact: str, conditions: dict[str, dict]) -> None:
    finding = _measure(fact, conditions[fact])
    assert finding.fact == fact and finding.claim == CLAIMS[fact]
    assert finding.low <= finding.effect <= finding.high and finding.n == REPS
    assert finding.verdict in {HOLDS, FAILS, "partly"} and finding.criterion and finding.measure
    parts = finding.parts
    assert list(parts.columns) == ["quantity", "value", "ci95_low", "ci95_high", "n", "unit", "reference"]
    assert (parts["n"] == REPS).all() and parts["value"].notna().all()


def test_s10_does_not_hold_in_the_first_model_version(conditions: dict[str, dict]) -> None:
    finding = _measure("S10", _first_version(conditions["S10"]))
    extra = finding.parts.set_index("quantity").loc["extra deaths from coercion, determined"]
    assert finding.verdict != HOLDS and extra["ci95_low"] <= 0  # no emboldening: coercion does not add deaths


def test_s11_deaths_alone_are_lowest_at_the_lowest_trigger_only_in_the_first_model_version(
    conditions: dict[str, dict],
) -> None:
    deaths_only = {**conditions["S11"], "false_alarm_prices": [0, 0], "backlash_price": 0, "money_price": 0}
    first = _measure("S11", _first_version(deaths_only), reps=2000)
    assert first.verdict != HOLDS and first.high < 0  # acting on the faintest signal was best
    second = _measure("S11", deaths_only, reps=2000)
    assert second.low > 0  # the second version's backlash makes the lowest trigger cost lives


def test_s13_does_not_hold_in_the_first_model_version(conditions: dict[str, dict]) -> None:
    s13 = _measure("S13", _first_version(conditions["S13"]))
    rows = s13.parts.set_index("quantity")
    assert rows.loc["capacity shortfall per run, every state, pools", "value"] == 0  # pools never bind
    assert s13.verdict == FAILS


def _runs(labels: dict[str, np.ndarray], column: str = "deaths", **more: np.ndarray) -> dict[str, pd.DataFrame]:
    return {label: pd.DataFrame({column: values, **more}) for label, values in labels.items()}


def test_s11_verdict_follows_the_shape_of_the_curve(conditions: dict[str, dict]) -> None:
    c = conditions["S11"]
    rng = np.random.default_rng(1)
    noise = rng.normal(0, 1, REPS)

    def runs(curve: list[float], alarms: list[float] | None = None) -> dict[str, pd.DataFrame]:
        alarms = alarms or [0.0] * len(curve)
        return {f"trigger {t:g}": pd.DataFrame({"deaths": level + noise, "false_alarms": a + 0 * noise,
                                               "backlash": 0 * noise, "cost": 0 * noise})
                for t, level, a in zip(c["triggers"], curve, alarms, strict=True)}  # fmt: skip

    valley = FACTS["S11"][1](c, REPS, runs([50, 30, 20, 30, 50]))
    assert valley.verdict == HOLDS and valley.effect == pytest.approx(30)
    rising = FACTS["S11"][1](c, REPS, runs([10, 20, 30, 40, 50]))
    assert rising.verdict != HOLDS and rising.high < 0
    # false alarms only at the lowest triggers: free they leave the minimum at the lowest, dear they move it
    dear = max(c["false_alarm_prices"])
    moved = FACTS["S11"][1](c, REPS, runs([10, 20, 30, 40, 50], [1000 / dear, 0, 0, 0, 0]))
    assert moved.verdict == HOLDS and "priced 0: at 0.1" in moved.note and f"priced {dear:g}: at 0.2" in moved.note


def test_s13_verdict_follows_the_extra_deaths(conditions: dict[str, dict]) -> None:
    c = conditions["S13"]
    column, base = f"deaths[{c['state']}]", np.linspace(0, 100, REPS)

    def runs(extra_pools: float, extra_none: float) -> dict[str, pd.DataFrame]:
        values = {"pools targeted": base, "pools everywhere": base + extra_pools + np.sin(base),
                  "no pools targeted": base, "no pools everywhere": base + extra_none}  # fmt: skip
        return _runs(values, column, capacity_shortfall=0 * base)

    assert FACTS["S13"][1](c, REPS, runs(5.0, 0.0)).verdict == HOLDS
    assert FACTS["S13"][1](c, REPS, runs(-5.0, 0.0)).verdict == FAILS


def test_arms_change_only_what_the_check_compares(conditions: dict[str, dict]) -> None:
    s10 = ARMS["S10"](conditions["S10"])
    coercion, none = s10["determined coercion"].strategy, s10["determined none"].strategy
    assert "chapter7_force" not in coercion.enabled and "targeted_sanctions" in coercion.enabled
    assert set(coercion.enabled) - set(none.enabled) == {"council_statement", "targeted_sanctions", "arms_embargo"}
    assert without_coercion(load_strategy("pillar2_only")).enabled == load_strategy("pillar2_only").enabled
    assert all(not s.interests() for arm in s10.values() for s in arm.scenario.states)
    moved = shifted(load_strategy("early_prevention"), -0.25)
    assert [s.trigger for s in moved.settings if s.enabled][:2] == pytest.approx([0.10, 0.10])
    s13 = ARMS["S13"](conditions["S13"])
    assert s13["pools targeted"].strategy.targets == ("Eastmarch",) and s13["pools everywhere"].strategy.targets == ()
    assert s13["no pools targeted"].scenario.params["peacekeeping_pool"] == 1e9
    assert s13["pools targeted"].scenario.params == conditions["S13"]["scenario"].params


def test_s12_verdict_follows_the_deaths_and_vetoes_left(conditions: dict[str, dict]) -> None:
    c, base = conditions["S12"], np.linspace(1000, 2000, REPS)
    arms = ARMS["S12"](c)
    assert [arm.strategy.veto_restraint for arm in arms.values()] == [False, ("russia",), True]

    def runs(extra: float, vetoes: float) -> dict[str, pd.DataFrame]:
        deaths = {"none": base + 500, "one": base + extra + np.sin(base), "all": base}
        return {label: pd.DataFrame({"deaths": d, "vetoes": vetoes * (base > 1500)}) for label, d in deaths.items()}

    assert FACTS["S12"][1](c, REPS, runs(200.0, 1.0)).verdict == HOLDS
    assert FACTS["S12"][1](c, REPS, runs(0.0, 0.0)).verdict == FAILS  # one patron's restraint was enough


def test_s12_needs_a_state_with_two_patrons(tmp_path) -> None:
    text = (REPO_ROOT / "experiments" / "validation.toml").read_text()
    path = tmp_path / "validation.toml"
    path.write_text(text.replace('restrained = "russia"', 'restrained = "france"'))
    with pytest.raises(InputError) as caught:
        load_validation(path)
    message = str(caught.value)
    assert "\n" not in message and "S12.restrained: 'france' is no patron of Syria; allowed: china, russia" in message

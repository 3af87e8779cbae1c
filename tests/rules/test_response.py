"""Decisions: timing of triggers, the veto and the veto-restraint norm."""

from __future__ import annotations

import numpy as np

import sim
from sim.concepts import COUNCIL_SEATS, N_P5, Vote
from sim.experiments.statistics import mean_ci
from sim.rules.response import tally

REPS = 3000


def _paired(scenario: sim.Scenario, a: sim.Strategy, b: sim.Strategy, column: str = "deaths", seed: int = 5):
    """Mean and 95 % CI of outcome(b) - outcome(a) over the same replications."""
    first = sim.simulate(scenario, a, REPS, seed=seed)[column].to_numpy(dtype=float)
    second = sim.simulate(scenario, b, REPS, seed=seed)[column].to_numpy(dtype=float)
    return mean_ci(second - first), first.mean()


def _shift_all(strategy: sim.Strategy, delay: int) -> sim.Strategy:
    for pillar in (1, 2, 3):
        strategy = strategy.with_pillar(pillar, delay=delay)
    return strategy


def test_earlier_response_means_fewer_deaths(fragile_region: sim.Scenario, report) -> None:
    flexible = sim.load_strategy("three_pillar_flexible")
    early, late = _shift_all(flexible, 0), _shift_all(flexible, 12)
    (mean, low, high), early_deaths = _paired(fragile_region, early, late)
    report(f"responding 12 weeks later adds {mean:,.0f} deaths [{low:,.0f}, {high:,.0f}] "
           f"({REPS} paired reps, {mean / early_deaths:+.0%})")  # fmt: skip
    assert low > 0


def test_lower_triggers_mean_fewer_deaths(fragile_region: sim.Scenario, report) -> None:
    flexible = sim.load_strategy("three_pillar_flexible")
    sensitive, hesitant = flexible, flexible
    for k, setting in enumerate(flexible.settings):
        name = sim.strategy.INSTRUMENT_NAMES[k]
        sensitive = sensitive.with_instrument(name, trigger=max(setting.trigger - 0.1, 0.0))
        hesitant = hesitant.with_instrument(name, trigger=min(setting.trigger + 0.1, 1.0))
    (mean, low, high), _ = _paired(fragile_region, sensitive, hesitant)
    report(f"triggers 0.2 higher on perceived risk add {mean:,.0f} deaths [{low:,.0f}, {high:,.0f}]")
    assert low > 0


def test_veto_restraint_matters_only_with_a_patron(single_state, report) -> None:
    coercion = sim.load_strategy("reactive_coercion")
    restrained = coercion.replace(veto_restraint=True)
    client = single_state(leadership="determined", patron="russia", tension=0.6)
    (mean, low, high), base = _paired(client, coercion, restrained)
    (veto_mean, _, veto_high), base_vetoes = _paired(client, coercion, restrained, column="vetoes")
    report(f"with a P5 patron, veto restraint changes deaths by {mean:,.0f} [{low:,.0f}, {high:,.0f}] "
           f"of {base:,.0f}, vetoes by {veto_mean:+.2f} of {base_vetoes:.2f}")  # fmt: skip
    assert high < 0 and veto_high < 0

    unprotected = single_state(leadership="determined", patron="", tension=0.6)
    without = sim.simulate(unprotected, coercion, REPS, seed=5)
    with_norm = sim.simulate(unprotected, restrained, REPS, seed=5)
    assert without.equals(with_norm), "without a patron nobody vetoes, so restraint changes nothing"
    assert (without["vetoes"] == 0).all()


def test_uniting_for_peace_acts_only_after_a_veto(single_state) -> None:
    coercion = sim.load_strategy("reactive_coercion").replace(uniting_for_peace=True)
    client = sim.simulate(single_state(leadership="determined", patron="russia", tension=0.6), coercion, 500, seed=3)
    assert client["uniting_for_peace"].any()
    assert (client.loc[client["uniting_for_peace"], "vetoes"] > 0).all()
    free = sim.simulate(single_state(leadership="determined", tension=0.6), coercion, 500, seed=3)
    assert not free["uniting_for_peace"].any()


def test_council_acts_only_on_states_the_joint_office_warned_about(fragile_region: sim.Scenario) -> None:
    table = sim.simulate(fragile_region, "reactive_coercion", 300, seed=6)
    acted = table.dropna(subset=["first_response_week_pillar3"])
    assert len(acted) > 0
    assert (acted["first_warning_week"].notna()).all()
    assert np.all(acted["first_response_week_pillar3"] >= acted["first_warning_week"])


def _votes(yes: int, p5: tuple[Vote, ...] = (Vote.YES,) * N_P5) -> np.ndarray:
    elected = [Vote.YES] * (yes - sum(v == Vote.YES for v in p5))
    return np.array([*p5, *elected, *[Vote.NO] * (COUNCIL_SEATS - N_P5 - len(elected))], np.int64)


def test_tally_needs_nine_yes_and_no_veto() -> None:
    assert tally(_votes(9)) == (True, 0)
    assert tally(_votes(8)) == (False, 0), "an elected member's no is no veto, but eight yes votes are too few"
    abstaining = (Vote.ABSTAIN, Vote.YES, Vote.YES, Vote.ABSTAIN, Vote.YES)
    assert tally(_votes(9, abstaining)) == (True, 0), "abstention is no veto"
    vetoed = (Vote.YES, Vote.YES, Vote.NO, Vote.YES, Vote.YES)
    assert tally(_votes(14, vetoed)) == (False, 1)

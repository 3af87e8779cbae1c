"""``sim.simulate``: the outcome table, common random numbers, and the headline comparison."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import sim
from sim.experiments.statistics import mean_ci
from sim.limits import MAX_SEED, MAX_WEEKS
from sim.outcome_columns import OUTCOMES


def test_outcome_table_has_one_row_per_replication(fragile_region: sim.Scenario) -> None:
    table = sim.simulate(fragile_region, "early_prevention", reps=40, seed=2)
    assert len(table) == 40
    assert list(table.columns) == ["replication", *OUTCOMES]
    for column in ("replication", "deaths", "displaced", "onset", "onset_week", "atrocity_state_weeks",
                   "first_warning_week", "first_response_week", "vetoes", "cost"):  # fmt: skip
        assert column in table
    assert table["onset"].dtype == bool
    assert (table["onset_week"].isna() == ~table["onset"]).all()
    assert (table["deaths"] >= 0).all() and (table["cost"] >= 0).all()


def test_same_seed_same_results_other_seed_other_results(fragile_region: sim.Scenario) -> None:
    a = sim.simulate(fragile_region, "no_response", reps=50, seed=9)
    b = sim.simulate(fragile_region, "no_response", reps=50, seed=9)
    c = sim.simulate(fragile_region, "no_response", reps=50, seed=10)
    assert a.equals(b)
    assert not a["deaths"].equals(c["deaths"])


def test_no_response_has_no_response(fragile_region: sim.Scenario) -> None:
    table = sim.simulate(fragile_region, "no_response", reps=200, seed=1)
    assert table["first_response_week"].isna().all()
    assert (table["cost"] == 0).all() and (table["vetoes"] == 0).all()


def test_same_shocks_under_every_strategy_until_a_response(fragile_region: sim.Scenario) -> None:
    """Common random numbers: paths coincide until the first instrument can take effect."""
    _, quiet = sim.simulate(fragile_region, "no_response", reps=30, seed=4, trajectories=True)
    table, acting = sim.simulate(fragile_region, "reactive_coercion", reps=30, seed=4, trajectories=True)
    compared = 0
    for r, week in enumerate(table["first_response_week"]):
        last_same = fragile_region.weeks if pd.isna(week) else int(week) + 1
        np.testing.assert_array_equal(quiet[r, : last_same + 1, 0], acting[r, : last_same + 1, 0])
        compared += last_same
    assert compared > 0


def test_paired_comparison_is_much_tighter_than_unpaired(fragile_region: sim.Scenario, report) -> None:
    """Veto restraint on vs off: same replications (paired) vs different seeds (unpaired)."""
    reps = 4000
    flexible = sim.load_strategy("three_pillar_flexible")
    restrained = flexible.replace(veto_restraint=True)
    base = sim.simulate(fragile_region, flexible, reps, seed=21)["deaths"].to_numpy()
    paired_run = sim.simulate(fragile_region, restrained, reps, seed=21)["deaths"].to_numpy()
    unpaired_run = sim.simulate(fragile_region, restrained, reps, seed=22)["deaths"].to_numpy()
    _, low, high = mean_ci(paired_run - base)
    paired = high - low
    unpaired = 2 * 1.959963984540054 * math.sqrt((np.var(base, ddof=1) + np.var(unpaired_run, ddof=1)) / reps)
    report(f"CI width of the death difference, {reps} reps: paired {paired:,.0f}, unpaired {unpaired:,.0f} "
           f"({unpaired / paired:.1f}x narrower with common random numbers)")  # fmt: skip
    assert paired < unpaired / 3


def test_no_response_costs_more_lives_than_three_pillar_flexible(fragile_region: sim.Scenario, report) -> None:
    reps = 3000
    base = sim.simulate(fragile_region, "no_response", reps, seed=8)["deaths"].to_numpy()
    acting = sim.simulate(fragile_region, "three_pillar_flexible", reps, seed=8)["deaths"].to_numpy()
    mean, low, high = mean_ci(base - acting)
    report(f"deaths averted by three_pillar_flexible vs no_response: {mean:,.0f} [{low:,.0f}, {high:,.0f}] "
           f"({reps} paired reps; {mean / base.mean():.0%} of {base.mean():,.0f})")  # fmt: skip
    assert low > 0


@pytest.mark.parametrize("reps", [0, -5, 2.5, True])
def test_bad_replication_counts_are_refused(fragile_region: sim.Scenario, reps: object) -> None:
    with pytest.raises(sim.InputError, match="reps"):
        sim.simulate(fragile_region, "no_response", reps=reps)


def test_bad_engine_and_seed_are_refused(fragile_region: sim.Scenario) -> None:
    with pytest.raises(sim.InputError, match=r"engine.*numba, mesa"):
        sim.simulate(fragile_region, "no_response", reps=1, engine="netlogo")
    with pytest.raises(sim.InputError, match="seed"):
        sim.simulate(fragile_region, "no_response", reps=1, seed=-1)


@pytest.mark.parametrize("weeks", [0, True, -5, 1.5, MAX_WEEKS + 1])
def test_bad_horizon_is_refused(weeks: object) -> None:
    with pytest.raises(sim.InputError, match=r"simulate: weeks: .* is not allowed; allowed: a whole number from 1"):
        sim.simulate("fragile_region", "no_response", 1, weeks=weeks)  # type: ignore[arg-type]


@pytest.mark.parametrize(("first", "reps"), [(MAX_SEED, 2), (MAX_SEED + 1, 1)])
def test_replications_beyond_the_range_are_refused(first: int, reps: int) -> None:
    with pytest.raises(sim.InputError, match=r"simulate: first: .* with first \+ reps <="):
        sim.simulate("fragile_region", "no_response", reps, first=first, weeks=1)


def test_the_last_replication_number_runs() -> None:
    table = sim.simulate("fragile_region", "no_response", 1, first=MAX_SEED, weeks=2)
    assert table["replication"].tolist() == [MAX_SEED]

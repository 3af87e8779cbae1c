"""Many runs at once: paired replications of strategies A and B on the Numba engine."""

from __future__ import annotations

import numpy as np
import pytest

from sim.config import InputError
from sim.view import charts
from sim.view.many_runs import BANDS, many_runs, spread_chart
from sim.view.session import Settings
from sim.view.side_by_side import pair

SETTINGS = Settings(strategy="no_response", seed="1")


@pytest.fixture(scope="module")
def spread():
    return many_runs(SETTINGS, "three_pillar_flexible", reps=40)


def test_run_zero_is_the_run_the_crisis_tab_shows(spread):
    shown = pair(SETTINGS, "three_pillar_flexible")
    assert spread.deaths[0, 0] == shown.a.deaths[-1] and spread.deaths[1, 0] == shown.b.deaths[-1]


def test_the_fan_ends_at_the_quantiles_of_the_deaths(spread):
    assert spread.fan.shape == (2, len(BANDS), 105)
    assert np.allclose(spread.fan[:, :, -1], np.quantile(spread.deaths, BANDS, axis=1).T)
    assert np.all(np.diff(spread.fan, axis=1) >= 0), "quantiles are ordered"
    assert np.all(np.diff(spread.fan, axis=2) >= 0), "deaths are cumulative"


def test_the_summary_reports_spread_and_pairs(spread):
    rows = {measure: (a, b) for measure, a, b in spread.summary()}
    assert rows["median deaths"] == tuple(f"{np.median(d):,.0f}" for d in spread.deaths)
    assert rows["runs with an atrocity"] == tuple(f"{a.mean():.0%}" for a in spread.atrocity)
    d = spread.deaths[1] - spread.deaths[0]
    assert np.array_equal(spread.differences, d)
    assert f"In {(d < 0).sum()} of 40 runs B (three_pillar_flexible) ended with fewer deaths" in spread.paired()
    assert charts.png(spread_chart(spread)).startswith(b"\x89PNG")


def test_one_strategy_against_itself_differs_in_no_run():
    same = many_runs(Settings(strategy="early_prevention", seed="3"), "early_prevention", reps=10)
    assert np.array_equal(same.deaths[0], same.deaths[1])
    assert "in 0 with more and in 10 with the same number" in same.paired()
    assert "+0 deaths (95 % confidence interval +0 to +0)" in same.paired()


def test_a_bad_seed_is_an_input_error():
    with pytest.raises(InputError, match="seed"):
        many_runs(Settings(seed="minus one"), "no_response", reps=5)


def test_the_runs_download_as_csv(spread):
    lines = spread.csv().splitlines()
    assert lines[0] == "replication,deaths_a,deaths_b,difference_b_minus_a,atrocity_a,atrocity_b"
    assert len(lines) == 1 + spread.reps
    r, a, b, d, *_ = lines[1].split(",")
    assert (int(r), float(a), float(b)) == (0, round(spread.deaths[0, 0]), round(spread.deaths[1, 0]))
    assert float(d) == float(b) - float(a)

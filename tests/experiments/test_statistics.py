"""Summary statistics: confidence intervals and the summary table."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.experiments.statistics import format_table, mean_ci, summary_table, wilson_ci


def test_mean_ci_covers_the_true_mean_about_95_percent() -> None:
    rng = np.random.default_rng(0)
    hits = sum(low <= 3.0 <= high for _, low, high in (mean_ci(rng.normal(3.0, 2.0, 50)) for _ in range(2000)))
    assert 0.93 < hits / 2000 < 0.97


def test_wilson_interval_stays_inside_zero_one() -> None:
    share, low, high = wilson_ci(0, 20)
    assert share == 0 and low == 0 and 0 < high < 0.2
    share, low, high = wilson_ci(20, 20)
    assert share == 1 and high == 1 and 0.8 < low < 1


def test_summary_table_counts_only_replications_where_the_event_happened() -> None:
    table = pd.DataFrame({"deaths": [0.0, 10.0, 20.0, 30.0], "onset": [False, True, True, True],
                          "onset_week": pd.array([pd.NA, 3, 5, 7], dtype="Int64")})  # fmt: skip
    summary = summary_table(table, ("deaths", "onset", "onset_week"))
    assert summary.loc["deaths", "mean"] == 15 and summary.loc["deaths", "n"] == 4
    assert summary.loc["onset", "mean"] == 0.75
    assert summary.loc["onset_week", "mean"] == 5 and summary.loc["onset_week", "n"] == 3
    assert "onset_week" in format_table(summary)


def test_wilson_interval_stays_within_zero_and_one() -> None:
    assert wilson_ci(0, 1000)[1] == 0.0
    assert wilson_ci(1000, 1000)[2] == 1.0


def test_uncertainty_table_splits_variance_between_parameters_and_dice() -> None:
    from sim.experiments.statistics import uncertainty_table

    rng = np.random.default_rng(1)
    particle = rng.integers(0, 400, 40_000)
    level = rng.normal(0, 3.0, 400)  # parameter sd 3, dice sd 4: share 9 / 25
    table = pd.DataFrame({"particle": particle, "deaths": level[particle] + rng.normal(0, 4.0, 40_000),
                          "onset": np.zeros(40_000, bool)})  # fmt: skip
    split = uncertainty_table(table, ("deaths", "onset"))
    assert split.loc["deaths", "parameter_share"] == pytest.approx(9 / 25, abs=0.04)
    assert split.loc["deaths", "sd"] == pytest.approx(5.0, rel=0.03)
    assert split.loc["onset", "parameter_share"] == 0 and split.loc["onset", "particles"] == 400
    noise_only = table.assign(deaths=rng.normal(0, 4.0, 40_000))
    assert uncertainty_table(noise_only, ("deaths",)).loc["deaths", "parameter_share"] < 0.01


def test_uncertainty_table_of_an_event_that_never_happened_is_missing_not_an_error() -> None:
    from sim.experiments.statistics import uncertainty_table

    table = pd.DataFrame({"particle": [0, 1, 1], "first_response_week": pd.array([None] * 3, dtype="Int64")})
    row = uncertainty_table(table, ("first_response_week",)).loc["first_response_week"]
    assert np.isnan(row["sd"]) and np.isnan(row["parameter_share"]) and row["n"] == 0

"""Summary statistics: confidence intervals and the summary table."""

from __future__ import annotations

import numpy as np
import pandas as pd

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

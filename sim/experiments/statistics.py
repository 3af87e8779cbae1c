"""Summary statistics of per-replication outcomes, with 95 % confidence intervals."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

Z95 = 1.959963984540054

MAIN_OUTCOMES = (
    "deaths",
    "displaced",
    "onset",
    "atrocity_state_weeks",
    "first_warning_week",
    "first_response_week",
    "first_warned_response_lag",
    "vetoes",
    "uniting_for_peace",
    "cost",
)
"""Outcomes shown in summary tables."""


def mean_ci(values: np.ndarray) -> tuple[float, float, float]:
    """Mean and normal-approximation 95 % CI of the mean (NaN bounds for fewer than 2 values)."""
    n = len(values)
    if n == 0:
        return math.nan, math.nan, math.nan
    mean = float(np.mean(values))
    if n < 2:
        return mean, math.nan, math.nan
    half = Z95 * float(np.std(values, ddof=1)) / math.sqrt(n)
    return mean, mean - half, mean + half


def wilson_ci(successes: int, n: int) -> tuple[float, float, float]:
    """Proportion and Wilson 95 % interval."""
    if n == 0:
        return math.nan, math.nan, math.nan
    share = successes / n
    centre = (share + Z95**2 / (2 * n)) / (1 + Z95**2 / n)
    half = Z95 * math.sqrt(share * (1 - share) / n + Z95**2 / (4 * n * n)) / (1 + Z95**2 / n)
    low = 0.0 if successes == 0 else centre - half  # exact at the ends, where rounding would leave 1e-19
    high = 1.0 if successes == n else centre + half
    return share, low, high


def summary_table(outcomes: pd.DataFrame, columns: tuple[str, ...] = MAIN_OUTCOMES) -> pd.DataFrame:
    """One row per outcome: mean (or share), 95 % CI, and the replications it rests on.

    Yes/no outcomes get a Wilson interval; week outcomes are averaged over the replications in
    which the event happened (``n`` says how many).
    """
    rows = []
    for column in columns:
        series = outcomes[column]
        rows.append(summary_row(column, series.dropna().to_numpy(dtype=np.float64), series.dtype == bool))
    return pd.DataFrame(rows).set_index("outcome")


def summary_row(outcome: str, values: np.ndarray, yes_no: bool) -> dict[str, object]:
    """One row of :func:`summary_table`: outcome, mean (or share), 95 % CI and n.

    ``values`` are the outcome's present values as floats (0 or 1 if ``yes_no``).
    """
    n = len(values)
    mean, low, high = wilson_ci(int(values.sum()), n) if yes_no else mean_ci(values)
    return {"outcome": outcome, "mean": mean, "ci95_low": low, "ci95_high": high, "n": n}


def particle_groups(values: np.ndarray, particles: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """Replications per particle, each particle's mean of ``values``, and the dice's variance: the
    pooled within-particle variance ``SSW / (N - K)`` (0 if every particle has one replication)."""
    frame = pd.DataFrame({"y": np.asarray(values, dtype=np.float64), "k": particles})
    groups = frame.groupby("k")["y"]
    sizes, means = groups.size().to_numpy(), groups.mean().to_numpy(dtype=np.float64)
    ssw = float(((frame["y"] - groups.transform("mean")) ** 2).sum())
    return sizes, means, ssw / (len(frame) - len(sizes)) if len(frame) > len(sizes) else 0.0


def uncertainty_table(outcomes: pd.DataFrame, columns: tuple[str, ...] = MAIN_OUTCOMES) -> pd.DataFrame:
    """Per outcome of a run over a posterior (a ``particle`` column): the standard deviation of an
    outcome across replications and the share of its variance that comes from the parameters
    (between particles) rather than the dice (within particles).

    One-way random-effects ANOVA over the particles drawn: dice variance ``SSW / (N - K)``,
    parameter variance ``(SSB - (K - 1) x dice variance) / (N - sum(n_k^2) / N)``, floored at 0.
    Both are NaN for an outcome no replication has (a week of an event that never happened).
    """
    rows = []
    for column in columns:
        frame = pd.DataFrame({"y": outcomes[column].astype("Float64"), "k": outcomes["particle"]}).dropna()
        y = frame["y"].to_numpy(dtype=np.float64)
        if not len(y):
            rows.append({"outcome": column, "sd": math.nan, "parameter_share": math.nan, "particles": 0, "n": 0})
            continue
        sizes, means, dice = particle_groups(y, frame["k"].to_numpy())
        n, k = len(y), len(sizes)
        ssb = float(sizes @ (means - y.mean()) ** 2)
        spread = n - float(sizes @ sizes) / n
        parameters = max((ssb - (k - 1) * dice) / spread, 0.0) if spread > 0 else 0.0
        total = parameters + dice
        rows.append({"outcome": column, "sd": math.sqrt(total), "parameter_share": parameters / total if total else 0.0,
                     "particles": k, "n": n})  # fmt: skip
    return pd.DataFrame(rows).set_index("outcome")


def format_table(table: pd.DataFrame) -> str:
    """Human-readable text of a :func:`summary_table`."""
    lines = [f"{'outcome':<22}{'mean':>14}{'95% CI':>30}{'n':>9}"]
    for name, row in table.iterrows():
        ci = f"[{format_number(row['ci95_low'])}, {format_number(row['ci95_high'])}]"
        lines.append(f"{name:<22}{format_number(row['mean']):>14}{ci:>30}{int(row['n']):>9}")
    return "\n".join(lines)


def format_number(x: float | None) -> str:
    """A number for a table: thousands separated above 1,000, three significant digits below,
    ``-`` for a missing value."""
    if x is None or math.isnan(x):
        return "-"
    if abs(x) >= 1000:
        return f"{x:,.0f}"
    return f"{x:.3g}"


def format_estimate(mean: float, low: float, high: float) -> str:
    """``mean [low, high]`` rounded to the precision the interval supports: to the power of ten of
    its half-width, one more digit when that half-width starts with 1 or 2 (52,908 [52,296, 53,520]
    reads ``52,900 [52,300, 53,500]``, 27,312 [25,341, 29,283] reads ``27,300 [25,300, 29,300]``)."""
    if math.isnan(mean):
        return "-"
    if math.isnan(low) or math.isnan(high) or high <= low:
        return format_number(mean)
    half = (high - low) / 2
    power = math.floor(math.log10(half))
    if half < 3 * 10.0**power:
        power -= 1
    decimals, step = max(0, -power), 10.0**power
    shown = [round(x / step) * step + 0.0 for x in (mean, low, high)]  # + 0.0: no "-0"
    text = [f"{x:,.{decimals}f}" for x in shown]
    return f"{text[0]} [{text[1]}, {text[2]}]"


def aligned(rows: list[list[str]], left: tuple[int, ...] = ()) -> list[str]:
    """Rows of cells as lines of aligned columns, right-aligned but for the columns ``left``."""
    widths = [max(len(row[j]) for row in rows) for j in range(len(rows[0]))]
    return ["  ".join(c.ljust(w) if j in left else c.rjust(w) for j, (c, w) in enumerate(zip(row, widths, strict=True)))
            for row in rows]  # fmt: skip


def markdown_table(head: list[str], rows: list[list[str]], left: tuple[int, ...] = ()) -> list[str]:
    """Lines of a Markdown table, right-aligned but for the columns ``left`` (``|`` in cells escaped)."""
    rule = "|" + "|".join("---" if j in left else "---:" for j in range(len(head))) + "|"
    body = [[c.replace("|", "\\|") for c in row] for row in rows]
    return ["| " + " | ".join(head) + " |", rule, *("| " + " | ".join(row) + " |" for row in body)]

"""Paired comparisons of a results folder's strategies against a baseline strategy.

Every design point of a sweep uses the same root seed, so replication *r* meets the same shocks at
every point (common random numbers). A strategy is compared with the baseline point that has the
same scenario and grid settings, replication by replication: the mean of the paired differences
(point minus baseline) and its normal-approximation 95 % CI, on the replications present at both
points. For ``onset`` the difference is one in probability.

Command line: ``r2p compare DIR --baseline STRATEGY`` (:mod:`sim.cli.compare`).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from sim.config import InputError
from sim.experiments.statistics import format_number, mean_ci
from sim.experiments.store import CHUNKS, read_design

COMPARED = ("deaths", "displaced", "onset")
"""Outcomes compared: expected deaths, expected displaced, probability of onset."""
COLUMNS = ["point", "label", "strategy", "baseline_point", "baseline", "outcome", "mean", "baseline_mean",
           "difference", "ci95_low", "ci95_high", "n"]  # fmt: skip


def compare(folder: Path, baseline: str, outcomes: tuple[str, ...] = COMPARED) -> pd.DataFrame:
    """Paired differences, point minus baseline, for every design point not of strategy ``baseline``.

    Returns
    -------
    pandas.DataFrame
        One row per compared point and outcome: ``point``, ``label``, ``strategy``,
        ``baseline_point``, ``baseline``, ``outcome``, ``mean`` and ``baseline_mean`` (on the paired
        replications), ``difference``, ``ci95_low``, ``ci95_high`` and ``n`` (paired replications).

    Raises
    ------
    InputError
        If ``folder`` is not a results folder or has no strategy ``baseline``.
    """
    folder = Path(folder)
    design = read_design(folder)
    strategies = list(dict.fromkeys(design["strategy"]))
    if baseline not in strategies:
        raise InputError(
            folder, "--baseline", f"no strategy {baseline!r} in this results folder", ", ".join(strategies)
        )
    keys = [c for c in design.columns if c not in {"point", "strategy", "label"}]
    base_points = {_key(row, keys): int(row["point"]) for _, row in design[design["strategy"] == baseline].iterrows()}
    rows = []
    cache: dict[int, pd.DataFrame] = {}
    for _, row in design[design["strategy"] != baseline].iterrows():
        base = base_points.get(_key(row, keys))
        if base is None:
            continue
        point = int(row["point"])
        if base not in cache:
            cache[base] = _read_point(folder, base, outcomes)
        paired = _read_point(folder, point, outcomes).merge(cache[base], on="replication", suffixes=("", "_base"))
        for outcome in outcomes:
            both = paired[[outcome, f"{outcome}_base"]].dropna().to_numpy(dtype=np.float64)
            mean, low, high = mean_ci(both[:, 0] - both[:, 1])
            rows.append({
                "point": point, "label": row["label"], "strategy": row["strategy"], "baseline_point": base,
                "baseline": baseline, "outcome": outcome,
                "mean": float(both[:, 0].mean()) if len(both) else math.nan,
                "baseline_mean": float(both[:, 1].mean()) if len(both) else math.nan,
                "difference": mean, "ci95_low": low, "ci95_high": high, "n": len(both),
            })  # fmt: skip
    return pd.DataFrame(rows, columns=COLUMNS)


def _key(row: pd.Series, keys: list[str]) -> tuple[str, ...]:
    return tuple(row[k] for k in keys)


def _read_point(folder: Path, point: int, outcomes: tuple[str, ...]) -> pd.DataFrame:
    """Replication number and the compared outcomes (as floats) of one design point."""
    files = sorted((folder / CHUNKS).glob(f"point-{point:05d}-*.parquet"))
    columns = ["replication", *outcomes]
    if not files:
        return pd.DataFrame({c: pd.Series(dtype=np.float64) for c in columns})
    table = pd.concat([pd.read_parquet(f, columns=columns) for f in files], ignore_index=True)
    return table.astype({c: np.float64 for c in outcomes})


def format_comparison(table: pd.DataFrame) -> str:
    """Human-readable text of a :func:`compare` table, one block per compared design point."""
    if table.empty:
        return "no design points to compare (the folder holds only the baseline strategy)"
    lines = [
        "paired differences (point minus baseline) on the same replications (common random numbers);",
        "mean and baseline on those replications; onset as a probability;",
        "n: paired replications each 95 % CI rests on",
    ]
    for point, rows in table.groupby("point", sort=True):
        first = rows.iloc[0]
        lines += ["", f"point {point}: {first['label']}  vs  point {first['baseline_point']} ({first['baseline']})"]
        lines.append(f"  {'outcome':<12}{'mean':>14}{'baseline':>14}{'difference':>14}{'95% CI':>30}{'n':>10}")
        for _, row in rows.iterrows():
            ci = f"[{format_number(row['ci95_low'])}, {format_number(row['ci95_high'])}]"
            lines.append(
                f"  {row['outcome']:<12}{format_number(row['mean']):>14}{format_number(row['baseline_mean']):>14}"
                f"{format_number(row['difference']):>14}{ci:>30}{int(row['n']):>10,}"
            )
    return "\n".join(lines)

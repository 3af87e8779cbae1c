"""Paired comparisons of a results folder's design points against a baseline point.

Every design point of a sweep uses the same root seed, so replication *r* meets the same shocks at
every point (common random numbers). The baseline names a strategy, grid settings, or both
(:func:`parse_baseline`); each other point is paired with the baseline point that agrees with it on
everything the baseline does not fix, replication by replication: the mean of the paired
differences (point minus baseline) and its normal-approximation 95 % CI, on the replications
present at both points. For ``onset`` the difference is one in probability.

- ``--baseline no_response``: every strategy against no response at the same settings;
- ``--baseline delay=0``: every delay against delay 0 of the same strategy (the timing question);
- ``--baseline reactive_coercion:delay=0``: every point against reactive coercion at delay 0.

Command line: ``r2p compare DIR --baseline SPEC`` (:mod:`sim.cli.compare`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from sim.config import InputError
from sim.experiments.statistics import aligned, format_estimate, markdown_table, mean_ci, particle_groups
from sim.experiments.store import SAME_AS, chunk_files, read_design, read_manifest, source_points

COMPARED = ("deaths", "displaced", "onset")
"""Outcomes compared: expected deaths, expected displaced, probability of onset."""
COLUMNS = ["point", "label", "strategy", "baseline_point", "baseline", "outcome", "mean", "baseline_mean",
           "difference", "ci95_low", "ci95_high", "n"]  # fmt: skip
_NOT_GRID = {"point", "label", "scenario", "strategy", SAME_AS}
_FORMS = "STRATEGY, FIELD=VALUE or STRATEGY:FIELD=VALUE (fields joined by ',')"


@dataclass(frozen=True)
class Baseline:
    """The design points every other point is compared with: a strategy, grid settings, or both."""

    strategy: str | None
    settings: tuple[tuple[str, str], ...]  # design column, value as written in design.csv

    def matches(self, row: pd.Series) -> bool:
        """Whether design row ``row`` is a baseline point."""
        if self.strategy is not None and row["strategy"] != self.strategy:
            return False
        return all(_same_value(row[column], value) for column, value in self.settings)

    def fixed(self) -> set[str]:
        """Design columns the baseline fixes (a point is paired on all the others)."""
        return {column for column, _ in self.settings} | ({"strategy"} if self.strategy is not None else set())


def grid_columns(design: pd.DataFrame) -> list[str]:
    """The grid fields of a ``design.csv`` (its columns but point, label, scenario and strategy)."""
    return [c for c in design.columns if c not in _NOT_GRID]


def short_key(key: str) -> str:
    """A grid key without its leading ``strategy.`` or ``scenario.``."""
    return key.split(".", 1)[1] if "." in key else key


def parse_baseline(text: str, design: pd.DataFrame, folder: Path) -> Baseline:
    """Read a ``--baseline`` value against the design of ``folder``.

    A field is a grid column of ``design.csv`` (``strategy.pillar3.delay``) or a unique last part
    of one (``delay``, ``pillar3.delay``); a value must be one the grid holds.

    Raises
    ------
    InputError
        One line naming the folder, ``--baseline`` and what is allowed.
    """
    if ":" in text:
        strategy, _, rest = text.partition(":")
    else:
        strategy, rest = ("", text) if "=" in text else (text, "")
    strategy = strategy.strip() or None
    strategies = list(dict.fromkeys(design["strategy"]))
    if strategy is not None and strategy not in strategies:
        problem = f"no strategy {strategy!r} in this results folder"
        raise InputError(folder, "--baseline", problem, ", ".join(strategies))
    grid = grid_columns(design)
    settings = []
    for part in filter(None, (p.strip() for p in rest.split(","))):
        field, equals, value = (s.strip() for s in part.partition("="))
        if not equals or not field or not value:
            raise InputError(folder, "--baseline", f"{part!r} is not FIELD=VALUE", _FORMS)
        column = _column(field, grid, folder)
        values = list(dict.fromkeys(design[column]))
        if not any(_same_value(v, value) for v in values):
            raise InputError(folder, "--baseline", f"{column} is never {value!r} in this design", ", ".join(values))
        settings.append((column, value))
    if strategy is None and not settings:
        raise InputError(folder, "--baseline", f"{text!r} names no strategy and no setting", _FORMS)
    return Baseline(strategy, tuple(settings))


def _column(field: str, grid: list[str], folder: Path) -> str:
    """The grid column ``field`` names: itself, or the one grid column ending in ``.field``."""
    if field in grid:
        return field
    found = [c for c in grid if c.endswith(f".{field}")]
    if len(found) != 1:
        problem = f"{field!r} is {'no' if not found else 'more than one'} grid field of this design"
        raise InputError(folder, "--baseline", problem, ", ".join(grid) or "none: the design has no grid")
    return found[0]


def _same_value(written: str, wanted: str) -> bool:
    """Whether a design value (as written) equals a value given on the command line (0 == 0.0)."""
    if written == wanted:
        return True
    try:
        return float(written) == float(wanted)
    except ValueError:
        return written.lower() == wanted.lower()


def pair_points(design: pd.DataFrame, baseline: Baseline) -> dict[int, int]:
    """Each non-baseline point of ``design`` and the baseline point it is compared with.

    A point is paired with the baseline point equal to it in every column the baseline does not
    fix; points with no such baseline point are left out.
    """
    keys = [c for c in design.columns if c not in {"point", "label", SAME_AS} | baseline.fixed()]
    is_base = design.apply(baseline.matches, axis=1)
    bases = {tuple(row[keys]): int(row["point"]) for _, row in design[is_base].iterrows()}
    pairs = {}
    for _, row in design[~is_base].iterrows():
        base = bases.get(tuple(row[keys]))
        if base is not None:
            pairs[int(row["point"])] = base
    return pairs


class PointReader:
    """Reads the compared outcomes of design points of a results folder, each point once."""

    def __init__(self, folder: Path, outcomes: tuple[str, ...] = COMPARED) -> None:
        self.folder, self.outcomes = Path(folder), outcomes
        self._cache: dict[int, pd.DataFrame] = {}
        self.over_posterior = "posterior" in read_manifest(self.folder)

    def __call__(self, point: int) -> pd.DataFrame:
        """Replication number (and ``particle``, in a run over a posterior) and the compared outcomes
        (as floats) of ``point``."""
        if point not in self._cache:
            files = chunk_files(self.folder, point)
            columns = ["replication", *(["particle"] if self.over_posterior else []), *self.outcomes]
            if not files:
                table = pd.DataFrame({c: pd.Series(dtype=np.float64) for c in columns})
            else:
                table = pd.concat([pd.read_parquet(f, columns=columns) for f in files], ignore_index=True)
            self._cache[point] = table.astype({c: np.float64 for c in self.outcomes})
        return self._cache[point]

    def paired(self, point: int, base: int, outcome: str) -> np.ndarray:
        """``(n, 2)`` values of ``outcome`` at ``point`` and ``base`` on their common replications
        (``(n, 3)`` over a posterior: then the replication's particle)."""
        keep = ["replication", outcome, *(["particle"] if self.over_posterior else [])]
        both = self(point)[keep].merge(self(base)[keep[:2]], on="replication", suffixes=("", "_base"))
        return both[[outcome, f"{outcome}_base", *keep[2:]]].dropna().to_numpy(dtype=np.float64)


def difference(values: np.ndarray) -> dict[str, float]:
    """Means, paired difference and its 95 % CI of :meth:`PointReader.paired` values; over a
    posterior, also ``p_lower`` (:func:`probability_lower`)."""
    mean, low, high = mean_ci(values[:, 0] - values[:, 1])
    out = {
        "mean": float(values[:, 0].mean()) if len(values) else math.nan,
        "baseline_mean": float(values[:, 1].mean()) if len(values) else math.nan,
        "difference": mean, "ci95_low": low, "ci95_high": high, "n": len(values),
    }  # fmt: skip
    if values.shape[1] == 3:
        out["p_lower"] = probability_lower(values[:, 0] - values[:, 1], values[:, 2].astype(np.int64))
    return out


def probability_lower(differences: np.ndarray, particles: np.ndarray) -> float:
    """Posterior probability that the point's expected outcome is below its baseline's.

    Per particle ``k`` drawn (``n_k`` replications, mean paired difference ``m_k``), the chance that
    its expected difference is negative, ``Phi(-m_k / (s / sqrt(n_k)))`` with ``s`` the pooled
    within-particle standard deviation (so the dice's noise in ``m_k`` is not read as certainty),
    averaged over the replications' particles. 0.5 where every difference is 0.
    """
    from scipy.stats import norm

    n, m, dice = particle_groups(differences, particles)
    s = math.sqrt(dice)
    chance = norm.cdf(-m / (s / np.sqrt(n))) if s > 0 else np.where(m < 0, 1.0, np.where(m > 0, 0.0, 0.5))
    return float(n @ chance / n.sum())


def compare(folder: Path, baseline: str, outcomes: tuple[str, ...] = COMPARED) -> pd.DataFrame:
    """Paired differences, point minus baseline, for every design point that is not a baseline point.

    ``baseline`` is a strategy, ``FIELD=VALUE`` settings, or ``STRATEGY:FIELD=VALUE``
    (:func:`parse_baseline`).

    Returns
    -------
    pandas.DataFrame
        One row per compared point and outcome: ``point``, ``label``, ``strategy``,
        ``baseline_point``, ``baseline`` (its label), ``outcome``, ``mean`` and ``baseline_mean``
        (on the paired replications), ``difference``, ``ci95_low``, ``ci95_high`` and ``n``
        (paired replications). Points that share their baseline point's simulation (the
        settings change nothing in them: ``same_as`` of ``design.csv``) are left out and listed
        in ``attrs["same"]``.

    Raises
    ------
    InputError
        If ``folder`` is not a results folder or ``baseline`` names nothing in it.
    """
    folder = Path(folder)
    design = read_design(folder)
    pairs = pair_points(design, parse_baseline(baseline, design, folder))
    source = source_points(folder)
    same = [point for point, base in pairs.items() if source[point] == source[base]]
    rows_of = design.set_index("point")
    read = PointReader(folder, outcomes)
    rows = []
    for point, base in pairs.items():
        if point in same:
            continue
        row = rows_of.loc[point]
        for outcome in outcomes:
            rows.append({"point": point, "label": row["label"], "strategy": row["strategy"], "baseline_point": base,
                         "baseline": rows_of.loc[base, "label"], "outcome": outcome,
                         **difference(read.paired(point, base, outcome))})  # fmt: skip
    table = pd.DataFrame(rows, columns=COLUMNS + (["p_lower"] if read.over_posterior else []))
    table.attrs["same"] = same
    return table


def wide(table: pd.DataFrame) -> pd.DataFrame:
    """A :func:`compare` table with one row per point and, per outcome, ``OUTCOME_mean``,
    ``OUTCOME_baseline``, ``OUTCOME_difference``, ``OUTCOME_ci95_low``, ``OUTCOME_ci95_high``."""
    index = ["point", "label", "baseline_point", "baseline", "n"]
    if table.empty:
        return pd.DataFrame(columns=index)
    kinds = ["mean", "baseline_value", "difference", "ci95_low", "ci95_high"]
    kinds += ["p_lower"] if "p_lower" in table else []
    values = table.rename(columns={"baseline_mean": "baseline_value"}).pivot(index="point", columns="outcome",
                                                                              values=kinds)  # fmt: skip
    outcomes = list(dict.fromkeys(table["outcome"]))
    values.columns = [f"{o}_{v.removesuffix('_value')}" for v, o in values.columns]
    ordered = [f"{o}_{v.removesuffix('_value')}" for o in outcomes for v in kinds]
    heads = table.groupby("point", sort=True).agg({c: "first" for c in index[1:-1]} | {"n": "min"})
    return heads.join(values[ordered]).reset_index()


def format_comparison(table: pd.DataFrame, form: str = "text") -> str:
    """A :func:`compare` table as compact text, a Markdown table or CSV (``form``, one of
    :data:`sim.experiments.COMPARE_FORMATS`), one row per point.

    Differences are rounded to the precision their CI supports (:func:`format_estimate`).
    """
    if form == "csv":
        return wide(table).to_csv(index=False).rstrip("\n")
    same = table.attrs.get("same", [])
    note = [f"Points {', '.join(map(str, same))} are the same simulation as their baseline point (the "
            "setting changes nothing in them): difference 0, not shown."] if same else []  # fmt: skip
    if table.empty:
        return "\n".join(["no design points to compare (the folder holds only baseline points)", *note])
    outcomes = list(dict.fromkeys(table["outcome"]))
    rows = []
    for point, group in table.groupby("point", sort=True):
        first, cells = group.iloc[0], []
        for outcome in outcomes:
            r = group[group["outcome"] == outcome].iloc[0]
            cells.append(format_estimate(r["difference"], r["ci95_low"], r["ci95_high"]))
            if "p_lower" in r:
                cells.append(f"{r['p_lower']:.0%}")
        n = f"{int(group['n'].min()):,}"
        rows.append([str(point), str(first["label"]), str(first["baseline_point"]), *cells, n])
    lower = "p_lower" in table
    per_outcome = [(f"{o} difference [95 % CI]", *([f"P({o} lower)"] if lower else [])) for o in outcomes]
    head = ["point", "design point", "vs point", *(h for heads in per_outcome for h in heads), "n"]
    notes = [
        "Paired differences, point minus its baseline point, on the same replications (common random",
        "numbers); onset as a probability; n: paired replications each 95 % CI rests on.",
        *(["Over a posterior: the CI covers parameters and dice; P(OUTCOME lower) is the posterior probability",
           "that the point's expected outcome is below its baseline's (for deaths: that it saves lives)."]
          if lower else []),
    ]  # fmt: skip
    if form == "markdown":
        return "\n".join([*notes, "", *markdown_table(head, rows, left=(1,)), *(["", *note] if note else [])])
    bases = dict.fromkeys(zip(table["baseline_point"], table["baseline"], strict=True))
    legend = ["", "baseline points:", *(f"  {p}: {label}" for p, label in bases), *note]
    return "\n".join([*notes, "", *aligned([head, *rows], left=(1,)), *legend])

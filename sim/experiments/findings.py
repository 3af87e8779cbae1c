"""The findings of a sweep: what its results say about the question it asks, with paired 95 % CIs.

For a design with a ``*.delay`` grid (the timing question, ``experiments/intervention_timing.toml``)
the findings are, per scenario and setting of the other grid fields:

- per strategy, the cost of each week of delay (extra deaths, displaced and onset probability
  per week, between neighbouring delays of the grid) and of the longest delay against none, with
  where the cost per week falls to half its highest (returns diminish);
- which strategy is best at each delay, and by how much against the next best;
- statements a modeller can quote: how long the best strategy can be delayed and still beat each
  other strategy acting at once.

A design without a delay grid gets the best strategy at each setting. Every difference is paired
on common random numbers (:mod:`sim.experiments.compare`); numbers are rounded to the precision
their CI supports. :func:`write_report` (:mod:`sim.experiments.plots`) puts these lines first.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pandas as pd

from sim.experiments.compare import PointReader, difference, grid_columns, short_key
from sim.experiments.statistics import format_estimate, format_number, markdown_table
from sim.experiments.store import SUMMARY, read_design, read_manifest

OUTCOMES = ("deaths", "displaced", "onset")
MAX_GROUPS = 4
"""Groups (scenario and other grid settings) given findings; the rest are in ``summary.csv``."""
LEAVES_OUT = (
    "This is a stylised model for exploring the logic of the responsibility to protect, not a forecast "
    "of any real country. Deaths and displaced are the model's expected values (fractional), summed over "
    "the horizon; {uncertainty} The model leaves out combat deaths, changes of political structure the "
    "scenario does not write down, strategies that learn, deaths after the horizon, and more "
    "(`docs/ODD.md` section 15)."
)
DICE_ONLY = (
    "the 95 % CIs are the uncertainty of the replications (the dice) only: most parameters are assumptions "
    "(`docs/ODD.md` section 8, `docs/sensitivity.md`), and results move with them (`r2p sweep --posterior` "
    "runs over the posterior of `r2p fit` instead)."
)
OVER_POSTERIOR = (
    "every replication drew its parameters from the posterior of `r2p fit` in `{posterior}`, so the 95 % CIs "
    "cover the parameters the fit constrains as well as the dice; parameters the fit left out are still "
    "assumptions (`docs/ODD.md` section 8)."
)


def findings(folder: Path) -> list[str]:
    """Markdown lines of the findings section of ``folder``'s report (see the module docstring)."""
    folder = Path(folder)
    design, manifest = read_design(folder), read_manifest(folder)
    read = PointReader(folder, OUTCOMES)
    grid = grid_columns(design)
    delay = next((c for c in grid if c.endswith(".delay")), None)
    others = ["scenario", *(c for c in grid if c != delay)]
    groups = list(design.groupby(others, sort=False))
    lines = ["## Findings", "", _scope(design, manifest, read), ""]
    for key, rows in groups[:MAX_GROUPS]:
        if len(groups) > 1:
            varied = [(c, v) for c, v in zip(others, key, strict=True) if design[c].nunique() > 1]
            lines += [f"### {', '.join(f'{short_key(c)}={v}' for c, v in varied)}", ""]
        lines += _timing(rows, delay, read) if delay is not None else _best(rows, read)
    if len(groups) > MAX_GROUPS:
        lines += [f"Findings for the first {MAX_GROUPS} of {len(groups)} settings; all are in `summary.csv`.", ""]
    posterior = manifest.get("posterior")
    uncertainty = (
        f"{OVER_POSTERIOR.format(posterior=posterior)} {parameter_shares(folder)}".rstrip() if posterior else DICE_ONLY
    )
    return [*lines, "### What the model leaves out", "", LEAVES_OUT.format(uncertainty=uncertainty), ""]


def parameter_shares(folder: Path) -> str:
    """Of a run over a posterior: a sentence on the share of the variance of deaths that comes from
    the parameters, lowest and highest over the design points (``summary.csv``; empty if it has no
    ``parameter_share``, as a folder written before the split has not)."""
    summary = pd.read_csv(Path(folder) / SUMMARY)
    if "parameter_share" not in summary:
        return ""
    shares = summary.loc[summary["outcome"] == "deaths", "parameter_share"].dropna()
    low, high = f"{shares.min():.0%}", f"{shares.max():.0%}"
    span = low if low == high else f"{low} to {high}"
    return (
        f"The parameters make {span} of the variance of deaths across the design points, the dice the rest "
        "(`summary.csv`: `sd` and `parameter_share` of every outcome)."
    )


def _scope(design: pd.DataFrame, manifest: dict, read: PointReader) -> str:
    """One paragraph: scenario, horizon, replications, seed, and how differences are paired."""
    n = min(len(read(p)) for p in design["point"])
    horizons = manifest.get("horizon_weeks", {})
    scenarios = dict.fromkeys(design["scenario"])
    where = ", ".join(f"`{s}` ({horizons[s]} weeks)" if s in horizons else f"`{s}`" for s in scenarios)
    return (f"Scenario {where}; {n:,} replications per design point, root seed {manifest.get('seed')}. "
            "Every design point meets the same shocks in replication r (common random numbers), so each "
            "difference below is the mean of paired differences with its 95 % CI; numbers are rounded to "
            "the precision of that CI.")  # fmt: skip


def _timing(rows: pd.DataFrame, delay: str, read: PointReader) -> list[str]:
    """Cost of delay per strategy, best strategy per delay, and quotable statements."""
    rows = rows.assign(weeks=pd.to_numeric(rows[delay])).sort_values(["weeks"], kind="stable")
    by_strategy = {s: list(zip(r["weeks"], r["point"], strict=True)) for s, r in rows.groupby("strategy", sort=False)}
    what = short_key(delay).removesuffix(".delay")
    lines = [f"**Cost of delay** ({what} measures delayed after their trigger): extra expected deaths and "
             "displaced per week of delay between neighbouring delays, and the change in the probability of an "
             "onset (percentage points per week).", ""]  # fmt: skip
    table, sentences = [], []
    for strategy, points in by_strategy.items():
        steps = [(a, b, _per_week(read, pb, pa, b - a)) for (a, pa), (b, pb) in itertools.pairwise(points)]
        if all(_zero(s) for *_, s in steps):
            sentences.append(f"- `{strategy}`: identical results at every delay (`{what}` delays nothing in it).")
            continue
        for a, b, step in steps:
            table.append([strategy, f"{a:g} to {b:g}", *(_cell(step[o]) for o in OUTCOMES)])
        sentences.append(_delay_sentence(strategy, points, steps, read))
    if table:
        head = [
            "strategy",
            "delay (weeks)",
            "deaths (people) per week",
            "displaced (people) per week",
            "onset (pp per week)",
        ]
        lines += [*markdown_table(head, table, left=(0, 1)), ""]
    lines += [*sentences, "", "**Best strategy at each delay** (lowest expected deaths; paired difference to the "
              "next best):", ""]  # fmt: skip
    best_rows, best_at = [], {}
    for weeks, at in rows.groupby("weeks", sort=True):
        ranked = _ranked(at, read)
        best_at[weeks] = ranked[0]
        cells = [f"{weeks:g}", f"`{ranked[0][1]}`", format_number(_round(ranked[0][0]))]
        if len(ranked) > 1:
            gap = difference(read.paired(ranked[0][2], ranked[1][2], "deaths"))
            note = "" if gap["ci95_high"] < 0 else " (not distinguishable)"
            cells += [f"`{ranked[1][1]}`", _cell(gap) + note]
        else:
            cells += ["-", "-"]
        best_rows.append(cells)
    lines += [*markdown_table(["delay (weeks)", "best", "expected deaths (people)", "next best",
                               "difference (people) [95 % CI]"],
                              best_rows, left=(1, 3)), ""]  # fmt: skip
    return [*lines, *_quotable(by_strategy, best_at, what, read), ""]


def _per_week(read: PointReader, later: int, earlier: int, weeks: float) -> dict[str, dict[str, float]]:
    """Paired differences ``later - earlier`` of each outcome, divided by ``weeks``."""
    out = {}
    for outcome in OUTCOMES:
        d = difference(read.paired(later, earlier, outcome))
        scale = 100.0 / weeks if outcome == "onset" else 1.0 / weeks
        out[outcome] = {**d, **{k: d[k] * scale for k in ("difference", "ci95_low", "ci95_high")}}
    return out


def _zero(step: dict[str, dict[str, float]]) -> bool:
    """Whether every outcome's paired differences are all exactly zero (identical points)."""
    return all(step[o]["difference"] == 0 and step[o]["ci95_low"] == 0 and step[o]["ci95_high"] == 0 for o in OUTCOMES)


def _cell(d: dict[str, float]) -> str:
    return format_estimate(d["difference"], d["ci95_low"], d["ci95_high"])


def _round(x: float) -> float:
    """Three significant figures (a model's expected value, not a count)."""
    return float(f"{x:.3g}") if x else 0.0


def _delay_sentence(strategy: str, points: list[tuple[float, int]], steps: list, read: PointReader) -> str:
    """The cost of the longest delay against none, and where the cost per week halves."""
    (first, p0), (last, p1) = points[0], points[-1]
    total = difference(read.paired(p1, p0, "deaths"))
    text = (f"- `{strategy}`: a delay of {last:g} weeks instead of {first:g} changes expected deaths by "
            f"{_cell(total)} ({format_number(_round(total['baseline_mean']))} to "
            f"{format_number(_round(total['mean']))}).")  # fmt: skip
    marginal = [s["deaths"] for *_, s in steps]
    top = int(np.argmax([m["difference"] for m in marginal]))
    if marginal[top]["ci95_low"] <= 0:
        return text + " No interval of delay raises deaths beyond the noise."
    (a, b, _), worst = steps[top], _cell(marginal[top])
    text += f" A week of delay costs most between {a:g} and {b:g} weeks ({worst} deaths per week)"
    half = marginal[top]["difference"] / 2
    later = next((j for j in range(top + 1, len(steps)) if marginal[j]["ci95_high"] < half), None)
    if later is None:
        return text + f"; up to {last:g} weeks it does not fall to half of that (no sign of diminishing returns)."
    return (
        text
        + f"; from {steps[later][0]:g} weeks on, a further week costs less than half as much (diminishing returns)."
    )


def _quotable(by_strategy: dict[str, list[tuple[float, int]]], best_at: dict, what: str,
              read: PointReader) -> list[str]:  # fmt: skip
    """How long the best strategy at the shortest delay can wait and still beat each other one acting at once."""
    first = min(best_at)
    _, leader, _ = best_at[first]
    lines = []
    for other, points in by_strategy.items():
        if other == leader:
            continue
        base = dict(points).get(first)
        if base is None:
            continue
        paired = [(w, difference(read.paired(p, base, "deaths"))) for w, p in by_strategy[leader]]
        wins = [(w, d) for w, d in paired if d["ci95_high"] < 0]
        if not wins:
            continue
        weeks, d = max(wins, key=lambda win: win[0])
        longest = " (the longest delay tried)" if weeks == by_strategy[leader][-1][0] else ""
        mine, theirs = format_number(_round(d["mean"])), format_number(_round(d["baseline_mean"]))
        lines.append(f"- `{leader}` with its {what} measures delayed {weeks:g} weeks{longest} still beats `{other}` "
                     f"at {first:g} weeks: {mine} vs {theirs} expected deaths, paired difference "
                     f"{_cell(d)}.")  # fmt: skip
    return ["**Statements**", "", *lines] if lines else []


def _best(rows: pd.DataFrame, read: PointReader) -> list[str]:
    """Without a delay grid: the strategy with the lowest expected deaths, and by how much."""
    ranked = _ranked(rows, read)
    (mean, best, point), lines = ranked[0], []
    lines.append(f"Lowest expected deaths: `{best}`, {format_number(_round(mean))}.")
    for _, other, p in ranked[1:]:
        d = difference(read.paired(point, p, "deaths"))
        lines.append(f"- against `{other}`: paired difference {_cell(d)} deaths.")
    return [*lines, ""]


def _ranked(rows: pd.DataFrame, read: PointReader) -> list[tuple[float, str, int]]:
    """``(expected deaths, strategy, point)`` of the design rows ``rows``, lowest deaths first."""
    return sorted((float(read(p)["deaths"].mean()), s, p) for s, p in zip(rows["strategy"], rows["point"], strict=True))


__all__ = ["findings"]

"""The plots and report of ``r2p optimize``: the Pareto set in parallel coordinates, hypervolume per
generation, and ``report.md``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib
import numpy as np
import pandas as pd

from sim.experiments.compare import short_key
from sim.experiments.plots import new_figure, save_figure
from sim.experiments.statistics import format_number, markdown_table
from sim.schema.optimize import OBJECTIVES

if TYPE_CHECKING:
    from sim.experiments.optimize import Optimisation
    from sim.experiments.sampling import Uncertain

MAX_ROWS = 40
"""Pareto strategies listed in the report (all are in ``pareto.csv``)."""


def _position(lever: Uncertain, value: object) -> float:
    """Where ``value`` of ``lever`` lies on its axis, from 0 (low, first value) to 1."""
    if lever.values:
        return lever.values.index(value) / max(len(lever.values) - 1, 1)
    return (float(value) - lever.low) / (lever.high - lever.low)  # type: ignore[arg-type]


def _ends(lever: Uncertain) -> tuple[str, str]:
    if lever.values:
        return str(lever.values[0]).lower(), str(lever.values[-1]).lower()
    return f"{lever.low:g}", f"{lever.high:g}"


def parallel_plot(spec: Optimisation, pareto: pd.DataFrame, path: Path) -> Path:
    """The Pareto set in parallel coordinates: one axis per lever (its range) and per objective (the
    range of the set's scores), one line per strategy, coloured by the first objective."""
    from sim.experiments.optimize import score_columns

    names = score_columns(spec)
    axes_labels = [short_key(lever.key) for lever in spec.levers] + names
    rows = np.empty((len(pareto), len(axes_labels)))
    ends = [_ends(lever) for lever in spec.levers]
    for k, lever in enumerate(spec.levers):
        rows[:, k] = [_position(lever, v) for v in pareto[lever.key]]
    for k, name in enumerate(names):
        scores = pareto[name].to_numpy(dtype=float)
        low, high = scores.min(), scores.max()
        rows[:, len(spec.levers) + k] = (scores - low) / (high - low) if high > low else 0.5
        ends.append((format_number(low), format_number(high)))
    figure, (ax,) = new_figure((max(8.0, 1.6 * len(axes_labels)), 5.0))
    first = pareto[names[0]].to_numpy(dtype=float)
    span = np.ptp(first) or 1.0
    colours = matplotlib.colormaps["viridis"]((first - first.min()) / span)
    x = np.arange(len(axes_labels))
    for row, colour in zip(rows, colours, strict=True):
        ax.plot(x, row, color=colour, alpha=0.8, linewidth=1.4)
    for k, (low, high) in enumerate(ends):
        ax.axvline(k, color="grey", linewidth=0.8)
        ax.annotate(low, (k, 0), xytext=(0, -14), textcoords="offset points", ha="center", fontsize=9)
        ax.annotate(high, (k, 1), xytext=(0, 5), textcoords="offset points", ha="center", fontsize=9)
    ax.set_xticks(x, axes_labels, rotation=20, ha="right")
    ax.set_yticks([])
    ax.set_ylim(-0.08, 1.08)
    ax.set_title(f"{spec.name}: {len(pareto)} Pareto strategies (colour: {names[0]}, dark = low)")
    return save_figure(figure, path)


def convergence_plot(spec: Optimisation, steps: pd.DataFrame, path: Path) -> Path:
    """Normalised hypervolume of the Pareto set found so far, per generation."""
    figure, (ax,) = new_figure()
    ax.plot(steps["generation"], steps["hypervolume"], marker="o")
    ax.set_xlabel("generation")
    ax.set_ylabel("hypervolume (scaled objectives, reference 1.1)")
    ax.set_title(f"{spec.name}: convergence ({spec.algorithm.upper()}, population {spec.population})")
    return save_figure(figure, path)


def _value(value: object) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        return f"{value:.3g}"
    return str(value)


def report(spec: Optimisation, pareto: pd.DataFrame, steps: pd.DataFrame) -> str:
    """The text of ``report.md``."""
    from sim.experiments.optimize import score_columns

    names = score_columns(spec)
    last = steps.iloc[-1]
    objectives = ", ".join(f"{o} (mean `{OBJECTIVES[o]}` per replication)" for o in spec.objectives)
    robust = {"mean": "the mean over the futures", "p90": "the 90th percentile over the futures",
              "regret": "the regret: the most, over the futures, by which a candidate's mean exceeds the best "
              "mean of that future among all candidates evaluated"}[spec.robust]  # fmt: skip
    lines = [f"# Robust strategy search: {spec.name}", ""]
    if spec.description:
        lines += [spec.description, ""]
    lines += [
        "A stylised model explored, not a forecast: the Pareto set says which settings of the levers trade "
        "the objectives off best *in this model*, under its assumptions and the futures sampled.",
        "",
        f"- scenario: `{spec.scenario.name}`; base strategy: `{spec.strategy.name}` (the levers change it, "
        "nothing else)",
        f"- levers: {', '.join(f'`{lever.key}`' for lever in spec.levers)}",
        f"- objectives, all minimised: {objectives}",
        f"- futures: {spec.futures}"
        + (f", a Latin hypercube of {', '.join(f'`{u.key}`' for u in spec.uncertain)}" if spec.uncertain else ""),
        f"- score per objective: {robust}",
        f"- search: pymoo {spec.algorithm.upper()}, population {spec.population}, {spec.generations} generations, "
        f"seed {spec.seed}",
        f"- evaluated: {int(last['candidates']):,} distinct candidates x {spec.futures} future(s) x "
        f"{spec.reps:,} replications = {int(last['replications']):,} replications, every candidate in every "
        "future on the same replications (common random numbers)",
        f"- Pareto set: {len(pareto)} strategies (non-dominated among all candidates evaluated); normalised "
        f"hypervolume {last['hypervolume']:.3f} after the last generation (`convergence.csv`)",
        "",
        "## Pareto set",
        "",
    ]
    head = ["strategy", *(short_key(lever.key) for lever in spec.levers), *names]
    body = [[str(row["strategy"]), *(_value(row[lever.key]) for lever in spec.levers),
             *(format_number(float(row[n])) for n in names)]
            for _, row in pareto.head(MAX_ROWS).iterrows()]  # fmt: skip
    lines += markdown_table(head, body, left=(0,))
    if len(pareto) > MAX_ROWS:
        lines += ["", f"The first {MAX_ROWS} of {len(pareto)} are shown; `pareto.csv` has all."]
    lines += [
        "",
        "Each strategy is in `strategies/NAME.toml` (`r2p run SCENARIO strategies/NAME.toml`).",
        "",
        "![Pareto set in parallel coordinates](pareto.png)",
        "",
        "![Hypervolume per generation](convergence.png)",
        "",
        "Means are over finite replications: scores of neighbouring strategies can differ by noise as "
        "much as by their settings. Re-run a chosen strategy with more replications before reading much "
        "into small differences.",
        "",
    ]
    return "\n".join(lines)

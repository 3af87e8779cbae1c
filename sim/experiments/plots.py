"""Plots and a Markdown report of a results folder written by ``r2p sweep``.

- :func:`timing_curve`: expected deaths (mean and 95 % CI) against a trigger-delay grid value.
- :func:`fan_charts`: quantile bands over weeks of the focal state's tension, the region's
  cumulative deaths and the other states' mean tension, per strategy, re-simulated from the
  experiment file (same seed, all the sweep's replications, folded batch by batch into per-week
  histograms so memory does not grow with them).
- :func:`death_ccdf`: P(deaths >= x) of the per-replication death tolls, log-log.
- :func:`write_report`: all three into ``DIR/plots/`` and ``DIR/report.md``.

Figures are drawn on matplotlib's Agg canvas (no display needed) and written atomically as PNG.

Command line: ``r2p plot DIR`` (:mod:`sim.cli.plot`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from sim.config import InputError
from sim.experiments.compare import grid_columns, short_key
from sim.experiments.findings import findings
from sim.experiments.posterior_folder import with_posterior
from sim.experiments.progress import Progress
from sim.experiments.statistics import format_estimate, format_number, markdown_table
from sim.experiments.store import (
    CHUNKS,
    DESIGN,
    MANIFEST,
    SUMMARY,
    read_design,
    read_manifest,
    source_points,
    write_atomically,
)
from sim.parameters import P
from sim.rules.outcomes import TRAJECTORY

if TYPE_CHECKING:
    from sim.experiments.design import DesignPoint

PLOTS = "plots"
REPORT = "report.md"
CCDF_POINTS = 2000
"""Largest number of tolls per strategy drawn evenly in the death-toll CCDF (the tail gets as many more)."""
SIZE = (8, 5)
STYLE = {"font.size": 12, "axes.titlesize": 13, "axes.labelsize": 12, "legend.fontsize": 11}
DPI = 150
MAX_ROWS = 60
"""Design points listed in the report's table (the rest are in ``summary.csv``)."""
FAN_QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
"""Quantiles drawn in a fan chart: the 5-95 % band, the 25-75 % band and the median."""
FAN_BINS = 2000
"""Bins of a fan chart's per-week histograms: tension 0-1 in steps of 0.0005; deaths: none (below
10^-6), up to 1, then geometric bins up to the region's population (under 1 % wide each for up to
10^8 people)."""
FAN_WEEKS = 520
"""Most week columns drawn in a fan chart (a longer horizon is sampled evenly, first and last week kept)."""
FAN_MEMORY = 256 * 2**20
"""Bytes of trajectories one re-simulation batch may hold (at least one replication per batch)."""
FAN_BATCH = 2000
"""Most replications in one re-simulation batch."""
PILOT = 1000
"""Replications (the first ones) of the pilot run that picks a fan chart's focal state."""
THRESHOLD_LABELS = (
    "tension threshold ({:g}):\nescalation, atrocity onset possible",
    "crisis threshold ({:g}):\ntension self-reinforces, onset likelier",
)
"""Legend of the threshold lines (``docs/ODD.md`` section 7.3: a stable state at the tension threshold
enters 'tension', from where an onset is possible; above the crisis threshold tension feeds on itself)."""


# --- reading a results folder ---------------------------------------------------------------------


def _check_folder(folder: Path) -> Path:
    """``folder`` if it is a results folder; otherwise an :class:`InputError` saying what is expected."""
    folder = Path(folder)
    expected = f"a results folder written by 'r2p sweep' ({MANIFEST}, {DESIGN}, {SUMMARY}, {CHUNKS}/)"
    if not folder.is_dir():
        raise InputError(folder, "", "no such folder", expected)
    missing = [name for name in (MANIFEST, DESIGN, SUMMARY) if not (folder / name).is_file()]
    if not (folder / CHUNKS).is_dir():
        missing.append(f"{CHUNKS}/")
    if missing:
        problem = f"not a results folder (no {', '.join(missing)})"
        if (folder / MANIFEST).is_file() and missing == [SUMMARY]:
            problem += "; the sweep has not finished (run the same 'r2p sweep' command again)"
        raise InputError(folder, "", problem, expected)
    return folder


def _base_points(design: pd.DataFrame) -> pd.DataFrame:
    """Design rows of the first scenario with the first value of every grid column, one per strategy."""
    rows = design[design["scenario"] == design["scenario"].iloc[0]]
    for column in grid_columns(design):
        rows = rows[rows[column] == design[column].iloc[0]]
    return rows


def _fixed_note(design: pd.DataFrame) -> str:
    """What :func:`_base_points` holds fixed, e.g. ``fragile_region, pillar3.delay=0``."""
    parts = [str(design["scenario"].iloc[0])]
    parts += [f"{short_key(c)}={design[c].iloc[0]}" for c in grid_columns(design)]
    return ", ".join(parts)


def _experiment_name(folder: Path) -> str:
    return str(read_manifest(folder).get("experiment", folder.name))


def reload_experiment(folder: Path) -> tuple[object | None, str]:
    """The experiment that made ``folder``, or None and why it cannot be used for re-simulation."""
    from sim.experiments.design import load_experiment

    manifest = read_manifest(_check_folder(folder))
    source = manifest.get("source") or ""
    if not source or not Path(source).is_file():
        return None, f"the experiment file {source!r} is gone, so the runs cannot be re-simulated"
    try:
        experiment = load_experiment(Path(source))
    except InputError as error:
        return None, f"the experiment file no longer loads ({error})"
    if experiment.digest != manifest.get("digest"):
        return None, f"the experiment file {source} has changed since the sweep (digest differs)"
    return experiment, ""


# --- drawing --------------------------------------------------------------------------------------


def new_figure(size: tuple[float, float] = SIZE, panels: int = 1) -> tuple[Figure, list]:
    with matplotlib.rc_context(STYLE):
        figure = Figure(figsize=size, dpi=DPI, layout="constrained")
        FigureCanvasAgg(figure)
        axes = figure.subplots(1, panels, squeeze=False)[0]
    return figure, list(axes)


def save_figure(figure: Figure, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, lambda tmp: figure.savefig(tmp, format="png", dpi=DPI))
    return path


def people_label(x: float, _position: object = None) -> str:
    """Tick label of a count of people: 0, 950, 12k, 1.2M."""
    if x >= 1e6:
        return f"{x / 1e6:g}M"
    if x >= 1e4:
        return f"{x / 1e3:g}k"
    return f"{x:g}"


def timing_curve(folder: Path) -> Path | None:
    """Expected deaths (mean, 95 % CI band) against the first ``*.delay`` grid column, per strategy.

    One line per strategy (and per scenario and value of the other grid columns, if any). Returns
    the PNG's path, or None if the design has no delay grid.
    """
    folder = _check_folder(folder)
    design = read_design(folder)
    delays = [c for c in grid_columns(design) if c.endswith(".delay")]
    if not delays:
        return None
    delay = delays[0]
    others = [c for c in grid_columns(design) if c != delay]
    if design["scenario"].nunique() > 1:
        others.insert(0, "scenario")
    summary = pd.read_csv(folder / SUMMARY)
    deaths = summary[summary["outcome"] == "deaths"][["point", "mean", "ci95_low", "ci95_high", "n"]]
    table = design.merge(deaths, on="point")
    table["x"] = pd.to_numeric(table[delay], errors="coerce")
    with matplotlib.rc_context(STYLE):
        figure, (axes,) = new_figure()
        groups = list(table.groupby(["strategy", *others], sort=False))
        colours = {s: f"C{i % 10}" for i, s in enumerate(dict.fromkeys(table["strategy"]))}
        variants = list(dict.fromkeys(key[1:] for key, _ in groups))  # colour: strategy; style: other values
        alpha = 0.2 if len(groups) <= 3 else 0.1
        for key, rows in groups:
            rows = rows.sort_values("x")
            name = key[0] + "".join(f", {short_key(c)}={v}" for c, v in zip(others, key[1:], strict=True))
            style = variants.index(key[1:])
            axes.plot(rows["x"], rows["mean"], color=colours[key[0]], marker="osD^v<>p*h"[style % 10],
                      linestyle=("-", "--", ":", "-.")[style % 4], label=name)  # fmt: skip
            axes.fill_between(rows["x"], rows["ci95_low"], rows["ci95_high"], color=colours[key[0]], alpha=alpha)
        n = int(table["n"].min())
        axes.set_xlabel(f"delay of {short_key(delay).removesuffix('.delay')} after its trigger (weeks)")
        axes.set_ylabel("expected deaths (people)")
        axes.yaxis.set_major_formatter(people_label)
        axes.set_ylim(bottom=0)
        axes.set_title(f"{_experiment_name(folder)}: expected deaths vs response delay")
        axes.legend(title=f"mean, shaded: 95 % CI (n={n:,} each)", loc="best")
        axes.grid(alpha=0.3)
        return save_figure(figure, folder / PLOTS / "timing_curve.png")


class WeekHistogram:
    """Counts of one quantity's values per drawn week in fixed bins, folded in batch by batch.

    Memory is ``weeks x bins`` counts, whatever the number of replications folded in. A quantile
    is read as the inverted-CDF quantile (the smallest value with at least that share at or below
    it), interpolated within its bin: within one bin width of the exact quantile of all values.
    """

    def __init__(self, edges: np.ndarray, weeks: int) -> None:
        self.edges = np.asarray(edges, dtype=np.float64)
        self.counts = np.zeros((weeks, len(self.edges) - 1), dtype=np.int64)
        self.low = np.full(weeks, np.inf)
        self.high = np.full(weeks, -np.inf)
        self.n = 0

    def add(self, values: np.ndarray) -> None:
        """Fold in ``values`` (replications x weeks)."""
        weeks, bins = self.counts.shape
        index = np.clip(np.searchsorted(self.edges, values, side="right") - 1, 0, bins - 1)
        index += np.arange(weeks) * bins
        self.counts += np.bincount(index.ravel(), minlength=self.counts.size).reshape(weeks, bins)
        self.low = np.minimum(self.low, values.min(axis=0))
        self.high = np.maximum(self.high, values.max(axis=0))
        self.n += values.shape[0]

    def quantiles(self, levels: tuple[float, ...] = FAN_QUANTILES) -> np.ndarray:
        """Quantiles ``levels`` per week, shape ``(len(levels), weeks)``, kept within each week's range."""
        weeks = np.arange(self.counts.shape[0])
        cumulative = self.counts.cumsum(axis=1)
        out = np.empty((len(levels), len(weeks)))
        for k, level in enumerate(levels):
            rank = max(math.ceil(level * self.n) - 1, 0)  # 0-based rank of the inverted-CDF quantile
            bin_ = (cumulative <= rank).sum(axis=1)
            below = np.where(bin_ > 0, cumulative[weeks, bin_ - 1], 0)
            share = (rank - below + 0.5) / self.counts[weeks, bin_]
            value = self.edges[bin_] + share * (self.edges[bin_ + 1] - self.edges[bin_])
            out[k] = np.clip(value, self.low, self.high)
        return out


@dataclass
class Fan:
    """The histograms of one strategy's fan chart and what its labels need."""

    strategy: str
    weeks: np.ndarray
    tension: WeekHistogram
    deaths: WeekHistogram
    others: WeekHistogram | None
    thresholds: tuple[float, float]
    states: int


def drawn_weeks(horizon: int, most: int = FAN_WEEKS) -> np.ndarray:
    """Weeks ``0 .. horizon`` drawn in a fan chart: all, or ``most + 1`` of them spread evenly."""
    return np.unique(np.linspace(0, horizon, min(horizon, most) + 1).round().astype(np.int64))


def batch_size(horizon: int, states: int) -> int:
    """Replications per re-simulation batch: trajectories of at most :data:`FAN_MEMORY` bytes (at
    least one replication, at most :data:`FAN_BATCH`)."""
    per_replication = (horizon + 1) * len(TRAJECTORY) * states * np.dtype(np.float64).itemsize
    return int(min(max(FAN_MEMORY // per_replication, 1), FAN_BATCH))


def focal_state(points: list[DesignPoint], reps: int, seed: int, weeks: int | None) -> tuple[int, str]:
    """The state with the most expected deaths summed over the design ``points``, and a note saying so.

    Expected deaths come from a pilot of the first ``min(reps, PILOT)`` replications (no trajectories).
    """
    from sim.simulate import simulate

    names = [s.name for s in points[0].scenario.states]
    pilot = min(reps, PILOT)
    deaths = np.zeros(len(names))
    for point in points:
        outcomes = simulate(point.scenario, point.strategy, pilot, seed, weeks=weeks, by_state=True,
                            posterior=point.posterior)  # fmt: skip
        deaths += outcomes[[f"deaths[{name}]" for name in names]].to_numpy().mean(axis=0)
    return choose_focal(names, deaths, f"pilot: first {pilot:,} replications of each strategy drawn")


def choose_focal(names: list[str], deaths: np.ndarray, source: str) -> tuple[int, str]:
    """Index of the state with the most ``deaths`` (the first if none has any) and a note naming it."""
    if not deaths.any():
        return 0, f"focal state {names[0]}: the first state (no deaths in the {source})"
    index = int(np.argmax(deaths))
    return index, f"focal state {names[index]}: the most expected deaths ({source})"


def fold_point(point: DesignPoint, reps: int, seed: int, weeks: int | None, focal: int,
               progress: Progress | None = None) -> Fan:  # fmt: skip
    """Re-simulate replications ``0 .. reps-1`` of ``point`` in batches into a :class:`Fan`.

    Memory is bounded by one batch (:func:`batch_size`) and the histograms (drawn weeks x
    :data:`FAN_BINS`), not by ``reps``.
    """
    from sim.simulate import simulate

    scenario = point.scenario
    horizon = weeks or scenario.weeks
    columns = drawn_weeks(horizon)
    n_states = len(scenario.states)
    tension_edges = np.linspace(0.0, 1.0, FAN_BINS + 1)
    population = max(float(sum(s.population for s in scenario.states)), 2.0)
    deaths_edges = np.concatenate([[0.0, 1e-6], np.geomspace(1.0, population, FAN_BINS)])  # zeros: own bin
    fan = Fan(point.strategy.name, columns, WeekHistogram(tension_edges, len(columns)),
              WeekHistogram(deaths_edges, len(columns)),
              WeekHistogram(tension_edges, len(columns)) if n_states > 1 else None,
              tuple(scenario.parameter_vector()[[P.THRESHOLD_TENSION, P.THRESHOLD_CRISIS]]), n_states)  # fmt: skip
    others = np.arange(n_states) != focal
    step = batch_size(horizon, n_states)
    for first in range(0, reps, step):
        count = min(step, reps - first)
        _, frames = simulate(scenario, point.strategy, count, seed, first=first, weeks=weeks, trajectories=True,
                             posterior=point.posterior)  # fmt: skip
        tension = frames[:, columns, TRAJECTORY.index("tension"), :]
        fan.tension.add(tension[:, :, focal])
        if fan.others is not None:
            fan.others.add(tension[:, :, others].mean(axis=2))
        fan.deaths.add(frames[:, columns, TRAJECTORY.index("deaths"), :].sum(axis=2))
        del frames, tension
        if progress is not None:
            progress.update(count)
    return fan


def fan_reps(manifest: dict, reps: int | None) -> int:
    """Replications a fan chart re-simulates: ``reps``, at most (and by default) the sweep's."""
    return min(reps or int(manifest["reps"]), int(manifest["reps"]))


def fan_charts(folder: Path, reps: int | None = None, progress: bool = False) -> list[Path]:
    """Per strategy: quantile bands over weeks of the focal state's tension, the region's cumulative
    deaths and the other states' mean tension.

    Re-simulates the sweep's replications ``0 .. reps-1`` (default: all of them, the manifest's
    ``reps``; same seed, so the bands rest on the replications of the outcome table) with
    trajectories at the first scenario and the first value of every grid column, in batches folded
    into per-week histograms (:class:`WeekHistogram`): memory does not grow with ``reps``. The focal
    state is :func:`focal_state`'s. Returns the PNGs' paths, or an empty list if the experiment file
    is gone or has changed (see :func:`reload_experiment`).
    """
    folder = _check_folder(folder)
    experiment, _why = reload_experiment(folder)
    if experiment is None:
        return []
    manifest = read_manifest(folder)
    seed, reps = int(manifest["seed"]), fan_reps(manifest, reps)
    design = read_design(folder)
    every = with_posterior(experiment.points(), manifest.get("posterior"))
    points = [every[int(p)] for p in _base_points(design)["point"]]
    focal, note = focal_state(points, reps, seed, experiment.weeks)
    bar = Progress(reps * len(points), "fan charts", enabled=progress)
    fans = [fold_point(point, reps, seed, experiment.weeks, focal, bar) for point in points]
    bar.close()
    top = max(float(f.deaths.quantiles((0.95,)).max()) for f in fans) * 1.05 or 1.0
    state = points[0].scenario.states[focal].name
    title = f"n = {reps:,} replications ({_fixed_note(design)}; seed {seed})\n{note}"
    return [save_figure(_fan_figure(fan, state, title, top), folder / PLOTS / f"fan_{_file_name(fan.strategy)}.png")
            for fan in fans]  # fmt: skip


def _fan_figure(fan: Fan, state: str, title: str, top_deaths: float) -> Figure:
    """The fan chart of one strategy: (a) focal tension with thresholds, (b) deaths, (c) other states."""
    with matplotlib.rc_context(STYLE):
        figure, axes = new_figure((16, 5.5), panels=3 if fan.others is not None else 2)
        tension = fan.tension.quantiles()
        _fan(axes[0], fan.weeks, tension)
        for value, style, text in zip(fan.thresholds, (":", "--"), THRESHOLD_LABELS, strict=True):
            axes[0].axhline(value, color="0.3", linestyle=style, linewidth=1.2, label=text.format(value))
        axes[0].set_ylim(0, min(1.0, max(float(tension[-1].max()) * 1.1, fan.thresholds[1] * 1.15)))
        axes[0].set_ylabel(f"tension of {state} (index, 0-1)")
        axes[0].set_title(f"(a) tension, {state}")
        axes[0].legend(loc="upper left", fontsize=9)
        _fan(axes[1], fan.weeks, fan.deaths.quantiles())
        axes[1].set_ylim(0, top_deaths)
        axes[1].yaxis.set_major_formatter(people_label)
        axes[1].set_ylabel("cumulative deaths, region (people)")
        axes[1].set_title("(b) cumulative deaths, all states")
        if fan.others is not None:
            _fan(axes[2], fan.weeks, fan.others.quantiles())
            axes[2].set_ylim(0, axes[0].get_ylim()[1])
            axes[2].set_ylabel("mean tension of the other states (index, 0-1)")
            axes[2].set_title(f"(c) tension, mean of the other {fan.states - 1} states")
        figure.suptitle(f"{fan.strategy}: {title}")
    return figure


def _fan(axes: object, weeks: np.ndarray, quantiles: np.ndarray) -> None:
    """5-95 % and 25-75 % bands and the median (rows of ``quantiles``, :data:`FAN_QUANTILES`) over weeks."""
    q05, q25, q50, q75, q95 = quantiles
    axes.fill_between(weeks, q05, q95, color="tab:blue", alpha=0.18, linewidth=0, label="5-95 %")
    axes.fill_between(weeks, q25, q75, color="tab:blue", alpha=0.38, linewidth=0, label="25-75 %")
    axes.plot(weeks, q50, color="tab:blue", linewidth=2, label="median")
    sampled = len(weeks) < weeks[-1] + 1
    axes.set_xlabel(f"week ({len(weeks):,} of {weeks[-1] + 1:,} drawn, evenly spread)" if sampled else "week")
    axes.set_xlim(0, weeks[-1])
    axes.grid(alpha=0.3)


def _file_name(name: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in name)


def death_ccdf(folder: Path) -> Path:
    """P(deaths >= x) of per-replication death tolls, per strategy, on log-log axes.

    Uses all replications of the design points of the first scenario with the first value of
    every grid column. Replications without deaths cannot be drawn on a log axis; the legend gives
    their share.
    """
    from sim.experiments.runner import read_column

    folder = _check_folder(folder)
    design = read_design(folder)
    drawn = False
    with matplotlib.rc_context(STYLE):
        figure, (axes,) = new_figure()
        for _, row in _base_points(design).iterrows():
            values, _ = read_column(folder, int(row["point"]), "deaths")
            values.sort()
            n = len(values)
            if n == 0:
                continue
            zero = 1 - np.count_nonzero(values > 0) / n
            label = f"{row['strategy']} (n={n:,}; {zero:.0%} no deaths)"
            ranks = _ccdf_ranks(n)
            values, share = values[ranks], (n - ranks) / n  # P(D >= values[i]) for sorted values
            positive = values > 0
            if positive.any():
                axes.plot(values[positive], share[positive], drawstyle="steps-pre", linewidth=2, label=label)
                drawn = True
            else:
                axes.plot([], [], label=label)
        if drawn:
            axes.set_xscale("log")
            axes.set_yscale("log")
        axes.set_xlabel("death toll x (people, regional total per replication)")
        axes.set_ylabel("P(deaths ≥ x)")
        axes.set_title(f"{_experiment_name(folder)}: distribution of death tolls")
        axes.legend(loc="lower left", title=_fixed_note(design))
        axes.grid(alpha=0.3, which="both")
        return save_figure(figure, folder / PLOTS / "death_ccdf.png")


def _ccdf_ranks(n: int, points: int = CCDF_POINTS) -> np.ndarray:
    """Ranks of the sorted tolls to draw: all of them up to ``points``; beyond, ``points`` spread
    evenly over the body plus ``points`` spread geometrically towards the largest (the tail)."""
    if n <= 2 * points:
        return np.arange(n)
    body = np.linspace(0, n - 1, points)
    tail = n - np.geomspace(1, n, points)
    return np.unique(np.concatenate([body, tail]).astype(np.int64))


# --- report ---------------------------------------------------------------------------------------


def write_report(folder: Path, reps: int | None = None, progress: bool = False) -> Path:
    """Draw every plot into ``folder/plots/`` and write ``folder/report.md`` that embeds them.

    ``reps`` and ``progress`` are :func:`fan_charts`' (default: all the sweep's replications).
    """
    folder = _check_folder(folder)
    manifest = read_manifest(folder)
    timing = timing_curve(folder)
    fans = fan_charts(folder, reps, progress)
    ccdf = death_ccdf(folder)
    _, why = reload_experiment(folder)
    design = read_design(folder)
    summary = pd.read_csv(folder / SUMMARY)
    split = [c for c in ("sd", "parameter_share") if c in summary]  # a run over a posterior
    deaths = design[["point", "label"]].merge(
        summary[summary["outcome"] == "deaths"][["point", "mean", "ci95_low", "ci95_high", "n", *split]], on="point"
    )
    lines = [
        f"# {manifest.get('experiment', folder.name)}",
        "",
        f"- seed: {manifest.get('seed')}",
        f"- replications per design point: {int(manifest.get('reps', 0)):,}",
        f"- design points: {len(design)}",
        f"- experiment file: `{manifest.get('source', '')}` (sha256 {str(manifest.get('digest', ''))[:12]})",
        f"- run: {manifest.get('started')} to {manifest.get('finished')}, git {manifest.get('git_revision')}",
        "",
        *findings(folder),
        "## Expected deaths per design point",
        "",
        "Expected deaths (people, the model's expected values) with their 95 % CI, rounded to its precision"
        + (
            "; over the posterior, the CI covers parameters and dice, and the last two columns give the spread "
            "of deaths across replications and the share of its variance from the parameters."
            if split
            else "."
        ),
        "",
    ]
    source = source_points(folder)
    shared = [p for p in deaths["point"] if source[p] != p]
    deaths = deaths[~deaths["point"].isin(shared)]
    rows = [[str(r["point"]), str(r["label"]), format_estimate(r["mean"], r["ci95_low"], r["ci95_high"]),
             f"{int(r['n']):,}", *([format_number(r["sd"]), f"{r['parameter_share']:.0%}"] if split else [])]
            for _, r in deaths.head(MAX_ROWS).iterrows()]  # fmt: skip
    head = ["point", "design point", "expected deaths, people [95 % CI]", "n",
            *(["sd across replications (people)", "variance from the parameters"] if split else [])]  # fmt: skip
    lines += markdown_table(head, rows, left=(1,))
    if shared:
        pairs = ", ".join(f"{p} (= {source[p]})" for p in shared)
        lines += ["", f"Not shown: points {pairs}, the same simulation as the point named (the grid setting "
                  "changes nothing in them), run once."]  # fmt: skip
    if len(deaths) > MAX_ROWS:
        lines.append(f"\nFirst {MAX_ROWS} of {len(deaths)} design points; all are in `{SUMMARY}`.")
    lines += ["", "## Timing", ""]
    if timing is None:
        lines.append("No `*.delay` grid in this experiment: no timing curve.")
    else:
        lines.append(f"![Expected deaths against the response delay]({PLOTS}/{timing.name})")
    lines += ["", "## Trajectories", ""]
    if fans:
        drawn = fan_reps(manifest, reps)
        lines.append(f"Re-simulated: replications 0 to {drawn - 1:,} (n = {drawn:,}) per strategy at "
                     f"{_fixed_note(design)}, the same as in the tables; bands 5-95 % and 25-75 %, line the "
                     "median, from per-week histograms (within one bin: 0.0005 of tension, 1 % of deaths). "
                     "Panel (a) is the focal state, the state with the most expected deaths (named on each "
                     "chart); panel (c) the mean tension of the other states.")  # fmt: skip
        lines += ["", *[f"![Fan chart of {p.stem.removeprefix('fan_')}]({PLOTS}/{p.name})\n" for p in fans]]
    else:
        lines.append(f"No fan charts: {why}.")
    lines += ["", "## Death tolls", "", f"![Complementary CDF of death tolls]({PLOTS}/{ccdf.name})", ""]
    path = folder / REPORT
    text = "\n".join(lines).replace("\n\n\n", "\n\n")
    write_atomically(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    return path


# --- command line ---------------------------------------------------------------------------------

"""Plots and a Markdown report of a results folder written by ``r2p sweep``.

- :func:`timing_curve`: expected deaths (mean and 95 % CI) against a trigger-delay grid value.
- :func:`fan_charts`: quantile bands over weeks of regional mean tension and cumulative deaths,
  per strategy, re-simulated from the experiment file (same seed, replications ``0 .. reps-1``).
- :func:`death_ccdf`: P(deaths >= x) of the per-replication death tolls, log-log.
- :func:`write_report`: all three into ``DIR/plots/`` and ``DIR/report.md``.

Figures are drawn on matplotlib's Agg canvas (no display needed) and written atomically as PNG.

Command line: ``r2p plot DIR`` (:mod:`sim.cli.plot`).
"""

from __future__ import annotations

from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from sim.config import InputError
from sim.experiments.compare import grid_columns, short_key
from sim.experiments.findings import findings
from sim.experiments.statistics import format_estimate, markdown_table
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

PLOTS = "plots"
REPORT = "report.md"
CCDF_POINTS = 2000
"""Largest number of tolls per strategy drawn evenly in the death-toll CCDF (the tail gets as many more)."""
SIZE = (8, 5)
STYLE = {"font.size": 12, "axes.titlesize": 13, "axes.labelsize": 12, "legend.fontsize": 11}
DPI = 150
MAX_ROWS = 60
"""Design points listed in the report's table (the rest are in ``summary.csv``)."""


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


def _figure(size: tuple[float, float] = SIZE, panels: int = 1) -> tuple[Figure, list]:
    with matplotlib.rc_context(STYLE):
        figure = Figure(figsize=size, dpi=DPI, layout="constrained")
        FigureCanvasAgg(figure)
        axes = figure.subplots(1, panels, squeeze=False)[0]
    return figure, list(axes)


def _save(figure: Figure, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, lambda tmp: figure.savefig(tmp, format="png", dpi=DPI))
    return path


def _people(x: float, _position: object = None) -> str:
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
        figure, (axes,) = _figure()
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
        axes.yaxis.set_major_formatter(_people)
        axes.set_ylim(bottom=0)
        axes.set_title(f"{_experiment_name(folder)}: expected deaths vs response delay")
        axes.legend(title=f"mean, shaded: 95 % CI (n={n:,} each)", loc="best")
        axes.grid(alpha=0.3)
        return _save(figure, folder / PLOTS / "timing_curve.png")


def fan_charts(folder: Path, reps: int = 200) -> list[Path]:
    """Per strategy: quantile bands over weeks of regional mean tension and cumulative deaths.

    Re-simulates ``reps`` replications (``0 .. reps-1``, the manifest's seed) with trajectories at
    the first scenario and the first value of every grid column. Returns the PNGs' paths, or an
    empty list if the experiment file is gone or has changed (see :func:`reload_experiment`).
    """
    from sim.simulate import simulate

    folder = _check_folder(folder)
    experiment, _why = reload_experiment(folder)
    if experiment is None:
        return []
    seed = int(read_manifest(folder)["seed"])
    design = read_design(folder)
    points = experiment.points()
    runs = []
    for _, row in _base_points(design).iterrows():
        point = points[int(row["point"])]
        _, frames = simulate(point.scenario, point.strategy, reps, seed, weeks=experiment.weeks, trajectories=True)
        tension = frames[:, :, TRAJECTORY.index("tension"), :].mean(axis=2)
        deaths = frames[:, :, TRAJECTORY.index("deaths"), :].sum(axis=2)
        thresholds = point.scenario.parameter_vector()[[P.THRESHOLD_TENSION, P.THRESHOLD_CRISIS]]
        runs.append((row["strategy"], tension, deaths, thresholds))
    top_deaths = max(float(np.quantile(d, 0.95, axis=0).max()) for _, _, d, _ in runs) * 1.05 or 1.0
    top_tension = min(1.0, max(float(np.quantile(t, 0.95, axis=0).max()) for _, t, _, _ in runs) * 1.1)
    fixed = _fixed_note(design)
    paths = []
    with matplotlib.rc_context(STYLE):
        for strategy, tension, deaths, thresholds in runs:
            figure, (left, right) = _figure((12, 5), panels=2)
            _fan(left, tension)
            left.axhline(thresholds[0], color="0.4", linestyle=":", linewidth=1.2, label="tension threshold")
            left.axhline(thresholds[1], color="0.2", linestyle="--", linewidth=1.2, label="crisis threshold")
            left.set_ylim(0, max(top_tension, thresholds[1] * 1.1))
            left.set_ylabel("regional mean tension (index, 0-1)")
            left.set_title("(a) tension, mean over states")
            _fan(right, deaths)
            right.set_ylim(0, top_deaths)
            right.yaxis.set_major_formatter(_people)
            right.set_ylabel("cumulative deaths, region (people)")
            right.set_title("(b) cumulative deaths")
            left.legend(loc="upper left", fontsize=10)
            figure.suptitle(f"{strategy}: {reps:,} replications ({fixed}; seed {seed})")
            paths.append(_save(figure, folder / PLOTS / f"fan_{_file_name(strategy)}.png"))
    return paths


def _fan(axes: object, values: np.ndarray) -> None:
    """5-95 % and 25-75 % bands and the median of ``values`` (replications x weeks) over weeks."""
    weeks = np.arange(values.shape[1])
    q05, q25, q50, q75, q95 = np.quantile(values, [0.05, 0.25, 0.5, 0.75, 0.95], axis=0)
    axes.fill_between(weeks, q05, q95, color="tab:blue", alpha=0.18, linewidth=0, label="5-95 %")
    axes.fill_between(weeks, q25, q75, color="tab:blue", alpha=0.38, linewidth=0, label="25-75 %")
    axes.plot(weeks, q50, color="tab:blue", linewidth=2, label="median")
    axes.set_xlabel("week")
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
        figure, (axes,) = _figure()
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
        return _save(figure, folder / PLOTS / "death_ccdf.png")


def _ccdf_ranks(n: int, points: int = CCDF_POINTS) -> np.ndarray:
    """Ranks of the sorted tolls to draw: all of them up to ``points``; beyond, ``points`` spread
    evenly over the body plus ``points`` spread geometrically towards the largest (the tail)."""
    if n <= 2 * points:
        return np.arange(n)
    body = np.linspace(0, n - 1, points)
    tail = n - np.geomspace(1, n, points)
    return np.unique(np.concatenate([body, tail]).astype(np.int64))


# --- report ---------------------------------------------------------------------------------------


def write_report(folder: Path, reps: int = 200) -> Path:
    """Draw every plot into ``folder/plots/`` and write ``folder/report.md`` that embeds them."""
    folder = _check_folder(folder)
    manifest = read_manifest(folder)
    timing = timing_curve(folder)
    fans = fan_charts(folder, reps)
    ccdf = death_ccdf(folder)
    _, why = reload_experiment(folder)
    design = read_design(folder)
    summary = pd.read_csv(folder / SUMMARY)
    deaths = design[["point", "label"]].merge(
        summary[summary["outcome"] == "deaths"][["point", "mean", "ci95_low", "ci95_high", "n"]], on="point"
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
        "Expected deaths (people, the model's expected values) with their 95 % CI, rounded to its precision.",
        "",
    ]
    source = source_points(folder)
    shared = [p for p in deaths["point"] if source[p] != p]
    deaths = deaths[~deaths["point"].isin(shared)]
    rows = [[str(r["point"]), str(r["label"]), format_estimate(r["mean"], r["ci95_low"], r["ci95_high"]),
             f"{int(r['n']):,}"] for _, r in deaths.head(MAX_ROWS).iterrows()]  # fmt: skip
    lines += markdown_table(["point", "design point", "expected deaths [95 % CI]", "n"], rows, left=(1,))
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
        lines.append(f"Re-simulated: {reps:,} replications per strategy at {_fixed_note(design)}; bands 5-95 % "
                     "and 25-75 %, line the median.")  # fmt: skip
        lines += ["", *[f"![Fan chart of {p.stem.removeprefix('fan_')}]({PLOTS}/{p.name})\n" for p in fans]]
    else:
        lines.append(f"No fan charts: {why}.")
    lines += ["", "## Death tolls", "", f"![Complementary CDF of death tolls]({PLOTS}/{ccdf.name})", ""]
    path = folder / REPORT
    text = "\n".join(lines).replace("\n\n\n", "\n\n")
    write_atomically(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    return path


# --- command line ---------------------------------------------------------------------------------

"""Plots and report of a results folder: files written, readable PNGs, links, errors."""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

import matplotlib.image
import numpy as np
import pytest

from sim.cli import plot as plot_command
from sim.config import InputError
from sim.experiments import plots
from sim.experiments.design import load_experiment
from sim.experiments.sweep import sweep

EXPERIMENT = """[experiment]
name = "tiny_timing"
seed = 11
reps = 200
scenarios = ["fragile_region"]
strategies = ["no_response", "reactive_coercion"]
{grid}
"""
DELAY_GRID = '[grid]\n"strategy.pillar3.delay" = [0, 8]\n'
OTHER_GRID = '[grid]\n"strategy.veto_restraint" = [false, true]\n'


def _results(tmp_path: Path, grid: str, name: str) -> Path:
    path = tmp_path / f"{name}.toml"
    path.write_text(EXPERIMENT.format(grid=grid))
    return sweep(load_experiment(path), tmp_path / name, chunk=100, progress=None)


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _results(tmp_path_factory.mktemp("plots"), DELAY_GRID, "timing")


def _check_png(path: Path, width: int, height: int) -> None:
    assert path.is_file() and path.stat().st_size > 1000
    image = matplotlib.image.imread(path)
    assert image.shape[0] >= height and image.shape[1] >= width


def test_report_embeds_readable_plots(results: Path) -> None:
    report = plots.write_report(results, reps=20)
    assert report == results / "report.md"
    text = report.read_text()
    assert text.startswith("# tiny_timing") and "seed: 11" in text and "200" in text
    names = {"timing_curve.png", "death_ccdf.png", "fan_no_response.png", "fan_reactive_coercion.png"}
    assert {p.name for p in (results / "plots").glob("*.png")} == names
    for name in names:
        _check_png(results / "plots" / name, 1000, 700)
    links = set(re.findall(r"!\[[^\]]*\]\((plots/[^)]+\.png)\)", text))
    assert links == {f"plots/{name}" for name in names}
    assert text.index("## Findings") < text.index("## Expected deaths per design point")
    table = text[text.index("## Expected deaths per design point") : text.index("## Timing")]
    rows = [line for line in table.splitlines() if re.match(r"\| \d+ \|", line)]
    assert len(rows) == 3 and all(line.count(" | ") == 3 for line in rows)  # labels' '|' escaped
    assert "Not shown: points 1 (= 0)" in table  # no_response has nothing to delay: run and shown once
    assert not list(results.rglob(".*.tmp"))


def test_fan_charts_are_deterministic(results: Path) -> None:
    first = [p.read_bytes() for p in plots.fan_charts(results, reps=20)]
    again = [p.read_bytes() for p in plots.fan_charts(results, reps=20)]
    assert len(first) == 2 and first == again


def test_no_timing_curve_without_delay_grid(tmp_path: Path) -> None:
    folder = _results(tmp_path, OTHER_GRID, "veto")
    assert plots.timing_curve(folder) is None
    _check_png(plots.death_ccdf(folder), 1000, 700)


def test_changed_experiment_file_skips_fan_charts_with_a_note(tmp_path: Path) -> None:
    folder = _results(tmp_path, DELAY_GRID, "timing")
    source = Path(json.loads((folder / "manifest.json").read_text())["source"])
    source.write_text(source.read_text().replace("seed = 11", "seed = 12"))
    assert plots.fan_charts(folder, reps=20) == []
    text = plots.write_report(folder, reps=20).read_text()
    assert "No fan charts" in text and "changed" in text
    source.unlink()
    assert "gone" in plots.reload_experiment(folder)[1]


def test_not_a_results_folder(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    for folder in (tmp_path / "empty", tmp_path / "missing"):
        with pytest.raises(InputError, match=re.escape(str(folder)) + ".*results folder written by 'r2p sweep'"):
            plots.write_report(folder)
    with pytest.raises(InputError, match=r"not a results folder \(no manifest\.json, design\.csv"):
        plots.timing_curve(tmp_path / "empty")


def test_command_line(results: Path, capsys: pytest.CaptureFixture[str]) -> None:
    parser = argparse.ArgumentParser()
    plot_command.add_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["plot", str(results), "--reps", "20"])
    args.handler(args)
    out = capsys.readouterr().out
    assert f"report: {results / 'report.md'}" in out and "timing_curve.png" in out
    with pytest.raises(SystemExit):
        parser.parse_args(["plot", str(results), "--reps", "0"])


def test_ccdf_of_many_tolls_draws_a_bounded_sample_that_keeps_both_ends() -> None:
    assert list(plots._ccdf_ranks(5)) == [0, 1, 2, 3, 4]
    ranks = plots._ccdf_ranks(10_000_000)
    assert len(ranks) <= 2 * plots.CCDF_POINTS
    assert ranks[0] == 0 and ranks[-1] == 10_000_000 - 1
    assert (np.diff(ranks) > 0).all()
    assert (ranks >= 10_000_000 - 100).sum() >= 10  # the largest tolls are drawn one by one


def _point(results: Path, strategy: str = "no_response") -> object:
    """The design point of ``strategy`` at delay 0 of the ``results`` experiment."""
    experiment, _ = plots.reload_experiment(results)
    return next(p for p in experiment.points() if p.strategy.name == strategy)


def _within_a_bin(chart: np.ndarray, exact: np.ndarray, edges: np.ndarray) -> bool:
    """Whether every ``chart`` value lies within one bin width (of the bin holding ``exact``) of ``exact``."""
    index = np.clip(np.searchsorted(edges, exact, side="right") - 1, 0, len(edges) - 2)
    return bool((np.abs(chart - exact) <= np.diff(edges)[index] + 1e-12).all())


def test_fan_quantiles_are_those_of_all_replications_within_a_bin(
    results: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sim.rules.outcomes import TRAJECTORY
    from sim.simulate import simulate

    monkeypatch.setattr(plots, "FAN_BATCH", 64)  # 300 replications in 5 batches, the last one short
    point, focal = _point(results, "reactive_coercion"), 4
    fan = plots.fold_point(point, 300, 11, None, focal)
    _, frames = simulate(point.scenario, point.strategy, 300, 11, trajectories=True)
    tension = frames[:, :, TRAJECTORY.index("tension"), :]
    exact = {
        "tension": tension[:, :, focal],
        "others": np.delete(tension, focal, axis=2).mean(axis=2),
        "deaths": frames[:, :, TRAJECTORY.index("deaths"), :].sum(axis=2),
    }
    assert list(fan.weeks) == list(range(point.scenario.weeks + 1)) and fan.tension.n == 300
    for name, values in exact.items():
        histogram = getattr(fan, name)
        truth = np.quantile(values, plots.FAN_QUANTILES, axis=0, method="inverted_cdf")
        assert _within_a_bin(histogram.quantiles(), truth, histogram.edges), name
    assert exact["deaths"][:, -1].max() > 1000  # the deaths' test is not only of zeros
    assert np.quantile(exact["deaths"][:, -1], 0.05) == 0 and fan.deaths.quantiles((0.05,))[0, -1] < 1e-6
    relative = np.diff(fan.deaths.edges[2:]) / fan.deaths.edges[2:-1]
    assert relative.max() < 0.01  # deaths to within 1 %


def test_fan_memory_does_not_grow_with_replications(results: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tracemalloc

    point = _point(results)
    per_replication = (point.scenario.weeks + 1) * 5 * len(point.scenario.states) * 8
    monkeypatch.setattr(plots, "FAN_MEMORY", 25 * per_replication)
    assert plots.batch_size(point.scenario.weeks, len(point.scenario.states)) == 25
    plots.fold_point(point, 25, 11, None, 0)  # warm up: imports, caches

    def peak(reps: int) -> int:
        tracemalloc.start()
        plots.fold_point(point, reps, 11, None, 0)
        top = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return top

    few, many = peak(50), peak(1600)
    assert many < few * 1.2 + 2**20
    assert many < 1600 * per_replication / 5  # all 1,600 trajectories at once would take over 5 times as much


def test_batches_and_weeks_of_the_largest_scenario_are_bounded() -> None:
    from sim.limits import MAX_STATES, MAX_WEEKS

    batch = plots.batch_size(MAX_WEEKS, MAX_STATES)
    assert batch >= 1 and batch * (MAX_WEEKS + 1) * 5 * MAX_STATES * 8 <= plots.FAN_MEMORY
    assert plots.batch_size(104, 12) == plots.FAN_BATCH
    weeks = plots.drawn_weeks(MAX_WEEKS)
    assert len(weeks) == plots.FAN_WEEKS + 1 and weeks[0] == 0 and weeks[-1] == MAX_WEEKS
    assert (np.diff(weeks) > 0).all()
    assert list(plots.drawn_weeks(104)) == list(range(105))


def test_focal_state_has_the_most_expected_deaths() -> None:
    names = ["A", "B", "C"]
    assert plots.choose_focal(names, np.array([5.0, 90.0, 20.0]), "pilot")[0] == 1
    index, note = plots.choose_focal(names, np.zeros(3), "pilot")
    assert index == 0 and "no deaths" in note and "focal state A" in note


def test_fan_charts_print_n_focal_state_and_what_thresholds_mean(
    results: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sim.simulate import simulate

    figures = []
    monkeypatch.setattr(plots, "save_figure", lambda figure, path: figures.append(figure) or path)
    assert len(plots.fan_charts(results)) == 2  # default: all 200 replications of the sweep
    point = _point(results)
    pilot = [simulate(_point(results, s).scenario, _point(results, s).strategy, 200, 11, by_state=True)
             for s in ("no_response", "reactive_coercion")]  # fmt: skip
    deaths = sum(p.filter(like="deaths[").mean() for p in pilot)
    focal = deaths.idxmax().removeprefix("deaths[").removesuffix("]")
    assert focal == point.scenario.states[int(np.argmax(deaths.to_numpy()))].name
    for figure in figures:
        title = figure.get_suptitle()
        assert "n = 200 replications" in title and f"focal state {focal}: the most expected deaths" in title
        tension = figure.axes[0]
        assert focal in tension.get_ylabel()
        labels = tension.get_legend_handles_labels()[1]
        assert "tension threshold (0.35):\nescalation, atrocity onset possible" in labels
        assert any(label.startswith("crisis threshold (0.6):") for label in labels)
        assert "other 11 states" in figure.axes[2].get_title()

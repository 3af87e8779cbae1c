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

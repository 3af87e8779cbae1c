"""Findings of a timing sweep: each figure is the paired difference of the points it names."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from sim.experiments.compare import PointReader, difference
from sim.experiments.design import load_experiment
from sim.experiments.findings import findings
from sim.experiments.statistics import format_estimate
from sim.experiments.sweep import sweep

EXPERIMENT = """[experiment]
name = "tiny_findings"
seed = 11
reps = 300
scenarios = ["fragile_region"]
strategies = ["no_response", "reactive_coercion", "three_pillar_flexible"]
{grid}
"""
DELAYS = (0, 8, 26)


def _sweep(folder: Path, grid: str) -> Path:
    folder.mkdir()
    path = folder / "experiment.toml"
    path.write_text(EXPERIMENT.format(grid=grid))
    return sweep(load_experiment(path), folder / "out", chunk=150, progress=None)


@pytest.fixture(scope="module")
def timing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    grid = f'[grid]\n"strategy.pillar3.delay" = {list(DELAYS)}\n'
    return _sweep(tmp_path_factory.mktemp("findings") / "timing", grid)


def _point(strategy: int, delay: int) -> int:
    """Design point of the ``strategy``-th strategy at the ``delay``-th delay (file order)."""
    return strategy * len(DELAYS) + delay


def test_states_scope_and_what_the_model_leaves_out(timing: Path) -> None:
    text = "\n".join(findings(timing))
    assert text.startswith("## Findings")
    assert "`fragile_region` (104 weeks)" in text and "300 replications per design point" in text
    assert "root seed 11" in text and "common random numbers" in text
    assert "not a forecast" in text and "section 15" in text


def test_a_strategy_the_delay_does_not_touch_is_said_to_be_identical(timing: Path) -> None:
    text = "\n".join(findings(timing))
    assert "`no_response`: identical results at every delay" in text
    assert not re.search(r"^\| no_response \|", text, re.M)  # no rows of zeros in the cost table


def test_cost_per_week_is_the_paired_difference_over_the_weeks_between(timing: Path) -> None:
    text = "\n".join(findings(timing))
    read = PointReader(timing)
    for strategy, name in ((1, "reactive_coercion"), (2, "three_pillar_flexible")):
        for j in range(len(DELAYS) - 1):
            d = difference(read.paired(_point(strategy, j + 1), _point(strategy, j), "deaths"))
            weeks = DELAYS[j + 1] - DELAYS[j]
            cell = format_estimate(d["difference"] / weeks, d["ci95_low"] / weeks, d["ci95_high"] / weeks)
            assert f"| {name} | {DELAYS[j]} to {DELAYS[j + 1]} | {cell} |" in text


def test_best_strategy_at_each_delay_has_the_lowest_mean(timing: Path) -> None:
    text = "\n".join(findings(timing))
    read = PointReader(timing)
    for j, delay in enumerate(DELAYS):
        means = [read(_point(s, j))["deaths"].mean() for s in range(3)]
        best = ["no_response", "reactive_coercion", "three_pillar_flexible"][int(np.argmin(means))]
        assert re.search(rf"^\| {delay} \| `{best}` \|", text, re.M)


def test_statements_claim_only_what_the_paired_interval_shows(timing: Path) -> None:
    lines = [line for line in findings(timing) if "still beats" in line]
    read = PointReader(timing)
    for line in lines:
        leader, weeks, other = re.search(
            r"`(\w+)` with its \S+ measures delayed (\d+) weeks.*beats `(\w+)`", line
        ).groups()
        strategies = ["no_response", "reactive_coercion", "three_pillar_flexible"]
        point = _point(strategies.index(leader), DELAYS.index(int(weeks)))
        d = difference(read.paired(point, _point(strategies.index(other), 0), "deaths"))
        assert d["ci95_high"] < 0
        assert format_estimate(d["difference"], d["ci95_low"], d["ci95_high"]) in line
        longer = [k for k in range(DELAYS.index(int(weeks)) + 1, len(DELAYS))]
        for k in longer:  # the longest delay that still wins is the one quoted
            later = difference(
                read.paired(_point(strategies.index(leader), k), _point(strategies.index(other), 0), "deaths")
            )
            assert later["ci95_high"] >= 0


def test_without_a_delay_grid_the_best_strategy_is_named(tmp_path: Path) -> None:
    folder = _sweep(tmp_path / "veto", '[grid]\n"strategy.veto_restraint" = [false, true]\n')
    text = "\n".join(findings(folder))
    assert text.count("Lowest expected deaths:") == 2  # one per setting
    assert "### veto_restraint=False" in text and "### veto_restraint=True" in text

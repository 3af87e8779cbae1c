"""Smoke test of ``benchmarks/view.py``: it runs at a tiny size and reports every row.

Benchmarks are not tests: nothing here checks a timing, only that the benchmark still works.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    """``benchmarks/view.py`` as a module, imported as the benchmarks import their siblings."""
    sys.path.insert(0, str(BENCHMARKS))
    return importlib.import_module("view")


def test_server_side_rows_cover_whole_runs(bench: ModuleType, tmp_path: Path) -> None:
    out = tmp_path / "view.md"
    rows = bench.main(["--runs", "1", "--long-runs", "0", "--repeats", "1", "--no-browser", "--out", str(out)])
    assert [r.label.split(":")[-1].strip() for r in rows] == [
        "`Run.step` with narrative and event log",
        "`charts.frame` (map and charts redrawn)",
        "both**",
        "`many_runs`",
        "PNG chart (`charts.png(spread_chart(...))`)",
        "both**",
    ]
    assert "(104 steps)" in rows[0].label
    assert all(r.median and r.p90 for r in rows)
    text = out.read_text()
    assert "| classroom page | median | 90th percentile | target |" in text and "CPU" in text


def test_step_times_time_every_week(bench: ModuleType) -> None:
    times = bench.step_times(bench.Settings(scenario="kenya_2008"), 2)
    assert {key: len(value) for key, value in times.items()} == {"step": 52, "frame": 52}
    assert (times["step"] > 0).all() and (times["frame"] > 0).all()


def test_quick_sizes_are_smaller_than_the_full_run(bench: ModuleType) -> None:
    quick, out, browser = bench.parse_args(["--quick", "--clients", "2"])
    full, _, _ = bench.parse_args([])
    assert out is None and browser and quick.clients == 2 and not quick.cold
    assert full.cold and full.clients == 30 and quick.runs < full.runs and quick.clicks < full.clicks


def test_a_warm_server_steps_in_the_browser(bench: ModuleType, browser_available: None) -> None:
    rows = bench.server_rows(bench.Config(cold=False, clients=2, clicks=2))
    assert [r.label for r in rows] == [
        "warm Numba cache: `r2p view` started until it answers HTTP (compiles or loads first)",
        "warm Numba cache: page load in Chromium until it shows week 0",
        "**warm Numba cache: first Step, click to week counter moving**",
        "**2 clients at once, 2 Steps each, one server: click to week counter moving (4 clicks)**",
        rows[4].label,
        rows[5].label,
    ]
    assert rows[4].label.startswith("2 clients at once, 2 Steps each, one server: wall time of all clicks (")
    assert rows[5].label.startswith("2 clients at once, 2 Steps each, one server: server's CPU time per Step (")
    assert rows[2].target == "<= 1 s" and all(r.median for r in rows)

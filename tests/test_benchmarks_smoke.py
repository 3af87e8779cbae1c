"""Smoke test of ``benchmarks/run.py``: it runs at a tiny size and reports every row.

Benchmarks are not tests: nothing here checks a timing, only that the suite still works.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import sim.jit  # before Numba: it sets Numba's cache folder and switches SVML off

# isort: split
import numba
import pytest

import sim
from sim.rng import Purpose, normal_pair, replication_key, uniform

RUN = Path(__file__).resolve().parents[1] / "benchmarks" / "run.py"
STRATEGIES = {"no_response", "three_pillar_flexible"}


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    """``benchmarks/run.py`` as a module (``benchmarks`` is not a package)."""
    spec = importlib.util.spec_from_file_location("r2p_benchmarks_run", RUN)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


def test_tiny_quick_run_reports_every_row(bench: ModuleType, tmp_path: Path) -> None:
    out = tmp_path / "bench.md"
    tiny = ["--reps", "64", "--mesa-reps", "2", "--scaling-reps", "64", "--throughput-reps", "128", "--repeats", "1"]
    report = bench.main(["--quick", *tiny, "--startup", "warm", "--suite", "engines", "--out", str(out)])

    threads = min(bench.MAX_THREADS, numba.config.NUMBA_NUM_THREADS)
    assert [row.label for row in report.rows] == [
        "Mesa engine: time per replication, 1 thread",
        "Numba engine: time per replication, 1 thread (same replications as Mesa)",
        "**Mesa / Numba per replication**",
        "Numba engine: time per replication, 1 thread (64 replications)",
        "Numba engine: time per state-week, 1 thread",
        "RNG only (1 normal pair + 1 uniform per state-week): time per replication, 1 thread",
        "**Numba kernel / RNG only**",
        "64 replications, 1 thread",
        f"64 replications, {threads} threads",
        f"**speed-up, {threads} threads vs 1**",
        f"**128 replications x 104 weeks, {threads} threads**",
        "throughput run: wall time per state-week",
    ]
    for row in report.rows:
        assert set(row.values) == STRATEGIES
        assert all(row.values.values()), row.label
    assert [row.label for row in report.startup] == [
        "warm cache: `import sim`",
        "warm cache: first replication (compile or load)",
        "warm cache: whole process",
    ]
    text = out.read_text()
    for needle in ("**Mesa / Numba per replication**", "**Numba kernel / RNG only**", "fragile_region: 12 states",
                   "| measurement | no_response | three_pillar_flexible | target |", "CPU", "numba"):  # fmt: skip
        assert needle in text


def test_experiments_at_scale_report_every_row(bench: ModuleType, tmp_path: Path) -> None:
    out = tmp_path / "sweeps.md"
    tiny = ["--memory-reps", "64", "128", "--sweep-reps", "16", "--crn-reps", "64", "--repeats", "1"]
    rows = bench.sweeps.main([*tiny, "--out", str(out)])

    labels = [row.label for row in rows]
    assert len([label for label in labels if label.startswith("**CI narrowing")]) == len(bench.sweeps.COMPARISONS)
    for needle in ("sweep speed-up, 2 threads vs 1", "Dask LocalCluster overhead", "`r2p sweep`, 128 replications"):
        assert any(needle in label for label in labels), needle
    assert all(row.value for row in rows)
    assert out.read_text().startswith("| experiments at scale | result | target |")


def test_crn_halfwidths_are_narrower_when_paired(bench: ModuleType) -> None:
    widths = bench.sweeps.crn_halfwidths("fragile_region", "reactive_coercion@8", "reactive_coercion", 400, 0)
    assert set(widths) == {"deaths", "displaced", "onset"}
    paired, independent = widths["deaths"]
    assert 0 < paired < independent


def test_suite_option_selects_the_measurements(bench: ModuleType) -> None:
    engines, _ = bench.parse_args(["--suite", "engines"])
    experiments, _ = bench.parse_args(["--suite", "experiments", "--quick"])
    view, _ = bench.parse_args(["--suite", "view"])
    everything, _ = bench.parse_args([])
    assert engines.engines and engines.experiments is None and not engines.view_runs
    assert not experiments.engines and experiments.experiments == bench.sweeps.QUICK and not experiments.view_runs
    assert not view.engines and view.experiments is None and view.view_runs
    assert everything.engines and everything.experiments == bench.sweeps.FULL and everything.view_runs


def test_view_step_timings_cover_whole_runs(bench: ModuleType) -> None:
    times = bench.view_steps(1)
    assert len(times) == sim.load_scenario("fragile_region").weeks
    assert (times > 0).all()
    assert "| 95th percentile |" in bench.view_section(1)


def test_quick_sizes_are_smaller_than_the_full_run(bench: ModuleType) -> None:
    quick, out = bench.parse_args(["--quick", "--reps", "10"])
    full, _ = bench.parse_args([])
    assert out is None and quick.reps == 10
    assert quick.throughput_reps < full.throughput_reps == 1_000_000
    assert quick.mesa_reps < full.mesa_reps and quick.scaling_reps < full.scaling_reps


def test_rng_loop_draws_the_kernels_numbers(bench: ModuleType) -> None:
    seed, reps, weeks, n = 3, 2, 3, 4
    expected = 0.0
    for r in range(reps):
        key = replication_key(seed, r)
        for week in range(weeks):
            for i in range(n):
                shock, noise = normal_pair(key, week, i, Purpose.WEEKLY_NOISE)
                expected += shock + noise + uniform(key, week, i, Purpose.ONSET, 0)
    assert bench.draw_like_kernel(seed, 0, reps, weeks, n) == pytest.approx(expected, rel=1e-12)


def test_runner_suite_measures_cpu_and_wall_of_both_commands(bench: ModuleType, tmp_path: Path) -> None:
    only, _ = bench.parse_args(["--suite", "runner", "--quick"])
    assert only.runner == bench.runner.QUICK and not only.engines and only.experiments is None
    rows = bench.runner.main(["--samples", "2", "--trajectories", "2", "--validate-reps", "100",
                              "--out", str(tmp_path / "runner.md")])  # fmt: skip
    assert [r.label.split("`")[1].split()[1] for r in rows] == ["sensitivity", "validate"]
    assert all(r.wall > 0 and r.cpu > 0 for r in rows)
    assert "CPU / wall" in (tmp_path / "runner.md").read_text()

"""Smoke test of ``benchmarks/run.py``: it runs at a tiny size and reports every row.

Benchmarks are not tests: nothing here checks a timing, only that the suite still works.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import numba
import pytest

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
    report = bench.main(["--quick", *tiny, "--startup", "warm", "--out", str(out)])

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

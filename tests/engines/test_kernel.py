"""The Numba engine: results independent of threads, block size and batching."""

from __future__ import annotations

import sim.jit  # before Numba: it sets Numba's cache folder and switches SVML off

# isort: split
import numba
import numpy as np
import pytest

import sim
import sim.schedule
from sim.engines import kernel
from sim.jit import rule
from sim.model_inputs import model_inputs


@pytest.fixture(scope="module")
def inputs(fragile_region: sim.Scenario):
    return model_inputs(fragile_region, sim.load_strategy("three_pillar_flexible"))


def _run(inputs, reps: int = 300, first: int = 0, block: int = kernel.BLOCK) -> np.ndarray:
    out, _ = kernel.run(7, first, reps, inputs, block=block)
    return out


def test_thread_count_does_not_change_results(inputs) -> None:
    threads = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        one = _run(inputs)
        numba.set_num_threads(numba.config.NUMBA_NUM_THREADS)
        many = _run(inputs)
    finally:
        numba.set_num_threads(threads)
    np.testing.assert_array_equal(one, many)


@pytest.mark.parametrize("block", [1, 7, 64, 1000])
def test_block_size_does_not_change_results(inputs, block: int) -> None:
    np.testing.assert_array_equal(_run(inputs, block=block), _run(inputs))


def test_batches_concatenate_to_one_run(inputs) -> None:
    whole = _run(inputs, reps=300)
    parts = np.vstack([_run(inputs, reps=100, first=0), _run(inputs, reps=200, first=100)])
    np.testing.assert_array_equal(whole, parts)


def test_trajectories_match_outcomes(fragile_region: sim.Scenario) -> None:
    table, frames = sim.simulate(fragile_region, "no_response", 50, seed=3, trajectories=True)
    assert frames.shape == (50, fragile_region.weeks + 1, 5, len(fragile_region.states))
    final_deaths = frames[:, -1, 2, :].sum(axis=1)
    np.testing.assert_allclose(final_deaths, table["deaths"].to_numpy(), rtol=1e-12)
    assert (np.diff(frames[:, :, 2, :], axis=1) >= 0).all(), "cumulative deaths never fall"


def _digit_stage(j: int) -> sim.schedule.Stage:
    """A stage that appends the digit ``j`` to ``p[0]``, so the chained order can be read off."""

    @rule
    def run(week, key, region, w, p, strategy, table, pairs, runs, votes) -> None:
        p[0] = p[0] * 10 + j

    return sim.schedule.Stage(f"stage {j}", run, "StateAgent", "draw_shocks", run)


@pytest.mark.parametrize("n", range(1, 13))
def test_chain_runs_any_number_of_stages_once_each_in_order(n: int) -> None:
    step = kernel.chain([_digit_stage(j % 9 + 1) for j in range(n)])
    p = np.zeros(1)
    empty = np.zeros((1, 1), np.int64)
    step(0, np.uint64(0), np.zeros(1), np.zeros(1), p, np.zeros((1, 1)), np.zeros((1, 1)), empty, empty, empty[0])
    assert p[0] == float("".join(str(j % 9 + 1) for j in range(n)))

"""The Numba Monte Carlo engine: many replications of the weekly schedule, in parallel.

Replications are split into fixed-size blocks spread over threads. Each replication's numbers
come from its own counter-based stream, so results do not depend on the thread count or the
block size.
"""

from __future__ import annotations

import numba
import numpy as np
from numba import prange

from sim.concepts import N_INSTRUMENTS, Status
from sim.jit import jit, rule
from sim.rng import stream
from sim.rules.effects import apply_effects
from sim.rules.escalation import change_phase, draw_shocks, update_tension
from sim.rules.harm import suffer_harm
from sim.rules.outcomes import OUTCOMES, TRAJECTORY, record, summarise
from sim.rules.response import decide, lowest_trigger
from sim.rules.warning import observe
from sim.state import WORLD, Region, World, reset_world

BLOCK = 64
"""Replications per parallel task (any value gives the same results)."""


@rule
def _engaged(i: int, w: World) -> bool:
    for k in range(N_INSTRUMENTS):  # noqa: SIM110 - Numba compiles no generator expressions
        if w[i].status[k] != Status.IDLE:
            return True
    return False


@rule
def step_week(
    week: int, key: np.uint64, region: Region, w: World, p: np.ndarray, strategy: np.ndarray, table: np.ndarray
) -> None:
    """Run the seven stages of one week for every state, stage by stage."""
    n = region.shape[0]
    for i in range(n):
        draw_shocks(i, week, key, w)
    for i in range(n):
        update_tension(i, week, region, w, p)
    for i in range(n):
        change_phase(i, week, key, region, w, p)
    for i in range(n):
        suffer_harm(i, region, w, p)
    for i in range(n):
        observe(i, week, region, w, p)
    low = lowest_trigger(strategy)
    for i in range(n):
        # An idle state whose perceived risk is below every trigger has nothing to decide.
        if w[i].perceived >= low or _engaged(i, w):
            for k in range(N_INSTRUMENTS):
                decide(i, k, week, key, region, w, p, strategy, table)
    for i in range(n):
        apply_effects(i, region, w, p, strategy, table)


@jit
def run_replication(
    seed: int,
    replication: int,
    weeks: int,
    region: Region,
    w: World,
    p: np.ndarray,
    strategy: np.ndarray,
    table: np.ndarray,
    out: np.ndarray,
    frames: np.ndarray,
    keep: bool,
) -> None:
    """Simulate one replication into ``out`` (and ``frames`` when ``keep``)."""
    key = stream(seed, replication)
    reset_world(region, p, w)
    if keep:
        record(w, frames[0])
    for week in range(weeks):
        step_week(week, key, region, w, p, strategy, table)
        if keep:
            record(w, frames[week + 1])
    summarise(w, out)


@jit(parallel=True, nogil=True)  # without the GIL, a sweep writes one chunk while the next runs
def run_block(
    seed: int,
    first: int,
    weeks: int,
    region: Region,
    p: np.ndarray,
    strategy: np.ndarray,
    table: np.ndarray,
    out: np.ndarray,
    frames: np.ndarray,
    keep: bool,
    worlds: np.ndarray,
) -> None:
    """Replications ``first .. first + len(out) - 1``, one block of them per row of ``worlds``."""
    n_reps = out.shape[0]
    n_blocks = worlds.shape[0]
    block = (n_reps + n_blocks - 1) // n_blocks
    for b in prange(n_blocks):
        w = worlds[b]
        for r in range(b * block, min((b + 1) * block, n_reps)):
            frame = frames[r] if keep else frames[0]
            run_replication(seed, first + r, weeks, region, w, p, strategy, table, out[r], frame, keep)


def run(
    seed: int,
    first: int,
    reps: int,
    weeks: int,
    region: Region,
    p: np.ndarray,
    strategy: np.ndarray,
    table: np.ndarray,
    trajectories: bool = False,
    block: int = BLOCK,
) -> tuple[np.ndarray, np.ndarray | None]:
    """Run ``reps`` replications starting at replication number ``first``.

    Returns
    -------
    outcomes : float array ``(reps, len(OUTCOMES))``
    frames : float array ``(reps, weeks + 1, len(TRAJECTORY), n)`` or None
    """
    n = region.shape[0]
    out = np.empty((reps, len(OUTCOMES)))
    shape = (reps, weeks + 1, len(TRAJECTORY), n) if trajectories else (1, weeks + 1, len(TRAJECTORY), n)
    frames = np.zeros(shape)
    worlds = np.zeros(((reps + block - 1) // block, n), WORLD)
    # Hand out blocks one at a time, so that neither a thread slowed by other work nor the last
    # blocks of a chunk leave the other thread idle.
    with numba.parallel_chunksize(1):
        run_block(seed, first, weeks, region, p, strategy, table, out, frames, trajectories, worlds)
    return out, (frames if trajectories else None)

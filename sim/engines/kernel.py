"""The Numba Monte Carlo engine: many replications of the weekly schedule, in parallel.

The week is :data:`sim.schedule.STAGES`, chained into one compiled function at import. The
decisions follow the assignment of :mod:`sim.deciders` (``ModelInputs.deciders.pairs``), taken
state by state (``Deciders.by_state``).
Replications are split into fixed-size blocks spread over threads. Each replication's numbers
come from its own counter-based stream, so results do not depend on the thread count or the
block size.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import numba
import numpy as np
from numba import prange

from sim.concepts import COUNCIL_SEATS
from sim.jit import jit, rule
from sim.outcome_columns import n_outcomes
from sim.rng import stream
from sim.rules.outcomes import TRAJECTORY, record, summarise, tally
from sim.schedule import STAGES, Stage
from sim.state import WORLD, Region, reset_world

if TYPE_CHECKING:  # not imported at run time: the inputs' modules are no part of the compiled code (sim/jit.py)
    from sim.model_inputs import ModelInputs

BLOCK = 64
"""Replications per parallel task (any value gives the same results)."""


def _in_turn(a: Callable[..., None], b: Callable[..., None]) -> Callable[..., None]:
    """A rule that runs ``a``, then ``b``, both with the stage signature."""

    @rule
    def both(
        week: int,
        key: np.uint64,
        region: Region,
        w: np.ndarray,
        p: np.ndarray,
        strategy: np.ndarray,
        table: np.ndarray,
        pairs: np.ndarray,
        runs: np.ndarray,
        votes: np.ndarray,
    ) -> None:
        a(week, key, region, w, p, strategy, table, pairs, runs, votes)
        b(week, key, region, w, p, strategy, table, pairs, runs, votes)

    return both


def chain(stages: Sequence[Stage]) -> Callable[..., None]:
    """One compiled function running the ``run`` functions of ``stages`` in order (same signature).

    Every link is a rule, which LLVM inlines (``forceinline``, :data:`sim.jit.rule`), so the
    chained week compiles to the code one would write out by hand and is cached with the kernel
    that calls it.
    """
    if len(stages) == 1:
        return stages[0].run
    return _in_turn(stages[0].run, chain(stages[1:]))


step_week = chain(STAGES)
"""One week of every stage of :data:`sim.schedule.STAGES`, in order."""


@jit(_nrt=False)
def run_replications(
    seed: int,
    first: int,
    weeks: int,
    scenario: Region,
    region: Region,
    w: np.ndarray,
    params: np.ndarray,
    which: np.ndarray,
    strategy: np.ndarray,
    table: np.ndarray,
    pairs: np.ndarray,
    runs: np.ndarray,
    votes: np.ndarray,
    out: np.ndarray,
    frames: np.ndarray,
    keep: bool,
) -> None:
    """Simulate replications ``first .. first + len(out) - 1`` into ``out`` (and ``frames`` when
    ``keep``), one after the other in the world ``w``.

    Replication ``first + r`` runs with the parameter vector ``params[which[r]]`` (one row for a run
    without parameter uncertainty; a posterior's particles otherwise). ``region`` is the
    replications' copy of the ``scenario`` records, restored for each when events can change it;
    ``votes`` is room for the Council's ballots. Compiled without reference counting, like the rules
    inlined into it (it allocates nothing): with it, the array views the rules make cost about as
    much as the replication's arithmetic. (Inlined into the parallel loop of :func:`run_block`
    instead, Numba 0.68's parallel passes dropped the rules' writes of constants into a record's
    array fields, e.g. ``first_response`` in ``reset_world``.)
    """
    for r in range(out.shape[0]):
        p = params[which[r]]
        key = stream(seed, first + r)
        for i in range(scenario.shape[0]):
            if scenario[i].n_events > 0:
                region[i] = scenario[i]
        reset_world(region, p, w)
        frame = frames[r] if keep else frames[0]
        if keep:
            record(w, frame[0])
        for week in range(weeks):
            step_week(week, key, region, w, p, strategy, table, pairs, runs, votes)
            tally(w)
            if keep:
                record(w, frame[week + 1])
        summarise(w, out[r])


@jit(parallel=True, nogil=True)  # without the GIL, a sweep writes one chunk while the next runs
def run_block(
    seed: int,
    first: int,
    weeks: int,
    region: Region,
    params: np.ndarray,
    which: np.ndarray,
    strategy: np.ndarray,
    table: np.ndarray,
    pairs: np.ndarray,
    runs: np.ndarray,
    out: np.ndarray,
    frames: np.ndarray,
    keep: bool,
    worlds: np.ndarray,
    regions: np.ndarray,
) -> None:
    """Replications ``first .. first + len(out) - 1``, one block of them per row of ``worlds``
    (and of ``regions``, each block's copy of ``region``); replication ``first + r`` runs with
    ``params[which[r]]``."""
    n_reps = out.shape[0]
    n_blocks = worlds.shape[0]
    block = (n_reps + n_blocks - 1) // n_blocks
    for b in prange(n_blocks):
        start = b * block
        stop = min(start + block, n_reps)
        kept = frames[start:stop] if keep else frames
        votes = np.empty(COUNCIL_SEATS, np.int64)  # the Council writes all 15 ballots before reading any
        run_replications(
            seed, first + start, weeks, region, regions[b], worlds[b], params, which[start:stop], strategy, table,
            pairs, runs, votes,
            out[start:stop], kept, keep,
        )  # fmt: skip


def run(
    seed: int,
    first: int,
    reps: int,
    inputs: ModelInputs,
    trajectories: bool = False,
    block: int = BLOCK,
    particles: tuple[np.ndarray, np.ndarray] | None = None,
) -> tuple[np.ndarray, np.ndarray | None]:
    """Run ``reps`` replications of ``inputs`` starting at replication number ``first``.

    ``particles``: parameter vectors (one per row) and the row of each replication, for a run over
    a posterior (:class:`sim.posterior.Posterior`); default: ``inputs.params`` for every replication.

    Returns
    -------
    outcomes : float array ``(reps, n_outcomes(n))``
    frames : float array ``(reps, inputs.weeks + 1, len(TRAJECTORY), n)`` or None
    """
    region, weeks = inputs.region, inputs.weeks
    n = region.shape[0]
    params, which = particles if particles is not None else (inputs.params[np.newaxis], np.zeros(reps, np.int64))
    out = np.empty((reps, n_outcomes(n)))
    shape = (reps, weeks + 1, len(TRAJECTORY), n) if trajectories else (1, weeks + 1, len(TRAJECTORY), n)
    frames = np.zeros(shape)
    worlds = np.zeros(((reps + block - 1) // block, n), WORLD)
    regions = np.repeat(region[np.newaxis], len(worlds), axis=0)
    # Hand out blocks one at a time, so that neither a thread slowed by other work nor the last
    # blocks of a chunk leave the other thread idle.
    with numba.parallel_chunksize(1):
        pairs, runs = inputs.deciders.by_state()
        run_block(seed, first, weeks, region, params, which, inputs.strategy, inputs.table, pairs, runs,
                  out, frames, trajectories, worlds, regions)  # fmt: skip
    return out, (frames if trajectories else None)

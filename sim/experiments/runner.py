"""One experiment runner: design points x replications into a results folder that survives crashes.

Every design (a sweep's grid, a sensitivity analysis's samples, the arms of the validation facts
and of the calibration episodes) is run by :func:`evaluate`. Each chunk (a design point and a
range of replications) is simulated, reduced by a *measure* to one row per replication, and
written to its own Parquet file atomically. Starting the same run again skips the chunks already
on disk, so a run killed at any moment resumes without redoing or duplicating work, and ends with
the same files as an uninterrupted run: every replication's numbers depend only on the root seed
and its number (counter-based random numbers), not on chunks, threads or machines.

A folder belongs to one run (its manifest names the run, its digest, seed, replications and chunk
size, the package versions, the git revision, start and end); another run's folder is refused, and
so is a folder written by another model: the manifest's ``model`` digest covers the code that
computes results and every design point's inputs, so results of an older model or of changed
scenario and strategy files are never resumed.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import time
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import sim.jit  # noqa: F401  (before Numba: it sets Numba's cache folder and switches SVML off)

# isort: split
import numba
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from sim.concepts import Strat
from sim.config import InputError, quote
from sim.engines import kernel
from sim.experiments.design import DesignPoint
from sim.experiments.progress import Progress, step
from sim.experiments.store import (
    CHUNKS,
    DESIGN,
    MANIFEST,
    SAME_AS,
    Entry,
    check_target,
    chunk_files,
    chunk_path,
    chunk_problem,
    claim,
    clear_temporary,
    git_revision,
    index_entry,
    read_index,
    read_manifest,
    record_file,
    remove_results,
    source_points,
    update_manifest,
    versions,
    write_index,
    write_table,
)
from sim.model_inputs import model_inputs
from sim.simulate import simulate

if TYPE_CHECKING:
    from distributed import Client

CHUNK = 10_000
"""Replications per chunk file."""
INDEX_EVERY = 2.0
"""Seconds between writes of the chunk index while chunks are written (and when a point is complete)."""


class Measure(Protocol):
    """Simulates replications ``first .. first + count - 1`` of a design point; one row each."""

    def __call__(self, point: DesignPoint, first: int, count: int, seed: int, weeks: int | None) -> pd.DataFrame: ...


@dataclass(frozen=True)
class Chunk:
    """Replications ``first .. first + count - 1`` of one design point."""

    point: int
    first: int
    count: int


def plan(points: int, reps: int, chunk: int = CHUNK, segments: Sequence[Sequence[int]] | None = None) -> list[Chunk]:
    """All chunks of a design, point by point: each segment ``(first, count)`` of replications
    (default: all ``reps`` at once) cut into chunks of ``chunk`` (a run extended by ``--add-reps``
    has one segment per extension)."""
    parts = segments or [(0, reps)]
    return [Chunk(p, first, min(chunk, start + count - first)) for p in range(points) for start, count in parts
            for first in range(start, start + count, chunk)]  # fmt: skip


def outcomes(point: DesignPoint, first: int, count: int, seed: int, weeks: int | None) -> pd.DataFrame:
    """The default measure: the outcomes of :func:`sim.simulate.simulate` on the Numba engine."""
    return simulate(point.scenario, point.strategy, count, seed, first=first, weeks=weeks, posterior=point.posterior)


MODEL_CODE = (
    "*.py",
    "rules/*.py",
    "engines/*.py",
    "experiments/measures.py",
    "experiments/facts.py",
    "experiments/trade_offs.py",
)
"""The source files of the package (globs under ``sim/``) that compute results."""


@functools.cache
def code_digest() -> str:
    """SHA-256 of the source files that compute results (:data:`MODEL_CODE`)."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent.parent
    for path in sorted({p for pattern in MODEL_CODE for p in package.glob(pattern)}):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def inputs_digest(point: DesignPoint, weeks: int | None) -> bytes:
    """SHA-256 of the model inputs of ``point`` (all the engine sees of it, its posterior included).

    The trigger and delay of an instrument the strategy does not enable are left out: the rules
    read them only for enabled instruments (:mod:`sim.rules.response`), so two strategies that
    differ only there give the same results. (Its intensity stays: a watered-down draft or an
    event can make a disabled instrument active at the strategy's intensity.)
    """
    digest = hashlib.sha256()
    inputs = model_inputs(point.scenario, point.strategy, weeks)
    strategy = inputs.strategy.copy()
    strategy[strategy[:, Strat.ENABLED] == 0, Strat.TRIGGER] = 0.0
    strategy[strategy[:, Strat.ENABLED] == 0, Strat.DELAY] = 0.0
    for part in (inputs.region, inputs.params, strategy, inputs.table, *inputs.deciders):
        digest.update(np.ascontiguousarray(part).tobytes())
    digest.update(str(inputs.weeks).encode())
    if point.posterior is not None:
        for part in (point.posterior.values, point.posterior.weights):
            digest.update(np.ascontiguousarray(part).tobytes())
        digest.update("\0".join(point.posterior.keys).encode())
    return digest.digest()


def model_digest(inputs: Sequence[bytes]) -> str:
    """SHA-256 of :func:`code_digest` and of every point's :func:`inputs_digest`."""
    digest = hashlib.sha256(code_digest().encode())
    for part in inputs:
        digest.update(part)
    return digest.hexdigest()


def identical_points(inputs: Sequence[bytes], measures: Sequence[Measure]) -> list[int]:
    """For each point, the first point with the same model inputs and measure (itself if none).

    A grid field that changes nothing in a strategy (the delay of Pillar III measures in a strategy
    that has none) gives such points; they are simulated once.
    """
    first: dict[tuple[bytes, Measure], int] = {}
    return [
        first.setdefault((digest, measure), p) for p, (digest, measure) in enumerate(zip(inputs, measures, strict=True))
    ]


def design_table(points: Sequence[DesignPoint], same: Sequence[int] | None = None) -> pd.DataFrame:
    """One row per design point: number, scenario, strategy, settings, label, and the point whose
    simulation it shares (``same_as``: itself unless an earlier point has the same inputs)."""
    rows = []
    for p in points:
        row = {"point": p.index, "scenario": p.scenario.name, "strategy": p.strategy.name}
        row.update({key: value for key, value in p.settings})
        row["label"] = p.label
        row[SAME_AS] = p.index if same is None else same[p.index]
        rows.append(row)
    return pd.DataFrame(rows)


def evaluate(
    points: Sequence[DesignPoint],
    reps: int,
    seed: int,
    folder: Path,
    *,
    identity: dict[str, object],
    info: dict[str, object] | None = None,
    weeks: int | None = None,
    measure: Measure | Sequence[Measure] = outcomes,
    workers: int | None = None,
    chunk: int = CHUNK,
    scheduler: str | None = None,
    progress: bool = True,
    desc: str = "replications",
    finished: Callable[[int], None] | None = None,
    add_reps: int = 0,
    overwrite: bool = False,
    notify: Callable[[str], None] | None = None,
) -> Path:
    """Run ``reps`` replications of every design point into ``folder`` (resuming a run there).

    Parameters
    ----------
    points
        The design points, numbered ``0 .. len(points) - 1`` in order.
    reps, seed
        Replications per point and root seed (the same at every point: common random numbers).
    identity
        What names the run (e.g. its name and the digest of its file). With ``reps``, ``seed``
        and ``chunk`` it must match the folder's manifest to resume there.
    info
        More fields for the manifest (not compared on resume).
    weeks
        Horizon; defaults to each scenario's.
    measure
        The function that simulates a chunk (one for all points, or one per point); it must be
        picklable (a module-level function or a :func:`functools.partial` of one) to run on Dask.
    workers
        Threads of the Numba engine in this process; defaults to all cores. Results do not depend on it.
    chunk
        Replications per chunk file.
    scheduler
        Address of a running Dask scheduler (``tcp://host:port``): run the chunks on its workers
        instead of in this process. Results are the same.
    finished
        Called with a point's number once all its chunks are on disk (also for points finished
        before a resume), from a writer thread while later chunks run.
    add_reps
        Extend the run in ``folder`` (of ``reps`` replications) by this many replications per point:
        replications ``reps .. reps + add_reps - 1``, as if they had been run at once.
    overwrite
        Delete what r2p wrote in ``folder`` (:func:`sim.experiments.store.remove_results`) and start afresh.
    notify
        Called with one line when the run was already complete (nothing to do).

    Returns
    -------
    Path
        The results folder, holding ``manifest.json``, ``design.csv`` and ``chunks/``.

    Raises
    ------
    InputError
        If the folder cannot be written, holds another run or is not empty, or the scheduler
        cannot be reached.
    """
    check_target(folder)
    measures = [measure] * len(points) if callable(measure) else list(measure)
    if len(measures) != len(points):
        raise ValueError(f"{len(measures)} measures for {len(points)} design points")
    inputs = [inputs_digest(point, weeks) for point in points]
    identity = {**identity, "reps": reps, "seed": seed, "chunk": chunk, "model": model_digest(inputs)}
    manifest = {**(info or {}), **identity, "points": len(points), "versions": versions(),
                "git_revision": git_revision(), "started": _now(), "finished": None}  # fmt: skip
    if add_reps and not (folder / MANIFEST).is_file():
        raise InputError("--add-reps", "", f"{folder} holds no run to extend", "a results folder of this run")
    client = connect(scheduler) if scheduler is not None else None
    if overwrite and (folder / MANIFEST).is_file():
        read_manifest(folder)  # refuses a folder whose manifest r2p did not write
        remove_results(folder)
    resumed = claim(folder, identity, manifest, fresh=overwrite)
    clear_temporary(folder)
    (folder / CHUNKS).mkdir(exist_ok=True)
    if not resumed:
        write_table(design_table(points, identical_points(inputs, measures)), folder / DESIGN)
        record_file(folder, DESIGN)
    same = source_points(folder)  # as the folder's design says (an older folder's: none shared)
    shared: dict[int, list[int]] = {}
    for q in range(len(points)):
        shared.setdefault(same.get(q, q), []).append(q)
    event = _begin(folder, reps, add_reps) if resumed else None
    segments = read_manifest(folder).get("segments", [[0, reps]])
    chunks = [c for c in plan(len(points), reps, chunk, segments) if same.get(c.point, c.point) == c.point]
    index = _sound_chunks(folder, chunks)
    write_index(folder, index.values())
    todo = [c for c in chunks if _name(c) not in index]
    if event is not None:
        _record(folder, event, todo, notify)
    waiting = Counter(c.point for c in todo)
    if finished is not None:
        for p in range(len(points)):
            if not waiting[same.get(p, p)]:
                finished(p)
    total = sum(c.count for c in chunks)
    meter = Progress(total, desc, total - sum(c.count for c in todo), enabled=progress)
    flushed = [time.monotonic()]

    def store(c: Chunk, table: pd.DataFrame) -> None:
        table.insert(0, "point", np.int64(c.point))
        write_table(table, chunk_path(folder, c.point, c.first, c.count))
        index[_name(c)] = index_entry(folder, c.point, c.first, c.count)
        meter.update(c.count)
        waiting[c.point] -= 1
        if not waiting[c.point] or time.monotonic() - flushed[0] > INDEX_EVERY:
            write_index(folder, index.values())  # before the point's readers look for its chunks
            flushed[0] = time.monotonic()
        if not waiting[c.point] and finished is not None:
            for q in shared[c.point]:
                finished(q)

    try:
        if client is None:
            if todo:
                compile_kernel(progress)
            _run_here(todo, points, measures, seed, weeks, workers, store)
        else:
            with client:
                _run_on_cluster(client, todo, points, measures, seed, weeks, store)
    finally:
        meter.close()
        write_index(folder, index.values())
    _end(folder, event, len(todo))
    return folder


def _name(c: Chunk) -> str:
    return chunk_path(Path(), c.point, c.first, c.count).name


def _sound_chunks(folder: Path, chunks: list[Chunk]) -> dict[str, Entry]:
    """The indexed chunks of ``chunks`` whose files are as written (the rest are redone)."""
    try:
        index = read_index(folder)
    except InputError:  # an unreadable index: every chunk is redone
        index = {}
    sound = {}
    for c in chunks:
        entry = index.get(_name(c))
        if entry == Entry(_name(c), c.point, c.first, c.count, entry.sha256 if entry else "") and (
            chunk_problem(folder, entry) is None
        ):
            sound[entry.name] = entry
    return sound


def _begin(folder: Path, reps: int, add_reps: int) -> dict[str, object]:
    """Start the manifest's record of this resume; with ``add_reps``, extend the run's replications."""
    manifest = read_manifest(folder)
    event: dict[str, object] = {"event": "resumed", "started": _now()}
    if add_reps:
        segments = [*manifest.get("segments", [[0, reps]]), [reps, add_reps]]
        event.update(event="added replications", replications=[reps, reps + add_reps - 1])
        update_manifest(folder, reps=reps + add_reps, segments=segments)
    return event


def _record(folder: Path, event: dict[str, object], todo: list[Chunk], notify: Callable[[str], None] | None) -> None:
    """Write the resume's event into the manifest; a finished run that had work to do is unfinished."""
    manifest = read_manifest(folder)
    if not todo and manifest.get("finished"):
        event["event"] = "already complete"
        if notify is not None:
            notify(f"{folder}: already complete ({manifest['points']} points x {manifest['reps']:,} replications, "
                   f"finished {manifest['finished']}); nothing to do")  # fmt: skip
    event["chunks_to_run"] = len(todo)
    fields: dict[str, object] = {"events": [*manifest.get("events", []), event]}
    if todo and manifest.get("finished"):
        event["previously_finished"] = manifest["finished"]
        fields["finished"] = None
    update_manifest(folder, **fields)


def _end(folder: Path, event: dict[str, object] | None, run: int) -> None:
    """Record the end: the run's finish time, once, and the resume event's."""
    manifest = read_manifest(folder)
    fields: dict[str, object] = {"finished": manifest.get("finished") or _now()}
    if event is not None:
        event.update(ended=_now(), chunks_run=run)
        fields["events"] = [*manifest["events"][:-1], event]
    update_manifest(folder, **fields)


def _run_here(
    todo: list[Chunk],
    points: Sequence[DesignPoint],
    measures: list[Measure],
    seed: int,
    weeks: int | None,
    workers: int | None,
    store: Callable[[Chunk, pd.DataFrame], None],
) -> None:
    """Simulate the chunks one after the other on all the engine's threads; a second thread writes
    each while the kernel, which releases the GIL, runs the next. At most one chunk waits."""
    threads = numba.get_num_threads()
    if workers is not None:
        numba.set_num_threads(min(workers, numba.config.NUMBA_NUM_THREADS))
    try:
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="r2p-writer") as writer:
            writing: Future | None = None
            for c in todo:
                table = measures[c.point](points[c.point], c.first, c.count, seed, weeks)
                if writing is not None:
                    writing.result()  # raises the writer's error, if any
                writing = writer.submit(store, c, table)
            if writing is not None:
                writing.result()
    finally:
        numba.set_num_threads(threads)


def warm_up() -> None:
    """Compile or load the kernel in this process (run once per Dask worker before the chunks)."""
    from sim.scenario import load_scenario
    from sim.strategy import load_strategy

    simulate(load_scenario("fragile_region"), load_strategy("no_response"), 1, 0, weeks=1)


def compile_kernel(progress: bool = True) -> None:
    """Compile the kernel now, saying so, if neither this process nor Numba's cache has it (the first
    run after installing or editing the model takes about a minute), so that no progress or rate
    counts that time. A cached kernel is left to load with the first chunk."""
    block = kernel.run_block
    if block.signatures or Path(block._cache._cache_file._index_path).is_file():
        return
    with step("compiling the simulation kernel (first run only)", enabled=progress):
        warm_up()


_SCHEMES = ("tcp", "tls")
"""Protocols of a Dask scheduler address that this Dask install connects to (ucx:// needs extras)."""


def connect(address: str) -> Client:
    """A client of the Dask scheduler at ``address`` (checked before anything is written)."""
    from distributed import Client
    from distributed.security import Security

    allowed = "the address of a running dask scheduler, e.g. tcp://127.0.0.1:8786"
    scheme = address.partition("://")[0] if "://" in address else "tcp"
    if scheme not in _SCHEMES:
        raise InputError("--scheduler", "", f"{quote(address)}: the {quote(scheme)} protocol is not supported",
                         f"{allowed} (protocols {', '.join(_SCHEMES)})")  # fmt: skip
    if scheme == "tls" and Security().get_connection_args("client")["ssl_context"] is None:
        raise InputError("--scheduler", "", f"{quote(address)}: no TLS certificates in Dask's configuration",
                         f"{allowed}, or tls:// with distributed.comm.tls set up")  # fmt: skip
    try:
        return Client(address, timeout=10)
    except (OSError, TimeoutError, ValueError) as error:
        raise InputError("--scheduler", "", f"cannot reach a Dask scheduler at {quote(address)} ({error})",
                         allowed) from None  # fmt: skip


def _run_on_cluster(
    client: Client,
    todo: list[Chunk],
    points: Sequence[DesignPoint],
    measures: list[Measure],
    seed: int,
    weeks: int | None,
    store: Callable[[Chunk, pd.DataFrame], None],
) -> None:
    """Run the chunks on a Dask cluster; this process writes each result as it arrives."""
    from distributed import as_completed

    client.run(warm_up)
    futures = {
        client.submit(measures[c.point], points[c.point], c.first, c.count, seed, weeks, pure=False): c for c in todo
    }
    for future in as_completed(futures):
        store(futures[future], future.result())


def read_outcomes(folder: Path, point: int | None = None) -> pd.DataFrame:
    """Per-replication rows of a results folder (of one design point, if given), point by point in
    chunk order; a point that shares another's simulation (``same_as``) gets its rows."""
    if point is None:
        return pd.concat([read_outcomes(folder, p) for p in sorted(source_points(folder))], ignore_index=True)
    files = chunk_files(folder, point)
    table = pd.concat([pd.read_parquet(f) for f in files], ignore_index=True)
    table["point"] = np.int64(point)
    return table


def read_point(folder: Path, point: int) -> pd.DataFrame:
    """The rows of one design point in replication order, without the ``point`` column."""
    return read_outcomes(folder, point).drop(columns="point")


def read_column(folder: Path, point: int, column: str) -> tuple[np.ndarray, bool]:
    """The present values of one outcome of one design point as floats, and whether it is yes/no.

    Holds only that column in memory (8 bytes per replication).

    Raises
    ------
    InputError
        If the point's chunks are damaged or missing, or a number column holds NaN or no value.
    """
    files = chunk_files(folder, point)
    values = pq.read_table(files, columns=[column]).column(0)
    if pa.types.is_floating(values.type):
        numbers = values.to_numpy()
        if values.null_count or np.isnan(numbers).any():
            raise InputError(folder, f"{CHUNKS}/ (point {point})", f"column {column} holds NaN or no value",
                             "numbers in every replication; run 'r2p sweep --verify' on the folder")  # fmt: skip
        return numbers.astype(np.float64), False
    return values.drop_null().to_numpy().astype(np.float64), pa.types.is_boolean(values.type)


def _now() -> str:
    return datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")

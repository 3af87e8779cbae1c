"""Run an experiment design chunk by chunk into a results folder that survives crashes.

Each chunk (a design point and a range of replications) is simulated and written to its own
Parquet file atomically. Starting the same command again skips the chunks already on disk, so a
run killed at any moment resumes without redoing or duplicating work, and ends with the same
files as an uninterrupted run: every replication's numbers depend only on the root seed and its
number (counter-based random numbers).
"""

from __future__ import annotations

import datetime
import sys
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

import numba
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from sim.config import InputError
from sim.experiments.design import DesignPoint, Experiment
from sim.experiments.statistics import MAIN_OUTCOMES, summary_row
from sim.experiments.store import (
    CHUNKS,
    DESIGN,
    MANIFEST,
    SUMMARY,
    chunk_path,
    claim,
    clear_temporary,
    git_revision,
    read_manifest,
    versions,
    write_json,
    write_table,
)
from sim.simulate import simulate

if TYPE_CHECKING:
    from distributed import Client

CHUNK = 10_000
"""Replications per chunk file."""
QUANTILES = (0.05, 0.5, 0.95)


@dataclass(frozen=True)
class Chunk:
    """Replications ``first .. first + count - 1`` of one design point."""

    point: int
    first: int
    count: int


def plan(points: int, reps: int, chunk: int = CHUNK) -> list[Chunk]:
    """All chunks of a design, point by point."""
    return [Chunk(p, first, min(chunk, reps - first)) for p in range(points) for first in range(0, reps, chunk)]


def run_chunk(point: DesignPoint, chunk: Chunk, seed: int, weeks: int | None) -> pd.DataFrame:
    """Simulate one chunk on the Numba engine; rows carry the design point's number."""
    table = simulate(point.scenario, point.strategy, chunk.count, seed, first=chunk.first, weeks=weeks)
    table.insert(0, "point", np.int64(point.index))
    return table


def design_table(points: list[DesignPoint]) -> pd.DataFrame:
    """One row per design point: number, scenario, strategy, grid settings, label."""
    rows = []
    for p in points:
        row = {"point": p.index, "scenario": p.scenario.name, "strategy": p.strategy.name}
        row.update({key: value for key, value in p.settings})
        row["label"] = p.label
        rows.append(row)
    return pd.DataFrame(rows)


class Progress:
    """One status line on standard error: chunks, design points, replications per second, ETA."""

    def __init__(self, total_reps: int, done_reps: int, points: int, stream: TextIO = sys.stderr) -> None:
        self.total = total_reps
        self.done = done_reps
        self.points = points
        self.stream = stream
        self.start = time.perf_counter()
        self.fresh = 0

    def update(self, chunk: Chunk) -> None:
        """Count a finished chunk and redraw the line."""
        self.done += chunk.count
        self.fresh += chunk.count
        elapsed = max(time.perf_counter() - self.start, 1e-9)
        rate = self.fresh / elapsed
        eta = (self.total - self.done) / rate if rate > 0 else float("nan")
        line = (f"point {chunk.point + 1}/{self.points}  replications {self.done:,}/{self.total:,}  "
                f"{rate:,.0f}/s  ETA {eta:,.0f} s")  # fmt: skip
        end = "\r" if self.stream.isatty() and self.done < self.total else "\n"
        print(line, end=end, file=self.stream, flush=True)


def sweep(
    experiment: Experiment,
    folder: Path,
    reps: int | None = None,
    workers: int | None = None,
    chunk: int = CHUNK,
    progress: Callable[[int, int, int], Progress] | None = Progress,
    scheduler: str | None = None,
) -> Path:
    """Run ``experiment`` into ``folder`` (resuming a run of the same experiment there).

    Parameters
    ----------
    reps
        Replications per design point; defaults to the experiment's.
    workers
        Threads for the Numba engine; defaults to all cores. Results do not depend on it.
    chunk
        Replications per chunk file.
    scheduler
        Address of a running Dask scheduler (``tcp://host:port``): run the chunks on its workers
        instead of in this process. Results are the same.

    Returns
    -------
    Path
        The results folder, holding ``manifest.json``, ``design.csv``, ``chunks/`` (per-replication
        outcomes, one Parquet file per chunk) and ``summary.csv``.
    """
    reps = experiment.reps if reps is None else reps
    points = experiment.points()
    identity = {"experiment": experiment.name, "digest": experiment.digest, "reps": reps, "chunk": chunk}
    manifest = {
        **identity,
        "seed": experiment.seed,
        "source": str(Path(experiment.source).resolve()),
        "points": len(points),
        "versions": versions(),
        "git_revision": git_revision(),
        "started": _now(),
        "finished": None,
    }
    client = _connect(scheduler) if scheduler is not None else None
    resumed = claim(folder, identity, manifest)
    clear_temporary(folder)
    if not resumed:
        write_table(design_table(points), folder / DESIGN)
    chunks = plan(len(points), reps, chunk)
    todo = [c for c in chunks if not chunk_path(folder, c.point, c.first, c.count).is_file()]
    meter = progress(len(points) * reps, sum(c.count for c in chunks) - sum(c.count for c in todo), len(points)) \
        if progress else None  # fmt: skip

    waiting = Counter(c.point for c in todo)
    summaries = {p.index: summarise_point(folder, p) for p in points if not waiting[p.index]}

    def store(c: Chunk, table: pd.DataFrame) -> None:
        write_table(table, chunk_path(folder, c.point, c.first, c.count))
        if meter:
            meter.update(c)
        waiting[c.point] -= 1
        if not waiting[c.point]:  # the point is complete: summarise it while later chunks run
            summaries[c.point] = summarise_point(folder, points[c.point])

    if client is None:
        _run_here(todo, points, experiment, workers, store)
    else:
        with client:
            _run_on_cluster(client, todo, points, experiment, store)
    write_table(pd.DataFrame([row for p in points for row in summaries[p.index]]), folder / SUMMARY)
    finished = {**read_manifest(folder), "finished": _now()}
    write_json(finished, folder / MANIFEST)
    return folder


def _run_here(
    todo: list[Chunk],
    points: list[DesignPoint],
    experiment: Experiment,
    workers: int | None,
    store: Callable[[Chunk, pd.DataFrame], None],
) -> None:
    """Simulate the chunks one after the other; a second thread writes (and summarises) each while
    the kernel, which releases the GIL, runs the next. At most one chunk waits to be written."""
    threads = numba.get_num_threads()
    if workers is not None:
        numba.set_num_threads(workers)
    try:
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="r2p-writer") as writer:
            writing: Future | None = None
            for c in todo:
                table = run_chunk(points[c.point], c, experiment.seed, experiment.weeks)
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


def _connect(address: str) -> Client:
    """A client of the Dask scheduler at ``address`` (checked before anything is written)."""
    from distributed import Client

    try:
        return Client(address, timeout=10)
    except (OSError, TimeoutError, ValueError) as error:
        raise InputError("--scheduler", "", f"cannot reach a Dask scheduler at {address!r} ({error})",
                         "the address of a running dask scheduler, e.g. tcp://127.0.0.1:8786") from None  # fmt: skip


def _run_on_cluster(
    client: Client,
    todo: list[Chunk],
    points: list[DesignPoint],
    experiment: Experiment,
    store: Callable[[Chunk, pd.DataFrame], None],
) -> None:
    """Run the chunks on a Dask cluster; this process writes each result as it arrives."""
    from distributed import as_completed

    client.run(warm_up)
    futures = {
        client.submit(run_chunk, points[c.point], c, experiment.seed, experiment.weeks, pure=False): c for c in todo
    }
    for future in as_completed(futures):
        store(futures[future], future.result())


def read_outcomes(folder: Path, point: int | None = None) -> pd.DataFrame:
    """Per-replication outcomes of a results folder (of one design point, if given)."""
    pattern = "point-*.parquet" if point is None else f"point-{point:05d}-*.parquet"
    files = sorted((folder / CHUNKS).glob(pattern))
    if not files:
        return pd.DataFrame()
    return pd.concat([pd.read_parquet(f) for f in files], ignore_index=True)


def read_column(folder: Path, point: int, column: str) -> tuple[np.ndarray, bool]:
    """The present values of one outcome of one design point as floats, and whether it is yes/no.

    Holds only that column in memory (8 bytes per replication).
    """
    files = sorted((folder / CHUNKS).glob(f"point-{point:05d}-*.parquet"))
    if not files:
        return np.empty(0), False
    values = pq.read_table(files, columns=[column]).column(0)
    return values.drop_null().to_numpy().astype(np.float64), pa.types.is_boolean(values.type)


def summarise_point(folder: Path, point: DesignPoint) -> list[dict[str, object]]:
    """Rows of ``summary.csv`` for one design point: per outcome, mean, 95 % CI, quantiles and n.

    Reads one outcome column at a time, so memory grows with the replications of a single point
    and column (8 bytes each), not with the whole experiment.
    """
    rows = []
    for column in MAIN_OUTCOMES:
        values, yes_no = read_column(folder, point.index, column)
        row = {"point": point.index, "label": point.label, **summary_row(column, values, yes_no)}
        quantiles = np.quantile(values, QUANTILES, overwrite_input=True) if len(values) else [np.nan] * len(QUANTILES)
        for q, value in zip(QUANTILES, quantiles, strict=True):
            row[f"q{round(q * 100):02d}"] = float(value)
        rows.append(row)
    return rows


def _now() -> str:
    return datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")

"""``sweep``: an experiment design run by :func:`sim.experiments.runner.evaluate`, summarised per point.

The results folder resumes after a kill and refuses another run (see :mod:`sim.experiments.runner`);
``summary.csv`` holds, per design point and main outcome, the mean, its 95 % CI, quantiles and n;
over a posterior also the standard deviation and the share of its variance from the parameters.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

from sim.config import InputError
from sim.experiments.design import DesignPoint, Experiment
from sim.experiments.posterior_folder import posterior_record, with_posterior
from sim.experiments.runner import CHUNK, evaluate, read_column, read_outcomes
from sim.experiments.statistics import MAIN_OUTCOMES, summary_row, uncertainty_table
from sim.experiments.store import SUMMARY, chunk_files, read_manifest, record_file, write_table

QUANTILES = (0.05, 0.5, 0.95)
__all__ = ["QUANTILES", "read_outcomes", "summarise_point", "sweep"]


def sweep(
    experiment: Experiment,
    folder: Path,
    reps: int | None = None,
    workers: int | None = None,
    chunk: int = CHUNK,
    progress: bool | None = True,
    scheduler: str | None = None,
    add_reps: int = 0,
    overwrite: bool = False,
    notify: Callable[[str], None] | None = None,
    posterior: Path | None = None,
) -> Path:
    """Run ``experiment`` into ``folder`` (resuming a run of the same experiment there).

    Parameters
    ----------
    reps
        Replications per design point; defaults to those of the run already in ``folder``, else
        the experiment's.
    workers
        Threads for the Numba engine; defaults to all cores. Results do not depend on it.
    chunk
        Replications per chunk file.
    progress
        Show a progress bar on standard error.
    scheduler
        Address of a running Dask scheduler (``tcp://host:port``): run the chunks on its workers
        instead of in this process. Results are the same.
    add_reps, overwrite, notify
        As for :func:`sim.experiments.runner.evaluate`: extend every point with ``add_reps`` more
        replications, start afresh, or be told the run was already complete.
    posterior
        Folder of a finished ``r2p fit``: run every point over its posterior
        (:func:`sim.simulate.simulate`'s ``posterior``); recorded in the manifest.

    Returns
    -------
    Path
        The results folder, holding ``manifest.json``, ``design.csv``, ``chunks/`` (per-replication
        outcomes, one Parquet file per chunk) and ``summary.csv``.
    """
    if reps is None:
        reps = experiment.reps if overwrite else _reps_in(folder, experiment)
    points = with_posterior(experiment.points(), posterior)
    summaries: dict[int, list[dict[str, object]]] = {}
    source = Path(experiment.source).resolve()
    command = shlex.join(["r2p", "sweep", str(source), "--out", str(folder), "--reps", str(reps + add_reps),
                          *(["--posterior", str(posterior)] if posterior is not None else [])])  # fmt: skip

    def summarise(index: int) -> None:  # the point is complete: summarise it while later chunks run
        summaries[index] = summarise_point(folder, points[index])

    evaluate(points, reps, experiment.seed, folder, identity={"experiment": experiment.name,
             "digest": experiment.digest}, info={"source": str(source), "command": command,
             "horizon_weeks": {p.scenario.name: experiment.weeks or p.scenario.weeks for p in points},
             **posterior_record(posterior), **sampled_inputs(experiment)},
             weeks=experiment.weeks, workers=workers, chunk=chunk, scheduler=scheduler, progress=bool(progress),
             desc=experiment.name, finished=summarise, add_reps=add_reps, overwrite=overwrite,
             notify=notify)  # fmt: skip
    write_table(pd.DataFrame([row for p in points for row in summaries[p.index]]), folder / SUMMARY)
    record_file(folder, SUMMARY)
    return folder


def sampled_inputs(experiment: Experiment) -> dict[str, object]:
    """The manifest's record of the sampled inputs (``inputs``: :meth:`Experiment.inputs`), if any."""
    return {"inputs": experiment.inputs()} if experiment.uncertain or experiment.levers else {}


def _reps_in(folder: Path, experiment: Experiment) -> int:
    """The replications of the run of ``experiment`` in ``folder``, or the experiment's if none is there."""
    try:
        manifest = read_manifest(folder)
    except InputError:
        return experiment.reps
    same = manifest.get("experiment") == experiment.name and manifest.get("digest") == experiment.digest
    return int(manifest["reps"]) if same else experiment.reps


def summarise_point(folder: Path, point: DesignPoint) -> list[dict[str, object]]:
    """Rows of ``summary.csv`` for one design point: per outcome, mean, 95 % CI, quantiles and n;
    over a posterior also ``sd`` and ``parameter_share`` (:func:`split_uncertainty`).

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
        if point.posterior is not None:
            row.update(split_uncertainty(folder, point.index, column))
        rows.append(row)
    return rows


def split_uncertainty(folder: Path, point: int, column: str) -> dict[str, float]:
    """The standard deviation of ``column`` across the replications of ``point`` in a run over a
    posterior and the share of its variance from the parameters, the rest being the dice
    (:func:`sim.experiments.statistics.uncertainty_table` on the stored ``particle`` column)."""
    frame = pq.read_table(chunk_files(folder, point), columns=[column, "particle"]).to_pandas()
    split = uncertainty_table(frame, (column,)).iloc[0]
    return {"sd": float(split["sd"]), "parameter_share": float(split["parameter_share"])}

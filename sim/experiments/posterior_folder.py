"""A posterior folder of ``r2p fit`` as the other commands read it: its particles, checked, and
design points that run over them (``--posterior DIR``)."""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path

import numpy as np
import pandas as pd

from sim.config import InputError
from sim.experiments.design import DesignPoint
from sim.experiments.store import MANIFEST, read_manifest
from sim.posterior import Posterior

POSTERIOR = "posterior.csv"
"""The last generation's particles (one column per parameter key) and their ``weight``."""
MODEL_KEY = "scenario.model."
"""Prefix of the keys a fit may fit: model parameters every scenario shares."""


def read_posterior(folder: Path) -> pd.DataFrame:
    """The particles of a finished fit and their normalised ``weight`` (one column per parameter key).

    Raises
    ------
    InputError
        If ``folder`` holds no finished fit.
    """
    manifest = read_manifest(folder)
    if "fit" not in manifest or not manifest.get("finished") or not (folder / POSTERIOR).is_file():
        raise InputError(folder, MANIFEST, "holds no finished fit", "a folder written by 'r2p fit' that finished")
    return pd.read_csv(folder / POSTERIOR)


def load_posterior(folder: Path) -> Posterior:
    """The posterior of a finished fit in ``folder``, to run over (``simulate(..., posterior=...)``).

    Raises
    ------
    InputError
        If ``folder`` holds no finished fit, or its particles are not those of model parameters.
    """
    table = read_posterior(folder)
    keys = tuple(c for c in table.columns if c != "weight")
    if not keys or not all(k.startswith(MODEL_KEY) for k in keys) or not table["weight"].gt(0).any():
        raise InputError(folder, POSTERIOR, "holds no weighted particles of model parameters",
                         "the posterior.csv r2p fit wrote")  # fmt: skip
    values = table[list(keys)].to_numpy(dtype=np.float64)
    if not np.isfinite(values).all() or not np.isfinite(table["weight"]).all():
        raise InputError(folder, POSTERIOR, "holds a value that is not a finite number",
                         "the posterior.csv r2p fit wrote")  # fmt: skip
    return Posterior(keys, values, table["weight"].to_numpy(dtype=np.float64), str(folder / POSTERIOR))


def with_posterior(points: list[DesignPoint], posterior: Path | str | None) -> list[DesignPoint]:
    """``points`` run over the posterior of the fit in folder ``posterior`` (unchanged if None)."""
    if posterior is None:
        return points
    drawn = load_posterior(Path(posterior))
    return [dataclasses.replace(p, posterior=drawn) for p in points]


def posterior_record(posterior: Path | str | None) -> dict[str, str]:
    """What a results folder's manifest records of the posterior its run is over: the fit's folder
    (resolved) and the SHA-256 of its particles (``posterior.csv``); nothing without one."""
    if posterior is None:
        return {}
    folder = Path(posterior).resolve()
    return {"posterior": str(folder), "posterior_sha256": hashlib.sha256((folder / POSTERIOR).read_bytes()).hexdigest()}

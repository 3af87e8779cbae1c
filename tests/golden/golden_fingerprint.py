"""Fingerprints of simulation results: a SHA-256 per outcome column and per trajectory variable.

A fingerprint changes with any bit of any replication, so two engines, or the code before and
after a refactor, give the same fingerprint only when their results are identical. Hashing each
column on its own lets an outcome be added later without invalidating the others.
"""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd

from sim.config import data_dir, shipped
from sim.rules.outcomes import TRAJECTORY

REPS = 200
MESA_REPS = 8
"""The Mesa engine is checked on the first replications only (it is about 100x slower)."""
SEED = 2009
SUFFIXES = ("", "+veto_restraint", "+uniting_for_peace")


def cases() -> list[tuple[str, str]]:
    """Every shipped scenario x preset (plain and with each suffix), and each historical strategy."""
    presets = shipped("strategies")
    out = [(sc, f"{st}{suffix}") for sc in shipped("scenarios") for st in presets for suffix in SUFFIXES]
    episodes = sorted(path.stem for path in (data_dir("strategies") / "historical").glob("*.toml"))
    return out + [(ep, f"historical/{ep}") for ep in episodes]


def _digest(values: np.ndarray) -> str:
    return hashlib.sha256(np.ascontiguousarray(values, dtype=np.float64).tobytes()).hexdigest()


def fingerprint(outcomes: pd.DataFrame, paths: np.ndarray) -> dict[str, dict[str, str | float]]:
    """Per outcome column and per trajectory variable: its digest and its mean (for a readable diff)."""
    result: dict[str, dict[str, str | float]] = {}
    for column in outcomes.columns:
        values = outcomes[column].astype("Float64").to_numpy(dtype=np.float64, na_value=np.nan)
        mean = float(np.nanmean(values)) if np.isfinite(values).any() else None
        result[f"outcome:{column}"] = {"sha256": _digest(values), "mean": mean}
    for v, name in enumerate(TRAJECTORY):
        values = paths[:, :, v, :]
        result[f"trajectory:{name}"] = {"sha256": _digest(values), "mean": float(values.mean())}
    return result

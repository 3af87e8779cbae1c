"""Fingerprints of simulation results: a SHA-256 per outcome column and per trajectory variable.

A fingerprint changes with any bit of any replication, so two engines, or the code before and
after a refactor, give the same fingerprint only when their results are identical. Hashing each
column on its own lets an outcome be added later without invalidating the others.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd

from sim.parameters import first_version
from sim.rules.outcomes import TRAJECTORY
from sim.scenario import Scenario, load_scenario
from sim.strategy import Strategy, load_strategy

REPS = 200
MESA_REPS = 8
"""The Mesa engine is checked on the first replications only (it is about 100x slower)."""
SEED = 2009
SUFFIXES = ("", "+veto_restraint", "+uniting_for_peace")


INPUTS = Path(__file__).resolve().parent / "inputs"
"""The scenario and strategy files as they were shipped when ``golden.json`` was made."""

SHIPPED = Path(__file__).resolve().parents[2]
"""The repository root: today's shipped ``scenarios/`` and ``strategies/`` (``golden_v2.json``)."""

GOLDENS = {"golden.json": INPUTS, "golden_v2.json": SHIPPED}
"""Each golden file and the folder of the files it was made from."""


def _stems(folder: Path) -> list[str]:
    return sorted(path.stem for path in folder.glob("*.toml"))


def cases(root: Path = INPUTS) -> list[tuple[str, str]]:
    """Every scenario x preset of ``root`` (plain and with each suffix), and each historical strategy."""
    presets = _stems(root / "strategies")
    out = [(sc, f"{st}{suffix}") for sc in _stems(root / "scenarios") for st in presets for suffix in SUFFIXES]
    return out + [(ep, f"historical/{ep}") for ep in _stems(root / "strategies" / "historical")]


def load_case(scenario: str, strategy: str, root: Path = INPUTS) -> tuple[Scenario, Strategy]:
    """A case's files from ``root``. From ``inputs``, with every mechanism added since the first
    model version off; from the shipped files, with today's parameters."""
    base, *suffixes = strategy.split("+")
    chosen = load_strategy("+".join([str(root / "strategies" / f"{base}.toml"), *suffixes]))
    loaded = load_scenario(root / "scenarios" / f"{scenario}.toml")
    return (loaded.with_params(**first_version()) if root == INPUTS else loaded), chosen


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


def digests(fingerprint: dict[str, dict[str, str | float]]) -> dict[str, str]:
    """The SHA-256 of each entry of a :func:`fingerprint` (its means are for reading only)."""
    return {key: str(value["sha256"]) for key, value in fingerprint.items()}

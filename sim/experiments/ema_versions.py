"""The EMA Workbench calls this project makes, the same on EMA 2.5 (Python 3.11) and EMA 3 (3.12+).

Every difference between the two versions that the project meets is handled here, and nowhere
else:

- a given scenario or policy is a ``Scenario`` or ``Policy`` in 2.5 and a ``Sample`` in 3;
- the Latin hypercube of ``perform_experiments`` draws from NumPy's global generator in 2.5 and
  takes ``rng`` in 3;
- ``Prim`` takes the density ``threshold`` in 2.5 and none in 3, and 3's pasting fails on integer
  columns (inputs are passed as floats);
- ``optimize`` returns the Pareto set alone in 2.5 (with no convergence metrics), the set and its
  convergence in 3, where it also writes its archives to a folder, seeds the ``random`` module
  from ``rng`` (2.5 leaves seeding to the caller).
"""

from __future__ import annotations

import random
import tempfile
from collections.abc import Mapping, Sequence
from typing import Any

import ema_workbench
import numpy as np
import pandas as pd
from ema_workbench.analysis import prim as ema_prim

EMA_3 = int(ema_workbench.__version__.split(".")[0]) >= 3
"""Whether the installed EMA Workbench is version 3 or later."""

DESIGN_COLUMNS = ("scenario", "policy", "model")
"""Columns of an EMA experiments table that name the experiment rather than set an input."""


def point(name: str, values: Mapping[str, Any], kind: str = "scenario") -> Any:
    """A given scenario (``kind="scenario"``) or policy (``"policy"``) to pass to ``perform_experiments``."""
    if EMA_3:
        return ema_workbench.Sample(name, **values)
    klass = ema_workbench.Scenario if kind == "scenario" else ema_workbench.Policy
    return klass(name, **values)


def perform_experiments(
    model: ema_workbench.Model,
    scenarios: int | Sequence[Any] = 0,
    policies: int | Sequence[Any] = 0,
    *,
    evaluator: Any = None,
    seed: int = 0,
) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    """EMA's ``perform_experiments`` (scenarios x policies, Latin hypercube samples when counts)
    with the samples drawn from ``seed``: the same seed gives the same experiments.

    In EMA 2.5 this seeds NumPy's global generator, which that version's sampler draws from. EMA
    3.0 fails on sampled policies without scenarios (``TypeError: can only concatenate list``).
    """
    if EMA_3:
        seeded = {"uncertainty_sampling_kwargs": {"rng": seed}, "lever_sampling_kwargs": {"rng": seed + 1}}
    else:
        np.random.seed(seed)
        seeded = {}
    return ema_workbench.perform_experiments(model, scenarios, policies, evaluator=evaluator, **seeded)


def prim_inputs(experiments: pd.DataFrame) -> pd.DataFrame:
    """The input columns of an EMA experiments table as PRIM takes them: numbers as floats,
    choices as categories (the design columns dropped)."""
    x = experiments.drop(columns=[c for c in DESIGN_COLUMNS if c in experiments])
    for column in x:
        if pd.api.types.is_bool_dtype(x[column]) or isinstance(x[column].dtype, pd.CategoricalDtype):
            x[column] = x[column].astype("category")
        elif pd.api.types.is_numeric_dtype(x[column]):
            x[column] = x[column].astype(np.float64)
        else:
            x[column] = x[column].astype("category")
    return x


def prim(x: pd.DataFrame, y: np.ndarray, threshold: float = 0.8, **options: Any) -> ema_prim.Prim:
    """EMA's PRIM on inputs ``x`` (see :func:`prim_inputs`) and the yes/no outcome ``y``.

    ``threshold`` is the least density of a box that ``find_box`` returns (EMA 2.5; EMA 3 returns a
    box of every density and leaves the choice to the peeling trajectory).
    """
    if EMA_3:
        return ema_prim.Prim(x, y, **options)
    return ema_prim.Prim(x, y, threshold=threshold, **options)


def optimize(
    model: ema_workbench.Model,
    nfe: int,
    epsilons: Sequence[float],
    *,
    evaluator: Any = None,
    seed: int = 0,
    searchover: str = "levers",
    reference: Any = None,
    **algorithm: Any,
) -> pd.DataFrame:
    """EMA's ``optimize`` (epsilon-NSGA-II of Platypus) for ``nfe`` evaluations: the Pareto set, one
    row per solution (decision variables, then objectives). The search draws from ``seed``;
    ``algorithm`` options (``population_size=...``) go to the algorithm. Without a ``reference``
    (the scenario under which levers are searched, or the policy for ``searchover="uncertainties"``),
    the other inputs keep the model's own values.

    The archives EMA 3 writes go to a temporary folder, deleted afterwards. EMA 3.0 fails on a model
    without uncertainties (``Parameters exist in both ...``): give it one.
    """
    if reference is None:
        reference = point("reference", {}, "policy" if searchover == "uncertainties" else "scenario")
    options = {"nfe": nfe, "searchover": searchover, "evaluator": evaluator, "reference": reference,
               "epsilons": list(epsilons), **algorithm}  # fmt: skip
    if not EMA_3:
        random.seed(seed)
        return ema_workbench.optimize(model, **options)
    with tempfile.TemporaryDirectory(prefix="r2p-ema-") as folder:
        results, _ = ema_workbench.optimize(model, rng=seed, directory=folder, filename="archives.tar.gz", **options)
    return results

"""Scenario discovery on a sweep's results folder: which sampled inputs make an outcome likely.

A *case* is a design point. It is *of interest* when the share of its replications that satisfy
an outcome expression (:mod:`sim.experiments.where`, evaluated per replication) is at least
``share``: with ``share = 0.5``, a point where most replications end with, say, more than 50,000
deaths. Per-replication evaluation keeps the expression's meaning ("this run ended badly") rather
than testing the means of skewed outcomes, and the share says how reliably a point does so.

The inputs of a case are the sampled inputs the manifest records (``[uncertain]`` and
``[levers]``, see :meth:`sim.experiments.design.Experiment.inputs`), with their values from
``design.csv``, and the scenario, strategy and grid columns where they vary. Three views:

- PRIM (the EMA Workbench's maintained implementation, Friedman & Fisher 1999; Bryant & Lempert
  2010): a peeling trajectory of ever smaller boxes, each with its *coverage* (the share of the
  cases of interest inside the box), *density* (the share of the cases inside the box that are
  of interest) and *mass* (the share of all cases inside it), and for the chosen box its
  restrictions with quasi-p-values;
- a shallow CART tree (scikit-learn), as a second, differently biased description;
- extra-trees feature scores: how much each input helps to tell the cases apart.

Numeric inputs are floats; categorical ones (lists of ``values``, and the varying design columns)
are pandas categoricals, which PRIM restricts to a subset and the trees see one-hot encoded.
Every random step is seeded, so the same folder gives the same numbers.
"""

from __future__ import annotations

import inspect
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from sim.config import InputError, quote
from sim.experiments.compare import grid_columns
from sim.experiments.store import chunk_files, read_design, read_manifest
from sim.experiments.where import NUMBER, YES_NO, Where, parse_where

OF_INTEREST = "of_interest"
SHARE = "share"
SEED = 0
"""Seed of the trees (the results do not depend on any other random number)."""
TREE_DEPTH = 3
FOREST = 250
"""Trees of the extra-trees feature scores."""
_NOT_OUTCOMES = ("point", "replication", "particle")
_DESIGN_NAMES = {"scenario": "scenario_name", "strategy": "strategy_name"}
"""Varying design columns as inputs (PRIM drops a column named ``scenario``)."""


@dataclass(frozen=True)
class Cases:
    """The cases of a discovery: one row per design point, its inputs and whether it is of interest."""

    frame: pd.DataFrame
    """``point``, the inputs, ``share`` (of replications satisfying the expression), ``n`` and ``of_interest``."""
    inputs: tuple[str, ...]
    uncertain: tuple[str, ...]
    where: Where
    share: float

    @property
    def x(self) -> pd.DataFrame:
        """The inputs of every case."""
        return self.frame[list(self.inputs)].reset_index(drop=True)

    @property
    def y(self) -> np.ndarray:
        """1 for a case of interest, 0 otherwise."""
        return self.frame[OF_INTEREST].to_numpy(dtype=int)


def read_cases(folder: Path, expression: str, share: float) -> Cases:
    """The cases of the results ``folder`` for the outcome ``expression`` (:mod:`sim.experiments.where`).

    Raises
    ------
    InputError
        If the folder is not a finished sweep with ``[uncertain]`` inputs, or the expression is bad.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(folder, "", "no such folder", "a results folder written by 'r2p sweep'")
    manifest = read_manifest(folder)
    sampled = manifest.get("inputs") or {}
    if not sampled.get("uncertain"):
        raise InputError(folder, "", "has no uncertain inputs to discover scenarios in (its manifest lists none)",
                         "the results folder of an experiment with an [uncertain] table; a folder swept before "
                         "r2p recorded its inputs: 'r2p sweep FILE --overwrite'")  # fmt: skip
    if not manifest.get("finished"):
        raise InputError(folder, "", "the sweep has not finished", "run the same 'r2p sweep' command again")
    design = read_design(folder, outputs=False)
    where = parse_where(expression, outcome_kinds(chunk_files(folder, 0)[0]))
    frame = pd.DataFrame({"point": design["point"]})
    for table in ("uncertain", "levers"):
        for key, spec in sampled.get(table, {}).items():
            frame[key] = _typed(design[key], spec)
    fixed = [c for c in ("scenario", "strategy", *grid_columns(design)) if c not in frame.columns]
    varying = [c for c in fixed if design[c].nunique() > 1]
    for column in varying:
        frame[_DESIGN_NAMES.get(column, column)] = pd.Categorical(design[column], sorted(design[column].unique()))
    hits = [_hits(folder, point, where) for point in design["point"]]
    frame[SHARE] = [float(h.mean()) if len(h) else 0.0 for h in hits]
    frame["n"] = [len(h) for h in hits]
    frame[OF_INTEREST] = frame[SHARE] >= share
    inputs = tuple(c for c in frame.columns if c not in ("point", SHARE, "n", OF_INTEREST))
    return Cases(frame, inputs, tuple(sampled["uncertain"]), where, share)


def outcome_kinds(chunk: Path) -> dict[str, str]:
    """The outcome columns of a chunk file, each :data:`NUMBER` or :data:`YES_NO`."""
    schema = pq.read_schema(chunk)
    return {f.name: YES_NO if pa.types.is_boolean(f.type) else NUMBER for f in schema
            if f.name not in _NOT_OUTCOMES and (pa.types.is_boolean(f.type) or pa.types.is_integer(f.type)
                                               or pa.types.is_floating(f.type))}  # fmt: skip


def _typed(column: pd.Series, spec: dict) -> pd.Series:
    """A ``design.csv`` column (text) as floats, or as a categorical in the order of its ``values``."""
    if "values" in spec:
        return pd.Series(pd.Categorical(column, [str(v) for v in spec["values"]]))
    return column.astype(np.float64)


def _hits(folder: Path, point: int, where: Where) -> np.ndarray:
    """Whether each replication of ``point`` satisfies ``where``."""
    columns = list(where.names) or ["replication"]
    return where.evaluate(pq.read_table(chunk_files(folder, point), columns=columns).to_pandas())


@dataclass(frozen=True)
class Discovery:
    """PRIM's peeling trajectory, the chosen box and its restrictions."""

    trajectory: pd.DataFrame
    """Per box: ``box``, ``coverage``, ``density``, ``mass``, ``restricted_dims``, ``n``, ``k``, ``restricted``."""
    box: int
    meets_density: bool
    restrictions: pd.DataFrame
    """Per restricted input: ``input``, ``kind``, ``lower``, ``upper``, ``values``, range, quasi-p-values."""


def discover(cases: Cases, density: float, box: int | None = None) -> Discovery:
    """Run PRIM on ``cases`` and pick a box: ``box``, or the last box on the peeling trajectory of
    density >= ``density`` (the densest box if none is; the earliest of equal density).

    Raises
    ------
    InputError
        If no case or every case is of interest, or ``box`` is not on the trajectory.
    """
    y = cases.y
    count = int(y.sum())
    if count in (0, len(y)):
        what = "no design point" if count == 0 else "every design point"
        raise InputError("--where", "", f"{what} of {len(y)} is of interest ({quote(cases.where.text)} in at least "
                         f"{cases.share:g} of its replications)", "an expression and --share that split the "
                         "design points")  # fmt: skip
    primbox = _prim_box(cases.x, y)
    trajectory = _trajectory(primbox)
    if box is not None and not 0 <= box < len(trajectory):
        raise InputError("--box", "", f"{box} is not on the peeling trajectory", f"0 to {len(trajectory) - 1}")
    good = trajectory[trajectory["density"] >= density]
    meets = not good.empty if box is None else trajectory["density"][box] >= density
    if box is None:
        densest = trajectory[trajectory["density"] == trajectory["density"].max()]
        box = int(good["box"].iloc[-1] if not good.empty else densest["box"].iloc[0])
    return Discovery(trajectory, box, bool(meets), _restrictions(primbox, box, cases.x))


def _prim_box(x: pd.DataFrame, y: np.ndarray) -> Any:
    """The first box of EMA's PRIM on ``x`` (floats and categoricals), ``y`` 0/1."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # EMA warns that optional evaluators (ipyparallel) are missing
        from ema_workbench.analysis import prim

    options: dict[str, float] = {"peel_alpha": 0.05, "paste_alpha": 0.05, "mass_min": 0.05}
    if "threshold" in inspect.signature(prim.Prim).parameters:
        # EMA 2.5 counts y >= threshold as of interest and keeps a box only if its density reaches
        # it; y is 0/1, so the least positive threshold counts the same cases and keeps every box
        options["threshold"] = np.finfo(float).tiny
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return prim.Prim(x.copy(), y.copy(), **options).find_box()


def _quasi_p(primbox: Any) -> list[dict[str, list[float]]]:
    """The quasi-p-values of every box (EMA 3 calls them ``p_values``, 2.5 ``qp``)."""
    return primbox.p_values if hasattr(primbox, "p_values") else primbox.qp


def _trajectory(primbox: Any) -> pd.DataFrame:
    """The peeling trajectory as a plain table, with the restricted inputs of each box."""
    table = primbox.peeling_trajectory
    frame = pd.DataFrame({
        "box": np.arange(len(table)),
        "coverage": table["coverage"].astype(float).to_numpy(),
        "density": table["density"].astype(float).to_numpy(),
        "mass": table["mass"].astype(float).to_numpy(),
        "restricted_dims": table["res_dim"].astype(int).to_numpy(),
        "n": table["n"].astype(int).to_numpy(),
        "k": table["k"].astype(int).to_numpy(),
    })  # fmt: skip
    limits = primbox.box_lims
    frame["restricted"] = [" ".join(c for c in limits[0].columns if _restricted(lim, limits[0], c)) for lim in limits]
    return frame


def _restricted(limits: pd.DataFrame, initial: pd.DataFrame, column: str) -> bool:
    """Whether a box restricts ``column`` compared with the initial box."""
    low, high = limits[column].iloc[0], limits[column].iloc[1]
    return (low, high) != (initial[column].iloc[0], initial[column].iloc[1])


def _restrictions(primbox: Any, box: int, x: pd.DataFrame) -> pd.DataFrame:
    """The restrictions of box ``box`` read from its limits (``box_lims``) and quasi-p-values,
    not from ``inspect`` (which fails on a restricted categorical under pandas 3)."""
    limits, initial, qp = primbox.box_lims[box], primbox.box_lims[0], _quasi_p(primbox)[box]
    rows = []
    for column in limits.columns:
        if not _restricted(limits, initial, column):
            continue
        p_low, p_high = (np.nan if v is None or v < 0 else float(v) for v in qp.get(column, [np.nan, np.nan]))
        row = {"input": column, "lower": np.nan, "upper": np.nan, "values": "", "minimum": np.nan,
               "maximum": np.nan, "qp_lower": p_low, "qp_upper": p_high}  # fmt: skip
        if isinstance(x[column].dtype, pd.CategoricalDtype):
            kept = set(limits[column].iloc[0])
            row.update(kind="categorical", values=" | ".join(str(c) for c in x[column].cat.categories if c in kept))
        else:
            row.update(kind="numeric", lower=float(limits[column].iloc[0]), upper=float(limits[column].iloc[1]),
                       minimum=float(initial[column].iloc[0]), maximum=float(initial[column].iloc[1]))  # fmt: skip
        rows.append(row)
    columns = ["input", "kind", "lower", "upper", "values", "minimum", "maximum", "qp_lower", "qp_upper"]
    return pd.DataFrame(rows, columns=columns)


def encoded(x: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """``x`` for scikit-learn: floats, each categorical one-hot (``KEY=VALUE``); and each encoded
    column's input."""
    parts, owners = [], []
    for column in x.columns:
        if isinstance(x[column].dtype, pd.CategoricalDtype):
            for value in x[column].cat.categories:
                parts.append(pd.Series((x[column] == value).astype(float), name=f"{column}={value}"))
                owners.append(column)
        else:
            parts.append(x[column].astype(float))
            owners.append(column)
    return pd.concat(parts, axis=1), owners


def tree(cases: Cases) -> tuple[Any, list[str]]:
    """A shallow CART tree (depth :data:`TREE_DEPTH`, leaves of at least 5 % of the cases) fitted
    on the encoded inputs, and their names (:func:`encoded`)."""
    from sklearn.tree import DecisionTreeClassifier

    features, _ = encoded(cases.x)
    leaf = max(1, round(0.05 * len(features)))
    model = DecisionTreeClassifier(max_depth=TREE_DEPTH, min_samples_leaf=leaf, random_state=SEED)
    return model.fit(features, cases.y), list(features.columns)


def scores(cases: Cases) -> pd.DataFrame:
    """Extra-trees feature importances per input (one-hot columns summed back to their input),
    highest first: ``input``, ``importance`` (they sum to 1)."""
    from sklearn.ensemble import ExtraTreesClassifier

    features, owners = encoded(cases.x)
    forest = ExtraTreesClassifier(n_estimators=FOREST, random_state=SEED, n_jobs=1).fit(features, cases.y)
    importance = pd.Series(forest.feature_importances_, index=owners).groupby(level=0, sort=False).sum()
    table = pd.DataFrame({"input": importance.index, "importance": importance.to_numpy()})
    return table.sort_values(["importance", "input"], ascending=[False, True], kind="stable").reset_index(drop=True)

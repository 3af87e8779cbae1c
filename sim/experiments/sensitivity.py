"""Global sensitivity analysis (Sobol and Morris, via SALib) of one outcome to uncertain inputs.

A sensitivity file has a ``[sensitivity]`` table and one ``[[parameters]]`` table per uncertain
input; ``key`` is the dotted key of any numeric settable field (see
:func:`sim.schema.registry.lookup`)::

    [sensitivity]
    name = "fragile_region_uncertainty"
    scenario = "fragile_region"
    strategy = "three_pillar_flexible"
    outcome = "deaths"          # deaths, onset, displaced or atrocity_state_weeks (mean per sample)
    reps_per_sample = 500       # replications averaged for each sampled input vector
    samples = 256               # SALib base N (a power of 2 for Sobol)
    trajectories = 32           # Morris trajectories (optional; default: samples)
    seed = 1
    method = ["sobol", "morris"]

    [[parameters]]
    key = "scenario.model.shock_sd"
    low = 0.015
    high = 0.05

Inputs are uniform on ``[low, high]``; integer fields (delays) are rounded, each whole value
equally likely. Every sample is simulated with the same root seed, so all samples meet the same
shocks (common random numbers): differences between samples come from the inputs, not the noise.

Each sample row is one design point of :func:`sim.experiments.runner.evaluate`, so an analysis
runs on all cores or a Dask cluster, resumes after a kill, and writes the runner's manifest.
Command line (:mod:`sim.cli.sensitivity`): ``r2p sensitivity FILE [--out DIR]``.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from sim.config import InputError
from sim.experiments.design import DesignPoint, apply_setting, load_file, load_named
from sim.experiments.runner import CHUNK, evaluate, read_column
from sim.experiments.store import write_atomically, write_table
from sim.scenario import Scenario, load_scenario
from sim.schema.fit import PriorTable
from sim.schema.registry import lookup
from sim.schema.rules import validate
from sim.schema.sensitivity import METHODS, OUTCOMES, ParameterInput, SensitivityFile
from sim.simulate import simulate
from sim.strategy import Strategy, load_strategy

__all__ = ["METHODS", "OUTCOMES", "Input", "Sensitivity", "load_sensitivity", "parse_sensitivity", "run_sensitivity"]

MORRIS_LEVELS = 4


@dataclass(frozen=True)
class Input:
    """One uncertain input: a dotted grid key, uniform on ``[low, high]``."""

    key: str
    low: float
    high: float
    integer: bool

    def bounds(self) -> list[float]:
        """Bounds of the SALib variable (widened by half a step for integers, so ends are as likely)."""
        return [self.low - 0.5, self.high + 0.5] if self.integer else [self.low, self.high]

    def value(self, x: float) -> float | int:
        """The field value for SALib variable ``x``."""
        if self.integer:
            return int(min(max(math.floor(x + 0.5), self.low), self.high))
        return float(min(max(x, self.low), self.high))


@dataclass(frozen=True)
class Sensitivity:
    """A validated sensitivity-analysis specification."""

    name: str
    description: str
    scenario: Scenario
    strategy: Strategy
    outcome: str
    reps_per_sample: int
    samples: int
    trajectories: int
    seed: int
    methods: tuple[str, ...]
    inputs: tuple[Input, ...]
    digest: str = ""
    source: str = ""

    def problem(self) -> dict:
        """The SALib problem definition."""
        return {
            "num_vars": len(self.inputs),
            "names": [i.key for i in self.inputs],
            "bounds": [i.bounds() for i in self.inputs],
        }

    def apply(self, x: np.ndarray) -> tuple[Scenario, Strategy]:
        """Scenario and strategy with the inputs set to the SALib sample row ``x``."""
        scenario, strategy = self.scenario, self.strategy
        for item, value in zip(self.inputs, x, strict=True):
            scenario, strategy = apply_setting(scenario, strategy, item.key, item.value(value), self.source)
        return scenario, strategy

    def evaluate(self, x: np.ndarray) -> float:
        """Mean outcome over ``reps_per_sample`` replications at sample row ``x``."""
        scenario, strategy = self.apply(x)
        table = simulate(scenario, strategy, self.reps_per_sample, self.seed)
        return float(table[self.outcome].astype(float).mean())


def check_input(
    item: ParameterInput | PriorTable, n: int, scenario: Scenario, strategy: Strategy, file: str | Path
) -> Input:
    """One uncertain input (``[[parameters]]`` ``n`` of a sensitivity or fit file), its key looked up
    in the registry and both bounds checked on the field of ``scenario`` and ``strategy``."""
    where = f"parameters[{n}]"
    field = lookup(item.key, file, f"{where}.key")
    if field.boolean:
        raise InputError(file, f"{where}.key", f"{item.key!r} is true or false, not a number",
                         "a numeric scenario or strategy field")  # fmt: skip
    if not field.numeric:
        raise InputError(file, f"{where}.key", f"{item.key!r} is not a numeric field")
    low, high = field.range_ends(item.low, item.high, file, where)
    if not low < high:
        raise InputError(file, f"{where}.high", f"{high!r} is not greater than low ({low!r})", "high > low")
    for name, value in (("low", low), ("high", high)):
        field.apply(scenario, strategy, value, file, f"{where}.{name}")
    return Input(item.key, float(low), float(high), field.integer)


def parse_sensitivity(data: dict, file: str | Path, text: bytes = b"") -> Sensitivity:
    """Validate a parsed sensitivity TOML document (``text``: the file's bytes, for its digest)."""
    checked = validate(SensitivityFile, data, file)
    head = checked.sensitivity
    scenario = load_named(load_scenario, head.scenario, file, "sensitivity.scenario")
    strategy = load_named(load_strategy, head.strategy, file, "sensitivity.strategy")
    inputs = tuple(check_input(item, n, scenario, strategy, file) for n, item in enumerate(checked.parameters))
    trajectories = head.samples if head.trajectories is None else head.trajectories
    digest = hashlib.sha256(text).hexdigest()
    return Sensitivity(head.name, head.description, scenario, strategy, head.outcome, head.reps_per_sample,
                       head.samples, trajectories, head.seed, head.method, inputs, digest, str(file))  # fmt: skip


def load_sensitivity(name_or_path: str | Path) -> Sensitivity:
    """Load and validate a shipped sensitivity file (by name, from ``experiments/``) or a path; see
    :func:`sim.experiments.design.load_file`."""
    return load_file(parse_sensitivity, name_or_path)


def samples(spec: Sensitivity, method: str) -> np.ndarray:
    """The SALib sample of ``method`` (``"sobol"`` or ``"morris"``): one input vector per row."""
    seed = spec.seed % 2**32  # SALib's generators take 32-bit seeds
    if method == "sobol":
        from SALib.sample import sobol

        return sobol.sample(spec.problem(), spec.samples, calc_second_order=False, seed=seed)
    from SALib.sample import morris

    return morris.sample(spec.problem(), spec.trajectories, num_levels=MORRIS_LEVELS, seed=seed)


def design(spec: Sensitivity, rows: np.ndarray, first: int = 0) -> list[DesignPoint]:
    """One design point per sample row, numbered from ``first``; its settings are the sampled values."""
    points = []
    for n, x in enumerate(rows):
        scenario, strategy = spec.apply(x)
        settings = tuple((i.key, i.value(v)) for i, v in zip(spec.inputs, x, strict=True))
        points.append(DesignPoint(first + n, scenario, strategy, settings))
    return points


def analyse(spec: Sensitivity, method: str, x: np.ndarray, y: np.ndarray) -> pd.DataFrame:
    """The indices of ``method`` from the sample ``x`` and the mean outcomes ``y``, one row per input:
    Sobol ``S1, S1_conf, ST, ST_conf`` or Morris ``mu, mu_star, sigma, mu_star_conf``."""
    problem, seed = spec.problem(), spec.seed % 2**32
    if method == "sobol":
        from SALib.analyze import sobol

        keys = ("S1", "S1_conf", "ST", "ST_conf")
        if np.ptp(y) == 0:
            s = {key: np.zeros(len(spec.inputs)) for key in keys}
        else:
            s = sobol.analyze(problem, y, calc_second_order=False, seed=seed, print_to_console=False)
    else:
        from SALib.analyze import morris

        keys = ("mu", "mu_star", "sigma", "mu_star_conf")
        s = morris.analyze(problem, x, y, num_levels=MORRIS_LEVELS, seed=seed, print_to_console=False)
    table = pd.DataFrame({"parameter": problem["names"]})
    for key in keys:
        table[key] = np.asarray(s[key], dtype=float)
    return table


def _sample_table(spec: Sensitivity, samples: np.ndarray, y: np.ndarray) -> pd.DataFrame:
    frame = pd.DataFrame({i.key: [i.value(x) for x in samples[:, k]] for k, i in enumerate(spec.inputs)})
    frame[spec.outcome] = y
    return frame


def _plot(spec: Sensitivity, method: str, table: pd.DataFrame, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    labels = [key.split(".", 1)[1] for key in table["parameter"]]
    x = np.arange(len(labels))
    fig, ax = plt.subplots(figsize=(max(6.0, 1.3 * len(labels) + 2), 4.5))
    if method == "sobol":
        ax.bar(x - 0.2, table["S1"], 0.4, yerr=table["S1_conf"], capsize=3, label="first order (S1)")
        ax.bar(x + 0.2, table["ST"], 0.4, yerr=table["ST_conf"], capsize=3, label="total order (ST)")
        ax.set_ylabel(f"Sobol index, share of variance of mean {spec.outcome}")
        ax.axhline(0, color="black", linewidth=0.8)
        ax.legend()
    else:
        ax.bar(x, table["mu_star"], 0.6, yerr=table["mu_star_conf"], capsize=3, label="mu* (95 % CI)")
        ax.plot(x, table["sigma"], "o", color="black", label="sigma")
        ax.set_ylabel(f"Morris elementary effect on mean {spec.outcome}\n(per unit range)")
        ax.legend()
    ax.set_xticks(x, labels, rotation=20, ha="right")
    ax.set_xlabel("uncertain input")
    ax.set_title(f"{spec.name}: {spec.scenario.name} | {spec.strategy.name} ({method})")
    fig.tight_layout()
    try:
        write_atomically(path, lambda tmp: fig.savefig(tmp, format="png", dpi=120))
    finally:
        plt.close(fig)


def run_sensitivity(
    spec: Sensitivity | str | Path,
    out_dir: str | Path,
    progress: bool = True,
    workers: int | None = None,
    scheduler: str | None = None,
    chunk: int = CHUNK,
) -> dict[str, pd.DataFrame]:
    """Run the analysis into the results folder ``out_dir`` (resuming a run of the same file there).

    Every sample row of every method is one design point of :func:`sim.experiments.runner.evaluate`
    (``manifest.json``, ``design.csv``, ``chunks/``); then per method ``METHOD.csv``, ``METHOD.png``
    and ``METHOD_samples.csv``. The same file gives the same indices whatever the workers, the
    scheduler, the chunk size, or a kill and restart part-way.

    Returns
    -------
    dict[str, pandas.DataFrame]
        Per method (``"sobol"``, ``"morris"``), one row per input: Sobol ``S1, S1_conf, ST,
        ST_conf`` or Morris ``mu, mu_star, sigma, mu_star_conf`` (``_conf``: half-width of the
        95 % bootstrap confidence interval).
    """
    spec = spec if isinstance(spec, Sensitivity) else load_sensitivity(spec)
    folder = Path(out_dir)
    drawn = {method: samples(spec, method) for method in spec.methods}
    points: list[DesignPoint] = []
    for rows in drawn.values():
        points += design(spec, rows, len(points))
    y = np.empty(len(points))

    def mean(index: int) -> None:
        y[index] = float(pd.Series(read_column(folder, index, spec.outcome)[0]).mean())

    evaluate(points, spec.reps_per_sample, spec.seed, folder, identity={"sensitivity": spec.name,
             "digest": spec.digest}, info={"source": str(Path(spec.source).resolve()), "outcome": spec.outcome,
             "methods": list(spec.methods)}, workers=workers, chunk=chunk, scheduler=scheduler, progress=progress,
             desc=spec.name, finished=mean)  # fmt: skip
    tables, first = {}, 0
    for method, rows in drawn.items():
        ys = y[first : first + len(rows)]
        first += len(rows)
        table = analyse(spec, method, rows, ys)
        write_table(table, folder / f"{method}.csv")
        write_table(_sample_table(spec, rows, ys), folder / f"{method}_samples.csv")
        _plot(spec, method, table, folder / f"{method}.png")
        tables[method] = table
    return tables

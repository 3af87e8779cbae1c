"""Building blocks of the validation experiments: isolated states, per-state histories, estimators.

Every estimate comes with a 95 % confidence interval and the number of replications (or events)
it rests on. Comparisons of two arms use the same root seed, so replication *r* meets the same
shocks in both (common random numbers) and the paired differences are taken replication by
replication.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd

from sim.concepts import Phase
from sim.experiments.statistics import Z95, mean_ci
from sim.posterior import Posterior
from sim.rules.outcomes import TRAJECTORY
from sim.scenario import Scenario, StateSpec
from sim.simulate import simulate
from sim.strategy import Strategy

BATCH = 1000
"""Replications per batch when trajectories are kept (bounds memory)."""


def isolate(scenario: Scenario, names: list[str], changes: dict[str, dict] | None = None) -> Scenario:
    """The sub-region of ``scenario`` made of the states ``names`` (borders among them kept).

    Bodies keep only their members among ``names``; ``changes`` maps a state name to field
    changes (e.g. ``{"Eastmarch": {"salience": 0.5}}``).
    """
    changes = changes or {}
    states = []
    for name in names:
        spec = next(s for s in scenario.states if s.name == name)
        neighbours = tuple(n for n in spec.neighbours if n in names)
        states.append(dataclasses.replace(spec, neighbours=neighbours, **changes.get(name, {})))
    bodies = tuple(
        dataclasses.replace(b, members=tuple(m for m in b.members if m in names))
        for b in scenario.bodies
        if any(m in names for m in b.members)
    )
    return scenario.replace(name=f"{scenario.name}[{','.join(names)}]", states=tuple(states), bodies=bodies)


def alone(spec: StateSpec, weeks: int, name: str = "isolated") -> Scenario:
    """A one-state scenario (no borders, no regional body) at the model's default parameters."""
    return Scenario(name, name, "one state, for a validation experiment", weeks,
                    (dataclasses.replace(spec, neighbours=()),), ())  # fmt: skip


def histories(
    scenario: Scenario,
    strategy: Strategy,
    reps: int,
    seed: int,
    state: int,
    variables: tuple[str, ...],
    first: int = 0,
    posterior: Posterior | None = None,
) -> dict[str, np.ndarray]:
    """Per-week ``variables`` of state number ``state`` in replications ``first .. first + reps - 1``
    (over ``posterior``, if given): arrays of shape ``(reps, weeks + 1)``."""
    rows = [TRAJECTORY.index(v) for v in variables]
    parts: list[list[np.ndarray]] = [[] for _ in variables]
    for start in range(first, first + reps, BATCH):
        _, paths = simulate(scenario, strategy, min(BATCH, first + reps - start), seed, first=start, trajectories=True,
                            posterior=posterior)  # fmt: skip
        for part, row in zip(parts, rows, strict=True):
            part.append(paths[:, :, row, state].copy())
        del paths
    return {v: np.concatenate(p) for v, p in zip(variables, parts, strict=True)}


def first_onset(phase: np.ndarray) -> np.ndarray:
    """Weeks run until the first move into atrocity, per row of ``phase``; -1 if none.

    Row ``k`` of a trajectory is the state after week ``k - 1``, so the value is also the number
    of weeks at risk up to and including the onset.
    """
    atrocity = phase == Phase.ATROCITY
    moved = atrocity[:, 1:] & ~atrocity[:, :-1]
    return np.where(moved.any(axis=1), moved.argmax(axis=1) + 1, -1)


def first_exit(phase: np.ndarray) -> np.ndarray:
    """Weeks run until a state that starts in atrocity first leaves it; -1 if it never does."""
    left = phase[:, 1:] != Phase.ATROCITY
    return np.where(left.any(axis=1), left.argmax(axis=1) + 1, -1)


def onset_rate(onset: np.ndarray, weeks_at_risk: np.ndarray) -> tuple[float, float, float, int, float]:
    """Rate of first onset per state-year: onsets over the years at risk before a first onset.

    ``onset`` flags the replications with an onset; ``weeks_at_risk`` counts, per replication,
    the weeks up to and including the onset week (the whole horizon if none). Returns the rate,
    its exact Poisson 95 % CI, the number of onsets and the state-years at risk.
    """
    from scipy.stats import chi2

    count = int(np.sum(onset))
    years = float(np.sum(weeks_at_risk)) / 52.0
    low = chi2.ppf(0.025, 2 * count) / 2 / years if count else 0.0
    high = chi2.ppf(0.975, 2 * count + 2) / 2 / years
    return count / years, float(low), float(high), count, years


def rate_ratio(a: tuple[float, ...], b: tuple[float, ...]) -> tuple[float, float, float]:
    """Ratio of two :func:`onset_rate` results ``a / b`` with a log-normal 95 % CI.

    The CI treats the two counts as independent Poisson counts; under common random numbers they
    are positively correlated, so the interval is conservative. Without an event on either side
    (too few replications) the ratio and its CI are NaN.
    """
    if not (a[3] and b[3]):
        return math.nan, math.nan, math.nan
    ratio = a[0] / b[0]
    half = Z95 * math.sqrt(1 / a[3] + 1 / b[3])
    return ratio, ratio * math.exp(-half), ratio * math.exp(half)


def paired(treated: np.ndarray, base: np.ndarray) -> tuple[float, float, float, int]:
    """Mean paired difference ``treated - base`` over replications where both are known, CI, n."""
    a = np.asarray(treated, dtype=np.float64)
    b = np.asarray(base, dtype=np.float64)
    keep = np.isfinite(a) & np.isfinite(b)
    return (*mean_ci(a[keep] - b[keep]), int(keep.sum()))


def reduction(treated: np.ndarray, base: np.ndarray) -> tuple[float, np.ndarray]:
    """Relative reduction ``1 - mean(treated) / mean(base)`` and its influence values.

    The influence values (one per replication) give delta-method standard errors: the variance of
    the estimate is ``var(influence) / n``, also for differences of reductions on the same
    replications.
    """
    a = np.asarray(treated, dtype=np.float64)
    b = np.asarray(base, dtype=np.float64)
    ratio = a.mean() / b.mean()
    return 1.0 - ratio, -(a - ratio * b) / b.mean()


def influence_ci(estimate: float, influence: np.ndarray) -> tuple[float, float, float, int]:
    """Estimate with a normal 95 % CI from its influence values, and n."""
    n = len(influence)
    half = Z95 * float(np.std(influence, ddof=1)) / math.sqrt(n)
    return estimate, estimate - half, estimate + half, n


def median_ci(values: np.ndarray) -> tuple[float, float, float, int]:
    """Median and distribution-free 95 % CI from order statistics (binomial), and n."""
    x = np.sort(np.asarray(values, dtype=np.float64))
    n = len(x)
    half = Z95 * math.sqrt(n) / 2
    low = max(math.floor(n / 2 - half), 0)
    high = min(math.ceil(n / 2 + half), n - 1)
    return float(np.median(x)), float(x[low]), float(x[high]), n


def part(label: str, estimate: tuple[float, ...], unit: str = "", reference: str = "") -> dict[str, object]:
    """One row of a finding's detail table from an (estimate, low, high, n, ...) tuple."""
    value, low, high, n = estimate[:4]
    return {"quantity": label, "value": value, "ci95_low": low, "ci95_high": high, "n": int(n), "unit": unit,
            "reference": reference}  # fmt: skip


def parts_frame(rows: list[dict[str, object]]) -> pd.DataFrame:
    """The detail table of a finding."""
    return pd.DataFrame(rows, columns=["quantity", "value", "ci95_low", "ci95_high", "n", "unit", "reference"])

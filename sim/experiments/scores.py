"""Scores of a predictive toll distribution against a documented toll, as forecasters score them.

Tolls are compared in decades (:func:`toll_scale`); the scores are the continuous ranked
probability score and the log score (Gneiting and Raftery 2007). Used by the fit's predictive
checks (:mod:`sim.experiments.fit_report`) and the calibration report
(:mod:`sim.experiments.calibration`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np


def toll_scale(deaths: Iterable[float]) -> float:
    """A toll (or the geometric middle of a documented ``[low, high]`` toll) in decades: ``log10(1 + deaths)``."""
    values = np.asarray(list(deaths), dtype=float)
    return float(np.mean(np.log10(1.0 + values)))


def crps(sample: np.ndarray, observed: float) -> float:
    """Continuous ranked probability score of the predictive ``sample`` at ``observed`` (lower is
    better; in the sample's unit): ``E|X - y| - E|X - X'| / 2`` (Gneiting and Raftery 2007)."""
    x = np.sort(np.asarray(sample, dtype=np.float64))
    n = len(x)
    spread = 2.0 * np.sum(x * (2.0 * np.arange(1, n + 1) - n - 1)) / n**2  # E|X - X'| from the order statistics
    return float(np.mean(np.abs(x - observed)) - spread / 2.0)


def log_score(sample: np.ndarray, observed: float, floor: float = 1e-6) -> float:
    """Negative log predictive density of ``observed`` (lower is better), from a Gaussian kernel
    density of ``sample``; the density is floored at ``floor`` (a record far outside every draw)."""
    from scipy.stats import gaussian_kde

    x = np.asarray(sample, dtype=np.float64)
    if np.ptp(x) == 0:
        return float(-math.log(floor)) if x[0] != observed else 0.0
    return float(-math.log(max(float(gaussian_kde(x)(observed)[0]), floor)))

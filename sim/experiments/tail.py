"""Heavy tails: fit a power law to outcomes across replications (Clauset, Shalizi and Newman 2009).

Uses the ``powerlaw`` package (Alstott, Bullmore and Plenz 2014): ``xmin`` by minimising the
Kolmogorov-Smirnov distance, ``alpha`` by maximum likelihood above it, and normalised
log-likelihood ratio tests against other heavy-tailed and light-tailed candidates.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np

from sim.experiments.statistics import Z95


@dataclass(frozen=True)
class TailFit:
    """A power-law fit of the upper tail and its comparison with other distributions.

    ``R`` is the normalised log-likelihood ratio (positive: the power law fits better) and ``p``
    the significance of its sign; ``p`` above 0.05 means the data cannot tell the two apart.
    """

    alpha: float
    alpha_low: float
    alpha_high: float
    xmin: float
    n_tail: int
    n: int
    r_lognormal: float
    p_lognormal: float
    r_exponential: float
    p_exponential: float

    @property
    def heavy(self) -> bool:
        """True if the power law beats the exponential significantly (a tail heavier than exponential)."""
        return self.r_exponential > 0 and self.p_exponential < 0.05


def fit_tail(values: np.ndarray, xmin: float | None = None) -> TailFit:
    """Fit a continuous power law to the positive ``values`` and compare it with alternatives.

    Parameters
    ----------
    values
        One number per replication (e.g. deaths); zeros and missing values are left out.
    xmin
        Lower bound of the tail; by default estimated (minimum Kolmogorov-Smirnov distance).

    Returns
    -------
    TailFit
        ``alpha`` with a normal-approximation 95 % CI from its standard error, ``xmin``, the number
        of values in the tail and in total, and the (R, p) of the comparisons with a lognormal and
        an exponential distribution.
    """
    import powerlaw

    data = np.asarray(values, dtype=np.float64)
    data = data[np.isfinite(data) & (data > 0)]
    if len(data) < 10:
        raise ValueError(f"a tail fit needs at least 10 positive values, got {len(data)}")
    with warnings.catch_warnings(), np.errstate(divide="ignore", invalid="ignore"):
        warnings.simplefilter("ignore")
        fit = powerlaw.Fit(data, xmin=xmin, verbose=False)
        r_log, p_log = fit.distribution_compare("power_law", "lognormal", normalized_ratio=True)
        r_exp, p_exp = fit.distribution_compare("power_law", "exponential", normalized_ratio=True)
    alpha = float(fit.power_law.alpha)
    half = Z95 * float(fit.power_law.standard_err)
    n_tail = int(np.sum(data >= fit.power_law.xmin))
    return TailFit(alpha, alpha - half, alpha + half, float(fit.power_law.xmin), n_tail, len(data),
                   _number(r_log), _number(p_log), _number(r_exp), _number(p_exp))  # fmt: skip


def _number(x: float) -> float:
    return float(x) if x is not None and math.isfinite(float(x)) else math.nan

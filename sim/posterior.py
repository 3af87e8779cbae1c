"""Parameter uncertainty in a run: replication ``r`` takes the model parameters of one particle of a
posterior (``r2p fit``), drawn by weight from a key of the root seed and ``r`` alone.

The draw depends on neither the strategy nor the batch, so strategy comparisons stay paired: a
replication has the same parameters and the same dice under every strategy.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.rng import stream
from sim.scenario import Scenario
from sim.strategy import Strategy

_SALT = np.uint64(0xD1B54A32D192ED03)
"""Separates the draw's key from the replication's dice (which hash the same stream key)."""


@dataclass(frozen=True, eq=False)
class Posterior:
    """Weighted particles over model parameters: ``values[k, j]`` is particle ``k``'s value of ``keys[j]``
    (each ``scenario.model.PARAMETER``)."""

    keys: tuple[str, ...]
    values: np.ndarray
    weights: np.ndarray
    source: str = ""

    def draws(self, seed: int, first: int, reps: int) -> np.ndarray:
        """Particle of each replication ``first .. first + reps - 1``: weighted by inverting the
        cumulative weights at a uniform number keyed by ``seed`` and the replication alone."""
        keys = np.array([stream(seed, r) for r in range(first, first + reps)], dtype=np.uint64)
        with np.errstate(over="ignore"):
            z = keys ^ _SALT
            z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
            z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
            z ^= z >> np.uint64(31)
        u = (z >> np.uint64(11)).astype(np.float64) * 2.0**-53
        cumulative = np.cumsum(self.weights / self.weights.sum())
        return np.minimum(np.searchsorted(cumulative, u, side="right"), len(self.weights) - 1).astype(np.int64)

    def without(self, keys: set[str]) -> Posterior:
        """The same particles and weights (so the same draws) without the parameters ``keys``: a run
        over it keeps its scenario's values of them."""
        keep = [j for j, key in enumerate(self.keys) if key not in keys]
        return Posterior(tuple(self.keys[j] for j in keep), self.values[:, keep], self.weights, self.source)

    def scenario(self, scenario: Scenario, strategy: Strategy, k: int) -> Scenario:
        """``scenario`` with particle ``k``'s parameter values set (checked as in a file)."""
        from sim.schema.registry import lookup

        for key, value in zip(self.keys, self.values[k], strict=True):
            scenario, strategy = lookup(key).apply(scenario, strategy, float(value), self.source or "posterior")
        return scenario

    def parameter_rows(self, scenario: Scenario, strategy: Strategy) -> np.ndarray:
        """The kernel's parameter vector of every particle under ``scenario`` and ``strategy``."""
        rows = [strategy.apply_switches(self.scenario(scenario, strategy, k).parameter_vector())
                for k in range(len(self.weights))]  # fmt: skip
        return np.stack(rows)

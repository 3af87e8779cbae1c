"""Samples of an experiment's uncertain inputs (``[uncertain]``) and levers (``[levers]``).

Each input is a settable field (a dotted key of :mod:`sim.schema.registry`) with a range
(``low``, ``high``: uniform; whole values, each equally likely, for an integer field) or a list of
``values`` (equally likely). Three samplers (:func:`sample`):

- ``latin_hypercube``: ``scipy.stats.qmc.LatinHypercube`` draws ``samples`` points in the unit
  cube, one coordinate per input;
- ``sobol``: ``scipy.stats.qmc.Sobol`` (scrambled) draws ``samples`` points, a power of 2 (the
  sequence is balanced only then);
- ``full_factorial``: every combination of each input's levels (:meth:`Uncertain.levels`), the
  last input innermost.

The random samplers use a generator seeded with the given seed: the same file gives the same
samples on every machine and every run.
"""

from __future__ import annotations

import functools
import itertools
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.stats import qmc


@dataclass(frozen=True)
class Uncertain:
    """One uncertain input: a dotted key, with ``low``/``high`` or ``values``."""

    key: str
    low: float = 0.0
    high: float = 0.0
    integer: bool = False
    values: tuple[Any, ...] = ()

    def value(self, u: float) -> Any:
        """The field value for the unit-interval coordinate ``u`` (0 <= u < 1)."""
        if self.values:
            return self.values[min(int(u * len(self.values)), len(self.values) - 1)]
        if self.integer:
            low, high = int(self.low), int(self.high)
            return low + min(math.floor(u * (high - low + 1)), high - low)
        return float(self.low + u * (self.high - self.low))

    def described(self) -> dict[str, object]:
        """The input's range or values, as JSON (for the manifest)."""
        if self.values:
            return {"values": list(self.values)}
        return {"low": self.low, "high": self.high, "integer": self.integer}

    def levels(self, count: int) -> tuple[Any, ...]:
        """The values of a full factorial design: every value of a categorical input; ``count``
        evenly spaced values from ``low`` to ``high`` (the midpoint if ``count`` is 1) of a numeric
        one, rounded and without repeats for an integer field."""
        if self.values:
            return self.values
        spaced = np.linspace(self.low, self.high, count) if count > 1 else np.array([(self.low + self.high) / 2])
        if self.integer:
            return tuple(dict.fromkeys(int(v) for v in np.round(spaced)))
        return tuple(float(v) for v in spaced)


Sample = tuple[tuple[str, Any], ...]
"""One sample: ``(key, value)`` per input."""


def sample(inputs: tuple[Uncertain, ...], sampler: str, samples: int, levels: int, seed: int) -> list[Sample]:
    """Samples of ``inputs`` by ``sampler`` (``latin_hypercube``, ``sobol``: ``samples`` draws from
    a generator seeded with ``seed``; ``full_factorial``: every combination of ``levels`` levels).

    With no inputs there is one empty sample, so that crossing with it changes nothing.
    """
    if not inputs:
        return [()]
    if sampler == "full_factorial":
        keys = [i.key for i in inputs]
        combos = itertools.product(*(i.levels(levels) for i in inputs))
        return [tuple(zip(keys, combo, strict=True)) for combo in combos]
    engines = {"latin_hypercube": qmc.LatinHypercube, "sobol": functools.partial(qmc.Sobol, scramble=True)}
    cube = engines[sampler](d=len(inputs), rng=np.random.default_rng(seed)).random(samples)
    return [tuple((i.key, i.value(float(u))) for i, u in zip(inputs, row, strict=True)) for row in cube]


def design_size(inputs: tuple[Uncertain, ...], sampler: str, samples: int, levels: int) -> int:
    """How many samples :func:`sample` gives (without drawing them)."""
    if not inputs:
        return 1
    if sampler == "full_factorial":
        return math.prod(len(i.levels(levels)) for i in inputs)
    return samples

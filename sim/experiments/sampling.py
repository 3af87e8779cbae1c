"""Latin hypercube samples of an experiment's uncertain inputs (``[uncertain]``).

Each input is a settable field (a dotted key of :mod:`sim.schema.registry`) with a range
(``low``, ``high``: uniform; whole values, each equally likely, for an integer field) or a list of
``values`` (equally likely). ``scipy.stats.qmc.LatinHypercube`` draws ``samples`` points in the
unit cube, one coordinate per input, from a generator seeded with the experiment's root seed: the
same file gives the same samples on every machine and every run.
"""

from __future__ import annotations

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


def latin_hypercube(inputs: tuple[Uncertain, ...], samples: int, seed: int) -> list[tuple[tuple[str, Any], ...]]:
    """``samples`` Latin hypercube draws of ``inputs``: per sample, ``(key, value)`` per input."""
    if not inputs:
        return [()]
    cube = qmc.LatinHypercube(d=len(inputs), rng=np.random.default_rng(seed)).random(samples)
    return [tuple((i.key, i.value(float(u))) for i, u in zip(inputs, row, strict=True)) for row in cube]

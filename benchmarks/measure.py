"""Helpers shared by the benchmark scripts: side-by-side repeats and progress lines."""

from __future__ import annotations

import math
import sys
import time
from collections.abc import Callable


def best_of(repeats: int, measures: dict[str, Callable[[], float]]) -> dict[str, float]:
    """Run the measures in turn ``repeats`` times; the smallest result of each."""
    best = {name: math.inf for name in measures}
    for _ in range(repeats):
        for name, measure in measures.items():
            best[name] = min(best[name], measure())
    return best


def progress(message: str) -> None:
    """Say on stderr what is being measured (reports go to stdout)."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)

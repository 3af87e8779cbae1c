"""Bounds on run sizes and identifiers, in one place for every input (files, flags, pages, API)."""

from __future__ import annotations

MAX_REPS = 100_000_000
"""Most replications in one run or per design point."""

MAX_SEED = 2**63 - 1
"""Largest root seed (seeds are whole numbers from 0)."""

MAX_WEEKS = 5200
"""Longest horizon, in weeks (100 years)."""

MAX_STATES = 200
"""Most states in one scenario."""

MAX_DELAY = 520
"""Longest strategy delay of an instrument, in weeks."""

ENGINES = ("numba", "mesa")
"""The engines a run may use: the Numba Monte Carlo kernel and the Mesa model."""

MIN_VALIDATION_REPS = 100
"""Fewest replications per arm of a validation run: below, some facts (the tail fit, rate ratios) have too
few events."""

MIN_CALIBRATION_REPS = 10
"""Fewest replications per arm of a calibration run."""

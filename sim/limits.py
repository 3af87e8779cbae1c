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

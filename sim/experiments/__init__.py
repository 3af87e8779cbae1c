"""Experiments on top of the model: statistics now; designs, execution and storage later."""

COMPARE_FORMATS = ("text", "markdown", "csv")
"""The forms of :func:`sim.experiments.compare.format_comparison` (here, so that ``r2p compare --help``
loads no pandas)."""

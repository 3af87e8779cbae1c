"""Experiments on top of the model: statistics now; designs, execution and storage later."""

"""R2P simulator: mass-atrocity escalation and international response under the UN
Responsibility to Protect, as an agent-based model with a Mesa engine and a Numba engine."""

import sim.jit  # noqa: F401  (sets the Numba cache folder before anything compiles)
from sim.config import InputError
from sim.scenario import Scenario, load_scenario
from sim.simulate import simulate
from sim.strategy import Strategy, load_strategy

__all__ = ["InputError", "Scenario", "Strategy", "load_scenario", "load_strategy", "simulate"]
__version__ = "0.1.0"

"""The two engines that run the shared rules: a Numba Monte Carlo kernel and a Mesa model."""

import sim.jit  # noqa: F401  (before the engines import Numba: it sets Numba's cache folder)

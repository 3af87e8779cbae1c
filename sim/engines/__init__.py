"""The two engines that run the shared rules: a Numba Monte Carlo kernel and a Mesa model."""

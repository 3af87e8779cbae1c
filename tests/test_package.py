"""The ``sim`` package: its public names load on first use, and Numba always after :mod:`sim.jit`."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


def _run(code: str) -> str:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()


def test_import_sim_loads_no_engine_and_public_names_resolve() -> None:
    code = """
import sys, sim
print("numba" in sys.modules, "pandas" in sys.modules)
from sim import InputError, Scenario, Strategy, load_scenario, load_strategy
print(sim.load_scenario is load_scenario, InputError.__module__, Scenario.__name__, Strategy.__name__)
"""
    assert _run(code).splitlines() == ["False False", "True sim.config Scenario Strategy"]


def test_simulate_stays_the_function_once_its_module_is_imported() -> None:
    code = """
import sim
import sim.experiments.runner  # imports the module sim.simulate first
from sim import simulate
print(sim.simulate is simulate, simulate.__module__, len(sim.simulate("fragile_region", "no_response", 2, weeks=2)))
"""
    assert _run(code) == "True sim.simulate 2"


@pytest.mark.parametrize("module", ["sim.simulate", "sim.experiments.runner", "sim.engines.mesa_model"])
def test_numba_loads_after_sim_jit(module: str) -> None:
    # sim.jit switches Intel SVML off before Numba reads its settings, which Numba does once, on import
    env = {k: v for k, v in os.environ.items() if k != "NUMBA_DISABLE_INTEL_SVML"}
    code = f"import {module}, numba; print(numba.config.DISABLE_INTEL_SVML)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert done.stdout.strip() == "1"

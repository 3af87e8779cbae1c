"""R2P simulator: mass-atrocity escalation and international response under the UN
Responsibility to Protect, as an agent-based model with a Mesa engine and a Numba engine.

The public names below are imported on first use (PEP 562), so ``import sim`` and the ``r2p``
command's help load neither Numba nor pandas. Every module that imports Numba imports
:mod:`sim.jit` first, which sets the Numba cache folder.
"""

from __future__ import annotations

import importlib
import sys
import types

_PUBLIC = {
    "InputError": "sim.config",
    "Scenario": "sim.scenario",
    "load_scenario": "sim.scenario",
    "simulate": "sim.simulate",
    "Strategy": "sim.strategy",
    "load_strategy": "sim.strategy",
}
"""Each public name and the module that defines it."""

__all__ = sorted(_PUBLIC)
__version__ = "0.1.0"


class _Package(types.ModuleType):
    """The ``sim`` package: ``sim.simulate`` stays the function when its module ``sim.simulate`` is
    first imported (the import system binds a submodule to its package's attribute of that name)."""

    def __setattr__(self, name: str, value: object) -> None:
        if name == "simulate" and isinstance(value, types.ModuleType):
            value = value.simulate
        super().__setattr__(name, value)


def __getattr__(name: str) -> object:
    """Import a public name on first use."""
    if name not in _PUBLIC:
        raise AttributeError(f"module 'sim' has no attribute {name!r}")
    value = getattr(importlib.import_module(_PUBLIC[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_PUBLIC})


sys.modules[__name__].__class__ = _Package

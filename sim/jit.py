"""Numba compilation settings shared by every compiled function of the model.

Numba's on-disk cache checks only the source file of the function it caches, not the files of
the functions it calls, so an edited rule could leave a stale compiled kernel behind. The cache
therefore lives in a folder named after a fingerprint of the compiled source: every module that
uses these decorators and every ``sim`` module those import, transitively. Editing any of them
gives a fresh cache; editing the CLI, the experiments or the view does not recompile the model.
``NUMBA_CACHE_DIR``, if set, is respected as given.

Import this module before Numba is imported anywhere else (``import sim`` does).
"""

from __future__ import annotations

import hashlib
import os
import re
from functools import partial
from pathlib import Path

# Intel SVML would give vectorised loops in the kernel other last bits for exp, log, sin and cos
# than the scalar calls the Mesa engine makes; without it both use the same libm.
os.environ.setdefault("NUMBA_DISABLE_INTEL_SVML", "1")

import numba  # after the SVML switch
from numba import njit

_IMPORT = re.compile(r"^(?:from|import) (sim(?:\.\w+)*)", re.MULTILINE)


def _compiled_sources(package: Path) -> list[Path]:
    """Modules that use the decorators below, with the ``sim`` modules they import, transitively."""
    root = package.parent
    todo = [p for p in package.rglob("*.py") if "from sim.jit import" in p.read_text()]
    seen = {package / "jit.py"}
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        for name in _IMPORT.findall(path.read_text()):
            module = root.joinpath(*name.split("."))
            for candidate in (module.with_suffix(".py"), module / "__init__.py"):
                if candidate.is_file():
                    todo.append(candidate)
    return sorted(seen)


def _digest(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


if "NUMBA_CACHE_DIR" not in os.environ:
    _base = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    numba.config.CACHE_DIR = str(_base / "r2p-sim" / "numba" / _digest(_compiled_sources(Path(__file__).parent)))

rule = partial(njit, cache=True, _nrt=False, forceinline=True)
"""Decorator for a model rule: compiled and cached, without reference counting.

Rules never allocate, so they need no NRT; without it, passing the state arrays to a rule costs
nothing. ``forceinline`` makes LLVM inline every rule into its caller, down to the kernel's loops.
(Numba's own inliner, ``inline="always"``, gives the same code but deep-copies each callee's IR
at every call site: a cold compile took about 75 s with it, about 23 s without.) The arithmetic
is unchanged, so the Mesa engine, which calls the same rules one at a time, gets bit-identical
results.
"""

jit = partial(njit, cache=True)
"""Decorator for compiled functions that allocate (engines, initialisation)."""

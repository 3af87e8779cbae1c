"""The layers: model (``sim/`` model modules) <- experiments <- surfaces (``sim/cli``, ``sim/view``, ``sim/ema.py``)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SIM = Path(__file__).resolve().parents[1] / "sim"
SURFACES = ("sim.cli", "sim.view", "sim.ema")
FORBIDDEN = {"model": ("sim.experiments", *SURFACES), "experiments": SURFACES}


def _layer(path: Path) -> str:
    part = path.relative_to(SIM).parts[0]
    return {"experiments": "experiments", "cli": "cli", "view": "view", "ema.py": "ema"}.get(part, "model")


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


@pytest.mark.parametrize("path", sorted(SIM.rglob("*.py")), ids=lambda p: str(p.relative_to(SIM)))
def test_no_import_points_back_to_an_outer_layer(path: Path) -> None:
    outer = FORBIDDEN.get(_layer(path), ())
    backwards = sorted(n for n in _imports(path) if any(n == o or n.startswith(f"{o}.") for o in outer))
    assert not backwards, f"{path.relative_to(SIM)} ({_layer(path)}) imports {backwards}"
    if _layer(path) == "experiments":
        assert "argparse" not in _imports(path), "command-line parsing belongs in sim/cli"

"""The notebooks in ``notebooks/`` run top to bottom and are committed without outputs.

Each notebook runs in a fresh ``python3`` kernel of the current interpreter (jupyter_client starts
a kernel spec whose command is ``python`` with ``sys.executable``), with a temporary working
directory, so a run writes nothing into the repository.
"""

from __future__ import annotations

import time
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))
TIMEOUT = 300
"""Seconds allowed per cell (the first cell that simulates may compile the Numba kernel)."""


def test_notebooks_exist() -> None:
    names = [path.name for path in NOTEBOOKS]
    assert names == [
        "01_quickstart.ipynb",
        "02_intervention_timing.ipynb",
        "03_veto_restraint.ipynb",
        "04_early_warning.ipynb",
        "05_sensitivity.ipynb",
        "06_custom_agents.ipynb",
        "07_posterior.ipynb",
        "08_discovery.ipynb",
        "09_robust_timing.ipynb",
        "10_ema_workbench.ipynb",
    ]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[path.stem for path in NOTEBOOKS])
def test_committed_without_outputs(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{path.name}: clear the outputs"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[path.stem for path in NOTEBOOKS])
def test_notebook_runs(path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Execute every cell; a cell that raises fails the test with the cell's traceback."""
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook, kernel_name="python3", timeout=TIMEOUT, resources={"metadata": {"path": str(tmp_path)}}
    )
    start = time.perf_counter()
    client.execute()
    with capsys.disabled():
        print(f"\n    {path.name}: {time.perf_counter() - start:.1f} s")
    assert not list(tmp_path.iterdir()), "notebooks write only into temporary folders of their own"

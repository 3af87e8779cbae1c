"""``r2p discover``: a sweep with uncertain inputs, then scenario discovery, from the command line."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from sim.cli import main
from sim.experiments.design import load_experiment
from sim.experiments.sweep import sweep

TINY = """
[experiment]
name = "tiny_discovery"
seed = 2
reps = 20
weeks = 52
scenarios = ["fragile_region"]
strategies = ["no_response"]
samples = 16
sampler = "sobol"

[uncertain]
"scenario.model.shock_sd" = { low = 0.0, high = 0.12 }
"scenario.states.Eastmarch.leadership" = { values = ["resilient", "determined"] }
"""


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("cli_discover")
    (root / "tiny.toml").write_text(TINY)
    return sweep(load_experiment(root / "tiny.toml"), root / "results", progress=None)


def test_discover_writes_its_files_and_the_folder_stays_sound(
    results: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    inputs = json.loads((results / "manifest.json").read_text())["inputs"]
    assert set(inputs) == {"uncertain", "levers"} and inputs["levers"] == {}
    assert inputs["uncertain"]["scenario.model.shock_sd"] == {"low": 0.0, "high": 0.12, "integer": False}
    assert main(["discover", str(results), "--where", "deaths > 30000 and onset"]) == 0
    assert "discovery:" in capsys.readouterr().out
    cases = pd.read_csv(results / "discovery" / "cases.csv")
    assert len(cases) == 16 and {"scenario.model.shock_sd", "of_interest", "share"} <= set(cases.columns)
    assert (results / "discovery" / "report.md").read_text().startswith("# Scenario discovery: tiny_discovery")
    assert main(["sweep", "--verify", str(results)]) == 0


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--where", "deaths >> 2"], "r2p: error: --where: 'deaths >> 2' is not allowed"),
        (["--where", "open('x')"], "r2p: error: --where: \"open('x')\" is not allowed"),
        (["--where", "deaths > 0", "--share", "2"], "'2' is not allowed; allowed: a number from 0 to 1"),
        (["--where", "deaths > 30000", "--box", "9999"], "--box: 9999 is not on the peeling trajectory"),
    ],
)
def test_bad_discover_input_is_one_line_and_writes_nothing(
    argv: list[str], expected: str, results: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    try:
        status = main(["discover", str(results), *argv, "--out", str(out)])
    except SystemExit as stop:
        status = stop.code
    captured = capsys.readouterr()
    assert status == 2 and captured.out == "" and len(captured.err.strip().splitlines()) == 1, captured.err
    assert expected in captured.err and not out.exists()


def test_a_sweep_without_uncertain_inputs_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "plain.toml"
    path.write_text(TINY.split("samples")[0])
    folder = sweep(load_experiment(path), tmp_path / "plain", reps=2, progress=None)
    assert main(["discover", str(folder), "--where", "deaths > 0"]) == 2
    assert "has no uncertain inputs" in capsys.readouterr().err

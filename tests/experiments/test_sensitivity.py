"""Sensitivity analysis: Sobol and Morris indices of an outcome, from a checked spec file."""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import sim
from sim.cli.sensitivity import add_parser, run
from sim.experiments.sensitivity import load_sensitivity, run_sensitivity

TINY = """[sensitivity]
name = "tiny"
scenario = "fragile_region"
strategy = "no_response"
outcome = "deaths"
reps_per_sample = 50
samples = 8
seed = 5
method = ["sobol", "morris"]

[[parameters]]
key = "scenario.model.onset_hazard"
low = 0.002
high = 0.03

[[parameters]]
key = "scenario.model.assembly_effect"
low = 0.1
high = 1.0
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sensitivity.toml"
    path.write_text(text)
    return path


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, Path]:
    folder = tmp_path_factory.mktemp("tiny")
    spec = load_sensitivity(_write(folder, TINY))
    return run_sensitivity(spec, folder / "out", progress=False), folder / "out"


def test_tiny_spec_gives_one_finite_row_per_parameter_and_writes_files(tiny: tuple[dict, Path]) -> None:
    tables, out = tiny
    keys = ["scenario.model.onset_hazard", "scenario.model.assembly_effect"]
    assert set(tables) == {"sobol", "morris"}
    for method, columns in {"sobol": ["S1", "S1_conf", "ST", "ST_conf"],
                            "morris": ["mu_star", "sigma", "mu_star_conf"]}.items():  # fmt: skip
        table = tables[method]
        assert list(table["parameter"]) == keys
        assert np.isfinite(table[columns].to_numpy()).all()
        for name in (f"{method}.csv", f"{method}.png", f"{method}_samples.csv"):
            assert (out / name).stat().st_size > 0
    assert (out / "manifest.json").is_file()
    assert not list(out.glob(".*.tmp"))


def test_inert_parameter_has_near_zero_indices_and_onset_hazard_dominates(tiny: tuple[dict, Path], report) -> None:
    # With no response the General Assembly never acts: assembly_effect cannot change anything,
    # and with common random numbers its effect is exactly zero, not merely small.
    sobol = tiny[0]["sobol"].set_index("parameter")
    morris = tiny[0]["morris"].set_index("parameter")
    inert, live = "scenario.model.assembly_effect", "scenario.model.onset_hazard"
    report(f"ST {live} {sobol.loc[live, 'ST']:.2f} vs {inert} {sobol.loc[inert, 'ST']:.3f}")
    assert abs(sobol.loc[inert, "ST"]) < 0.02
    assert sobol.loc[live, "ST"] > 0.5
    assert morris.loc[inert, "mu_star"] == pytest.approx(0, abs=1e-9)
    assert morris.loc[live, "mu_star"] > 0


def test_integer_inputs_are_rounded_and_cover_both_ends(tmp_path: Path) -> None:
    text = TINY.replace('strategy = "no_response"', 'strategy = "three_pillar_flexible"') + (
        '\n[[parameters]]\nkey = "strategy.pillar3.delay"\nlow = 0\nhigh = 3\n'
    )
    spec = load_sensitivity(_write(tmp_path, text))
    delay = spec.inputs[2]
    assert delay.integer
    values = [delay.value(x) for x in np.linspace(*delay.bounds(), 101)]
    assert set(values) == {0, 1, 2, 3}
    scenario, strategy = spec.apply(np.array([0.01, 0.5, 2.4]))
    assert scenario.params["onset_hazard"] == 0.01
    assert {s.delay for k, s in enumerate(strategy.settings) if sim.concepts.INSTRUMENTS[k].pillar == 3} == {2}


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("seed = 5", "seed = 5\nbogus = 1", "sensitivity.bogus: unknown field"),
        ('key = "scenario.model.assembly_effect"', 'key = "scenario.model.no_such"', "parameters[1].key"),
        ('key = "scenario.model.assembly_effect"', 'key = "strategy.pillar7.delay"', "parameters[1].key"),
        ('key = "scenario.model.assembly_effect"', 'key = "strategy.veto_restraint"', "parameters[1].key"),
        ("high = 1.0", "high = 0.1", "parameters[1].high"),
        ("high = 1.0", "high = 1.5", "parameters[1].high"),
        ('outcome = "deaths"', 'outcome = "happiness"', "sensitivity.outcome"),
        ("samples = 8", "samples = 12", "sensitivity.samples"),
        ('method = ["sobol", "morris"]', 'method = ["fast"]', "sensitivity.method"),
        ('strategy = "no_response"', 'strategy = "nonsense"', "sensitivity.strategy"),
        ("reps_per_sample = 50", "reps_per_sample = 0", "sensitivity.reps_per_sample"),
    ],
)
def test_bad_spec_is_one_line_naming_file_and_field(tmp_path: Path, old: str, new: str, field: str) -> None:
    assert old in TINY
    path = _write(tmp_path, TINY.replace(old, new, 1))
    with pytest.raises(sim.InputError) as caught:
        load_sensitivity(path)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: ")
    assert field in message


def test_integer_field_needs_whole_bounds(tmp_path: Path) -> None:
    text = TINY + '\n[[parameters]]\nkey = "strategy.pillar3.delay"\nlow = 0.5\nhigh = 4\n'
    with pytest.raises(sim.InputError, match=r"parameters\[2\]\.low: 0.5 is not a whole number"):
        load_sensitivity(_write(tmp_path, text))


def test_shipped_spec_loads() -> None:
    spec = load_sensitivity("sensitivity")
    assert spec.scenario.name == "fragile_region"
    assert spec.strategy.name.startswith("three_pillar_flexible")
    assert set(spec.methods) == {"sobol", "morris"}
    assert len(spec.inputs) == 5
    assert spec.samples & (spec.samples - 1) == 0


def test_cli_subcommand(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    parser = argparse.ArgumentParser(prog="r2p")
    add_parser(parser.add_subparsers(dest="command"))
    text = TINY.replace("samples = 8", "samples = 2").replace('["sobol", "morris"]', '["morris"]')
    args = parser.parse_args(["sensitivity", str(_write(tmp_path, text)), "--out", str(tmp_path / "out")])
    run(args)
    assert "mu_star" in capsys.readouterr().out
    assert (tmp_path / "out" / "morris.csv").is_file()


def test_killed_sensitivity_resumes_to_identical_indices(tmp_path: Path) -> None:
    text = TINY.replace("reps_per_sample = 50", "reps_per_sample = 4000")
    path = _write(tmp_path, text)
    command = [sys.executable, "-m", "sim.cli", "sensitivity", str(path), "--out", str(tmp_path / "killed")]
    run = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    chunks = tmp_path / "killed" / "chunks"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and run.poll() is None and len(list(chunks.glob("*.parquet"))) < 3:
        time.sleep(0.02)
    killed_mid_run = run.poll() is None
    os.kill(run.pid, signal.SIGKILL)
    run.wait()
    assert subprocess.run(command, capture_output=True).returncode == 0
    straight = run_sensitivity(load_sensitivity(path), tmp_path / "straight", progress=False)
    for method, table in straight.items():
        pd.testing.assert_frame_equal(pd.read_csv(tmp_path / "killed" / f"{method}.csv"), pd.read_csv(
            tmp_path / "straight" / f"{method}.csv"))  # fmt: skip
        assert np.isfinite(table.drop(columns="parameter").to_numpy()).all()
    assert killed_mid_run, "the run finished before it could be killed; use more replications"


def test_same_indices_whatever_the_workers_and_chunks(tmp_path: Path) -> None:
    spec = load_sensitivity(_write(tmp_path, TINY))
    one = run_sensitivity(spec, tmp_path / "one", progress=False, workers=1)
    two = run_sensitivity(spec, tmp_path / "two", progress=False, workers=2, chunk=7)
    for method in one:
        pd.testing.assert_frame_equal(one[method], two[method])
    assert json.loads((tmp_path / "two" / "manifest.json").read_text())["digest"] == spec.digest

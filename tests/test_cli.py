"""The ``r2p`` command: results, listings, and one-line errors for every kind of bad input."""

from __future__ import annotations

import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pandas as pd
import pytest

from sim.cli import main
from sim.config import REPO_ROOT

SCENARIO = (REPO_ROOT / "scenarios" / "fragile_region.toml").read_text()
STRATEGY = (REPO_ROOT / "strategies" / "early_prevention.toml").read_text()


def _error_line(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    try:
        status = main(argv)
    except SystemExit as stop:
        status = stop.code
    captured = capsys.readouterr()
    assert status == 2
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert "Traceback" not in captured.err
    return lines[0]


def test_run_prints_summary_and_writes_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "result.parquet"
    assert main(["run", "fragile_region", "--strategy", "early_prevention", "--reps", "200", "--seed", "3",
                 "--out", str(out)]) == 0  # fmt: skip
    text = capsys.readouterr().out
    assert "95% CI" in text and "deaths" in text and "200 replications" in text
    table = pd.read_parquet(out)
    assert len(table) == 200 and table["replication"].tolist() == list(range(200))
    assert [p.name for p in tmp_path.iterdir()] == ["result.parquet"], "no temporary files left behind"


def test_mesa_engine_and_veto_flag(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "fragile_region", "--strategy", "reactive_coercion", "--reps", "3", "--engine", "mesa",
                 "--veto-restraint"]) == 0  # fmt: skip
    assert "veto restraint on" in capsys.readouterr().out


def test_listings_name_every_shipped_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scenarios"]) == 0
    assert "fragile_region" in capsys.readouterr().out
    assert main(["strategies"]) == 0
    listed = capsys.readouterr().out
    for preset in ("no_response", "pillar1_only", "early_prevention", "reactive_coercion", "three_pillar_flexible"):
        assert preset in listed


SCENARIO_ERRORS = {
    "unknown key": (SCENARIO.replace("weeks = 104", "weeks = 104\ncolour = 'red'"), "scenario.colour", "weeks"),
    "wrong type": (SCENARIO.replace("weeks = 104", "weeks = 'long'"), "scenario.weeks", "an integer"),
    "out of range": (SCENARIO.replace("vulnerable_share = 0.12", "vulnerable_share = 1.5"),
                     "states[0].vulnerable_share", "from 0 to 1"),
    "bad choice": (SCENARIO.replace('leadership = "resilient"', 'leadership = "strong"', 1),
                   "states[0].leadership", "resilient, divided, determined"),
    "unknown neighbour": (SCENARIO.replace('"Eastmarch", "Westvale", "Highmoor"]', '"Atlantis"]'),
                          "states[0].neighbours", "Northland"),
    "unknown model parameter": (SCENARIO + "\n[model]\nshock_size = 2\n", "model.shock_size", "shock_sd"),
    "model parameter out of range": (SCENARIO + "\n[model]\nshock_sd = 7\n", "model.shock_sd", "from 0 to 0.5"),
    "invalid TOML": (SCENARIO.replace("[scenario]", "[scenario"), "invalid TOML", ""),
    "missing table": ("[warning]\nnoise = 0.1\n", "scenario: missing", ""),
}  # fmt: skip


@pytest.mark.parametrize("case", SCENARIO_ERRORS)
def test_bad_scenario_file_gives_one_line(case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text, field, allowed = SCENARIO_ERRORS[case]
    path = tmp_path / "bad.toml"
    path.write_text(text)
    out = tmp_path / "out.parquet"
    line = _error_line(capsys, ["run", str(path), "--reps", "5", "--out", str(out)])
    assert str(path) in line and field in line and allowed in line
    assert not out.exists()


STRATEGY_ERRORS = {
    "unknown instrument": (STRATEGY + "\n[instruments.airstrikes]\ntrigger = 0.5\n", "instruments.airstrikes",
                           "mediation"),
    "wrong type": (STRATEGY.replace("delay = 1", "delay = 1.5", 1), "pillar1.delay", "an integer"),
    "trigger out of range": (STRATEGY.replace("trigger = 0.35", "trigger = 1.35"), "pillar1.trigger", "from 0 to 1"),
    "unknown key": (STRATEGY.replace("[pillar1]", "[pillar1]\nspeed = 3"), "pillar1.speed", "enabled"),
    "bad switch": (STRATEGY.replace('name = "early_prevention"', 'name = "x"\nveto_restraint = "yes"'),
                   "strategy.veto_restraint", "true, false"),
}  # fmt: skip


@pytest.mark.parametrize("case", STRATEGY_ERRORS)
def test_bad_strategy_file_gives_one_line(case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text, field, allowed = STRATEGY_ERRORS[case]
    path = tmp_path / "bad_strategy.toml"
    path.write_text(text)
    line = _error_line(capsys, ["run", "fragile_region", "--strategy", str(path), "--reps", "5"])
    assert str(path) in line and field in line and allowed in line


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["run", "no_such_scenario"], "no shipped scenario of that name; allowed: "),
        (["run", "missing/file.toml"], "missing/file.toml: file not found"),
        (["run", "fragile_region", "--strategy", "do_everything"], "no shipped strategy of that name"),
        (["run", "fragile_region", "--strategy", "early_prevention+magic"], "allowed: +veto_restraint"),
        (["run", "fragile_region", "--reps", "-5"], "--reps: '-5' is not allowed; allowed: a whole number"),
        (["run", "fragile_region", "--reps", "lots"], "--reps: 'lots' is not allowed"),
        (["run", "fragile_region", "--seed", "-1"], "--seed: '-1' is not allowed"),
        (["run", "fragile_region", "--engine", "netlogo"], "--engine: invalid choice"),
        (["run", "fragile_region", "--out", "result.csv"], "allowed: a file name ending in .parquet"),
    ],
)
def test_bad_flags_give_one_line(argv: list[str], expected: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert expected in _error_line(capsys, argv)


def test_installed_command_reports_without_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(SCENARIO.replace("capacity = 0.7\ntension", "capacity = -1\ntension", 1))
    done = subprocess.run([sys.executable, "-m", "sim.cli", "run", str(bad)], capture_output=True, text=True)
    assert done.returncode == 2
    assert (
        done.stderr.strip()
        == f"r2p: error: {bad}: states[0].capacity: -1 is out of range; allowed: a number from 0 to 1"
    )


def test_set_overrides_a_field_as_the_registry_applies_it(tmp_path: Path) -> None:
    import sim

    out = tmp_path / "set.parquet"
    argv = ["run", "fragile_region", "--strategy", "three_pillar_flexible", "--reps", "30", "--seed", "4"]
    assert main([*argv, "--set", "strategy.pillar3.delay=8", "--out", str(out)]) == 0
    strategy = sim.load_strategy("three_pillar_flexible").with_pillar(3, delay=8)
    expected = sim.simulate("fragile_region", strategy, 30, seed=4)
    assert pd.read_parquet(out)["deaths"].tolist() == expected["deaths"].tolist()
    plain = sim.simulate("fragile_region", "three_pillar_flexible", 30, seed=4)
    assert plain["deaths"].tolist() != expected["deaths"].tolist()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("strategy.pillar3.delay=999", "--set: strategy.pillar3.delay: 999 is out of range; allowed: an integer"),
        ("nonsense", "--set: 'nonsense' is not KEY=VALUE"),
        ("strategy.pillar9.delay=1", "--set: strategy.pillar9.delay:"),
    ],
)
def test_bad_set_gives_one_line(value: str, expected: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "fragile_region", "--reps", "5", "--set", value]) == 2
    err = capsys.readouterr().err
    assert expected in err and err.count("\n") == 1


def test_plain_r2p_prints_the_help_and_version_names_the_release(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: r2p") and "sweep" in out and "compare" in out
    with pytest.raises(SystemExit) as stop:
        main(["--version"])
    assert stop.value.code == 0
    assert capsys.readouterr().out.strip() == f"r2p {metadata.version('r2p-sim')}"


def test_help_and_version_load_no_heavy_module() -> None:
    commands = ["run", "sweep", "compare", "sensitivity", "discover", "plot", "validate", "calibrate", "optimize",
                "view", "scenarios", "strategies", "schema"]  # fmt: skip
    code = f"""
import contextlib, io, sys
from sim.cli import main
for argv in [["--help"], ["--version"], *([c, "--help"] for c in {commands!r})]:
    with contextlib.suppress(SystemExit), contextlib.redirect_stdout(io.StringIO()):
        main(argv)
print(sorted(m for m in ("numba", "pandas", "pyarrow", "mesa", "numpy", "pydantic") if m in sys.modules))
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_run_out_refuses_an_existing_file_and_records_the_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from sim.experiments.store import read_description

    out = tmp_path / "result.parquet"
    out.write_text("the user's")
    argv = ["run", "fragile_region", "--reps", "20", "--seed", "3", "--out", str(out)]
    assert "exists" in _error_line(capsys, argv) and out.read_text() == "the user's"
    assert main([*argv, "--overwrite"]) == 0
    description = read_description(out)
    assert description["version"] == metadata.version("r2p-sim") and description["weeks"] >= 1
    assert {k: description[k] for k in ("scenario", "strategy", "seed", "reps", "engine")} == {
        "scenario": "fragile_region", "strategy": "no_response", "seed": 3, "reps": 20, "engine": "numba"}  # fmt: skip


def test_run_refuses_more_replications_than_memory_holds(capsys: pytest.CaptureFixture[str]) -> None:
    assert "GiB of memory" in _error_line(capsys, ["run", "fragile_region", "--reps", "100000000"])


def test_sweep_verify_says_sound_or_damaged(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from sim.experiments.design import load_experiment
    from sim.experiments.sweep import sweep

    path = tmp_path / "tiny.toml"
    path.write_text('[experiment]\nname = "tiny"\nseed = 1\nreps = 20\nscenarios = ["fragile_region"]\n'
                    'strategies = ["no_response"]\n')  # fmt: skip
    folder = sweep(load_experiment(path), tmp_path / "out", chunk=10, progress=None)
    assert main(["sweep", "--verify", str(folder)]) == 0 and "sound" in capsys.readouterr().out
    next((folder / "chunks").glob("*.parquet")).write_bytes(b"")
    assert main(["sweep", "--verify", str(folder)]) == 2
    assert "empty (zero bytes)" in capsys.readouterr().err


def test_run_help_lists_every_outcome_column_with_its_unit(capsys: pytest.CaptureFixture[str]) -> None:
    from sim.outcome_columns import OUTCOME_TABLE, PER_STATE_TABLE

    with pytest.raises(SystemExit):
        main(["run", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    for o in OUTCOME_TABLE:
        assert f"{o.name} ({o.unit})" in text
    for o in PER_STATE_TABLE:
        assert f"{o.name}[NAME] ({o.unit})" in text


@pytest.mark.parametrize(
    ("address", "expected"),
    [("ucx://127.0.0.1:8786", "the 'ucx' protocol is not supported"), ("tls://127.0.0.1:8786", "no TLS certificates")],
)
def test_scheduler_without_support_or_certificates_is_one_line(
    address: str, expected: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("CA_FILE", "CLIENT__CERT", "CLIENT__KEY"):
        monkeypatch.delenv(f"DASK_DISTRIBUTED__COMM__TLS__{name}", raising=False)
    out = tmp_path / "out"
    argv = ["sweep", "intervention_timing", "--out", str(out), "--reps", "2", "--scheduler", address]
    line = _error_line(capsys, argv)
    assert line.startswith("r2p: error: --scheduler: ") and expected in line
    assert not out.exists()

"""Sweeps: chunked results that match direct simulation, resume after a kill, refuse mixing."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

import sim
from sim.experiments.design import load_experiment
from sim.experiments.sweep import read_outcomes, sweep

EXPERIMENT = """[experiment]
name = "tiny"
seed = 5
reps = {reps}
scenarios = ["fragile_region"]
strategies = ["no_response", "early_prevention"]

[grid]
"strategy.veto_restraint" = [false, true]
"""


def _experiment(tmp_path: Path, reps: int = 250, name: str = "tiny.toml") -> sim.experiments.design.Experiment:
    path = tmp_path / name
    path.write_text(EXPERIMENT.format(reps=reps))
    return load_experiment(path)


def test_sweep_writes_every_replication_once_matching_simulate(tmp_path: Path) -> None:
    experiment = _experiment(tmp_path)
    folder = sweep(experiment, tmp_path / "out", chunk=100, progress=None)
    outcomes = read_outcomes(folder)
    assert len(outcomes) == 4 * 250
    assert not outcomes.duplicated(["point", "replication"]).any()
    for point in experiment.points():
        direct = sim.simulate(point.scenario, point.strategy, 250, seed=experiment.seed)
        stored = read_outcomes(folder, point.index).drop(columns="point")
        pd.testing.assert_frame_equal(stored.sort_values("replication").reset_index(drop=True), direct)
    summary = pd.read_csv(folder / "summary.csv")
    assert set(summary["point"]) == {0, 1, 2, 3} and (summary.loc[summary["outcome"] == "deaths", "n"] == 250).all()
    assert len(list((folder / "chunks").glob("*.parquet"))) == 4 * 3


def test_resume_redoes_only_what_is_missing(tmp_path: Path) -> None:
    experiment = _experiment(tmp_path)
    folder = sweep(experiment, tmp_path / "out", chunk=100, progress=None)
    files = sorted((folder / "chunks").glob("*.parquet"))
    before = {f: (f.stat().st_mtime_ns, f.read_bytes()) for f in files}
    lost = files[5]
    original = pd.read_parquet(lost)
    lost.unlink()
    sweep(experiment, folder, chunk=100, progress=None)
    assert sorted((folder / "chunks").glob("*.parquet")) == files
    for f in files:
        if f != lost:
            assert f.stat().st_mtime_ns == before[f][0], "finished chunks are not redone"
    pd.testing.assert_frame_equal(pd.read_parquet(lost), original)
    assert len(read_outcomes(folder)) == 4 * 250


def test_killed_sweep_resumes_to_the_same_results(tmp_path: Path) -> None:
    path = tmp_path / "big.toml"
    path.write_text(EXPERIMENT.format(reps=40_000))
    command = [sys.executable, "-m", "sim.cli", "sweep", str(path), "--out", str(tmp_path / "killed")]
    run = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    chunks = tmp_path / "killed" / "chunks"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and run.poll() is None and not any(chunks.glob("*.parquet")):
        time.sleep(0.02)
    killed_mid_run = run.poll() is None
    os.kill(run.pid, signal.SIGKILL)
    run.wait()
    assert subprocess.run(command, capture_output=True).returncode == 0
    straight = sweep(load_experiment(path), tmp_path / "straight", progress=None)
    resumed = read_outcomes(tmp_path / "killed").sort_values(["point", "replication"]).reset_index(drop=True)
    expected = read_outcomes(straight).sort_values(["point", "replication"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(resumed, expected)
    assert killed_mid_run, "the run finished before it could be killed; use more replications"


def test_folder_of_another_run_is_refused(tmp_path: Path) -> None:
    folder = sweep(_experiment(tmp_path), tmp_path / "out", chunk=100, progress=None)
    other = _experiment(tmp_path, reps=300, name="other.toml")
    with pytest.raises(sim.InputError, match="holds another run"):
        sweep(other, folder, chunk=100, progress=None)
    with pytest.raises(sim.InputError, match="holds another run"):
        sweep(_experiment(tmp_path), folder, reps=50, chunk=100, progress=None)
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "notes.txt").write_text("mine")
    with pytest.raises(sim.InputError, match="not an empty folder"):
        sweep(_experiment(tmp_path), busy, progress=None)


def test_cli_sweep_bad_experiment_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from sim.cli import main

    bad = tmp_path / "bad.toml"
    bad.write_text(EXPERIMENT.format(reps=-3))
    assert main(["sweep", str(bad), "--out", str(tmp_path / "never")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "experiment.reps" in err[0] and str(bad) in err[0]
    assert not (tmp_path / "never").exists()


def test_dask_local_cluster_gives_the_same_results(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    experiment = _experiment(tmp_path)
    here = sweep(experiment, tmp_path / "here", chunk=100, progress=None)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1") as cluster:
        there = sweep(experiment, tmp_path / "there", chunk=100, progress=None, scheduler=cluster.scheduler_address)
    for name in sorted(p.name for p in (here / "chunks").glob("*.parquet")):
        pd.testing.assert_frame_equal(pd.read_parquet(here / "chunks" / name), pd.read_parquet(there / "chunks" / name))
    assert pd.read_csv(here / "summary.csv").equals(pd.read_csv(there / "summary.csv"))


def test_unreachable_scheduler_is_one_line_and_writes_nothing(tmp_path: Path) -> None:
    with pytest.raises(sim.InputError, match="cannot reach a Dask scheduler"):
        sweep(_experiment(tmp_path), tmp_path / "never", progress=None, scheduler="tcp://127.0.0.1:9")
    assert not (tmp_path / "never").exists()


def test_one_or_two_workers_write_the_same_results(tmp_path: Path) -> None:
    experiment = _experiment(tmp_path)
    one = sweep(experiment, tmp_path / "one", workers=1, chunk=100, progress=None)
    two = sweep(experiment, tmp_path / "two", workers=2, chunk=100, progress=None)
    names = sorted(p.name for p in (one / "chunks").glob("*.parquet"))
    assert names == sorted(p.name for p in (two / "chunks").glob("*.parquet"))
    for name in names:
        pd.testing.assert_frame_equal(pd.read_parquet(one / "chunks" / name), pd.read_parquet(two / "chunks" / name))


def test_rerun_of_a_finished_sweep_is_already_complete_and_keeps_its_times(tmp_path: Path) -> None:
    experiment = _experiment(tmp_path, reps=30)
    folder = sweep(experiment, tmp_path / "out", chunk=10, progress=None)
    before = json.loads((folder / "manifest.json").read_text())
    said: list[str] = []
    sweep(experiment, folder, chunk=10, progress=None, notify=said.append)
    after = json.loads((folder / "manifest.json").read_text())
    assert len(said) == 1 and "already complete" in said[0]
    assert (after["started"], after["finished"]) == (before["started"], before["finished"])
    assert [e["event"] for e in after["events"]] == ["already complete"]


def test_add_reps_continues_the_replications_as_if_run_at_once(tmp_path: Path) -> None:
    experiment = _experiment(tmp_path, reps=25)
    extended = sweep(experiment, tmp_path / "extended", chunk=10, progress=None)
    sweep(experiment, extended, chunk=10, progress=None, add_reps=12)
    once = sweep(experiment, tmp_path / "once", reps=37, chunk=10, progress=None)
    pd.testing.assert_frame_equal(read_outcomes(extended), read_outcomes(once))
    assert read_outcomes(extended, 0)["replication"].tolist() == list(range(37))
    assert (extended / "summary.csv").read_bytes() == (once / "summary.csv").read_bytes()


@pytest.mark.parametrize("damage", ["truncate", "empty", "schema", "delete"])
def test_a_damaged_chunk_is_reported_in_one_line_and_redone_on_resume(tmp_path: Path, damage: str) -> None:
    from sim.experiments.store import verify

    experiment = _experiment(tmp_path, reps=30)
    folder = sweep(experiment, tmp_path / "out", chunk=10, progress=None)
    expected = read_outcomes(folder)
    chunk = sorted((folder / "chunks").glob("*.parquet"))[4]
    if damage == "truncate":
        chunk.write_bytes(chunk.read_bytes()[:100])
    elif damage == "empty":
        chunk.write_bytes(b"")
    elif damage == "schema":
        pd.DataFrame({"other": [1.0] * 10}).to_parquet(chunk)
    else:
        chunk.unlink()
    with pytest.raises(sim.InputError, match=r"r2p sweep .* again to redo it") as error:
        read_outcomes(folder)
    assert "\n" not in str(error.value)
    assert verify(folder)
    sweep(experiment, folder, chunk=10, progress=None)
    assert verify(folder) == []
    pd.testing.assert_frame_equal(read_outcomes(folder), expected)


def test_a_chunk_copied_under_another_name_is_not_counted(tmp_path: Path) -> None:
    from sim.experiments.store import verify

    folder = sweep(_experiment(tmp_path, reps=30), tmp_path / "out", chunk=10, progress=None)
    chunk = sorted((folder / "chunks").glob("*.parquet"))[0]
    (folder / "chunks" / "copy.parquet").write_bytes(chunk.read_bytes())
    assert len(read_outcomes(folder)) == 4 * 30
    assert any("not in the index" in line for line in verify(folder))


def test_a_sweep_over_a_posterior_splits_each_outcomes_uncertainty_and_one_without_has_no_split(
    small_fit: tuple[Path, Path], tmp_path: Path
) -> None:
    from sim.experiments.findings import findings
    from sim.experiments.statistics import uncertainty_table

    _, out = small_fit
    experiment = _experiment(tmp_path, reps=60)
    over = sweep(experiment, tmp_path / "over", chunk=25, progress=None, posterior=out)
    summary = pd.read_csv(over / "summary.csv")
    present = summary[summary["n"] > 0]
    assert present["parameter_share"].between(0, 1).all() and (present["sd"] >= 0).all()
    assert summary.loc[summary["n"] == 0, ["sd", "parameter_share"]].isna().all().all(), "no value, no split"
    deaths = summary[summary["outcome"] == "deaths"].set_index("point")
    table = read_outcomes(over, 1)
    assert deaths.loc[1, "parameter_share"] == pytest.approx(uncertainty_table(table).loc["deaths", "parameter_share"])
    assert table["particle"].dtype == "int64" and table["particle"].nunique() > 1
    assert any("of the variance of deaths across the design points" in line for line in findings(over))
    plain = sweep(experiment, tmp_path / "plain", chunk=25, progress=None)
    columns = pd.read_csv(plain / "summary.csv").columns
    assert "sd" not in columns and "parameter_share" not in columns
    assert "nan" not in (over / "summary.csv").read_text().lower()

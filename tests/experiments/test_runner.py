"""The experiment runner: results that match direct simulation whatever the workers and chunks,
a manifest per folder, resume, and refusal of another run's folder."""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path

import pandas as pd
import pytest

import sim
from sim.experiments import runner
from sim.experiments.design import DesignPoint, apply_setting
from sim.experiments.runner import evaluate, read_outcomes, read_point
from sim.scenario import load_scenario
from sim.strategy import load_strategy

IDENTITY = {"test": "runner", "digest": "abc"}


def _points() -> list[DesignPoint]:
    scenario = load_scenario("fragile_region")
    strategies = [load_strategy("no_response"), load_strategy("early_prevention")]
    return [DesignPoint(k, scenario, s, (("test.arm", s.name),)) for k, s in enumerate(strategies)]


def _run(folder: Path, **options: object) -> Path:
    return evaluate(_points(), 120, 9, folder, identity=IDENTITY, progress=False, **options)


@pytest.mark.parametrize(("workers", "chunk"), [(1, 7), (2, 50), (2, 10_000)])
def test_rows_match_simulate_whatever_the_workers_and_chunks(tmp_path: Path, workers: int, chunk: int) -> None:
    folder = _run(tmp_path / "out", workers=workers, chunk=chunk)
    for point in _points():
        direct = sim.simulate(point.scenario, point.strategy, 120, seed=9)
        pd.testing.assert_frame_equal(read_point(folder, point.index), direct)
    assert len(read_outcomes(folder)) == 2 * 120


def test_manifest_names_the_run_and_records_versions_and_times(tmp_path: Path) -> None:
    folder = _run(tmp_path / "out", chunk=50, info={"source": "here"})
    manifest = json.loads((folder / "manifest.json").read_text())
    assert {k: manifest[k] for k in ("test", "digest", "reps", "seed", "chunk", "points", "source")} == {
        "test": "runner", "digest": "abc", "reps": 120, "seed": 9, "chunk": 50, "points": 2, "source": "here"
    }  # fmt: skip
    assert manifest["started"] <= manifest["finished"] and "numba" in manifest["versions"]
    assert "git_revision" in manifest
    assert pd.read_csv(folder / "design.csv")["test.arm"].tolist() == ["no_response", "early_prevention"]


def test_resume_redoes_only_missing_chunks_and_reports_every_finished_point(tmp_path: Path) -> None:
    folder = _run(tmp_path / "out", chunk=50)
    files = sorted((folder / "chunks").glob("*.parquet"))
    times = {f: f.stat().st_mtime_ns for f in files}
    lost = files[4]
    lost.unlink()
    done: list[int] = []
    _run(folder, chunk=50, finished=done.append)
    assert sorted(done) == [0, 1]
    assert sorted((folder / "chunks").glob("*.parquet")) == files
    assert all(f.stat().st_mtime_ns == times[f] for f in files if f != lost)
    pd.testing.assert_frame_equal(read_point(folder, 1), sim.simulate(_points()[1].scenario, _points()[1].strategy,
                                                                      120, seed=9))  # fmt: skip


def test_folder_of_another_run_is_refused(tmp_path: Path) -> None:
    folder = _run(tmp_path / "out", chunk=50)
    for change in ({"chunk": 60}, {"identity": {**IDENTITY, "digest": "other"}}):
        with pytest.raises(sim.InputError, match="holds another run"):
            evaluate(_points(), 120, 9, folder, progress=False, **{"identity": IDENTITY, "chunk": 50, **change})
    with pytest.raises(sim.InputError, match="holds another run"):
        evaluate(_points(), 120, 10, folder, identity=IDENTITY, chunk=50, progress=False)


def _horizon(point: DesignPoint, first: int, count: int, seed: int, weeks: int | None, scale: int) -> pd.DataFrame:
    table = sim.simulate(point.scenario, point.strategy, count, seed, first=first, weeks=weeks)
    return pd.DataFrame({"replication": table["replication"], "scaled": table["deaths"] * scale})


def test_a_measure_per_point_reduces_each_chunk_before_it_is_written(tmp_path: Path) -> None:
    measures = [partial(_horizon, scale=1), partial(_horizon, scale=2)]
    folder = evaluate(_points(), 30, 9, tmp_path / "out", identity=IDENTITY, measure=measures, chunk=7,
                      weeks=20, progress=False)  # fmt: skip
    for point, scale in zip(_points(), (1, 2), strict=True):
        direct = sim.simulate(point.scenario, point.strategy, 30, seed=9, weeks=20)["deaths"] * scale
        assert list(read_point(folder, point.index).columns) == ["replication", "scaled"]
        assert read_point(folder, point.index)["scaled"].tolist() == direct.tolist()


def test_measures_per_point_run_the_same_on_a_dask_cluster(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    measures = [partial(_horizon, scale=1), partial(_horizon, scale=3)]
    options = {"identity": IDENTITY, "measure": measures, "chunk": 11, "weeks": 20, "progress": False}
    here = evaluate(_points(), 30, 9, tmp_path / "here", **options)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1") as cluster:
        there = evaluate(_points(), 30, 9, tmp_path / "there", scheduler=cluster.scheduler_address, **options)
    pd.testing.assert_frame_equal(read_outcomes(here), read_outcomes(there))


def test_results_of_another_model_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Changed model code or changed inputs (same experiment identity) never resume old results."""
    folder = _run(tmp_path / "out", chunk=50)
    edited = [DesignPoint(p.index, p.scenario.with_params(kill_rate=3e-4), p.strategy, p.settings) for p in _points()]
    with pytest.raises(sim.InputError, match="another model version or of other scenario or strategy files"):
        evaluate(edited, 120, 9, folder, identity=IDENTITY, chunk=50, progress=False)
    monkeypatch.setattr(runner, "code_digest", lambda: "a newer model")
    with pytest.raises(sim.InputError, match="another model version"):
        _run(folder, chunk=50)
    monkeypatch.undo()
    assert _run(folder, chunk=50) == folder  # the same model resumes


def test_points_with_the_same_inputs_are_simulated_once_and_read_as_their_own(tmp_path: Path) -> None:
    scenario, points = load_scenario("fragile_region"), []
    for name in ("no_response", "three_pillar_flexible"):
        for delay in (0, 8):
            _, strategy = apply_setting(scenario, load_strategy(name), "strategy.pillar3.delay", delay)
            points.append(DesignPoint(len(points), scenario, strategy, (("strategy.pillar3.delay", delay),)))
    done: list[int] = []
    folder = evaluate(points, 60, 9, tmp_path / "out", identity=IDENTITY, progress=False, chunk=30,
                      finished=done.append)  # fmt: skip
    assert list(pd.read_csv(folder / "design.csv")["same_as"]) == [0, 0, 2, 3]  # no_response has nothing to delay
    names = sorted({f.name[:11] for f in (folder / "chunks").glob("*.parquet")})
    assert names == ["point-00000", "point-00002", "point-00003"]
    assert sorted(done) == [0, 1, 2, 3]
    for point in points:  # the shared point reads exactly what simulating it would give
        direct = sim.simulate(point.scenario, point.strategy, 60, seed=9)
        pd.testing.assert_frame_equal(read_point(folder, point.index), direct)
    assert list(read_outcomes(folder)["point"].value_counts().sort_index()) == [60] * 4


def test_compile_kernel_says_nothing_once_the_kernel_is_compiled(capsys: pytest.CaptureFixture[str]) -> None:
    sim.simulate("fragile_region", "no_response", 1, weeks=1)
    runner.compile_kernel()
    assert capsys.readouterr().err == ""


def test_resume_deletes_only_the_projects_temporary_files(tmp_path: Path) -> None:
    folder = _run(tmp_path / "out", chunk=50)
    (folder / "sub").mkdir()
    mine = folder / "sub" / ".notes.tmp"
    mine.write_text("keep")
    (folder / "chunks" / ".index.json.r2p-abc123.tmp").write_text("left by a kill")
    _run(folder, chunk=50)
    assert mine.read_text() == "keep"
    assert not list((folder / "chunks").glob("*.tmp"))


@pytest.mark.parametrize("text", ["[]", "{}", "not json"])
def test_a_manifest_r2p_did_not_write_is_one_line(tmp_path: Path, text: str) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "manifest.json").write_text(text)
    with pytest.raises(sim.InputError, match=r"manifest\.json") as error:
        _run(folder, chunk=50)
    assert "\n" not in str(error.value)


def test_an_unusable_out_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    for target, problem in ((tmp_path / "x.parquet", "not a .parquet file"), (tmp_path / "file" / "out", "lies under")):
        with pytest.raises(sim.InputError, match=problem):
            _run(target, chunk=50)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]

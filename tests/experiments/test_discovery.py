"""Scenario discovery (issue 13): a planted structure is found, outputs are reproducible, bad input says so."""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import sim
from sim.experiments.design import DesignPoint, load_experiment
from sim.experiments.discovery import discover, read_cases
from sim.experiments.discovery_report import FILES, write_discovery
from sim.experiments.runner import evaluate
from sim.experiments.sweep import sampled_inputs

A, B = "scenario.model.tension_reversion", "scenario.model.baseline_tension"
C, D = "scenario.warning.noise", "scenario.warning.selectivity"
E = "scenario.states.Eastmarch.leadership"
PLANTED = f"""
[experiment]
name = "planted"
seed = 11
reps = 40
weeks = 4
scenarios = ["fragile_region"]
strategies = ["no_response"]
samples = 300

[uncertain]
"{A}" = {{ low = 0, high = 1 }}
"{B}" = {{ low = 0, high = 1 }}
"{C}" = {{ low = 0, high = 1 }}
"{D}" = {{ low = 0, high = 1 }}
"{E}" = {{ values = ["divided", "determined"] }}
"""


def planted(point: DesignPoint, first: int, count: int, seed: int, weeks: int | None) -> pd.DataFrame:
    """A stand-in for the model: a replication has 'deaths' above 1000 (with a little noise) exactly
    when input a > 0.6 and b > 0.5; c, d and e do nothing."""
    settings = dict(point.settings)
    inside = settings[A] > 0.6 and settings[B] > 0.5
    noise = np.random.default_rng([seed, point.index, first]).random(count)
    bad = noise < (0.9 if inside else 0.1)
    return pd.DataFrame({"replication": np.arange(first, first + count), "deaths": np.where(bad, 5000.0, 10.0),
                         "onset": bad})  # fmt: skip


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A finished results folder of the planted design (the runner with the stand-in measure)."""
    root = tmp_path_factory.mktemp("planted")
    (root / "planted.toml").write_text(PLANTED)
    experiment = load_experiment(root / "planted.toml")
    return evaluate(experiment.points(), experiment.reps, experiment.seed, root / "results",
                    identity={"experiment": experiment.name, "digest": experiment.digest},
                    info=sampled_inputs(experiment), measure=planted, progress=False)  # fmt: skip


def test_prim_finds_the_planted_box_and_not_the_noise(results: Path) -> None:
    cases = read_cases(results, "deaths > 1000", 0.5)
    assert len(cases.frame) == 300 and set(cases.inputs) == {A, B, C, D, E}
    truth = (cases.frame[A] > 0.6) & (cases.frame[B] > 0.5)
    assert (cases.frame["of_interest"] == truth).all()
    found = discover(cases, density=0.8)
    limits = found.restrictions.set_index("input")
    assert set(limits.index) == {A, B}, limits
    assert limits.loc[A, "lower"] == pytest.approx(0.6, abs=0.06)
    assert limits.loc[B, "lower"] == pytest.approx(0.5, abs=0.06)
    assert found.meets_density and found.trajectory["density"][found.box] >= 0.8
    assert (limits["qp_lower"] < 0.05).all()


def test_expression_is_evaluated_per_replication_against_the_share(results: Path) -> None:
    loose = read_cases(results, "deaths > 1000 or not onset", 0.5)
    assert loose.frame["of_interest"].all()
    strict = read_cases(results, "onset and deaths > 1000", 0.99)
    assert strict.frame["share"].between(0, 1).all() and strict.frame["of_interest"].sum() < 90


def test_the_same_folder_gives_byte_identical_files(results: Path, tmp_path: Path) -> None:
    first = write_discovery(results, "deaths > 1000", out=tmp_path / "one")
    second = write_discovery(results, "deaths > 1000", out=tmp_path / "two")
    assert sorted(p.name for p in first.iterdir()) == sorted(FILES)
    for name in FILES:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    scores = pd.read_csv(first / "scores.csv")
    assert set(scores["input"][:2]) == {A, B}
    report = (first / "report.md").read_text()
    assert "tension_reversion" in report and "stylised model, not a forecast" in report
    assert "deaths" in (first / "tree.txt").read_text() or A in (first / "tree.txt").read_text()


BAD = {
    "unknown outcome": ("killed > 5", 0.5, None, "--where: unknown outcome 'killed'"),
    "nobody of interest": ("deaths > 1e9", 0.5, None, "--where: no design point of 300 is of interest"),
    "box off the trajectory": ("deaths > 1000", 0.5, 9999, "--box: 9999 is not on the peeling trajectory"),
}


@pytest.mark.parametrize("case", BAD)
def test_bad_input_gives_one_line_and_writes_nothing(case: str, results: Path, tmp_path: Path) -> None:
    expression, share, box, expected = BAD[case]
    with pytest.raises(sim.InputError) as caught:
        write_discovery(results, expression, share, box=box, out=tmp_path / "out")
    assert "\n" not in str(caught.value) and expected in str(caught.value), caught.value
    assert not (tmp_path / "out").exists()


def test_a_folder_without_uncertain_inputs_is_refused(tmp_path: Path) -> None:
    experiment = load_experiment(_plain(tmp_path))
    folder = evaluate(experiment.points(), 3, 1, tmp_path / "plain", identity={"experiment": "plain"},
                      measure=functools.partial(planted), progress=False)  # fmt: skip
    with pytest.raises(sim.InputError, match="has no uncertain inputs"):
        read_cases(folder, "deaths > 1000", 0.5)


def _plain(tmp_path: Path) -> Path:
    path = tmp_path / "plain.toml"
    text = PLANTED.split("samples")[0] + f'\n[grid]\n"{A}" = [0.7, 0.9]\n"{B}" = [0.7]\n'
    path.write_text(text)
    return path

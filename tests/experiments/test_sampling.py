"""Samplers of ``[uncertain]`` and ``[levers]`` (issue 13): Latin hypercube, Sobol, full factorial."""

from __future__ import annotations

from pathlib import Path

import pytest

import sim
from sim.experiments.design import lever_seed, load_experiment
from sim.experiments.sampling import Uncertain, sample

HEAD = """
[experiment]
name = "sampled"
seed = 5
reps = 10
scenarios = ["fragile_region"]
strategies = ["three_pillar_flexible", "no_response"]
"""
UNCERTAIN = """
[uncertain]
"scenario.model.shock_sd" = { low = 0.02, high = 0.04 }
"scenario.warning.delay_weeks" = { low = 0, high = 1 }
"scenario.states.Eastmarch.leadership" = { values = ["divided", "determined"] }
"""
LEVERS = """
[levers]
"strategy.pillar3.delay" = { low = 0, high = 12 }
"strategy.pillar2.trigger" = { low = 0.2, high = 0.6 }
"""


def _load(tmp_path: Path, head: str, tables: str = UNCERTAIN) -> sim.experiments.design.Experiment:
    path = tmp_path / "sampled.toml"
    path.write_text(HEAD + head + tables)
    return load_experiment(path)


def test_sobol_draws_a_balanced_scrambled_sequence_from_the_seed(tmp_path: Path) -> None:
    points = _load(tmp_path, 'samples = 8\nsampler = "sobol"\n').points()
    assert len(points) == 2 * 8
    shock = [dict(p.settings)["scenario.model.shock_sd"] for p in points[:8]]
    assert sorted(int((v - 0.02) / 0.02 * 2) for v in shock) == [0] * 4 + [1] * 4, "balanced halves"
    assert [dict(p.settings)["scenario.model.shock_sd"] for p in points[8:]] == shock
    again = _load(tmp_path, 'samples = 8\nsampler = "sobol"\n').points()
    assert [p.settings for p in again] == [p.settings for p in points]
    latin = _load(tmp_path, "samples = 8\n").points()
    assert [p.settings for p in latin] != [p.settings for p in points]


def test_sobol_needs_a_power_of_2(tmp_path: Path) -> None:
    with pytest.raises(sim.InputError, match=r"experiment.samples: 12 is not a power of 2 \(needed by sobol\)"):
        _load(tmp_path, 'samples = 12\nsampler = "sobol"\n')


def test_full_factorial_crosses_every_level_of_every_input(tmp_path: Path) -> None:
    points = _load(tmp_path, 'sampler = "full_factorial"\nlevels = 3\n').points()
    assert len(points) == 2 * 3 * 2 * 2, "3 shock levels, delay 0 or 1 (rounded levels), 2 leaderships"
    settings = [dict(p.settings) for p in points[:12]]
    assert sorted({s["scenario.model.shock_sd"] for s in settings}) == pytest.approx([0.02, 0.03, 0.04])
    assert {s["scenario.warning.delay_weeks"] for s in settings} == {0, 1}
    assert len({tuple(sorted(s.items())) for s in settings}) == 12
    with pytest.raises(sim.InputError, match=r"experiment\.samples: is not used by full_factorial"):
        _load(tmp_path, 'samples = 4\nsampler = "full_factorial"\nlevels = 3\n')


def test_levels_of_a_single_level_and_of_integers() -> None:
    assert Uncertain("k", 0.0, 1.0).levels(1) == (0.5,)
    assert Uncertain("k", 0.0, 3.0, integer=True).levels(4) == (0, 1, 2, 3)
    assert Uncertain("k", values=("a", "b")).levels(5) == ("a", "b")
    assert sample((), "sobol", 4, 0, 1) == [()]


def test_every_policy_meets_the_same_futures(tmp_path: Path) -> None:
    experiment = _load(tmp_path, "samples = 5\npolicies = 3\n", UNCERTAIN + LEVERS)
    points = experiment.points()
    assert len(points) == 2 * 3 * 5
    futures = [tuple(s for s in p.settings if s[0].startswith("scenario.")) for p in points]
    policies = [tuple(s for s in p.settings if s[0].startswith("strategy.")) for p in points]
    assert futures[:5] == futures[5:10] == futures[10:15] == futures[15:20]
    assert len(set(policies[:15])) == 3 and all(len(set(policies[i : i + 5])) == 1 for i in range(0, 30, 5))
    pillar3 = [i for i, ins in enumerate(sim.concepts.INSTRUMENTS) if ins.pillar == sim.concepts.Pillar.III]
    for p in points:
        delay = dict(p.settings)["strategy.pillar3.delay"]
        assert {p.strategy.settings[i].delay for i in pillar3} == {delay}
    lever = sample(experiment.levers, "latin_hypercube", 3, 0, lever_seed(5))
    assert policies[:15:5] == lever and lever_seed(5) != 5
    assert experiment.inputs()["levers"]["strategy.pillar3.delay"] == {"low": 0.0, "high": 12.0, "integer": True}
    assert set(experiment.inputs()["uncertain"]) == {k for k, _ in futures[0]}


@pytest.mark.parametrize(
    ("head", "tables", "expected"),
    [
        ("samples = 5\npolicies = 3\n", UNCERTAIN + '[levers]\n"scenario.warning.noise" = { low = 0.05, high = 0.2 }\n',
         'levers."scenario.warning.noise": is not a strategy key'),
        ("samples = 5\n", UNCERTAIN + LEVERS, "experiment.policies: missing"),
        ("samples = 5\npolicies = 3\n", UNCERTAIN, "experiment.policies: needs a [levers] table"),
        ("samples = 5\npolicies = 3\n", UNCERTAIN + LEVERS.replace("high = 12", "high = 12000"),
         'levers."strategy.pillar3.delay"'),
        ("samples = 5\npolicies = 3\n", UNCERTAIN + LEVERS.replace("pillar2.trigger", "pillar3.delay"), ""),
        ("samples = 5\npolicies = 3\n", UNCERTAIN.replace("scenario.warning.delay_weeks", "strategy.pillar3.delay")
         + LEVERS, 'uncertain."strategy.pillar3.delay": is also a [levers] key'),
    ],
)  # fmt: skip
def test_bad_levers_give_one_line(head: str, tables: str, expected: str, tmp_path: Path) -> None:
    with pytest.raises(sim.InputError) as caught:
        _load(tmp_path, head, tables)
    assert "\n" not in str(caught.value) and expected in str(caught.value), caught.value


def test_full_factorial_crosses_the_levers_levels_with_the_futures(tmp_path: Path) -> None:
    experiment = _load(tmp_path, 'sampler = "full_factorial"\nlevels = 2\n', UNCERTAIN + LEVERS)
    points = experiment.points()
    assert len(points) == 2 * (2 * 2) * (2 * 2 * 2), "strategies x lever levels x future levels"
    delays = [dict(p.settings)["strategy.pillar3.delay"] for p in points[:32]]
    assert delays == [0] * 16 + [12] * 16
    with pytest.raises(sim.InputError, match=r"experiment\.policies: is not used by full_factorial"):
        _load(tmp_path, 'sampler = "full_factorial"\nlevels = 2\npolicies = 4\n', UNCERTAIN + LEVERS)

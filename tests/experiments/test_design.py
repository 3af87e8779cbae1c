"""Experiment designs: grids over any scenario or strategy field, checked like input files."""

from __future__ import annotations

from pathlib import Path

import pytest

import sim
from sim.config import shipped
from sim.experiments.design import apply_setting, load_experiment
from sim.parameters import P

HEAD = """[experiment]
name = "test"
seed = 3
reps = 100
scenarios = ["fragile_region"]
strategies = ["early_prevention", "no_response"]
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "experiment.toml"
    path.write_text(text)
    return path


def test_intervention_timing_ships_with_one_point_per_strategy_and_delay() -> None:
    experiment = load_experiment("intervention_timing")
    points = experiment.points()
    assert len(points) == len(experiment.strategies) * 8
    assert [p.index for p in points] == list(range(len(points)))
    delays = [dict(p.settings)["strategy.pillar3.delay"] for p in points[:8]]
    assert delays == [0, 2, 4, 8, 12, 16, 20, 26]
    third = points[3].strategy
    assert {s.delay for k, s in enumerate(third.settings) if sim.concepts.INSTRUMENTS[k].pillar == 3} == {8}
    assert "pillar3.delay=8" in points[3].label


def test_grid_is_the_product_in_file_order(tmp_path: Path) -> None:
    text = HEAD + '[grid]\n"strategy.veto_restraint" = [false, true]\n"scenario.warning.noise" = [0.02, 0.2, 0.4]\n'
    points = load_experiment(_write(tmp_path, text)).points()
    assert len(points) == 2 * 2 * 3
    assert [p.strategy.name for p in points[:6]] == ["early_prevention"] * 6
    assert [(p.strategy.veto_restraint, p.scenario.params["warning_noise"]) for p in points[:6]] == [
        (False, 0.02), (False, 0.2), (False, 0.4), (True, 0.02), (True, 0.2), (True, 0.4)]  # fmt: skip


def test_every_kind_of_grid_key_reaches_its_field(fragile_region: sim.Scenario) -> None:
    strategy = sim.load_strategy("no_response")
    _, s = apply_setting(fragile_region, strategy, "strategy.instruments.mediation.trigger", 0.25)
    assert s.enabled == [] and s.settings[sim.concepts.INSTRUMENT_NAMES.index("mediation")].trigger == 0.25
    _, s = apply_setting(fragile_region, strategy, "strategy.pillar2.enabled", True)
    assert len(s.enabled) == 5
    _, s = apply_setting(fragile_region, strategy, "strategy.uniting_for_peace", True)
    assert s.uniting_for_peace
    sc, _ = apply_setting(fragile_region, strategy, "scenario.model.shock_sd", 0.05)
    assert sc.parameter_vector()[P.SHOCK_SD] == 0.05
    sc, _ = apply_setting(fragile_region, strategy, "scenario.warning.delay_weeks", 6)
    assert sc.parameter_vector()[P.WARNING_DELAY] == 6


BAD = {
    "unknown grid key": ('[grid]\n"strategy.speed" = [1, 2]\n', 'grid."strategy.speed"', "strategy.pillarN.FIELD"),
    "bad setting field": ('[grid]\n"strategy.pillar1.speed" = [1]\n', 'grid."strategy.pillar1.speed"', "trigger"),
    "value out of range": ('[grid]\n"strategy.pillar3.delay" = [0, -4]\n', "delay", "from 0 to 520"),
    "parameter out of range": ('[grid]\n"scenario.model.shock_sd" = [0.1, 9]\n', 'grid."scenario.model.shock_sd"',
                               "from 0 to 0.5"),
    "unknown parameter": ('[grid]\n"scenario.model.courage" = [1]\n', 'grid."scenario.model.courage"', "shock_sd"),
    "not a list": ('[grid]\n"strategy.veto_restraint" = true\n', 'grid."strategy.veto_restraint"', "list"),
    "wrong switch type": ('[grid]\n"strategy.veto_restraint" = ["yes"]\n', "strategy.veto_restraint", "true, false"),
    "unknown leadership": ('[grid]\n"scenario.states.Eastmarch.leadership" = ["divided", "weak"]\n',
                           'grid."scenario.states.Eastmarch.leadership"', "resilient, divided, determined"),
    "unknown state": ('[grid]\n"scenario.states.Atlantis.leadership" = ["divided"]\n',
                      'grid."scenario.states.Atlantis.leadership"', "Eastmarch"),
    "unknown state field": ('[grid]\n"scenario.states.Eastmarch.courage" = [1]\n',
                            'grid."scenario.states.Eastmarch.courage"', "leadership"),
    "state name not settable": ('[grid]\n"scenario.states.Eastmarch.name" = ["Westmarch"]\n',
                                'grid."scenario.states.Eastmarch.name"', "capacity"),
    "state value out of range": ('[grid]\n"scenario.states.Eastmarch.capacity" = [0.5, 1.5]\n',
                                 'grid."scenario.states.Eastmarch.capacity"', "from 0 to 1"),
    "state value wrong type": ('[grid]\n"scenario.states.Eastmarch.tension" = ["high"]\n',
                               'grid."scenario.states.Eastmarch.tension"', "a number from 0 to 1"),
    "severity without atrocity": ('[grid]\n"scenario.states.Eastmarch.severity" = [2.0]\n',
                                  'grid."scenario.states.Eastmarch.severity"', "atrocity"),
    "too short a state key": ('[grid]\n"scenario.states.Eastmarch" = [1]\n', 'grid."scenario.states.Eastmarch"',
                              "scenario.states.NAME.FIELD"),
}  # fmt: skip


@pytest.mark.parametrize("case", BAD)
def test_bad_grid_gives_one_line_naming_file_and_field(case: str, tmp_path: Path) -> None:
    grid, field, allowed = BAD[case]
    path = _write(tmp_path, HEAD + grid)
    with pytest.raises(sim.InputError) as caught:
        load_experiment(path)
    message = str(caught.value)
    assert "\n" not in message and str(path) in message and field in message and allowed in message


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (("reps = 100", "reps = -5"), "experiment.reps"),
        (("seed = 3", "seed = 'x'"), "experiment.seed"),
        (('["fragile_region"]', '["atlantis"]'), "experiment.scenarios"),
        (('"no_response"]', '"do_everything"]'), "experiment.strategies"),
        (("name = ", "colour = 'red'\nname = "), "experiment.colour"),
    ],
)
def test_bad_experiment_table(change: tuple[str, str], field: str, tmp_path: Path) -> None:
    path = _write(tmp_path, HEAD.replace(*change))
    with pytest.raises(sim.InputError, match=field):
        load_experiment(path)


def test_state_grid_keys_set_one_field_of_one_state(fragile_region: sim.Scenario) -> None:
    strategy = sim.load_strategy("no_response")
    before = {s.name: s for s in fragile_region.states}
    for key, value in [("leadership", "determined"), ("capacity", 0.9), ("patron", "china"),
                       ("risk_factors", ["coup", "autocracy"]), ("population", 2_000_000)]:  # fmt: skip
        sc, st = apply_setting(fragile_region, strategy, f"scenario.states.Eastmarch.{key}", value)
        after = {s.name: s for s in sc.states}
        expected = tuple(value) if isinstance(value, list) else value
        assert getattr(after["Eastmarch"], key) == expected and st is strategy
        assert all(after[n] == before[n] for n in before if n != "Eastmarch")
    sc, _ = apply_setting(fragile_region, strategy, "scenario.states.Eastmarch.leadership", "determined")
    eastmarch = sc.state_names.index("Eastmarch")
    assert sc.region()[eastmarch]["leadership"] == sim.concepts.Leadership.DETERMINED
    assert fragile_region.region()[eastmarch]["leadership"] == sim.concepts.Leadership.DIVIDED


def test_state_grid_key_is_checked_against_every_scenario(tmp_path: Path) -> None:
    text = HEAD.replace('["fragile_region"]', '["fragile_region", "rwanda_1994"]')
    path = _write(tmp_path, text + '[grid]\n"scenario.states.Eastmarch.leadership" = ["resilient"]\n')
    with pytest.raises(sim.InputError, match=r"rwanda_1994.*no state 'Eastmarch'"):
        load_experiment(path)


def test_pillar2_leadership_varies_eastmarch_only() -> None:
    experiment = load_experiment("pillar2_leadership")
    points = experiment.points()
    assert [p.strategy.name for p in points] == ["pillar2_only"] * 3 + ["no_response"] * 3
    leaderships = [next(s.leadership for s in p.scenario.states if s.name == "Eastmarch") for p in points]
    assert leaderships == ["resilient", "divided", "determined"] * 2
    assert "states.Eastmarch.leadership=divided" in points[1].label


OTHER_FILES = {
    "sensitivity": "r2p sensitivity",
    "sensitivity_v2": "r2p sensitivity",
    "validation": "r2p validate",
    "calibration": "r2p calibrate",
    "fit": "r2p fit",
    "optimize_timing": "r2p optimize",
}


@pytest.mark.parametrize("name", shipped("experiments"))
def test_every_shipped_experiment_loads_or_names_its_command(name: str) -> None:
    if name in OTHER_FILES:
        with pytest.raises(sim.InputError, match=f"not an experiment design; allowed: {OTHER_FILES[name]}"):
            load_experiment(name)
        return
    experiment = load_experiment(name)
    assert experiment.name == name and experiment.description
    assert len(experiment.points()) >= 2
    text = Path(experiment.source).read_text()
    assert text.startswith("# ")


def test_pillar2_only_is_a_preset_using_pillar2_alone() -> None:
    strategy = sim.load_strategy("pillar2_only")
    assert strategy.name == "pillar2_only" and strategy.description
    assert strategy.enabled == [i.name for i in sim.concepts.INSTRUMENTS if i.pillar == sim.concepts.Pillar.II]
    assert {(s.trigger, s.delay) for s in strategy.settings if s.enabled} == {(0.40, 2)}
    assert sim.load_strategy("pillar2_only+veto_restraint").veto_restraint


SAMPLED_HEAD = HEAD.replace("reps = 100", 'reps = 100\nsamples = 10\nsampler = "latin_hypercube"')
UNCERTAIN_TABLES = """
[grid]
"strategy.veto_restraint" = [false, true]

[uncertain]
"scenario.model.shock_sd" = { low = 0.02, high = 0.04 }
"strategy.pillar3.delay" = { low = 0, high = 6 }
"scenario.states.Eastmarch.leadership" = { values = ["divided", "determined"] }
"""
UNCERTAIN = SAMPLED_HEAD + UNCERTAIN_TABLES


def test_latin_hypercube_samples_every_uncertain_input_reproducibly(tmp_path: Path) -> None:
    points = load_experiment(_write(tmp_path, UNCERTAIN)).points()
    assert len(points) == 2 * 2 * 10 and [p.index for p in points] == list(range(40))
    first = [dict(p.settings) for p in points[:10]]
    assert all(s["strategy.veto_restraint"] is False for s in first)
    shock = [s["scenario.model.shock_sd"] for s in first]
    assert sorted(int((v - 0.02) / 0.02 * 10) for v in shock) == list(range(10)), "one sample per stratum"
    assert {s["strategy.pillar3.delay"] for s in first} <= set(range(7))
    assert all(isinstance(s["strategy.pillar3.delay"], int) for s in first)
    assert {s["scenario.states.Eastmarch.leadership"] for s in first} == {"divided", "determined"}
    for p in points:
        settings = dict(p.settings)
        assert p.scenario.params["shock_sd"] == settings["scenario.model.shock_sd"]
        eastmarch = next(s for s in p.scenario.states if s.name == "Eastmarch")
        assert eastmarch.leadership == settings["scenario.states.Eastmarch.leadership"]
        assert "shock_sd=" in p.label
    # every grid point and strategy meets the same samples; the same file gives the same points
    assert [dict(p.settings)["scenario.model.shock_sd"] for p in points[10:20]] == shock
    again = load_experiment(_write(tmp_path, UNCERTAIN)).points()
    assert [p.settings for p in again] == [p.settings for p in points]
    other = load_experiment(_write(tmp_path, UNCERTAIN.replace("seed = 3", "seed = 4"))).points()
    assert [p.settings for p in other] != [p.settings for p in points]


BAD_UNCERTAIN = {
    "no samples": (("samples = 10\n", ""), "experiment.samples: missing"),
    "samples without inputs": (('[uncertain]\n"scenario.model.shock_sd" = { low = 0.02, high = 0.04 }\n'
                                '"strategy.pillar3.delay" = { low = 0, high = 6 }\n'
                                '"scenario.states.Eastmarch.leadership" = { values = ["divided", "determined"] }\n',
                                ""), "experiment.samples: needs an [uncertain] table"),
    "unknown key": (("scenario.model.shock_sd", "scenario.model.courage"),
                    'uncertain."scenario.model.courage": unknown model parameter'),
    "out of range": (("high = 0.04", "high = 4"), 'uncertain."scenario.model.shock_sd": 4 is out of range'),
    "not whole": (("high = 6", "high = 6.5"), 'uncertain."strategy.pillar3.delay".high: 6.5 is not a whole number'),
    "bad category": (('"determined"]', '"strong"]'), "'strong' is not allowed; allowed: resilient"),
    "low above high": (("low = 0.02", "low = 0.05"), "high: 0.04 is not greater than low (0.05)"),
    "range and values": (("low = 0, high = 6", "low = 0, high = 6, values = [1]"), "needs either low and high"),
    "categorical field with a range": (('{ values = ["divided", "determined"] }', "{ low = 0, high = 1 }"),
                                       "takes no numbers"),
    "also in the grid": (('"strategy.veto_restraint" = [false, true]', '"strategy.pillar3.delay" = [1, 2]'),
                         "is also a [grid] key"),
    "unknown sampler": (('sampler = "latin_hypercube"', 'sampler = "halton"'), "experiment.sampler"),
    "sobol not a power of 2": (('sampler = "latin_hypercube"', 'sampler = "sobol"'),
                               "experiment.samples: 10 is not a power of 2 (needed by sobol)"),
    "full factorial with samples": (('sampler = "latin_hypercube"', 'sampler = "full_factorial"\nlevels = 3'),
                                    "experiment.samples: is not used by full_factorial"),
    "full factorial without levels": (('samples = 10\nsampler = "latin_hypercube"', 'sampler = "full_factorial"'),
                                      "experiment.levels: missing"),
    "levels without full factorial": (('sampler = "latin_hypercube"', 'sampler = "latin_hypercube"\nlevels = 3'),
                                      "experiment.levels: is only used by full_factorial"),
    "lever not a strategy key": (("[uncertain]", '[levers]\n"scenario.warning.noise" = { low = 0.05, high = 0.2 }\n'
                                  "\n[uncertain]"), 'levers."scenario.warning.noise": is not a strategy key'),
    "unknown field": (("{ low = 0, high = 6 }", "{ low = 0, high = 6, step = 1 }"),
                      'uncertain."strategy.pillar3.delay".step: unknown field; allowed: low, high, values'),
}  # fmt: skip


@pytest.mark.parametrize("case", BAD_UNCERTAIN)
def test_bad_uncertain_input_gives_one_line(case: str, tmp_path: Path) -> None:
    (old, new), expected = BAD_UNCERTAIN[case]
    assert old in UNCERTAIN
    path = _write(tmp_path, UNCERTAIN.replace(old, new))
    with pytest.raises(sim.InputError) as caught:
        load_experiment(path)
    message = str(caught.value)
    assert "\n" not in message and message.startswith(f"{path}: ") and expected in message, message

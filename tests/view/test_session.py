"""Page settings into model inputs, and the stepped run the page draws."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sim.concepts import INSTRUMENTS
from sim.config import InputError
from sim.engines.mesa_model import R2PModel
from sim.parameters import P
from sim.view import session
from sim.view.session import Settings, build_inputs, parse_seed, pillar_defaults, start


@pytest.mark.parametrize("text", ["abc", "-1", "1.5", "", str(2**63)])
def test_bad_seed_is_a_one_line_input_error(text):
    with pytest.raises(InputError) as error:
        parse_seed(text)
    assert "seed" in str(error.value) and "\n" not in str(error.value)


def test_seed_text():
    assert parse_seed(" 42 ") == 42
    assert parse_seed("1_000") == 1000


def test_unknown_scenario_or_strategy():
    with pytest.raises(InputError, match="scenario"):
        build_inputs(Settings(scenario="atlantis"))
    with pytest.raises(InputError):
        build_inputs(Settings(strategy="wishful_thinking"))


PATH_LIKE = ["SECRET.toml", "/tmp/SECRET.toml", "../../SECRET", "strategies/../SECRET", "..\\SECRET.toml",
             "SECRET/no_response", "no_response.toml", "no_response+veto_restraint"]  # fmt: skip


@pytest.mark.parametrize("field", ["scenario", "strategy"])
@pytest.mark.parametrize("value", PATH_LIKE)
def test_a_path_from_the_page_is_refused_without_touching_the_file_system(tmp_path, monkeypatch, field, value):
    secret = tmp_path / "SECRET.toml"
    secret.write_text('[strategy]\nname = "x"\nleaked_key = 1\n')
    monkeypatch.chdir(tmp_path)  # relative values name the real file (or its folder)
    value = value.replace("/tmp/SECRET", str(tmp_path / "SECRET"))
    touched: list[Path] = []

    def spy(real):
        def call(path, *args, **kwargs):
            touched.append(Path(path))
            return real(path, *args, **kwargs)

        return call

    for name in ("stat", "open", "exists", "is_file"):
        monkeypatch.setattr(Path, name, spy(getattr(Path, name)))
    monkeypatch.setattr(session, f"load_{field}", lambda *_: pytest.fail(f"the {field} loader was reached"))
    with pytest.raises(InputError) as error:
        build_inputs(Settings(**{field: value}))
    message = str(error.value)
    assert message.startswith(f"page: {field}: {value!r} is not a shipped {field}; allowed: ")
    assert "no_response" in message.split("allowed: ")[1] or field == "scenario"
    assert "leaked_key" not in message and "not found" not in message and "\n" not in message
    assert not [p for p in touched if "SECRET" in str(p)]


def test_the_answer_to_a_path_does_not_say_whether_the_file_exists(tmp_path):
    (tmp_path / "real.toml").write_text("[strategy]\nname = 'x'\nleaked_key = 1\n")
    answers = {}
    for name in ("real.toml", "gone.toml"):
        with pytest.raises(InputError) as error:
            build_inputs(Settings(strategy=str(tmp_path / name)))
        answers[name] = str(error.value)
    assert answers["real.toml"].replace("real", "gone") == answers["gone.toml"]


def test_controls_change_the_inputs():
    settings = Settings(strategy="three_pillar_flexible", veto_restraint=True, warning_noise=0.2, seed="7")
    settings = settings.with_pillar(3, trigger=0.35, delay=4)
    scenario, strategy, seed = build_inputs(settings)
    assert seed == 7 and strategy.veto_restraint
    assert scenario.parameter_vector()[P.WARNING_NOISE] == pytest.approx(0.2)
    for k, ins in enumerate(INSTRUMENTS):
        if int(ins.pillar) == 3:
            assert (strategy.settings[k].trigger, strategy.settings[k].delay) == (0.35, 4)
    assert pillar_defaults(strategy)["trigger"][2] == 0.35


def test_out_of_range_values_are_input_errors():
    with pytest.raises(InputError):
        build_inputs(Settings(warning_noise=7.0))
    with pytest.raises(InputError):
        build_inputs(Settings().with_pillar(1, trigger=1.5))


def test_run_steps_the_mesa_model_and_nothing_else():
    run = start(Settings(seed="3"))
    reference = R2PModel(run.scenario, run.strategy, seed=3, replication=0, collect=False)
    for _ in range(15):
        run.step()
        reference.step()
    assert run.week == 15
    assert np.array_equal(run.model.world, reference.world)
    assert run.tension_history().shape == (16, len(run.names))
    assert len(run.deaths) == len(run.displaced) == 16
    assert run.deaths[-1] == pytest.approx(float(reference.world["deaths"].sum()))


def test_run_stops_at_the_horizon():
    run = start(Settings(scenario="kenya_2008"))
    for _ in range(run.weeks + 5):
        run.step()
    assert run.finished and run.week == run.weeks
    assert run.step() == []


def test_a_historical_episode_dates_its_weeks():
    run = start(Settings(scenario="rwanda_1994", strategy="historical/rwanda_1994"))
    assert run.date(0) == "week of 28 March 1994" and run.date(2) == "week of 11 April 1994"
    assert start(Settings()).date(5) == "", "a fictional region has no calendar"

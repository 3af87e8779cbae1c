"""Strategies: presets, suffixes, pillar tables and per-instrument settings."""

from __future__ import annotations

from pathlib import Path

import pytest

import sim
from sim.concepts import INSTRUMENTS, Pillar
from sim.config import REPO_ROOT
from sim.strategy import presets

PRESETS = ["no_response", "pillar1_only", "early_prevention", "reactive_coercion", "three_pillar_flexible"]


def test_the_five_presets_ship() -> None:
    assert set(PRESETS) <= set(presets())


@pytest.mark.parametrize("name", PRESETS)
def test_each_preset_works_with_and_without_veto_restraint(name: str) -> None:
    plain = sim.load_strategy(name)
    restrained = sim.load_strategy(f"{name}+veto_restraint")
    assert not plain.veto_restraint and restrained.veto_restraint
    assert plain.settings == restrained.settings


def test_presets_use_the_pillars_they_say() -> None:
    pillars = {name: {INSTRUMENTS[k].pillar for k, s in enumerate(sim.load_strategy(name).settings) if s.enabled}
               for name in PRESETS}  # fmt: skip
    assert pillars["no_response"] == set()
    assert pillars["pillar1_only"] == {Pillar.I}
    assert pillars["reactive_coercion"] == {Pillar.III}
    assert pillars["early_prevention"] == {Pillar.I, Pillar.II, Pillar.III}
    assert pillars["three_pillar_flexible"] == {Pillar.I, Pillar.II, Pillar.III}


def test_instrument_tables_override_pillar_tables() -> None:
    flexible = sim.load_strategy("three_pillar_flexible")
    settings = dict(zip([i.name for i in INSTRUMENTS], flexible.settings, strict=True))
    assert settings["targeted_sanctions"].trigger == 0.60 and settings["targeted_sanctions"].delay == 3
    assert settings["chapter7_force"].trigger == 0.75 and settings["chapter7_force"].delay == 6


def test_with_instrument_and_with_pillar() -> None:
    nothing = sim.load_strategy("no_response")
    one = nothing.with_instrument("mediation", enabled=True, trigger=0.3)
    assert one.enabled == ["mediation"]
    assert nothing.with_pillar(2, enabled=True).enabled == [i.name for i in INSTRUMENTS if i.pillar == Pillar.II]
    with pytest.raises(sim.InputError, match="no instrument 'bombing'"):
        nothing.with_instrument("bombing", enabled=True)


def test_veto_restraint_by_some_members() -> None:
    data = {"strategy": {"name": "x", "veto_restraint": ["france", "united_states"]}}
    strategy = sim.strategy.parse_strategy(data, "x.toml")
    assert strategy.veto_restraint == ("france", "united_states")
    assert strategy.apply_switches(sim.parameters.default_vector())[sim.parameters.P.VETO_RESTRAINT] == 2 + 16
    everyone = sim.strategy.parse_strategy({"strategy": {"name": "x", "veto_restraint": True}}, "x.toml")
    assert everyone.apply_switches(sim.parameters.default_vector())[sim.parameters.P.VETO_RESTRAINT] == 31
    for bad, message in ((["germany"], "'germany' is not allowed"), ("yes", "expected true, false or a list")):
        with pytest.raises(sim.InputError, match=rf"x\.toml: strategy\.veto_restraint: {message}"):
            sim.strategy.parse_strategy({"strategy": {"name": "x", "veto_restraint": bad}}, "x.toml")


def test_a_path_with_plus_signs_loads_and_takes_a_suffix(tmp_path: Path) -> None:
    folder = tmp_path / "a+b"
    folder.mkdir()
    path = folder / "my+strategy.toml"
    path.write_text((REPO_ROOT / "strategies" / "early_prevention.toml").read_text())
    assert sim.load_strategy(path).name == "early_prevention"
    restrained = sim.load_strategy(f"{path}+veto_restraint")
    assert restrained.veto_restraint and restrained.name == "early_prevention+veto_restraint"


def test_an_unknown_suffix_of_a_name_is_refused() -> None:
    with pytest.raises(sim.InputError, match="unknown suffix '\\+typo'"):
        sim.load_strategy("early_prevention+typo")

"""The input schema: models refuse bad input in one line, JSON Schemas describe the shipped files,
the registry covers every settable key, and old files load unchanged."""

from __future__ import annotations

import copy
import json
import math
import tomllib
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sim
from sim.cli import main
from sim.concepts import INSTRUMENT_NAMES
from sim.config import REPO_ROOT, InputError
from sim.experiments.calibration import parse_calibration
from sim.experiments.design import parse_experiment
from sim.experiments.fit import parse_fit
from sim.experiments.optimize import parse_optimize
from sim.experiments.sensitivity import parse_sensitivity
from sim.experiments.validation import parse_validation
from sim.parameters import PARAMETERS, STRATEGY_SWITCHES
from sim.scenario import WARNING_KEYS, StateSpec, parse_scenario
from sim.schema import KINDS, json_schema
from sim.schema.__main__ import schema_text
from sim.schema.registry import ENTRIES, FAMILIES, STATE_FIELDS, lookup
from sim.strategy import parse_strategy

EXPERIMENT_FILES = sorted((REPO_ROOT / "experiments").glob("*.toml"))
KIND_OF = {
    p: next(
        k
        for k in ("sensitivity", "validation", "calibration", "fit", "optimize", "experiment")
        if k in tomllib.loads(p.read_text())
    )
    for p in EXPERIMENT_FILES
}  # its top-level table
SHIPPED = {
    "scenario": sorted((REPO_ROOT / "scenarios").glob("*.toml")),
    "strategy": sorted((REPO_ROOT / "strategies").rglob("*.toml")),
    **{kind: [p for p in EXPERIMENT_FILES if KIND_OF[p] == kind]
       for kind in ("experiment", "sensitivity", "validation", "calibration", "fit", "optimize")},
}  # fmt: skip
PARSE = {
    "scenario": parse_scenario,
    "strategy": parse_strategy,
    "experiment": lambda data, file: parse_experiment(data, file, b""),
    "sensitivity": parse_sensitivity,
    "validation": parse_validation,
    "calibration": parse_calibration,
    "fit": parse_fit,
    "optimize": parse_optimize,
}


def _load(path: Path) -> dict:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def _refused(kind: str, data: dict) -> str:
    with pytest.raises(InputError) as caught:
        PARSE[kind](data, "f.toml")
    message = str(caught.value)
    assert "\n" not in message and message.startswith("f.toml: ")
    assert "pydantic" not in message.lower() and "validation error" not in message.lower()
    return message


@pytest.mark.parametrize("kind", KINDS)
def test_json_schema_validates_every_shipped_file_and_is_committed(kind: str) -> None:
    schema = json_schema(kind)
    jsonschema.Draft202012Validator.check_schema(schema)
    for path in SHIPPED[kind]:
        jsonschema.validate(_load(path), schema, cls=jsonschema.Draft202012Validator)
    committed = REPO_ROOT / "schemas" / f"{kind}.json"
    assert committed.read_text(encoding="utf-8") == schema_text(kind), "run `python -m sim.schema`"


def test_json_schema_refuses_what_the_loader_refuses() -> None:
    data = _load(REPO_ROOT / "scenarios" / "fragile_region.toml")
    data["states"][0]["capacity"] = 1.5
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, json_schema("scenario"))
    grid = _load(REPO_ROOT / "experiments" / "intervention_timing.toml")
    grid["grid"]["strategy.pillar9.delay"] = [1]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(grid, json_schema("experiment"))


def test_schema_command_prints_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "strategy"]) == 0
    assert json.loads(capsys.readouterr().out)["title"] == "r2p strategy file"


@pytest.mark.parametrize("kind", KINDS)
def test_every_shipped_file_carries_its_schema_version(kind: str) -> None:
    for path in SHIPPED[kind]:
        data = _load(path)
        head = kind if kind in data else next(iter(data))
        assert data[head].get("schema_version") == 1, path


@pytest.mark.parametrize("kind", ["scenario", "strategy"])
def test_old_files_without_a_version_load_unchanged(kind: str) -> None:
    for path in SHIPPED[kind]:
        data = _load(path)
        old = copy.deepcopy(data)
        del old[kind]["schema_version"]
        assert PARSE[kind](old, "x") == PARSE[kind](data, "x")


@pytest.mark.parametrize("version", [2, 0, True, "1", 1.0])
def test_unknown_schema_version_is_one_line(version: object) -> None:
    data = _load(REPO_ROOT / "scenarios" / "fragile_region.toml")
    data["scenario"]["schema_version"] = version
    assert "scenario.schema_version: schema version" in _refused("scenario", data)


UNKNOWN = {
    "scenario": [(), ("scenario",), ("warning",), ("model",), ("states", 0), ("bodies", 0)],
    "strategy": [(), ("strategy",), ("pillar1",), ("instruments",), ("instruments", "fact_finding")],
    "experiment": [(), ("experiment",)],
    "sensitivity": [(), ("sensitivity",), ("parameters", 0)],
    "validation": [(), ("validation",), ("typical_state",), ("S3",), ("S9", "start")],
    "calibration": [(), ("calibration",), ("episodes", 0)],
    "optimize": [(), ("optimize",)],
}


def _where(path: tuple) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


@pytest.mark.parametrize(("kind", "path"), [(k, p) for k, paths in UNKNOWN.items() for p in paths])
def test_unknown_field_is_refused_at_every_level(kind: str, path: tuple) -> None:
    data = _load(SHIPPED[kind][0])
    target = data
    for part in path:
        target = target[part] if isinstance(part, int) else target.setdefault(part, {})
    target["no_such_field"] = 1
    message = _refused(kind, data)
    where = _where((*path, "no_such_field"))
    assert f": {where}: unknown" in message and "; allowed: " in message


STATE_VALUES = {
    "wrong type": ("capacity", "high", "expected a number, got 'high' (str); allowed: a number from 0 to 1"),
    "boolean for a number": ("tension", True, "expected a number, got True (bool)"),
    "nan": ("tension", math.nan, "nan is out of range; allowed: a number from 0 to 1"),
    "infinity": ("population", math.inf, "inf is out of range"),
    "out of range": ("vulnerable_share", 1.5, "1.5 is out of range; allowed: a number from 0 to 1"),
    "bad choice": ("crime", "theft", "'theft' is not allowed; allowed: genocide, war_crimes"),
    "repeated names": ("risk_factors", ["coup", "coup"], "has repeated entries"),
    "not a table": (None, 5, "states[1]: expected a table, got 5 (int)"),
}


@pytest.mark.parametrize("case", STATE_VALUES)
def test_bad_state_value_is_one_line_naming_field_and_rule(case: str) -> None:
    field, value, expected = STATE_VALUES[case]
    data = _load(REPO_ROOT / "scenarios" / "fragile_region.toml")
    if field is None:
        data["states"][1] = value
    else:
        data["states"][1][field] = value
    message = _refused("scenario", data)
    assert expected in message
    assert field is None or f"states[1].{field}: " in message


def test_cross_field_checks_keep_their_messages() -> None:
    data = _load(REPO_ROOT / "scenarios" / "fragile_region.toml")
    data["states"][2]["name"] = data["states"][1]["name"]
    assert "states: two states share a name; allowed: unique names" in _refused("scenario", data)
    data = _load(REPO_ROOT / "scenarios" / "fragile_region.toml")
    data["bodies"][0]["members"].append("Atlantis")
    assert "bodies[0].members: 'Atlantis' is not a state" in _refused("scenario", data)
    data = _load(REPO_ROOT / "scenarios" / "fragile_region.toml")
    data["states"] = data["states"] * 20
    assert "states: 240 states; allowed: at most 200" in _refused("scenario", data)
    data = _load(REPO_ROOT / "scenarios" / "fragile_region.toml")
    data["states"] = []
    assert "states: expected one or more [[states]] tables, got [] (list)" in _refused("scenario", data)


@settings(max_examples=60, deadline=None)
@given(st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=5),
                 st.lists(st.integers(), max_size=3),
                 st.dictionaries(st.text(max_size=3), st.integers(), max_size=2)))  # fmt: skip
def test_any_value_of_any_field_loads_or_gives_one_line(value: object) -> None:
    base = _load(REPO_ROOT / "strategies" / "three_pillar_flexible.toml")
    for table, field in [("strategy", "veto_restraint"), ("pillar2", "delay"), ("pillar3", "trigger"),
                         ("pillar1", "enabled"), ("strategy", "name")]:  # fmt: skip
        data = copy.deepcopy(base)
        data[table][field] = value
        try:
            parse_strategy(data, "s.toml")
        except InputError as error:
            assert "\n" not in str(error) and str(error).startswith(f"s.toml: {table}.{field}: ")


def test_registry_covers_every_key_the_grid_accepted() -> None:
    keys = [f"strategy.{s}" for s in STRATEGY_SWITCHES]
    for field in ("enabled", "trigger", "delay", "intensity"):
        keys += [f"strategy.pillar{n}.{field}" for n in (1, 2, 3)]
        keys += [f"strategy.instruments.{name}.{field}" for name in INSTRUMENT_NAMES]
    keys += [f"scenario.warning.{k}" for k in WARNING_KEYS]
    keys += [f"scenario.model.{p.name}" for p in PARAMETERS if p.name not in STRATEGY_SWITCHES]
    old_state_fields = [f for f in StateSpec.__dataclass_fields__ if f not in {"name", "neighbours"}]
    keys += [f"scenario.states.Eastmarch.{f}" for f in old_state_fields]
    assert list(STATE_FIELDS) == old_state_fields
    found = {lookup(key).entry.pattern for key in keys}
    assert found == {e.pattern for e in ENTRIES}
    scenario, strategy = sim.load_scenario("fragile_region"), sim.load_strategy("no_response")
    for key in keys:
        entry = lookup(key)
        value = entry.low if entry.numeric else (True if entry.boolean else None)
        if value is not None:
            entry.apply(scenario, strategy, value)


def test_registry_gives_ranges_for_sliders_and_one_line_for_unknown_keys() -> None:
    delay = lookup("strategy.pillar3.delay")
    assert (delay.low, delay.high, delay.integer, delay.entry.unit) == (0, 520, True, "weeks")
    noise = lookup("scenario.warning.noise")
    assert (noise.low, noise.high) == (0, 1) and "source" in noise.entry.description
    with pytest.raises(InputError) as caught:
        lookup("scenario.weather.rain", "page", "slider")
    assert str(caught.value) == f"page: slider: names no scenario or strategy field; allowed: {', '.join(FAMILIES)}"
    with pytest.raises(InputError, match="'bombing' is not an instrument"):
        lookup("strategy.instruments.bombing.delay")


def test_command_line_overrides_set_fields_or_give_one_line() -> None:
    from sim.schema.registry import apply_overrides

    scenario, strategy = sim.load_scenario("fragile_region"), sim.load_strategy("no_response")
    texts = ["strategy.pillar3.delay=4", "scenario.warning.noise = 0.2", "strategy.veto_restraint=true",
             "scenario.states.Eastmarch.leadership=determined",
             'scenario.states.Eastmarch.risk_factors=["coup"]']  # fmt: skip
    sc, stg = apply_overrides(scenario, strategy, texts)
    assert {s.delay for k, s in enumerate(stg.settings) if sim.concepts.INSTRUMENTS[k].pillar == 3} == {4}
    assert sc.params["warning_noise"] == 0.2 and stg.veto_restraint
    eastmarch = next(s for s in sc.states if s.name == "Eastmarch")
    assert eastmarch.leadership == "determined" and eastmarch.risk_factors == ("coup",)
    for text, expected in [("strategy.pillar3.delay", "is not KEY=VALUE"),
                           ("strategy.pillar3.delay=-1", "--set: strategy.pillar3.delay: -1 is out of range"),
                           ("strategy.pillar3.delay=soon", "expected an integer, got 'soon' (str)"),
                           ("scenario.states.Atlantis.capacity=0.5", "has no state 'Atlantis'"),
                           ("scenario.nothing=1", "names no scenario or strategy field")]:  # fmt: skip
        with pytest.raises(InputError) as caught:
            apply_overrides(scenario, strategy, [text])
        assert str(caught.value).startswith("--set: ") and expected in str(caught.value)

"""``docs/user-guide.md`` stays true to the code.

The worked example's TOML files are taken out of the guide, loaded with the project's loaders
and run; every command line in the guide parses; every field each validator accepts has a row in
the guide's table for it (and no row names a field the validator refuses); the tables of model
parameters and instruments match the code.
"""

from __future__ import annotations

import copy
import re
import shlex
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import sim
from sim.cli import build_parser
from sim.concepts import INSTRUMENTS, Crime, Leadership, Phase, names
from sim.config import InputError
from sim.experiments.compare import compare
from sim.experiments.design import apply_setting, load_experiment, parse_experiment
from sim.experiments.sensitivity import METHODS, OUTCOMES, load_sensitivity, parse_sensitivity
from sim.experiments.sweep import sweep
from sim.parameters import PARAMETERS, STRATEGY_SWITCHES
from sim.scenario import PATRONS, WARNING_KEYS, parse_scenario
from sim.state import RISK_FACTORS
from sim.strategy import parse_strategy

GUIDE = Path(__file__).resolve().parent.parent / "docs" / "user-guide.md"
TEXT = GUIDE.read_text(encoding="utf-8")
BLOCK = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)
STATE = {"name": "A", "population": 1, "vulnerable_share": 0.1, "capacity": 0.5, "tension": 0.2,
         "leadership": "divided", "crime": "genocide"}  # fmt: skip
EXPERIMENT = {"name": "e", "seed": 1, "reps": 1, "weeks": 4, "scenarios": ["fragile_region"],
              "strategies": ["no_response"]}  # fmt: skip
SENSITIVITY = {"name": "s", "scenario": "fragile_region", "strategy": "no_response", "outcome": "deaths",
               "reps_per_sample": 1, "samples": 2, "seed": 1, "method": ["morris"]}  # fmt: skip
PARAMETER = {"key": "scenario.model.shock_sd", "low": 0.01, "high": 0.02}


def example_files() -> dict[str, str]:
    """The worked example's TOML files: ``{file name: text}`` from blocks that start ``# file: NAME``."""
    files = {}
    for language, body in BLOCK.findall(TEXT):
        first = body.split("\n", 1)[0]
        if language == "toml" and first.startswith("# file: "):
            files[first.removeprefix("# file: ").strip()] = body
    return files


def section(heading: str) -> str:
    """Text under the Markdown heading ``heading`` (exact text), with its subsections."""
    match = re.search(rf"^(#+) {re.escape(heading)}\n", TEXT, re.MULTILINE)
    assert match, f"no heading {heading!r} in {GUIDE.name}"
    level = len(match.group(1))
    end = re.compile(rf"^#{{1,{level}}} ", re.MULTILINE).search(TEXT, match.end())
    return TEXT[match.end() : end.start() if end else len(TEXT)]


def documented(heading: str) -> set[str]:
    """Field names of the first table under ``heading``: the backticked first cell of each row."""
    table = re.search(r"^\|.*?(?=^[^|])", section(heading), re.MULTILINE | re.DOTALL)
    assert table, f"no table under {heading!r}"
    return set(re.findall(r"^\| `([^`]+)` \|", table.group(0), re.MULTILINE))


def accepted(parse: Callable[[dict], object], data: dict, table: tuple[str | int, ...]) -> list[str]:
    """The fields a validator accepts in one table, from the error it gives for an unknown field there."""
    data = copy.deepcopy(data)
    target = data
    for key in table:
        target = target[key]
    target["no_such_field"] = 1
    with pytest.raises(InputError, match="unknown field") as error:
        parse(data)
    return str(error.value).split("; allowed: ", 1)[1].split(", ")


def scenario(data: dict) -> object:
    return parse_scenario(data, "guide")


def strategy(data: dict) -> object:
    return parse_strategy(data, "guide")


def experiment(data: dict) -> object:
    return parse_experiment(data, "guide", b"")


def sensitivity(data: dict) -> object:
    return parse_sensitivity(data, "guide")


SCENARIO = {"scenario": {"name": "x"}, "warning": {}, "states": [STATE],
            "bodies": [{"name": "B", "kind": "regional", "capacity": 0.5, "members": ["A"]}]}  # fmt: skip
STRATEGY = {"strategy": {"name": "s"}, "pillar1": {}}
EXPERIMENT_FILE = {"experiment": EXPERIMENT}
SENSITIVITY_FILE = {"sensitivity": SENSITIVITY, "parameters": [PARAMETER]}


def test_worked_example_loads_and_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = example_files()
    assert set(files) == {"velmora_basin.toml", "basin_mediation.toml", "basin_timing.toml", "basin_sensitivity.toml"}
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)  # the guide's files name each other by paths relative to the working directory

    scenario = sim.load_scenario("velmora_basin.toml")
    strategy = sim.load_strategy("basin_mediation.toml")
    assert len(scenario.states) == 4 and strategy.veto_restraint
    fast = sim.simulate(scenario, strategy, reps=5, seed=1)
    agents = sim.simulate(scenario, strategy, reps=5, seed=1, engine="mesa")
    pd.testing.assert_frame_equal(fast, agents)

    experiment = load_experiment("basin_timing.toml")
    assert len(experiment.points()) == 12
    folder = sweep(experiment, tmp_path / "results", reps=10, progress=None)
    table = compare(folder, "no_response")
    assert len(table) == 6 * 3 and (table["n"] == 10).all()

    spec = load_sensitivity("basin_sensitivity.toml")
    middle = np.array([sum(bounds) / 2 for bounds in spec.problem()["bounds"]])
    assert np.isfinite(spec.evaluate(middle))


def test_command_lines_parse() -> None:
    lines = [
        line
        for language, body in BLOCK.findall(TEXT)
        if language == "bash"
        for line in body.splitlines()
        if line.startswith("r2p ")
    ]
    assert len(lines) >= 10
    parser = build_parser()
    for line in lines:
        parser.parse_args(shlex.split(line, comments=True)[1:])


@pytest.mark.parametrize(
    ("heading", "parse", "data", "table"),
    [
        ("`[scenario]`", scenario, SCENARIO, ("scenario",)),
        ("`[warning]`", scenario, SCENARIO, ("warning",)),
        ("`[[bodies]]`", scenario, SCENARIO, ("bodies", 0)),
        ("`[[states]]`", scenario, SCENARIO, ("states", 0)),
        ("`[strategy]`", strategy, STRATEGY, ("strategy",)),
        ("Instrument settings: `[pillarN]` and `[instruments.NAME]`", strategy, STRATEGY, ("pillar1",)),
        ("`[experiment]`", experiment, EXPERIMENT_FILE, ("experiment",)),
        ("`[sensitivity]`", sensitivity, SENSITIVITY_FILE, ("sensitivity",)),
        ("`[[parameters]]`", sensitivity, SENSITIVITY_FILE, ("parameters", 0)),
    ],
)
def test_every_field_has_a_row(
    heading: str, parse: Callable[[dict], object], data: dict, table: tuple[str | int, ...]
) -> None:
    assert documented(heading) == set(accepted(parse, data, table))


@pytest.mark.parametrize(
    ("heading", "parse", "data"),
    [
        ("2. Scenario files", scenario, SCENARIO),
        ("3. Strategy files", strategy, STRATEGY),
        ("4. Experiment files", experiment, EXPERIMENT_FILE),
        ("5. Sensitivity files", sensitivity, SENSITIVITY_FILE),
    ],
)
def test_every_table_is_documented(heading: str, parse: Callable[[dict], object], data: dict) -> None:
    text = section(heading)
    for table in accepted(parse, data, ()):
        assert ("[instruments.NAME]" if table == "instruments" else f"[{table}]") in text, table


def test_every_choice_and_key_is_mentioned() -> None:
    words = [
        *names(Leadership), *names(Crime), *names(Phase), *PATRONS, *RISK_FACTORS, *WARNING_KEYS,
        *(ins.name for ins in INSTRUMENTS), *OUTCOMES, *METHODS, *STRATEGY_SWITCHES,
        "state", "non_state", "regional", "subregional",
    ]  # fmt: skip
    assert [word for word in words if f"`{word}`" not in TEXT] == []
    with pytest.raises(InputError) as error:
        apply_setting(sim.load_scenario("fragile_region"), sim.load_strategy("no_response"), "no.such.key", 1)
    forms = str(error.value).split("; allowed: ", 1)[1].split(", ")
    grid = section("`[grid]`")
    assert [form for form in forms if f'`"{form}"`' not in grid] == []


def _table(marker: str) -> list[str]:
    body = TEXT.split(f"<!-- BEGIN {marker} -->\n", 1)[1].split(f"<!-- END {marker} -->", 1)[0]
    return body.strip().splitlines()[2:]


def test_parameter_table_matches_the_code() -> None:
    rows = []
    for p in PARAMETERS:
        if p.name in STRATEGY_SWITCHES:
            continue
        default = f"{int(p.default)}" if p.integer else f"{p.default:g}"
        kind = "integer" if p.integer else "number"
        rows.append(f"| `{p.name}` | {default} | {kind} {p.low:g} to {p.high:g} | {p.unit} | {p.description} |")
    assert _table("model-parameters") == rows


def test_instrument_table_matches_the_code() -> None:
    def yes(flag: bool) -> str:
        return "yes" if flag else "no"

    rows = [
        f"| `{i.name}` | {int(i.pillar)} | {i.actor.name.lower().replace('_', ' ')} | {yes(i.council)} | "
        f"{yes(i.consent)} | {yes(i.assembly)} | {i.description} |"
        for i in INSTRUMENTS
    ]
    assert _table("instruments") == rows


def test_field_tables_are_generated_from_the_schema() -> None:
    from sim.schema.guide import update

    assert update(TEXT) == TEXT, "run `python -m sim.schema` to rewrite the guide's field tables"


def test_the_readme_outcome_table_is_generated_from_the_code() -> None:
    from sim.schema.__main__ import README, README_TABLES
    from sim.schema.guide import update

    text = README.read_text(encoding="utf-8")
    assert "| `atrocity_weeks_any` | weeks |" in text
    assert update(text, README_TABLES) == text, "run `python -m sim.schema` to rewrite the README's outcome table"

"""Machinery of the input fuzz suite: the shipped files as dicts, hypothesis strategies that mutate
them, a small TOML writer, and the checks every generated file must pass.

Each fuzz test starts from a shipped scenario, strategy or ``experiments/`` file, applies one to
three mutations (a key deleted at any depth, an unknown key added to any table, a value replaced
by a wrong type, NaN, inf, 1e308, -1, a huge integer, an empty, long or unknown string, a list
entry repeated, a name replaced by another of the file, a state made its own neighbour, a number
nudged, model parameters set to the ends of their ranges), writes one file per example and
asserts that it wrote at least its budget. :data:`BUDGETS` times :data:`FILES_PER_BUDGET` is
10,410 files a run (``test_fuzz_harness.py`` checks it is at least 10,000); the regions of 0 to
500 states are 40 of them. Examples are derandomized: every run generates the same files.

A file must either be refused with the project's one-line :class:`sim.config.InputError` (at most
:data:`sim.config.MAX_MESSAGE` characters, naming the file; through ``r2p run``: status 2 and one
line on standard error) or load, simulate (2 replications, at most 8 weeks) without exception and
give an outcome table without NaN, infinities, negative counts or more deaths than people.
"""

from __future__ import annotations

import copy
import io
import math
from collections.abc import Callable
from contextlib import redirect_stderr, redirect_stdout
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.cli import main
from sim.config import MAX_MESSAGE, InputError, data_dir, read_toml
from sim.outcome_columns import describe
from sim.parameters import PARAMETERS
from sim.scenario import Scenario

BUDGETS = {
    "scenario": 600,
    "strategy": 370,
    "experiment": 300,
    "sensitivity": 250,
    "validation": 100,
    "calibration": 200,
    "state_count": 40,
    "cli_scenario": 200,
    "cli_strategy": 200,
}
"""Files each fuzz test writes, per shipped file it starts from (``state_count`` and ``cli_*``: in all)."""

FILES_PER_BUDGET = {
    "scenario": 6,
    "strategy": 11,
    "experiment": 5,
    "sensitivity": 2,
    "validation": 1,
    "calibration": 1,
    "state_count": 1,
    "cli_scenario": 1,
    "cli_strategy": 1,
}
"""How many test cases (shipped files) each budget is spent on."""

REPS, MOST_WEEKS = 2, 8
"""Replications and longest horizon of each simulation of an accepted file."""

SIGNED = {"first_warned_response_lag", "warning_response_lag"}
"""Outcomes that may be negative (a response before the warning)."""

UNKNOWN = "zz_unknown"
"""A key and a name no input file knows."""

ODD_VALUES = (
    "text", "", -1, 0, 1, 1.5, True, False, [], [1, "a"], {}, {"a": 1}, math.nan, math.inf, -math.inf,
    1e308, -1e308, 5e-324, 2**63, -(2**63) - 1, 10**30, "line\nbreak", "é" * 300, UNKNOWN, [UNKNOWN],
)  # fmt: skip
"""Values that replace a field: wrong types, non-finite, huge, negative, empty, unknown."""


def fuzz_settings(examples: int) -> settings:
    """Reproducible hypothesis settings: the same examples every run, no database, no deadline."""
    return settings(
        derandomize=True,
        database=None,
        deadline=None,
        max_examples=examples,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


# --- the shipped files ----------------------------------------------------------------------------


@cache
def shipped_documents(kind: str) -> dict[str, dict[str, Any]]:
    """Every shipped file of ``kind`` (``scenarios``, ``strategies``, ``experiments``), subfolders
    included, parsed once: name (``historical/rwanda_1994``) to document."""
    folder = data_dir(kind)
    paths = sorted(folder.rglob("*.toml"))
    return {path.relative_to(folder).with_suffix("").as_posix(): read_toml(path) for path in paths}


def experiment_documents(table: str) -> dict[str, dict[str, Any]]:
    """The shipped files of ``experiments/`` whose top-level table is ``table`` (e.g. ``experiment``)."""
    return {name: doc for name, doc in shipped_documents("experiments").items() if table in doc}


# --- a TOML writer (tomli_w is not a dependency) ----------------------------------------------------

_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def toml_string(text: str) -> str:
    """``text`` as a TOML basic string."""
    out = (_ESCAPES.get(c, f"\\u{ord(c):04x}" if ord(c) < 0x20 or ord(c) == 0x7F else c) for c in text)
    return f'"{"".join(out)}"'


def toml_value(value: Any) -> str:
    """``value`` as an inline TOML value (tables inline, floats including ``nan`` and ``inf``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf") if math.isinf(value) else repr(value)
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, list):
        return f"[{', '.join(map(toml_value, value))}]"
    return f"{{{', '.join(f'{toml_string(k)} = {toml_value(v)}' for k, v in value.items())}}}"


def toml_document(data: dict[str, Any]) -> str:
    """A TOML document of ``data``: one line per top-level key, the rest inline."""
    return "".join(f"{toml_string(key)} = {toml_value(value)}\n" for key, value in data.items())


# --- mutations ----------------------------------------------------------------------------------------

Where = tuple[str | int, ...]


def locations(node: Any, where: Where = ()) -> list[Where]:
    """Every place in a document, the root first, in depth-first order."""
    found = [where]
    children = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, child in children:
        found += locations(child, (*where, key))
    return found


def at(doc: Any, where: Where) -> Any:
    """The value at ``where``."""
    for key in where:
        doc = doc[key]
    return doc


def _place(draw: Callable, doc: dict, wanted: Callable[[Any], bool], root: bool = False) -> Where | None:
    """A place whose value is ``wanted`` (the root only if ``root``); None if there is none."""
    places = [w for w in locations(doc) if (root or w) and wanted(at(doc, w))]
    return draw(st.sampled_from(places)) if places else None


def odd_value(draw: Callable) -> Any:
    """A fresh copy of one of :data:`ODD_VALUES` (later mutations may change it in place)."""
    return copy.deepcopy(draw(st.sampled_from(ODD_VALUES)))


def delete(draw: Callable, doc: dict) -> None:
    """Remove a key or list entry anywhere."""
    where = _place(draw, doc, lambda _: True)
    if where:
        del at(doc, where[:-1])[where[-1]]


def add_unknown(draw: Callable, doc: dict) -> None:
    """Add an unknown key to any table."""
    where = _place(draw, doc, lambda v: isinstance(v, dict), root=True)
    at(doc, where)[UNKNOWN] = odd_value(draw)


def replace(draw: Callable, doc: dict) -> None:
    """Replace any value by an odd one."""
    where = _place(draw, doc, lambda _: True)
    if where:
        at(doc, where[:-1])[where[-1]] = odd_value(draw)


def duplicate(draw: Callable, doc: dict) -> None:
    """Repeat an entry of a list (a state, a body, a name)."""
    where = _place(draw, doc, lambda v: isinstance(v, list) and bool(v), root=True)
    if where is not None:
        entries = at(doc, where)
        entries.append(copy.deepcopy(draw(st.sampled_from(entries))))


def rename(draw: Callable, doc: dict) -> None:
    """Replace a string by another of the document (a duplicate or crossed name), an empty or an unknown one."""
    names = sorted({v for w in locations(doc) if isinstance(v := at(doc, w), str)} | {"", UNKNOWN})
    where = _place(draw, doc, lambda v: isinstance(v, str))
    if where:
        at(doc, where[:-1])[where[-1]] = draw(st.sampled_from(names))


def self_border(draw: Callable, doc: dict) -> None:
    """Make a state its own neighbour."""
    listed = doc.get("states")
    listed = listed if isinstance(listed, list) else []
    states = [s for s in listed if isinstance(s, dict) and isinstance(s.get("name"), str)]
    if states:
        state = draw(st.sampled_from(states))
        neighbours = state.get("neighbours")
        state["neighbours"] = [*neighbours, state["name"]] if isinstance(neighbours, list) else [state["name"]]


def nudge(draw: Callable, doc: dict) -> None:
    """Move a number to a likely allowed one (0, 1, doubled, halved, one more) or flip a switch."""
    where = _place(draw, doc, lambda v: isinstance(v, (int, float)))
    if where:
        value = at(doc, where)
        if isinstance(value, bool):
            choices: tuple[Any, ...] = (not value,)
        elif isinstance(value, int):
            choices = (0, 1, value * 2, value // 2, value + 1)
        else:
            choices = (0.0, 1.0, value * 2, value / 2, 1e-9)
        at(doc, where[:-1])[where[-1]] = draw(st.sampled_from(choices))


def extreme_parameters(draw: Callable, doc: dict) -> None:
    """Set one to five model parameters of a scenario's ``[model]`` table to an end of their range."""
    if not isinstance(doc.get("scenario"), dict):
        return
    if not isinstance(doc.get("model"), dict):
        doc["model"] = {}
    for p in draw(st.lists(st.sampled_from(PARAMETERS), min_size=1, max_size=5)):
        value = draw(st.sampled_from((p.low, p.high)))
        doc["model"][p.name] = int(value) if p.integer else float(value)


OPERATIONS = (delete, add_unknown, replace, duplicate, rename, self_border, nudge, extreme_parameters)
"""Every mutation."""

LIKELY_ALLOWED = (nudge, extreme_parameters)
"""Mutations that often keep a file valid, so that accepted files get simulated."""


@st.composite
def mutated(draw: Callable, base: dict, most: int = 3, operations: tuple[Callable, ...] = OPERATIONS) -> dict:
    """``base`` after one to ``most`` of ``operations``."""
    doc = copy.deepcopy(base)
    for _ in range(draw(st.integers(1, most))):
        draw(st.sampled_from(operations))(draw, doc)
    return doc


def variants(base: dict) -> st.SearchStrategy[dict]:
    """``base`` mutated by any operation (two times in three) or by those that keep it likely valid."""
    return st.one_of(mutated(base), mutated(base), mutated(base, operations=LIKELY_ALLOWED))


def with_states(base: dict, count: int) -> dict:
    """A scenario of ``count`` states cycled from ``base``'s, renamed ``S0``, ``S1``, ... and bordering
    in a chain; its bodies hold the first states, its scheduled measures and events are dropped."""
    doc = {key: value for key, value in copy.deepcopy(base).items() if key not in ("measures", "events")}
    states = []
    for i in range(count):
        state = copy.deepcopy(base["states"][i % len(base["states"])])
        state.update(name=f"S{i}", neighbours=[f"S{i - 1}"] if i else [])
        state.pop("refugees_to", None)
        states.append(state)
    doc["states"] = states
    for body in doc.get("bodies", []):
        body["members"] = [s["name"] for s in states[: len(body["members"])]]
    return doc


# --- checks ----------------------------------------------------------------------------------------------


def check_refusal(error: InputError, file: Path) -> None:
    """The error is one bounded line naming the file."""
    text = str(error)
    assert len(text.splitlines()) == 1 and "\n" not in text and "\r" not in text, text
    assert len(text) <= MAX_MESSAGE, len(text)
    assert text.startswith(f"{file}: "), text


def check_outcomes(table: pd.DataFrame, scenario: Scenario) -> None:
    """No NaN or infinity (empty weeks aside), no negative counts, no more deaths than people (in each
    state too, if the table has the per-state columns)."""
    outcomes = {column: describe(column) for column in table.columns.drop("replication")}
    empty = [column for column, outcome in outcomes.items() if outcome.kind == "nullable integer"]
    numbers = pd.concat(
        [table[empty].astype("float64").fillna(0.0), table.drop(columns=["replication", *empty])], axis=1
    )
    values = numbers.to_numpy(dtype=float)
    assert np.isfinite(values).all(), numbers.columns[~np.isfinite(values).all(axis=0)].tolist()
    signed = np.array([outcomes[column].name in SIGNED for column in numbers.columns])
    assert (values[:, ~signed] >= 0).all(), numbers.columns[~signed][(values[:, ~signed] < 0).any(axis=0)].tolist()
    population = {s.name: s.population for s in scenario.states}
    assert (table["deaths"] <= sum(population.values())).all(), table["deaths"]
    for name, people in population.items():
        assert f"deaths[{name}]" not in table or (table[f"deaths[{name}]"] <= people).all(), (name, people)


def horizon(weeks: int | None, scenario: Scenario) -> int:
    """The short horizon of a check run: at most :data:`MOST_WEEKS`."""
    return min(weeks or scenario.weeks, MOST_WEEKS)


def run_cli(argv: list[str]) -> tuple[int, str, str]:
    """Exit status, standard output and standard error of ``r2p ARGV``."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        status = main(argv)
    return status, out.getvalue(), err.getvalue()


def check_cli(argv: list[str]) -> None:
    """``r2p ARGV`` succeeds, or ends with status 2 and exactly one line on standard error."""
    status, out, err = run_cli(argv)
    if status == 0:
        assert "replications" in out and "Traceback" not in err, (out, err)
        return
    assert status == 2, (status, err)
    assert len(err.splitlines()) == 1 and err.startswith("r2p: error: "), err


class Fuzzer:
    """Writes each generated document to one file of a folder, hands the path to a check and counts."""

    def __init__(self, folder: Path, name: str) -> None:
        self.path = folder / f"{name.replace('/', '-')}.toml"
        self.written = 0

    def run(self, documents: st.SearchStrategy[dict], check: Callable[[Path], None], examples: int) -> None:
        """Run ``check`` on ``examples`` generated documents; assert that many files were written."""

        @fuzz_settings(examples)
        @given(documents)
        def one(doc: dict) -> None:
            self.path.write_text(toml_document(doc), encoding="utf-8")
            self.written += 1
            check(self.path)

        one()
        assert self.written >= examples, (self.written, examples)


def refused(load: Callable[[Path], Any], path: Path) -> Any | None:
    """``load(path)``, or None after checking its :class:`InputError` is one line naming ``path``."""
    try:
        return load(path)
    except InputError as error:
        check_refusal(error, path)
        return None

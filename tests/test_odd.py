"""docs/ODD.md matches the code: parameters, instruments, presets, state variables, schedule, outcomes.

The tables of the ODD live between ``<!-- BEGIN name -->`` and ``<!-- END name -->`` markers. Each
test renders the rows the code implies (the ``*_row`` functions below) and compares them with the
rows in the document, cell by cell. When a test fails, its message prints the expected Markdown
rows: paste them into docs/ODD.md (and check the prose around them still holds).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from sim.concepts import INSTRUMENT_NAMES, INSTRUMENTS, Actor, Instrument, Pillar
from sim.config import shipped
from sim.outcome_columns import outcome_table
from sim.parameters import PARAMETERS, Param
from sim.rng import Purpose
from sim.rules.outcomes import TRAJECTORY
from sim.schedule import STAGES
from sim.state import REGION_FIELDS, WORLD_FIELDS
from sim.strategy import load_strategy

ODD = Path(__file__).resolve().parent.parent / "docs" / "ODD.md"

AGENTS = {
    Actor.STATE: "StateAgent",
    Actor.REGIONAL_BODY: "RegionalOrganisation (else JointOffice)",
    Actor.SECURITY_COUNCIL: "SecurityCouncil",
    Actor.JOINT_OFFICE: "JointOffice",
    Actor.CIVIL_SOCIETY: "CivilSociety",
}
"""The Mesa agent that decides an instrument of each actor kind (``R2PModel.responsible``)."""


# --- rendering: what the code says each row must be -------------------------------------------


def number(x: float) -> str:
    """A number as the ODD writes it: ``:g`` when that is exact, else the full repr."""
    text = f"{x:g}"
    return text if float(text) == float(x) else repr(float(x))


def _cells(*cells: str) -> str:
    return "| " + " | ".join(cells) + " |"


def parameter_row(p: Param) -> str:
    """Row of the parameter table: name, default, unit, range, source, description (and its off value)."""
    allowed = f"[{number(p.low)}, {number(p.high)}]" + (" integer" if p.integer else "")
    text = p.description if p.off is None else f"{p.description} (off: {number(p.off)})"
    return _cells(f"`{p.name}`", number(p.default), p.unit, allowed, p.source, text)


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def instrument_row(ins: Instrument) -> str:
    """Row of the instrument table: flags and the effect sizes of the catalogue."""
    return _cells(
        f"`{ins.name}`",
        Pillar(ins.pillar).name,
        Actor(ins.actor).name.lower(),
        _yes(ins.council),
        _yes(ins.consent),
        _yes(ins.assembly),
        *(number(x) for x in (ins.relief, ins.capacity, ins.protection, ins.deterrence, ins.information)),
        number(ins.cost),
        number(ins.veto_base),
        number(ins.intrusive),
        _yes(ins.coercive),
        _yes(ins.sanction),
        f"`{ins.weaker}`" if ins.weaker else "",
        _yes(ins.article_4h),
    )


def instrument_role_row(ins: Instrument) -> str:
    """Row of the instrument description table: what it is and which Mesa agent decides it."""
    return _cells(f"`{ins.name}`", ins.description, AGENTS[Actor(ins.actor)])


def _setting(setting) -> str:
    if not setting.enabled:
        return "-"
    text = f"{number(setting.trigger)} / {setting.delay}"
    return text if setting.intensity == 1 else f"{text} / x{number(setting.intensity)}"


def preset_rows() -> list[str]:
    """Rows of the preset table: per instrument, ``trigger / delay`` (and ``/ xINTENSITY``) or ``-``."""
    strategies = [load_strategy(name) for name in shipped("strategies")]
    rows = [
        _cells(f"`{name}`", *(_setting(s.settings[k]) for s in strategies)) for k, name in enumerate(INSTRUMENT_NAMES)
    ]
    rows.append(_cells("veto_restraint", *(_yes(s.veto_restraint) for s in strategies)))
    rows.append(_cells("uniting_for_peace", *(_yes(s.uniting_for_peace) for s in strategies)))
    return rows


def preset_header() -> str:
    """Header row of the preset table."""
    return _cells("instrument", *(f"`{name}`" for name in shipped("strategies")))


def field_row(field: tuple) -> str:
    """Row of a state-variable table: name, type, description."""
    name, kind, shape, description = field
    kind = "integer" if np.dtype(kind).kind in "iu" else "float"
    if shape:
        kind += f"[{', '.join(str(n) for n in shape)}]"
    return _cells(f"`{name}`", kind, description)


# --- reading the document --------------------------------------------------------------------


@pytest.fixture(scope="module")
def odd() -> str:
    assert ODD.is_file(), "docs/ODD.md is missing"
    return ODD.read_text(encoding="utf-8")


def block(text: str, name: str) -> str:
    """The text between ``<!-- BEGIN name -->`` and ``<!-- END name -->``."""
    match = re.search(rf"<!-- BEGIN {name} -->\n(.*?)<!-- END {name} -->", text, re.S)
    assert match, f"docs/ODD.md has no block <!-- BEGIN {name} --> ... <!-- END {name} -->"
    return match.group(1)


def split(row: str) -> list[str]:
    """Cells of a Markdown table row, stripped."""
    return [cell.strip() for cell in row.strip().strip("|").split("|")]


def table_rows(text: str) -> list[str]:
    """Body rows of every Markdown table in ``text`` (header and rule rows dropped), normalised."""
    lines = [line.strip() for line in text.splitlines() if line.strip().startswith("|")]
    rows = []
    for n, line in enumerate(lines):
        rule = all(set(cell) <= set(":-") and cell for cell in split(line))
        header = n + 1 < len(lines) and all(set(c) <= set(":-") and c for c in split(lines[n + 1]))
        if not rule and not header:
            rows.append(_cells(*split(line)))
    return rows


def key(row: str) -> str:
    """First cell of a row without backticks."""
    return split(row)[0].strip("`")


def compare(doc_rows: list[str], expected: list[str], what: str) -> None:
    """Every expected row appears exactly as rendered, and no other row does."""
    by_key: dict[str, list[str]] = {}
    for row in doc_rows:
        by_key.setdefault(key(row), []).append(row)
    problems = []
    for row in expected:
        found = by_key.get(key(row), [])
        if found != [row]:
            shown = "\n    ".join(found) if found else "(no row)"
            problems.append(f"{what} {key(row)!r}:\n  doc:\n    {shown}\n  code says:\n    {row}")
    stale = sorted(set(by_key) - {key(row) for row in expected})
    if stale:
        problems.append(f"rows for {what}s that the code does not have: {', '.join(stale)}")
    assert not problems, "docs/ODD.md is out of date:\n" + "\n".join(problems)


# --- tests -----------------------------------------------------------------------------------


def test_every_parameter_has_its_row(odd: str) -> None:
    rows = table_rows(block(odd, "parameters"))
    compare(rows, [parameter_row(p) for p in PARAMETERS], "parameter")
    for p in PARAMETERS:
        cells = split(next(r for r in rows if key(r) == p.name))
        assert cells[0] == f"`{p.name}`" and cells[1] == number(p.default) and cells[4] == p.source
        assert float(cells[1]) == p.default, f"default of {p.name} in docs/ODD.md is not the code's"


def test_a_changed_default_is_caught(odd: str) -> None:
    """The check above would fail if a default changed in the code without the document."""
    rows = table_rows(block(odd, "parameters"))
    p = PARAMETERS[0]
    changed = Param(p.name, p.default + 1.0, p.unit, p.low, p.high, p.source, p.description, p.integer)
    with pytest.raises(AssertionError, match=p.name):
        compare(rows, [parameter_row(changed)], "parameter")


def test_every_instrument_has_its_rows(odd: str) -> None:
    compare(table_rows(block(odd, "instruments")), [instrument_row(i) for i in INSTRUMENTS], "instrument")
    compare(table_rows(block(odd, "instrument-roles")), [instrument_role_row(i) for i in INSTRUMENTS], "instrument")
    for name in INSTRUMENT_NAMES:
        assert f"`{name}`" in odd


def test_preset_table_matches_the_strategy_files(odd: str) -> None:
    text = block(odd, "presets")
    assert preset_header() in [_cells(*split(line)) for line in text.splitlines() if line.startswith("|")], (
        f"preset table header should be:\n{preset_header()}"
    )
    compare(table_rows(text), preset_rows(), "preset row")


def test_state_variables_are_documented(odd: str) -> None:
    compare(table_rows(block(odd, "region-fields")), [field_row(f) for f in REGION_FIELDS], "scenario field")
    compare(table_rows(block(odd, "world-fields")), [field_row(f) for f in WORLD_FIELDS], "state variable")


def test_schedule_lists_the_stages_in_the_code_order(odd: str) -> None:
    """The schedule table is ``sim.schedule.STAGES``, which both engines' weeks are made of
    (``tests/test_schedule.py``)."""
    rows = [split(row) for row in table_rows(block(odd, "schedule"))]
    expected = [[f"{n} {stage.name}", f"`{stage.rule.__name__}`", f"`{stage.actor}.{stage.method}()`"]
                for n, stage in enumerate(STAGES, 1)]  # fmt: skip
    assert [cells[:3] for cells in rows] == expected, f"schedule rows should start with {expected}"


def test_outcomes_trajectories_and_random_purposes_are_documented(odd: str) -> None:
    assert block(odd, "outcomes").strip() == outcome_table(), "outcome table should be outcome_table()"
    trajectory_keys = [key(row) for row in table_rows(block(odd, "trajectory"))]
    assert trajectory_keys == list(TRAJECTORY)
    purpose_keys = [key(row) for row in table_rows(block(odd, "purposes"))]
    assert purpose_keys == [p.name for p in Purpose]


def test_every_actor_is_named(odd: str) -> None:
    for agent in ("StateAgent", "RegionalOrganisation", "SecurityCouncil", "JointOffice", "CivilSociety"):
        assert f"`{agent}`" in odd

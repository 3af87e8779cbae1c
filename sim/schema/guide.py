"""The field tables of ``docs/user-guide.md``, written from the input models.

Each generated table sits between ``<!-- BEGIN NAME -->`` and ``<!-- END NAME -->`` in the guide;
``python -m sim.schema`` rewrites them (and ``schemas/*.json``), and ``tests/test_user_guide.py``
checks that they are current.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from sim.concepts import INSTRUMENTS
from sim.outcome_columns import outcome_table
from sim.parameters import BY_NAME
from sim.schema.calibration import CalibrationHead, EpisodeTable
from sim.schema.experiment import ExperimentHead, UncertainInput
from sim.schema.fit import FitHead, PriorTable, TargetTable
from sim.schema.optimize import OptimizeHead
from sim.schema.rules import Doc, rule_of
from sim.schema.scenario import (
    WARNING_KEYS,
    BodyTable,
    EventTable,
    MeasureTable,
    ModelTable,
    ScenarioHead,
    StateTable,
    WarningTable,
)
from sim.schema.sensitivity import ParameterInput, SensitivityHead
from sim.schema.strategy import SettingTable, StrategyHead
from sim.schema.validation import ValidationHead

HEADER = "| field | type | allowed | default | meaning |\n|---|---|---|---|---|"


def _doc(info: FieldInfo) -> Doc:
    return next((m for m in info.metadata if isinstance(m, Doc)), Doc())


def _default(info: FieldInfo) -> str:
    doc = _doc(info)
    if doc.default is not None:
        return doc.default
    if info.is_required():
        return "required"
    value = info.default
    if value is None:
        return "none"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, str):
        return f'`"{value}"`' if value == "" else f"`{value}`"
    if isinstance(value, tuple):
        return "`[]`"
    return f"{value:g}"


def row(model: type[BaseModel], name: str, *extra: str) -> str:
    """One guide row for field ``name`` of ``model`` (``extra``: cells after the name)."""
    info = model.model_fields[name]
    rule = rule_of(model, name)
    allowed = _doc(info).allowed or rule.allowed()
    cells = [f"`{name}`", *extra, rule.kind, allowed, _default(info), info.description or ""]
    return "| " + " | ".join(cells) + " |"


def field_table(model: type[BaseModel]) -> str:
    """The guide's table of every field of ``model``."""
    return "\n".join([HEADER, *(row(model, name) for name in model.model_fields)])


def warning_table() -> str:
    """The ``[warning]`` table, with the parameter each field sets."""
    head = "| field | sets parameter | type | allowed | default | meaning |\n|---|---|---|---|---|---|"
    return "\n".join([head, *(row(WarningTable, k, f"`{p}`") for k, p in WARNING_KEYS.items())])


def parameter_table() -> str:
    """The table of model parameters a scenario's ``[model]`` may override."""
    lines = ["| parameter | default | allowed | unit | meaning |", "|---|---|---|---|---|"]
    for name in ModelTable.model_fields:
        p = BY_NAME[name]
        default = f"{int(p.default)}" if p.integer else f"{p.default:g}"
        kind = "integer" if p.integer else "number"
        lines.append(f"| `{p.name}` | {default} | {kind} {p.low:g} to {p.high:g} | {p.unit} | {p.description} |")
    return "\n".join(lines)


def instrument_table() -> str:
    """The table of instruments, as ``NAME`` in ``[instruments.NAME]``."""

    def yes(flag: bool) -> str:
        return "yes" if flag else "no"

    lines = [
        "| instrument | pillar | decided by | needs the Council | needs consent | Uniting for Peace | what it is |",
        "|---|---|---|---|---|---|---|",
    ]
    for i in INSTRUMENTS:
        lines.append(f"| `{i.name}` | {int(i.pillar)} | {i.actor.name.lower().replace('_', ' ')} | {yes(i.council)} | "
                     f"{yes(i.consent)} | {yes(i.assembly)} | {i.description} |")  # fmt: skip
    return "\n".join(lines)


def tables() -> dict[str, str]:
    """Every generated table of the guide, by marker name."""
    models: dict[str, Any] = {
        "fields-scenario": ScenarioHead, "fields-bodies": BodyTable, "fields-states": StateTable,
        "fields-measures": MeasureTable, "fields-events": EventTable,
        "fields-strategy": StrategyHead, "fields-setting": SettingTable, "fields-experiment": ExperimentHead,
        "fields-uncertain": UncertainInput, "fields-sensitivity": SensitivityHead,
        "fields-parameters": ParameterInput, "fields-validation": ValidationHead,
        "fields-calibration": CalibrationHead, "fields-episodes": EpisodeTable,
        "fields-fit": FitHead, "fields-priors": PriorTable, "fields-targets": TargetTable,
        "fields-optimize": OptimizeHead,
    }  # fmt: skip
    out = {name: field_table(model) for name, model in models.items()}
    out.update({"fields-warning": warning_table(), "model-parameters": parameter_table(),
                "instruments": instrument_table(), "outcomes": outcome_table()})  # fmt: skip
    return out


def update(text: str, names: tuple[str, ...] | None = None) -> str:
    """``text`` (the guide, or another document) with the generated tables ``names`` (default: all) rewritten.

    Raises
    ------
    KeyError
        If the text lacks the markers of a table.
    """
    for name, table in tables().items():
        if names is not None and name not in names:
            continue
        pattern = re.compile(rf"(<!-- BEGIN {re.escape(name)} -->\n).*?(<!-- END {re.escape(name)} -->)", re.DOTALL)
        if not pattern.search(text):
            raise KeyError(f"no <!-- BEGIN {name} --> ... <!-- END {name} --> in the guide")
        text = pattern.sub(lambda m, t=table: f"{m.group(1)}{t}\n{m.group(2)}", text)
    return text

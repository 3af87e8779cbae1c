"""Every field that can be set by a dotted key, derived from the input models.

Experiment grids and uncertain inputs, sensitivity inputs, command-line overrides and the view's
controls name a field by a dotted key such as ``strategy.pillar3.delay``,
``strategy.instruments.mediation.trigger``, ``scenario.warning.noise``,
``scenario.model.shock_sd`` or ``scenario.states.Eastmarch.leadership``. :func:`lookup` is the
only parser of such keys: it returns a :class:`Key` with the field's rule (type, range or
choices), unit and description, and ``Key.apply`` sets the field on a scenario and a strategy.
:func:`apply_overrides` does the same for command-line ``KEY=VALUE`` overrides.

>>> key = lookup("strategy.pillar3.delay")
>>> key.low, key.high, key.integer
(0, 520, True)
"""

from __future__ import annotations

import dataclasses
import math
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from sim.concepts import INSTRUMENT_NAMES, Pillar
from sim.config import InputError, quote
from sim.parameters import BY_NAME, STRATEGY_SWITCHES
from sim.scenario import Scenario
from sim.schema.rules import Boolean, FieldError, Number, Rule, rule_of
from sim.schema.scenario import WARNING_KEYS, ModelTable, StateTable, WarningTable, check_severity
from sim.schema.strategy import SettingTable, StrategyHead
from sim.strategy import Strategy

Setter = Callable[[Scenario, Strategy, str, Any], tuple[Scenario, Strategy]]
"""Sets a field: ``(scenario, strategy, name, value) -> (scenario, strategy)``; ``name`` is what
the key's ``N`` or ``NAME`` stands for (a pillar number, an instrument or a state), or ``""``."""


@dataclass(frozen=True)
class Entry:
    """One settable field: the key ``pattern`` (``N`` and ``NAME`` stand for a pillar, an
    instrument or a state), the ``family`` of keys it belongs to, the value ``rule``, the field's
    ``unit`` and ``description``, what it ``applies`` to, and its ``setter``."""

    pattern: str
    family: str
    rule: Rule
    unit: str
    description: str
    applies: str
    setter: Setter = dataclasses.field(repr=False, compare=False)


@dataclass(frozen=True)
class Key:
    """A dotted key looked up in the registry: its :class:`Entry` and what ``N``/``NAME`` stands for."""

    key: str
    entry: Entry
    name: str = ""

    @property
    def rule(self) -> Rule:
        """The value rule of the field."""
        return self.entry.rule

    @property
    def numeric(self) -> bool:
        """Whether the field takes a number."""
        return isinstance(self.rule, Number)

    @property
    def integer(self) -> bool:
        """Whether the field takes whole numbers only."""
        return isinstance(self.rule, Number) and self.rule.integer

    @property
    def boolean(self) -> bool:
        """Whether the field takes true or false."""
        return isinstance(self.rule, Boolean)

    @property
    def low(self) -> float:
        """Smallest allowed value of a numeric field (a slider's start; the next float above the
        bound of a field that excludes it)."""
        number = self._number()
        return math.nextafter(number.low, math.inf) if number.above else number.low

    @property
    def high(self) -> float:
        """Largest allowed value of a numeric field (a slider's end)."""
        return self._number().high

    def _number(self) -> Number:
        if not isinstance(self.rule, Number):
            raise TypeError(f"{self.key} is not a numeric field")
        return self.rule

    def range_ends(self, low: float, high: float, file: str | Path, where: str) -> tuple[float, float]:
        """The ends ``low`` and ``high`` of a range over this field, as whole numbers if the field is.

        Raises
        ------
        InputError
            At ``where.low`` or ``where.high`` if the field takes whole numbers and an end is not one.
        """
        if not self.integer:
            return low, high
        for name, value in (("low", low), ("high", high)):
            if float(value) != int(value):
                raise InputError(file, f"{where}.{name}", f"{quote(value)} is not a whole number",
                                 f"a whole number, as {self.key} is")  # fmt: skip
        return int(low), int(high)

    def check(self, value: Any, file: str | Path = "grid", where: str | None = None) -> Any:
        """``value`` if the field allows it (as stored), else an :class:`InputError` at ``where``."""
        try:
            return self.rule.check(value)
        except FieldError as error:
            raise InputError(file, _where(self.key, where), error.problem, error.allowed) from None

    def apply(
        self, scenario: Scenario, strategy: Strategy, value: Any, file: str | Path = "grid", where: str | None = None
    ) -> tuple[Scenario, Strategy]:
        """Scenario and strategy with the field set to ``value``, checked as in its own file.

        Raises
        ------
        InputError
            At field ``where`` of ``file`` (default ``grid."KEY"``) if the value is not allowed.
        """
        checked = self.check(value, file, where)
        try:
            return self.entry.setter(scenario, strategy, self.name, checked)
        except FieldError as error:
            raise InputError(file, _where(self.key, where), error.problem, error.allowed) from None


def _where(key: str, where: str | None) -> str:
    return f'grid."{key}"' if where is None else where


# --- setters --------------------------------------------------------------------------------


def _switch(field: str) -> Setter:
    return lambda scenario, strategy, name, value: (scenario, strategy.replace(**{field: value}))


def _pillar(field: str) -> Setter:
    return lambda scenario, strategy, name, value: (scenario, strategy.with_pillar(int(name), **{field: value}))


def _instrument(field: str) -> Setter:
    return lambda scenario, strategy, name, value: (scenario, strategy.with_instrument(name, **{field: value}))


def _parameter(parameter: str) -> Setter:
    def setter(scenario: Scenario, strategy: Strategy, name: str, value: Any) -> tuple[Scenario, Strategy]:
        return scenario.replace(params={**scenario.params, parameter: float(value)}), strategy

    return setter


def _state(field: str) -> Setter:
    def setter(scenario: Scenario, strategy: Strategy, name: str, value: Any) -> tuple[Scenario, Strategy]:
        if name not in scenario.state_names:
            problem = f"scenario {quote(scenario.name)} has no state {quote(name)}"
            raise FieldError(problem, ", ".join(scenario.state_names))
        state = dataclasses.replace(next(s for s in scenario.states if s.name == name), **{field: value})
        check_severity(state.severity, state.phase, ())
        return scenario.with_state(name, **{field: value}), strategy

    return setter


# --- the registry ---------------------------------------------------------------------------


def _entry(pattern: str, family: str, model: type[BaseModel], field: str, applies: str, setter: Setter,
           unit: str = "") -> Entry:  # fmt: skip
    description = model.model_fields[field].description or ""
    return Entry(pattern, family, rule_of(model, field), unit, description, applies, setter)


STATE_FIELDS = tuple(f for f in StateTable.model_fields if f not in {"name", "neighbours"})
"""State fields a key may set (a state's name and borders tie it to the rest of the scenario)."""

SETTING_FIELDS = tuple(SettingTable.model_fields)
"""Fields of an instrument setting."""

_STATE_UNITS = {"population": "persons", "vulnerable_share": "share", "capacity": "0..1", "tension": "0..1",
                "salience": "0..1", "civil_society": "0..1", "severity": "x"}  # fmt: skip
_SETTING_UNITS = {"trigger": "perceived risk 0..1", "delay": "weeks", "intensity": "0..1"}

ENTRIES: tuple[Entry, ...] = (
    *(_entry(f"strategy.{s}", "strategy.veto_restraint, strategy.uniting_for_peace", StrategyHead, s,
             "every instrument of the strategy", _switch(s), "true/false") for s in STRATEGY_SWITCHES),
    *(_entry(f"strategy.pillarN.{f}", "strategy.pillarN.FIELD", SettingTable, f,
             "every instrument of pillar N (1, 2, 3)", _pillar(f), _SETTING_UNITS.get(f, "true/false"))
      for f in SETTING_FIELDS),
    *(_entry(f"strategy.instruments.NAME.{f}", "strategy.instruments.NAME.FIELD", SettingTable, f,
             "instrument NAME", _instrument(f), _SETTING_UNITS.get(f, "true/false")) for f in SETTING_FIELDS),
    *(_entry(f"scenario.warning.{k}", "scenario.warning.KEY", WarningTable, k, f"model parameter `{p}`",
             _parameter(p), BY_NAME[p].unit) for k, p in WARNING_KEYS.items()),
    *(_entry(f"scenario.model.{p}", "scenario.model.PARAMETER", ModelTable, p, "the scenario's parameters",
             _parameter(p), BY_NAME[p].unit) for p in ModelTable.model_fields),
    *(_entry(f"scenario.states.NAME.{f}", "scenario.states.NAME.FIELD", StateTable, f, "state NAME of the scenario",
             _state(f), _STATE_UNITS.get(f, "")) for f in STATE_FIELDS),
)  # fmt: skip
"""Every settable field, by key pattern."""

FAMILIES = tuple(dict.fromkeys(", ".join(e.family for e in ENTRIES).split(", ")))
"""The forms of a dotted key, as error messages list them."""

_BY_PATTERN = {e.pattern: e for e in ENTRIES}
_PILLARS = [f"pillar{int(p)}" for p in Pillar]


def _find(key: str) -> Key:
    """The :class:`Key` of ``key``; :class:`FieldError` if it names no settable field."""
    parts = key.split(".")
    head, rest = parts[0], parts[1:]
    if head == "strategy" and len(rest) == 1 and rest[0] in STRATEGY_SWITCHES:
        return Key(key, _BY_PATTERN[key])
    if head == "strategy" and len(rest) == 2 and rest[0] in _PILLARS:
        return Key(key, _member("strategy.pillarN", rest[1], SETTING_FIELDS, "is not an instrument setting"),
                   rest[0].removeprefix("pillar"))  # fmt: skip
    if head == "strategy" and len(rest) == 3 and rest[0] == "instruments":
        if rest[1] not in INSTRUMENT_NAMES:
            raise FieldError(f"{quote(rest[1])} is not an instrument", ", ".join(INSTRUMENT_NAMES))
        return Key(key, _member("strategy.instruments.NAME", rest[2], SETTING_FIELDS, "is not an instrument setting"),
                   rest[1])  # fmt: skip
    if head == "scenario" and len(rest) == 2 and rest[0] == "warning":
        return Key(key, _member("scenario.warning", rest[1], tuple(WARNING_KEYS), "is not a [warning] field"))
    if head == "scenario" and len(rest) == 2 and rest[0] == "model":
        if rest[1] not in ModelTable.model_fields:
            raise FieldError(ModelTable.unknown, ", ".join(ModelTable.model_fields))
        return Key(key, _BY_PATTERN[key])
    if head == "scenario" and len(rest) == 3 and rest[0] == "states":
        entry = _member("scenario.states.NAME", rest[2], STATE_FIELDS, "is not a state field a grid can set")
        return Key(key, entry, rest[1])
    raise FieldError("names no scenario or strategy field", ", ".join(FAMILIES))


def _member(prefix: str, field: str, fields: tuple[str, ...], problem: str) -> Entry:
    if field not in fields:
        raise FieldError(f"{quote(field)} {problem}", ", ".join(fields))
    return _BY_PATTERN[f"{prefix}.{field}"]


def lookup(key: str, file: str | Path = "grid", where: str | None = None) -> Key:
    """The registry's :class:`Key` for dotted ``key``, e.g. ``lookup("strategy.pillar3.delay").high``.

    Raises
    ------
    InputError
        At field ``where`` of ``file`` (default ``grid."KEY"``), listing the allowed forms, if
        ``key`` names no settable field.
    """
    try:
        return _find(key)
    except FieldError as error:
        raise InputError(file, _where(key, where), error.problem, error.allowed) from None


def override(text: str, flag: str = "--set") -> tuple[Key, Any]:
    """A command-line override ``KEY=VALUE`` (``VALUE`` written as in TOML: ``4``, ``0.3``, ``true``,
    ``"determined"``, ``["coup"]``; a bare word is taken as a string) as its key and value, as
    written (the value checked; ``Key.apply`` takes it).

    Raises
    ------
    InputError
        Naming ``flag`` if the text is not ``KEY=VALUE``, the key names no settable field or the
        value is not allowed there.
    """
    key, equals, raw = text.partition("=")
    if not equals or not key.strip():
        raise InputError(flag, "", f"{quote(text)} is not KEY=VALUE", "e.g. strategy.pillar3.delay=4")
    key, raw = key.strip(), raw.strip()
    try:
        value = tomllib.loads(f"v = {raw}")["v"]
    except tomllib.TOMLDecodeError:
        value = raw
    found = lookup(key, flag, key)
    found.check(value, flag, key)
    return found, value


def apply_overrides(
    scenario: Scenario, strategy: Strategy, texts: list[str], flag: str = "--set"
) -> tuple[Scenario, Strategy]:
    """Scenario and strategy with every ``KEY=VALUE`` of ``texts`` applied in order (see :func:`override`)."""
    for text in texts:
        found, value = override(text, flag)
        scenario, strategy = found.apply(scenario, strategy, value, flag, found.key)
    return scenario, strategy


def json_pattern(entry: Entry) -> str:
    """A regular expression that matches the keys of ``entry`` (for JSON Schema ``patternProperties``)."""
    name = {
        "strategy.pillarN": "strategy\\.pillar[123]",
        "strategy.instruments.NAME": f"strategy\\.instruments\\.({'|'.join(INSTRUMENT_NAMES)})",
        "scenario.states.NAME": "scenario\\.states\\.[^.]+",
    }
    prefix, _, field = entry.pattern.rpartition(".")
    return f"^{name.get(prefix, re.escape(prefix))}\\.{re.escape(field)}$"

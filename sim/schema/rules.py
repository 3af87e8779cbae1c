"""Value rules of input fields, the base of every input table, and pydantic errors as one line.

A rule (:class:`Number`, :class:`Boolean`, :class:`Text`, :class:`Choice`, :class:`Names`,
:class:`Pair`, :class:`Numbers`, :class:`Shares`, :class:`Version`) is the metadata of an ``Annotated`` field
type: pydantic validates the field with it, the JSON Schema describes it, and
:mod:`sim.schema.registry` reads its type and range.
A value the rule refuses raises :class:`FieldError`, whose text is the message users see.
"""

from __future__ import annotations

import datetime
import math
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, ConfigDict, ValidationError
from pydantic.json_schema import GenerateJsonSchema
from pydantic_core import core_schema

from sim.config import InputError, quote


class FieldError(ValueError):
    """A refused value: ``problem`` and what is ``allowed``; ``at`` is the field, relative to the
    table being validated (for checks that span several fields). Raised inside a pydantic
    validator, it becomes the one-line message of :func:`one_line`."""

    def __init__(self, problem: str, allowed: str = "", at: tuple[str | int, ...] = ()) -> None:
        super().__init__(problem)
        self.problem = problem
        self.allowed = allowed
        self.at = at


def describe(value: Any) -> str:
    """A value with its TOML-side type, as error messages show it: ``'long' (str)``."""
    return f"{quote(value)} ({type(value).__name__})"


class Rule(ABC):
    """Base of the value rules: pydantic metadata that validates with :meth:`check`."""

    kind = ""
    """Type name in the user guide: ``number``, ``integer``, ``text``, ``choice``, ..."""

    @abstractmethod
    def check(self, value: Any) -> Any:
        """Return ``value`` if allowed (as stored), else raise :class:`FieldError`."""

    @abstractmethod
    def json_schema(self) -> dict[str, Any]:
        """The JSON Schema of an allowed value."""

    def allowed(self) -> str:
        """What is allowed, for the user guide."""
        return "any"

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(self.check)

    def __get_pydantic_json_schema__(self, schema: Any, handler: Any) -> dict[str, Any]:
        return self.json_schema()


@dataclass(frozen=True)
class Number(Rule):
    """A finite number in ``[low, high]`` (an integer when ``integer``); kept as written (a TOML
    integer stays an ``int``)."""

    low: float
    high: float
    integer: bool = False
    above: bool = False
    """``low`` itself is not allowed (e.g. an odds ratio, whose logarithm the model takes)."""

    @property
    def kind(self) -> str:  # type: ignore[override]
        return "integer" if self.integer else "number"

    def range_text(self) -> str:
        """``an integer from 0 to 520``, ``a number above 0, up to 20``."""
        start = f"above {self.low:g}, up" if self.above else f"from {self.low:g}"
        return f"{'an integer' if self.integer else 'a number'} {start} to {self.high:g}"

    def _in_range(self, value: float) -> bool:
        return (self.low < value if self.above else self.low <= value) and value <= self.high

    def check(self, value: Any) -> Any:
        ok_type = isinstance(value, int) if self.integer else isinstance(value, (int, float))
        if isinstance(value, bool) or not ok_type:
            article = "an integer" if self.integer else "a number"
            raise FieldError(f"expected {article}, got {describe(value)}", self.range_text())
        if (isinstance(value, float) and not math.isfinite(value)) or not self._in_range(value):
            raise FieldError(f"{quote(value)} is out of range", self.range_text())
        return value

    def json_schema(self) -> dict[str, Any]:
        return {"type": self.kind, "exclusiveMinimum" if self.above else "minimum": self.low, "maximum": self.high}

    def allowed(self) -> str:
        def text(x: float) -> str:
            return f"{int(x):,}" if float(x).is_integer() and abs(x) >= 1e5 and abs(x) < 1e19 else f"{x:g}"

        return f"{'> ' if self.above else ''}{text(self.low)} to {text(self.high)}"


@dataclass(frozen=True)
class Boolean(Rule):
    """``true`` or ``false``."""

    kind = "true/false"

    def check(self, value: Any) -> bool:
        if not isinstance(value, bool):
            raise FieldError(f"expected true or false, got {describe(value)}", "true, false")
        return value

    def json_schema(self) -> dict[str, Any]:
        return {"type": "boolean"}

    def allowed(self) -> str:
        return "`true`, `false`"


@dataclass(frozen=True)
class Text(Rule):
    """A string."""

    kind = "text"

    def check(self, value: Any) -> str:
        if not isinstance(value, str):
            raise FieldError(f"expected a string, got {describe(value)}", "a quoted string")
        return value

    def json_schema(self) -> dict[str, Any]:
        return {"type": "string"}


@dataclass(frozen=True)
class Day(Rule):
    """A calendar date, written as a quoted string ``"1994-03-28"`` (as in JSON)."""

    kind = "date"

    def check(self, value: Any) -> datetime.date:
        if isinstance(value, str):
            try:
                return datetime.date.fromisoformat(value)
            except ValueError:
                pass
        raise FieldError(f"expected a date, got {describe(value)}", 'a quoted date such as "1994-03-28"')

    def json_schema(self) -> dict[str, Any]:
        return {"type": "string", "format": "date"}

    def allowed(self) -> str:
        return 'a quoted date, "YYYY-MM-DD"'


@dataclass(frozen=True)
class Choice(Rule):
    """One string of ``choices``."""

    choices: tuple[str, ...]
    kind = "choice"

    def check(self, value: Any) -> str:
        if not isinstance(value, str) or value not in self.choices:
            raise FieldError(f"{quote(value)} is not allowed", ", ".join(self.choices))
        return value

    def json_schema(self) -> dict[str, Any]:
        return {"type": "string", "enum": list(self.choices)}

    def allowed(self) -> str:
        named = [f"`{c}`" for c in self.choices if c]
        return ", ".join(named) + (', or `""`' if "" in self.choices else "")


@dataclass(frozen=True)
class Names(Rule):
    """A list of strings without repeats (each one of ``choices`` if given), stored as a tuple."""

    choices: tuple[str, ...] | None = None
    kind = "list of names"

    def check(self, value: Any) -> tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise FieldError(f"expected a list of strings, got {describe(value)}")
        for v in value:
            if self.choices is not None and v not in self.choices:
                raise FieldError(f"{quote(v)} is not allowed", ", ".join(self.choices))
        if len(set(value)) != len(value):
            raise FieldError("has repeated entries")
        return tuple(value)

    def json_schema(self) -> dict[str, Any]:
        items: dict[str, Any] = {"type": "string"}
        if self.choices is not None:
            items["enum"] = list(self.choices)
        return {"type": "array", "items": items, "uniqueItems": True}

    def allowed(self) -> str:
        return "any names" if self.choices is None else ", ".join(f"`{c}`" for c in self.choices)


@dataclass(frozen=True)
class Pair(Rule):
    """Two numbers ``[a, b]`` in ``[low, high]`` with ``a < b`` (``a <= b`` if not ``strict``), as a tuple."""

    low: float
    high: float
    strict: bool = True
    kind = "two numbers"

    def allowed(self) -> str:
        return f"[a, b] with {self.low:g} <= a {'<' if self.strict else '<='} b <= {self.high:g}"

    def check(self, value: Any) -> tuple[Any, Any]:
        if not (isinstance(value, list) and len(value) == 2):
            raise FieldError(f"expected two numbers, got {quote(value)}", self.allowed())
        a, b = (Number(self.low, self.high).check(v) for v in value)
        if a > b or (self.strict and a == b):
            raise FieldError(f"the first value must be {'below' if self.strict else 'at most'} the second",
                             self.allowed())  # fmt: skip
        return a, b

    def json_schema(self) -> dict[str, Any]:
        number = Number(self.low, self.high).json_schema()
        return {"type": "array", "prefixItems": [number, number], "minItems": 2, "maxItems": 2}


@dataclass(frozen=True)
class Numbers(Rule):
    """A list of numbers in ``[low, high]`` (integers when ``integer``), at least ``least``, as a tuple."""

    low: float
    high: float
    integer: bool = False
    least: int = 0
    kind = "list of numbers"

    def allowed(self) -> str:
        return f"{'integers' if self.integer else 'numbers'} from {self.low:g} to {self.high:g}"

    def check(self, value: Any) -> tuple[Any, ...]:
        if not isinstance(value, list) or len(value) < self.least:
            some = f"at least {self.least} " if self.least else ""
            raise FieldError(f"expected a list of {some}numbers, got {quote(value)}", self.allowed())
        return tuple(Number(self.low, self.high, self.integer).check(v) for v in value)

    def json_schema(self) -> dict[str, Any]:
        return {"type": "array", "items": Number(self.low, self.high, self.integer).json_schema(),
                "minItems": self.least}  # fmt: skip


@dataclass(frozen=True)
class Shares(Rule):
    """A table of names to numbers in ``[0, 1]``, stored as sorted (name, value) pairs.

    ``choices``: the allowed names (None: any); ``whole``: the numbers must sum to 1 (an empty
    table: none given).
    """

    choices: tuple[str, ...] | None = None
    whole: bool = False
    kind = "table of numbers"

    def allowed(self) -> str:
        names = "names" if self.choices is None else "keys " + ", ".join(f"`{c}`" for c in self.choices) + ","
        return f"{names} each a number from 0 to 1" + (", that sum to 1" if self.whole else "")

    def check(self, value: Any) -> tuple[tuple[str, float], ...]:
        if not isinstance(value, dict) or not all(isinstance(k, str) for k in value):
            raise FieldError(f"expected a table of names to numbers, got {describe(value)}", self.allowed())
        shares = {}
        for name, share in value.items():
            if self.choices is not None and name not in self.choices:
                raise FieldError(f"{quote(name)} is not allowed", ", ".join(self.choices))
            try:
                shares[name] = float(Number(0, 1).check(share))
            except FieldError as problem:
                raise FieldError(problem.problem, problem.allowed, (name,)) from None
        if self.whole and shares and abs(sum(shares.values()) - 1.0) > 1e-9:
            raise FieldError(f"the shares sum to {sum(shares.values()):g}", self.allowed())
        return tuple(sorted(shares.items()))

    def json_schema(self) -> dict[str, Any]:
        number = Number(0, 1).json_schema()
        if self.choices is None:
            return {"type": "object", "additionalProperties": number}
        return {"type": "object", "properties": {c: number for c in self.choices}, "additionalProperties": False}


@dataclass(frozen=True)
class FlagOrNames(Boolean):
    """``true``, ``false``, or a list of names of ``choices`` without repeats (stored as a tuple): a
    switch that can also be thrown for some of its subjects only."""

    choices: tuple[str, ...]
    kind = "true/false or list of names"

    def allowed(self) -> str:
        return "`true`, `false`, or a list of " + ", ".join(f"`{c}`" for c in self.choices)

    def check(self, value: Any) -> bool | tuple[str, ...]:
        if isinstance(value, bool):
            return value
        if not isinstance(value, list):
            raise FieldError(f"expected true, false or a list of names, got {describe(value)}", self.allowed())
        return Names(self.choices).check(value)

    def json_schema(self) -> dict[str, Any]:
        return {"oneOf": [{"type": "boolean"}, Names(self.choices).json_schema()]}


SCHEMA_VERSIONS = (1,)
"""Versions of the input file format this code reads (1: the format without a version field)."""


@dataclass(frozen=True)
class Version(Rule):
    """The ``schema_version`` of a file: a known version number."""

    kind = "integer"

    def check(self, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value not in SCHEMA_VERSIONS:
            raise FieldError(f"schema version {quote(value)} is not known", ", ".join(map(str, SCHEMA_VERSIONS)))
        return value

    def json_schema(self) -> dict[str, Any]:
        return {"type": "integer", "enum": list(SCHEMA_VERSIONS)}

    def allowed(self) -> str:
        return ", ".join(map(str, SCHEMA_VERSIONS))


@dataclass(frozen=True)
class Doc:
    """Field metadata for the user guide only: how to describe what is ``allowed`` and the
    ``default`` where the rule and the default value do not say it well."""

    allowed: str | None = None
    default: str | None = None


VERSION = Annotated[int, Version(), Doc(default="1")]
"""Type of the ``schema_version`` field of each file's head table."""

VERSION_TEXT = "version of the input format; leave it out or write 1 (the only version so far)"


class Table(BaseModel):
    """Base of every input table: unknown fields are errors; ``unknown`` is the problem an
    unknown field is reported with."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    unknown: ClassVar[str] = "unknown field"


def rule_of(model: type[BaseModel], name: str) -> Rule:
    """The value rule of field ``name`` of ``model``."""
    return next(m for m in model.model_fields[name].metadata if isinstance(m, Rule))


def tables(value: Any, key: str, most: int | None = None) -> Any:
    """Check the raw value of an array of tables ``[[key]]``: a non-empty list (of at most ``most``)."""
    if not isinstance(value, list) or not value:
        raise FieldError(f"expected one or more [[{key}]] tables, got {describe(value)}")
    if most is not None and len(value) > most:
        raise FieldError(f"{len(value)} {key}", f"at most {most}")
    return value


def location(loc: Sequence[str | int]) -> str:
    """A field's dotted name as messages spell it: ``states[3].leadership``, ``grid."a.b"``."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            name = f'"{part}"' if "." in part or not part else part
            text += f".{name}" if text else name
    return text


def _model_at(model: type[BaseModel], loc: Sequence[str | int]) -> type[BaseModel] | None:
    """The table model at location ``loc`` under ``model``, if ``loc`` leads to one."""
    keyed = False  # the previous field was a table of tables by key: this part is a key
    for part in loc:
        if isinstance(part, int) or keyed:
            keyed = False
            continue
        field = model.model_fields.get(part)
        if field is None:
            return None
        target = field.annotation
        keyed = getattr(target, "__origin__", None) is dict
        for inner in getattr(target, "__args__", ()):
            if isinstance(inner, type) and issubclass(inner, BaseModel):
                target = inner
        if not (isinstance(target, type) and issubclass(target, BaseModel)):
            return None
        model = target
    return model


def one_line(error: ValidationError, file: str | Path, model: type[BaseModel], where: str = "") -> InputError:
    """The first error of ``error`` (from validating ``model``) as one :class:`InputError` line;
    ``where`` is the location of the validated table in the file, if not its top."""
    first = error.errors()[0]
    loc = tuple(first["loc"])
    kind, ctx, value = first["type"], first.get("ctx") or {}, first.get("input")
    allowed = ""
    if kind == "value_error" and isinstance(ctx.get("error"), FieldError):
        refused = ctx["error"]
        loc += refused.at
        problem, allowed = refused.problem, refused.allowed
    elif kind == "missing":
        problem = "missing"
    elif kind == "extra_forbidden":
        table = _model_at(model, loc[:-1])
        problem = table.unknown if table is not None and issubclass(table, Table) else "unknown field"
        allowed = ", ".join(table.model_fields) if table is not None else ""
        allowed = allowed or "none"
    elif kind in ("model_type", "dict_type", "model_attributes_type"):
        problem = f"expected a table, got {describe(value)}"
    else:
        problem = first["msg"][:1].lower() + first["msg"][1:]
    path = location(loc)
    if where:
        path = f"{where}.{path}" if path and not path.startswith("[") else f"{where}{path}"
    return InputError(file, path, problem, allowed)


def validate(model: type[Table], data: Any, file: str | Path, where: str = "") -> Any:
    """``model`` validated from ``data``; errors as one :class:`InputError` line."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise one_line(error, file, model, where) from None


class TomlSchema(GenerateJsonSchema):
    """JSON Schema for TOML files: no ``null`` defaults (TOML has no null; a field left out is absent)."""

    def default_schema(self, schema: Any) -> dict[str, Any]:
        json = super().default_schema(schema)
        if json.get("default", 0) is None:
            del json["default"]
        return json

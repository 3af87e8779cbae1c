"""Reading and checking TOML input files, with one-line errors that name file, field and rule."""

from __future__ import annotations

import math
import tomllib
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
_PACKAGED = Path(__file__).resolve().parent / "data"
_SINGULAR = {"scenarios": "scenario", "strategies": "strategy", "experiments": "experiment"}


class InputError(ValueError):
    """Bad user input. ``str(error)`` is one line: ``FILE: FIELD: problem; allowed: ...``."""

    def __init__(self, file: str | Path, field: str, problem: str, allowed: str = "") -> None:
        text = f"{file}: {field}: {problem}" if field else f"{file}: {problem}"
        if allowed:
            text += f"; allowed: {allowed}"
        super().__init__(text)


def data_dir(kind: str) -> Path:
    """Folder of shipped ``scenarios``, ``strategies`` or ``experiments`` files."""
    packaged = _PACKAGED / kind
    return packaged if packaged.is_dir() else REPO_ROOT / kind


def shipped(kind: str) -> list[str]:
    """Names of the shipped files of a kind, sorted."""
    return sorted(path.stem for path in data_dir(kind).glob("*.toml"))


def resolve(name_or_path: str | Path, kind: str) -> Path:
    """Find a shipped file by name (``NAME`` or ``FOLDER/NAME``), or take a path to a ``.toml`` file."""
    text = str(name_or_path)
    nested = data_dir(kind) / f"{text}.toml"
    if "/" in text and not text.endswith(".toml") and nested.is_file():
        return nested  # a shipped file in a subfolder, e.g. "historical/rwanda_1994"
    if text.endswith(".toml") or "/" in text or "\\" in text:
        path = Path(text)
        if not path.is_file():
            raise InputError(text, "", "file not found")
        return path
    path = data_dir(kind) / f"{text}.toml"
    if not path.is_file():
        raise InputError(text, "", f"no shipped {_SINGULAR[kind]} of that name", ", ".join(shipped(kind)))
    return path


def read_toml(path: Path) -> dict[str, Any]:
    """Parse a TOML file, turning syntax and encoding errors into :class:`InputError`."""
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        raise InputError(path, "", f"invalid TOML ({error})") from None
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(path, "", f"cannot be read ({error})") from None


_REQUIRED = object()


def _describe(value: Any) -> str:
    return f"{value!r} ({type(value).__name__})"


class Fields:
    """Take typed, range-checked fields out of one TOML table; :meth:`done` rejects leftovers."""

    def __init__(self, data: Any, file: str | Path, where: str) -> None:
        if not isinstance(data, dict):
            raise InputError(file, where, f"expected a table, got {_describe(data)}")
        self.data = dict(data)
        self.file = file
        self.where = where
        self.known: list[str] = []

    def path(self, key: str) -> str:
        """Dotted name of a field of this table."""
        return f"{self.where}.{key}" if self.where else key

    def error(self, key: str, problem: str, allowed: str = "") -> InputError:
        """An :class:`InputError` about field ``key``."""
        return InputError(self.file, self.path(key), problem, allowed)

    def _raw(self, key: str, default: Any) -> Any:
        self.known.append(key)
        if key in self.data:
            return self.data.pop(key)
        if default is _REQUIRED:
            raise self.error(key, "missing")
        return default

    def number(self, key: str, low: float, high: float, default: Any = _REQUIRED, integer: bool = False) -> Any:
        """A number in ``[low, high]`` (an integer when ``integer``)."""
        value = self._raw(key, default)
        kind = "an integer" if integer else "a number"
        allowed = f"{kind} from {low:g} to {high:g}"
        ok_type = isinstance(value, int) if integer else isinstance(value, (int, float))
        if isinstance(value, bool) or not ok_type:
            raise self.error(key, f"expected {kind}, got {_describe(value)}", allowed)
        if (isinstance(value, float) and not math.isfinite(value)) or not low <= value <= high:
            raise self.error(key, f"{value!r} is out of range", allowed)
        return value

    def boolean(self, key: str, default: Any = _REQUIRED) -> bool:
        """``true`` or ``false``."""
        value = self._raw(key, default)
        if not isinstance(value, bool):
            raise self.error(key, f"expected true or false, got {_describe(value)}", "true, false")
        return value

    def text(self, key: str, default: Any = _REQUIRED) -> str:
        """A string."""
        value = self._raw(key, default)
        if not isinstance(value, str):
            raise self.error(key, f"expected a string, got {_describe(value)}", "a quoted string")
        return value

    def choice(self, key: str, choices: list[str], default: Any = _REQUIRED) -> str:
        """One of ``choices``."""
        value = self._raw(key, default)
        if value not in choices:
            raise self.error(key, f"{value!r} is not allowed", ", ".join(choices))
        return value

    def names(self, key: str, choices: list[str] | None = None, default: Any = _REQUIRED) -> list[str]:
        """A list of strings (each one of ``choices`` if given), without repeats."""
        value = self._raw(key, default)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.error(key, f"expected a list of strings, got {_describe(value)}")
        for v in value:
            if choices is not None and v not in choices:
                raise self.error(key, f"{v!r} is not allowed", ", ".join(choices))
        if len(set(value)) != len(value):
            raise self.error(key, "has repeated entries")
        return value

    def table(self, key: str, default: Any = _REQUIRED) -> Fields:
        """A sub-table, as :class:`Fields`."""
        return Fields(self._raw(key, default), self.file, self.path(key))

    def tables(self, key: str) -> list[Fields]:
        """An array of tables (``[[key]]``)."""
        value = self._raw(key, _REQUIRED)
        if not isinstance(value, list) or not value:
            raise self.error(key, f"expected one or more [[{key}]] tables, got {_describe(value)}")
        return [Fields(item, self.file, f"{self.path(key)}[{n}]") for n, item in enumerate(value)]

    def rest(self) -> dict[str, Any]:
        """Fields not taken yet (the caller checks them)."""
        rest, self.data = self.data, {}
        return rest

    def done(self) -> None:
        """Reject any field that was not taken."""
        if self.data:
            key = sorted(self.data)[0]
            raise self.error(key, "unknown field", ", ".join(self.known) or "none")

"""Finding and reading TOML input files, and the one-line error every bad input raises.

The fields of each kind of file are checked by its model in :mod:`sim.schema`.
"""

from __future__ import annotations

import math
import re
import reprlib
import sys
import tomllib
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
_PACKAGED = Path(__file__).resolve().parent / "data"
_SINGULAR = {"scenarios": "scenario", "strategies": "strategy", "experiments": "experiment"}

_PART_LENGTHS = {"file": 200, "field": 200, "problem": 400, "allowed": 2000}
"""Most characters of each part of an :class:`InputError` line (the longest ``allowed`` list, of
the model parameters, is about 1,800)."""

MAX_MESSAGE = sum(_PART_LENGTHS.values()) + len(": : ; allowed: ")
"""Most characters of an :class:`InputError` line."""

_QUOTE = reprlib.Repr()
_QUOTE.maxlevel, _QUOTE.maxstring, _QUOTE.maxother = 2, 60, 60
_QUOTE.maxtuple = _QUOTE.maxlist = _QUOTE.maxdict = _QUOTE.maxset = 4
_QUOTE.fillvalue = "…"
_UNSAFE = re.compile(r"[^\S ]|[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def quote(value: Any) -> str:
    """A short, one-line ``repr`` of a value echoed in a message (long strings, deep or long lists
    and huge numbers are shortened with ``…``)."""
    if isinstance(value, int) and value.bit_length() > 128:  # repr fails beyond 4,300 digits
        return f"an integer of about {round(value.bit_length() * math.log10(2))} digits"
    return _QUOTE.repr(value)


def _part(text: object, most: int) -> str:
    """``text`` on one line (line breaks and other control characters escaped), at most ``most``
    characters (the middle cut out)."""
    line = _UNSAFE.sub(lambda match: repr(match.group())[1:-1], str(text))
    if len(line) <= most:
        return line
    head = (most - 1) // 2
    return f"{line[:head]}…{line[len(line) - (most - 1 - head) :]}"


class InputError(ValueError):
    """Bad user input. ``str(error)`` is one line: ``FILE: FIELD: problem; allowed: ...``, of at
    most :data:`MAX_MESSAGE` characters (each part escaped and shortened if need be)."""

    def __init__(self, file: str | Path, field: str, problem: str, allowed: str = "") -> None:
        parts = {"file": file, "field": field, "problem": problem, "allowed": allowed}
        file, field, problem, allowed = (_part(text, _PART_LENGTHS[name]) for name, text in parts.items())
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
    try:
        return _resolve(str(name_or_path), kind)
    except InputError:
        raise
    except (OSError, ValueError) as error:  # a name too long for the file system, a NUL byte
        problem = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        raise InputError(name_or_path, "", f"cannot be opened ({problem})") from None


def _resolve(text: str, kind: str) -> Path:
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
    except RecursionError:
        raise InputError(path, "", "invalid TOML (arrays or tables nested too deeply)") from None
    except ValueError:  # the only other ValueError of tomllib: an integer too long to convert
        digits = sys.get_int_max_str_digits()
        raise InputError(path, "", f"invalid TOML (an integer of more than {digits} digits)") from None

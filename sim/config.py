"""Finding and reading TOML input files, and the one-line error every bad input raises.

The fields of each kind of file are checked by its model in :mod:`sim.schema`.
"""

from __future__ import annotations

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

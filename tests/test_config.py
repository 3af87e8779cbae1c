"""``sim.config``: the one-line :class:`InputError` (escaped, bounded parts), ``quote``, and TOML files
or names that used to end in a traceback (commit cb320ca)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.config import MAX_MESSAGE, InputError, quote, read_toml, resolve


def test_quote_escapes_line_breaks_and_shortens() -> None:
    assert quote("a\nb") == "'a\\nb'"
    assert len(quote("x" * 1000)) <= 64 and "…" in quote("x" * 1000)
    assert quote(10**5000) == "an integer of about 5000 digits"


def test_input_error_is_one_bounded_line() -> None:
    error = InputError("file.toml", "field\nname", "line\nbreak " + "x" * 1000, "y" * 5000)
    text = str(error)
    assert len(text.splitlines()) == 1 and "\\n" in text
    assert len(text) <= MAX_MESSAGE
    problem = text.split(": ", 2)[2].split("; allowed: ")[0]
    assert len(problem) <= 400


def _refusal(path: Path) -> str:
    with pytest.raises(InputError) as caught:
        read_toml(path)
    text = str(caught.value)
    assert len(text.splitlines()) == 1 and text.startswith(f"{path}: ")
    return text


def test_toml_nested_600_deep_is_refused_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "deep.toml"
    path.write_text(f"a = {'[' * 600}{']' * 600}\n")
    assert "nested too deeply" in _refusal(path)


def test_integer_of_5000_digits_is_refused_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "digits.toml"
    path.write_text(f"a = {'9' * 5000}\n")
    assert "an integer of more than" in _refusal(path)


@pytest.mark.parametrize("name", ["é" * 150 + ".toml", "x" * 300])
def test_name_too_long_for_the_file_system_is_one_line(name: str) -> None:
    assert len(name.encode()) >= 300
    with pytest.raises(InputError, match="cannot be opened") as caught:
        resolve(name, "scenarios")
    assert len(str(caught.value).splitlines()) == 1 and len(str(caught.value)) <= MAX_MESSAGE

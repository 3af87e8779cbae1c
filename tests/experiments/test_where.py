"""Outcome expressions of ``r2p discover --where``: whitelisted, typed, vectorised, never eval'd."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import sim
from sim.experiments.where import NUMBER, YES_NO, parse_where

COLUMNS = {"deaths": NUMBER, "cost": NUMBER, "onset_week": NUMBER, "onset": YES_NO}
FRAME = pd.DataFrame({
    "deaths": [10.0, 60_000.0, 80_000.0, 0.0],
    "cost": [1e9, 3e9, 1e9, 0.0],
    "onset_week": pd.array([3, 5, None, None], dtype="Int64"),
    "onset": [True, True, False, False],
})  # fmt: skip


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("deaths > 50000", [False, True, True, False]),
        ("deaths > 50000 and cost < 2e9", [False, False, True, False]),
        ("not onset", [False, False, True, True]),
        ("onset or deaths >= 80000", [True, True, True, False]),
        ("(deaths + cost / 1e9) / 2 > 25000", [False, True, True, False]),
        ("0 < deaths < 70000", [True, True, False, False]),
        ("-deaths < -50000", [False, True, True, False]),
        ("onset_week != 5", [True, False, False, False]),
        ("onset_week <= 5 and not (onset_week == 3)", [False, True, False, False]),
    ],
)
def test_expressions_are_evaluated_per_row(text: str, expected: list[bool]) -> None:
    where = parse_where(text, COLUMNS)
    result = where.evaluate(FRAME)
    assert result.dtype == bool and result.tolist() == expected
    assert set(where.names) <= set(COLUMNS)


BAD = {
    "unknown name": ("killed > 5", "unknown outcome 'killed'"),
    "function call": ("__import__('os').system('true')", "is not allowed"),
    "attribute": ("deaths.real > 1", "is not allowed"),
    "a number": ("deaths + 1", "is a number, not yes/no"),
    "syntax": ("deaths >", "is not an expression"),
    "string": ("deaths > 'a'", "is not allowed"),
    "power": ("deaths ** 2 > 1", "is not allowed"),
    "and of numbers": ("deaths and cost", "'and' needs yes/no operands"),
    "compare yes/no": ("onset > 0", "a comparison needs number operands"),
    "empty": ("", "is not an expression"),
}


@pytest.mark.parametrize("case", BAD)
def test_bad_expressions_give_one_line_naming_the_flag_and_what_is_allowed(case: str) -> None:
    text, expected = BAD[case]
    with pytest.raises(sim.InputError) as caught:
        parse_where(text, COLUMNS)
    message = str(caught.value)
    assert "\n" not in message and message.startswith("--where: ") and expected in message, message
    assert "allowed: a yes/no expression of cost, deaths, onset, onset_week with" in message


def test_missing_values_compare_false() -> None:
    assert not parse_where("onset_week > -1", COLUMNS).evaluate(FRAME)[2:].any()
    assert np.array_equal(parse_where("onset_week == onset_week", COLUMNS).evaluate(FRAME), [1, 1, 0, 0])

"""Outcome expressions (``r2p discover --where``): which replications count as "of interest".

An expression is a small language over outcome columns: numbers, column names, ``+ - * /``,
comparisons (``< <= > >= == !=``, chained as in Python), ``and``, ``or``, ``not`` and
parentheses, e.g. ``deaths > 50000 and cost < 2e9`` or ``not onset``. It is parsed with
:mod:`ast` and every node checked against a whitelist and typed (numbers against yes/no columns);
nothing of the user's text is ever evaluated by Python. :meth:`Where.evaluate` computes it on a
table, vectorised: a comparison with a missing value (an event that never happened) is false.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.config import InputError, quote

FLAG = "--where"
OPERATORS = "numbers, + - * /, < <= > >= == !=, and, or, not, ( )"
"""What an expression may use besides column names (for messages)."""

_ARITHMETIC = {ast.Add: np.add, ast.Sub: np.subtract, ast.Mult: np.multiply, ast.Div: np.divide}
_COMPARE = {ast.Lt: np.less, ast.LtE: np.less_equal, ast.Gt: np.greater, ast.GtE: np.greater_equal,
            ast.Eq: np.equal, ast.NotEq: np.not_equal}  # fmt: skip
_SIGN = {ast.UAdd: np.positive, ast.USub: np.negative}
NUMBER, YES_NO = "number", "yes/no"


@dataclass(frozen=True)
class Where:
    """A checked outcome expression: its text, its tree and the columns it reads."""

    text: str
    tree: ast.expr
    names: tuple[str, ...]

    def evaluate(self, frame: pd.DataFrame) -> np.ndarray:
        """The expression on every row of ``frame`` (which holds :attr:`names`), as booleans."""
        return np.asarray(_value(self.tree, frame), dtype=bool)


def parse_where(text: str, columns: Mapping[str, str]) -> Where:
    """Parse and check ``text`` against ``columns`` (name -> :data:`NUMBER` or :data:`YES_NO`).

    Raises
    ------
    InputError
        One line naming ``--where``, the problem and the allowed names and operators.
    """
    allowed = f"a yes/no expression of {', '.join(sorted(columns))} with {OPERATORS}"
    try:
        tree = ast.parse(text.strip(), mode="eval").body
    except (SyntaxError, ValueError) as error:
        problem = error.msg if isinstance(error, SyntaxError) else str(error)
        raise InputError(FLAG, "", f"{quote(text)} is not an expression ({problem})", allowed) from None
    names: list[str] = []
    kind = _kind(tree, columns, names, allowed)
    if kind != YES_NO:
        raise InputError(FLAG, "", f"{quote(text)} is a number, not yes/no", f"{allowed}; e.g. 'deaths > 50000'")
    return Where(text, tree, tuple(dict.fromkeys(names)))


def _kind(node: ast.expr, columns: Mapping[str, str], names: list[str], allowed: str) -> str:
    """The type of ``node`` (:data:`NUMBER` or :data:`YES_NO`), every part of it checked."""

    def need(child: ast.expr, kind: str, where: str) -> None:
        found = _kind(child, columns, names, allowed)
        if found != kind:
            raise InputError(FLAG, "", f"{where} needs {kind} operands, not {found} ({quote(ast.unparse(child))})",
                             allowed)  # fmt: skip

    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        return NUMBER
    if isinstance(node, ast.Name):
        if node.id not in columns:
            raise InputError(FLAG, "", f"unknown outcome {quote(node.id)}", allowed)
        names.append(node.id)
        return columns[node.id]
    if isinstance(node, ast.BoolOp):
        for value in node.values:
            need(value, YES_NO, "'and'" if isinstance(node.op, ast.And) else "'or'")
        return YES_NO
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        need(node.operand, YES_NO, "'not'")
        return YES_NO
    if isinstance(node, ast.UnaryOp) and type(node.op) in _SIGN:
        need(node.operand, NUMBER, "a sign")
        return NUMBER
    if isinstance(node, ast.BinOp) and type(node.op) in _ARITHMETIC:
        need(node.left, NUMBER, "arithmetic")
        need(node.right, NUMBER, "arithmetic")
        return NUMBER
    if isinstance(node, ast.Compare) and all(type(op) in _COMPARE for op in node.ops):
        for part in (node.left, *node.comparators):
            need(part, NUMBER, "a comparison")
        return YES_NO
    raise InputError(FLAG, "", f"{quote(ast.unparse(node))} is not allowed", allowed)


def _value(node: ast.expr, frame: pd.DataFrame) -> np.ndarray:
    """The value of a checked ``node`` on ``frame``: floats (NaN where missing) or booleans."""
    if isinstance(node, ast.Constant):
        return np.full(len(frame), float(node.value))
    if isinstance(node, ast.Name):
        column = frame[node.id]
        if pd.api.types.is_bool_dtype(column.dtype):
            return column.fillna(False).to_numpy(dtype=bool)
        return column.astype("float64").to_numpy(dtype=np.float64, na_value=np.nan)
    if isinstance(node, ast.BoolOp):
        combine = np.logical_and if isinstance(node.op, ast.And) else np.logical_or
        return combine.reduce([_value(v, frame) for v in node.values])
    if isinstance(node, ast.UnaryOp):
        operand = _value(node.operand, frame)
        return np.logical_not(operand) if isinstance(node.op, ast.Not) else _SIGN[type(node.op)](operand)
    if isinstance(node, ast.BinOp):
        with np.errstate(divide="ignore", invalid="ignore"):
            return _ARITHMETIC[type(node.op)](_value(node.left, frame), _value(node.right, frame))
    assert isinstance(node, ast.Compare)
    parts = [_value(p, frame) for p in (node.left, *node.comparators)]
    with np.errstate(invalid="ignore"):
        tests = [_COMPARE[type(op)](a, b) for op, a, b in zip(node.ops, parts, parts[1:], strict=False)]
    present = [~np.isnan(p) for p in parts]
    return np.logical_and.reduce(tests + present)

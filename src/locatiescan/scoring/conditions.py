"""Rule conditions of a scoring model: parse the text once, then test whole columns at once.

Grammar (the `als:` of a rule):

    == x | != x | < x | <= x | > x | >= x | in [a, b, ...] | tussen a en b

An operand is a number (`5`, `-2.5`, dot as decimal separator) or a string (a bare word such as
`ja`, `hard`, `A`, or text in single or double quotes; quoted text is always a string).
Strings compare case-insensitively after trimming spaces, so `== Ja` matches "ja ".
With a numeric operand the value is compared as a number (text such as "12" counts as 12);
a value that is not a number then matches no rule. With a string operand `<`, `<=`, `>`, `>=`
compare alphabetically (`<= B` holds for A and B). `tussen a en b` includes both ends.
Booleans are read as `ja`/`nee`. Missing values never reach a condition: they are *onbekend*.
The catch-all rule `anders` is `Otherwise`, which every known value matches.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from locatiescan.errors import ConfigError

Operand = float | str

_COMPARE: dict[str, Callable[[object, object], object]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<=": operator.le,
    ">=": operator.ge,
    "<": operator.lt,
    ">": operator.gt,
}
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_NUMBER_START = re.compile(r"^[+-]?\.?\d")
_COMPARISON = re.compile(r"^(==|!=|<=|>=|<|>)\s*(.+)$")
_IN = re.compile(r"^in\s*\[(.*)\]$", re.IGNORECASE | re.DOTALL)
_BETWEEN = re.compile(r"^tussen\s+(.+?)\s+en\s+(.+)$", re.IGNORECASE)


class Values:
    """One column prepared for conditions; text work is done once per distinct value."""

    def __init__(self, series: pd.Series) -> None:
        self.series = pd.Series(series, copy=False)
        self.known = self.series.notna().to_numpy(dtype=bool)

    @cached_property
    def _factorized(self) -> tuple[np.ndarray, np.ndarray]:
        """(code per value, -1 where missing; distinct values)."""
        codes, uniques = pd.factorize(self.series, use_na_sentinel=True)
        return codes, np.asarray(uniques, dtype=object)

    @cached_property
    def number(self) -> np.ndarray:
        """Values as float; NaN where missing or not a number (booleans are not numbers)."""
        dtype = self.series.dtype
        if pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype):
            return self.series.to_numpy(dtype=float, na_value=np.nan)
        codes, uniques = self._factorized
        per_value = np.array([_as_number(u) for u in uniques] + [np.nan], dtype=float)
        return per_value[codes]

    def text_test(self, test: Callable[[str], bool]) -> np.ndarray:
        """`test` on the normalised text of every value; False where missing."""
        codes, uniques = self._factorized
        per_value = np.array([bool(test(_normal_text(u))) for u in uniques] + [False], dtype=bool)
        return per_value[codes]


def _as_number(value: object) -> float:
    """A number, or text that reads as one; NaN otherwise (also for booleans)."""
    if isinstance(value, (bool, np.bool_)):
        return np.nan
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return np.nan


def _normal_text(value: object) -> str:
    """Text used for string comparison: trimmed, case-folded, booleans as ja/nee, 3.0 as '3'."""
    if isinstance(value, (bool, np.bool_)):
        return "ja" if value else "nee"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip().casefold()


def _compare(values: Values, op: str, operand: Operand) -> np.ndarray:
    """Element-wise `value <op> operand`; False where the value is missing or of another kind."""
    fn = _COMPARE[op]
    if isinstance(operand, float):
        numbers = values.number
        with np.errstate(invalid="ignore"):
            result = np.asarray(fn(numbers, operand), dtype=bool)
        return result & ~np.isnan(numbers)
    return values.text_test(lambda text: fn(text, operand))


@dataclass(frozen=True)
class Comparison:
    """`<op> operand`."""

    op: str
    operand: Operand

    def mask(self, values: Values) -> np.ndarray:
        """Which values satisfy the condition."""
        return _compare(values, self.op, self.operand)


@dataclass(frozen=True)
class OneOf:
    """`in [a, b, ...]`: equal to any of the operands."""

    operands: tuple[Operand, ...]

    def mask(self, values: Values) -> np.ndarray:
        """Which values equal one of the operands."""
        mask = np.zeros(len(values.known), dtype=bool)
        for operand in self.operands:
            mask |= _compare(values, "==", operand)
        return mask


@dataclass(frozen=True)
class Between:
    """`tussen low en high`, both ends included."""

    low: Operand
    high: Operand

    def mask(self, values: Values) -> np.ndarray:
        """Which values lie in [low, high]."""
        return _compare(values, ">=", self.low) & _compare(values, "<=", self.high)


@dataclass(frozen=True)
class Otherwise:
    """`anders`: every known value."""

    def mask(self, values: Values) -> np.ndarray:
        """Every known value."""
        return values.known.copy()


Condition = Comparison | OneOf | Between | Otherwise


def _bad(text: str, en: str, nl: str) -> ConfigError:
    msg = f"bad condition {text!r}: {en}"
    return ConfigError(msg, f"ongeldige voorwaarde {text!r}: {nl}")


def parse_operand(token: str, text: str) -> Operand:
    """A number, a quoted string or a bare word; raises `ConfigError` for an empty operand."""
    token = token.strip()
    if len(token) >= 2 and token[0] == token[-1] and token[0] in "'\"":
        return token[1:-1].strip().casefold()
    if not token:
        raise _bad(text, "missing value", "waarde ontbreekt")
    if _NUMBER.match(token):
        number = float(token)
        if not np.isfinite(number):
            msg = f"{token!r} is not a finite number"
            raise _bad(text, msg, f"{token!r} is geen eindig getal")
        return number
    if _NUMBER_START.match(token):
        msg = f"{token!r} is not a number (use a dot for decimals)"
        raise _bad(text, msg, f"{token!r} is geen getal (gebruik een punt voor decimalen)")
    if any(c in token for c in "[]<>=!'\""):
        raise _bad(text, f"cannot read value {token!r}", f"waarde {token!r} is onleesbaar")
    return token.casefold()


def _split_list(body: str, text: str) -> list[str]:
    """Split `a, 'b, c', d` on commas outside quotes."""
    items, current, quote = [], "", ""
    for char in body:
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == ",":
            items.append(current)
            current = ""
            continue
        current += char
    if quote:
        raise _bad(text, "unclosed quote", "aanhalingsteken niet gesloten")
    items.append(current)
    return items


def parse_condition(text: str) -> Condition:
    """Parse the `als:` text of a rule; `ConfigError` (English + Dutch) when it cannot be read."""
    if not isinstance(text, str) or not text.strip():
        raise _bad(str(text), "empty condition", "lege voorwaarde")
    stripped = text.strip()
    if match := _COMPARISON.match(stripped):
        return Comparison(match.group(1), parse_operand(match.group(2), text))
    if match := _IN.match(stripped):
        if not match.group(1).strip():
            raise _bad(text, "empty list", "lege lijst")
        return OneOf(tuple(parse_operand(t, text) for t in _split_list(match.group(1), text)))
    if match := _BETWEEN.match(stripped):
        low, high = parse_operand(match.group(1), text), parse_operand(match.group(2), text)
        if isinstance(low, float) != isinstance(high, float):
            raise _bad(text, "mixes a number and text", "mengt een getal en tekst")
        if low > high:  # type: ignore[operator]
            raise _bad(text, "lower bound above upper bound", "ondergrens boven bovengrens")
        return Between(low, high)
    allowed = "==, !=, <, <=, >, >=, in [a, b], tussen a en b"
    msg = f"unknown operator; use one of {allowed}"
    raise _bad(text, msg, f"onbekende operator; gebruik een van {allowed}")


def operands(condition: Condition) -> tuple[Operand, ...]:
    """Every operand of a condition (for checks against a question's type)."""
    if isinstance(condition, Comparison):
        return (condition.operand,)
    if isinstance(condition, OneOf):
        return condition.operands
    if isinstance(condition, Between):
        return (condition.low, condition.high)
    return ()

"""Rule conditions: parsing and column-wise evaluation on numbers, strings and missing values."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from locatiescan.errors import ConfigError
from locatiescan.scoring.conditions import (
    Between,
    Comparison,
    OneOf,
    Otherwise,
    Values,
    operands,
    parse_condition,
)


def hits(text: str, values: list[object]) -> list[bool]:
    return parse_condition(text).mask(Values(pd.Series(values, dtype=object))).tolist()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("== 0", Comparison("==", 0.0)),
        ("!=hard", Comparison("!=", "hard")),
        ("< 5", Comparison("<", 5.0)),
        ("<= -2.5", Comparison("<=", -2.5)),
        ("> 1e3", Comparison(">", 1000.0)),
        (">= B", Comparison(">=", "b")),
        ("== 'Ja, mits'", Comparison("==", "ja, mits")),
        ('== "12"', Comparison("==", "12")),
        ("in [ja, 'nee, tenzij', 3]", OneOf(("ja", "nee, tenzij", 3.0))),
        ("IN [a]", OneOf(("a",))),
        ("tussen 2 en 4.5", Between(2.0, 4.5)),
        ("tussen A en C", Between("a", "c")),
    ],
)
def test_parse(text: str, expected: object) -> None:
    assert parse_condition(text) == expected


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "empty condition"),
        ("   ", "empty condition"),
        ("=< 3", "unknown operator"),
        ("ja", "unknown operator"),
        ("anders", "unknown operator"),
        ("==", "unknown operator"),
        ("== ", "unknown operator"),
        ("in []", "empty list"),
        ("in [a, ]", "missing value"),
        ("in [a, 'b]", "unclosed quote"),
        ("tussen 5 en 2", "lower bound above upper bound"),
        ("tussen 1 en b", "mixes a number and text"),
        ("< 2,5", "is not a number"),
        ("> 5%", "is not a number"),
        ("== a<b", "cannot read value"),
    ],
)
def test_parse_errors_are_bilingual(text: str, fragment: str) -> None:
    with pytest.raises(ConfigError) as err:
        parse_condition(text)
    assert fragment in err.value.en
    assert repr(text) in err.value.en
    assert "ongeldige voorwaarde" in err.value.nl


def test_numeric_comparisons() -> None:
    values = [0, 3, 5, 7.5, None, np.nan]
    assert hits("== 0", values) == [True, False, False, False, False, False]
    assert hits("!= 0", values) == [False, True, True, True, False, False]
    assert hits("< 5", values) == [True, True, False, False, False, False]
    assert hits("<= 5", values) == [True, True, True, False, False, False]
    assert hits("> 5", values) == [False, False, False, True, False, False]
    assert hits(">= 5", values) == [False, False, True, True, False, False]
    assert hits("tussen 3 en 5", values) == [False, True, True, False, False, False]
    assert hits("in [0, 7.5]", values) == [True, False, False, True, False, False]


def test_text_is_read_as_number_for_numeric_operands() -> None:
    # answers arrive as text from a CSV: "12" is 12, "veel" is no number and matches nothing
    assert hits(">= 10", ["12", " 9 ", "veel"]) == [True, False, False]


def test_string_comparisons_ignore_case_and_spaces() -> None:
    values = ["hard", " Zacht ", "HARD", None]
    assert hits("== hard", values) == [True, False, True, False]
    assert hits("!= hard", values) == [False, True, False, False]
    assert hits("in [zacht, onbekend]", values) == [False, True, False, False]


def test_string_ordering_is_alphabetical() -> None:
    # water & bodem classes: A best ... D worst
    values = ["A", "b", "C", "D", None]
    assert hits("<= B", values) == [True, True, False, False, False]
    assert hits("> b", values) == [False, False, True, True, False]
    assert hits("tussen B en C", values) == [False, True, True, False, False]


def test_numbers_and_strings_do_not_match_each_other() -> None:
    assert hits("== hard", [3, 3.0]) == [False, False]
    assert hits("== 3", ["drie", "3"]) == [False, True]
    # a whole float is shown without '.0', so a quoted "3" matches 3.0 as text
    assert hits("== '3'", [3.0, 3.5]) == [True, False]


def test_booleans_read_as_ja_nee() -> None:
    assert hits("== ja", [True, False, None]) == [True, False, False]
    assert hits("== nee", [np.bool_(False)]) == [True]


def test_otherwise_matches_every_known_value() -> None:
    values = Values(pd.Series([0, "x", None, np.nan], dtype=object))
    assert Otherwise().mask(values).tolist() == [True, True, False, False]


def test_operands() -> None:
    assert operands(parse_condition("in [ja, 2]")) == ("ja", 2.0)
    assert operands(parse_condition("tussen 1 en 3")) == (1.0, 3.0)
    assert operands(parse_condition("== x")) == ("x",)
    assert operands(Otherwise()) == ()

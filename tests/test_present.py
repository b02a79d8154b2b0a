"""Presentation helpers: Dutch numbers, ranges, homes and code labels."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from locatiescan import present


@pytest.mark.parametrize(
    ("value", "decimals", "unit", "expected"),
    [
        (1234.5, 1, "", "1.234,5"),
        (902.3, 1, "ha", "902,3 ha"),
        (1.5, 1, "", "1,5"),
        (75000, 0, "", "75.000"),
        (None, 0, "", "onbekend"),
        (math.nan, 1, "m", "onbekend"),
        (pd.NA, 0, "", "onbekend"),
    ],
)
def test_nl_number(value, decimals, unit, expected):
    assert present.nl_number(value, decimals, unit) == expected


def test_ranges_and_homes():
    assert present.nl_range(63000, 75000) == "63.000–75.000"
    assert present.nl_range(20000, 20000) == "20.000"
    assert present.nl_range(None, 900) == "900"
    assert present.nl_range(None, None) == "onbekend"
    assert present.woningen_text(2500, None, threshold=True) == "≥ 2.500"
    assert present.woningen_text(2500, None) == "2.500"
    assert present.woningen_text(63000, 75000, threshold=True) == "63.000–75.000"


def test_percent():
    assert present.nl_percent(40.0) == "40 %"
    assert present.nl_percent(0.01) == "< 0,1 %"
    assert present.nl_percent(None) == "onbekend"


def test_labels_and_text():
    assert present.label("tekort_met_oplossing") == "tekort met oplossing"
    assert present.label("op_shortlist") == "Op shortlist"
    assert present.label("x", {"x": "Eigen label"}) == "Eigen label"
    assert present.label(True) == "ja" and present.label(False) == "nee"
    assert present.label(None) == "onbekend"
    assert present.text(0.8800000000000001) == "0,9"
    assert present.text(0.8800000000000001, 2) == "0,88"
    assert present.text(["Veluwe", "Rijntakken"]) == "Veluwe; Rijntakken"
    assert present.text(3.0) == "3"

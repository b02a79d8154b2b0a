"""Presentation: the one place that turns values and codes into Dutch text for people.

Pages, tables, knelpunten and exports format every number, range and code through these
functions, so the whole product writes 1.234,5, "63.000–75.000", "≥ 2.500" and "onbekend" the
same way. Pure functions, no I/O.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import pandas as pd

ONBEKEND = "onbekend"
RANGE_DASH = "–"

# Codes that appear in data and models, with their Dutch label. Layer-specific labels (legend
# classes, metric names) come from the layer catalog; model-specific ones from the model YAML.
CODE_LABELS: dict[str, str] = {
    "ja": "ja",
    "nee": "nee",
    "hard": "hard",
    "zacht": "zacht",
    "koploper": "Koploper industrieel bouwen",
    "doorbraak": "Doorbraaklocatie",
    "grootschalig": "Grootschalige woningbouwlocatie",
    "plancapaciteit": "Plancapaciteit 2020 (EIB)",
    "eigen": "Eigen locatie",
    "op_shortlist": "Op shortlist",
    "aangehouden": "Aangehouden",
    "afgevallen": "Afgevallen",
    "ingetrokken": "Ingetrokken",
}


def is_missing(value: Any) -> bool:
    """True for None, NaN, pd.NA, NaT and empty strings: the value is unknown."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def nl_number(value: Any, decimals: int = 0, unit: str = "") -> str:
    """A number in Dutch notation (1.234,5) with an optional unit; 'onbekend' when missing."""
    if is_missing(value):
        return ONBEKEND
    text = f"{float(value):,.{decimals}f}".replace(",", "_").replace(".", ",").replace("_", ".")
    return f"{text} {unit}".rstrip() if unit else text


def nl_percent(value: Any, decimals: int = 0) -> str:
    """A percentage (value already in %): '12 %', '< 0,1 %' for tiny shares, 'onbekend'."""
    if is_missing(value):
        return ONBEKEND
    if 0 < float(value) < 0.05:
        return "< 0,1 %"
    return nl_number(value, decimals, "%")


def nl_range(low: Any, high: Any, decimals: int = 0, unit: str = "") -> str:
    """'63.000–75.000' for a range, one number when both ends agree or one is missing."""
    if is_missing(low) and is_missing(high):
        return ONBEKEND
    if is_missing(low) or is_missing(high) or float(low) == float(high):
        return nl_number(high if is_missing(low) else low, decimals, unit)
    return f"{nl_number(low, decimals)}{RANGE_DASH}{nl_number(high, decimals, unit)}"


def woningen_text(low: Any, high: Any, threshold: bool = False) -> str:
    """Homes of a site: '63.000–75.000', '20.000', or '≥ 2.500' when only the threshold that
    every site of the programme meets is known (never a count)."""
    if threshold and not is_missing(low) and is_missing(high):
        return f"≥ {nl_number(low)}"
    return nl_range(low, high)


def label(code: Any, labels: Mapping[str, str] | None = None) -> str:
    """The Dutch label of a code: from `labels` (e.g. a model's or layer's own), then
    CODE_LABELS, else the code made readable ('tekort_met_oplossing' → 'tekort met
    oplossing'); 'onbekend' when missing; numbers and booleans in Dutch."""
    if is_missing(code):
        return ONBEKEND
    if isinstance(code, bool):
        return "ja" if code else "nee"
    if isinstance(code, int | float) and not isinstance(code, bool):
        return nl_number(code, 0 if float(code).is_integer() else 2)
    text = str(code)
    for table in (labels or {}, CODE_LABELS):
        if text in table:
            return table[text]
    return text.replace("_", " ")


def text(value: Any, decimals: int = 1) -> str:
    """Any cell value as text for a person: numbers in Dutch, codes as labels, lists joined,
    'onbekend' for missing values."""
    if isinstance(value, list | tuple):
        return "; ".join(text(v, decimals) for v in value) if value else ONBEKEND
    if isinstance(value, float) and not is_missing(value) and not value.is_integer():
        return nl_number(value, decimals)
    return label(value)

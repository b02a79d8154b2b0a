"""Dutch labels and colours shared by the pages, the map and the tables."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from locatiescan.registry import LOCATION_TYPES

TYPE_COLOURS: dict[str, str] = {
    "koploper": "#6a3d9a",
    "doorbraak": "#1f78b4",
    "grootschalig": "#e6550d",
    "plancapaciteit": "#7f7f7f",
    "eigen": "#d62790",
}
GEOMETRY_QUALITY: dict[str, str] = {
    "indicatief": "indicatief (cirkel op basis van woningaantal)",
    "gemeente": "gemeentegrens (locatie binnen de gemeente onbekend)",
    "plan": "planpolygoon",
    "eigen": "eigen geometrie",
}
INDICATIVE_BANNER = "Geometrie indicatief: cirkel op basis van woningaantal"
GEMEENTE_BANNER = "Geometrie = hele gemeente: de precieze locatie is onbekend"

# Capaciteitskaart Netbeheer Nederland legend (color_code -1..3).
NETCONGESTIE_CLASSES: dict[int, tuple[str, str]] = {
    -1: ("#bdbdbd", "nog geen kleur toegekend"),
    0: ("#1a9641", "transportcapaciteit beschikbaar"),
    1: ("#ffd92f", "beperkt beschikbaar (geen wachtrij)"),
    2: ("#fd8d3c", "in onderzoek (met wachtrij)"),
    3: ("#d7191c", "tekort, wachtrij"),
}
# Ruimtelijk afwegingskader water & bodem: 0/A = ja ... D = nee, tenzij.
WATER_BODEM_CLASSES: dict[str, tuple[str, str]] = {
    "A": ("#1a9641", "A: ja"),
    "B": ("#a6d96a", "B: ja, mits"),
    "C": ("#fdae61", "C: nee, tenzij (beperkt)"),
    "D": ("#d7191c", "D: nee, tenzij"),
}
UNKNOWN_COLOUR = "#bdbdbd"
UNKNOWN = "onbekend"


def is_missing(value: Any) -> bool:
    """True for None, NaN, pd.NA and empty strings: the value is unknown."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def fmt_number(value: Any, decimals: int = 0, unit: str = "") -> str:
    """Dutch number format (1.234,5) with an optional unit; 'onbekend' when missing."""
    if is_missing(value):
        return UNKNOWN
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    text = f"{number:,.{decimals}f}".replace(",", "_").replace(".", ",").replace("_", ".")
    return f"{text} {unit}".strip()


def fmt_value(value: Any) -> str:
    """Any metric value as text: numbers in Dutch format, lists joined, 'onbekend' when missing."""
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value) or "geen"
    if is_missing(value):
        return UNKNOWN
    if isinstance(value, (bool, np.bool_)):
        return "ja" if value else "nee"
    if isinstance(value, int):
        return fmt_number(value)
    if isinstance(value, float):
        return fmt_number(value, 0 if value.is_integer() else 1)
    return str(value)


def type_label(value: Any) -> str:
    """Dutch label of a location type."""
    return LOCATION_TYPES.get(str(value), str(value))


def quality_label(value: Any) -> str:
    """Dutch label of a geometrie_kwaliteit value."""
    return UNKNOWN if is_missing(value) else GEOMETRY_QUALITY.get(str(value), str(value))


def netcongestie_label(code: Any) -> str:
    """Capaciteitskaart label of an afname colour code."""
    if is_missing(code):
        return UNKNOWN
    return NETCONGESTIE_CLASSES.get(int(code), (UNKNOWN_COLOUR, str(code)))[1]

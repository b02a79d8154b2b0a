"""Dutch labels and colours shared by the pages, the map and the tables."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from locatiescan.layers.catalog import LayerDef
from locatiescan.layers.fetch import shipped_catalog
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


def legend_classes(
    column: str, catalog: Mapping[str, LayerDef] | None = None
) -> dict[int | str, tuple[str, str]]:
    """Value -> (colour, Dutch label) of a screening column, from the layer's `weergave`."""
    catalog = shipped_catalog() if catalog is None else catalog
    layer_id, _, metric = column.partition(".")
    layer = catalog.get(layer_id)
    view = layer.weergave.get(metric) if layer is not None else None
    return {c.waarde: (c.kleur, c.legenda or c.label) for c in view.klassen} if view else {}

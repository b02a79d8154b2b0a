"""Dutch labels and colours shared by the pages, the map and the tables (numbers, codes and
'onbekend' are formatted by `locatiescan.present`)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import pandas as pd

from locatiescan.layers.catalog import LayerDef
from locatiescan.layers.fetch import shipped_catalog
from locatiescan.location_table import LOCATION_TYPES
from locatiescan.present import ONBEKEND, is_missing
from locatiescan.sites import programmes

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
    "planpolygonen": "planpolygonen (EIB 2020)",
    "plan": "planpolygoon",
    "ingetekend": "zelf ingetekend",
    "eigen": "eigen geometrie",
}
INDICATIVE_BANNER = "Geometrie indicatief: cirkel op basis van woningaantal"
GEMEENTE_BANNER = "Geometrie = hele gemeente: de precieze locatie is onbekend"

UNKNOWN_COLOUR = "#bdbdbd"
# What makes text in Streamlit markdown more than text: emphasis, code, links and images,
# HTML, strike-through, tables, formulas ($), and `:red[…]` colours (by their bracket).
MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>~|$])")


def markdown_literal(value: Any) -> str:
    """Text shown as written where Streamlit renders markdown (titles, messages): a name's `_`
    makes no italics, `[x](url)` no link, `:red[x]` no colour, `$x$` no formula."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", str(value))


def type_label(value: Any) -> str:
    """Dutch label of a location type."""
    return LOCATION_TYPES.get(str(value), str(value))


def list_text(value: Any) -> str:
    """A ';'-joined cell (gemeenten, provincies) for people: 'Utrecht, Nieuwegein'."""
    if is_missing(value):
        return ONBEKEND
    return ", ".join(dict.fromkeys(p.strip() for p in str(value).split(";") if p.strip()))


def programme_labels(locations: pd.DataFrame) -> pd.Series:
    """Per location the Dutch labels of every programme it belongs to ('Koploper industrieel
    bouwen, Doorbraaklocatie'); the type when `programmas` is absent or empty."""
    cells = locations["programmas"] if "programmas" in locations.columns else locations["type"]
    return pd.Series(
        [
            ", ".join(type_label(p) for p in programmes(cell)) or type_label(kind)
            for cell, kind in zip(cells, locations["type"], strict=True)
        ],
        index=locations.index,
        dtype=object,
    )


def quality_label(value: Any) -> str:
    """Dutch label of a geometrie_kwaliteit value."""
    return ONBEKEND if is_missing(value) else GEOMETRY_QUALITY.get(str(value), str(value))


def legend_classes(
    column: str, catalog: Mapping[str, LayerDef] | None = None
) -> dict[int | str, tuple[str, str]]:
    """Value -> (colour, Dutch label) of a screening column, from the layer's `weergave`."""
    catalog = shipped_catalog() if catalog is None else catalog
    layer_id, _, metric = column.partition(".")
    layer = catalog.get(layer_id)
    view = layer.weergave.get(metric) if layer is not None else None
    return {c.waarde: (c.kleur, c.legenda or c.label) for c in view.klassen} if view else {}

"""Own water & bodem theme layers in the app: Dutch labels, accepted files, where an upload is kept."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from locatiescan.water_bodem import THEMES

DERIVED_LAYER = "water_bodem"
THEME_FILE_TYPES = ["tif", "tiff", "geojson", "json", "gpkg"]
THEME_LABELS: dict[str, str] = {
    "waterveiligheid": "Waterveiligheid",
    "wateroverlast": "Wateroverlast",
    "bodemdaling": "Bodemdaling",
    "drinkwater": "Drinkwater",
}
# What a file for each theme should hold (the rules in layers/water_bodem_regels.yaml read it).
THEME_HINTS: dict[str, str] = {
    "waterveiligheid": "GeoTIFF met maximale waterdiepte bij overstroming (m), of vlakken met een veld "
    "'klasse' (A–D).",
    "wateroverlast": "GeoTIFF met waterdiepte op straat (m), of vlakken van wateroverlastgebieden "
    "(optioneel met een veld 'klasse', A–D).",
    "bodemdaling": "GeoTIFF met verwachte bodemdaling (cm), of vlakken met slappe bodem of veen "
    "(optioneel met een veld 'klasse', A–D).",
    "drinkwater": "Vlakken van grondwaterbeschermings- en waterwingebieden (optioneel met een veld "
    "'klasse', A–D).",
}


def theme_column(theme: str) -> str:
    """The screening column of a theme's class ('water_bodem.bodemdaling')."""
    return f"{DERIVED_LAYER}.{theme}"


def stored_theme_path(folder: Path, theme: str, name: str, content: bytes) -> Path:
    """Where an uploaded theme file is kept: `<folder>/<theme>/<content digest>/<file name>`.

    The digest makes a changed file a new path (so cached screenings do not mix them up) while
    the file keeps the user's name for the provenance notes.
    """
    digest = hashlib.sha256(content).hexdigest()[:16]
    return folder / theme / digest / Path(name).name


def known_count(table: pd.DataFrame, theme: str) -> int:
    """How many locations have a known class for `theme` in a screening table."""
    column = theme_column(theme)
    return int(table[column].notna().sum()) if column in table.columns else 0


def theme_layer_lines(layers: Mapping[str, str | Path]) -> list[str]:
    """'Bodemdaling: eigen laag bodemdaling.tif' per own theme layer, in theme order."""
    return [
        f"{THEME_LABELS[theme]}: eigen laag {Path(layers[theme]).name}"
        for theme in THEMES
        if theme in layers
    ]

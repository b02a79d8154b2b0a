"""Own theme layers of the derived layer (water & bodem) in the app: which layer and themes the
catalog declares, Dutch labels, accepted files, where an upload is kept.

The derived layer is the catalog layer with `invoer` (inputs); its themes are the rule set's
outputs that come with a `<theme>_reden`, labelled by the layer's `weergave`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from locatiescan.layers.catalog import LayerDef
from locatiescan.layers.fetch import shipped_catalog

THEME_FILE_TYPES = ["tif", "tiff", "geojson", "json", "gpkg"]
REASON_SUFFIX = "_reden"
# What a file for each theme should hold (the rule set of the derived layer reads it).
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
GENERIC_HINT = "GeoTIFF met een waarde per cel, of vlakken (optioneel met een veld 'klasse', A–D)."


def derived_layer(catalog: Mapping[str, LayerDef] | None = None) -> LayerDef | None:
    """The catalog layer derived from other layers (the one with `invoer`); None if there is none."""
    catalog = shipped_catalog() if catalog is None else catalog
    return next((layer for layer in catalog.values() if layer.invoer), None)


def derived_themes(catalog: Mapping[str, LayerDef] | None = None) -> list[str]:
    """The themes of the derived layer, in rule-set order: outputs with a `<theme>_reden`."""
    layer = derived_layer(catalog)
    if layer is None:
        return []
    names = layer.metric_names()
    return [name for name in names if f"{name}{REASON_SUFFIX}" in names]


def theme_label(theme: str, catalog: Mapping[str, LayerDef] | None = None) -> str:
    """'Bodemdaling': the theme's `weergave` label of the derived layer, capitalised."""
    layer = derived_layer(catalog)
    view = layer.weergave.get(theme) if layer is not None else None
    text = (view.label if view is not None else None) or theme.replace("_", " ")
    return text[:1].upper() + text[1:]


def theme_hint(theme: str) -> str:
    """What a file for `theme` should hold."""
    return THEME_HINTS.get(theme, GENERIC_HINT)


def theme_column(theme: str, catalog: Mapping[str, LayerDef] | None = None) -> str:
    """The screening column of a theme's class ('<derived layer>.bodemdaling')."""
    layer = derived_layer(catalog)
    return f"{layer.id}.{theme}" if layer is not None else theme


def stored_theme_path(folder: Path, theme: str, name: str, content: bytes) -> Path:
    """Where an uploaded theme file is kept: `<folder>/<theme>/<content digest>/<file name>`.

    The digest makes a changed file a new path (so cached screenings do not mix them up) while
    the file keeps the user's name for the provenance notes.
    """
    digest = hashlib.sha256(content).hexdigest()[:16]
    return folder / theme / digest / Path(name).name


def known_count(
    table: pd.DataFrame, theme: str, catalog: Mapping[str, LayerDef] | None = None
) -> int:
    """How many locations have a known class for `theme` in a screening table."""
    column = theme_column(theme, catalog)
    return int(table[column].notna().sum()) if column in table.columns else 0


def theme_layer_lines(
    layers: Mapping[str, str | Path], catalog: Mapping[str, LayerDef] | None = None
) -> list[str]:
    """'Bodemdaling: eigen laag bodemdaling.tif' per own theme layer, in theme order."""
    return [
        f"{theme_label(theme, catalog)}: eigen laag {Path(layers[theme]).name}"
        for theme in derived_themes(catalog)
        if theme in layers
    ]

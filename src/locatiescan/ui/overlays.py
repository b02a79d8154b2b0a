"""Catalog layers as map overlays: the `kaart` display hints of a layer file applied to its data.

A layer's `kaart` block (layers/*.yaml) says how to draw it: `stijl` vlak | lijn | punt |
categorie, `kleur`, `lijnkleur`, `dekking`, `label`, `veld` + `klassen` (value -> colour and
legend label), `filter` (attribute -> allowed values) and `popup` (attributes in the tooltip).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

import geopandas as gpd
from pydantic import BaseModel, ConfigDict, Field

from locatiescan.layers.catalog import LayerDef
from locatiescan.ui.labels import TYPE_COLOURS, type_label
from locatiescan.ui.mapview import Overlay, to_display
from locatiescan.yamlconfig import validate

DISPLAY_TOLERANCE_M: dict[str, float] = {"plancapaciteit": 25.0}  # EIB plans (not a layer)
DEFAULT_TOLERANCE_M = 50.0
EIB_TOOLTIP = {
    "naam": "Plan",
    "gemeenten": "Gemeente",
    "woningen": "Woningen (rest)",
    "planstatus": "Hard/zacht",
}
FIELD_LABELS: dict[str, str] = {
    "naam": "Naam",
    "nr": "Gebiedsnummer",
    "richtlijn": "Richtlijn",
    "laag": "Kaartlaag",
    "color_code": "Kleurcode",
    "netbeheerder": "Netbeheerder",
    "provincie": "Provincie",
    "traject_id": "Normtraject",
    "norm_sw": "Signaleringswaarde (1/x per jaar)",
    "norm_og": "Ondergrens (1/x per jaar)",
    "code": "Soort",
    "dijkring_nr": "Dijkring",
    "dijkring_naam": "Naam",
    "norm_terugkeertijd_jr": "Norm (terugkeertijd, jaar)",
    "gemeentecode": "Gemeentecode",
}


class MapClass(BaseModel):
    """One class of a categorised layer."""

    model_config = ConfigDict(extra="forbid")

    waarde: int | str
    kleur: str
    label: str


class MapStyle(BaseModel):
    """The `kaart` block of a layer file."""

    model_config = ConfigDict(extra="forbid")

    stijl: Literal["vlak", "lijn", "punt", "categorie"] = "vlak"
    kleur: str = "#2b8cbe"
    lijnkleur: str | None = None
    dekking: float = Field(0.35, ge=0, le=1)
    label: str | None = None
    veld: str | None = None
    klassen: list[MapClass] = Field(default_factory=list)
    filter: dict[str, list[int | str]] = Field(default_factory=dict)
    popup: list[str] = Field(default_factory=list)
    veldlabels: dict[str, str] = Field(default_factory=dict)
    vereenvoudig_m: float = Field(DEFAULT_TOLERANCE_M, gt=0)
    min_oppervlak_m2: float = Field(0.0, ge=0)
    standaard: bool = False
    in_rapport: bool = False


def map_style(layer: LayerDef) -> MapStyle:
    """The validated display hints of a layer; an error names the layer and the field."""
    return validate(
        MapStyle, layer.kaart, where=f"layer {layer.id}", what="'kaart' block", wat="blok 'kaart'"
    )


def _filtered(gdf: gpd.GeoDataFrame, style: MapStyle) -> gpd.GeoDataFrame:
    keep = gdf.index == gdf.index
    for column, allowed in style.filter.items():
        if column in gdf.columns:
            keep &= gdf[column].astype(str).isin([str(v) for v in allowed]).to_numpy()
    return gdf[keep]


def overlay_for_layer(layer: LayerDef, gdf: gpd.GeoDataFrame, show: bool = True) -> Overlay:
    """The layer's features (EPSG:28992) as a simplified, styled overlay for the map.

    Categorised layers are dissolved by their class field and popup attributes first, which
    merges tile-cut pieces (map tiles) into whole areas and shrinks the payload.
    """
    style = map_style(layer)
    frame = _filtered(gdf, style)
    fields = [f for f in style.popup if f in frame.columns]
    class_field = style.veld if style.veld in frame.columns else None
    if style.stijl == "categorie" and class_field is not None:
        keys = list(dict.fromkeys([class_field, *fields]))
        frame = frame[[*keys, "geometry"]].astype({k: str for k in keys})
        frame = frame.set_geometry(frame.geometry.make_valid()).dissolve(by=keys, as_index=False)
    columns = list(dict.fromkeys([*fields, *([class_field] if class_field else [])]))
    display = to_display(frame, columns, style.vereenvoudig_m, style.min_oppervlak_m2)
    for column in columns:
        display[column] = display[column].astype(str)
    classes = {str(c.waarde): c.kleur for c in style.klassen}
    legend = layer_legend(layer)
    return Overlay(
        titel=layer.titel,
        gdf=display,
        style="vlak" if style.stijl == "categorie" else style.stijl,
        colour=style.kleur,
        line_colour=style.lijnkleur,
        fill_opacity=style.dekking,
        field=class_field if classes else None,
        classes=classes,
        tooltip={f: style.veldlabels.get(f) or FIELD_LABELS.get(f, f) for f in fields},
        legend=legend,
        show=show,
    )


def layer_legend(layer: LayerDef) -> list[tuple[str, str]]:
    """The Kaart legend of a layer: (colour, label) per class, or one entry for the layer."""
    style = map_style(layer)
    return [(c.kleur, c.label) for c in style.klassen] or [
        (style.kleur, style.label or layer.titel)
    ]


def overlay_choices(catalog: Mapping[str, LayerDef]) -> list[str]:
    """Layer ids the Kaart offers as overlays (layers with a `kaart` block, not area divisions)."""
    return [lid for lid, layer in catalog.items() if layer.kaart and not layer.invoer]


def default_overlays(catalog: Mapping[str, LayerDef]) -> list[str]:
    """Layer ids shown on the Kaart by default (`kaart.standaard`)."""
    return [lid for lid in overlay_choices(catalog) if map_style(catalog[lid]).standaard]


def report_overlays(catalog: Mapping[str, LayerDef]) -> dict[str, str]:
    """Layer id -> title of the layers drawn on the PDF report maps (`kaart.in_rapport`)."""
    return {
        lid: layer.titel
        for lid, layer in catalog.items()
        if layer.kaart and map_style(layer).in_rapport
    }


def eib_overlay_from(display: gpd.GeoDataFrame) -> Overlay:
    """The EIB plans (display copy with naam, gemeenten, woningen, planstatus) as a grey overlay."""
    frame = display.copy()
    for column in EIB_TOOLTIP:
        frame[column] = frame[column].astype("string").fillna("onbekend")
    return Overlay(
        titel=type_label("plancapaciteit"),
        gdf=frame,
        colour=TYPE_COLOURS["plancapaciteit"],
        fill_opacity=0.35,
        tooltip=EIB_TOOLTIP,
        legend=[(TYPE_COLOURS["plancapaciteit"], "Planpolygoon EIB 2020")],
    )

"""Folium map of the locations with overlay layers, a legend and popups (pure: frames in, map out).

Display geometries are simplified in RD (EPSG:28992), reprojected to EPSG:4326 and rounded, and
carry only the properties the popups and styles need, so the page payload stays small. The map
has no tile layer (the app works offline); a light province outline serves as the base map.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any

import folium
import folium.plugins
import geopandas as gpd
import pandas as pd
import shapely
from branca.element import MacroElement, Template

from locatiescan.ui.assets import localize_assets
from locatiescan.ui.labels import (
    GEMEENTE_BANNER,
    INDICATIVE_BANNER,
    LOCATION_TYPES,
    TYPE_COLOURS,
    UNKNOWN_COLOUR,
    fmt_number,
    fmt_value,
    quality_label,
    type_label,
)

RD = "EPSG:28992"
WGS84 = "EPSG:4326"
COORD_GRID = 1e-5  # degrees, about 1 m: enough for display, saves bytes
NL_CENTER = (52.2, 5.3)
COLOUR_PROP = "_kleur"
LOCATION_CLASS = (
    "locatiescan-locatie"  # CSS class of every location's SVG path (browser tests count them)
)
ID_PROP = "id"


@dataclass(frozen=True)
class Colouring:
    """Fill colour per location id, with the legend that explains it."""

    titel: str
    colours: dict[str, str]
    legend: list[tuple[str, str]]


@dataclass(frozen=True)
class Overlay:
    """A display-ready layer (EPSG:4326) drawn under the locations, toggled in the layer control.

    `style` is "vlak" (polygons), "lijn" (lines) or "punt" (points as small circles). With
    `field`, features are coloured by `classes` (value -> colour); otherwise by `colour`.
    """

    titel: str
    gdf: gpd.GeoDataFrame
    style: str = "vlak"
    colour: str = "#2b8cbe"
    line_colour: str | None = None
    fill_opacity: float = 0.35
    field: str | None = None
    classes: dict[str, str] = dataclass_field(default_factory=dict)
    tooltip: dict[str, str] = dataclass_field(default_factory=dict)  # property -> Dutch alias
    legend: list[tuple[str, str]] = dataclass_field(default_factory=list)
    show: bool = True


def without_small_parts(geometry: shapely.Geometry, min_area_m2: float) -> shapely.Geometry:
    """Polygon parts and holes below `min_area_m2` removed (the largest part always stays)."""
    if geometry is None or geometry.geom_type not in ("Polygon", "MultiPolygon"):
        return geometry
    parts = sorted(shapely.get_parts(geometry), key=lambda p: p.area, reverse=True)
    kept = [
        shapely.Polygon(
            part.exterior, [r for r in part.interiors if shapely.Polygon(r).area >= min_area_m2]
        )
        for i, part in enumerate(parts)
        if i == 0 or part.area >= min_area_m2
    ]
    return kept[0] if len(kept) == 1 else shapely.MultiPolygon(kept)


def to_display(
    gdf: gpd.GeoDataFrame, columns: list[str], tolerance_m: float, min_area_m2: float = 0.0
) -> gpd.GeoDataFrame:
    """Simplified (in RD), EPSG:4326, rounded copy with only `columns`; empty geometries dropped.

    With `min_area_m2`, polygon parts and holes smaller than that are left out (display only).
    """
    frame = gdf.to_crs(RD) if gdf.crs is not None and gdf.crs != RD else gdf
    geoms = frame.geometry
    if min_area_m2 > 0:
        geoms = geoms.map(lambda g: without_small_parts(g, min_area_m2))
    geoms = geoms.simplify(tolerance_m, preserve_topology=True)
    out = gpd.GeoDataFrame(frame[columns].copy(), geometry=geoms.values, crs=RD).to_crs(WGS84)
    geoms = shapely.set_precision(out.geometry.values, COORD_GRID)
    out = out.set_geometry(geoms)
    keep = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    return out[keep].reset_index(drop=True)


def colour_by_type(locations: pd.DataFrame) -> Colouring:
    """Colour per location type (legend lists only the types present)."""
    types = locations["type"].astype(str)
    colours = dict(zip(locations["id"].astype(str), types.map(TYPE_COLOURS).fillna(UNKNOWN_COLOUR)))
    present = [t for t in LOCATION_TYPES if t in set(types)]
    return Colouring("Type locatie", colours, [(TYPE_COLOURS[t], type_label(t)) for t in present])


def colour_by_classes(
    values: pd.Series, classes: dict[Any, tuple[str, str]], titel: str
) -> Colouring:
    """Colour per class value (e.g. netcongestie code, water & bodem class); unknown in grey."""
    colours: dict[str, str] = {}
    for loc_id, value in values.items():
        key = _class_key(value, classes)
        colours[str(loc_id)] = classes[key][0] if key is not None else UNKNOWN_COLOUR
    legend = [classes[k] for k in classes] + [(UNKNOWN_COLOUR, "onbekend")]
    return Colouring(titel, colours, legend)


def _class_key(value: Any, classes: dict[Any, tuple[str, str]]) -> Any:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return None
    for key in classes:
        if str(key) == str(value) or (isinstance(key, int) and _as_int(value) == key):
            return key
    return None


def _as_int(value: Any) -> int | None:
    try:
        return int(float(value))
    except (TypeError, ValueError):
        return None


def colour_by_number(
    values: pd.Series,
    bins: list[float],
    palette: list[str],
    titel: str,
    unit: str = "",
) -> Colouring:
    """Graduated colours: `bins` are the lower bounds of each class (ascending, len == palette)."""
    if len(bins) != len(palette):
        msg = "bins and palette must have the same length"
        raise ValueError(msg)
    numbers = pd.to_numeric(values, errors="coerce")
    colours: dict[str, str] = {}
    for loc_id, number in numbers.items():
        if pd.isna(number):
            colours[str(loc_id)] = UNKNOWN_COLOUR
            continue
        index = max((i for i, lower in enumerate(bins) if number >= lower), default=0)
        colours[str(loc_id)] = palette[index]
    legend = []
    for i, (lower, colour) in enumerate(zip(bins, palette)):
        upper = bins[i + 1] if i + 1 < len(bins) else None
        label = (
            f"≥ {fmt_number(lower)}"
            if upper is None
            else f"{fmt_number(lower)} – {fmt_number(upper)}"
        )
        legend.append((colour, f"{label} {unit}".strip()))
    legend.append((UNKNOWN_COLOUR, "onbekend"))
    return Colouring(titel, colours, legend)


def popup_table(locations: pd.DataFrame, extra: pd.DataFrame | None = None) -> pd.DataFrame:
    """Text per location for popups and tables: Dutch labels as columns, index = id.

    `extra` (index = id, columns = Dutch labels, values already text) adds screening metrics
    or scores; locations it lacks read 'onbekend'.
    """
    ids = pd.Index(locations["id"].astype(str), name="id")
    rows = pd.DataFrame(index=ids)
    rows["Naam"] = locations["naam"].astype(str).to_numpy()
    rows["Type"] = locations["type"].map(type_label).to_numpy()
    rows["Gemeente(n)"] = locations["gemeenten"].map(fmt_value).to_numpy()
    rows["Woningen"] = locations["woningen"].map(fmt_number).to_numpy()
    rows["Geometrie"] = locations["geometrie_kwaliteit"].map(quality_label).to_numpy()
    if extra is not None:
        for column in extra.columns:
            rows[column] = extra[column].reindex(ids).fillna("onbekend").to_numpy()
    return rows


def quality_warning(quality: Any) -> str | None:
    """The banner text for a location's geometry quality, or None when the geometry is real."""
    return {"indicatief": INDICATIVE_BANNER, "gemeente": GEMEENTE_BANNER}.get(str(quality))


def locations_layer(
    display: gpd.GeoDataFrame, popup: pd.DataFrame, colouring: Colouring
) -> folium.GeoJson:
    """The locations as one GeoJson layer: fill by `colouring`, popup with `popup`'s columns."""
    keys = {label: f"p{i}" for i, label in enumerate(popup.columns)}
    props = popup.rename(columns=keys).reindex(display[ID_PROP].astype(str))
    frame = display[[ID_PROP, "geometry"]].copy()
    for key in keys.values():
        frame[key] = props[key].to_numpy()
    frame[COLOUR_PROP] = frame[ID_PROP].astype(str).map(colouring.colours).fillna(UNKNOWN_COLOUR)
    dashed = display.get("geometrie_kwaliteit", pd.Series(index=display.index)).isin(
        ["indicatief", "gemeente"]
    )
    frame["_stippel"] = dashed.to_numpy()

    def style(feature: dict) -> dict:
        p = feature["properties"]
        return {
            "fillColor": p[COLOUR_PROP],
            "color": p[COLOUR_PROP],
            "weight": 2,
            "fillOpacity": 0.55,
            "dashArray": "6 4" if p["_stippel"] else None,
            "className": LOCATION_CLASS,
        }

    return folium.GeoJson(
        json.loads(frame.to_json(drop_id=True)),
        name="Locaties",
        style_function=style,
        highlight_function=lambda _: {"weight": 4},
        popup=folium.GeoJsonPopup(fields=list(keys.values()), aliases=list(keys), max_width=420),
        tooltip=folium.GeoJsonTooltip(fields=[keys["Naam"]], labels=False),
        zoom_on_click=False,
    )


def overlay_layer(overlay: Overlay) -> folium.FeatureGroup:
    """One overlay as a toggleable feature group."""
    group = folium.FeatureGroup(name=overlay.titel, show=overlay.show)
    if overlay.gdf.empty:
        return group

    def style(feature: dict) -> dict:
        colour = overlay.colour
        if overlay.field is not None:
            value = feature["properties"].get(overlay.field)
            colour = overlay.classes.get(str(value), UNKNOWN_COLOUR)
        line = overlay.line_colour or colour
        if overlay.style == "lijn":
            return {"color": colour, "weight": 2.5, "opacity": 0.9}
        return {
            "color": line,
            "fillColor": colour,
            "weight": 1,
            "fillOpacity": overlay.fill_opacity,
        }

    fields = list(overlay.tooltip)
    tooltip = (
        folium.GeoJsonTooltip(fields=fields, aliases=list(overlay.tooltip.values()))
        if fields
        else None
    )
    marker = folium.CircleMarker(radius=3, fill=True) if overlay.style == "punt" else None
    folium.GeoJson(
        json.loads(overlay.gdf.to_json(drop_id=True)),
        style_function=style,
        tooltip=tooltip,
        marker=marker,
        zoom_on_click=False,
    ).add_to(group)
    return group


class Legend(MacroElement):
    """A legend control (bottom right) with one block per titled list of (colour, label)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function() {
            var legend = L.control({position: "bottomright"});
            legend.onAdd = function () {
                var div = L.DomUtil.create("div", "locatiescan-legend");
                div.style.cssText = "background:#fff;padding:6px 8px;font:12px sans-serif;" +
                    "border-radius:4px;box-shadow:0 0 4px rgba(0,0,0,.3);max-width:260px";
                var blocks = {{ this.blocks_json }};
                blocks.forEach(function (block) {
                    var title = document.createElement("div");
                    title.style.fontWeight = "bold";
                    title.textContent = block[0];
                    div.appendChild(title);
                    block[1].forEach(function (entry) {
                        var row = document.createElement("div");
                        var swatch = document.createElement("span");
                        swatch.style.cssText = "display:inline-block;width:12px;height:12px;" +
                            "margin-right:5px;vertical-align:middle;border:1px solid #555;background:" +
                            entry[0];
                        row.appendChild(swatch);
                        row.appendChild(document.createTextNode(entry[1]));
                        div.appendChild(row);
                    });
                });
                return div;
            };
            legend.addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}
        """
    )

    def __init__(self, blocks: list[tuple[str, list[tuple[str, str]]]]) -> None:
        super().__init__()
        self._name = "Legend"
        self.blocks_json = json.dumps(blocks, ensure_ascii=False)


def build_map(
    locations: gpd.GeoDataFrame,
    popup: pd.DataFrame,
    colouring: Colouring,
    *,
    overlays: list[Overlay] | None = None,
    basemap: gpd.GeoDataFrame | None = None,
    draw: bool = False,
    height_px: int = 600,
) -> folium.Map:
    """The map: base outline, overlays, locations on top, legend, layer control, optional Draw.

    `locations` is display-ready (see `to_display`) with at least `id` and `geometrie_kwaliteit`.
    """
    fmap = folium.Map(
        location=NL_CENTER, zoom_start=7, tiles=None, height=height_px, control_scale=True
    )
    if basemap is not None and not basemap.empty:
        folium.GeoJson(
            json.loads(basemap[["geometry"]].to_json(drop_id=True)),
            name="Provinciegrenzen",
            style_function=lambda _: {
                "color": "#888888",
                "weight": 1,
                "fillColor": "#f4f1ea",
                "fillOpacity": 1,
            },
            interactive=False,
            control=False,
        ).add_to(fmap)
    legend_blocks: list[tuple[str, list[tuple[str, str]]]] = [(colouring.titel, colouring.legend)]
    for overlay in overlays or []:
        overlay_layer(overlay).add_to(fmap)
        if overlay.legend:
            legend_blocks.append((overlay.titel, overlay.legend))
    if not locations.empty:
        locations_layer(locations, popup, colouring).add_to(fmap)
        minx, miny, maxx, maxy = locations.total_bounds
        fmap.fit_bounds([[miny, minx], [maxy, maxx]], padding=(20, 20))
    Legend(legend_blocks).add_to(fmap)
    folium.LayerControl(collapsed=False).add_to(fmap)
    if draw:
        folium.plugins.Draw(
            export=False,
            draw_options={
                "polyline": False,
                "circle": False,
                "circlemarker": False,
                "marker": False,
                "polygon": {"allowIntersection": False, "showArea": True},
                "rectangle": True,
            },
            edit_options={"edit": False},
        ).add_to(fmap)
    return localize_assets(fmap)


def drawn_polygon(drawing: dict | None) -> shapely.Geometry | None:
    """The polygon of a Leaflet.draw GeoJSON feature, in EPSG:28992; None when not a polygon.

    streamlit-folium also reports a clicked map feature as the "last active drawing"; such a
    feature carries its properties, a freshly drawn one has none, so only the latter counts.
    """
    if not drawing or not isinstance(drawing, dict) or drawing.get("properties"):
        return None
    try:
        shape = shapely.geometry.shape(drawing.get("geometry", drawing))
    except (AttributeError, KeyError, TypeError, ValueError, shapely.errors.GEOSException):
        return None
    if shape.geom_type not in ("Polygon", "MultiPolygon") or shape.is_empty:
        return None
    return gpd.GeoSeries([shape], crs=WGS84).to_crs(RD).iloc[0]


def location_at(locations: gpd.GeoDataFrame, lat: float, lng: float) -> str | None:
    """Id of the smallest location containing the clicked point (RD frame); None when none does."""
    point = gpd.GeoSeries([shapely.Point(lng, lat)], crs=WGS84).to_crs(locations.crs).iloc[0]
    hits = locations[locations.geometry.contains(point)]
    if hits.empty:
        return None
    return str(hits.loc[hits.geometry.area.idxmin(), "id"])

"""Folium map of the locations with overlay layers, a legend and popups (pure: frames in, map out).

Display geometries are simplified in RD (EPSG:28992), reprojected to EPSG:4326 and rounded, and
carry only the properties the popups and styles need, so the page payload stays small.

Base map: online, the PDOK BRT-Achtergrondkaart (grijs, standaard) and the PDOK luchtfoto as
choosable tile layers; always, an offline context map from the data root (land from the CBS
province shapes on a water-coloured background, gemeente and province boundaries and their
names), so the map is never blank and works without internet.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from functools import cached_property
from typing import Any

import folium
import folium.plugins
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from branca.element import MacroElement, Template

from locatiescan.present import nl_number, woningen_of
from locatiescan.ui import literal_render
from locatiescan.ui.assets import localize_assets
from locatiescan.ui.labels import (
    GEMEENTE_BANNER,
    INDICATIVE_BANNER,
    LOCATION_TYPES,
    TYPE_COLOURS,
    UNKNOWN_COLOUR,
    list_text,
    programme_labels,
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
TOOLTIP_PROP = "_tip"  # + position: an overlay tooltip field as HTML text

literal_render.install()  # data shown on a map is never evaluated as a template


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

    @cached_property
    def geojson(self) -> dict:
        """The features as GeoJSON, built once per overlay (the app keeps overlays): the class
        `field` as it is (the colours are looked up by it) and each tooltip field as HTML text
        under `TOOLTIP_PROP{i}` (what the tooltip shows)."""
        frame = self.gdf[[*([self.field] if self.field else []), "geometry"]].copy()
        for i, field in enumerate(self.tooltip):
            frame[f"{TOOLTIP_PROP}{i}"] = [html_text(v) for v in self.gdf[field]]
        return feature_collection(frame)


def html_text(value: Any) -> Any:
    """A text value escaped for HTML: folium's popups and tooltips insert values as HTML, so a
    name `<img onerror=…>` from a file would run in the map's frame."""
    return html.escape(value) if isinstance(value, str) else value


def feature_collection(frame: gpd.GeoDataFrame) -> dict:
    """A display frame (EPSG:4326) as a GeoJSON FeatureCollection without feature ids."""
    return json.loads(frame.to_json(drop_id=True))


@dataclass(frozen=True)
class ImageLayer:
    """A georeferenced image (e.g. a PNG in Web Mercator as a data URL) drawn over the map in
    its own toggleable layer; `bounds` = [[south, west], [north, east]] in degrees. Legend
    entries with colour "" are plain lines of text (e.g. the sources)."""

    titel: str
    url: str
    bounds: list[list[float]]
    legend: list[tuple[str, str]] = dataclass_field(default_factory=list)
    opacity: float = 0.6


IMAGE_LAYER_CLASS = "locatiescan-beeldlaag"  # CSS class of an ImageLayer's <img> (browser tests)
# The image has its own map pane above the overlay pane (400: the SVG with the opaque offline
# land fill, the overlays and the locations) and below the place names (450); in the overlay
# pane itself it would lie hidden under that SVG (the layer control renumbers z-indexes there).
IMAGE_PANE = "locatiescanBeeld"
IMAGE_PANE_Z_INDEX = 420


def image_layer(image: ImageLayer) -> folium.raster_layers.ImageOverlay:
    """An ImageLayer as a folium ImageOverlay in `IMAGE_PANE` (no interaction, pixels kept
    sharp): over the vector layers, which show through its opacity and stay clickable."""
    return folium.raster_layers.ImageOverlay(
        image.url,
        bounds=image.bounds,
        name=image.titel,
        opacity=image.opacity,
        pane=IMAGE_PANE,
        class_name=IMAGE_LAYER_CLASS,
        interactive=False,
    )


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
    """Colour per class value (e.g. a grid congestion code or a water class); unknown in grey."""
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
            f"≥ {nl_number(lower)}" if upper is None else f"{nl_number(lower)} – {nl_number(upper)}"
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
    rows["Programma"] = programme_labels(locations).to_numpy()
    rows["Gemeente(n)"] = locations["gemeenten"].map(list_text).to_numpy()
    rows["Woningen"] = woningen_texts(locations).to_numpy()
    rows["Geometrie"] = locations["geometrie_kwaliteit"].map(quality_label).to_numpy()
    if extra is not None:
        for column in extra.columns:
            rows[column] = extra[column].reindex(ids).fillna("onbekend").to_numpy()
    return rows


def woningen_texts(locations: pd.DataFrame) -> pd.Series:
    """Homes per location as text ('63.000–75.000', '≥ 2.500', 'onbekend'), see
    `present.woningen_of`: a programme threshold (`woningen_drempel`) is never shown as a count."""
    frame = pd.DataFrame(locations)
    texts = [woningen_of(row) for row in frame.to_dict(orient="records")]
    return pd.Series(texts, index=frame.index, dtype="object")


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
        frame[key] = [html_text(v) for v in props[key]]
    frame[COLOUR_PROP] = frame[ID_PROP].astype(str).map(colouring.colours).fillna(UNKNOWN_COLOUR)
    quality = display.get("geometrie_kwaliteit", pd.Series(index=display.index)).astype(str)
    frame["_kwaliteit"] = quality.to_numpy()
    # Gemeente-level locations first: their outline lies under every real site it contains.
    frame = frame.iloc[np.argsort(~(quality == "gemeente").to_numpy(), kind="stable")]

    def style(feature: dict) -> dict:
        p = feature["properties"]
        if p["_kwaliteit"] == "gemeente":  # only the gemeente is known: an outline, no site
            return {
                "fillColor": p[COLOUR_PROP],
                "color": p[COLOUR_PROP],
                "weight": 1.5,
                "fillOpacity": 0.0,
                "dashArray": "2 5",
                "className": LOCATION_CLASS,
            }
        return {
            "fillColor": p[COLOUR_PROP],
            "color": p[COLOUR_PROP],
            "weight": 2,
            "fillOpacity": 0.55,
            "dashArray": "6 4" if p["_kwaliteit"] == "indicatief" else None,
            "className": LOCATION_CLASS,
        }

    return folium.GeoJson(
        json.loads(frame.to_json(drop_id=True)),
        name="Locaties",
        style_function=style,
        highlight_function=lambda _: {"weight": 4},
        popup=folium.GeoJsonPopup(
            fields=list(keys.values()), aliases=[html.escape(k) for k in keys], max_width=420
        ),
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

    fields = [f"{TOOLTIP_PROP}{i}" for i in range(len(overlay.tooltip))]
    tooltip = (
        folium.GeoJsonTooltip(
            fields=fields, aliases=[html.escape(a) for a in overlay.tooltip.values()]
        )
        if fields
        else None
    )
    marker = folium.CircleMarker(radius=3, fill=True) if overlay.style == "punt" else None
    folium.GeoJson(
        overlay.geojson,
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
                        if (entry[0]) {
                            var swatch = document.createElement("span");
                            swatch.style.cssText = "display:inline-block;width:12px;" +
                                "height:12px;margin-right:5px;vertical-align:middle;" +
                                "border:1px solid #555;background:" + entry[0];
                            row.appendChild(swatch);
                        } else {
                            row.style.cssText = "font-size:11px;color:#555;margin-top:2px";
                        }
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
        self.blocks_json = script_json(blocks)


def script_json(value: object) -> str:
    """JSON safe inside a <script> element: <, > and & escaped (a text such as a model name
    from an uploaded file can never close the script)."""
    text = json.dumps(value, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


PDOK_TILES = {
    "PDOK achtergrondkaart grijs": (
        "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/grijs/EPSG:3857/{z}/{x}/{y}.png"
    ),
    "PDOK achtergrondkaart standaard": (
        "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/standaard/EPSG:3857/{z}/{x}/{y}.png"
    ),
    "PDOK luchtfoto": (
        "https://service.pdok.nl/hwh/luchtfotorgb/wmts/v1_0/Actueel_orthoHR/EPSG:3857/{z}/{x}/{y}.jpeg"
    ),
}
PDOK_ATTRIBUTION = {
    "PDOK achtergrondkaart grijs": 'Kaartgegevens &copy; <a href="https://www.kadaster.nl">Kadaster</a> (BRT, PDOK)',
    "PDOK achtergrondkaart standaard": 'Kaartgegevens &copy; <a href="https://www.kadaster.nl">Kadaster</a> (BRT, PDOK)',
    "PDOK luchtfoto": "Luchtfoto &copy; Beeldmateriaal Nederland (PDOK)",
}
OFFLINE_BASE = "Offline kaart (CBS-grenzen)"
CONTEXT_ATTRIBUTION = "Grenzen en namen: CBS/Kadaster (CC BY 4.0)"
WATER_COLOUR = "#cfe0ec"  # open water: the complement of the land shapes
LAND_COLOUR = "#f4f1ea"
GEMEENTE_LABEL_ZOOM = 10  # gemeente names from this zoom, province names below it
SELECTED_COLOUR = "#ffd400"
SELECTED_MAX_ZOOM = 14
MAP_WIDTH_PX = 900  # typical width of the map column, for the zoom that fits a selection


@dataclass(frozen=True)
class Basemap:
    """The base map: land shapes (provinces), gemeente outlines and label points (EPSG:4326,
    column `naam`), and whether the PDOK tiles may be used (online)."""

    provinces: gpd.GeoDataFrame
    gemeenten: gpd.GeoDataFrame
    province_labels: gpd.GeoDataFrame
    gemeente_labels: gpd.GeoDataFrame
    online: bool = False

    @cached_property
    def land(self) -> dict:
        """The province shapes as GeoJSON (built once per base map, as the app keeps it)."""
        return feature_collection(self.provinces[["geometry"]])

    @cached_property
    def gemeente_lines(self) -> dict:
        """The gemeente shapes as GeoJSON."""
        return feature_collection(self.gemeenten[["geometry"]])

    @cached_property
    def labels(self) -> tuple[str, str]:
        """The province and gemeente label points as `MapLabels` JSON."""
        return _points_json(self.province_labels), _points_json(self.gemeente_labels)


def label_points(areas: gpd.GeoDataFrame, name_column: str) -> gpd.GeoDataFrame:
    """One label point (inside the shape) per area, EPSG:4326, column `naam`."""
    rd = areas.to_crs(RD)
    points = rd.geometry.representative_point()
    return gpd.GeoDataFrame(
        {"naam": rd[name_column].astype(str).to_numpy()}, geometry=points.values, crs=RD
    ).to_crs(WGS84)


class MapLabels(MacroElement):
    """Place names as plain text in their own pane (never clickable): province names below
    zoom `GEMEENTE_LABEL_ZOOM`, gemeente names from that zoom on."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function() {
            var map = {{ this._parent.get_name() }};
            var pane = map.createPane("locatiescanLabels");
            pane.style.zIndex = 450;
            pane.style.pointerEvents = "none";
            function group(points, cls) {
                var layer = L.layerGroup();
                points.forEach(function (p) {
                    L.marker([p[1], p[0]], {pane: "locatiescanLabels", interactive: false,
                        icon: L.divIcon({className: "locatiescan-label " + cls, html: p[2],
                                         iconSize: null})}).addTo(layer);
                });
                return layer;
            }
            var provinces = group({{ this.provinces_json }}, "provincie");
            var gemeenten = group({{ this.gemeenten_json }}, "gemeente");
            function update() {
                var near = map.getZoom() >= {{ this.gemeente_zoom }};
                if (near) { map.removeLayer(provinces); gemeenten.addTo(map); }
                else { map.removeLayer(gemeenten); provinces.addTo(map); }
            }
            map.on("zoomend", update);
            update();
        })();
        {% endmacro %}
        """
    )

    def __init__(self, provinces_json: str, gemeenten_json: str) -> None:
        super().__init__()
        self._name = "MapLabels"
        self.gemeente_zoom = GEMEENTE_LABEL_ZOOM
        self.provinces_json = provinces_json
        self.gemeenten_json = gemeenten_json


def _points_json(points: gpd.GeoDataFrame) -> str:
    rows = [
        [round(p.x, 4), round(p.y, 4), html.escape(str(n))]
        for p, n in zip(points.geometry, points["naam"])
    ]
    return json.dumps(rows, ensure_ascii=False)


class MapChrome(MacroElement):
    """Metric scale bar only, the attribution of the context map and the label styles."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>
        .leaflet-container { background: {{ this.water }}; }
        .locatiescan-label { white-space: nowrap; font: 11px sans-serif; color: #555;
            text-shadow: 0 0 2px #fff, 0 0 2px #fff; transform: translate(-50%, -50%); }
        .locatiescan-label.provincie { font-size: 13px; font-weight: bold; color: #6b6357;
            letter-spacing: 0.5px; }
        </style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        L.control.scale({metric: true, imperial: false}).addTo({{ this._parent.get_name() }});
        {{ this._parent.get_name() }}.attributionControl.addAttribution({{ this.attribution }});
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "MapChrome"
        self.water = WATER_COLOUR
        self.attribution = json.dumps(CONTEXT_ATTRIBUTION)


def add_basemap(fmap: folium.Map, basemap: Basemap) -> None:
    """The base layers: PDOK tiles when online (grijs shown first), the offline context map
    (land fill) as the only or last choice, boundaries and names on top of either."""
    if basemap.online:
        for i, (name, url) in enumerate(PDOK_TILES.items()):
            folium.TileLayer(
                url, name=name, attr=PDOK_ATTRIBUTION[name], max_zoom=19, show=i == 0
            ).add_to(fmap)
    land = folium.FeatureGroup(
        name=OFFLINE_BASE, overlay=False, control=basemap.online, show=not basemap.online
    )
    folium.GeoJson(
        basemap.land,
        style_function=lambda _: {"stroke": False, "fillColor": LAND_COLOUR, "fillOpacity": 1},
        interactive=False,
    ).add_to(land)
    land.add_to(fmap)
    boundaries = folium.FeatureGroup(name="Gemeente- en provinciegrenzen", control=False)
    folium.GeoJson(
        basemap.gemeente_lines,
        style_function=lambda _: {"color": "#b9b1a4", "weight": 0.6, "fill": False},
        interactive=False,
    ).add_to(boundaries)
    folium.GeoJson(
        basemap.land,
        style_function=lambda _: {"color": "#8c8478", "weight": 1.4, "fill": False},
        interactive=False,
    ).add_to(boundaries)
    boundaries.add_to(fmap)
    MapLabels(*basemap.labels).add_to(fmap)


def selection_view(
    display: gpd.GeoDataFrame, location_id: str | None, map_height_px: int
) -> tuple[list[float], int] | None:
    """Centre [lat, lng] and zoom that show one location (display frame, EPSG:4326) whole;
    None when it is not on the map. Web Mercator: 256 px per 360° of longitude at zoom 0."""
    if location_id is None:
        return None
    rows = display[display[ID_PROP].astype(str) == str(location_id)]
    if rows.empty:
        return None
    minx, miny, maxx, maxy = rows.total_bounds
    lat = (miny + maxy) / 2
    width_deg = max(maxx - minx, 1e-4) * 1.4  # some margin around the location
    height_deg = max(maxy - miny, 1e-4) * 1.4 / np.cos(np.radians(lat))
    zoom_x = np.log2(360 * MAP_WIDTH_PX / (256 * width_deg))
    zoom_y = np.log2(360 * map_height_px / (256 * height_deg))
    zoom = int(np.clip(np.floor(min(zoom_x, zoom_y)), 6, SELECTED_MAX_ZOOM))
    return [round(lat, 5), round((minx + maxx) / 2, 5)], zoom


def selection_layer(display: gpd.GeoDataFrame, location_id: str | None) -> folium.FeatureGroup:
    """The highlight of the selected location (a thick outline, not clickable), added to the
    map without rebuilding it (streamlit-folium `feature_group_to_add`)."""
    group = folium.FeatureGroup(name="Gekozen locatie", control=False)
    rows = display[display[ID_PROP].astype(str) == str(location_id)]
    if location_id is not None and not rows.empty:
        folium.GeoJson(
            json.loads(rows[["geometry"]].to_json(drop_id=True)),
            style_function=lambda _: {
                "color": SELECTED_COLOUR,
                "weight": 5,
                "fill": False,
                "className": "locatiescan-selectie",
            },
            interactive=False,
        ).add_to(group)
    return group


class ContentMap(folium.Map):
    """A folium map that is told the bounds of its locations instead of computing them.

    streamlit-folium asks the map for its bounds on every run (for a value the Kaart does not
    request); branca's `get_bounds` walks every coordinate of every layer in Python, about
    0,3 s per Kaart run with the Natura 2000 overlay. `build_map` knows the bounds already.
    """

    def __init__(self, *args: Any, content_bounds: list[list[float | None]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.content_bounds = content_bounds

    def get_bounds(self) -> list[list[float | None]]:
        """[[south, west], [north, east]] of the locations ([[None, None], [None, None]]
        without any), as branca's bounds read."""
        return self.content_bounds


def build_map(
    locations: gpd.GeoDataFrame,
    popup: pd.DataFrame,
    colouring: Colouring,
    *,
    overlays: list[Overlay] | None = None,
    basemap: Basemap | None = None,
    draw: bool = False,
    height_px: int = 600,
    image: ImageLayer | None = None,
    start: tuple[list[float], int] | None = None,
) -> folium.Map:
    """The map: base map, overlays, locations on top, legend, layer control, optional Draw.

    `locations` is display-ready (see `to_display`) with at least `id` and `geometrie_kwaliteit`.
    `image` (e.g. the kansenkaart) is drawn over the base map and, translucent, over the vectors.
    `start` (centre [lat, lng], zoom; see `selection_view`) is the opening view, e.g. the
    location a shared link names; without it the map opens on all locations.
    """
    centre, zoom = start if start is not None else (NL_CENTER, 7)
    minx, miny, maxx, maxy = (float(v) for v in locations.total_bounds)
    bounds: list[list[float | None]] = [[miny, minx], [maxy, maxx]]
    fmap = ContentMap(
        location=centre,
        zoom_start=zoom,
        tiles=None,
        height=height_px,
        control_scale=False,
        content_bounds=[[None, None], [None, None]] if locations.empty else bounds,
    )
    MapChrome().add_to(fmap)
    if basemap is not None:
        add_basemap(fmap, basemap)
    legend_blocks: list[tuple[str, list[tuple[str, str]]]] = [(colouring.titel, colouring.legend)]
    if image is not None:
        folium.map.CustomPane(IMAGE_PANE, z_index=IMAGE_PANE_Z_INDEX).add_to(fmap)
        image_layer(image).add_to(fmap)
        legend_blocks.append((image.titel, image.legend))
    for overlay in overlays or []:
        overlay_layer(overlay).add_to(fmap)
        if overlay.legend:
            legend_blocks.append((overlay.titel, overlay.legend))
    if not locations.empty:
        locations_layer(locations, popup, colouring).add_to(fmap)
        if start is None:
            fmap.fit_bounds([[miny, minx], [maxy, maxx]], padding=(20, 20))
    Legend(legend_blocks).add_to(fmap)
    folium.LayerControl(collapsed=False).add_to(fmap)
    if draw:
        DrawDutch().add_to(fmap)  # before the Draw control reads L.drawLocal
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


class DrawDutch(MacroElement):
    """Leaflet.draw's button and hint texts in Dutch (its L.drawLocal table)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        if (L.drawLocal) {
            var t = L.drawLocal.draw.toolbar;
            t.buttons.polygon = "Vlak tekenen";
            t.buttons.rectangle = "Rechthoek tekenen";
            t.actions.text = "Annuleren"; t.actions.title = "Tekenen annuleren";
            t.finish.text = "Klaar"; t.finish.title = "Tekenen afronden";
            t.undo.text = "Laatste punt weg"; t.undo.title = "Laatste punt verwijderen";
            var h = L.drawLocal.draw.handlers;
            h.polygon.tooltip.start = "Klik om een vlak te beginnen.";
            h.polygon.tooltip.cont = "Klik om verder te tekenen.";
            h.polygon.tooltip.end = "Klik op het eerste punt om het vlak te sluiten.";
            h.rectangle.tooltip.start = "Klik en sleep om een rechthoek te tekenen.";
            h.simpleshape.tooltip.end = "Laat de muis los om te eindigen.";
            var e = L.drawLocal.edit.toolbar;
            e.buttons.remove = "Tekening wissen"; e.buttons.removeDisabled = "Niets te wissen";
            e.actions.save.text = "Opslaan"; e.actions.cancel.text = "Annuleren";
            e.actions.clearAll.text = "Alles wissen";
        }
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "DrawDutch"


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

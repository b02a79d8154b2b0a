"""Map building: display geometries, colours, popups, offline assets, drawing and clicking."""

from __future__ import annotations

import json
import re

import folium.plugins
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import Point, box

from locatiescan.registry import load_locations
from locatiescan.ui import mapview
from locatiescan.ui.assets import LOCAL_ASSETS, UnvendoredAssetError, asset_links, localize_assets
from locatiescan.ui.labels import (
    INDICATIVE_BANNER,
    TYPE_COLOURS,
    UNKNOWN_COLOUR,
    legend_classes,
)
from support_browser import PROJECT_ROOT

RD = "EPSG:28992"


@pytest.fixture
def squares() -> gpd.GeoDataFrame:
    """Two 1 km squares near Amersfoort (RD) and one nested 100 m square."""
    return gpd.GeoDataFrame(
        {
            "id": ["groot", "ander", "klein"],
            "naam": ["Groot", "Ander", "Klein"],
            "type": ["doorbraak", "koploper", "eigen"],
            "gemeenten": ["Amersfoort", "Leusden", None],
            "woningen": pd.array([4000, pd.NA, 12], dtype="Int64"),
            "geometrie_kwaliteit": ["indicatief", "gemeente", "eigen"],
        },
        geometry=[
            box(155000, 463000, 156000, 464000),
            box(158000, 463000, 159000, 464000),
            box(155400, 463400, 155500, 463500),
        ],
        crs=RD,
    )


def test_to_display_keeps_only_asked_columns_and_rounds(squares):
    display = mapview.to_display(squares, ["id"], tolerance_m=10)
    assert list(display.columns) == ["id", "geometry"]
    assert display.crs == "EPSG:4326"
    coords = shapely.get_coordinates(display.geometry.values)
    assert np.allclose(coords, np.round(coords, 5), atol=1e-9)
    back = display.to_crs(RD).geometry.area
    assert back.iloc[0] == pytest.approx(1_000_000, rel=0.01)  # 1 km² survives rounding to ~1 m


def test_to_display_drops_geometries_that_vanish(squares):
    frame = squares.copy()
    frame.loc[1, "geometry"] = shapely.Polygon()
    assert list(mapview.to_display(frame, ["id"], 10)["id"]) == ["groot", "klein"]


def test_without_small_parts_drops_parts_and_holes_below_the_threshold():
    big = shapely.Polygon(
        box(0, 0, 100, 100).exterior, [box(10, 10, 12, 12).exterior, box(50, 50, 80, 80).exterior]
    )
    small = box(200, 200, 205, 205)  # 25 m²
    cleaned = mapview.without_small_parts(shapely.MultiPolygon([big, small]), min_area_m2=100)
    assert cleaned.geom_type == "Polygon"
    assert cleaned.area == pytest.approx(100 * 100 - 30 * 30)  # 4 m² hole filled, 900 m² hole kept
    only_small = mapview.without_small_parts(small, min_area_m2=100)
    assert only_small.area == pytest.approx(25)  # the largest part always stays


def test_colour_by_type_lists_present_types_only(squares):
    colouring = mapview.colour_by_type(squares)
    assert colouring.colours == {
        "groot": TYPE_COLOURS["doorbraak"],
        "ander": TYPE_COLOURS["koploper"],
        "klein": TYPE_COLOURS["eigen"],
    }
    assert [label for _, label in colouring.legend] == [
        "Koploper industrieel bouwen",
        "Doorbraaklocatie",
        "Eigen locatie",
    ]


def test_colour_by_number_bins():
    values = pd.Series([0.0, 39.9, 40.0, 70.0, float("nan")], index=list("abcde"))
    colouring = mapview.colour_by_number(values, [0, 40, 55, 70], ["r", "o", "g", "G"], "Totaal")
    assert colouring.colours == {"a": "r", "b": "r", "c": "o", "d": "G", "e": UNKNOWN_COLOUR}
    assert [label for _, label in colouring.legend] == [
        "0 – 40",
        "40 – 55",
        "55 – 70",
        "≥ 70",
        "onbekend",
    ]
    with pytest.raises(ValueError, match="same length"):
        mapview.colour_by_number(values, [0, 40], ["r"], "x")


def test_colour_by_classes_accepts_numbers_and_text():
    values = pd.Series([3, "3", 0.0, -1, None], index=list("abcde"))
    classes = legend_classes("netcongestie.afname_code")  # the legend of layers/netcongestie.yaml
    colouring = mapview.colour_by_classes(values, classes, "Netcongestie")
    red, green, grey = classes[3][0], classes[0][0], classes[-1][0]
    assert colouring.colours == {"a": red, "b": red, "c": green, "d": grey, "e": UNKNOWN_COLOUR}


def test_popup_table_reads_onbekend_for_missing_values(squares):
    extra = pd.DataFrame({"Natura 2000": ["0,0 %"]}, index=["groot"])
    popup = mapview.popup_table(squares, extra)
    assert popup.loc["ander", "Woningen"] == "onbekend"
    assert popup.loc["groot", "Woningen"] == "4.000"
    assert popup.loc["groot", "Geometrie"].startswith("indicatief")
    assert popup.loc["klein", "Natura 2000"] == "onbekend"


def test_quality_warning():
    assert mapview.quality_warning("indicatief") == INDICATIVE_BANNER
    assert mapview.quality_warning("gemeente")
    assert mapview.quality_warning("plan") is None


def _geojson_features(html: str) -> list[dict]:
    """Every feature of every GeoJSON literal embedded in the map script."""
    features = []
    decoder = json.JSONDecoder()
    for match in re.finditer(r"_add\(\{", html):  # folium: geo_json_<id>_add({...GeoJSON...})
        collection, _ = decoder.raw_decode(html, match.end() - 1)
        features += collection["features"]
    return features


def test_build_map_is_offline_and_holds_every_location(squares):
    display = mapview.to_display(squares, ["id", "geometrie_kwaliteit"], 10)
    fmap = mapview.build_map(
        display, mapview.popup_table(squares), mapview.colour_by_type(squares), draw=True
    )
    html = fmap.get_root().render()
    ids = [f["properties"].get("id") for f in _geojson_features(html)]
    assert sorted(i for i in ids if i) == ["ander", "groot", "klein"]
    assert not re.findall(r'(?:src|href)="https?://', html)
    assert set(asset_links(fmap)) == set(LOCAL_ASSETS.values())
    assert "Type locatie" in html and "L.Control.Draw" in html


def test_vendored_assets_exist():
    for url in LOCAL_ASSETS.values():
        assert (PROJECT_ROOT / "app" / url.removeprefix("../../app/")).is_file(), url


def test_unvendored_plugin_is_refused(squares):
    fmap = mapview.build_map(
        mapview.to_display(squares, ["id", "geometrie_kwaliteit"], 10),
        mapview.popup_table(squares),
        mapview.colour_by_type(squares),
    )
    folium.plugins.MarkerCluster().add_to(fmap)
    with pytest.raises(UnvendoredAssetError, match="markercluster"):
        localize_assets(fmap)


def test_drawn_polygon_to_rd():
    lon, lat = 5.387, 52.155  # Amersfoort
    feature = {
        "type": "Feature",
        "properties": {},
        "geometry": shapely.geometry.mapping(box(lon, lat, lon + 0.01, lat + 0.01)),
    }
    polygon = mapview.drawn_polygon(feature)
    assert polygon.geom_type == "Polygon"
    assert 150_000 < polygon.centroid.x < 160_000 and 460_000 < polygon.centroid.y < 465_000
    assert polygon.area == pytest.approx(0.01 * 68_500 * 0.01 * 111_300, rel=0.05)
    assert (
        mapview.drawn_polygon(
            {"type": "Feature", "geometry": {"type": "Point", "coordinates": [5, 52]}}
        )
        is None
    )
    assert (
        mapview.drawn_polygon({"geometry": {"type": "Polygon", "coordinates": "garbage"}}) is None
    )
    assert mapview.drawn_polygon(None) is None
    clicked = dict(feature, properties={"id": "DB-04", "p0": "Almere Oosterwold"})
    assert mapview.drawn_polygon(clicked) is None  # a clicked location is not a drawing


def test_location_at_picks_the_smallest_hit(squares):
    inside_small = gpd.GeoSeries([Point(155450, 463450)], crs=RD).to_crs(4326).iloc[0]
    inside_big = gpd.GeoSeries([Point(155900, 463900)], crs=RD).to_crs(4326).iloc[0]
    outside = gpd.GeoSeries([Point(170000, 470000)], crs=RD).to_crs(4326).iloc[0]
    assert mapview.location_at(squares, inside_small.y, inside_small.x) == "klein"
    assert mapview.location_at(squares, inside_big.y, inside_big.x) == "groot"
    assert mapview.location_at(squares, outside.y, outside.x) is None


def test_real_registry_map_has_43_features():
    real = load_locations()
    display = mapview.to_display(real, ["id", "geometrie_kwaliteit"], 10)
    fmap = mapview.build_map(display, mapview.popup_table(real), mapview.colour_by_type(real))
    ids = {
        f["properties"]["id"]
        for f in _geojson_features(fmap.get_root().render())
        if "id" in f["properties"]
    }
    assert ids == set(real["id"])


def test_woningen_texts_keep_ranges_and_thresholds():
    frame = pd.DataFrame(
        {
            "woningen_min": pd.array([63000, 2500, pd.NA, pd.NA], dtype="Int64"),
            "woningen_max": pd.array([75000, pd.NA, pd.NA, pd.NA], dtype="Int64"),
            "woningen": pd.array([75000, 2500, 400, pd.NA], dtype="Int64"),
            "woningen_drempel": [False, True, False, False],
        }
    )
    assert list(mapview.woningen_texts(frame)) == ["63.000–75.000", "≥ 2.500", "400", "onbekend"]
    # Without the sites branch's threshold column the range still reads as a range.
    assert mapview.woningen_texts(frame.drop(columns="woningen_drempel")).iloc[0] == (
        "63.000–75.000"
    )


def test_gemeente_level_location_is_an_outline_under_the_sites(squares):
    display = mapview.to_display(squares, ["id", "geometrie_kwaliteit"], 10)
    layer = mapview.locations_layer(
        display, mapview.popup_table(squares), mapview.colour_by_type(squares)
    )
    features = layer.data["features"]
    assert features[0]["properties"]["id"] == "ander"  # gemeente-level first (lowest)
    styles = {f["properties"]["id"]: layer.style_function(f) for f in features}
    assert styles["ander"]["fillOpacity"] == 0.0 and styles["ander"]["dashArray"]
    assert styles["groot"]["fillOpacity"] > 0  # a real (indicative) site is filled


def test_selection_view_zooms_to_the_location(squares):
    display = mapview.to_display(squares, ["id"], 10)
    (lat, lng), zoom = mapview.selection_view(display, "klein", 620)
    # 100 m square: 1.4 x 100 m ≈ 0.002° lon; log2(360*900/(256*0.002)) ≈ 19 -> capped at 14.
    assert zoom == mapview.SELECTED_MAX_ZOOM
    assert 52.1 < lat < 52.2 and 5.3 < lng < 5.4  # Amersfoort
    big = gpd.GeoDataFrame(
        {"id": ["regio"]}, geometry=[box(130000, 440000, 180000, 490000)], crs=RD
    )
    # 50 km: 0.73° x 1.4 ≈ 1.03° lon -> log2(360*900/(256*1.03)) ≈ 10.3; 0.45° lat x 1.4 /
    # cos(52.2°) ≈ 1.03° -> log2(360*620/(256*1.03)) ≈ 9.7: the smaller, floored, is 9.
    assert mapview.selection_view(mapview.to_display(big, ["id"], 10), "regio", 620)[1] == 9
    assert mapview.selection_view(display, "onbekend-id", 620) is None
    assert mapview.selection_view(display, None, 620) is None


def test_basemap_is_offline_context_with_names_and_metric_scale(squares):
    provinces = gpd.GeoDataFrame(
        {"statnaam": ["Utrecht"]}, geometry=[box(140000, 440000, 170000, 470000)], crs=RD
    )
    gemeenten = gpd.GeoDataFrame(
        {"statnaam": ["Amersfoort"]}, geometry=[box(150000, 460000, 160000, 470000)], crs=RD
    )
    basemap = mapview.Basemap(
        mapview.to_display(provinces, [], 10),
        mapview.to_display(gemeenten, [], 10),
        mapview.label_points(provinces, "statnaam"),
        mapview.label_points(gemeenten, "statnaam"),
        online=False,
    )
    display = mapview.to_display(squares, ["id", "geometrie_kwaliteit"], 10)
    html = (
        mapview.build_map(
            display, mapview.popup_table(squares), mapview.colour_by_type(squares), basemap=basemap
        )
        .get_root()
        .render()
    )
    assert "Amersfoort" in html and "Utrecht" in html
    assert "imperial: false" in html and "CBS/Kadaster" in html
    assert "service.pdok.nl" not in html  # offline: no tiles requested
    online = (
        mapview.build_map(
            display,
            mapview.popup_table(squares),
            mapview.colour_by_type(squares),
            basemap=mapview.Basemap(*list(basemap.__dict__.values())[:4], online=True),
        )
        .get_root()
        .render()
    )
    assert online.count("service.pdok.nl") == 3  # grijs, standaard, luchtfoto
    assert "Kadaster" in online


def test_the_map_reports_the_bounds_of_its_locations(squares):
    """streamlit-folium reads the map's bounds on every run: the locations' extent, handed
    over by build_map (not computed from every overlay coordinate)."""
    display = mapview.to_display(squares, ["id", "geometrie_kwaliteit"], 10)
    far = gpd.GeoDataFrame(geometry=[box(6.9, 53.4, 7.0, 53.5)], crs="EPSG:4326")  # Groningen
    fmap = mapview.build_map(
        display,
        mapview.popup_table(squares),
        mapview.colour_by_type(squares),
        overlays=[mapview.Overlay("Ver weg", far)],
    )
    west, south, east, north = display.total_bounds
    assert fmap.get_bounds() == [[south, west], [north, east]]  # the overlay does not widen it
    empty = mapview.build_map(display.iloc[0:0], mapview.popup_table(squares.iloc[0:0]),
                              mapview.colour_by_type(squares))  # fmt: skip
    assert empty.get_bounds() == [[None, None], [None, None]]


def test_popup_and_tooltip_text_is_html_text(squares):
    """folium's popups and tooltips insert values as HTML in the map's frame: a name from a file
    arrives escaped (shown as written, never run), while the overlay's own values, which its
    colours are looked up by, stay as they are."""
    named = squares.assign(naam=["<img src=x onerror=alert(1)>", "A & B", "Klein"])
    display = mapview.to_display(named, ["id", "geometrie_kwaliteit"], 10)
    area = gpd.GeoDataFrame(
        {"klasse": ["<b>A</b>"]}, geometry=[box(5.0, 52.0, 5.1, 52.1)], crs=4326
    )
    overlay = mapview.Overlay("Laag", area, field="klasse", classes={"<b>A</b>": "#ff0000"},
                              tooltip={"klasse": "Klasse <i>"})  # fmt: skip
    fmap = mapview.build_map(display, mapview.popup_table(named), mapview.colour_by_type(named),
                             overlays=[overlay])  # fmt: skip
    page = fmap.get_root().render()
    features = _geojson_features(page)
    names = {
        f["properties"]["id"]: f["properties"]["p0"] for f in features if "id" in f["properties"]
    }
    assert names == {"groot": "&lt;img src=x onerror=alert(1)&gt;", "ander": "A &amp; B",
                     "klein": "Klein"}  # fmt: skip
    (area_feature,) = [f for f in features if "klasse" in f["properties"]]
    assert area_feature["properties"]["klasse"] == "<b>A</b>"  # the value the colour is found by
    assert area_feature["properties"]["_tip0"] == "&lt;b&gt;A&lt;/b&gt;"
    assert '"#ff0000"' in page  # the class colour still applies
    assert (
        "Klasse \\u0026lt;i\\u0026gt;" in page
    )  # the alias is HTML text too (in JSON: & is \\u0026)

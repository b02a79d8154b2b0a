"""GeoJSON (EPSG:4326) and GeoPackage (EPSG:28992) exports, read back with pyogrio."""

from __future__ import annotations

import json

import geopandas as gpd
import pyogrio
import pytest

from export_fixtures import (
    DRAWN_AREA_HA,
    DRAWN_NAME,
    export_knelpunten,
    export_locations,
    export_provenance,
    export_scores,
)
from locatiescan.errors import InputError
from locatiescan.export import ATTRIBUTIONS, locations_geojson, locations_gpkg, scored_locations


@pytest.fixture(scope="module")
def locations():
    return export_locations()


@pytest.fixture(scope="module")
def geojson_file(locations, tmp_path_factory):
    path = tmp_path_factory.mktemp("geo") / "locaties.geojson"
    path.write_bytes(
        locations_geojson(locations, export_scores(), export_knelpunten(), export_provenance())
    )
    return path


@pytest.fixture(scope="module")
def gpkg_file(locations, tmp_path_factory):
    path = tmp_path_factory.mktemp("geo") / "locaties.gpkg"
    path.write_bytes(
        locations_gpkg(locations, export_scores(), export_knelpunten(), export_provenance())
    )
    return path


def test_geojson_round_trip_in_wgs84(geojson_file, locations):
    back = pyogrio.read_dataframe(geojson_file)
    assert back.crs.to_epsg() == 4326
    minx, miny, maxx, maxy = back.total_bounds
    assert 3 < minx < maxx < 8 and 50 < miny < maxy < 54  # lon/lat of the Netherlands
    assert back["id"].tolist() == ["EIGEN-0001", "DB-04", "DB-03", "KL-01"]  # best first
    drawn = back[back["id"] == "EIGEN-0001"].to_crs(28992)
    assert drawn["naam"].iloc[0] == DRAWN_NAME
    assert drawn.area.iloc[0] / 10_000 == pytest.approx(DRAWN_AREA_HA, rel=1e-6)
    original = locations.set_index("id").geometry
    for location_id, geometry in zip(back["id"], back.to_crs(28992).geometry, strict=True):
        assert geometry.hausdorff_distance(original[location_id]) < 0.01  # < 1 cm
    assert back.set_index("id").loc["DB-03", "totaal"] == 65.0
    assert back.set_index("id").loc["DB-03", "pijler.kwaliteit"] == 0.5
    assert back.set_index("id").loc["DB-03", "knelpunten"].startswith("Overlapt 12,3 ha")


def test_geojson_carries_attribution_and_sources(geojson_file):
    collection = json.loads(geojson_file.read_text(encoding="utf-8"))
    assert "crs" not in collection  # RFC 7946
    assert collection["type"] == "FeatureCollection"
    for line in ATTRIBUTIONS:
        assert line in collection["attributie"]
    layers = {record["laag"]: record for record in collection["bronnen"]}
    assert layers["natura2000"]["datum"] == "2026-08-04"
    assert layers["netcongestie"]["soort"] == "offline momentopname"
    unknown = next(f for f in collection["features"] if f["properties"]["id"] == "KL-01")
    assert unknown["properties"]["totaal"] is None  # unknown, not zero


def test_gpkg_round_trip_in_rd_new(gpkg_file, locations):
    layers = dict(pyogrio.list_layers(gpkg_file))
    # KL-01 and DB-04 are unions of EIB plan polygons (MultiPolygon), so the layer is multi;
    # bronnen is a table, no geometry
    assert layers == {"locaties": "MultiPolygon", "bronnen": None}
    back = pyogrio.read_dataframe(gpkg_file, layer="locaties")
    assert back.crs.to_epsg() == 28992
    original = locations.set_index("id").geometry
    for location_id, geometry in zip(back["id"], back.geometry, strict=True):
        assert geometry.equals(original[location_id])
    by_id = back.set_index("id")
    assert by_id.loc["EIGEN-0001", "naam"] == DRAWN_NAME
    assert by_id.loc["DB-04", "klasse"] == "B" and by_id.loc["DB-04", "rang"] == 2


def test_gpkg_has_a_sources_table_and_attribution_metadata(gpkg_file):
    sources = pyogrio.read_dataframe(gpkg_file, layer="bronnen")
    assert "geometry" not in sources.columns
    assert set(ATTRIBUTIONS) <= set(sources["attributie"])
    natura = sources[sources["laag"] == "natura2000"].iloc[0]
    assert natura["datum"] == "2026-08-04"
    assert natura["waarschuwingen"] == "Waddenzee en Noordzeekustzone ontbreken offline"
    metadata = pyogrio.read_info(gpkg_file, layer="locaties")["layer_metadata"]
    assert "Netbeheer Nederland" in metadata["ATTRIBUTIE"]


def test_list_values_are_flattened_for_gis_files(locations):
    scores = export_scores().assign(namen=[["Naardermeer", "Zwanenwater"], [], None, ["x"]])
    table = scored_locations(locations, scores)
    assert table.set_index("id").loc["DB-03", "namen"] == "Naardermeer; Zwanenwater"


def test_other_input_crs_is_reprojected(locations, tmp_path):
    path = tmp_path / "uit4326.gpkg"
    path.write_bytes(locations_gpkg(locations.to_crs(4326)))
    back = pyogrio.read_dataframe(path, layer="locaties")
    assert back.crs.to_epsg() == 28992
    drawn = back[back["id"] == "EIGEN-0001"]
    assert drawn.area.iloc[0] / 10_000 == pytest.approx(DRAWN_AREA_HA, rel=1e-6)


@pytest.mark.parametrize("export", [locations_geojson, locations_gpkg])
def test_locations_without_crs_are_refused(locations, export):
    with pytest.raises(InputError, match="no CRS"):
        export(gpd.GeoDataFrame(locations, crs=None).set_crs(None, allow_override=True))

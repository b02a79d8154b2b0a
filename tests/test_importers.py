"""Import of user files: every format, the CRS rule, geometry repair and attribute mapping."""

from __future__ import annotations

import math
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from shapely.geometry import GeometryCollection, LineString, Point, Polygon, box

from locatiescan.errors import InputError
from locatiescan.importers import import_file, list_layers
from locatiescan.importers.attributes import (
    HOUSING_COLUMNS,
    LON_COLUMNS,
    NAME_COLUMNS,
    find_column,
    housing_numbers,
    location_ids,
)
from locatiescan.importers.crs import CrsDecision, decide_crs
from locatiescan.importers.geometry import clean_geometries
from support_files import BOW_TIE, RD_CRS_MEMBER, RD_SQUARE, geojson, kml, shapefile_zip

AMSTERDAM_LONLAT = (4.8795, 52.3725)


def square_lonlat(lon: float, lat: float, d: float = 0.001) -> Polygon:
    return box(lon, lat, lon + d, lat + d)


# --- CRS rule (pure) -----------------------------------------------------------------------


def test_declared_crs_wins_even_when_coordinates_look_like_lonlat() -> None:
    assert decide_crs("EPSG:28992", (4.0, 52.0, 5.0, 53.0)) == CrsDecision(
        "EPSG:28992", assumed=False
    )


def test_no_crs_and_rd_range_is_rd_with_a_warning() -> None:
    decision = decide_crs(None, (121000.0, 487000.0, 121100.0, 487100.0))
    assert decision.crs == "EPSG:28992" and decision.assumed
    assert "RD" in decision.warning.en and "aangenomen" in decision.warning.nl


def test_no_crs_and_lonlat_range_is_wgs84_with_a_warning() -> None:
    decision = decide_crs(None, (4.8, 52.3, 4.9, 52.4))
    assert decision.crs == "EPSG:4326" and decision.assumed and "lon/lat" in decision.warning.en


def test_geojson_default_counts_as_declared_only_for_lonlat() -> None:
    assert decide_crs(None, (4.8, 52.3, 4.9, 52.4), "EPSG:4326") == CrsDecision(
        "EPSG:4326", assumed=False
    )
    assert (
        decide_crs(None, (121000.0, 487000.0, 121100.0, 487100.0), "EPSG:4326").crs == "EPSG:28992"
    )


@pytest.mark.parametrize(
    "bounds",
    [
        (400000.0, 100000.0, 400100.0, 100100.0),  # beyond RD
        (10.0, 45.0, 11.0, 46.0),  # degrees, but not the Netherlands
        (4.0, 52.0, 121000.0, 487000.0),  # mixed
    ],
)
def test_no_crs_outside_both_ranges_is_an_input_error(bounds: tuple) -> None:
    with pytest.raises(InputError) as info:
        decide_crs(None, bounds)
    assert "RD New" in info.value.en and "coördinaten" in info.value.nl


def test_declared_geographic_crs_with_metre_coordinates_is_refused() -> None:
    with pytest.raises(InputError) as info:
        decide_crs("EPSG:4326", (121000.0, 487000.0, 121100.0, 487100.0))
    assert "not degrees" in info.value.en


# --- geometry rules (pure) -----------------------------------------------------------------


def frame_of(*geoms: object) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"n": range(len(geoms))}, geometry=list(geoms), crs="EPSG:28992")


def test_bow_tie_is_repaired_into_two_triangles() -> None:
    assert not BOW_TIE.is_valid
    result = clean_geometries(frame_of(RD_SQUARE, BOW_TIE), ["A", "B"])
    repaired = result.frame.geometry.iloc[1]
    assert repaired.is_valid and repaired.geom_type == "MultiPolygon" and len(repaired.geoms) == 2
    assert repaired.area == pytest.approx(50.0)  # two triangles of 10 x 5 / 2 = 25 m2
    assert result.repaired_ids == ["B"] and result.dropped == 0


def test_empty_and_missing_geometries_are_dropped_with_a_count() -> None:
    result = clean_geometries(frame_of(RD_SQUARE, None, Polygon()), ["A", "B", "C"])
    assert result.dropped == 2 and len(result.frame) == 1
    assert "B, C" in result.warnings[0].en and "weggelaten" in result.warnings[0].nl


def test_points_and_lines_are_refused_without_a_buffer() -> None:
    with pytest.raises(InputError) as info:
        clean_geometries(
            frame_of(RD_SQUARE, Point(121000, 487000), LineString([(0, 0), (1, 1)])),
            ["A", "B", "C"],
        )
    assert (
        "2 feature(s)" in info.value.en
        and "B, C" in info.value.en
        and "--buffer-points" in info.value.nl
    )


def test_points_are_buffered_when_asked() -> None:
    result = clean_geometries(frame_of(Point(121000, 487000)), ["A"], buffer_points_m=100)
    # shapely's default 64-gon: area = 32 * r^2 * sin(2 pi / 64)
    assert result.frame.geometry.iloc[0].area == pytest.approx(
        32 * 100**2 * math.sin(2 * math.pi / 64)
    )
    assert "buffered by 100 m" in result.warnings[0].en


def test_collections_keep_their_polygons_and_z_is_dropped() -> None:
    square_z = shapely.force_3d(RD_SQUARE)
    collection = GeometryCollection([RD_SQUARE, Point(0, 0)])
    result = clean_geometries(frame_of(square_z, collection), ["A", "B"])
    assert not result.frame.geometry.has_z.any()
    assert (
        result.frame.geometry.iloc[1].geom_type == "Polygon"
        and result.frame.geometry.iloc[1].area == 10_000
    )


@pytest.mark.parametrize("buffer", [0, -5])
def test_buffer_must_be_positive(buffer: float) -> None:
    with pytest.raises(InputError):
        clean_geometries(frame_of(Point(1, 1)), ["A"], buffer_points_m=buffer)


# --- attributes (pure) ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("columns", "candidates", "expected"),
    [
        (["ID", "Projectnaam", "x"], NAME_COLUMNS, "Projectnaam"),
        (["title", "Name"], NAME_COLUMNS, "Name"),  # priority order, not column order
        (["Aantal woningen", "aantal"], HOUSING_COLUMNS, "Aantal woningen"),
        (["homes"], HOUSING_COLUMNS, "homes"),
        (["Plan naam"], NAME_COLUMNS, "Plan naam"),
        (["aantal_bouwlagen"], HOUSING_COLUMNS, None),
        (["opmerking"], NAME_COLUMNS, None),
    ],
)
def test_columns_are_found_by_dutch_and_english_names(
    columns: list, candidates: tuple, expected: str | None
) -> None:
    assert find_column(columns, candidates) == expected


def test_only_lonlat_columns_match_on_a_word() -> None:
    assert find_column(["punt_lon", "lon_x"], LON_COLUMNS, partial=True) == "punt_lon"
    assert find_column(["lon", "punt_lon"], LON_COLUMNS, partial=True) == "lon"
    assert find_column(["punt_lon"], LON_COLUMNS) is None


def test_arcgis_shape_length_is_not_wkt(tmp_path: Path) -> None:
    path = tmp_path / "arcgis.csv"
    path.write_text(
        "naam,Shape_Length,punt_lon,punt_lat\nA,12.5,4.8795,52.3725\n", encoding="utf-8"
    )
    result = import_file(path, buffer_points_m=100)
    assert result.report.crs == "EPSG:4326" and result.locations.loc[0, "Shape_Length"] == 12.5


def test_housing_text_is_read_as_numbers() -> None:
    values = housing_numbers(pd.Series(["1.200", "ca. 300 woningen", "75", None, "onbekend"]))
    assert values.tolist()[:3] == [1200, 300, 75] and values.isna().tolist()[3:] == [True, True]


def test_ids_use_a_unique_user_column_else_row_numbers() -> None:
    assert location_ids(pd.DataFrame({"id": ["a", "b"]}), "id") == (["a", "b"], "id")
    assert location_ids(pd.DataFrame({"id": ["a", "a"]}), "id") == (["EIGEN-1", "EIGEN-2"], None)
    assert location_ids(pd.DataFrame({"id": ["a", None]}), "id")[0] == ["EIGEN-1", "EIGEN-2"]


# --- formats (files in tmp_path) -----------------------------------------------------------


def test_geojson_in_rd_without_crs_is_assumed_rd(tmp_path: Path) -> None:
    path = geojson(
        tmp_path / "plan.geojson",
        [RD_SQUARE, BOW_TIE],
        [{"naam": "Sq", "woningen": 40}, {"naam": "Bow"}],
    )
    result = import_file(path)
    report = result.report
    assert (report.features, report.crs, report.crs_assumed, report.repaired, report.dropped) == (
        2,
        "EPSG:28992",
        True,
        1,
        0,
    )
    assert (
        report.repaired_ids == ["EIGEN-2"]
        and report.name_column == "naam"
        and report.housing_column == "woningen"
    )
    assert len(report.warnings_nl) == len(report.warnings) == 2
    assert "hersteld: EIGEN-2" in report.warnings_nl[1]
    loc = result.locations
    assert loc.crs.to_epsg() == 28992 and list(loc["id"]) == ["EIGEN-1", "EIGEN-2"]
    assert loc["area_ha"].tolist() == pytest.approx([1.0, 0.005])
    assert (loc["type"] == "eigen").all() and (loc["geometrie_kwaliteit"] == "eigen").all()
    assert loc.loc[0, "woningen"] == 40 and pd.isna(loc.loc[1, "woningen"])
    assert loc.loc[0, "gemeentecodes"] == "GM0363" and loc.loc[0, "provincie"] == "Noord-Holland"


def test_geojson_in_lonlat_is_wgs84_by_rfc_7946(tmp_path: Path) -> None:
    path = geojson(tmp_path / "plan.geojson", [square_lonlat(*AMSTERDAM_LONLAT)], [{"name": "A"}])
    report = import_file(path).report
    assert (
        report.crs == "EPSG:4326" and report.crs_assumed is False and report.name_column == "name"
    )


def test_geojson_crs_member_is_declared(tmp_path: Path) -> None:
    path = geojson(tmp_path / "plan.geojson", [RD_SQUARE], crs_member=RD_CRS_MEMBER)
    report = import_file(path).report
    assert report.crs == "EPSG:28992" and report.crs_assumed is False and report.warnings == []


def test_gpkg_with_two_layers_needs_a_choice(tmp_path: Path) -> None:
    path = tmp_path / "plannen.gpkg"
    gpd.GeoDataFrame({"naam": ["rd"]}, geometry=[RD_SQUARE], crs=28992).to_file(path, layer="rd")
    gpd.GeoDataFrame(
        {"naam": ["ll"]}, geometry=[square_lonlat(*AMSTERDAM_LONLAT)], crs=4326
    ).to_file(path, layer="wgs")
    assert list_layers(path) == ["rd", "wgs"]
    with pytest.raises(InputError) as info:
        import_file(path)
    assert "rd, wgs" in info.value.en and "kies" in info.value.nl
    result = import_file(path, layer="wgs")
    assert (
        result.report.layer == "wgs"
        and result.report.crs == "EPSG:4326"
        and result.locations.loc[0, "naam"] == "ll"
    )
    with pytest.raises(InputError) as info:
        import_file(path, layer="nope")
    assert "rd, wgs" in info.value.en


def test_zipped_shapefile_with_and_without_prj(tmp_path: Path) -> None:
    frame = gpd.GeoDataFrame({"Plannaam": ["P"], "Aantal": [12]}, geometry=[RD_SQUARE], crs=28992)
    with_prj = import_file(shapefile_zip(tmp_path / "a.zip", frame))
    assert with_prj.report.crs == "EPSG:28992" and not with_prj.report.crs_assumed
    assert with_prj.report.layer == "plannen" and with_prj.locations.loc[0, "naam"] == "P"
    assert with_prj.locations.loc[0, "woningen"] == 12
    without = import_file(
        shapefile_zip(tmp_path / "b.zip", frame, stem="b", keep=(".shp", ".shx", ".dbf"))
    )
    assert without.report.crs == "EPSG:28992" and without.report.crs_assumed


def test_kml_is_wgs84(tmp_path: Path) -> None:
    lon, lat = AMSTERDAM_LONLAT
    coords = f"{lon},{lat} {lon + 0.001},{lat} {lon + 0.001},{lat + 0.001} {lon},{lat}"
    result = import_file(kml(tmp_path / "plan.kml", [("Kavel A", coords)]))
    assert result.report.crs == "EPSG:4326" and not result.report.crs_assumed
    assert (
        result.locations.loc[0, "naam"] == "Kavel A"
        and result.locations.loc[0, "gemeentecodes"] == "GM0363"
    )
    assert not result.locations.geometry.has_z.any()


def test_csv_with_wkt_column(tmp_path: Path) -> None:
    path = tmp_path / "plannen.csv"
    path.write_text(f'projectnaam,woningen,wkt\nA,100,"{RD_SQUARE.wkt}"\nB,5,\n', encoding="utf-8")
    result = import_file(path)
    assert result.report.features == 1 and result.report.dropped == 1 and result.report.crs_assumed
    assert result.locations.loc[0, "id"] == "EIGEN-1" and result.locations.loc[
        0, "area_ha"
    ] == pytest.approx(1.0)


def test_csv_with_lonlat_points_buffered(tmp_path: Path) -> None:
    path = tmp_path / "punten.csv"
    path.write_text("naam,lengtegraad,breedtegraad\nA,4.8795,52.3725\n", encoding="utf-8")
    with pytest.raises(InputError):
        import_file(path)
    result = import_file(path, buffer_points_m=200)
    assert result.report.crs == "EPSG:4326" and result.report.crs_assumed
    assert result.locations.loc[0, "area_ha"] == pytest.approx(
        32 * 200**2 * math.sin(2 * math.pi / 64) / 10_000
    )


def test_semicolon_csv_with_rd_xy_and_decimal_commas(tmp_path: Path) -> None:
    path = tmp_path / "rd.csv"
    path.write_text(
        "Naam;X-coördinaat;Y coordinaat;oppervlak\nA;121000,5;487000,25;1,5\n", encoding="utf-8"
    )
    result = import_file(path, buffer_points_m=10)
    centroid = result.locations.geometry.iloc[0].centroid
    assert (round(centroid.x, 3), round(centroid.y, 3)) == (121000.5, 487000.25)
    assert result.locations.loc[0, "oppervlak"] == 1.5 and result.report.crs == "EPSG:28992"


def test_xlsx_with_lonlat_and_sheet_choice(tmp_path: Path) -> None:
    path = tmp_path / "plannen.xlsx"
    with pd.ExcelWriter(path) as writer:
        pd.DataFrame({"Locatie": ["A"], "lon": [4.8795], "lat": [52.3725]}).to_excel(
            writer, sheet_name="punten", index=False
        )
        pd.DataFrame({"Locatie": ["B"], "x": [121000], "y": [487000]}).to_excel(
            writer, sheet_name="rd", index=False
        )
        pd.DataFrame().to_excel(writer, sheet_name="leeg", index=False)
    assert list_layers(path) == ["punten", "rd"]
    with pytest.raises(InputError) as info:
        import_file(path, buffer_points_m=50)
    assert "punten, rd" in info.value.en
    result = import_file(path, layer="rd", buffer_points_m=50)
    assert result.report.layer == "rd" and result.report.crs == "EPSG:28992"
    assert result.locations.loc[0, "naam"] == "B" and result.report.name_column == "Locatie"


def test_user_id_column_and_other_columns_are_kept(tmp_path: Path) -> None:
    props = [{"id": "P-7", "Naam": "x", "type": "wonen", "opmerking": "ok"}]
    result = import_file(geojson(tmp_path / "p.geojson", [RD_SQUARE], props))
    row = result.locations.iloc[0]
    assert row["id"] == "P-7" and row["naam"] == "x" and row["type"] == "eigen"
    assert row["type_origineel"] == "wonen" and row["opmerking"] == "ok"
    assert "Naam" not in result.locations.columns


def test_gemeente_column_is_reported_and_fills_in_outside_the_map(tmp_path: Path) -> None:
    props = [{"naam": "a", "gemeente": "Amsterdam"}]
    result = import_file(geojson(tmp_path / "g.geojson", [RD_SQUARE], props))
    assert (
        result.report.gemeente_column == "gemeente"
        and result.locations.loc[0, "gemeenten"] == "Amsterdam"
    )


def test_summary_has_exactly_the_issue_keys(tmp_path: Path) -> None:
    summary = import_file(geojson(tmp_path / "p.geojson", [RD_SQUARE])).report.summary()
    assert list(summary) == [
        "features",
        "crs",
        "crs_assumed",
        "repaired",
        "dropped",
        "warnings",
        "name_column",
    ]


def test_original_name_decides_the_format_of_an_uploaded_temp_file(tmp_path: Path) -> None:
    upload = geojson(tmp_path / "upload.tmp", [RD_SQUARE])
    result = import_file(upload, original_name="mijn plannen.geojson")
    assert result.locations.loc[0, "bron"] == "mijn plannen.geojson"


def test_registry_fields_of_the_file_are_honoured_with_planstatus_checked(tmp_path: Path) -> None:
    # a user's planstatus / partijen / status columns become those fields (not "_origineel");
    # planstatus only as hard or zacht: "Hard " is read, "bijna" becomes unknown with a warning
    squares = [box(121000 + 300 * i, 487000, 121100 + 300 * i, 487100) for i in range(3)]
    props = [
        {"naam": "A", "planstatus": "Hard ", "partijen": "ontwikkelaar: BPD", "status": "ok"},
        {"naam": "B", "planstatus": "zacht", "partijen": "", "status": "bestuursovereenkomst"},
        {"naam": "C", "planstatus": "bijna", "partijen": None, "status": None},
    ]
    result = import_file(geojson(tmp_path / "p.geojson", squares, props))
    table = result.locations
    assert list(table["planstatus"].astype(object).where(table["planstatus"].notna(), None)) == [
        "hard",
        "zacht",
        None,
    ]
    assert table.loc[0, "partijen"] == "ontwikkelaar: BPD" and pd.isna(table.loc[1, "partijen"])
    assert table.loc[1, "status"] == "bestuursovereenkomst"
    assert not any(c.endswith("_origineel") for c in table.columns)
    assert any("'bijna'" in w and "hard of zacht" in w for w in result.report.warnings_nl)

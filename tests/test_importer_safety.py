"""Bad input: every case gets an InputError with English and Dutch text, never a traceback."""

from __future__ import annotations

import zipfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest

from locatiescan.errors import InputError
from locatiescan.importers import import_file, list_layers, safety
from locatiescan.settings import Settings
from support_files import RD_SQUARE, geojson, shapefile_zip, zip_members


def refused(path: Path, **kwargs: object) -> InputError:
    """Import `path`, expect an InputError with distinct English and Dutch text, return it."""
    with pytest.raises(InputError) as info:
        import_file(path, **kwargs)
    assert info.value.en and info.value.nl and info.value.nl != info.value.en
    return info.value


@pytest.fixture
def limits(monkeypatch: pytest.MonkeyPatch):
    """Lower the safety limits: `limits(max_upload_mb=..., ...)`."""

    def apply(**values: float) -> None:
        lowered = Settings(**values)
        monkeypatch.setattr(safety, "settings", lambda: lowered)

    return apply


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "leeg.geojson"
    path.write_bytes(b"")
    assert "empty" in refused(path).en


def test_missing_file(tmp_path: Path) -> None:
    assert "not found" in refused(tmp_path / "weg.geojson").en


def test_file_above_the_size_limit(tmp_path: Path, limits) -> None:
    limits(max_upload_mb=0.001)  # about 1 KB
    path = geojson(tmp_path / "groot.geojson", [RD_SQUARE] * 30)
    error = refused(path)
    assert "above the limit of 0.001 MB" in error.en and "grens" in error.nl


def test_unsupported_extension(tmp_path: Path) -> None:
    path = tmp_path / "plan.dwg"
    path.write_bytes(b"AC1032")
    assert ".geojson" in refused(path).en


def test_text_renamed_to_geojson(tmp_path: Path) -> None:
    path = tmp_path / "notities.geojson"
    path.write_text("Dit is gewoon tekst, geen GeoJSON.\n", encoding="utf-8")
    error = refused(path)
    assert "not GeoJSON" in error.en and "geen GeoJSON" in error.nl


def test_broken_json(tmp_path: Path) -> None:
    path = tmp_path / "kapot.geojson"
    path.write_text('{"type": "FeatureCollection", "features": [', encoding="utf-8")
    assert "cannot be read" in refused(path).en


def test_json_that_is_not_geojson(tmp_path: Path) -> None:
    path = tmp_path / "data.json"
    path.write_text('{"hello": "world"}', encoding="utf-8")
    assert "not a GeoJSON" in refused(path).en


def test_geojson_without_any_geometry(tmp_path: Path) -> None:
    path = geojson(tmp_path / "leeg.geojson", [None, None], [{"naam": "a"}, {"naam": "b"}])
    assert "no features with a geometry" in refused(path).en


def test_truncated_geopackage(tmp_path: Path) -> None:
    whole = tmp_path / "heel.gpkg"
    gpd.GeoDataFrame({"naam": ["a"] * 50}, geometry=[RD_SQUARE] * 50, crs=28992).to_file(whole)
    path = tmp_path / "afgebroken.gpkg"
    path.write_bytes(whole.read_bytes()[: whole.stat().st_size // 3])
    assert "cannot be read" in refused(path).en


def test_geopackage_without_geometry(tmp_path: Path) -> None:
    path = tmp_path / "tabel.gpkg"
    pyogrio.write_dataframe(pd.DataFrame({"naam": ["a"]}), path, layer="tabel", driver="GPKG")
    assert "no geometry column" in refused(path).en


def test_corrupt_zip(tmp_path: Path) -> None:
    path = tmp_path / "kapot.zip"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 200)
    error = refused(path)
    assert "corrupt" in error.en and "beschadigd" in error.nl


@pytest.mark.parametrize(
    "member", ["../evil.shp", "map/../../evil.shp", "/etc/evil.shp", "C:\\evil.shp", "..\\evil.shp"]
)
def test_zip_with_unsafe_paths(tmp_path: Path, member: str) -> None:
    path = zip_members(tmp_path / "slip.zip", {"ok.txt": b"x", member: b"bad"})
    error = refused(path)
    assert "unsafe paths" in error.en and "onveilige" in error.nl
    assert not (tmp_path / "evil.shp").exists()


def test_zip_bomb_by_ratio(tmp_path: Path) -> None:
    path = zip_members(tmp_path / "bom.zip", {"bom.shp": b"\x00" * (5 * 1024 * 1024)})
    assert path.stat().st_size < 50_000  # 5 MB of zeros packs to a few KB: ratio far above 200
    error = refused(path)
    assert "zip bomb" in error.en and "zipbom" in error.nl


def test_zip_bomb_by_total_size(tmp_path: Path, limits) -> None:
    limits(max_unzipped_mb=0.01, max_zip_ratio=1e9)  # 10 KB unpacked at most
    path = zip_members(
        tmp_path / "groot.zip", {"a.shp": bytes(range(256)) * 100}, compression=zipfile.ZIP_STORED
    )
    assert "zip bomb" in refused(path).en


def test_member_whose_header_understates_its_size(tmp_path: Path) -> None:
    path = zip_members(
        tmp_path / "lieg.zip", {"a.shp": b"\x01" * 20_000}, compression=zipfile.ZIP_STORED
    )
    data = bytearray(path.read_bytes())
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):  # local and central header
        at = data.index(signature) + offset
        data[at : at + 4] = (100).to_bytes(4, "little")  # claims 100 bytes instead of 20,000
    path.write_bytes(bytes(data))
    error = refused(path)
    assert "cannot unpack a.shp" in error.en and "uitpakken" in error.nl


def test_zip_without_shapefile(tmp_path: Path) -> None:
    path = zip_members(tmp_path / "leeg.zip", {"lees mij.txt": b"hallo"})
    assert "no Shapefile" in refused(path).en


def test_zip_with_incomplete_shapefile(tmp_path: Path) -> None:
    frame = gpd.GeoDataFrame({"naam": ["a"]}, geometry=[RD_SQUARE], crs=28992)
    path = shapefile_zip(tmp_path / "half.zip", frame, keep=(".shp", ".prj"))
    error = refused(path)
    assert ".shx" in error.en and ".dbf" in error.en


def test_csv_without_geometry_columns(tmp_path: Path) -> None:
    path = tmp_path / "lijst.csv"
    path.write_text("naam,woningen\nA,100\n", encoding="utf-8")
    error = refused(path)
    assert (
        "no geometry column" in error.en
        and "lon/lat" in error.en
        and "geen geometriekolom" in error.nl
    )


def test_cp1252_csv_is_read_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "windows.csv"
    path.write_bytes("naam;x;y\nPoëzieplein;121000;487000\n".encode("cp1252"))
    result = import_file(path, buffer_points_m=10)
    assert result.locations.loc[0, "naam"] == "Poëzieplein"
    assert any("cp1252" in w for w in result.report.warnings)


def test_undecodable_csv(tmp_path: Path) -> None:
    path = tmp_path / "raar.csv"
    path.write_bytes(
        b"naam,x,y\n\x81\x8d\x8f\x90,121000,487000\n"
    )  # invalid in UTF-8 and in cp1252
    error = refused(path)
    assert "encoding" in error.en and "UTF-8" in error.nl


def test_binary_renamed_to_csv(tmp_path: Path) -> None:
    path = tmp_path / "plaatje.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    assert "not CSV" in refused(path).en


def test_csv_renamed_to_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "lijst.xlsx"
    path.write_text("naam,x,y\nA,1,2\n", encoding="utf-8")
    assert "not Excel" in refused(path).en


def test_zip_renamed_to_xlsx(tmp_path: Path) -> None:
    path = zip_members(tmp_path / "nep.xlsx", {"a.txt": b"geen werkmap"})
    assert "cannot be read" in refused(path).en


def test_kml_that_is_not_kml(tmp_path: Path) -> None:
    path = tmp_path / "plan.kml"
    path.write_text("<html><body>geen kml</body></html>", encoding="utf-8")
    assert "not KML" in refused(path).en


def test_bad_wkt_and_bad_coordinates_name_the_rows(tmp_path: Path) -> None:
    wkt = tmp_path / "wkt.csv"
    wkt.write_text(f'naam,wkt\nA,"{RD_SQUARE.wkt}"\nB,POLYGON((kapot\n', encoding="utf-8")
    assert "row(s) 3" in refused(wkt).en
    xy = tmp_path / "xy.csv"
    xy.write_text("naam,x,y\nA,121000,487000\nB,veel,487000\n", encoding="utf-8")
    assert "row(s) 3" in refused(xy, buffer_points_m=5).en


def test_empty_csv_table(tmp_path: Path) -> None:
    path = tmp_path / "kop.csv"
    path.write_text("naam,x,y\n", encoding="utf-8")
    assert "no rows" in refused(path).en


def test_coordinates_in_no_known_range(tmp_path: Path) -> None:
    path = tmp_path / "elders.csv"
    path.write_text("naam,x,y\nA,900000,100\n", encoding="utf-8")
    error = refused(path, buffer_points_m=5)
    assert "fit neither RD New" in error.en and "RD New" in error.nl


def test_points_without_buffer_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "punten.csv"
    path.write_text("naam,x,y\nA,121000,487000\n", encoding="utf-8")
    assert "--buffer-points" in refused(path).en


def test_list_layers_applies_the_same_checks(tmp_path: Path) -> None:
    path = tmp_path / "leeg.gpkg"
    path.write_bytes(b"")
    with pytest.raises(InputError):
        list_layers(path)

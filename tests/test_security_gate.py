"""The gate for user files: VRT and other indirections disguised as a supported format are
refused before GDAL reads anything, so no local file is read and no request is made.

A canary server on 127.0.0.1 counts requests; every hostile file names it (through /vsicurl/ and
plain URLs) and /etc/passwd. The assertions: exit 2 with an English and a Dutch line, no line of
/etc/passwd in any output, and the canary saw nothing.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path

import pyogrio
import pytest

from locatiescan.importers.gate import ALLOWED_VECTOR_DRIVERS, UNSKIPPABLE, lockdown
from support_cli import cli
from support_servers import FixedAnswerServer, serve

PASSWD_MARK = "root:x:0:0"


@pytest.fixture
def canary() -> Iterator[FixedAnswerServer]:
    server = FixedAnswerServer(200, "text/plain", b"a,b\n1,2\n")
    running = serve(server)
    try:
        yield server
    finally:
        running.stop()


def canary_url(server: FixedAnswerServer) -> str:
    return f"http://127.0.0.1:{server.server_port}/canary.csv"


def ogr_vrt(server: FixedAnswerServer, *, comment: str = "") -> str:
    """An OGR VRT reading /etc/passwd as CSV and a CSV on the canary server."""
    return f"""<OGRVRTDataSource>{comment}
  <OGRVRTLayer name="passwd"><SrcDataSource>CSV:/etc/passwd</SrcDataSource></OGRVRTLayer>
  <OGRVRTLayer name="canary">
    <SrcDataSource>/vsicurl/{canary_url(server)}</SrcDataSource>
  </OGRVRTLayer>
</OGRVRTDataSource>
"""


def gdal_vrt(server: FixedAnswerServer) -> str:
    """A raster VRT whose band comes from the canary server."""
    return f"""<VRTDataset rasterXSize="1" rasterYSize="1">
  <SRS>EPSG:28992</SRS><GeoTransform>143000, 100, 0, 484800, 0, -100</GeoTransform>
  <VRTRasterBand dataType="Float32" band="1"><SimpleSource>
    <SourceFilename>/vsicurl/{canary_url(server)}</SourceFilename><SourceBand>1</SourceBand>
  </SimpleSource></VRTRasterBand>
</VRTDataset>
"""


def assert_refused(code: int, out: str, err: str, server: FixedAnswerServer) -> None:
    assert code == 2, err
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) >= 2  # English and Dutch
    assert "geweigerd" in err or "niet leesbaar" in err or "kan niet" in err
    assert PASSWD_MARK not in out + err
    assert server.hits == 0


def test_lockdown_leaves_only_the_allowed_vector_drivers() -> None:
    lockdown()
    registered = set(pyogrio.list_drivers())
    assert registered <= ALLOWED_VECTOR_DRIVERS | UNSKIPPABLE
    for indirection in ("OGR_VRT", "GDALG", "WFS", "OAPIF", "HTTP", "CSV", "SQLite"):
        assert indirection not in registered


def test_vrt_disguised_as_kml(monkeypatch, capsys, tmp_path, canary) -> None:
    path = tmp_path / "plannen.kml"
    # the old check only looked for "<kml" in the first 64 KB: a comment was enough
    path.write_text(ogr_vrt(canary, comment="<!-- <kml> -->"), encoding="utf-8")
    code, out, err = cli(monkeypatch, capsys, "import", str(path))
    assert_refused(code, out, err, canary)
    assert "KML" in err and "OGRVRTDataSource" in err


def test_vrt_disguised_as_shapefile_in_a_zip(monkeypatch, capsys, tmp_path, canary) -> None:
    path = tmp_path / "plannen.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("plannen.shp", ogr_vrt(canary))
        archive.writestr("plannen.shx", b"\x00" * 100)
        archive.writestr("plannen.dbf", b"\x03" + b"\x00" * 40)
    code, out, err = cli(monkeypatch, capsys, "import", str(path))
    assert_refused(code, out, err, canary)
    assert "Shapefile" in err


@pytest.mark.parametrize("name", ["bodemdaling.tif", "bodemdaling.geojson"])
def test_vrt_disguised_as_a_theme_layer(monkeypatch, capsys, tmp_path, canary, name) -> None:
    path = tmp_path / name
    text = gdal_vrt(canary) if name.endswith(".tif") else ogr_vrt(canary)
    path.write_text(text, encoding="utf-8")
    code, out, err = cli(
        monkeypatch,
        capsys,
        "screen",
        "--type",
        "koploper",
        "--layers",
        "water_bodem",
        "--offline",
        "--theme-layer",
        f"bodemdaling={path}",
    )
    assert_refused(code, out, err, canary)
    assert "eigen laag" in err


def test_sqlite_that_is_not_a_geopackage_is_refused(tmp_path) -> None:
    import sqlite3

    from locatiescan.errors import InputError
    from locatiescan.importers import import_file

    path = tmp_path / "plannen.gpkg"
    sqlite3.connect(path).execute("CREATE TABLE t (a)").connection.close()
    with pytest.raises(InputError) as caught:
        import_file(path)
    assert "GeoPackage" in caught.value.en and "geweigerd" in caught.value.nl


def test_kml_with_a_doctype_is_refused(tmp_path, canary) -> None:
    from locatiescan.errors import InputError
    from locatiescan.importers import import_file

    path = tmp_path / "plannen.kml"
    path.write_text(
        f'<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY x SYSTEM "{canary_url(canary)}">]>'
        '<kml xmlns="http://www.opengis.net/kml/2.2"><Document>&x;</Document></kml>',
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        import_file(path)
    assert "DOCTYPE" in caught.value.en
    assert canary.hits == 0


def test_a_real_kml_still_imports(tmp_path: Path) -> None:
    from locatiescan.importers import import_file

    path = tmp_path / "plannen.kml"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://www.opengis.net/kml/2.2">'
        "<Document><Placemark><name>Vlak</name><Polygon><outerBoundaryIs><LinearRing>"
        "<coordinates>5.0,52.0 5.01,52.0 5.01,52.01 5.0,52.01 5.0,52.0</coordinates>"
        "</LinearRing></outerBoundaryIs></Polygon></Placemark></Document></kml>",
        encoding="utf-8",
    )
    result = import_file(path)
    assert result.report.features == 1 and result.report.crs == "EPSG:4326"

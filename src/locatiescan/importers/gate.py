"""The one safe way to open a user's file with GDAL (see SECURITY.md).

A user's file (an import, a theme layer) and a remote source's answer are untrusted. GDAL picks a
driver by content, and some drivers are indirections: an OGR/GDAL VRT, a GDALG pipeline or a
tile index can name other files (`/etc/passwd`) or URLs, which GDAL then reads or requests. So:

1. `lockdown()` (run once, on import of this module) removes from the GDAL that pyogrio uses
   every vector driver except `ALLOWED_VECTOR_DRIVERS` (GDAL's own `GDAL_SKIP`, re-applied on
   every driver registration), disables GDAL's network access (`/vsicurl/` and friends), and
   turns off schema downloads, directory listings and external SQLite access.
2. `verify_content` decides the format from the extension AND the content before GDAL sees the
   file: a GeoJSON must parse as a GeoJSON object, a KML/GML must be XML whose root element is
   `kml`, without DOCTYPE; a GeoPackage must be SQLite with the GeoPackage application id; a
   Shapefile must carry the Shapefile magic numbers; a GeoTIFF the TIFF magic number.
3. `read_vector` asks GDAL which driver opened the file and refuses any other than the one the
   format needs (`DRIVERS`), and refuses a layer above `max_features` before reading it.
   Rasters are opened with rasterio restricted to the GTiff driver (`check_geotiff`).
"""

from __future__ import annotations

import glob
import json
import struct
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import pyogrio
from lxml import etree
from pyogrio._ogr import _register_drivers

from locatiescan.errors import InputError
from locatiescan.settings import settings

ALLOWED_VECTOR_DRIVERS = frozenset({"GPKG", "GeoJSON", "ESRI Shapefile", "KML", "LIBKML", "GML"})
# GDAL_SKIP splits on spaces, so "MapInfo File" cannot be named there. It only opens files named
# .tab/.mif/.mid, which no checked file is, and `read_vector` refuses any driver but the one
# the format needs.
UNSKIPPABLE = frozenset({"MapInfo File"})
DRIVERS = {"geojson": "GeoJSON", "gpkg": "GPKG", "kml": ("KML", "LIBKML"), "shp": "ESRI Shapefile"}
# GDAL configuration for every open: no network, no directory scans, no external SQLite access.
SAFE_GDAL_OPTIONS = {
    "CPL_VSIL_CURL_ALLOWED_EXTENSIONS": ".locatiescan-no-network",
    "GDAL_HTTP_MAX_RETRY": "0",
    "GDAL_HTTP_TIMEOUT": "1",
    "GDAL_HTTP_CONNECTTIMEOUT": "1",
    "GDAL_HTTP_PROXY": "127.0.0.1:9",  # discard port: any request GDAL would still try fails
    "GDAL_DISABLE_READDIR_ON_OPEN": "EMPTY_DIR",
    "GML_DOWNLOAD_SCHEMA": "NO",
    "GML_SKIP_RESOLVE_ELEMS": "ALL",
    "LIBKML_EXTERNAL_STYLE": "NO",
    "OGR_SQLITE_ALLOW_EXTERNAL_ACCESS": "NO",
}
SQLITE_MAGIC = b"SQLite format 3\x00"
GPKG_APPLICATION_IDS = (b"GPKG", b"GP10", b"GP11")
TIFF_MAGIC = (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+")
SHAPE_FILE_CODE = 9994
SHAPE_VERSION = 1000
DBF_VERSIONS = frozenset({0x02, 0x03, 0x04, 0x05, 0x30, 0x31, 0x32, 0x43, 0x83, 0x8B, 0x8E, 0xF5})
XML_HEAD = 64 * 1024


def _refuse(name: str, label: str, why: str, waarom: str) -> InputError:
    msg = f"{name}: refused, the content is not {label}: {why}"
    return InputError(msg, f"{name}: geweigerd, de inhoud is geen {label}: {waarom}")


@lru_cache(maxsize=1)
def lockdown() -> frozenset[str]:
    """Restrict pyogrio's GDAL to the allowed drivers and no network; the drivers skipped."""
    skipped = frozenset(pyogrio.list_drivers()) - ALLOWED_VECTOR_DRIVERS - UNSKIPPABLE
    pyogrio.set_gdal_config_options({**SAFE_GDAL_OPTIONS, "GDAL_SKIP": " ".join(sorted(skipped))})
    _register_drivers()  # GDALAllRegister: applies GDAL_SKIP to the registered drivers
    left = set(pyogrio.list_drivers()) - ALLOWED_VECTOR_DRIVERS - UNSKIPPABLE
    if left:  # never carry on believing the gate is closed when it is not
        raise RuntimeError(f"GDAL drivers still registered after lockdown: {sorted(left)}")
    return skipped


@contextmanager
def raster_env() -> Iterator[None]:
    """rasterio's GDAL with the same network and directory restrictions (rasterio is
    imported here, on first raster use, so vector work never pays its import)."""
    import rasterio

    with rasterio.Env(**SAFE_GDAL_OPTIONS):
        yield


# -- content checks ------------------------------------------------------------------------


def _check_geojson(path: Path, name: str) -> None:
    try:
        document = json.loads(path.read_bytes().decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as err:
        msg = f"{name}: cannot be read, the file is damaged or not what its name says ({err})"
        nl = f"{name}: kan niet worden gelezen, beschadigd of niet wat de naam zegt ({err})"
        raise InputError(msg, nl) from err
    kind = document.get("type") if isinstance(document, dict) else None
    if kind not in ("FeatureCollection", "Feature"):
        raise _refuse(
            name,
            "GeoJSON",
            "valid JSON, but not a GeoJSON FeatureCollection or Feature",
            "geldige JSON, maar geen GeoJSON FeatureCollection of Feature",
        )


def xml_root_name(head: bytes) -> str | None:
    """Local name of the root element of an XML document (None if not XML or with a DOCTYPE)."""
    parser = etree.XMLPullParser(
        events=("start",), resolve_entities=False, no_network=True, load_dtd=False
    )
    try:
        parser.feed(head)
        for _event, element in parser.read_events():
            return etree.QName(element).localname
    except etree.XMLSyntaxError:
        return None
    return None


def _check_kml(path: Path, name: str) -> None:
    with path.open("rb") as handle:
        head = handle.read(XML_HEAD)
    if b"<!DOCTYPE" in head.upper() or b"<!ENTITY" in head.upper():
        raise _refuse(name, "KML", "it declares a DOCTYPE", "het bestand declareert een DOCTYPE")
    root = xml_root_name(head)
    if root != "kml":
        found = f"<{root}>" if root else "no XML"
        gevonden = f"<{root}>" if root else "geen XML"
        raise _refuse(
            name, "KML", f"root element {found}", f"hoofdelement {gevonden}, verwacht <kml>"
        )


def _check_gpkg(path: Path, name: str) -> None:
    with path.open("rb") as handle:
        head = handle.read(100)
    if not head.startswith(SQLITE_MAGIC):
        raise _refuse(name, "GeoPackage", "no SQLite header", "geen SQLite-kop")
    if head[68:72] not in GPKG_APPLICATION_IDS:
        raise _refuse(
            name,
            "GeoPackage",
            "a SQLite database without the GeoPackage application id",
            "een SQLite-database zonder GeoPackage-kenmerk",
        )


def _siblings(shp: Path) -> dict[str, Path]:
    """The files next to `shp` with the same stem, by lower-case suffix."""
    return {p.suffix.casefold(): p for p in shp.parent.glob(glob.escape(shp.stem) + ".*")}


def check_shapefile(shp: Path, name: str) -> None:
    """The .shp and .shx carry the Shapefile header; the .dbf a dBASE version byte."""
    siblings = _siblings(shp)
    for part in (siblings.get(".shp", shp), siblings.get(".shx")):
        if part is None:
            continue
        with part.open("rb") as handle:
            head = handle.read(100)
        if (
            len(head) < 100
            or struct.unpack(">i", head[:4])[0] != SHAPE_FILE_CODE
            or struct.unpack("<i", head[28:32])[0] != SHAPE_VERSION
        ):
            raise _refuse(
                name,
                "Shapefile",
                f"{part.name} has no Shapefile header",
                f"{part.name} heeft geen Shapefile-kop",
            )
    dbf = siblings.get(".dbf")
    if dbf is not None:
        with dbf.open("rb") as handle:
            first = handle.read(1)
        if not first or first[0] not in DBF_VERSIONS:
            raise _refuse(
                name,
                "Shapefile",
                f"{dbf.name} is not a dBASE table",
                f"{dbf.name} is geen dBASE-tabel",
            )


def check_geotiff(path: Path, name: str) -> None:
    """TIFF magic number, then rasterio opens it with the GTiff driver only."""
    with path.open("rb") as handle:
        head = handle.read(4)
    if head not in TIFF_MAGIC:
        raise _refuse(name, "GeoTIFF", "no TIFF header", "geen TIFF-kop")
    import rasterio
    from rasterio.errors import RasterioError

    try:
        with raster_env(), rasterio.open(path, driver="GTiff") as dataset:
            if dataset.driver != "GTiff":
                raise _refuse(name, "GeoTIFF", dataset.driver, dataset.driver)
    except RasterioError as err:
        msg = f"{name}: not a readable GeoTIFF: {err}"
        raise InputError(msg, f"{name}: geen leesbare GeoTIFF: {err}") from err


CHECKS = {"geojson": _check_geojson, "kml": _check_kml, "gpkg": _check_gpkg}


def verify_content(path: Path, kind: str, name: str) -> None:
    """Refuse a file whose content is not the format its kind promises (before GDAL opens it)."""
    check = CHECKS.get(kind)
    if check is not None:
        check(path, name)
    elif kind == "shp":
        check_shapefile(path, name)
    elif kind == "geotiff":
        check_geotiff(path, name)


# -- reading -------------------------------------------------------------------------------


def check_feature_count(count: int, name: str) -> None:
    """Refuse more features than `settings().max_features`."""
    limit = settings().max_features
    if count > limit:
        msg = f"{name}: {count} features is above the limit of {limit} (max_features)"
        nl = f"{name}: {count} objecten is meer dan de grens van {limit} (max_features)"
        raise InputError(msg, nl)


def read_vector(path: Path, kind: str, layer: str | None, name: str) -> gpd.GeoDataFrame:
    """A verified file's layer through the one driver its kind needs; limits applied first."""
    lockdown()
    verify_content(path, kind, name)
    try:
        info = pyogrio.read_info(path, layer=layer)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, ValueError) as err:
        msg = f"{name}: cannot be read, the file is damaged or not what its name says ({err})"
        nl = f"{name}: kan niet worden gelezen, beschadigd of niet wat de naam zegt ({err})"
        raise InputError(msg, nl) from err
    wanted = DRIVERS[kind]
    if info["driver"] not in (wanted if isinstance(wanted, tuple) else (wanted,)):
        raise _refuse(name, kind, f"GDAL sees {info['driver']}", f"GDAL ziet {info['driver']}")
    check_feature_count(int(info["features"]), name)
    return pyogrio.read_dataframe(path, layer=layer)


def list_layers(path: Path, kind: str, name: str) -> list[str]:
    """Layer names of a verified multi-layer file (GeoPackage, KML)."""
    lockdown()
    verify_content(path, kind, name)
    return [str(row[0]) for row in pyogrio.list_layers(path)]


lockdown()

"""Builders for small user files in a test's tmp_path (GeoJSON, zips, Shapefiles, KML)."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import geopandas as gpd
from shapely.geometry import Polygon, mapping

# A 100 m x 100 m square in Amsterdam (RD) and a bow-tie (self-intersecting) polygon in Utrecht.
RD_SQUARE = Polygon([(121000, 487000), (121100, 487000), (121100, 487100), (121000, 487100)])
BOW_TIE = Polygon([(136000, 455000), (136010, 455010), (136010, 455000), (136000, 455010)])
RD_CRS_MEMBER = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::28992"}}


def geojson(
    path: Path,
    geometries: list,
    properties: list[dict] | None = None,
    crs_member: dict | None = None,
) -> Path:
    """A FeatureCollection; `crs_member` adds the legacy `crs` member (a declared CRS)."""
    properties = properties or [{} for _ in geometries]
    features = [
        {
            "type": "Feature",
            "properties": props,
            "geometry": mapping(geom) if geom is not None else None,
        }
        for geom, props in zip(geometries, properties, strict=True)
    ]
    document: dict = {"type": "FeatureCollection", "features": features}
    if crs_member:
        document["crs"] = crs_member
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def zip_members(
    path: Path, members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED
) -> Path:
    """A zip with the given member names (unchecked: may hold `../` or absolute names)."""
    with zipfile.ZipFile(path, "w", compression=compression) as archive:
        for name, data in members.items():
            archive.writestr(zipfile.ZipInfo(name), data, compress_type=compression)
    return path


def shapefile_zip(
    path: Path, frame: gpd.GeoDataFrame, stem: str = "plannen", keep: tuple[str, ...] | None = None
) -> Path:
    """Write `frame` as a Shapefile and zip its parts; `keep` limits the parts (e.g. no .prj)."""
    folder = path.parent / f"_{stem}_shp"
    folder.mkdir(exist_ok=True)
    frame.to_file(folder / f"{stem}.shp")
    parts = {p.name: p.read_bytes() for p in folder.iterdir() if keep is None or p.suffix in keep}
    return zip_members(path, parts)


def kml(path: Path, placemarks: list[tuple[str, str]]) -> Path:
    """A KML document with (name, "lon,lat lon,lat ...") polygon placemarks."""
    body = "".join(
        f"<Placemark><name>{name}</name><Polygon><outerBoundaryIs><LinearRing><coordinates>{coords}"
        "</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>"
        for name, coords in placemarks
    )
    text = f'<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document>{body}</Document></kml>'
    path.write_text(text, encoding="utf-8")
    return path

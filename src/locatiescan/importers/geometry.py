"""Geometry checks for imported features (pure, in EPSG:28992).

- Z/M values are dropped (2D).
- Missing or empty geometries are dropped and counted.
- Invalid polygons are repaired with `make_valid`; a GeometryCollection that results is reduced
  to its polygonal parts. The ids of repaired features are reported; a feature whose repair
  leaves no area is dropped and counted.
- Points and lines cannot be scored as areas: they are refused with an InputError unless the
  user asks for a buffer (`buffer_points_m`), which turns them into circles / corridors. A
  GeometryCollection without polygons counts as points/lines.
- A file of which no feature with an area remains is an InputError, never "0 features".
- `check_vertices`: a geometry above `max_vertices_per_geometry` or a file above
  `max_vertices_total` is refused before any geometry work (time and memory stay bounded).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import shapely
from shapely.geometry.base import BaseGeometry

from locatiescan.errors import InputError
from locatiescan.importers.notes import Note
from locatiescan.settings import settings

POLYGONAL = ("Polygon", "MultiPolygon")
MAX_LISTED = 10


@dataclass
class CleanGeometries:
    """Cleaned features plus what happened to them."""

    frame: gpd.GeoDataFrame
    repaired_ids: list[str] = field(default_factory=list)
    dropped: int = 0
    warnings: list[Note] = field(default_factory=list)


def polygonal_part(geometry: BaseGeometry) -> BaseGeometry:
    """The polygons in a geometry (a GeometryCollection's polygonal members), possibly empty."""
    if geometry.geom_type in POLYGONAL:
        return geometry
    parts = [g for g in getattr(geometry, "geoms", []) if g.geom_type in POLYGONAL]
    return shapely.union_all(parts) if parts else shapely.Polygon()


def _listed(ids: list[str]) -> str:
    more = f" (+{len(ids) - MAX_LISTED})" if len(ids) > MAX_LISTED else ""
    return ", ".join(ids[:MAX_LISTED]) + more


def check_vertices(geometries: gpd.GeoSeries, name: str) -> None:
    """Refuse a geometry or a file with more vertices than the settings allow."""
    counts = shapely.get_num_coordinates(geometries.to_numpy())
    per_geometry, total = settings().max_vertices_per_geometry, settings().max_vertices_total
    largest = int(counts.max()) if len(counts) else 0
    if largest > per_geometry:
        msg = (
            f"{name}: a geometry has {largest} vertices, above the limit of {per_geometry} "
            "(max_vertices_per_geometry)"
        )
        nl = (
            f"{name}: een geometrie heeft {largest} hoekpunten, meer dan de grens van "
            f"{per_geometry} (max_vertices_per_geometry)"
        )
        raise InputError(msg, nl)
    if int(counts.sum()) > total:
        found = int(counts.sum())
        msg = f"{name}: {found} vertices in total, above the limit of {total} (max_vertices_total)"
        nl = (
            f"{name}: {found} hoekpunten in totaal, meer dan de grens van {total} "
            "(max_vertices_total)"
        )
        raise InputError(msg, nl)


def _without_area(geometry: BaseGeometry) -> bool:
    """Points, lines, and collections of them (no polygon anywhere)."""
    if geometry.geom_type in POLYGONAL:
        return False
    if geometry.geom_type == "GeometryCollection":
        return not any(g.geom_type in POLYGONAL for g in geometry.geoms)
    return True


def check_buffer(buffer_points_m: float | None) -> None:
    """A buffer, when given, must be a positive number of metres."""
    if buffer_points_m is not None and not buffer_points_m > 0:
        msg = f"buffer for points/lines must be a positive number of metres, got {buffer_points_m}"
        nl = f"de buffer voor punten/lijnen moet een positief aantal meters zijn: {buffer_points_m}"
        raise InputError(msg, nl)


def clean_geometries(
    frame: gpd.GeoDataFrame, ids: list[str], buffer_points_m: float | None = None
) -> CleanGeometries:
    """Apply the module's rules; `ids` (one per row) name features in reports."""
    check_buffer(buffer_points_m)
    work = frame.copy()
    work["_id"] = ids
    geoms = work.geometry
    missing = geoms.isna() | geoms.is_empty
    warnings: list[Note] = []
    if missing.any():
        count, listed = int(missing.sum()), _listed(list(work.loc[missing, "_id"]))
        warnings.append(
            Note(
                f"{count} feature(s) without geometry dropped: {listed}",
                f"{count} object(en) zonder geometrie weggelaten: {listed}",
            )
        )
    work = work.loc[~missing]
    work = work.set_geometry(shapely.force_2d(work.geometry.to_numpy()), crs=frame.crs)

    linear = work.geometry.map(_without_area).astype(bool)
    if linear.any():
        listed = _listed(list(work.loc[linear, "_id"]))
        if buffer_points_m is None:
            msg = (
                f"{int(linear.sum())} feature(s) are points or lines ({listed}); scoring needs "
                "areas. Import again with a buffer (CLI: --buffer-points METRES)"
            )
            nl = (
                f"{int(linear.sum())} object(en) zijn punten of lijnen ({listed}); voor de "
                "beoordeling zijn vlakken nodig. Importeer opnieuw met een buffer "
                "(CLI: --buffer-points METERS)"
            )
            raise InputError(msg, nl)
        buffered = work.geometry.where(~linear, work.geometry.buffer(buffer_points_m))
        work = work.set_geometry(buffered, crs=frame.crs)
        count, metres = int(linear.sum()), f"{buffer_points_m:g} m"
        warnings.append(
            Note(
                f"{count} point/line feature(s) buffered by {metres}: {listed}",
                f"{count} punt(en)/lijn(en) gebufferd met {metres}: {listed}",
            )
        )

    invalid = ~work.geometry.is_valid
    repaired = list(work.loc[invalid, "_id"])
    fixed = work.geometry.where(~invalid, work.geometry.make_valid())
    work = work.set_geometry(fixed.map(polygonal_part), crs=frame.crs)
    if repaired:
        warnings.append(
            Note(
                f"{len(repaired)} invalid polygon(s) repaired: {_listed(repaired)}",
                f"{len(repaired)} ongeldig(e) vlak(ken) hersteld: {_listed(repaired)}",
            )
        )

    collapsed = work.geometry.is_empty
    if collapsed.any():
        gone = list(work.loc[collapsed, "_id"])
        warnings.append(
            Note(
                f"{len(gone)} feature(s) without area dropped: {_listed(gone)}",
                f"{len(gone)} object(en) zonder oppervlak weggelaten: {_listed(gone)}",
            )
        )
        repaired = [i for i in repaired if i not in gone]
        work = work.loc[~collapsed]
    dropped = int(missing.sum() + collapsed.sum())
    if work.empty:
        msg = "no feature with an area remains after the geometry checks"
        nl = "er blijft geen object met een oppervlak over na de geometriecontrole"
        details = "; ".join(note.en for note in warnings)
        raise InputError(f"{msg} ({details})" if details else msg, nl)
    return CleanGeometries(work.drop(columns="_id"), repaired, dropped, warnings)

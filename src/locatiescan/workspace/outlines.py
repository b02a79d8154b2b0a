"""Own outlines of locations in the workspace (`outlines` table, schema v3; append-only).

A user who knows the real outline of a policy location stores it here with author, date and a
note; the latest row per location counts and a row with geometry NULL reverts to the registry's
footprint. `apply_outlines` puts the current outlines into a Location table everywhere the
locations are used (`geometrie_kwaliteit = "ingetekend"`).

    set_outline(ws, "DB-03", polygon_rd, who="Anna", note="plangrens 2026")
    revert_outline(ws, "DB-03", who="Anna")
    outline_history(ws, "DB-03")      # every row, oldest first
    apply_outlines(load_locations(), ws)
"""

from __future__ import annotations

from datetime import UTC, datetime

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from locatiescan.errors import InputError
from locatiescan.importers.crs import RD_RANGE, within
from locatiescan.workspace.store import Workspace

RD = "EPSG:28992"
OUTLINED = "ingetekend"
HISTORY_COLUMNS = ["volgnummer", "id", "actie", "area_ha", "notitie", "door", "op", "geometry"]
CURRENT_COLUMNS = ["id", "notitie", "door", "op", "geometry"]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def _text(value: object, en: str, nl: str) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        raise InputError(f"{en} must be a non-empty text", f"{nl} mag niet leeg zijn")
    return text


def check_outline(geometry: BaseGeometry | None) -> BaseGeometry:
    """A valid, non-empty (Multi)Polygon in EPSG:28992 inside the RD range; InputError otherwise."""
    if geometry is None or geometry.is_empty:
        raise InputError("an outline needs a geometry", "een omtrek heeft een geometrie nodig")
    if geometry.geom_type not in ("Polygon", "MultiPolygon"):
        msg = f"an outline must be a polygon, not a {geometry.geom_type}"
        raise InputError(msg, f"een omtrek moet een vlak zijn, geen {geometry.geom_type}")
    if not geometry.is_valid:
        geometry = shapely.make_valid(geometry)
    if not within(geometry.bounds, RD_RANGE) or geometry.area <= 0:
        msg = "the outline lies outside the Netherlands (RD range) or has no area"
        raise InputError(msg, "de omtrek ligt buiten Nederland (RD-bereik) of heeft geen oppervlak")
    return geometry


def set_outline(
    ws: Workspace, location_id: str, geometry: BaseGeometry, who: str, note: str = ""
) -> int:
    """Store `geometry` (EPSG:28992) as the outline of `location_id`; return its number."""
    location_id = _text(location_id, "location_id", "Locatie-id")
    who = _text(who, "who", "Naam")
    wkb = shapely.to_wkb(check_outline(geometry), output_dimension=2)
    with ws._write() as conn:
        cursor = conn.execute(
            "INSERT INTO outlines (location_id, geometry, note, who, at) VALUES (?, ?, ?, ?, ?)",
            (location_id, wkb, (note or "").strip(), who, _now()),
        )
        return int(cursor.lastrowid or 0)


def revert_outline(ws: Workspace, location_id: str, who: str, note: str = "") -> int:
    """Go back to the registry's footprint (a NULL row); InputError when no outline is in use."""
    location_id = _text(location_id, "location_id", "Locatie-id")
    who = _text(who, "who", "Naam")
    if location_id not in set(current_outlines(ws)["id"]):
        msg = f"location {location_id} has no own outline to revert"
        raise InputError(msg, f"locatie {location_id} heeft geen eigen omtrek om terug te draaien")
    with ws._write() as conn:
        cursor = conn.execute(
            "INSERT INTO outlines (location_id, geometry, note, who, at) VALUES (?, NULL, ?, ?, ?)",
            (location_id, (note or "").strip(), who, _now()),
        )
        return int(cursor.lastrowid or 0)


def _frame(rows: list[tuple], columns: list[str]) -> gpd.GeoDataFrame:
    geometry = [shapely.from_wkb(r[-1]) if r[-1] is not None else None for r in rows]
    frame = pd.DataFrame([r[:-1] for r in rows], columns=columns[:-1])
    return gpd.GeoDataFrame(frame, geometry=geometry, crs=RD)


def current_outlines(ws: Workspace) -> gpd.GeoDataFrame:
    """The outlines in use: one row per location whose latest row has a geometry (`CURRENT_COLUMNS`)."""
    rows = ws._query(
        "SELECT location_id, note, who, at, geometry FROM outlines o"
        " WHERE seq = (SELECT MAX(seq) FROM outlines o2 WHERE o2.location_id = o.location_id)"
        " AND geometry IS NOT NULL ORDER BY location_id"
    )
    return _frame(rows, CURRENT_COLUMNS)


def outline_history(ws: Workspace, location_id: str) -> gpd.GeoDataFrame:
    """Every stored outline of a location, oldest first; `actie` "ingetekend" or "teruggedraaid"."""
    rows = ws._query(
        "SELECT seq, location_id, note, who, at, geometry FROM outlines"
        " WHERE location_id = ? ORDER BY seq",
        (location_id,),
    )
    frame = _frame(rows, ["volgnummer", "id", "notitie", "door", "op", "geometry"])
    frame["actie"] = [OUTLINED if g is not None else "teruggedraaid" for g in frame.geometry]
    frame["area_ha"] = frame.geometry.area / 10_000.0
    return frame[HISTORY_COLUMNS]


def with_outlines(locations: gpd.GeoDataFrame, outlines: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Pure: `locations` with each outlined location's geometry replaced by its outline,
    `geometrie_kwaliteit` "ingetekend", `area_ha` recomputed and `geometrie_toelichting` naming
    author and date. Outlines of ids not in `locations` are ignored."""
    result = locations.copy()
    if outlines.empty:
        return result
    by_id = outlines.set_index("id")
    hit = result["id"].isin(by_id.index)
    if not hit.any():
        return result
    shapes = by_id.geometry.to_crs(result.crs) if result.crs else by_id.geometry
    ids = result.loc[hit, "id"]
    result.loc[hit, result.geometry.name] = shapes.loc[ids].to_numpy()
    result.loc[hit, "geometrie_kwaliteit"] = OUTLINED
    if "area_ha" in result.columns:
        result.loc[hit, "area_ha"] = by_id.geometry.loc[ids].area.to_numpy() / 10_000.0
    notes = [
        f"eigen omtrek, ingetekend door {by_id.at[i, 'door']} op {str(by_id.at[i, 'op'])[:10]}"
        + (f": {by_id.at[i, 'notitie']}" if by_id.at[i, "notitie"] else "")
        for i in ids
    ]
    if "geometrie_toelichting" not in result.columns:
        result["geometrie_toelichting"] = pd.Series(pd.NA, index=result.index, dtype=object)
    result.loc[hit, "geometrie_toelichting"] = notes
    return result


def apply_outlines(locations: gpd.GeoDataFrame, ws: Workspace) -> gpd.GeoDataFrame:
    """`locations` with the workspace's current outlines in place of their footprints."""
    return with_outlines(locations, current_outlines(ws))

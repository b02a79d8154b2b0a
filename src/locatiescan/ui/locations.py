"""The user's own locations in the Location table schema (drawn polygons, stored imports)."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
from shapely.geometry.base import BaseGeometry

from locatiescan.errors import InputError
from locatiescan.gemeenten import gemeenten_for_areas
from locatiescan.location_table import RD, location_table

DRAWN_ID = "GETEKEND"
OWN_TYPE = "eigen"
M2_PER_HA = 10_000.0


def drawn_location(
    polygon: BaseGeometry, naam: str, woningen: int | None, gemeenten: gpd.GeoDataFrame
) -> gpd.GeoDataFrame:
    """A one-row Location table for a polygon drawn on the map (EPSG:28992)."""
    if polygon.is_empty or polygon.geom_type not in ("Polygon", "MultiPolygon"):
        msg = "a drawn location must be a polygon"
        raise InputError(msg, "een getekende locatie moet een vlak zijn")
    geometry = gpd.GeoSeries([polygon], crs=RD)
    frame = gpd.GeoDataFrame(
        {
            "id": [DRAWN_ID],
            "naam": [naam.strip() or "Getekende locatie"],
            "type": [OWN_TYPE],
            "woningen_min": pd.array([woningen], dtype="Int64"),
            "woningen_max": pd.array([woningen], dtype="Int64"),
            "woningen": pd.array([woningen], dtype="Int64"),
            "planstatus": pd.array([pd.NA], dtype="string"),
            "bron": ["getekend op de kaart"],
            "geometrie_kwaliteit": ["eigen"],
            "area_ha": [polygon.area / M2_PER_HA],
        },
        geometry=geometry,
        crs=RD,
    )
    return location_table(frame.join(gemeenten_for_areas(geometry, gemeenten)))


def generated_ids(count: int) -> list[str]:
    """The ids the importer gives rows of a file without a usable id column."""
    return [f"EIGEN-{n}" for n in range(1, count + 1)]


def for_workspace(imported: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Imported locations ready to store: importer-generated ids are dropped so the workspace
    numbers them (a second file would otherwise reuse EIGEN-1, EIGEN-2, …); the user's own
    ids are kept."""
    if list(imported["id"].astype(str)) == generated_ids(len(imported)):
        return imported.drop(columns=["id"])
    return imported


def as_location_table(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Stored own locations as a checked Location table (type "eigen" unless stored)."""
    table = frame.copy()
    for column, default in (("type", OWN_TYPE), ("geometrie_kwaliteit", "eigen")):
        table[column] = table[column].fillna(default) if column in table else default
    if table.crs is None:
        table = table.set_crs(RD)
    return location_table(table)


def option_label(location_id: str, naam: str) -> str:
    """How a location reads in the location picker (and in a shared link): 'Naam (id)'."""
    return f"{naam} ({location_id})"


def selection_from_link(value: str | None, names: dict[str, str]) -> str | None:
    """The location id a link's `locatie` parameter names: an id, or the picker's label
    'Naam (id)' (what Streamlit writes into the URL); None when it names no shown location."""
    if value is None:
        return None
    if value in names:
        return value
    labels = {option_label(i, n): i for i, n in names.items()}
    return labels.get(value)

"""Input checks shared by the overlay functions: CRS and id column, validated before computing."""

from __future__ import annotations

import geopandas as gpd
import shapely

from locatiescan.errors import InputError

OVERLAY_CRS = "EPSG:28992"


def check_crs(frame: gpd.GeoDataFrame | gpd.GeoSeries, what: str) -> None:
    """Raise when `frame` is not in EPSG:28992 (RD New); every overlay runs in metres in RD."""
    crs = frame.crs
    if crs is None or crs.to_epsg() != 28992:
        found = crs.to_string() if crs is not None else "no CRS"
        msg = f"{what} is in {found}; the overlay needs {OVERLAY_CRS} (RD New)"
        nl = f"{what} staat in {found}; de overlay vraagt {OVERLAY_CRS} (RD New)"
        raise InputError(msg, nl)


def check_locations(locations: gpd.GeoDataFrame) -> None:
    """The Location table needs a unique `id` column and RD geometries."""
    check_crs(locations, "locations")
    if "id" not in locations.columns:
        msg = "locations need an 'id' column"
        raise InputError(msg, "locaties missen de kolom 'id'")
    if locations["id"].duplicated().any():
        dupes = ", ".join(
            sorted(map(str, locations.loc[locations["id"].duplicated(), "id"].unique()))
        )
        msg = f"location ids are not unique: {dupes}"
        raise InputError(msg, f"locatie-ids zijn niet uniek: {dupes}")


def valid_geometries(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """`frame` with invalid geometries repaired (make_valid) and empty/missing ones dropped."""
    geoms = frame.geometry.values
    keep = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    frame = frame.loc[keep]
    invalid = ~shapely.is_valid(frame.geometry.values)
    if invalid.any():
        frame = frame.copy()
        repaired = shapely.make_valid(frame.geometry.values[invalid])
        frame.loc[frame.index[invalid], frame.geometry.name] = repaired
    return frame

"""Input checks shared by the overlay functions (the rules: `locatiescan.location_table`)."""

from __future__ import annotations

import geopandas as gpd
import shapely

from locatiescan.location_table import RD as OVERLAY_CRS
from locatiescan.location_table import check_crs, check_location_table

__all__ = ["OVERLAY_CRS", "check_crs", "check_locations", "valid_geometries"]


def check_locations(locations: gpd.GeoDataFrame) -> None:
    """The overlay's locations: a Location table (RD geometries, unique ids)."""
    check_location_table(locations)


def valid_geometries(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """`frame` with invalid geometries repaired (make_valid) and empty/missing ones dropped."""
    geoms = frame.geometry.to_numpy()
    keep = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    frame = frame.loc[keep]
    invalid = ~shapely.is_valid(frame.geometry.to_numpy())
    if invalid.any():
        frame = frame.copy()
        repaired = shapely.make_valid(frame.geometry.to_numpy()[invalid])
        frame.loc[frame.index[invalid], frame.geometry.name] = repaired
    return frame

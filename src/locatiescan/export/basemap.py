"""An offline context basemap for report maps, from the CBS boundaries in the data root.

Land is the union of the 2022 provinces (land-only shapes); open water is the complement of
land inside the coastline (a concave hull of the land: IJsselmeer, Markermeer, Wadden, Zeeland
deltas); everything else is 'buiten Nederland of Noordzee' (the files hold no foreign land, so
the map does not pretend to know). Gemeente and province names label the map.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import geopandas as gpd
import shapely

from locatiescan.paths import data_file

RD_NEW = "EPSG:28992"
GEMEENTEN_FILE = "cbs/gemeenten_2022.geojson"
PROVINCIES_FILE = "cbs/provincies_2022_from_gemeenten.geojson"
COASTLINE_RATIO = 0.03  # concave hull ratio: closes IJsselmeer and the Zeeland deltas
ATTRIBUTION = "Achtergrond: CBS/Kadaster gebiedsindelingen 2022 (CC BY 4.0)"


@dataclass(frozen=True)
class Context:
    """Context layers in EPSG:28992: land, open water, provinces and gemeenten (`naam`)."""

    land: shapely.Geometry
    water: shapely.Geometry
    provinces: gpd.GeoDataFrame
    gemeenten: gpd.GeoDataFrame


@lru_cache(maxsize=1)
def context() -> Context:
    """The context layers (read once per process)."""
    provinces = _read(PROVINCIES_FILE)
    gemeenten = _read(GEMEENTEN_FILE)
    land = shapely.union_all(provinces.geometry.to_numpy())
    water = shapely.concave_hull(land, ratio=COASTLINE_RATIO).difference(land)
    return Context(land, water, provinces, gemeenten)


def _read(relative: str) -> gpd.GeoDataFrame:
    frame = gpd.read_file(data_file(relative), engine="pyogrio").to_crs(RD_NEW)
    frame = frame.rename(columns={"statnaam": "naam"})[["naam", "geometry"]]
    frame["geometry"] = frame.geometry.make_valid()
    return frame

"""Context under report maps: offline from the CBS boundaries in the data root, or (online, on
request) the PDOK BRT-Achtergrondkaart.

Land is the union of the 2022 provinces (land-only shapes); open water is the complement of
land inside the coastline (a concave hull of the land: IJsselmeer, Markermeer, Wadden, Zeeland
deltas); everything else is 'buiten Nederland of Noordzee' (the files hold no foreign land, so
the map does not pretend to know). Gemeente and province names label the map.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import geopandas as gpd
import shapely
from PIL import Image as PILImage
from PIL import UnidentifiedImageError

from locatiescan.errors import SourceError
from locatiescan.layers.providers._http import HttpOptions, get
from locatiescan.paths import data_file
from locatiescan.settings import settings

RD_NEW = "EPSG:28992"
GEMEENTEN_FILE = "cbs/gemeenten_2022.geojson"
PROVINCIES_FILE = "cbs/provincies_2022_from_gemeenten.geojson"
COASTLINE_RATIO = 0.03  # concave hull ratio: closes IJsselmeer and the Zeeland deltas
ATTRIBUTION = "Achtergrond: CBS/Kadaster gebiedsindelingen 2022 (CC BY 4.0)"
BRT_WMS = "https://service.pdok.nl/brt/achtergrondkaart/wms/v2_0"
BRT_ATTRIBUTION = "Achtergrond: BRT-Achtergrondkaart, Kadaster / PDOK (CC BY 4.0)"
BrtStyle = Literal["standaard", "grijs", "pastel", "water"]


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


def brt_image(
    extent: tuple[float, float, float, float],
    size_px: tuple[int, int],
    *,
    style: BrtStyle = "grijs",
    url: str | None = None,
) -> PILImage.Image | None:
    """The BRT-Achtergrondkaart for an RD extent as one WMS GetMap image, or None when the
    project is offline (`settings().online`, unless `url` names a server explicitly) or the
    service fails — the caller then draws the offline context."""
    if url is None and not settings().online:
        return None
    params = {
        "SERVICE": "WMS",
        "VERSION": "1.3.0",
        "REQUEST": "GetMap",
        "LAYERS": style,
        "STYLES": "",
        "CRS": RD_NEW,
        "BBOX": ",".join(f"{v:.2f}" for v in extent),  # EPSG:28992 axis order is x, y
        "WIDTH": str(size_px[0]),
        "HEIGHT": str(size_px[1]),
        "FORMAT": "image/png",
    }
    try:
        body = get(url or BRT_WMS, params=params, http=HttpOptions.from_settings(), what="BRT")
        image = PILImage.open(io.BytesIO(body))
        image.load()
    except (SourceError, UnidentifiedImageError, OSError):
        return None
    return image.convert("RGB")

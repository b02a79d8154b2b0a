"""Raster zonal statistics per location (pure: works on a window already read into memory)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import pandas as pd

from locatiescan.errors import InputError
from locatiescan.location_table import id_index
from locatiescan.overlay._checks import check_locations

if TYPE_CHECKING:  # rasterio and affine are imported where a raster is read, not with the overlay
    from affine import Affine
    from rasterio.crs import CRS
    from rasterio.windows import Window

STATISTICS = ("min", "mean", "max", "pct_above")


@dataclass(frozen=True)
class RasterWindow:
    """A block of one raster band: masked values (nodata masked), its transform and CRS."""

    values: np.ma.MaskedArray
    transform: Affine
    crs: CRS
    source: str = ""


def _pixel_window(bounds: tuple[float, float, float, float], raster: RasterWindow) -> Window | None:
    """The pixel window covering `bounds`, cut to the raster; None when they do not meet."""
    from rasterio.windows import Window, from_bounds

    height, width = raster.values.shape
    window = from_bounds(*bounds, transform=raster.transform)
    row0 = max(int(np.floor(window.row_off)), 0)
    col0 = max(int(np.floor(window.col_off)), 0)
    row1 = min(int(np.ceil(window.row_off + window.height)), height)
    col1 = min(int(np.ceil(window.col_off + window.width)), width)
    if row1 <= row0 or col1 <= col0:
        return None
    return Window(col0, row0, col1 - col0, row1 - row0)


def _pixels(geometry: object, raster: RasterWindow) -> np.ndarray:
    """Valid pixel values whose centre lies in `geometry`; all touched pixels for tiny shapes."""
    from affine import Affine
    from rasterio.features import geometry_mask

    window = _pixel_window(geometry.bounds, raster)  # type: ignore[attr-defined]
    if window is None:
        return np.empty(0)
    block = raster.values[window.toslices()]
    transform = raster.transform @ Affine.translation(window.col_off, window.row_off)
    valid = ~np.ma.getmaskarray(block)
    for all_touched in (False, True):
        inside = geometry_mask(
            [geometry],
            out_shape=block.shape,
            transform=transform,
            invert=True,
            all_touched=all_touched,
        )
        if inside.any():
            return np.asarray(block.data[inside & valid], dtype=float)
    return np.empty(0)


def zonal_stats(
    locations: gpd.GeoDataFrame, raster: RasterWindow, threshold: float | None = None
) -> pd.DataFrame:
    """Per location `min`, `mean`, `max` of the valid pixels and `pct_above` (% > threshold).

    A pixel belongs to a location when its centre lies inside; a location smaller than a pixel
    takes the pixels it touches. Nodata pixels are ignored. A location outside the raster, or
    covering only nodata, gets NaN for every statistic; `pct_above` is NaN without a threshold.
    """
    check_locations(locations)
    if raster.crs is None:
        msg = f"raster {raster.source} has no CRS"
        raise InputError(msg, f"raster {raster.source} heeft geen CRS")
    geoms = locations.geometry.to_crs(raster.crs).to_numpy()
    rows = np.full((len(geoms), len(STATISTICS)), np.nan)
    for i, geometry in enumerate(geoms):
        pixels = _pixels(geometry, raster)
        if pixels.size:
            above = (pixels > threshold).mean() * 100.0 if threshold is not None else np.nan
            rows[i] = (pixels.min(), pixels.mean(), pixels.max(), above)
    return pd.DataFrame(rows, columns=list(STATISTICS), index=id_index(locations))

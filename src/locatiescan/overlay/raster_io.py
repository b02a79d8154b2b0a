"""Thin I/O for zonal statistics: read the block of a GeoTIFF band that covers some bounds.

rasterio is imported when a raster is read, so screenings and pages without rasters do not
pay for its import (about 0,15 s).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from locatiescan.errors import InputError
from locatiescan.overlay._checks import OVERLAY_CRS
from locatiescan.overlay._zonal import RasterWindow

if TYPE_CHECKING:
    from rasterio.windows import Window


def read_raster_window(
    path: str | Path, bounds: tuple[float, float, float, float] | None = None, band: int = 1
) -> RasterWindow:
    """Band `band` of the raster at `path`, limited to `bounds` (EPSG:28992), nodata masked.

    Bounds outside the raster give an empty window (zonal statistics are then NaN).
    """
    import rasterio
    from rasterio.errors import RasterioError
    from rasterio.warp import transform_bounds
    from rasterio.windows import Window, from_bounds

    try:
        with rasterio.open(path) as src:
            if src.crs is None:
                msg = f"raster {path} has no CRS"
                raise InputError(msg, f"raster {path} heeft geen CRS")
            if not 1 <= band <= src.count:
                msg = f"raster {path} has {src.count} band(s); band {band} does not exist"
                raise InputError(
                    msg, f"raster {path} heeft {src.count} band(en); band {band} bestaat niet"
                )
            window = Window(0, 0, src.width, src.height)
            if bounds is not None:
                native = (
                    transform_bounds(OVERLAY_CRS, src.crs, *bounds)
                    if src.crs != OVERLAY_CRS
                    else bounds
                )
                window = _clip(from_bounds(*native, transform=src.transform), src.width, src.height)
            values = src.read(band, window=window, masked=True)
            return RasterWindow(
                values=np.ma.masked_invalid(values),
                transform=src.window_transform(window),
                crs=src.crs,
                source=str(path),
            )
    except RasterioError as err:
        msg = f"cannot read raster {path}: {err}"
        raise InputError(msg, f"raster {path} niet leesbaar: {err}") from err


def _clip(window: Window, width: int, height: int) -> Window:
    """`window` rounded outward to whole pixels and cut to the raster (may become empty)."""
    from rasterio.windows import Window

    col0 = min(max(int(np.floor(window.col_off)), 0), width)
    row0 = min(max(int(np.floor(window.row_off)), 0), height)
    col1 = min(max(int(np.ceil(window.col_off + window.width)), col0), width)
    row1 = min(max(int(np.ceil(window.row_off + window.height)), row0), height)
    return Window(col0, row0, col1 - col0, row1 - row0)

"""Overlay engine: locations × layer features or rasters, pure computation in EPSG:28992.

Vector metrics (`overlap`, `distance`, `worst_class`) use the features' spatial index and do
exact geometry work only for candidate pairs; `zonal_stats` works on a raster block read by
`read_raster_window` (the only I/O here); `run_metrics` applies a catalog layer's metrics.
"""

from locatiescan.overlay._checks import OVERLAY_CRS, check_crs, check_locations
from locatiescan.overlay._metrics import RADIUS_SUFFIX, CoverageShares, covered_pct, run_metrics
from locatiescan.overlay._vector import (
    LayerPairs,
    class_key,
    dissolved_area,
    distance,
    intersection_pairs,
    nearest_feature,
    overlap,
    prepare_features,
    share_pct,
    union_area,
    worst_class,
)
from locatiescan.overlay._zonal import STATISTICS, RasterWindow, zonal_stats
from locatiescan.overlay.raster_io import read_raster_window

__all__ = [
    "OVERLAY_CRS",
    "RADIUS_SUFFIX",
    "STATISTICS",
    "CoverageShares",
    "LayerPairs",
    "RasterWindow",
    "check_crs",
    "check_locations",
    "class_key",
    "covered_pct",
    "dissolved_area",
    "distance",
    "intersection_pairs",
    "nearest_feature",
    "overlap",
    "prepare_features",
    "read_raster_window",
    "run_metrics",
    "share_pct",
    "union_area",
    "worst_class",
    "zonal_stats",
]

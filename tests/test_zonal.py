"""Raster zonal statistics on small synthetic GeoTIFFs written by the tests (values by hand)."""

from __future__ import annotations

import math
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import rasterio
from rasterio.transform import from_origin
from shapely.geometry import box

from locatiescan.errors import InputError
from locatiescan.layers.catalog import LayerDef
from locatiescan.overlay import read_raster_window, run_metrics, zonal_stats

RD = "EPSG:28992"
NODATA = -9999.0


def synthetic_raster(path: Path, *, crs: str | None = RD, nodata_cells=((0, 0),)) -> Path:
    """10 × 10 pixels of 10 m from (0, 100) down to (100, 0); value = 10 × row + col."""
    values = np.arange(100, dtype="float32").reshape(10, 10)
    for row, col in nodata_cells:
        values[row, col] = NODATA
    profile = {
        "driver": "GTiff",
        "width": 10,
        "height": 10,
        "count": 1,
        "dtype": "float32",
        "transform": from_origin(0, 100, 10, 10),
        "nodata": NODATA,
    }
    if crs:
        profile["crs"] = crs
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(values, 1)
    return path


def locs(**geoms: object) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"id": list(geoms)}, geometry=list(geoms.values()), crs=RD)


@pytest.fixture
def synthetic_tif(tmp_path: Path) -> Path:
    return synthetic_raster(tmp_path / "synthetic_bodemdaling.tif")


@pytest.mark.parametrize(
    ("geometry", "expected"),
    [
        # rows 0–1, cols 0–1 = {nodata, 1, 10, 11}: min 1, mean 22/3, max 11; > 5: 10 and 11 → 2/3
        (box(0, 80, 20, 100), (1.0, 22 / 3, 11.0, 200 / 3)),
        # rows 2–3, cols 2–4 = {22, 23, 24, 32, 33, 34}: mean 28; > 5: all
        (box(20, 60, 50, 80), (22.0, 28.0, 34.0, 100.0)),
        # half outside on the left: only col 0 of rows 4–5 inside = {40, 50}
        (box(-50, 40, 10, 60), (40.0, 45.0, 50.0, 100.0)),
        # smaller than a pixel, no pixel centre inside: takes the touched pixel (row 4, col 3) = 43
        (box(31, 51, 33, 53), (43.0, 43.0, 43.0, 100.0)),
        # the nodata pixel only: unknown
        (box(1, 91, 9, 99), (math.nan,) * 4),
        # outside the raster: unknown
        (box(500, 500, 600, 600), (math.nan,) * 4),
    ],
)
def test_zonal_stats_min_mean_max_pct(synthetic_tif, geometry, expected):
    raster = read_raster_window(synthetic_tif)
    result = zonal_stats(locs(x=geometry), raster, threshold=5)
    assert result.loc["x"].tolist() == pytest.approx(list(expected), nan_ok=True)


def test_without_threshold_pct_above_is_unknown(synthetic_tif):
    result = zonal_stats(locs(x=box(20, 60, 50, 80)), read_raster_window(synthetic_tif))
    assert result.loc["x", "mean"] == pytest.approx(28.0)
    assert math.isnan(result.loc["x", "pct_above"])


def test_window_read_limited_to_bounds(synthetic_tif):
    raster = read_raster_window(synthetic_tif, bounds=(15, 55, 35, 85))
    # rounded outward to whole pixels: rows 1–4, cols 1–3
    assert raster.values.shape == (4, 3)
    assert raster.values[0, 0] == 11
    result = zonal_stats(locs(x=box(20, 60, 50, 80)), raster, threshold=30)
    # the window cuts col 4 away: {22, 23, 32, 33}; > 30: 32, 33
    assert result.loc["x"].tolist() == pytest.approx([22.0, 27.5, 33.0, 50.0])
    outside = read_raster_window(synthetic_tif, bounds=(500, 500, 600, 600))
    assert outside.values.size == 0
    assert zonal_stats(locs(x=box(20, 60, 50, 80)), outside).loc["x"].isna().all()


def test_raster_in_another_crs(tmp_path):
    """A WGS84 raster of constant 7 around lon 5.0–5.1, lat 52.0–52.1; locations stay in RD."""
    path = tmp_path / "synthetic_wgs84.tif"
    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        width=100,
        height=100,
        count=1,
        dtype="uint8",
        transform=from_origin(5.0, 52.1, 0.001, 0.001),
        crs="EPSG:4326",
        nodata=0,
    ) as dst:
        dst.write(np.full((100, 100), 7, dtype="uint8"), 1)
    inside = gpd.GeoSeries([box(5.04, 52.04, 5.06, 52.06)], crs="EPSG:4326").to_crs(RD).iloc[0]
    locations = locs(inside=inside, outside=box(0, 300000, 1000, 301000))
    raster = read_raster_window(path, bounds=tuple(locations.total_bounds))
    result = zonal_stats(locations, raster, threshold=6)
    assert result.loc["inside"].tolist() == pytest.approx([7.0, 7.0, 7.0, 100.0])
    assert result.loc["outside"].isna().all()


def test_run_metrics_zonal_columns(synthetic_tif):
    layer = LayerDef.model_validate(
        {
            "id": "synthetic_raster",
            "titel": "Synthetisch raster",
            "thema": "water_bodem",
            "licentie": "test",
            "attributie": "test",
            "snapshot": {"type": "raster", "path": "synthetic.tif"},
            "metrics": [{"kind": "zonal", "output": "bodemdaling", "threshold": 30}],
        }
    )
    result = run_metrics(locs(x=box(20, 60, 50, 80)), layer, read_raster_window(synthetic_tif))
    assert result.loc["x"].to_dict() == pytest.approx(
        {
            "synthetic_raster.bodemdaling_min": 22.0,
            "synthetic_raster.bodemdaling_mean": 28.0,
            "synthetic_raster.bodemdaling_max": 34.0,
            "synthetic_raster.bodemdaling_pct_above": 50.0,  # 32, 33, 34 of 6
        }
    )


def test_raster_errors(tmp_path):
    no_crs = synthetic_raster(tmp_path / "synthetic_nocrs.tif", crs=None)
    with pytest.raises(InputError, match="has no CRS") as err:
        read_raster_window(no_crs)
    assert "heeft geen CRS" in err.value.nl
    with pytest.raises(InputError, match="band 2 does not exist"):
        read_raster_window(synthetic_raster(tmp_path / "synthetic.tif"), band=2)
    not_a_raster = tmp_path / "synthetic_text.tif"
    not_a_raster.write_text("not a raster", encoding="utf-8")
    with pytest.raises(InputError, match="cannot read raster"):
        read_raster_window(not_a_raster)
    with pytest.raises(InputError, match="cannot read raster"):
        read_raster_window(tmp_path / "missing.tif")

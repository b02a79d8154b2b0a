"""Indicative footprints: circle area = woningen / density, fallback circle, gemeente union."""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from pyproj import Transformer
from shapely.geometry import box

from locatiescan.footprint import (
    FALLBACK_RADIUS_M,
    circle_of_area,
    circle_radius_m,
    footprints,
    plan_union,
)

# Two synthetic 1 km x 1 km gemeenten side by side (RD).
SYNTHETIC_GEMEENTEN = gpd.GeoDataFrame(
    {"gemeentecode": ["GM9001", "GM9002"]},
    geometry=[box(150000, 450000, 151000, 451000), box(151000, 450000, 152000, 451000)],
    crs="EPSG:28992",
)


def table(**columns: list) -> pd.DataFrame:
    return pd.DataFrame(columns)


def test_radius_of_1000_woningen_at_40_per_ha_is_282_09_m() -> None:
    # 1,000 / 40 = 25 ha = 250,000 m2 -> r = sqrt(250000 / pi)
    assert circle_radius_m(1000, 40) == pytest.approx(282.0948, abs=1e-4)


def test_circle_polygon_has_exactly_the_target_area() -> None:
    circle = circle_of_area(gpd.points_from_xy([150000], [450000])[0], 250_000.0)
    assert circle.area == pytest.approx(250_000.0, rel=1e-9)
    # vertices sit just outside the nominal radius so the 64-gon has the full area
    assert 282.09 < circle.bounds[2] - 150000 < 282.1 * 1.001


def test_point_with_woningen_gets_a_circle_of_woningen_over_density() -> None:
    frame = footprints(
        table(lon=[5.0], lat=[52.0], woningen=[1000], gemeentecodes=["GM9001"]),
        SYNTHETIC_GEMEENTEN,
        40.0,
    )
    geom = frame.geometry.iloc[0]
    assert geom.area / 10_000 == pytest.approx(25.0, rel=1e-9)
    x, y = Transformer.from_crs(4326, 28992, always_xy=True).transform(5.0, 52.0)
    assert geom.centroid.x == pytest.approx(x, abs=0.01) and geom.centroid.y == pytest.approx(
        y, abs=0.01
    )
    assert frame["geometrie_kwaliteit"].iloc[0] == "indicatief"
    assert "25.0 ha" in frame["geometrie_toelichting"].iloc[0]


def test_density_from_the_argument_changes_the_area() -> None:
    frame = footprints(
        table(lon=[5.0], lat=[52.0], woningen=[1000], gemeentecodes=[None]),
        SYNTHETIC_GEMEENTEN,
        80.0,
    )
    assert frame.geometry.iloc[0].area == pytest.approx(125_000.0, rel=1e-9)


@pytest.mark.parametrize("woningen", [pd.NA, 0])
def test_point_without_woningen_gets_the_flagged_fallback_circle(woningen: object) -> None:
    frame = footprints(
        table(lon=[5.0], lat=[52.0], woningen=[woningen], gemeentecodes=["GM9001"]),
        SYNTHETIC_GEMEENTEN,
        40.0,
    )
    geom = frame.geometry.iloc[0]
    # a 64-gon with vertices at 500 m: area = 32 * r^2 * sin(2 pi / 64)
    assert geom.area == pytest.approx(
        32 * FALLBACK_RADIUS_M**2 * math.sin(2 * math.pi / 64), rel=1e-9
    )
    assert geom.area > 0
    assert frame["geometrie_kwaliteit"].iloc[0] == "indicatief"
    assert "onbekend" in frame["geometrie_toelichting"].iloc[0]


def test_no_point_gives_the_union_of_the_gemeenten() -> None:
    frame = footprints(
        table(lon=[np.nan], lat=[np.nan], woningen=[500], gemeentecodes=["GM9001;GM9002"]),
        SYNTHETIC_GEMEENTEN,
        40.0,
    )
    geom = frame.geometry.iloc[0]
    assert geom.area == pytest.approx(2_000_000.0)
    assert geom.bounds == (150000.0, 450000.0, 152000.0, 451000.0)
    assert frame["geometrie_kwaliteit"].iloc[0] == "gemeente"


def test_unknown_gemeentecodes_are_named_and_none_known_means_no_geometry() -> None:
    frame = footprints(
        table(
            lon=[np.nan, np.nan],
            lat=[np.nan, np.nan],
            woningen=[1, 1],
            gemeentecodes=["GM9001;GM0000", "GM0000"],
        ),
        SYNTHETIC_GEMEENTEN,
        40.0,
    )
    assert frame.geometry.iloc[0].area == pytest.approx(1_000_000.0)
    assert "GM0000" in frame["geometrie_toelichting"].iloc[0]
    assert frame.geometry.iloc[1] is None
    assert "GM0000" in frame["geometrie_toelichting"].iloc[1]


def test_linked_plan_polygons_win_over_point_and_gemeente() -> None:
    # two synthetic plan squares of 100 m x 100 m (1 ha each) overlapping by 50 m x 100 m:
    # union = 150 m x 100 m = 15,000 m2 = 1.5 ha
    plans = gpd.GeoSeries(
        [box(150000, 450000, 150100, 450100), box(150050, 450000, 150150, 450100)],
        index=["11", "12"],
        crs="EPSG:28992",
    )
    union, missing = plan_union("11;12", plans)
    assert union.area == pytest.approx(15_000.0) and missing == []
    frame = footprints(
        table(
            lon=[5.0, np.nan],
            lat=[52.0, np.nan],
            woningen=[1000, 1],
            gemeentecodes=["GM9001", "GM9001"],
        ),
        SYNTHETIC_GEMEENTEN,
        40.0,
        pd.Series([union, None], index=[0, 1], dtype=object),
    )
    assert frame["geometrie_kwaliteit"].tolist() == ["planpolygonen", "gemeente"]
    assert frame.geometry.iloc[0].area == pytest.approx(15_000.0)
    assert "1.5 ha" in frame["geometrie_toelichting"].iloc[0]


def test_plan_union_names_missing_objectids() -> None:
    plans = gpd.GeoSeries([box(0, 0, 10, 10)], index=["1"], crs="EPSG:28992")
    union, missing = plan_union("1; 99", plans)
    assert union.area == pytest.approx(100.0) and missing == ["99"]
    assert plan_union("99", plans) == (None, ["99"])

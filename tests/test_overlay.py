"""Overlay engine on tiny hand-built squares (EPSG:28992, metres) with hand-computed answers."""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import LineString, MultiPolygon, Point, Polygon, box

from locatiescan.errors import InputError
from locatiescan.layers.catalog import LayerDef
from locatiescan.overlay import (
    CoverageShares,
    RasterWindow,
    covered_pct,
    distance,
    intersection_pairs,
    nearest_feature,
    overlap,
    run_metrics,
    share_pct,
    worst_class,
)
from locatiescan.overlay._vector import LayerPairs, NearestIndex

RD = "EPSG:28992"


def locs(**geoms: object) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"id": list(geoms)}, geometry=list(geoms.values()), crs=RD)


def feats(geoms: list[object], **columns: list[object]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(columns, geometry=geoms, crs=RD)


# Location "a" is a 100 m × 100 m square: 1 ha.
SQUARE = box(0, 0, 100, 100)


@pytest.mark.parametrize(
    ("features", "expected_ha", "expected_pct", "expected_names"),
    [
        # right half covered: 50 m × 100 m = 0.5 ha = 50 %
        (feats([box(50, 0, 150, 100)], naam=["Oost"]), 0.5, 50.0, "Oost"),
        # two features covering the same right half: dissolved, still 0.5 ha (not 1.0)
        (
            feats([box(50, 0, 150, 100), box(50, 0, 100, 100)], naam=["Oost", "Dubbel"]),
            0.5,
            50.0,
            "Dubbel; Oost",
        ),
        # two features overlapping each other in x 40..60: union covers x 20..80 = 0.6 ha
        (feats([box(20, 0, 60, 100), box(40, 0, 80, 100)], naam=["B", "A"]), 0.6, 60.0, "A; B"),
        # fully inside a large feature: 1 ha, 100 %
        (feats([box(-1000, -1000, 1000, 1000)], naam=["Groot"]), 1.0, 100.0, "Groot"),
        # touching only along x = 100: no shared area, no name
        (feats([box(100, 0, 200, 100)], naam=["Buur"]), 0.0, 0.0, ""),
        # bow-tie (invalid) repaired to two triangles of 100 × 50 / 2 = 2,500 m² each
        (
            feats([Polygon([(0, 0), (100, 100), (100, 0), (0, 100)])], naam=["Strik"]),
            0.5,
            50.0,
            "Strik",
        ),
        # no features at all
        (feats([], naam=[]), 0.0, 0.0, ""),
    ],
)
def test_overlap_area_pct_and_names(features, expected_ha, expected_pct, expected_names):
    result = overlap(locs(a=SQUARE), features, "naam")
    assert result.loc["a", "overlap_ha"] == pytest.approx(expected_ha)
    assert result.loc["a", "overlap_pct"] == pytest.approx(expected_pct)
    assert result.loc["a", "names"] == expected_names


def test_overlap_several_locations_index_and_unnamed_layer():
    locations = locs(a=SQUARE, b=box(1000, 0, 1200, 100), c=Point(50, 50))
    features = feats([box(50, 0, 150, 100), box(1100, 0, 1300, 100)])
    result = overlap(locations, features)
    assert list(result.index) == ["a", "b", "c"]
    # b: 2 ha location, right half (x 1100..1200) covered: 1 ha = 50 %
    assert result["overlap_ha"].tolist() == pytest.approx([0.5, 1.0, 0.0])
    assert result.loc["b", "overlap_pct"] == pytest.approx(50.0)
    # a point has no area: its share is unknown, not 0 %
    assert math.isnan(result.loc["c", "overlap_pct"])
    assert result["names"].isna().all()


def test_overlap_dissolves_each_location_with_any_number_of_pieces():
    locations = locs(
        a=SQUARE,  # three strips x 0..30, 20..50, 40..60 overlapping: union x 0..60
        b=box(200, 0, 300, 100),  # one strip x 250..260
        c=box(400, 0, 500, 100),  # two strips side by side x 400..450, 450..500
        d=box(600, 0, 700, 100),  # none
    )
    strips = [(0, 30), (20, 50), (40, 60), (250, 260), (400, 450), (450, 500)]
    features = feats([box(x0, 0, x1, 100) for x0, x1 in strips])
    result = overlap(locations, features)
    assert result["overlap_ha"].tolist() == pytest.approx([0.6, 0.1, 1.0, 0.0])
    assert result["overlap_pct"].tolist() == pytest.approx([60.0, 10.0, 100.0, 0.0])


def test_shares_divide_by_the_location_areas_a_screening_computed_once():
    locations = locs(a=SQUARE, b=box(200, 0, 300, 100))
    features = feats([box(50, 0, 250, 100)])  # half of a, half of b: 5,000 m² each
    shares = CoverageShares(locations)
    assert shares.location_m2().tolist() == [10_000.0, 10_000.0]
    assert shares.location_m2() is shares.location_m2()  # computed once per screening pass
    given = np.array([20_000.0, 10_000.0])  # the areas the pass holds are the ones divided by
    pairs = LayerPairs(locations, features, given)
    result = overlap(locations, features, pairs=pairs)
    assert result["overlap_ha"].tolist() == pytest.approx([0.5, 0.5])
    assert result["overlap_pct"].tolist() == pytest.approx([25.0, 50.0])


def test_intersection_pairs_keeps_only_shared_area():
    locations = locs(a=SQUARE, b=box(200, 0, 300, 100))
    features = feats([box(50, 0, 200, 100), box(-50, -50, 0, 0)])
    pairs = intersection_pairs(locations, features)
    # (a, 0): 50 × 100; (b, 0) only touches at x = 200; (a, 1) only touches at the corner
    assert pairs[["loc", "feat"]].to_numpy().tolist() == [[0, 0]]
    assert pairs["area_m2"].tolist() == pytest.approx([5000.0])


@pytest.mark.parametrize(
    ("location", "expected"),
    [
        (box(300, 0, 400, 100), 150.0),  # gap between x = 150 and x = 300
        (box(150, 200, 250, 300), 100.0),  # straight above the feature's top (y = 100)
        (box(250, 200, 350, 300), math.hypot(100, 100)),  # diagonal from corner (150, 100)
        (box(100, 50, 120, 60), 0.0),  # overlapping: 0
        (box(150, 0, 200, 100), 0.0),  # touching: 0
        (box(4000, 0, 4100, 100), 3850.0),  # inside the 5 km radius
        (box(5200, 0, 5300, 100), math.nan),  # 5,050 m away: beyond the radius
    ],
)
def test_distance_within_radius(location, expected):
    features = feats([box(50, 0, 150, 100)])
    result = distance(locs(x=location), features, radius_m=5000)
    if math.isnan(expected):
        assert math.isnan(result.loc["x"])
    else:
        assert result.loc["x"] == pytest.approx(expected)


def test_distance_takes_the_nearest_of_several_features():
    # from the square (0..100 × 0..100): x = 1000 → 900 m; y = 400 → 300 m; y = −200 → 200 m
    features = feats([box(1000, 0, 1100, 100), box(0, 400, 100, 500), box(0, -250, 100, -200)])
    assert distance(locs(a=SQUARE), features, radius_m=2000).loc["a"] == pytest.approx(200.0)


LONG_LINE = LineString([(x, 300) for x in range(-3900, 101, 100)])  # 41 vertices, 2 chunks
DONUT = box(-2000, -2000, 2000, 2000).difference(box(-300, -300, 400, 400))


@pytest.mark.parametrize(
    ("geometries", "radius", "expected"),
    [
        ([box(-10_000, -10_000, 10_000, 10_000)], 1000, 0.0),  # deep inside: 0, not ∞ / NaN
        ([DONUT], 1000, 300.0),  # in the hole: 300 m to the hole's edge (x = 400, y = −300...)
        ([MultiPolygon([box(900, 0, 950, 100), box(0, 350, 100, 400)])], 1000, 250.0),
        ([LONG_LINE], 1000, 200.0),  # nearest segment (x 0..100) is in the line's second chunk
        ([LONG_LINE], 150, math.nan),
        ([Point(500, 50), LONG_LINE, box(0, -120, 100, -110)], 1000, 110.0),  # mixed kinds
        ([Point(500, 50)], 1000, 400.0),
        ([LineString([(50, -50), (50, 150)])], 1000, 0.0),  # a line crossing the square
    ],
)
def test_distance_to_polygon_outlines_lines_and_points(geometries, radius, expected):
    result = distance(locs(a=SQUARE), feats(geometries), radius_m=radius).loc["a"]
    if math.isnan(expected):
        assert math.isnan(result)
    else:
        assert result == pytest.approx(expected)


def test_distance_across_the_joint_of_two_line_chunks():
    # the segment x −800..−700 joins the line's two chunks; a gap there would give
    # hypot(20, 50) to the vertex (−800, 300) instead of 50 m straight up
    near_joint = box(-780, 200, -720, 250)
    assert distance(locs(j=near_joint), feats([LONG_LINE]), 1000).loc["j"] == pytest.approx(50.0)


def test_distance_to_the_middle_of_a_long_straight_segment():
    # one segment of 10 km: its vertices are 5 km from the square, its middle 200 m
    segment = LineString([(-5000, 300), (5000, 300)])
    assert distance(locs(a=SQUARE), feats([segment]), 1000).loc["a"] == pytest.approx(200.0)
    assert math.isnan(distance(locs(a=SQUARE), feats([segment]), 150).loc["a"])


def test_distance_from_a_large_location_is_from_its_edge():
    # a 3 km square whose centre is 1.5 km from its edge: the point at x = 3,100 is 100 m away
    large = box(0, 0, 3000, 3000)
    assert distance(locs(g=large), feats([Point(3100, 1500)]), 500).loc["g"] == pytest.approx(100.0)


def test_a_large_feature_cut_by_many_locations_is_tiled_with_the_same_shares():
    # a 10 km square whose top edge has 1,001 vertices: large enough to be cut into tiles
    top = [(x, 10_000.0) for x in np.linspace(10_000, 0, 1001)]
    feature = Polygon([(0, 0), (10_000, 0), *top])
    # 39 squares of 100 m across the top edge, every 250 m: half of each is inside (50 %);
    # the one at x = 5,000 also straddles the first vertical tile edge
    centres = np.arange(1, 40) * 250.0
    squares = {f"s{i}": box(c - 50, 9950, c + 50, 10_050) for i, c in enumerate(centres)}
    locations = locs(**squares)
    pairs = intersection_pairs(locations, feats([feature]))
    assert pairs["area_m2"].to_numpy() == pytest.approx(np.full(39, 5000.0))
    middle = int(np.flatnonzero(centres == 5000.0)[0])
    piece = pairs.set_index("loc").loc[middle, "geometry"]
    assert piece.geom_type == "GeometryCollection" and len(piece.geoms) == 2
    assert overlap(locations, feats([feature]))["overlap_pct"].tolist() == [50.0] * 39


def test_a_large_feature_is_cut_once_per_geometry_object(monkeypatch):
    """Chunks of one screening reuse the same feature objects: each is tiled once."""
    from locatiescan.overlay import _vector

    cuts: list[int] = []
    original = _vector._tiles

    def counted(geometry):
        cuts.append(id(geometry))
        return original(geometry)

    monkeypatch.setattr(_vector, "_tiles", counted)
    top = [(x, 10_000.0) for x in np.linspace(10_000, 0, 1001)]
    features = feats([Polygon([(0, 0), (10_000, 0), *top])])
    west = {f"w{i}": box(c - 50, 9950, c + 50, 10_050) for i, c in enumerate(range(100, 4000, 100))}
    east = {
        f"e{i}": box(c - 50, 9950, c + 50, 10_050) for i, c in enumerate(range(6000, 9900, 100))
    }
    for chunk in (west, east):  # two chunks, the same feature object
        pairs = intersection_pairs(locs(**chunk), features)
        assert pairs["area_m2"].to_numpy() == pytest.approx(np.full(39, 5000.0))
    assert len(cuts) == 1
    copy = feats([shapely.from_wkb(shapely.to_wkb(features.geometry.iloc[0]))])
    intersection_pairs(locs(**west), copy)  # an equal feature, another object: cut again
    assert len(cuts) == 2


def test_a_share_summed_from_pieces_reads_100_percent():
    # rounding error of a few pieces' areas does not make a fully covered location 99.99...%
    share = share_pct(locs(a=SQUARE), np.array([10_000.0 * (1 - 2e-15)]))
    assert share.tolist() == [100.0]


def test_nearest_index_equals_every_exact_distance():
    """Squares of 40..1,400 m scattered along a wandering line (seeded): the nearest search
    equals the minimum of all exact distances. With the exact bound as the `dwithin` distance,
    about 1 in 30 of these squares would lose its nearest piece to rounding."""
    rng = np.random.default_rng(7)
    line = shapely.linestrings(np.cumsum(rng.normal(0, 150, (400, 2)), axis=0) + 150_000)
    centre = rng.uniform(line.bounds[:2], line.bounds[2:], (3000, 2))
    half = rng.uniform(20, 700, 3000)
    squares = shapely.box(*(centre - half[:, None]).T, *(centre + half[:, None]).T)
    index = NearestIndex(np.array([line]), np.array([0]))
    loc, label, dist = index.within(squares, 1000.0)
    exact = shapely.distance(squares[:, None], index.pieces[None, :]).min(axis=1)
    expected = np.flatnonzero(exact <= 1000.0)
    np.testing.assert_array_equal(np.unique(loc), expected)
    found = pd.Series(dist).groupby(loc).min()
    np.testing.assert_array_equal(found.to_numpy(), exact[expected])
    assert (label == 0).all()
    assert 500 < len(expected) < 3000


@pytest.mark.parametrize("order", [(0, 1), (1, 0)])
def test_nearest_feature_tie_goes_to_the_first_feature(order):
    # both boxes are 200 m from the square (above and below it)
    boxes = [box(0, 300, 100, 400), box(0, -300, 100, -200)]
    result = nearest_feature(locs(a=SQUARE), feats([boxes[i] for i in order]), radius_m=1000)
    assert result.loc["a", "feat"] == 0
    assert result.loc["a", "distance_m"] == pytest.approx(200.0)


def test_nearest_feature_reports_position_and_distance():
    features = feats([box(1000, 0, 1100, 100), box(0, 400, 100, 500)])
    result = nearest_feature(
        locs(a=SQUARE, far=box(9000, 9000, 9100, 9100)), features, radius_m=2000
    )
    assert result.loc["a", "feat"] == 1
    assert result.loc["a", "distance_m"] == pytest.approx(300.0)
    assert pd.isna(result.loc["far", "feat"])
    assert math.isnan(result.loc["far", "distance_m"])


NETCONGESTIE_LIKE = feats(
    [
        box(0, 0, 50, 100),
        box(50, 0, 100, 100),
        box(0, 0, 100, 100),
        box(100, 0, 200, 100),
        box(500, 0, 600, 100),
    ],
    color_code=[0, 3, -1, 2, -1],
    laag=[
        "rnb_afnamefgb",
        "rnb_afnamefgb",
        "tennet_afnamefgb",
        "rnb_afnamefgb",
        "tennet_afnamefgb",
    ],
)


@pytest.mark.parametrize(
    ("location", "where", "expected"),
    [
        (box(10, 10, 90, 90), None, 3),  # inside 0 (left) and 3 (right): worst is 3
        (box(10, 10, 40, 90), None, 0),  # only the left half (and the −1 that is ignored)
        (box(10, 10, 40, 90), {"laag": ["tennet_afnamefgb"]}, None),  # only −1: unknown, not best
        (box(510, 10, 590, 90), None, None),  # only −1
        (box(200, 0, 300, 100), None, None),  # touches the code-2 feature along x = 200 only
        (box(900, 900, 950, 950), None, None),  # no feature at all
        (box(60, 10, 150, 90), {"laag": ["rnb_afnamefgb"]}, 3),  # 3 and 2 → 3
    ],
)
def test_worst_class(location, where, expected):
    result = worst_class(locs(x=location), NETCONGESTIE_LIKE, "color_code", [0, 1, 2, 3], where)
    assert result.loc["x"] == expected


def test_worst_class_string_classes_and_mixed_value_types():
    features = feats(
        [box(0, 0, 50, 100), box(50, 0, 100, 100), box(0, 0, 100, 100)], klasse=["B", "A", "X"]
    )
    assert worst_class(locs(a=SQUARE), features, "klasse", ["A", "B", "C", "D"]).loc["a"] == "B"
    # floats and numeric strings match integer classes (3.0 and "3" → 3)
    mixed = feats([box(0, 0, 50, 100), box(50, 0, 100, 100)], code=[1.0, "3"])
    assert worst_class(locs(a=SQUARE), mixed, "code", [0, 1, 2, 3]).loc["a"] == 3


def test_crs_mismatch_is_an_input_error():
    features_wgs84 = feats([box(50, 0, 150, 100)]).set_crs("EPSG:4326", allow_override=True)
    for call in (
        lambda: overlap(locs(a=SQUARE), features_wgs84),
        lambda: distance(locs(a=SQUARE), features_wgs84, 100),
        lambda: worst_class(locs(a=SQUARE), features_wgs84.assign(c=[1]), "c", [1]),
    ):
        with pytest.raises(InputError, match=r"EPSG:4326.*EPSG:28992") as err:
            call()
        assert "RD New" in err.value.nl
    no_crs = gpd.GeoDataFrame({"id": ["a"]}, geometry=[SQUARE])
    with pytest.raises(InputError, match="no CRS"):
        overlap(no_crs, feats([box(50, 0, 150, 100)]))


@pytest.mark.parametrize(
    ("locations", "message"),
    [
        (gpd.GeoDataFrame({"naam": ["a"]}, geometry=[SQUARE], crs=RD), "'id' column"),
        (gpd.GeoDataFrame({"id": ["a", "a"]}, geometry=[SQUARE, SQUARE], crs=RD), "not unique: a"),
    ],
)
def test_bad_location_tables(locations, message):
    with pytest.raises(InputError, match=message):
        overlap(locations, feats([SQUARE]))


def test_bad_arguments():
    with pytest.raises(InputError, match=r"lack column.*naam"):
        overlap(locs(a=SQUARE), feats([SQUARE]), "naam")
    with pytest.raises(InputError, match="radius must be positive"):
        distance(locs(a=SQUARE), feats([SQUARE]), 0)
    with pytest.raises(InputError, match="non-empty class order"):
        worst_class(locs(a=SQUARE), feats([SQUARE], c=[1]), "c", [])
    with pytest.raises(InputError, match=r"lack column.*laag"):
        worst_class(locs(a=SQUARE), feats([SQUARE], c=[1]), "c", [1], {"laag": ["x"]})


def synthetic_layer(**extra: object) -> LayerDef:
    return LayerDef.model_validate(
        {
            "id": "synthetic",
            "titel": "Synthetische laag",
            "thema": "natura2000",
            "licentie": "test",
            "attributie": "test",
            "snapshot": {"type": "file", "path": "synthetic.gpkg"},
            **extra,
        }
    )


def test_run_metrics_wide_frame():
    layer = synthetic_layer(
        metrics=[
            {"kind": "overlap", "name_field": "naam"},
            {"kind": "distance", "radius_m": 500},
            {"kind": "worst_class", "output": "code", "field": "c", "order": [0, 1, 2, 3]},
        ]
    )
    features = feats([box(50, 0, 150, 100)], naam=["Oost"], c=[2])
    result = run_metrics(
        locs(a=SQUARE, b=box(300, 0, 400, 100), c=box(2000, 0, 2100, 100)), layer, features
    )
    assert list(result.columns) == [
        "synthetic.overlap_ha",
        "synthetic.overlap_pct",
        "synthetic.names",
        "synthetic.distance_m",
        "synthetic.distance_radius_m",
        "synthetic.code",
    ]
    assert result.loc["a"].tolist()[:2] == pytest.approx([0.5, 50.0])
    assert result.loc["b", "synthetic.distance_m"] == pytest.approx(150.0)
    assert math.isnan(result.loc["c", "synthetic.distance_m"])
    assert result["synthetic.distance_radius_m"].tolist() == [500.0] * 3
    assert result["synthetic.code"].tolist() == [2, None, None]
    assert set(result.columns) - {"synthetic.distance_radius_m"} == {
        f"synthetic.{name}" for name in layer.metric_names()
    }


def test_run_metrics_wrong_data_kind():
    window = RasterWindow(np.ma.zeros((1, 1)), transform=None, crs=None)  # type: ignore[arg-type]
    with pytest.raises(InputError, match="needs vector features"):
        run_metrics(locs(a=SQUARE), synthetic_layer(metrics=[{"kind": "overlap"}]), window)
    with pytest.raises(InputError, match="needs a raster"):
        run_metrics(
            locs(a=SQUARE),
            synthetic_layer(metrics=[{"kind": "zonal", "output": "z"}]),
            feats([SQUARE]),
        )
    with pytest.raises(InputError, match="derived-layer evaluation"):
        run_metrics(
            locs(a=SQUARE),
            synthetic_layer(metrics=[{"kind": "ruleset", "rules": "x.yaml"}]),
            feats([SQUARE]),
        )


def test_covered_pct_inside_outside_and_along_the_coverage_edge():
    coverage = box(0, 0, 1000, 1000)
    locations = locs(
        binnen=box(100, 100, 200, 200),  # inside: 100 %
        half=box(900, 0, 1100, 100),  # x 900..1000 of 900..1100: 50 %
        buiten=box(2000, 0, 2100, 100),  # 0 %
        rand=box(1000, 0, 1100, 100),  # touches the edge only: 0 %
        punt=Point(500, 500),  # no area: unknown
    )
    shares = covered_pct(locations, coverage)
    assert shares[:4].tolist() == pytest.approx([100.0, 50.0, 0.0, 0.0])
    assert math.isnan(shares[4])
    assert covered_pct(locations.iloc[:1], None).tolist() == [100.0]  # national layer


def test_coverage_shares_are_computed_once_per_coverage():
    locations = locs(a=box(0, 0, 100, 100), b=box(150, 0, 250, 100))
    shares = CoverageShares(locations)
    province = box(50, -10, 1000, 110)  # half of a, all of b
    first = shares(province)
    assert first.tolist() == [50.0, 100.0]
    assert shares(province) is first  # the same coverage: not computed again
    other = box(-1000, -10, 50, 110)  # an equal-looking call with another coverage is its own
    assert shares(other).tolist() == [50.0, 0.0]
    assert shares(None).tolist() == [100.0, 100.0]

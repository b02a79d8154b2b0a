"""One pass per layer gives exactly what the per-metric, per-location code gave.

The references below are the previous implementations (one spatial query per metric, one
frame lookup per location), run on real data: the 43 policy locations and every 10th EIB plan
(478 locations). The whole registry (4,390 locations) was compared the same way, exactly, when
the one-pass code came in (see bench/bench_screen.py for the timing)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import shapely

from locatiescan.layers.catalog import AreaFiguresMetric, ValueMetric, WorstClassMetric
from locatiescan.layers.fetch import get_layer, resolve_layer
from locatiescan.overlay import (
    LayerPairs,
    distance,
    intersection_pairs,
    nearest_feature,
    overlap,
    prepare_features,
    worst_class,
)
from locatiescan.overlay._figures import NO_AREA, _preferred_keys, area_figures, feature_values
from locatiescan.overlay._metrics import select_features
from locatiescan.registry import load_locations


@pytest.fixture(scope="module")
def locations():
    policy = load_locations()
    plans = load_locations(["plancapaciteit"]).iloc[::10]
    return pd.concat([policy, plans], ignore_index=True).set_geometry("geometry")


@pytest.fixture(scope="module")
def netcongestie(locations):
    return prepare_features(locations, get_layer("netcongestie", online=False).gdf)


def _metrics(kind):
    return [m for m in resolve_layer("netcongestie").metrics if isinstance(m, kind)]


def _chosen(features, metric):
    return select_features(features, metric.snapshots, metric.where, metric.zonder)


# --- references: the previous per-location implementations -------------------------------


def reference_hits(locations, features):
    pairs = intersection_pairs(locations, features, prepared=True)
    hits: dict[int, list[object]] = {}
    for loc, feat in zip(pairs["loc"].to_numpy(), pairs["feat"].to_numpy(), strict=True):
        hits.setdefault(int(loc), []).append(feat)
    return hits


def reference_combine(values, how):
    if how == "list":
        return "; ".join(sorted({str(v) for v in values if not pd.isna(v) and str(v).strip()}))
    numbers = pd.to_numeric(pd.Series(values, dtype=object), errors="coerce").dropna()
    if numbers.empty:
        return np.nan
    return float({"max": numbers.max, "min": numbers.min, "sum": numbers.sum}[how]())


def reference_values(locations, features, metric):
    hits = reference_hits(locations, features)
    empty = None if metric.how == "list" else np.nan
    values = [
        reference_combine(list(features.loc[hits[i], metric.field]), metric.how)
        if i in hits
        else empty
        for i in range(len(locations))
    ]
    return pd.Series(values, index=pd.Index(locations["id"].to_numpy(), name="id"), dtype=object)


def reference_figures(locations, candidates, all_features, metric, preferred):
    hits = reference_hits(locations, candidates)
    norm = lambda v: str(v).strip().casefold()
    rows = []
    for i in range(len(locations)):
        records = candidates.loc[hits.get(i, [])]
        wanted = {norm(k) for k in preferred[i]}
        match = records[
            records[metric.key].map(norm).isin(wanted).to_numpy()
            | records[metric.name_field].map(norm).isin(wanted).to_numpy()
        ]
        chosen = match if not match.empty else records
        row = {
            f.output: reference_combine(list(chosen[f.field]), f.how)
            if not chosen.empty
            else np.nan
            for f in metric.figures
        }
        row[f"{metric.prefix}gebieden"] = "; ".join(sorted(map(str, chosen[metric.name_field])))
        row["matched"], row["records"] = not match.empty, len(records)
        rows.append(row)
    return pd.DataFrame(rows, index=pd.Index(locations["id"].to_numpy(), name="id"))


# --- tests ---------------------------------------------------------------------------------


def test_feature_values_equal_the_per_location_code(locations, netcongestie):
    pairs = LayerPairs(locations, netcongestie)
    for metric in _metrics(ValueMetric):
        chosen = _chosen(netcongestie, metric)
        expected = reference_values(locations, chosen, metric)
        pd.testing.assert_series_equal(feature_values(locations, chosen, metric), expected)
        pd.testing.assert_series_equal(feature_values(locations, chosen, metric, pairs), expected)
        assert expected.notna().sum() > 20  # Zuid-Holland locations have a voedingsgebied


def test_area_figures_equal_the_per_location_code(locations, netcongestie):
    [metric] = _metrics(AreaFiguresMetric)
    chosen = _chosen(netcongestie, metric)
    pairs = LayerPairs(locations, netcongestie)
    result = area_figures(locations, chosen, netcongestie, metric, pairs)
    pd.testing.assert_frame_equal(result, area_figures(locations, chosen, netcongestie, metric))
    preferred = _preferred_keys(locations, netcongestie, metric, None)
    expected = reference_figures(locations, chosen, netcongestie, metric, preferred)
    figures = [f.output for f in metric.figures] + [f"{metric.prefix}gebieden"]
    pd.testing.assert_frame_equal(result[figures], expected[figures], check_exact=True)
    choice = result[f"{metric.prefix}gebied_keuze"]
    assert ((choice == NO_AREA) == (expected["records"] == 0)).all()
    assert (choice.str.contains("komt overeen") == expected["matched"]).all()
    assert expected["matched"].any() and (expected["records"] > 1).any()


def test_worst_classes_from_one_candidate_pass(locations, netcongestie):
    pairs = LayerPairs(locations, netcongestie)
    for metric in _metrics(WorstClassMetric):
        chosen = _chosen(netcongestie, metric)
        shared = worst_class(locations, chosen, metric.field, metric.order, pairs=pairs)
        alone = worst_class(locations, chosen, metric.field, metric.order, prepared=True)
        pd.testing.assert_series_equal(shared, alone)
        assert shared.notna().any()


def test_point_distances_by_nearest_neighbour_equal_the_pair_list(locations):
    points = prepare_features(locations, get_layer("liwo_doorbraaklocaties", online=False).gdf)
    assert (shapely.get_type_id(points.geometry.to_numpy()) == 0).all()
    radius = 5000.0
    # the previous code: every (location, point) pair within the radius, exact distance, minimum
    feat_pos, loc_pos = locations.sindex.query(
        points.geometry.values, predicate="dwithin", distance=radius
    )
    pair_distance = shapely.distance(
        points.geometry.to_numpy()[feat_pos], locations.geometry.to_numpy()[loc_pos]
    )
    expected = np.full(len(locations), np.inf)
    np.minimum.at(expected, loc_pos, pair_distance)
    expected[expected > radius] = np.nan
    result = distance(locations, points, radius, prepared=True).to_numpy()
    np.testing.assert_array_equal(result, expected)
    assert np.isfinite(result).sum() > 100


@pytest.mark.parametrize(
    ("layer_id", "radius"), [("primaire_waterkeringen", 2000.0), ("natura2000", 1000.0)]
)
def test_nearest_features_equal_the_pair_list(locations, layer_id, radius):
    """`nearest_feature` (k-d points, then exact distances of the pieces within a bound) equals
    the exact distance of every (location, feature) pair within the radius; ties to the first."""
    features = prepare_features(locations, get_layer(layer_id, online=False).gdf)
    feat_pos, loc_pos = locations.sindex.query(
        features.geometry.values, predicate="dwithin", distance=radius
    )
    pair_distance = shapely.distance(
        features.geometry.to_numpy()[feat_pos], locations.geometry.to_numpy()[loc_pos]
    )
    pairs = pd.DataFrame({"loc": loc_pos, "feat": feat_pos, "d": pair_distance})
    best = pairs[pairs["d"] <= radius].sort_values(["loc", "d", "feat"]).drop_duplicates("loc")
    expected_d = np.full(len(locations), np.nan)
    expected_d[best["loc"].to_numpy()] = best["d"].to_numpy()
    expected_feat = np.full(len(locations), -1)
    expected_feat[best["loc"].to_numpy()] = best["feat"].to_numpy()
    result = nearest_feature(locations, features, radius, prepared=True)
    np.testing.assert_array_equal(result["distance_m"].to_numpy(), expected_d)
    np.testing.assert_array_equal(result["feat"].fillna(-1).to_numpy(dtype=int), expected_feat)
    assert 50 < np.isfinite(expected_d).sum() < len(locations)


def test_names_join_equals_the_groupby(locations):
    natura = prepare_features(locations, get_layer("natura2000", online=False).gdf)
    result = overlap(locations, natura, "naam", prepared=True)["names"]
    pairs = intersection_pairs(locations, natura, prepared=True)
    named = pd.DataFrame(
        {"loc": pairs["loc"], "name": natura["naam"].loc[pairs["feat"]].to_numpy()}
    ).dropna()
    joined = named.groupby("loc")["name"].agg(lambda s: "; ".join(sorted(set(map(str, s)))))
    expected = np.full(len(locations), "", dtype=object)
    expected[joined.index.to_numpy()] = joined.to_numpy()
    assert result.tolist() == expected.tolist()
    assert (result != "").sum() > 10

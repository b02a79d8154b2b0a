"""Overlay speed: the 43 policy locations + 4,348 EIB plans × Natura 2000 (+ netcongestie).

Compares the overlay engine with the GeoPandas baselines of benchmark-peers.md, measured in
the same run on the same data, A/B alternated (median of the repeats):

- overlap area:   `locatiescan.overlay.overlap`   vs `geopandas.overlay(..., how="intersection")`
                                                      + area summed per location
- distance:       `locatiescan.overlay.distance`  vs `GeoSeries.sindex.nearest(...)` with distances
                  (5 km radius)                       (unbounded nearest)
- worst class:    `locatiescan.overlay.worst_class` vs `geopandas.sjoin(predicate="intersects")`
                  (netcongestie afname)                + max per location

Prints times, the ratio baseline / engine, the peak Python-heap memory of one call (tracemalloc:
GEOS allocations are not traced), the process's peak RSS at the end, and a check that both give
the same answer. Not a test: run it by hand.

    .venv/bin/python bench/bench_overlay.py [--repeats 3]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time
import tracemalloc
from collections.abc import Callable

import geopandas as gpd
import numpy as np
import pandas as pd

from locatiescan.layers.fetch import get_layer
from locatiescan.overlay import distance, overlap, worst_class
from locatiescan.registry import load_locations

RADIUS_M = 5000.0
AFNAME = {"laag": ["rnb_afnamefgb", "tennet_afnamefgb"]}


def baseline_overlap(locations: gpd.GeoDataFrame, features: gpd.GeoDataFrame) -> pd.Series:
    pieces = gpd.overlay(locations[["id", "geometry"]], features[["geometry"]], how="intersection")
    area = pieces.assign(ha=pieces.area / 10_000).groupby("id")["ha"].sum()
    return area.reindex(locations["id"], fill_value=0.0)


def baseline_distance(locations: gpd.GeoDataFrame, features: gpd.GeoDataFrame) -> pd.Series:
    (loc_pos, _), dist = features.sindex.nearest(locations.geometry, return_distance=True)
    nearest = pd.Series(dist, index=loc_pos).groupby(level=0).min()
    return pd.Series(nearest.to_numpy(), index=locations["id"].to_numpy()[nearest.index])


def baseline_worst(locations: gpd.GeoDataFrame, features: gpd.GeoDataFrame) -> pd.Series:
    afname = features[
        features["laag"].isin(AFNAME["laag"]) & features["color_code"].isin([0, 1, 2, 3])
    ]
    joined = gpd.sjoin(
        locations[["id", "geometry"]], afname[["color_code", "geometry"]], predicate="intersects"
    )
    return joined.groupby("id")["color_code"].max()


def timed(call: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    result = call()
    return time.perf_counter() - start, result


def peak_mb(call: Callable[[], object]) -> float:
    tracemalloc.start()
    call()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1e6


def compare(
    name: str, ours: Callable[[], object], base: Callable[[], object], repeats: int
) -> tuple[object, object]:
    """Alternate engine and baseline `repeats` times; print medians, ratio and peak memory."""
    ours_s, base_s = [], []
    for _ in range(repeats):
        t, ours_result = timed(ours)
        ours_s.append(t)
        t, base_result = timed(base)
        base_s.append(t)
    engine, baseline = statistics.median(ours_s), statistics.median(base_s)
    print(
        f"{name:<12} engine {engine:6.2f} s  baseline {baseline:6.2f} s  "
        f"ratio {baseline / engine:5.1f}x  "
        f"heap peak engine {peak_mb(ours):5.1f} MB  baseline {peak_mb(base):5.1f} MB"
    )
    return ours_result, base_result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    locations = load_locations(["koploper", "doorbraak", "grootschalig", "plancapaciteit"])
    natura = get_layer("natura2000", online=False).gdf
    grid = get_layer("netcongestie", online=False).gdf
    print(
        f"{len(locations)} locations × {len(natura)} Natura 2000 areas, "
        f"{len(grid)} netcongestie polygons"
    )

    ours, base = compare(
        "overlap",
        lambda: overlap(locations, natura, "naam"),
        lambda: baseline_overlap(locations, natura),
        args.repeats,
    )
    diff = np.abs(ours["overlap_ha"].to_numpy() - base.to_numpy()).max()  # type: ignore[index, union-attr]
    print(
        f"{'':<12} total {ours['overlap_ha'].sum():.2f} ha vs {base.sum():.2f} ha; "
        f"max difference {diff:.2e} ha"
    )  # type: ignore[index, union-attr]

    ours, base = compare(
        "distance",
        lambda: distance(locations, natura, RADIUS_M),
        lambda: baseline_distance(locations, natura),
        args.repeats,
    )
    within = base[base <= RADIUS_M]  # type: ignore[index, operator]
    diff = np.abs(ours.loc[within.index].to_numpy() - within.to_numpy()).max()  # type: ignore[union-attr]
    print(
        f"{'':<12} {len(within)} locations within 5 km; max difference {diff:.2e} m; "
        "beyond: NaN in the engine"
    )

    ours, base = compare(
        "worst_class",
        lambda: worst_class(locations, grid, "color_code", [0, 1, 2, 3], AFNAME),
        lambda: baseline_worst(locations, grid),
        args.repeats,
    )
    known = ours.dropna()  # type: ignore[union-attr]
    print(
        f"{'':<12} {len(known)} known; "
        f"equal to the baseline: {(known == base.loc[known.index]).all()}"
    )  # type: ignore[union-attr]
    print(f"process peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()

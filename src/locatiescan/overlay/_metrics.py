"""A catalog layer's metrics for a Location table: one wide frame of `<layer>.<metric>` columns."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from locatiescan.errors import InputError
from locatiescan.layers.catalog import (
    DistanceMetric,
    LayerDef,
    OverlapMetric,
    RuleSetMetric,
    WorstClassMetric,
    ZonalMetric,
)
from locatiescan.overlay._vector import distance, overlap, prepare_features, worst_class
from locatiescan.overlay._zonal import RasterWindow, zonal_stats

RADIUS_SUFFIX = "distance_radius_m"


def _wrong_data(layer: LayerDef, kind: str, needed: str) -> InputError:
    msg = f"layer {layer.id}: metric {kind!r} needs {needed}"
    return InputError(msg, f"laag {layer.id}: maat {kind!r} vraagt {needed}")


def run_metrics(
    locations: gpd.GeoDataFrame, layer: LayerDef, data: gpd.GeoDataFrame | RasterWindow
) -> pd.DataFrame:
    """The layer's metrics per location (index = location id), columns `<layer.id>.<metric>`.

    `data` is the layer's features (overlap, distance, worst_class) or a raster window (zonal).
    A distance metric also yields `<layer.id>.distance_radius_m`, the search radius, so a NaN
    distance with a known radius reads as "farther than the radius". Rule-set metrics belong to
    derived layers and are evaluated by `locatiescan.water_bodem`.
    """
    index = pd.Index(locations["id"].to_numpy(), name="id")
    columns: dict[str, pd.Series] = {}
    features: gpd.GeoDataFrame | None = None
    for metric in layer.metrics:
        if isinstance(metric, RuleSetMetric):
            raise _wrong_data(layer, metric.kind, "the derived-layer evaluation (water_bodem)")
        if isinstance(metric, ZonalMetric):
            if not isinstance(data, RasterWindow):
                raise _wrong_data(layer, metric.kind, "a raster")
            stats = zonal_stats(locations, data, metric.threshold)
            columns.update({f"{metric.output}_{name}": stats[name] for name in stats.columns})
            continue
        if not isinstance(data, gpd.GeoDataFrame):
            raise _wrong_data(layer, metric.kind, "vector features")
        if features is None:
            features = prepare_features(locations, data)
        if isinstance(metric, OverlapMetric):
            result = overlap(locations, features, metric.name_field, prepared=True)
            columns.update({name: result[name] for name in result.columns})
        elif isinstance(metric, DistanceMetric):
            columns["distance_m"] = distance(locations, features, metric.radius_m, prepared=True)
            columns[RADIUS_SUFFIX] = pd.Series(float(metric.radius_m), index=index)
        elif isinstance(metric, WorstClassMetric):
            columns[metric.output] = worst_class(
                locations, features, metric.field, metric.order, metric.where, prepared=True
            )
    frame = pd.DataFrame(columns, index=index)
    return frame.rename(columns=lambda name: f"{layer.id}.{name}")

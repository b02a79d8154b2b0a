"""A catalog layer's metrics for a Location table: one wide frame of `<layer>.<metric>` columns."""

from __future__ import annotations

from collections.abc import Mapping

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from locatiescan.errors import InputError
from locatiescan.layers.catalog import (
    SNAPSHOT_COLUMN,
    AreaFiguresMetric,
    DistanceMetric,
    LayerDef,
    OverlapMetric,
    RuleSetMetric,
    ValueMetric,
    WorstClassMetric,
    ZonalMetric,
)
from locatiescan.location_table import id_index
from locatiescan.overlay._figures import area_figures, feature_values
from locatiescan.overlay._vector import (
    LayerPairs,
    class_key,
    distance,
    overlap,
    prepare_features,
    share_pct,
    worst_class,
)
from locatiescan.overlay._zonal import RasterWindow, zonal_stats

RADIUS_SUFFIX = "distance_radius_m"
# snapshot ids of a metric (empty tuple = the whole layer) -> (coverage or None, min_pct)
Coverages = Mapping[tuple[str, ...], tuple[BaseGeometry | None, float]]


def _wrong_data(layer: LayerDef, kind: str, needed: str) -> InputError:
    msg = f"layer {layer.id}: metric {kind!r} needs {needed}"
    return InputError(msg, f"laag {layer.id}: maat {kind!r} vraagt {needed}")


def select_features(
    features: gpd.GeoDataFrame,
    snapshots: list[str],
    where: Mapping[str, list[object]],
    zonder: Mapping[str, list[object]],
) -> gpd.GeoDataFrame:
    """The features of the given snapshots whose `where` columns hold an allowed value and whose
    `zonder` columns do not hold an excluded one (a missing column keeps nothing / excludes none)."""
    keep = np.ones(len(features), dtype=bool)
    if snapshots:
        column = features.get(SNAPSHOT_COLUMN)
        keep &= column.isin(snapshots).to_numpy() if column is not None else False
    for column, allowed in where.items():
        if column not in features.columns:
            return features.iloc[0:0]
        keys = {class_key(v) for v in allowed}
        keep &= features[column].map(lambda v, a=keys: class_key(v) in a).to_numpy(dtype=bool)
    for column, excluded in zonder.items():
        if column in features.columns:
            keys = {class_key(v) for v in excluded}
            keep &= ~features[column].map(lambda v, k=keys: class_key(v) in k).to_numpy(dtype=bool)
    return features.loc[keep]


def covered_pct(
    locations: gpd.GeoDataFrame,
    coverage: BaseGeometry | None,
    location_m2: np.ndarray | None = None,
) -> np.ndarray:
    """% of each location's area inside `coverage` (100 when the coverage is national);
    `location_m2`, the locations' own areas, saves computing them again."""
    geoms = locations.geometry.to_numpy()
    if coverage is None:
        return np.full(len(geoms), 100.0)
    location_m2 = shapely.area(geoms) if location_m2 is None else location_m2
    return share_pct(locations, _area_inside(geoms, coverage, location_m2), location_m2)


def _area_inside(geoms: np.ndarray, coverage: BaseGeometry, geoms_m2: np.ndarray) -> np.ndarray:
    """Area (m²) of each geometry inside `coverage`: whole for those it contains, 0 for those
    it does not meet (both tested on the prepared coverage); cut only along its edge."""
    shapely.prepare(coverage)
    inside = shapely.contains(coverage, geoms)
    edge = shapely.intersects(coverage, geoms) & ~inside
    area = np.where(inside, geoms_m2, 0.0)
    area[edge] = shapely.area(shapely.intersection(geoms[edge], coverage))
    return area


class CoverageShares:
    """`covered_pct` of one set of locations, computed once per coverage: several metrics and
    rule inputs read the same coverage (a province); and the locations' own areas, which every
    share divides by. Treat the arrays as read-only."""

    def __init__(self, locations: gpd.GeoDataFrame) -> None:
        self.locations = locations
        self._found: dict[int, tuple[BaseGeometry, np.ndarray]] = {}
        self._location_m2: np.ndarray | None = None

    def location_m2(self) -> np.ndarray:
        """The locations' own areas (m²), computed once."""
        if self._location_m2 is None:
            self._location_m2 = shapely.area(self.locations.geometry.to_numpy())
        return self._location_m2

    def __call__(self, coverage: BaseGeometry | None) -> np.ndarray:
        if coverage is None:
            return covered_pct(self.locations, None)
        found = self._found.get(id(coverage))
        if found is None or found[0] is not coverage:  # the geometry is held: its id stays its own
            shares = covered_pct(self.locations, coverage, self.location_m2())
            found = self._found[id(coverage)] = (coverage, shares)
        return found[1]


def run_metrics(
    locations: gpd.GeoDataFrame,
    layer: LayerDef,
    data: gpd.GeoDataFrame | RasterWindow,
    coverages: Coverages | None = None,
    covered: CoverageShares | None = None,
) -> pd.DataFrame:
    """The layer's metrics per location (index = location id), columns `<layer.id>.<metric>`.

    `data` is the layer's features (vector metrics) or a raster window (zonal). A distance
    metric also yields `<prefix>distance_radius_m`, the search radius, so a NaN distance with a
    known radius reads as "farther than the radius". With `coverages`, a metric's values are
    unknown (None/NaN) for locations outside the coverage of the snapshots it reads, and the
    layer gets `dekking_pct`; `covered` gives the locations' shares in a coverage (pass one to
    share them between layers). Rule-set metrics belong to derived layers (the rule engine).
    """
    index = id_index(locations)
    coverages = coverages or {}
    covered = covered or CoverageShares(locations)
    columns: dict[str, pd.Series] = {}
    features: gpd.GeoDataFrame | None = None
    pairs: LayerPairs | None = None
    for metric in layer.metrics:
        if isinstance(metric, RuleSetMetric):
            raise _wrong_data(layer, metric.kind, "the derived-layer evaluation (rule set)")
        if isinstance(metric, ZonalMetric):
            if not isinstance(data, RasterWindow):
                raise _wrong_data(layer, metric.kind, "a raster")
            stats = zonal_stats(locations, data, metric.threshold)
            columns.update({f"{metric.output}_{name}": stats[name] for name in stats.columns})
            continue
        if not isinstance(data, gpd.GeoDataFrame):
            raise _wrong_data(layer, metric.kind, "vector features")
        if features is None or pairs is None:
            features = prepare_features(locations, data)
            pairs = LayerPairs(locations, features, covered.location_m2())
        result = _vector_metric(locations, features, pairs, metric, index)
        coverage, min_pct = coverages.get(tuple(metric.snapshots), (None, 0.0))
        if coverage is not None:
            outside = covered(coverage) < min_pct
            result = result.astype(object)
            result.loc[outside] = None
        columns.update({name: result[name] for name in result.columns})
    coverage, _ = coverages.get((), (None, 0.0))
    if layer.limited():
        columns["dekking_pct"] = pd.Series(covered(coverage), index=index)
    frame = pd.DataFrame(columns, index=index)
    return frame.rename(columns=lambda name: f"{layer.id}.{name}")


def _vector_metric(
    locations: gpd.GeoDataFrame,
    features: gpd.GeoDataFrame,
    pairs: LayerPairs,
    metric: object,
    index: pd.Index,
) -> pd.DataFrame:
    """One vector metric on the (prepared) features it selects, with the layer's shared pairs."""
    chosen = select_features(features, metric.snapshots, metric.where, metric.zonder)  # type: ignore[attr-defined]
    if isinstance(metric, OverlapMetric):
        result = overlap(locations, chosen, metric.name_field, pairs=pairs)
        return result.rename(columns=lambda name: f"{metric.prefix}{name}")
    if isinstance(metric, DistanceMetric):
        return pd.DataFrame(
            {
                f"{metric.prefix}distance_m": distance(
                    locations, chosen, metric.radius_m, prepared=True, pairs=pairs
                ),
                f"{metric.prefix}{RADIUS_SUFFIX}": pd.Series(float(metric.radius_m), index=index),
            }
        )
    if isinstance(metric, WorstClassMetric):
        values = worst_class(locations, chosen, metric.field, metric.order, pairs=pairs)
        return pd.DataFrame({metric.output: values})
    if isinstance(metric, ValueMetric):
        return pd.DataFrame({metric.output: feature_values(locations, chosen, metric, pairs)})
    if isinstance(metric, AreaFiguresMetric):
        return area_figures(locations, chosen, features, metric, pairs)
    msg = f"unsupported metric {metric!r}"
    raise InputError(msg, f"maat niet ondersteund: {metric!r}")

"""Kansenkaart: a model's layer-based criteria evaluated on a national grid (EPSG:28992).

Every grid cell is treated as a square location of `resolutie` metres. The vector metrics of the
layer catalog become rasters, one window (chunk) at a time, so memory stays bounded by the window
whatever the grid size:

- `overlap_pct` / `overlap_ha`: the layer's polygons rasterized on a sub-grid of about 10 m and
  averaged per cell (the share of the cell covered);
- `distance_m`: an exact Euclidean distance transform over the window plus a halo of the search
  radius (distance between cell centres; 0 inside a feature, infinitely far beyond the radius,
  as the scoring engine reads a missing distance with a known radius);
- worst class: every class rasterized in order (all touched), the worst present wins.

Rule-set and raster (zonal) metrics are not evaluated on the grid: the criteria that need them are
left out of the kansenkaart model and named in the file's metadata. The kansenkaart model
(`kansen_model`) keeps only the criteria it can evaluate, re-weights within each pillar, counts an
unknown value at the criterion's lowest points (never an advantage) and drops bonus items; so the
value of a cell equals that model's score of a square location at that spot. Cells whose centre
lies outside every gemeente (open water, abroad) get no value and reason "open water of buiten
Nederland". The "reden" band names, per cell, the criterion that costs the most weight among those
at zero points (the dominating knock-out).

Output: a tiled, DEFLATE-compressed Cloud-Optimized GeoTIFF with band 1 the total (0–100), one band
per pillar (0–1), and the reason code as the last band; codes and labels are in the metadata.
"""

from __future__ import annotations

import math
import os
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
from affine import Affine

from locatiescan.errors import InputError
from locatiescan.layers.catalog import DistanceMetric, LayerDef, OverlapMetric, WorstClassMetric
from locatiescan.scoring.conditions import Values
from locatiescan.scoring.model import Criterion, ScoringModel

RD = 28992
SUBCELL_M = 10.0
WINDOW_CELLS = 512
REASON_WATER = 255
WATER_LABEL = "open water of buiten Nederland"
RESOLUTIONS = (25, 50, 100, 250, 1000)
GDAL_CACHE_MB = 128


@dataclass(frozen=True)
class Grid:
    """A north-up grid in EPSG:28992 snapped to the resolution."""

    minx: float
    maxy: float
    width: int
    height: int
    resolution: float

    @classmethod
    def covering(cls, bounds: tuple[float, float, float, float], resolution: float) -> Grid:
        minx, miny, maxx, maxy = bounds
        left = math.floor(minx / resolution) * resolution
        top = math.ceil(maxy / resolution) * resolution
        width = math.ceil((maxx - left) / resolution)
        height = math.ceil((top - miny) / resolution)
        return cls(left, top, width, height, resolution)

    @property
    def transform(self) -> Affine:
        return Affine(self.resolution, 0, self.minx, 0, -self.resolution, self.maxy)

    def windows(self, size: int = WINDOW_CELLS) -> Iterator[tuple[int, int, int, int]]:
        """(row, col, height, width) of each chunk, row by row."""
        for row in range(0, self.height, size):
            for col in range(0, self.width, size):
                yield row, col, min(size, self.height - row), min(size, self.width - col)

    def bounds_of(self, row: int, col: int, height: int, width: int) -> tuple[float, ...]:
        left = self.minx + col * self.resolution
        top = self.maxy - row * self.resolution
        return (left, top - height * self.resolution, left + width * self.resolution, top)


@dataclass(frozen=True)
class GridCriterion:
    """A criterion of the kansenkaart model with the layer metric that feeds it."""

    pillar: str
    criterion: Criterion
    layer: LayerDef
    metric: OverlapMetric | DistanceMetric | WorstClassMetric
    column: str  # the metric's output name, e.g. overlap_pct


@dataclass
class KansenModel:
    """The part of a model a grid can evaluate, and what was left out (with the reason)."""

    model: ScoringModel
    criteria: list[GridCriterion]
    left_out: dict[str, str] = field(default_factory=dict)  # criterion id -> Dutch reason


def _grid_metric(
    layer: LayerDef, column: str
) -> OverlapMetric | DistanceMetric | WorstClassMetric | None:
    for metric in layer.metrics:
        if isinstance(metric, OverlapMetric) and column in ("overlap_pct", "overlap_ha"):
            return metric
        if isinstance(metric, DistanceMetric) and column == "distance_m":
            return metric
        if isinstance(metric, WorstClassMetric) and column == metric.output:
            return metric
    return None


def kansen_model(model: ScoringModel, catalog: Mapping[str, LayerDef]) -> KansenModel:
    """The model restricted to the layer criteria a grid can evaluate (see the module doc)."""
    pillars, criteria, left_out = {}, [], {}
    for name, pillar in model.pijlers.items():
        kept = []
        for criterion in pillar.criteria:
            ref = criterion.source
            layer = catalog.get(ref.name) if ref.kind == "laag" else None
            metric = _grid_metric(layer, ref.metric or "") if layer is not None else None
            if layer is None or metric is None:
                why = "geen laagcriterium" if ref.kind != "laag" else "maat niet op een raster"
                left_out[criterion.id] = f"{criterion.bron}: {why}"
                continue
            kept.append(criterion)
            criteria.append(GridCriterion(name, criterion, layer, metric, ref.metric or ""))
        if kept:
            pillars[name] = pillar.model_copy(update={"criteria": kept})
    if not criteria:
        msg = f"model {model.naam!r} has no layer criterion that a grid can evaluate"
        nl = f"model {model.naam!r} heeft geen laagcriterium dat op een raster kan"
        raise InputError(msg, nl)
    update: dict[str, object] = {
        "pijlers": pillars,
        "bonus": [],
        "onbekend": "minimum",
        "minimale_dekking": 0.0,
        "voorwaarden": [],
    }
    return KansenModel(model.model_copy(update=update), criteria, left_out)


def _rasterize(
    features: gpd.GeoDataFrame, bounds: tuple[float, ...], shape: tuple[int, int], **kw: object
) -> np.ndarray:
    from rasterio.features import rasterize

    minx, _, _, maxy = bounds
    cell = (bounds[2] - minx) / shape[1]
    transform = Affine(cell, 0, minx, 0, -cell, maxy)
    shapes = [(geom, 1) for geom in features.geometry if geom is not None and not geom.is_empty]
    if not shapes:
        return np.zeros(shape, dtype=np.uint8)
    burned: np.ndarray = rasterize(
        shapes, out_shape=shape, transform=transform, dtype="uint8", **kw
    )
    return burned


def _near(features: gpd.GeoDataFrame, bounds: tuple[float, ...]) -> gpd.GeoDataFrame:
    return features.iloc[features.sindex.query(_box(bounds), predicate="intersects")]


def _box(bounds: tuple[float, ...]) -> object:
    import shapely

    return shapely.box(*bounds)


def metric_window(
    item: GridCriterion, features: gpd.GeoDataFrame, grid: Grid, window: tuple[int, int, int, int]
) -> np.ndarray:
    """One metric over one window: floats (NaN = unknown), or the class values (None = no
    feature) for a worst-class metric."""
    row, col, height, width = window
    bounds = grid.bounds_of(row, col, height, width)
    res = grid.resolution
    metric = item.metric
    if isinstance(metric, OverlapMetric):
        factor = max(1, round(res / SUBCELL_M))
        fine = _rasterize(_near(features, bounds), bounds, (height * factor, width * factor))
        share: np.ndarray = fine.reshape(height, factor, width, factor).mean(axis=(1, 3))
        cell_ha = res * res / 10_000
        return share * (100.0 if item.column == "overlap_pct" else cell_ha)
    if isinstance(metric, DistanceMetric):
        from scipy.ndimage import distance_transform_edt

        halo = math.ceil(metric.radius_m / res) + 1
        outer = grid.bounds_of(row - halo, col - halo, height + 2 * halo, width + 2 * halo)
        shape = (height + 2 * halo, width + 2 * halo)
        inside = _rasterize(_near(features, outer), outer, shape, all_touched=True)
        if not inside.any():
            return np.full((height, width), np.inf)
        distance = distance_transform_edt(inside == 0, sampling=res)[
            halo : halo + height, halo : halo + width
        ]
        return np.where(distance <= metric.radius_m, distance, np.inf)
    near = _near(features, bounds)
    worst = np.full((height, width), -1)
    for index, value in enumerate(metric.order):  # best first: a worse class overwrites
        chosen = near[near[metric.field] == value]
        for column, allowed in metric.where.items():
            chosen = chosen[chosen[column].isin(allowed)]
        hit = _rasterize(chosen, bounds, (height, width), all_touched=True).astype(bool)
        worst = np.where(hit, index, worst)
    classes = np.array([*metric.order, None], dtype=object)  # index -1 -> None (no feature)
    found: np.ndarray = classes[worst]
    return found


def score_cells(
    kansen: KansenModel, metrics: Mapping[str, np.ndarray], land: np.ndarray
) -> tuple[np.ndarray, dict[str, np.ndarray], np.ndarray]:
    """Total (0–100), pillar scores (0–1) and reason code per cell from the metric arrays
    (keyed by criterion id); cells off land get NaN and reason REASON_WATER."""
    shape = land.shape
    model = kansen.model
    total_weight = sum(p.gewicht for p in model.pijlers.values())
    pillars: dict[str, np.ndarray] = {}
    lost = np.zeros(shape)
    reason = np.zeros(shape, dtype=np.uint8)
    for name, pillar in model.pijlers.items():
        weights = sum(c.gewicht for c in pillar.criteria)
        acc = np.zeros(shape)
        for criterion in pillar.criteria:
            values = Values(pd.Series(metrics[criterion.id].ravel()))
            points = np.full(values.known.shape, np.nan)
            for rule in criterion.regels:
                hit = rule.condition.mask(values) & np.isnan(points)
                points[hit] = rule.points
            points = np.where(np.isnan(points), criterion.min_points, points).reshape(shape)
            ratio = points / criterion.max_points
            acc += criterion.gewicht * ratio
            cost = pillar.gewicht / total_weight * criterion.gewicht / weights * (ratio == 0)
            code = _criterion_code(kansen, criterion.id)
            reason = np.where(cost > lost, code, reason)
            lost = np.maximum(lost, cost)
        pillars[name] = acc / weights
    total = 100 * sum(
        (model.pijlers[p].gewicht / total_weight * s for p, s in pillars.items()), np.zeros(shape)
    )
    total = np.where(land, total, np.nan)
    pillars = {p: np.where(land, s, np.nan) for p, s in pillars.items()}
    return total, pillars, np.where(land, reason, REASON_WATER).astype(np.uint8)


def _criterion_code(kansen: KansenModel, criterion_id: str) -> int:
    return 1 + [c.criterion.id for c in kansen.criteria].index(criterion_id)


def reason_labels(kansen: KansenModel) -> dict[int, str]:
    """Reason code -> Dutch label (0 = no knock-out)."""
    labels = {0: "geen criterium op 0 punten"}
    for item in kansen.criteria:
        labels[_criterion_code(kansen, item.criterion.id)] = (
            f"{item.layer.titel}: {item.criterion.label}"
        )
    labels[REASON_WATER] = WATER_LABEL
    return labels


def write_kansenkaart(
    kansen: KansenModel,
    features: Mapping[str, gpd.GeoDataFrame],
    land: gpd.GeoDataFrame,
    out: Path,
    resolution: float = 100.0,
    window_cells: int = WINDOW_CELLS,
) -> Grid:
    """Evaluate the grid window by window and write the COG at `out` (atomically)."""
    import rasterio
    from rasterio.shutil import copy as rio_copy

    if resolution not in RESOLUTIONS:
        allowed = ", ".join(str(r) for r in RESOLUTIONS)
        msg = f"resolution {resolution:g} m is not one of {allowed}"
        raise InputError(msg, f"resolutie {resolution:g} m is niet een van {allowed}")
    land = land.to_crs(RD)
    grid = Grid.covering(tuple(land.total_bounds), resolution)
    names = list(kansen.model.pijlers)
    profile = {
        "driver": "GTiff", "dtype": "float32", "count": 2 + len(names), "crs": f"EPSG:{RD}",
        "transform": grid.transform, "width": grid.width, "height": grid.height,
        "nodata": np.nan, "tiled": True, "blockxsize": 256, "blockysize": 256,
        "compress": "deflate", "BIGTIFF": "IF_SAFER",
    }  # fmt: skip
    out.parent.mkdir(parents=True, exist_ok=True)
    with (
        rasterio.Env(GDAL_CACHEMAX=GDAL_CACHE_MB),  # bounded block cache: memory per window
        tempfile.TemporaryDirectory(dir=out.parent, prefix=".kansenkaart-") as tmp,
    ):
        staging = Path(tmp) / "grid.tif"
        with rasterio.open(staging, "w", **profile) as dst:
            for window in grid.windows(window_cells):
                row, col, height, width = window
                bounds = grid.bounds_of(*window)
                land_mask = _rasterize(_near(land, bounds), bounds, (height, width)).astype(bool)
                metrics = {
                    item.criterion.id: metric_window(item, features[item.layer.id], grid, window)
                    for item in kansen.criteria
                }
                total, pillars, reason = score_cells(kansen, metrics, land_mask)
                target = rasterio.windows.Window(col, row, width, height)
                dst.write(total.astype("float32"), 1, window=target)
                for band, name in enumerate(names, start=2):
                    dst.write(pillars[name].astype("float32"), band, window=target)
                dst.write(reason.astype("float32"), len(names) + 2, window=target)
            dst.set_band_description(1, "totaal")
            for band, name in enumerate(names, start=2):
                dst.set_band_description(band, f"pijler.{name}")
            dst.set_band_description(len(names) + 2, "reden")
            dst.update_tags(
                model=kansen.model.naam,
                resolutie_m=f"{resolution:g}",
                weggelaten="; ".join(f"{k} ({v})" for k, v in kansen.left_out.items()) or "geen",
                onbekend="laagste punten van het criterium",
                **{f"reden_{code}": label for code, label in reason_labels(kansen).items()},
            )
        final = Path(tmp) / "cog.tif"
        rio_copy(
            staging, final, driver="COG", compress="DEFLATE", blocksize=256,
            overview_resampling="NEAREST", BIGTIFF="IF_SAFER",
        )  # fmt: skip
        os.replace(final, out)
    return grid

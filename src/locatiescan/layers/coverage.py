"""Where a layer has data: the union of its snapshots' coverage areas (EPSG:28992).

A coverage is a filtered set of polygons from a file below the data root (e.g. the province of
Zuid-Holland). Outside it a metric is "onbekend: geen bron voor dit gebied"; inside, no hit is
a real "nee".
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

import shapely
from shapely.geometry.base import BaseGeometry

from locatiescan.errors import ConfigError
from locatiescan.layers.catalog import Coverage, LayerDef
from locatiescan.layers.providers.file import read_snapshot, resolve_data_path


def coverage_area(coverage: Coverage) -> BaseGeometry:
    """The coverage polygons as one prepared geometry (read once per process)."""
    return _area(*_key(coverage))


_Key = tuple[str, str | None, tuple[tuple[str, tuple[str, ...]], ...]]


def _key(coverage: Coverage) -> _Key:
    waar = tuple((k, tuple(map(str, v))) for k, v in sorted(coverage.waar.items()))
    return str(resolve_data_path(coverage.path)), coverage.layer, waar


@lru_cache(maxsize=16)
def _area(
    path: str, layer: str | None, waar: tuple[tuple[str, tuple[str, ...]], ...]
) -> BaseGeometry:
    frame = read_snapshot((path,), layer)
    for column, allowed in waar:
        if column not in frame.columns:
            msg = f"coverage {path}: no column {column!r}"
            raise ConfigError(msg, f"dekking {path}: kolom {column!r} ontbreekt")
        frame = frame[frame[column].astype(str).isin(allowed)]
    if frame.empty:
        msg = f"coverage {path}: no polygon matches {dict(waar)}"
        raise ConfigError(msg, f"dekking {path}: geen vlak voldoet aan {dict(waar)}")
    area = shapely.union_all(shapely.make_valid(frame.geometry.to_numpy()))
    shapely.prepare(area)
    return area


def layer_coverage(
    layer: LayerDef, snapshot_ids: Iterable[str] | None = None
) -> tuple[BaseGeometry | None, float]:
    """(coverage geometry, min_pct) of the given snapshots (all when None).

    None as geometry means national: some selected snapshot has no limited coverage.
    """
    wanted = set(snapshot_ids or [])
    chosen = [s for s in layer.snapshots() if not wanted or s.id in wanted]
    if not chosen or any(s.dekking is None for s in chosen):
        return None, 0.0
    keys = tuple(dict.fromkeys(_key(s.dekking) for s in chosen if s.dekking is not None))
    min_pct = min(s.dekking.min_pct for s in chosen if s.dekking is not None)
    return _union(keys), min_pct


@lru_cache(maxsize=16)
def _union(keys: tuple[_Key, ...]) -> BaseGeometry:
    """One prepared geometry for the coverages `keys`, the same object on every call: what is
    computed per coverage (the locations' shares in it) can then be kept per object."""
    if len(keys) == 1:
        return _area(*keys[0])
    area = shapely.union_all([_area(*key) for key in keys])
    shapely.prepare(area)
    return area


def coverage_text(layer: LayerDef) -> str:
    """Where the layer has data, in Dutch ("heel Nederland" when not limited)."""
    limited = [s.dekking.beschrijving for s in layer.snapshots() if s.dekking is not None]
    if not limited or len(limited) < len(layer.snapshots()):
        return "heel Nederland" if not limited else "heel Nederland; deels: " + ", ".join(limited)
    return ", ".join(dict.fromkeys(limited))

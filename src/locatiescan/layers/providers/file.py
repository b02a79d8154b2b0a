"""Vector files: offline snapshots below the data root, or a GeoJSON published at a URL.

Snapshots are read once per process and kept in memory; every call gets its own copy. A list
of paths is read as one layer. The peildatum comes from the catalog, else from the file's own
top-level `peildatum` member (GeoJSON).
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import pyogrio

from locatiescan.errors import DataRootError, SourceParseError
from locatiescan.layers.providers._http import get, probe
from locatiescan.layers.providers._parse import (
    CRS84,
    RD,
    concat_pages,
    geojson_document_frame,
    json_object,
    to_rd,
)
from locatiescan.layers.providers.base import BBox, Fetched, Provider, clip_to_bbox
from locatiescan.paths import data_root

_JSON_SUFFIXES = {".geojson", ".json"}


class FileProvider(Provider):
    """A local vector file (or list of files) or, with `url`, a GeoJSON document online."""

    @property
    def online(self) -> bool:
        """Only a URL source is online."""
        return bool(self.source.url)

    @property
    def location(self) -> str:
        """The URL, or the absolute path(s) joined with '; '."""
        return self.source.url or "; ".join(str(p) for p in self.paths())

    def paths(self) -> list[Path]:
        """The file paths, resolved against the data root."""
        raw = self.source.path or []
        return [resolve_data_path(p) for p in ([raw] if isinstance(raw, str) else raw)]

    def fetch(self, bbox: BBox | None) -> Fetched:
        """The features (within `bbox`) in EPSG:28992, with the data date when known."""
        if self.source.url:
            content = get(self.source.url, params=None, http=self.http, what=self.label)
            document = json_object(content, self.label)
            frame = to_rd(geojson_document_frame(document, default_crs=CRS84, what=self.label))
            return Fetched(
                source=self.location, gdf=clip_to_bbox(frame, bbox), date=_peildatum(document)
            )
        frame = read_snapshot(self._path_key(), self.source.layer)
        return Fetched(
            source=self.location, gdf=clip_to_bbox(frame, bbox).copy(), date=self.snapshot_date()
        )

    def probe(self) -> None:
        """The URL answers, or every file exists."""
        if self.source.url:
            probe(self.source.url, params=None, http=self.http, what=self.label)
            return
        missing = [str(p) for p in self.paths() if not p.exists()]
        if missing:
            msg = f"snapshot file(s) missing: {', '.join(missing)}"
            raise DataRootError(msg, f"snapshotbestand(en) ontbreken: {', '.join(missing)}")

    def snapshot_date(self) -> str | None:
        """The catalog's peildatum, else the latest `peildatum` member of the local GeoJSON files."""
        if self.source.peildatum:
            return self.source.peildatum.isoformat()
        return None if self.source.url else embedded_peildatum(self._path_key())

    def _path_key(self) -> tuple[str, ...]:
        return tuple(str(p) for p in self.paths())


def resolve_data_path(path: str | Path) -> Path:
    """An absolute path as is; a relative one below the data root."""
    candidate = Path(path).expanduser()
    return candidate if candidate.is_absolute() else data_root() / candidate


@lru_cache(maxsize=32)
def read_snapshot(paths: tuple[str, ...], layer: str | None) -> gpd.GeoDataFrame:
    """The files as one frame in EPSG:28992 (cached per process; callers get copies)."""
    frames = []
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            msg = f"snapshot file missing: {path}"
            raise DataRootError(msg, f"snapshotbestand ontbreekt: {path}")
        try:
            frames.append(to_rd(pyogrio.read_dataframe(path, layer=layer)))
        except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as err:
            msg = f"{path}: cannot read: {err}"
            raise SourceParseError(msg, f"{path}: niet leesbaar: {err}") from err
    return concat_pages(frames, RD) if len(frames) > 1 else frames[0]


@lru_cache(maxsize=32)
def embedded_peildatum(paths: tuple[str, ...]) -> str | None:
    """The latest top-level `peildatum` member among the GeoJSON files (cached per process)."""
    dates = []
    for raw in paths:
        path = Path(raw)
        if path.suffix.lower() in _JSON_SUFFIXES and path.exists():
            with path.open("rb") as handle:
                dates.append(_peildatum(json.load(handle)))
    known = sorted(d for d in dates if d)
    return known[-1] if known else None


def _peildatum(document: object) -> str | None:
    """A GeoJSON document's top-level `peildatum` member, if any."""
    value = document.get("peildatum") if isinstance(document, dict) else None
    return str(value) if value else None

"""Vector files: offline snapshots below the data root, or a GeoJSON published at a URL.

Snapshots load from their prepared GeoParquet form (`locatiescan.layers.prepared`) and are
kept in memory per process while the file is unchanged; every call gets its own copy. A list of
paths is read as one layer. The peildatum comes from the catalog, else from the file's own
top-level `peildatum` member (GeoJSON), recorded when the file was prepared. A missing file is a
`SnapshotMissingError` (a `SourceError`: the layer is then unknown, with the reason).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import geopandas as gpd

from locatiescan.errors import SnapshotMissingError
from locatiescan.layers import prepared
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
            from locatiescan.layers.providers._http import get  # requests: only when online

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
            from locatiescan.layers.providers._http import probe  # requests: only when online

            probe(self.source.url, params=None, http=self.http, what=self.label)
            return
        missing = [str(p) for p in self.paths() if not p.exists()]
        if missing:
            msg = f"snapshot file(s) missing: {', '.join(missing)}"
            raise SnapshotMissingError(msg, f"snapshotbestand(en) ontbreken: {', '.join(missing)}")

    def snapshot_date(self) -> str | None:
        """The catalog's peildatum, else the latest `peildatum` member of the local GeoJSON files."""
        if self.source.peildatum:
            return self.source.peildatum.isoformat()
        return None if self.source.url else embedded_peildatum(self._path_key(), self.source.layer)

    def _path_key(self) -> tuple[str, ...]:
        return tuple(str(p) for p in self.paths())


def resolve_data_path(path: str | Path) -> Path:
    """An absolute path as is; a relative one below the data root."""
    candidate = Path(path).expanduser()
    return candidate if candidate.is_absolute() else data_root() / candidate


def _stamps(paths: tuple[str, ...]) -> tuple[tuple[int, int] | None, ...]:
    """(size, modification time) per file, None when missing: part of the in-memory cache key."""
    found: list[tuple[int, int] | None] = []
    for raw in paths:
        try:
            stat = Path(raw).stat()
            found.append((stat.st_size, stat.st_mtime_ns))
        except OSError:
            found.append(None)
    return tuple(found)


def read_snapshot(paths: tuple[str, ...], layer: str | None) -> gpd.GeoDataFrame:
    """The files as one frame in EPSG:28992 (kept per process while unchanged; callers copy)."""
    return _read_snapshot(paths, layer, _stamps(paths))


@lru_cache(maxsize=32)
def _read_snapshot(
    paths: tuple[str, ...], layer: str | None, stamps: tuple[tuple[int, int] | None, ...]
) -> gpd.GeoDataFrame:
    del stamps  # part of the cache key only
    frames = [prepared.load(Path(raw), layer) for raw in paths]
    return concat_pages(frames, RD) if len(frames) > 1 else frames[0]


def embedded_peildatum(paths: tuple[str, ...], layer: str | None = None) -> str | None:
    """The latest top-level `peildatum` member among the GeoJSON files (from the prepared
    files' metadata: the source is not parsed again)."""
    dates = [prepared.peildatum(Path(raw), layer) for raw in paths if Path(raw).exists()]
    known = sorted(d for d in dates if d)
    return known[-1] if known else None


def _peildatum(document: object) -> str | None:
    """A GeoJSON document's top-level `peildatum` member, if any."""
    value = document.get("peildatum") if isinstance(document, dict) else None
    return str(value) if value else None

"""Local cache of fetched layer data, keyed by (layer id, source, bbox), with the fetch time.

One GeoPackage (vector) or GeoTIFF (raster) per entry plus a small JSON record, in a folder
next to the workspace database (or any folder passed in). Every file is written atomically
(`locatiescan.atomic`: temporary file, fsync, rename); the JSON record is written last, so a
reader never sees half an entry.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import geopandas as gpd
import pyogrio

from locatiescan.atomic import atomic_path, write_text
from locatiescan.layers.providers.base import BBox
from locatiescan.paths import workspace_path

CACHE_DIR_NAME = "layer_cache"
_GPKG_LAYER = "features"


def default_cache_dir() -> Path:
    """`layer_cache/` next to the workspace database."""
    return workspace_path().parent / CACHE_DIR_NAME


def now_iso() -> str:
    """The current UTC time as an ISO string (seconds)."""
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class CacheEntry:
    """One cached fetch: what was asked, when, and where the data is."""

    layer_id: str
    source: str
    bbox: BBox | None
    fetched_at: str
    path: Path
    features: int | None  # None for a raster

    def to_dict(self) -> dict[str, object]:
        """JSON-ready summary."""
        return {
            "layer_id": self.layer_id,
            "source": self.source,
            "bbox": list(self.bbox) if self.bbox else None,
            "fetched_at": self.fetched_at,
            "path": str(self.path),
            "features": self.features,
        }


def cache_key(layer_id: str, source: str, bbox: BBox | None) -> str:
    """Stable file stem for a (layer, source, bbox) request (bbox rounded to mm)."""
    rounded = [round(v, 3) for v in bbox] if bbox else None
    raw = json.dumps([layer_id, source, rounded])
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()[:24]


class LayerCache:
    """A folder of cached layer fetches."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = Path(directory) if directory else default_cache_dir()

    @property
    def download_dir(self) -> Path:
        """Where providers write downloads (rasters) before they are cached."""
        return self.directory / "downloads"

    def put(
        self,
        layer_id: str,
        source: str,
        bbox: BBox | None,
        frame: gpd.GeoDataFrame,
        *,
        fetched_at: str | None = None,
    ) -> CacheEntry:
        """Store features (EPSG:28992) for the request; replaces an older entry."""
        key = cache_key(layer_id, source, bbox)
        self.directory.mkdir(parents=True, exist_ok=True)
        target = self.directory / f"{key}.gpkg"
        with atomic_path(target) as tmp:
            pyogrio.write_dataframe(
                frame, tmp, layer=_GPKG_LAYER, driver="GPKG", geometry_type="Unknown"
            )
        entry = CacheEntry(layer_id, source, bbox, fetched_at or now_iso(), target, len(frame))
        return self._record(key, entry)

    def put_raster(
        self,
        layer_id: str,
        source: str,
        bbox: BBox | None,
        raster: Path,
        *,
        fetched_at: str | None = None,
    ) -> CacheEntry:
        """Move a downloaded raster into the cache for the request."""
        key = cache_key(layer_id, source, bbox)
        self.directory.mkdir(parents=True, exist_ok=True)
        target = self.directory / f"{key}.tif"
        with atomic_path(target) as tmp:
            shutil.copyfile(raster, tmp)
        raster.unlink(missing_ok=True)
        entry = CacheEntry(layer_id, source, bbox, fetched_at or now_iso(), target, None)
        return self._record(key, entry)

    def get(self, layer_id: str, source: str, bbox: BBox | None) -> CacheEntry | None:
        """The entry for exactly this request, if cached."""
        record = self.directory / f"{cache_key(layer_id, source, bbox)}.json"
        entry = _load_record(record) if record.exists() else None
        return entry if entry is not None and entry.path.exists() else None

    def read(self, entry: CacheEntry) -> gpd.GeoDataFrame:
        """The cached features of a vector entry."""
        return pyogrio.read_dataframe(entry.path, layer=_GPKG_LAYER)

    def entries(self, layer_id: str | None = None) -> list[CacheEntry]:
        """All complete entries (of one layer), newest first."""
        if not self.directory.is_dir():
            return []
        found = [_load_record(p) for p in self.directory.glob("*.json")]
        return sorted(
            (e for e in found if e and e.path.exists() and layer_id in (None, e.layer_id)),
            key=lambda e: e.fetched_at,
            reverse=True,
        )

    def _record(self, key: str, entry: CacheEntry) -> CacheEntry:
        """Write the entry's JSON record last: from then on the entry is complete."""
        record = entry.to_dict() | {"path": entry.path.name}
        write_text(self.directory / f"{key}.json", json.dumps(record, ensure_ascii=False))
        return entry


def _load_record(path: Path) -> CacheEntry | None:
    """A cache record, or None when it is unreadable (a crash mid-write leaves none)."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        bbox = tuple(float(v) for v in raw["bbox"]) if raw["bbox"] else None
        return CacheEntry(
            layer_id=str(raw["layer_id"]),
            source=str(raw["source"]),
            bbox=bbox,  # type: ignore[arg-type]
            fetched_at=str(raw["fetched_at"]),
            path=path.parent / str(raw["path"]),
            features=raw.get("features"),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None

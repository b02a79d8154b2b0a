"""Snapshot files prepared once into GeoParquet (EPSG:28992) for fast loading.

A snapshot below the data root (GeoJSON, GeoPackage…) is read, reprojected to EPSG:28992 and
written as GeoParquet into the cache folder (`settings.cache_dir`, else
`$XDG_CACHE_HOME/locatiescan` or `~/.cache/locatiescan`; never the data root). Its metadata
records the source file (path, layer, size, modification time, SHA-256) and the GeoJSON's own
`peildatum`, so the date is known without parsing the source again. A prepared file is used
while size and modification time match; when they differ, the hash decides: same content is
reused, changed content is prepared again. Writes are atomic (`locatiescan.atomic`). A cache
folder that cannot be written only costs speed: the source is then read directly.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pyarrow.parquet as pq
import pyogrio

from locatiescan.atomic import atomic_path
from locatiescan.errors import SnapshotMissingError, SourceParseError
from locatiescan.layers.providers._parse import to_rd
from locatiescan.settings import settings

FORMAT = 1  # bump when the prepared form changes: every file is prepared again
PREPARED_DIR_NAME = "snapshots"
_ATTRS_KEY = "locatiescan_snapshot"
_JSON_SUFFIXES = {".geojson", ".json"}
_HEAD_BYTES = 65_536


def cache_root() -> Path:
    """The cache folder: `settings.cache_dir`, else $XDG_CACHE_HOME/locatiescan or
    ~/.cache/locatiescan."""
    configured = settings().cache_dir.strip()
    if configured:
        return Path(configured).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base).expanduser() / "locatiescan"


def prepared_dir() -> Path:
    """Where prepared snapshots are kept."""
    return cache_root() / PREPARED_DIR_NAME


@dataclass(frozen=True)
class SnapshotInfo:
    """What a prepared file records about its source."""

    source: str
    layer: str | None
    size: int
    mtime_ns: int
    sha256: str
    peildatum: str | None
    format: int = FORMAT

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form (stored in the GeoParquet metadata)."""
        return dict(self.__dict__)


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _target(path: Path, layer: str | None, directory: Path) -> Path:
    key = hashlib.sha1(json.dumps([str(path.resolve()), layer]).encode()).hexdigest()[:20]
    return directory / f"{path.stem[:40]}-{layer or 'all'}-{key}.parquet"


def _stored_info(target: Path) -> SnapshotInfo | None:
    """The metadata of a prepared file, read from its schema only; None when absent/unusable."""
    try:
        metadata = pq.read_schema(target).metadata or {}
        raw = json.loads(metadata[b"PANDAS_ATTRS"])[_ATTRS_KEY]
        return SnapshotInfo(**raw)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _check_exists(path: Path) -> os.stat_result:
    try:
        return path.stat()
    except OSError as err:
        msg = f"snapshot file missing: {path}"
        raise SnapshotMissingError(msg, f"snapshotbestand ontbreekt: {path}") from err


def read_direct(path: Path, layer: str | None) -> gpd.GeoDataFrame:
    """The source file itself, read and reprojected to EPSG:28992 (no cache)."""
    _check_exists(path)
    try:
        return to_rd(pyogrio.read_dataframe(path, layer=layer))
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as err:
        msg = f"{path}: cannot read: {err}"
        raise SourceParseError(msg, f"{path}: niet leesbaar: {err}") from err


def embedded_peildatum(path: Path) -> str | None:
    """A GeoJSON file's top-level `peildatum` member: from the members before `features` when
    it is there (the first 64 KB), else from the whole document (only when preparing)."""
    if path.suffix.lower() not in _JSON_SUFFIXES:
        return None
    try:
        with path.open("rb") as handle:
            head = handle.read(_HEAD_BYTES).decode("utf-8", errors="replace")
            cut = head.find('"features"')
            if cut > 0:
                with contextlib.suppress(ValueError):
                    members = json.loads(head[:cut].rstrip().rstrip(",") + "}")
                    if isinstance(members, dict) and members.get("peildatum"):
                        return str(members["peildatum"])
            handle.seek(0)
            document = json.load(handle)
    except (OSError, ValueError):
        return None
    value = document.get("peildatum") if isinstance(document, dict) else None
    return str(value) if value else None


def _fresh(info: SnapshotInfo | None, path: Path, layer: str | None, stat: os.stat_result) -> bool:
    """Whether a prepared file still stands for the source (same size and time, else same hash)."""
    if info is None or info.format != FORMAT or info.layer != layer:
        return False
    if (info.size, info.mtime_ns) == (stat.st_size, stat.st_mtime_ns):
        return True
    return info.sha256 == file_sha256(path)


def prepare(path: Path, layer: str | None, directory: Path | None = None) -> Path | None:
    """The prepared GeoParquet of a snapshot file (built or rebuilt when needed); None when the
    cache folder cannot be written."""
    stat = _check_exists(path)
    directory = directory or prepared_dir()
    target = _target(path, layer, directory)
    if _fresh(_stored_info(target), path, layer, stat):
        return target
    frame = read_direct(path, layer)
    info = SnapshotInfo(
        source=str(path.resolve()),
        layer=layer,
        size=stat.st_size,
        mtime_ns=stat.st_mtime_ns,
        sha256=file_sha256(path),
        peildatum=embedded_peildatum(path),
    )
    frame.attrs = {_ATTRS_KEY: info.to_dict()}
    try:
        directory.mkdir(parents=True, exist_ok=True)
        with atomic_path(target) as tmp:
            frame.to_parquet(tmp, index=False)
    except OSError:
        return None
    return target


def load(path: Path, layer: str | None, directory: Path | None = None) -> gpd.GeoDataFrame:
    """A snapshot file's features in EPSG:28992, from its prepared form when possible."""
    target = prepare(path, layer, directory)
    if target is None:
        return read_direct(path, layer)
    frame = gpd.read_parquet(target)
    frame.attrs = {}
    return frame


def peildatum(path: Path, layer: str | None, directory: Path | None = None) -> str | None:
    """A GeoJSON snapshot's own `peildatum`, from the prepared file's metadata."""
    if path.suffix.lower() not in _JSON_SUFFIXES:
        return None
    target = prepare(path, layer, directory)
    info = _stored_info(target) if target is not None else None
    return info.peildatum if info is not None else embedded_peildatum(path)


def source_sha256(path: Path, layer: str | None, directory: Path | None = None) -> str | None:
    """The SHA-256 of a snapshot file (from its prepared metadata); None when it is missing."""
    try:
        target = prepare(path, layer, directory)
    except SnapshotMissingError:
        return None
    except SourceParseError:
        return file_sha256(path)
    info = _stored_info(target) if target is not None else None
    return info.sha256 if info is not None else file_sha256(path)

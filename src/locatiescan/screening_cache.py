"""Screenings stored on disk, per location, so a page opens from them instead of screening.

A store folder belongs to one *version*: the code's format, the catalog (every file in
`layers/`, rules included), the data (SHA-256 of every snapshot file the catalog reads, taken
from the prepared snapshots' metadata) and the mode (offline; online screenings are reused on
the same UTC day only). Inside, each location's row is kept under a digest of what the
screening reads of it (id, `geometrie_kwaliteit`, geometry in EPSG:28992). Asking for
locations that are all stored reads their rows; new or edited locations are screened alone
and added. Screenings with a user's own theme layers are never stored.

Files (written atomically): `table.parquet` (rows, `_digest`), `context.parquet` (gemeente-wide
values), `meta.json` (provenance, problemen, niet_bepaald and the column types). Object columns
(numbers, texts, booleans and None mixed with NaN) are stored as one JSON text per cell, so a
stored screening reads back equal to a fresh one.
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import shapely

from locatiescan import __version__
from locatiescan.atomic import atomic_path, write_text
from locatiescan.layers import prepared
from locatiescan.layers.catalog import LayerDef, load_catalog
from locatiescan.layers.fetch import shipped_catalog
from locatiescan.layers.provenance import Provenance
from locatiescan.layers.providers.file import resolve_data_path
from locatiescan.overlay import OVERLAY_CRS
from locatiescan.paths import LAYERS_DIR
from locatiescan.screening import Screening, screen_locations
from locatiescan.settings import settings

FORMAT = 1  # bump when the stored form or the screening's output changes meaning
STORE_DIR_NAME = "screenings"
DIGEST = "_digest"
_META = "meta.json"
_TABLE = "table.parquet"
_CONTEXT = "context.parquet"


def catalog_version(directory: Path = LAYERS_DIR) -> str:
    """SHA-256 over the names and bytes of every file in the catalog folder."""
    digest = hashlib.sha256()
    for path in sorted(p for p in directory.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(directory)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _file_sources(catalog: Mapping[str, LayerDef]) -> list[tuple[Path, str | None]]:
    """(path, layer) of every local file the catalog's snapshots and coverages read."""
    found: dict[tuple[Path, str | None], None] = {}
    for layer in catalog.values():
        for snapshot in layer.snapshots():
            if snapshot.type == "file" and not snapshot.url and snapshot.path:
                raw = [snapshot.path] if isinstance(snapshot.path, str) else snapshot.path
                for path in raw:
                    found[(resolve_data_path(path), snapshot.layer)] = None
            if snapshot.dekking is not None:
                found[(resolve_data_path(snapshot.dekking.path), snapshot.dekking.layer)] = None
    return list(found)


def data_version(catalog: Mapping[str, LayerDef] | None = None) -> str:
    """SHA-256 over the content hashes of the snapshot files the catalog reads ("missing" for
    a file that is not there)."""
    catalog = shipped_catalog() if catalog is None else catalog
    digest = hashlib.sha256()
    for path, layer in sorted(_file_sources(catalog), key=lambda s: (str(s[0]), s[1] or "")):
        digest.update(f"{path}|{layer}|".encode())
        digest.update((prepared.source_sha256(path, layer) or "missing").encode())
    return digest.hexdigest()


def store_version(online: bool, catalog_dir: Path = LAYERS_DIR) -> str:
    """The store folder's name: format, code, catalog and data versions and the mode."""
    catalog = shipped_catalog() if catalog_dir == LAYERS_DIR else load_catalog(catalog_dir)
    mode = f"online-{datetime.now(UTC).date().isoformat()}" if online else "offline"
    parts = [str(FORMAT), __version__, catalog_version(catalog_dir), data_version(catalog), mode]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:24]


def location_digests(locations: gpd.GeoDataFrame) -> pd.Series:
    """Per location (index id) a digest of what the screening reads of it."""
    frame = locations.to_crs(OVERLAY_CRS)
    quality = (
        frame["geometrie_kwaliteit"].astype(str)
        if "geometrie_kwaliteit" in frame.columns
        else pd.Series("", index=frame.index)
    )
    digests = [
        hashlib.sha1(f"{i}|{q}|".encode() + (wkb or b"")).hexdigest()
        for i, q, wkb in zip(
            frame["id"].astype(str), quality, shapely.to_wkb(frame.geometry.to_numpy()), strict=True
        )
    ]
    return pd.Series(digests, index=pd.Index(frame["id"].to_numpy(), name="id"))


def _encode(frame: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, str]]:
    """Object columns as one JSON text per cell (exact round trip); the dtypes by column."""
    dtypes = {str(c): str(frame[c].dtype) for c in frame.columns}
    encoded = frame.copy()
    for column in frame.columns:
        if frame[column].dtype == object:
            encoded[column] = _as_json(frame[column])
    return encoded, dtypes


def _plain(value: object) -> object:
    """A numpy scalar as the Python value JSON can hold."""
    return value.item() if isinstance(value, np.generic) else value


def _objects(values: Iterable[object]) -> np.ndarray:
    """A 1-d object array of these values (lists stay cells, not a dimension)."""
    items = list(values)
    array = np.empty(len(items), dtype=object)
    for i, value in enumerate(items):
        array[i] = value
    return array


def _decode(frame: pd.DataFrame, dtypes: Mapping[str, str]) -> pd.DataFrame:
    """JSON text cells back to values; each distinct text parsed once (a column often holds
    one text on every row), every cell its own object."""
    for column, dtype in dtypes.items():
        if dtype == "object":
            positions, texts = pd.factorize(frame[column].to_numpy(dtype=object))
            parsed = _objects(json.loads(text) for text in texts)
            values = parsed[positions]
            if any(isinstance(v, (list, dict)) for v in parsed):
                values = _objects(copy.deepcopy(v) for v in values)
            frame[column] = pd.Series(values, index=frame.index, dtype=object)
    return frame


class ScreeningStore:
    """The stored screenings of one version in a folder below the cache folder."""

    def __init__(self, version: str, directory: Path | None = None) -> None:
        self.version = version
        root = directory or prepared.cache_root() / STORE_DIR_NAME
        self.directory = root / version

    def _meta(self) -> dict | None:
        try:
            return json.loads((self.directory / _META).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def get(self, digests: pd.Series) -> Screening | None:
        """The screening of exactly these locations when every one is stored, else None."""
        meta = self._meta()
        if meta is None:
            return None
        try:
            table = _read_rows(self.directory / _TABLE, digests, meta["dtypes"])
            context = _read_rows(
                self.directory / _CONTEXT, digests, meta["context_dtypes"], partial=True
            )
        except (OSError, ValueError, KeyError):
            return None
        if table is None:
            return None
        ids = set(map(str, digests.index))
        return Screening(
            table=table,
            provenance={k: Provenance(**v) for k, v in meta["provenance"].items()},
            problemen=dict(meta["problemen"]),
            niet_bepaald={k: v for k, v in meta["niet_bepaald"].items() if k in ids},
            gemeente_context=context if context is not None else table.iloc[0:0],
        )

    def known(self) -> set[str]:
        """Digests of the stored locations."""
        path = self.directory / _TABLE
        if self._meta() is None or not path.exists():
            return set()
        return set(pq.read_table(path, columns=[DIGEST]).column(DIGEST).to_pylist())

    def matches(self, screening: Screening) -> bool:
        """Whether a screening has the stored one's provenance and problems (so rows can mix)."""
        meta = self._meta()
        return meta is not None and (
            meta["provenance"] == {k: v.to_dict() for k, v in screening.provenance.items()}
            and meta["problemen"] == screening.problemen
        )

    def put(self, screening: Screening, digests: pd.Series, *, replace: bool = False) -> None:
        """Add a screening's rows (all rows replaced with `replace`); metadata written last."""
        table = screening.table.assign(**{DIGEST: digests.reindex(screening.table.index)})
        context = screening.gemeente_context.assign(
            **{DIGEST: digests.reindex(screening.gemeente_context.index)}
        )
        old = None if replace else self._meta()
        encoded, dtypes = _encode(table)
        encoded_context, context_dtypes = _encode(context)
        niet_bepaald = dict(screening.niet_bepaald)
        if old is not None:
            encoded, dtypes = _merged(self.directory / _TABLE, encoded, dtypes, old["dtypes"])
            encoded_context, context_dtypes = _merged(
                self.directory / _CONTEXT, encoded_context, context_dtypes, old["context_dtypes"]
            )
            niet_bepaald = {**old["niet_bepaald"], **niet_bepaald}
        self.directory.mkdir(parents=True, exist_ok=True)
        (self.directory / _META).unlink(missing_ok=True)  # incomplete until the meta is back
        for frame, name in ((encoded, _TABLE), (encoded_context, _CONTEXT)):
            with atomic_path(self.directory / name) as tmp:
                frame.to_parquet(tmp)
        meta = {
            "version": self.version,
            "dtypes": {k: v for k, v in dtypes.items() if k != DIGEST},
            "context_dtypes": {k: v for k, v in context_dtypes.items() if k != DIGEST},
            "provenance": {k: v.to_dict() for k, v in screening.provenance.items()},
            "problemen": screening.problemen,
            "niet_bepaald": niet_bepaald,
        }
        write_text(self.directory / _META, json.dumps(meta, ensure_ascii=False))


def _read_rows(
    path: Path, digests: pd.Series, dtypes: Mapping[str, str], *, partial: bool = False
) -> pd.DataFrame | None:
    """The stored rows of these digests in their order (index id); None when one is missing
    (with `partial`: whichever are stored)."""
    wanted = list(dict.fromkeys(digests.tolist()))
    found = pq.read_table(path, filters=[(DIGEST, "in", wanted)]).to_pandas()
    found = found.drop_duplicates(DIGEST, keep="last").set_index(DIGEST)
    if partial:
        chosen = [d for d in digests.tolist() if d in found.index]
        rows = found.loc[chosen]
        rows.index = pd.Index([i for i, d in digests.items() if d in found.index], name="id")
    else:
        if not set(wanted) <= set(found.index):
            return None
        rows = found.loc[digests.tolist()]
        rows.index = pd.Index(digests.index.to_numpy(), name="id")
    rows = rows.drop(columns=["id"], errors="ignore")
    return _decode(rows.copy(), dtypes)


def _merged(
    path: Path, new: pd.DataFrame, dtypes: Mapping[str, str], stored_dtypes: Mapping[str, str]
) -> tuple[pd.DataFrame, dict[str, str]]:
    """Stored rows followed by the new ones, both encoded (nothing decoded); a digest stored
    again keeps the new row. A column whose type differs (bool beside None) becomes JSON text."""
    stored = pd.read_parquet(path)
    stored = stored[~stored[DIGEST].isin(new[DIGEST])]
    merged = dict(dtypes)
    for column, old in stored_dtypes.items():
        if dtypes.get(column, old) == old:
            continue
        if old != "object":
            stored[column] = _as_json(stored[column])
        if dtypes[column] != "object":
            new[column] = _as_json(new[column])
        merged[column] = "object"
    return pd.concat([stored, new]), merged


def _as_json(values: pd.Series) -> list[str]:
    return [json.dumps(_plain(v)) for v in values.tolist()]


def screen_stored(
    locations: gpd.GeoDataFrame,
    *,
    online: bool | None = None,
    store: ScreeningStore | None = None,
) -> Screening:
    """The screening of every catalog layer for `locations`, from the store where possible.

    Stored rows are read; locations not stored (new, or edited: another digest) are screened
    alone and added. When their sources differ from the stored ones (another provenance or
    problem), everything is screened again and the store replaced.
    """
    online = settings().online if online is None else online
    store = store or ScreeningStore(store_version(online))
    digests = location_digests(locations)
    found = store.get(digests)
    if found is not None:
        return found
    known = store.known()
    missing = ~digests.isin(known).to_numpy()
    if known and missing.any() and not missing.all():
        fresh = screen_locations(locations.loc[missing], online=online)
        if store.matches(fresh):
            _try_put(store, fresh, digests[missing])
            found = store.get(digests)
            if found is not None:
                return found
    fresh = screen_locations(locations, online=online)
    _try_put(store, fresh, digests, replace=True)
    return fresh


def _try_put(store: ScreeningStore, screening: Screening, digests: pd.Series, **kw: bool) -> None:
    """Store if possible: an unwritable cache folder or an unstorable value only costs speed."""
    try:
        store.put(screening, digests, **kw)
    except (OSError, ValueError, TypeError):
        pass

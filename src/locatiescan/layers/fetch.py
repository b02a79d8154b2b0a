"""The fetch chain: online sources in priority order, then the cache, then the offline snapshot.

Every fallback leaves a visible Dutch warning in the provenance, e.g. "PDOK WFS …: time-out,
geen antwoord binnen 20 s (3 poging(en)); offline snapshot van 2026-08-04 gebruikt".
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from locatiescan.errors import InputError, LocatiescanError, SourceError
from locatiescan.layers.cache import LayerCache, now_iso
from locatiescan.layers.catalog import (
    PRIMARY_SNAPSHOT,
    SNAPSHOT_COLUMN,
    LayerDef,
    SnapshotDef,
    SourceDef,
    load_catalog,
)
from locatiescan.layers.provenance import Provenance, ProvenanceKind
from locatiescan.layers.providers import (
    BBox,
    Fetched,
    HttpOptions,
    Provider,
    clip_to_bbox,
    make_provider,
)
from locatiescan.layers.providers._parse import RD
from locatiescan.layers.providers.file import FileProvider
from locatiescan.settings import settings

UNKNOWN_DATE = "onbekend"
CUSTOM_SOURCE_WARNING = (
    "Eigen bron opgegeven (--url): licentie en attributie van de catalogus gelden mogelijk niet"
)


@dataclass
class LayerData:
    """A layer's features (EPSG:28992, canonical field names) or raster file, with provenance."""

    gdf: gpd.GeoDataFrame
    provenance: Provenance
    raster_path: Path | None = None


@lru_cache(maxsize=1)
def shipped_catalog() -> dict[str, LayerDef]:
    """The shipped catalog, read once per process."""
    return load_catalog()


def resolve_layer(layer: LayerDef | str) -> LayerDef:
    """A catalog layer by id (or the definition itself); unknown ids are bad input."""
    if isinstance(layer, LayerDef):
        return layer
    layers = shipped_catalog()
    if layer not in layers:
        known = ", ".join(sorted(layers))
        msg = f"unknown layer {layer!r}; known layers: {known}"
        raise InputError(msg, f"onbekende laag {layer!r}; beschikbare lagen: {known}")
    return layers[layer]


def check_bbox(bbox: Any) -> BBox | None:
    """A bbox as four finite floats with min < max; text 'minx,miny,maxx,maxy' is accepted."""
    if bbox is None:
        return None
    parts = bbox.split(",") if isinstance(bbox, str) else list(bbox)
    try:
        values = tuple(float(v) for v in parts)
    except (TypeError, ValueError):
        values = ()
    problems = []
    if len(values) != 4 or not all(math.isfinite(v) for v in values):
        problems.append("needs four numbers minx,miny,maxx,maxy")
    elif not (values[0] < values[2] and values[1] < values[3]):
        problems.append("needs minx < maxx and miny < maxy")
    if problems:
        msg = f"invalid bbox {bbox!r}: {'; '.join(problems)} (EPSG:28992 metres)"
        nl = f"ongeldige bbox {bbox!r}: geef minx,miny,maxx,maxy met min < max (RD, meter)"
        raise InputError(msg, nl)
    return values  # type: ignore[return-value]


def apply_velden(frame: gpd.GeoDataFrame, velden: dict[str, str]) -> gpd.GeoDataFrame:
    """Rename source attributes to canonical names; other columns are kept."""
    present = {src: dst for src, dst in velden.items() if src in frame.columns and src != dst}
    return frame.rename(columns=present) if present else frame


def get_layer(
    layer: LayerDef | str,
    bbox: Any = None,
    *,
    online: bool | None = None,
    url: str | None = None,
    typename: str | None = None,
    cache: LayerCache | None = None,
    http: HttpOptions | None = None,
) -> LayerData:
    """A layer's data through the chain online → cache → snapshot.

    `url` + `typename` replace the catalog's online sources by that WFS (no snapshot fallback
    then: the caller asked for that service, so it is asked even when settings say offline,
    unless `online=False` is passed). `online=None` follows settings.online.
    """
    definition = resolve_layer(layer)
    box = check_bbox(bbox)
    sources = _sources(definition, url, typename)
    if online is None:
        online = url is not None or settings().online
    cache = cache or LayerCache()
    http = http or HttpOptions.from_settings()
    providers = [make_provider(s, http=http, workdir=cache.download_dir) for s in sources]

    failures: list[SourceError] = []
    for provider in providers:
        if provider.online and not online:
            continue
        try:
            fetched = provider.fetch(box)
        except SourceError as err:
            failures.append(err)
            continue
        except InputError:
            raise
        except Exception as err:  # noqa: BLE001 - any other fault of an online source: fall back
            failures.append(as_source_error(err, provider.label))
            continue
        return _live(definition, provider, fetched, box=box, cache=cache, custom=url is not None)

    offline_note = ["Offline gewerkt, online bronnen niet geprobeerd"] if providers else []
    reasons = [err.nl for err in failures] or offline_note
    cached = _from_cache(definition, providers, box, cache, reasons)
    if cached is not None:
        return cached
    if url is None and definition.snapshot is not None:
        return _from_snapshot(definition, definition.snapshot, box, http, reasons)
    detail = "; ".join(err.en for err in failures) or "no online source tried, no cache entry"
    msg = f"layer {definition.id!r}: no source gave data: {detail}"
    raise SourceError(
        msg, f"laag {definition.id!r}: geen enkele bron leverde data: {'; '.join(reasons)}"
    )


def as_source_error(err: Exception, label: str) -> SourceError:
    """Any fault of a source as a `SourceError` (the chain then falls back)."""
    msg = f"{label}: failed ({type(err).__name__}: {err})"
    return SourceError(msg, f"{label}: mislukt ({type(err).__name__}: {err})")


def _sources(definition: LayerDef, url: str | None, typename: str | None) -> list[SourceDef]:
    """The online sources to try: an explicit WFS, else the catalog's."""
    if (url is None) != (typename is None):
        msg = "--url and --typename go together"
        raise InputError(msg, "--url en --typename horen bij elkaar")
    if url is not None:
        return [SourceDef(type="wfs", url=url, typename=typename)]
    if not (definition.bronnen or definition.snapshot):
        inputs = ", ".join(definition.invoer)
        msg = f"layer {definition.id!r} is derived from {inputs}; fetch those layers instead"
        raise InputError(msg, f"laag {definition.id!r} is afgeleid van {inputs}; haal die lagen op")
    return list(definition.bronnen)


def _live(
    definition: LayerDef,
    provider: Provider,
    fetched: Fetched,
    *,
    box: BBox | None,
    cache: LayerCache,
    custom: bool,
) -> LayerData:
    """Data just read from an online source (stored in the cache) or a local source."""
    warnings = [CUSTOM_SOURCE_WARNING] if custom else []
    if provider.online:
        if fetched.raster_path is not None:
            entry = cache.put_raster(definition.id, fetched.source, box, fetched.raster_path)
            fetched.raster_path = entry.path
        else:
            cache.put(definition.id, fetched.source, box, fetched.gdf)
    return _result(
        definition,
        fetched,
        kind="live",
        date=fetched.date or now_iso(),
        warnings=warnings,
        extra=_extra_snapshots(definition, box, online=True),
    )


def _from_cache(
    definition: LayerDef,
    providers: list[Provider],
    box: BBox | None,
    cache: LayerCache,
    reasons: list[str],
) -> LayerData | None:
    """The freshest cache entry for this bbox (or for the whole layer, clipped)."""
    for provider in (p for p in providers if p.online):
        for wanted in [box, None] if box is not None else [None]:
            entry = cache.get(definition.id, provider.location, wanted)
            if entry is None:
                continue
            if entry.features is None:
                fetched = Fetched(source=entry.source, raster_path=entry.path)
            else:
                fetched = Fetched(source=entry.source, gdf=clip_to_bbox(cache.read(entry), box))
            warnings = ["; ".join([*reasons, f"cache van {entry.fetched_at} gebruikt"])]
            return _result(
                definition,
                fetched,
                kind="cache",
                date=entry.fetched_at,
                warnings=warnings,
                extra=_extra_snapshots(definition, box, online=True),
            )
    return None


def _from_snapshot(
    definition: LayerDef,
    snapshot: SourceDef,
    box: BBox | None,
    http: HttpOptions,
    reasons: list[str],
) -> LayerData:
    """The offline snapshot, with the reasons it was needed and the layer's known gaps."""
    provider = make_provider(snapshot, http=http)
    fetched = provider.fetch(box)
    date = fetched.date or UNKNOWN_DATE
    why = reasons or ["Geen online bron ingesteld"]
    warnings = ["; ".join([*why, f"offline snapshot van {date} gebruikt"]), *definition.hiaten]
    return _result(
        definition,
        fetched,
        kind="snapshot",
        date=date,
        warnings=warnings,
        extra=_extra_snapshots(definition, box, online=False),
    )


@dataclass
class _Extra:
    """A further snapshot read for a layer, with its date."""

    snapshot: SnapshotDef
    fetched: Fetched


def _extra_snapshots(definition: LayerDef, box: BBox | None, *, online: bool) -> list[_Extra]:
    """The layer's further snapshots (`aanvullingen`); with online data only `ook_online` ones."""
    return [
        _Extra(snapshot, make_provider(snapshot).fetch(box))
        for snapshot in definition.aanvullingen
        if snapshot.ook_online or not online
    ]


def _labelled(
    definition: LayerDef, frame: gpd.GeoDataFrame, snapshot: SnapshotDef | None
) -> gpd.GeoDataFrame:
    """Canonical names (snapshot's, then layer's), the snapshot id column, the name suffix."""
    frame = apply_velden(
        apply_velden(frame, snapshot.velden if snapshot else {}), definition.velden
    )
    frame = frame.copy()
    frame[SNAPSHOT_COLUMN] = snapshot.id if snapshot else PRIMARY_SNAPSHOT
    if snapshot is not None and snapshot.naam_toevoeging and "naam" in frame.columns:
        frame["naam"] = frame["naam"].astype("string") + f" ({snapshot.naam_toevoeging})"
    return frame


def _result(
    definition: LayerDef,
    fetched: Fetched,
    *,
    kind: ProvenanceKind,
    date: str,
    warnings: list[str],
    extra: list[_Extra] | None = None,
) -> LayerData:
    """Canonical names applied, further snapshots added, provenance attached (an empty frame
    for a raster). Source and date are the primary's; each further snapshot is named with its
    date and source in the warnings."""
    features = fetched.gdf
    if features is None:
        features = gpd.GeoDataFrame(geometry=gpd.GeoSeries([], crs=RD))
    frames = [_labelled(definition, features, definition.snapshot)]
    for item in extra or []:
        frames.append(_labelled(definition, item.fetched.gdf, item.snapshot))
        label = item.snapshot.label or item.snapshot.id
        item_date = item.fetched.date or UNKNOWN_DATE
        warnings = [
            *warnings,
            f"Aanvulling {label} (peildatum {item_date}) toegevoegd uit {item.fetched.source}",
        ]
    combined = frames[0]
    if len(frames) > 1:
        combined = gpd.GeoDataFrame(
            pd.concat(frames, ignore_index=True), geometry="geometry", crs=RD
        )
    provenance = Provenance(
        layer_id=definition.id,
        source=fetched.source,
        kind=kind,
        date=date,
        licentie=definition.licentie,
        attributie=definition.attributie,
        warnings=warnings,
    )
    return LayerData(gdf=combined, provenance=provenance, raster_path=fetched.raster_path)


def layer_status(
    layer: LayerDef | str,
    *,
    check: bool = False,
    cache: LayerCache | None = None,
    http: HttpOptions | None = None,
) -> dict[str, Any]:
    """What the `layers` command shows: sources (reachable when `check`), snapshot, cache.

    A check sends one request per online source, without retries.
    """
    definition = resolve_layer(layer)
    cache = cache or LayerCache()
    http = replace(http or HttpOptions.from_settings(), retries=0)
    online_sources = []
    for source in definition.bronnen:
        provider = make_provider(source, http=http)
        status: dict[str, Any] = {
            "type": source.type,
            "url": source.url or provider.location,
            "naam": source.typename or source.collection or source.coverage,
            "beschrijving": source.beschrijving,
            "bereikbaar": None,
            "fout": None,
        }
        if check:
            try:
                provider.probe()
                status["bereikbaar"] = True
            except LocatiescanError as err:
                status["bereikbaar"], status["fout"] = False, err.nl
        online_sources.append(status)
    return {
        "id": definition.id,
        "titel": definition.titel,
        "thema": definition.thema,
        "licentie": definition.licentie,
        "attributie": definition.attributie,
        "online": online_sources,
        "snapshot": _snapshot_status(definition.snapshot, http),
        "cache": [e.to_dict() for e in cache.entries(definition.id)],
        "invoer": definition.invoer,
        "metrics": definition.metric_names(),
        "hiaten": definition.hiaten,
    }


def _snapshot_status(snapshot: SourceDef | None, http: HttpOptions) -> dict[str, Any] | None:
    """Path(s), presence and peildatum of the offline snapshot."""
    if snapshot is None:
        return None
    provider = make_provider(snapshot, http=http)
    try:
        provider.probe()
        present, problem = True, None
    except LocatiescanError as err:
        present, problem = False, err.nl
    date = snapshot.peildatum.isoformat() if snapshot.peildatum else None
    if present and date is None and isinstance(provider, FileProvider):
        date = provider.snapshot_date()
    return {"pad": provider.location, "aanwezig": present, "peildatum": date, "fout": problem}

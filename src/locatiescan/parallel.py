"""Partitioned screening: the same `screen_locations`, run over spatially coherent chunks.

Each location's metrics depend only on that location and the layers (the layer fetch per chunk
widens its bounding box by the layer's search radius), so screening chunk by chunk and
concatenating gives the same table as one pass. Three executors, chosen by the caller:

- in process (`workers=1`, the default);
- a local process pool over chunks (`workers=N`), each process loading the layers once;
- a Dask cluster (`scheduler="tcp://host:8786"` or `$LOCATIESCAN_DASK`): the same chunks are
  scattered to the cluster's workers (the data goes straight to the workers, not through the
  scheduler's task graph) and each chunk is screened as one task there.

Chunks are cut along a Hilbert curve (geopandas' `hilbert_distance`, as dask-geopandas' spatial
shuffle does) so that each chunk covers a compact area and fetches only the layer features near
it. There are at least as many chunks as workers and at most `locations_per_partition` locations
per chunk: every chunk loads its layers once, so larger chunks amortise that fixed cost.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from itertools import pairwise
from pathlib import Path

import geopandas as gpd
import pandas as pd

from locatiescan.errors import InputError
from locatiescan.layers.provenance import Provenance
from locatiescan.screening import Screening, screen_locations

DASK_ENV = "LOCATIESCAN_DASK"
# Large enough that loading the layers (about 1-2 s per chunk and layer set) stays a small part of
# a chunk's work, small enough that a chunk's overlay tables stay well below a gigabyte.
LOCATIONS_PER_PARTITION = 25_000


def dask_address(scheduler: str | None = None) -> str | None:
    """The Dask scheduler to use: the argument, else $LOCATIESCAN_DASK, else None (no Dask)."""
    address = scheduler or os.environ.get(DASK_ENV) or None
    if address is not None and not address.startswith(("tcp://", "tls://", "inproc://")):
        msg = f"Dask scheduler address must start with tcp:// or tls://, got {address!r}"
        nl = f"Het adres van de Dask-scheduler moet met tcp:// of tls:// beginnen, niet {address!r}"
        raise InputError(msg, nl)
    return address


def spatial_chunks(locations: gpd.GeoDataFrame, n_chunks: int) -> list[gpd.GeoDataFrame]:
    """`locations` split into `n_chunks` compact groups (Hilbert order), each in input order."""
    n_chunks = max(1, min(n_chunks, len(locations)))
    order = locations.geometry.hilbert_distance().to_numpy().argsort(kind="stable")
    bounds = [round(i * len(locations) / n_chunks) for i in range(n_chunks + 1)]
    return [
        locations.iloc[sorted(order[start:stop])]
        for start, stop in pairwise(bounds)
        if stop > start
    ]


def merge_screenings(parts: Iterable[Screening], ids: pd.Index) -> Screening:
    """One Screening from chunk results: rows back in `ids` order, provenance, problems, withheld
    gemeente-level rows and their context merged (warnings of the same layer from different
    chunks are kept once each)."""
    parts = list(parts)
    table = pd.concat([p.table for p in parts]).reindex(ids)
    contexts = [p.gemeente_context for p in parts if not p.gemeente_context.empty]
    context = pd.concat(contexts) if contexts else pd.DataFrame()
    context = context.reindex([i for i in ids if i in context.index])
    provenance: dict[str, Provenance] = {}
    problemen: dict[str, str] = {}
    niet_bepaald: dict[str, str] = {}
    for part in parts:
        problemen.update(part.problemen)
        niet_bepaald.update(part.niet_bepaald)
        for layer_id, prov in part.provenance.items():
            seen = provenance.get(layer_id)
            if seen is None:
                provenance[layer_id] = prov
            else:
                extra = [w for w in prov.warnings if w not in seen.warnings]
                seen.warnings.extend(extra)
    return Screening(
        table=table,
        provenance=provenance,
        problemen=problemen,
        niet_bepaald={i: niet_bepaald[i] for i in ids if i in niet_bepaald},
        gemeente_context=context,
    )


def _screen_chunk(
    chunk: gpd.GeoDataFrame,
    *,
    layer_ids: list[str] | None,
    online: bool | None,
    overrides: dict[str, str] | None,
) -> Screening:
    return screen_locations(chunk, layer_ids, online=online, overrides=overrides)


def screen_partitioned(
    locations: gpd.GeoDataFrame,
    layer_ids: Iterable[str] | None = None,
    *,
    workers: int = 1,
    scheduler: str | None = None,
    online: bool | None = None,
    overrides: Mapping[str, str | Path] | None = None,
    locations_per_partition: int = LOCATIONS_PER_PARTITION,
) -> Screening:
    """`screen_locations` over chunks: in process, on `workers` local processes, or on the Dask
    cluster at `scheduler` (or $LOCATIESCAN_DASK). The result equals a single pass."""
    if workers < 1:
        msg = f"workers must be at least 1, got {workers}"
        raise InputError(msg, f"het aantal workers moet minstens 1 zijn, niet {workers}")
    if locations.empty:
        return screen_locations(locations, layer_ids, online=online, overrides=overrides)
    wanted = None if layer_ids is None else list(layer_ids)
    themes = {k: str(v) for k, v in (overrides or {}).items()} or None
    ids = pd.Index(locations["id"].to_numpy(), name="id")
    address = dask_address(scheduler)
    task = partial(_screen_chunk, layer_ids=wanted, online=online, overrides=themes)
    if address is not None:
        parts = _on_dask(locations, address, task, locations_per_partition)
    elif workers == 1:
        return screen_locations(locations, wanted, online=online, overrides=overrides)
    else:
        chunks = spatial_chunks(
            locations, _n_chunks(len(locations), workers, locations_per_partition)
        )
        with ProcessPoolExecutor(max_workers=workers) as pool:
            parts = list(pool.map(task, chunks))
    return merge_screenings(parts, ids)


def _n_chunks(n_locations: int, workers: int, per_partition: int) -> int:
    """At least one chunk per worker, at most `per_partition` locations per chunk."""
    return max(workers, -(-n_locations // per_partition))


def _on_dask(
    locations: gpd.GeoDataFrame,
    address: str,
    task: Callable[[gpd.GeoDataFrame], Screening],
    per_partition: int,
) -> list[Screening]:
    """Screen Hilbert chunks as tasks on the cluster at `address`, one chunk per task."""
    from distributed import Client

    with Client(address, set_as_default=False) as client:
        workers = max(1, len(client.scheduler_info()["workers"]))
        chunks = spatial_chunks(locations, _n_chunks(len(locations), workers, per_partition))
        scattered = client.scatter(chunks)  # straight to the workers
        parts: list[Screening] = client.gather(client.map(task, scattered, pure=False))
        return parts

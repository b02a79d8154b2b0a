"""Partitioned screening and scoring: the same `screen_locations` and `score`, run over chunks.

Each location's metrics depend only on that location and the layers (the layer fetch per chunk
widens its bounding box by the layer's search radius), so screening chunk by chunk and
concatenating gives the same table as one pass. Three executors, chosen by the caller:

- in process (`workers=1`, the default), chunk after chunk when there are more locations than
  fit in one (smaller pair tables, faster than one pass over all of them);
- a local process pool over chunks (`workers=N`);
- a Dask cluster (`scheduler="tcp://host:8786"` or `$LOCATIESCAN_DASK`): the same chunks are
  scattered to the cluster's workers (the data goes straight to the workers, not through the
  scheduler's task graph) and each chunk is screened as one task there.

Chunks are cut along a Hilbert curve (geopandas' `hilbert_distance`, as dask-geopandas' spatial
shuffle does) so that each chunk covers a compact area and fetches only the layer features near
it. There are at least as many chunks as workers and at most `locations_per_partition` locations
per chunk: every chunk loads its layers once, so larger chunks amortise that fixed cost.

Scoring (`score_partitioned`) scores chunks of locations in process or on a local process pool;
only the ranks compare locations, so they are computed afterwards over all of them.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import partial
from itertools import pairwise
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
from pandas.api.types import union_categoricals

from locatiescan.errors import InputError
from locatiescan.layers.provenance import Provenance
from locatiescan.location_table import id_index, location_ids
from locatiescan.scoring.engine import (
    ScoreResult,
    ScoringInput,
    conditions_table,
    rank_columns,
    score,
)
from locatiescan.scoring.model import ScoringModel
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
        locations.iloc[np.sort(order[start:stop])]
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
    context = pd.concat(contexts) if contexts else table.iloc[:0]  # empty: as a single pass
    context = context.reindex(ids[ids.isin(context.index)])
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
        niet_bepaald={i: niet_bepaald[i] for i in ids[ids.isin(list(niet_bepaald))]},
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
    ids = id_index(locations)
    address = dask_address(scheduler)
    task = partial(_screen_chunk, layer_ids=wanted, online=online, overrides=themes)
    if address is not None:
        parts = _on_dask(locations, address, task, locations_per_partition)
    elif workers == 1 and len(locations) <= locations_per_partition:
        return screen_locations(locations, wanted, online=online, overrides=overrides)
    elif workers == 1:  # chunk by chunk: smaller pair tables, each chunk's layers near it
        chunks = spatial_chunks(locations, _n_chunks(len(locations), 1, locations_per_partition))
        parts = [task(chunk) for chunk in chunks]
    else:
        chunks = spatial_chunks(
            locations, _n_chunks(len(locations), workers, locations_per_partition)
        )
        gc.freeze()  # forked workers then share the objects made so far instead of copying them
        try:
            with ProcessPoolExecutor(max_workers=workers) as pool:
                parts = list(pool.map(task, chunks))
        finally:
            gc.unfreeze()
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


# -- scoring ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _ScreeningPart:
    """The rows of a screening for one chunk, with the screening's problems (reasons) and the
    chunk's withheld gemeente-level rows."""

    table: pd.DataFrame
    problemen: dict[str, str]
    niet_bepaald: dict[str, str]


def score_partitioned(
    model: ScoringModel,
    inputs: ScoringInput,
    *,
    workers: int = 1,
    locations_per_partition: int = LOCATIONS_PER_PARTITION,
) -> ScoreResult:
    """`scoring.score` over chunks of locations (in process or on `workers` local processes).

    Every per-location figure depends only on that location's inputs; the ranks and rank
    intervals, which compare locations, are computed afterwards over all of them
    (`engine.rank_columns`), and the long tables are put back in the single-pass order, so the
    result equals `score(model, inputs)`.
    """
    if workers < 1:
        msg = f"workers must be at least 1, got {workers}"
        raise InputError(msg, f"het aantal workers moet minstens 1 zijn, niet {workers}")
    ids = location_ids(inputs.locations)
    n_chunks = _n_chunks(len(ids), workers, locations_per_partition)
    if n_chunks <= 1 or len(ids) < 2:
        return score(model, inputs)
    positions = [p for p in np.array_split(np.arange(len(ids)), n_chunks) if len(p)]
    parts_in = [_inputs_part(inputs, ids[p], p) for p in positions]
    if workers == 1:
        parts = [score(model, part) for part in parts_in]
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            parts = list(pool.map(partial(score, model), parts_in))
    return _combine(model, inputs, parts, [len(p) for p in positions])


def _inputs_part(inputs: ScoringInput, ids: pd.Index, rows: np.ndarray) -> ScoringInput:
    """The inputs of the locations at `rows` (whose ids are `ids`)."""
    screening = inputs.screening
    if screening is not None and not isinstance(screening, pd.DataFrame):
        problems = dict(getattr(screening, "problemen", None) or {})
        withheld = dict(getattr(screening, "niet_bepaald", None) or {})
        chunk = {i: withheld[i] for i in ids if i in withheld}
        screening = _ScreeningPart(_rows_of(screening.table, ids), problems, chunk)
    else:
        screening = _rows_of(screening, ids)
    return ScoringInput(
        inputs.locations.iloc[rows],
        screening,
        _rows_of(inputs.indicators, ids),
        _rows_of(inputs.answers, ids),
        voortgang=_rows_of(inputs.voortgang, ids),
    )


def _rows_of(frame: pd.DataFrame | None, ids: pd.Index) -> pd.DataFrame | None:
    """The rows of `frame` (keyed by column `id` or its index, as the engine reads it) for `ids`;
    repeated keys stay in order, so the engine keeps the same first row."""
    if frame is None:
        return None
    keys = frame["id"] if "id" in frame.columns else frame.index
    return frame[pd.Index(keys).astype(str).isin(ids)]


def _combine(
    model: ScoringModel, inputs: ScoringInput, parts: list[ScoreResult], sizes: list[int]
) -> ScoreResult:
    """One result from chunk results: ranks over all locations, the explanation in one-pass
    order. The conditions table is tested again over all locations (`toets` is cheap), as the
    dtypes pandas infers for its columns depend on the values of all locations together."""
    table = pd.concat([p.table for p in parts])
    ranks = rank_columns(
        table["ontvankelijk"].to_numpy(),
        table["dekking"].to_numpy(),
        table["totaal_min"].to_numpy(),
        table["totaal_max"].to_numpy(),
    )
    for column, values in ranks.items():
        table[column] = values
    return ScoreResult(
        model,
        table,
        _item_major([p.explanation for p in parts], sizes),
        pd.concat([p.ratios for p in parts]),
        pd.concat([p.bonus_points for p in parts]),
        conditions_table(model, inputs),
    )


def _item_major(frames: list[pd.DataFrame], sizes: list[int]) -> pd.DataFrame:
    """Long tables of chunks, each item by item over the chunk's locations, as one table item by
    item over all locations (the engine's order); categoricals get the union of categories."""
    n = sum(sizes)
    offsets = np.cumsum([0, *sizes[:-1]])
    target = np.concatenate(
        [
            (np.arange(len(f)) // size) * n + offset + np.arange(len(f)) % size
            for f, size, offset in zip(frames, sizes, offsets, strict=True)
        ]
    )
    columns: dict[str, object] = {}
    for column in frames[0].columns:
        pieces = [f[column] for f in frames]
        if isinstance(pieces[0].dtype, pd.CategoricalDtype):
            union = union_categoricals(pieces, sort_categories=True)
            kind = pieces[0].cat.categories.dtype  # union_categoricals may infer another one
            columns[column] = pd.Categorical.from_codes(
                union.codes, pd.Index(union.categories, dtype=kind)
            )
        else:
            columns[column] = pd.concat(pieces, ignore_index=True)
    combined = pd.DataFrame(columns, columns=frames[0].columns)
    order = np.empty(len(target), dtype=np.int64)
    order[target] = np.arange(len(target))
    return combined.take(order).reset_index(drop=True)

"""Partitioned screening: chunks, a local process pool and a real Dask LocalCluster give exactly
the single-process result."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from locatiescan.errors import InputError
from locatiescan.parallel import dask_address, screen_partitioned, spatial_chunks
from locatiescan.registry import load_locations
from locatiescan.screening import screen_locations


@pytest.fixture(scope="module")
def locations() -> gpd.GeoDataFrame:
    """The 43 policy locations plus 200 EIB plans spread over the country (every 20th)."""
    policy = load_locations(["koploper", "doorbraak", "grootschalig"])
    plans = load_locations(["plancapaciteit"]).iloc[::20].head(200)
    return pd.concat([policy, plans], ignore_index=True)


@pytest.fixture(scope="module")
def single(locations: gpd.GeoDataFrame):
    return screen_locations(locations, online=False)


def test_spatial_chunks_cover_every_location_once() -> None:
    squares = gpd.GeoDataFrame(
        {"id": [f"L{i}" for i in range(10)]},
        geometry=[shapely.box(i * 1000, 0, i * 1000 + 10, 10) for i in range(10)],
        crs=28992,
    )
    chunks = spatial_chunks(squares, 3)
    assert [len(c) for c in chunks] == [3, 4, 3]  # round(10/3)=3, round(20/3)=7, 10
    assert sorted(i for c in chunks for i in c["id"]) == sorted(squares["id"])
    # along a line the Hilbert order keeps neighbours together: each chunk is contiguous
    for chunk in chunks:
        xs = sorted(int(i[1:]) for i in chunk["id"])
        assert xs == list(range(xs[0], xs[0] + len(xs)))


def test_process_pool_equals_single_pass(locations, single) -> None:
    pooled = screen_partitioned(locations, workers=2, online=False, locations_per_partition=60)
    pd.testing.assert_frame_equal(pooled.table, single.table)
    assert pooled.provenance.keys() == single.provenance.keys()
    assert pooled.problemen == single.problemen
    assert pooled.niet_bepaald == single.niet_bepaald and len(single.niet_bepaald) > 0
    pd.testing.assert_frame_equal(pooled.gemeente_context, single.gemeente_context)


def test_one_process_chunk_after_chunk_equals_single_pass(locations, single) -> None:
    chunked = screen_partitioned(locations, workers=1, online=False, locations_per_partition=60)
    pd.testing.assert_frame_equal(chunked.table, single.table)
    assert chunked.problemen == single.problemen and chunked.niet_bepaald == single.niet_bepaald
    pd.testing.assert_frame_equal(chunked.gemeente_context, single.gemeente_context)


def test_merged_chunks_without_gemeente_level_rows_equal_a_single_pass(locations) -> None:
    plans = locations[locations["type"] == "plancapaciteit"].head(40)  # real plan polygons
    one = screen_locations(plans, ["gemeenten"], online=False)
    assert one.gemeente_context.empty and not one.niet_bepaald
    merged = screen_partitioned(
        plans, ["gemeenten"], workers=2, online=False, locations_per_partition=15
    )
    pd.testing.assert_frame_equal(merged.table, one.table)
    pd.testing.assert_frame_equal(merged.gemeente_context, one.gemeente_context)
    assert merged.niet_bepaald == {}


# The cluster runs in a fresh interpreter: worker processes are spawned from the process that
# starts the LocalCluster, and a long pytest session (captured streams, in-process CLI runs) is
# no clean parent for them. The result comes back as a pickle and is compared here.
DASK_RUN = """
import pickle, sys
import distributed
import geopandas as gpd

from locatiescan.parallel import screen_partitioned


def main() -> None:
    locations = gpd.read_parquet(sys.argv[1])
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        screened = screen_partitioned(
            locations, scheduler=cluster.scheduler_address, online=False,
            locations_per_partition=60,
        )
        workers = len(cluster.scheduler_info["workers"])
    with open(sys.argv[2], "wb") as out:
        pickle.dump((workers, screened.table, sorted(screened.provenance), screened.niet_bepaald), out)


if __name__ == "__main__":
    main()
"""


def test_dask_local_cluster_equals_single_pass(locations, single, tmp_path) -> None:
    (tmp_path / "run.py").write_text(DASK_RUN, encoding="utf-8")
    locations.to_parquet(tmp_path / "locations.parquet")
    done = subprocess.run(
        [sys.executable, str(tmp_path / "run.py"), str(tmp_path / "locations.parquet"),
         str(tmp_path / "result.pickle")],
        capture_output=True, text=True, timeout=600, check=False,
        env={**os.environ, "LOCATIESCAN_ONLINE": "0"},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-4000:]
    with (tmp_path / "result.pickle").open("rb") as handle:
        workers, table, layers, niet_bepaald = pickle.load(handle)
    assert workers == 2
    pd.testing.assert_frame_equal(table, single.table)
    assert layers == sorted(single.provenance)
    assert niet_bepaald == single.niet_bepaald


def test_dask_address_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LOCATIESCAN_DASK", raising=False)
    assert dask_address(None) is None
    monkeypatch.setenv("LOCATIESCAN_DASK", "tcp://127.0.0.1:8786")
    assert dask_address(None) == "tcp://127.0.0.1:8786"
    with pytest.raises(InputError) as err:
        dask_address("http://127.0.0.1:8786")
    assert "tcp://" in err.value.nl


def test_workers_must_be_positive(locations) -> None:
    with pytest.raises(InputError):
        screen_partitioned(locations, workers=0)

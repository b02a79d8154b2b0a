"""Layer access speed: the fetch chain's offline paths against plain file reads, same run.

- snapshot (warm): `get_layer(id, online=False)`, the snapshot held in memory per process and
                   copied per call, velden applied   vs  `geopandas.read_file` of the snapshot
                   (what a caller without the in-memory snapshot would do on every call)
- cache hit:       `get_layer(...)` served from the GeoPackage cache (as after a failed online
                   fetch)                             vs  the same warm snapshot path
- prepared:        the snapshot's prepared GeoParquet (`layers.prepared.load`, what a new process
                   reads)                             vs  reading and reprojecting the source file

Prints median times (A/B alternated) and ratios for natura2000 (160 areas) and netcongestie
(1,431 polygons). Not a test: run it by hand.

    .venv/bin/python bench/bench_layers.py [--repeats 5]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd

from locatiescan.layers import prepared
from locatiescan.layers.cache import LayerCache
from locatiescan.layers.catalog import SourceDef
from locatiescan.layers.fetch import get_layer, resolve_layer
from locatiescan.layers.providers.file import FileProvider

LAYERS = ["natura2000", "netcongestie"]
FAKE_SOURCE = "http://127.0.0.1:9/unreachable"  # a cache entry for an online source that is down


def timed(call: Callable[[], object]) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def compare(
    name: str, ours: Callable[[], object], baseline: Callable[[], object], repeats: int
) -> None:
    ours_t, base_t = [], []
    for _ in range(repeats):  # A/B alternated
        ours_t.append(timed(ours))
        base_t.append(timed(baseline))
    a, b = statistics.median(ours_t), statistics.median(base_t)
    print(f"{name:42s} ours {a * 1000:8.1f} ms   baseline {b * 1000:8.1f} ms   ratio {b / a:7.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        cache = LayerCache(Path(folder))
        for layer_id in LAYERS:
            layer = resolve_layer(layer_id)
            [path] = FileProvider(layer.snapshot).paths()
            compare(
                f"{layer_id}: prepared vs direct read",
                lambda path=path, layer=layer: prepared.load(path, layer.snapshot.layer),
                lambda path=path, layer=layer: prepared.read_direct(path, layer.snapshot.layer),
                args.repeats,
            )
            warm = get_layer(layer, online=False, cache=cache)  # fills the in-memory snapshot
            compare(
                f"{layer_id}: snapshot warm vs read_file",
                lambda layer=layer: get_layer(layer, online=False, cache=cache),
                lambda path=path: gpd.read_file(path),
                args.repeats,
            )
            down = layer.model_copy(
                update={"bronnen": [SourceDef(type="wfs", url=FAKE_SOURCE, typename="x")]}
            )
            cache.put(layer_id, FAKE_SOURCE, None, warm.gdf)
            compare(
                f"{layer_id}: cache hit vs snapshot warm",
                lambda down=down: get_layer(down, online=False, cache=cache),
                lambda layer=layer: get_layer(layer, online=False, cache=cache),
                args.repeats,
            )


if __name__ == "__main__":
    main()

"""Scale: screening + scoring of 4k, 40k and 200k locations, one process vs 2 local processes vs
a Dask LocalCluster with 1 and 2 workers. Prints time, peak RSS, the scaling curve and the
speed-up per added worker. Not a test.

Target (issue: instant map, screening at the I/O floor, kansenkaart on Dask): 200,000 locations
screened and scored in <= 30 s and <= 1.5 GB peak on 2 cores.

Input: 4k = the real policy locations and EIB plans (offline registry). 40k and 200k are
*benchmark-only* squares: each is placed at a randomly chosen real EIB plan's centroid, jittered
by a normal offset (sd 1.5 km), with the side of a square of that plan's area (clipped to
40..1,500 m) and that plan's attributes; they exist only inside this script.

Each configuration runs in its own subprocess so its peak RSS is its own. Peak memory is reported
twice: the main process's peak RSS (`getrusage`), and the peak of the summed PSS (proportional
set size: pages shared between forked processes counted once) of the main process and all its
descendants (pool or Dask worker processes), sampled every 0.1 s with psutil. The load average
(`os.getloadavg`, 1 min) at the start and end of every run is printed with its figures: other
work on this machine slows the runs down. "CPU s" is the user + system time of all processes of
the run (imports and cluster start included), which load affects much less than wall time.

Screening: every layer with metrics, offline (`screen_partitioned`); scoring: the Kansrijk
Bouwen preset with the gemeente indicators, one pass in the main process.

    .venv/bin/python bench/bench_scale.py [--sizes 4390 40000 200000]
        [--modes single pool2 dask1 dask2] [--target-repeats 3]

The target line runs the fastest mode at the largest size `--target-repeats` times in all
(the table's run included) and reports the median time and the highest peak memory: the
same work takes 45-62 CPU seconds on this shared machine from one run to the next.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MODES = ("single", "pool2", "dask1", "dask2")
SIZES = (4_390, 40_000, 200_000)  # 4,390: every real location (policy + EIB plans)
CHILD = r"""
import importlib, json, os, resource, sys, threading, time

import psutil

n, mode = int(sys.argv[1]), sys.argv[2]
sys.path.insert(0, sys.argv[3])
from bench_scale import benchmark_locations

peak = {"sum": 0}
cpu = {}  # pid -> user + system seconds, last seen (pool and Dask workers included)
stop = threading.Event()

def sample():
    me = psutil.Process()
    while not stop.is_set():
        total = 0
        for proc in [me, *me.children(recursive=True)]:
            try:
                total += proc.memory_full_info().pss  # shared pages counted once
                cpu[proc.pid] = sum(proc.cpu_times()[:2])
            except psutil.Error:
                pass
        peak["sum"] = max(peak["sum"], total)
        stop.wait(0.1)

threading.Thread(target=sample, daemon=True).start()
load_start = os.getloadavg()[0]
started = time.perf_counter()
from locatiescan.indicators import indicators_for_locations
from locatiescan.parallel import screen_partitioned
from locatiescan.paths import SCORING_DIR
from locatiescan.scoring import ScoringInput, load_model, score

locations = benchmark_locations(n)
t_input = time.perf_counter()
cluster, kwargs = None, {}
if mode.startswith("dask"):
    import distributed
    cluster = distributed.LocalCluster(n_workers=int(mode[4:]), threads_per_worker=1,
                                       processes=True, dashboard_address=None)
    kwargs = {"scheduler": cluster.scheduler_address}
    with distributed.Client(cluster.scheduler_address, set_as_default=False) as client:
        client.run(importlib.import_module, "locatiescan.screening")  # warm-up: imports
elif mode.startswith("pool"):
    kwargs = {"workers": int(mode[4:])}
t_cluster = time.perf_counter()
screening = screen_partitioned(locations, online=False, **kwargs)
t_screen = time.perf_counter()
model = load_model(SCORING_DIR / "kansrijk_bouwen.yaml")
result = score(model, ScoringInput(locations, screening, indicators_for_locations(locations)))
t_score = time.perf_counter()
if cluster is not None:
    cluster.close()
stop.set()
cpu[os.getpid()] = sum(psutil.Process().cpu_times()[:2])
print(json.dumps({
    "n": len(locations), "mode": mode,
    "imports_input_s": t_input - started, "cluster_s": t_cluster - t_input,
    "screen_s": t_screen - t_cluster, "score_s": t_score - t_screen,
    "work_s": t_score - t_cluster,
    "explanation_rows": len(result.explanation),
    "rss_main_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "rss_child_max_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    "rss_sum_mb": peak["sum"] / 2**20,
    "load": [load_start, os.getloadavg()[0]],
    "cpu_s": sum(cpu.values()),
}))
"""


def benchmark_locations(n: int, seed: int = 13):  # -> GeoDataFrame (imported lazily)
    """`n` locations: the real ones when `n` is at most their number, else benchmark squares."""
    import geopandas as gpd
    import numpy as np
    import pandas as pd
    import shapely

    from locatiescan.registry import load_locations

    real = load_locations(["koploper", "doorbraak", "grootschalig", "plancapaciteit"])
    if n <= len(real):
        return real.head(n).reset_index(drop=True)
    plans = load_locations(["plancapaciteit"]).reset_index(drop=True)
    rng = np.random.default_rng(seed)
    pick = rng.integers(0, len(plans), n)
    centre = plans.geometry.centroid.get_coordinates().to_numpy()[pick]
    centre += rng.normal(0.0, 1_500.0, (n, 2))
    half = np.clip(np.sqrt(plans.geometry.area.to_numpy()[pick]), 40.0, 1_500.0) / 2
    squares = shapely.box(centre[:, 0] - half, centre[:, 1] - half, centre[:, 0] + half,
                          centre[:, 1] + half)  # fmt: skip
    frame = pd.DataFrame(plans.drop(columns="geometry").iloc[pick]).reset_index(drop=True)
    frame["id"] = [f"bench-{i:06d}" for i in range(n)]
    frame["naam"] = [f"Benchmarkvlak {i}" for i in range(n)]
    for column in ("binnen", "zelfde_site_als"):
        if column in frame:
            frame[column] = pd.NA
    frame["area_ha"] = (2 * half) ** 2 / 10_000
    return gpd.GeoDataFrame(frame, geometry=squares, crs=plans.crs)


def run(n: int, mode: str) -> dict:
    env = {**os.environ, "LOCATIESCAN_ONLINE": "0"}
    env.setdefault("LOCATIESCAN_DATA", str(ROOT.parent / "shared" / "data"))
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(n), mode, str(Path(__file__).parent)],
        capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        sys.exit(f"{mode} at {n}: failed\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--modes", nargs="+", choices=MODES, default=list(MODES))
    parser.add_argument(
        "--target-repeats",
        type=int,
        default=3,
        help="runs of the fastest mode at the largest size for the target (median time)",
    )
    args = parser.parse_args()
    print(
        f"cores: {os.cpu_count()}; times exclude imports/input and cluster start + worker imports (shown apart)"
    )
    head = f"{'n':>8} {'mode':>7} {'screen s':>9} {'score s':>8} {'total s':>8} "
    print(
        head
        + f"{'cluster s':>9} {'RSS main MB':>11} {'PSS sum MB':>10} {'CPU s':>6}  load 1m start/end"
    )
    results: dict[tuple[int, str], dict] = {}
    for n in args.sizes:
        for mode in args.modes:
            r = results[n, mode] = run(n, mode)
            print(
                f"{r['n']:>8,} {mode:>7} {r['screen_s']:>9.1f} {r['score_s']:>8.1f} "
                f"{r['work_s']:>8.1f} {r['cluster_s']:>9.1f} {r['rss_main_mb']:>11.0f} "
                f"{r['rss_sum_mb']:>10.0f} {r['cpu_s']:>6.0f}  {r['load'][0]:.1f}/{r['load'][1]:.1f}",
                flush=True,
            )
    print("\nscaling curve (total s per 1,000 locations):")
    for mode in args.modes:
        cells = [f"{n:,}: {1000 * results[n, mode]['work_s'] / n:.2f}" for n in args.sizes]
        print(f"  {mode:>7}  " + "  ".join(cells))
    if "dask1" in args.modes and "dask2" in args.modes:
        print("\nspeed-up of the 2nd Dask worker (dask1 / dask2 total time):")
        for n in args.sizes:
            ratio = results[n, "dask1"]["work_s"] / results[n, "dask2"]["work_s"]
            print(f"  {n:>8,}: {ratio:.2f}x")
    if "single" in args.modes and "pool2" in args.modes:
        print("speed-up of 2 local processes over one (single / pool2 total time):")
        for n in args.sizes:
            ratio = results[n, "single"]["work_s"] / results[n, "pool2"]["work_s"]
            print(f"  {n:>8,}: {ratio:.2f}x")
    largest = max(args.sizes)
    best = min((results[largest, m] for m in args.modes), key=lambda r: r["work_s"])
    runs = [best] + [run(largest, best["mode"]) for _ in range(args.target_repeats - 1)]
    seconds = statistics.median(r["work_s"] for r in runs)
    peak = max(r["rss_sum_mb"] for r in runs)
    each = ", ".join(f"{r['work_s']:.1f} s ({r['cpu_s']:.0f} CPU s)" for r in runs)
    print(
        f"\ntarget {largest:,} locations <= 30 s and <= 1.5 GB, fastest mode {best['mode']} "
        f"run {len(runs)} times: {each}\n  median {seconds:.1f} s ({seconds / 30:.2f}x the "
        f"target), highest peak PSS (all processes) {peak:.0f} MB ({peak / 1536:.2f}x the target)"
    )


if __name__ == "__main__":
    main()

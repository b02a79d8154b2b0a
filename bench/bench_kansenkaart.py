"""Kansenkaart: the whole country at 100 m and 50 m, time and peak RSS of each run.

Targets (issue: instant map, kansenkaart on Dask): 100 m in <= 120 s and <= 2 GB on this 2-core
machine, and memory that does not grow with the grid (50 m peak RSS close to 100 m: the work is
chunked by window). Each run is a separate process so its peak RSS is its own. Not a test.

    .venv/bin/python bench/bench_kansenkaart.py [--model scoring/kansrijk_bouwen.yaml]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHILD = """
import resource, sys
from locatiescan.cli.main import run
sys.argv = ["locatiescan", "kansenkaart", "--model", sys.argv[1], "--out", sys.argv[2],
            "--resolutie", sys.argv[3]]
try:
    run()
except SystemExit as stop:
    if stop.code:
        raise
print("RSS_KB", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
"""


def one_run(model: Path, resolution: int, folder: Path) -> dict[str, float]:
    out = folder / f"kansen_{resolution}m.tif"
    env = {**os.environ, "LOCATIESCAN_ONLINE": "0"}
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(model), str(out), str(resolution)],
        capture_output=True, text=True, env=env, check=True,
    )  # fmt: skip
    seconds = time.perf_counter() - started
    rss_kb = int(done.stderr.split("RSS_KB")[-1].split()[0])
    cells = json.loads(done.stdout)["cellen"]
    return {"seconden": seconds, "piek_rss_mb": rss_kb / 1024, "cellen": cells,
            "bestand_mb": out.stat().st_size / 1e6}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=ROOT / "scoring" / "kansrijk_bouwen.yaml")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        runs = {res: one_run(args.model, res, Path(tmp)) for res in (100, 50)}
    for res, figures in runs.items():
        print(
            f"{res:>4} m: {figures['cellen']:>11,} cells  {figures['seconden']:6.1f} s  "
            f"peak RSS {figures['piek_rss_mb']:6.0f} MB  file {figures['bestand_mb']:.1f} MB"
        )
    t100, m100, m50 = runs[100]["seconden"], runs[100]["piek_rss_mb"], runs[50]["piek_rss_mb"]
    print(f"target 100 m <= 120 s: {t100:.1f} s ({t100 / 120:.2f}x of the target)")
    print(f"target 100 m <= 2048 MB: {m100:.0f} MB ({m100 / 2048:.2f}x of the target)")
    print(f"memory growth 50 m / 100 m (4x the cells): {m50 / m100:.2f}x")


if __name__ == "__main__":
    main()

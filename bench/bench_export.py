"""Export and workspace speed on the 43 real policy locations, against baselines in the same run.

- map image:   `export.mapimage.location_map_image` (matplotlib collections, one draw, with
               the offline context basemap and label placement) vs `GeoDataFrame.plot` per
               layer + `savefig` PNG (the obvious way, without context: ours does more)
- shortlist PDF: 43 locations with Natura 2000 overlay (landscape overview + a section per
               location), total and per location (no baseline:
               the figure that decides whether the app needs a progress bar)
- workspace write: `Workspace.record_decision` (fresh connection, BEGIN IMMEDIATE, WAL,
               synchronous=FULL, one transaction per call) vs raw inserts on one open
               connection with one commit each (the cost of the safety per write)
- workspace read: `Workspace.locations()` of the 43 locations stored as WKB + JSON

Prints median times (A/B alternated) and ratios. Not a test: run it by hand.

    .venv/bin/python bench/bench_export.py [--repeats 3]
"""

from __future__ import annotations

import argparse
import io
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from locatiescan.export import shortlist_report_pdf
from locatiescan.export.mapimage import location_map_image, map_extent
from locatiescan.paths import data_file
from locatiescan.registry import load_locations
from locatiescan.workspace import Workspace

DECISIONS_PER_RUN = 100


def baseline_map(locations: gpd.GeoDataFrame, overlay: gpd.GeoDataFrame) -> bytes:
    """The obvious way: GeoDataFrame.plot per layer, then savefig to PNG."""
    extent = map_extent(locations, 17 / 11)
    figure = Figure(figsize=(17 / 2.54, 11 / 2.54), dpi=150)
    FigureCanvasAgg(figure)
    axes = figure.add_axes((0, 0, 1, 1))
    overlay.cx[extent[0] : extent[2], extent[1] : extent[3]].plot(ax=axes, color="green", alpha=0.3)
    locations.plot(ax=axes, color="red", alpha=0.35)
    axes.set_xlim(extent[0], extent[2])
    axes.set_ylim(extent[1], extent[3])
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def timed(call: Callable[[], object]) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def median_pair(
    a: Callable[[], object], b: Callable[[], object], repeats: int
) -> tuple[float, float]:
    """Median times of `a` and `b`, run alternately."""
    times_a, times_b = [], []
    for _ in range(repeats):
        times_a.append(timed(a))
        times_b.append(timed(b))
    return statistics.median(times_a), statistics.median(times_b)


def raw_decisions(path: Path) -> None:
    conn = sqlite3.connect(path)
    for n in range(DECISIONS_PER_RUN):
        conn.execute(
            "INSERT INTO decisions (location_id, model_id, decision, note, who, at)"
            " VALUES (?, 'm', 'aangehouden', '', 'bench', 't')",
            (f"L{n}",),
        )
        conn.commit()
    conn.close()


def workspace_decisions(workspace: Workspace) -> None:
    for n in range(DECISIONS_PER_RUN):
        workspace.record_decision(f"L{n}", "m", "aangehouden", "", "bench")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    repeats = parser.parse_args().repeats

    locations = load_locations()
    natura = gpd.read_file(data_file("natura2000/natura2000_nl_rd_simplified2m.gpkg"))
    one = locations[locations["id"] == "DB-07"]  # Arnhem: gemeente polygon next to the Veluwe
    overlays = {"Natura 2000": natura}

    print(f"{'measure':42} {'locatiescan':>12} {'baseline':>10} {'ratio':>7}")
    ours, base = median_pair(
        lambda: location_map_image(one, overlays), lambda: baseline_map(one, natura), repeats
    )
    print(f"{'map image, one location':42} {ours:11.3f}s {base:9.3f}s {base / ours:6.1f}x")

    pdf_time = timed(lambda: shortlist_report_pdf(locations, overlays=overlays))
    per_location = pdf_time / len(locations)
    print(
        f"{'shortlist PDF, 43 locations':42} {pdf_time:11.2f}s {'':>10} "
        f"{per_location:5.2f}s/locatie"
    )

    with tempfile.TemporaryDirectory() as folder:
        workspace = Workspace.open(Path(folder) / "ws.sqlite")
        raw = Workspace.open(Path(folder) / "raw.sqlite")
        ours, base = median_pair(
            lambda: workspace_decisions(workspace), lambda: raw_decisions(raw.path), repeats
        )
        label = f"workspace: {DECISIONS_PER_RUN} decisions"
        print(f"{label:42} {ours:11.3f}s {base:9.3f}s {base / ours:6.2f}x")
        workspace.add_locations(locations, "bench", "bench")
        read = statistics.median(timed(workspace.locations) for _ in range(repeats))
        print(f"{'workspace: read 43 locations':42} {read:11.3f}s")


if __name__ == "__main__":
    main()

"""Screening speed against its I/O floor, and the Kaart's first paint against a bare page.

Every figure is a fresh process (fixed costs count), offline, with ratios measured in the same
run, A/B alternated (median of the repeats); `uptime`'s load average is printed with each part,
as the 2 cores are shared.

- `screen` of all registry locations (43 policy locations + 4,348 EIB plans) with every layer,
  written as CSV, vs the *floor*: a process that only imports pyogrio/geopandas, reads and
  decodes every input file the screening reads (the catalog's snapshots and coverages, the
  registry's CSV and GeoPackage) and reprojects them to EPSG:28992. Cold = empty cache folder
  (snapshots prepared, screening stored on the way); warm = prepared snapshots present.
  Target: warm ≤ 1.5× the floor. The peer: DuckDB spatial computing 11 of the screening's
  columns for the same locations from the same files (`peer_duckdb.py`; the locations are given
  as a GeoPackage written beforehand, untimed), checked against ours. Target: ours ≤ DuckDB.
- Kaart first paint, in the browser: a new server (`streamlit run`, as `make run` starts it) is
  started; once it answers its health check, headless Chromium opens the Kaart and the clock
  runs until the page's run has ended and the map shows its locations. The same for a page with
  only a title (bare). The app server (`app/server.py`) runs the default page once before it
  accepts users; the figure without that warm-up (`app/streamlit_app.py`) is printed too, and
  every server's start time (to its health check). Warm = prepared snapshots and the stored
  screening present (a restarted server); cold = empty cache folder. Target ≤ 3× bare.
- Warm Kaart interactions, server side: in one AppTest session, the rerun after a filter
  change, a location choice and the EIB plans switched on or off (median of the warm repeats).
  Target ≤ 0.5 s each.

    .venv/bin/python bench/bench_screen.py [--repeats 3]
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
import pyogrio
from playwright.sync_api import Page, expect

from locatiescan.layers.fetch import shipped_catalog
from locatiescan.paths import data_root
from locatiescan.registry import EIB_FILE, LINK_FILE, POLICY_FILE, load_locations
from locatiescan.screening_cache import _file_sources

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from support_browser import APP, app_server, offline_browser

PYTHON = sys.executable
TYPES = ["koploper", "doorbraak", "grootschalig", "plancapaciteit"]

FLOOR = """
import json, sys
import pandas as pd, pyogrio
for path, layer in json.loads(sys.argv[1]):
    if path.endswith(".csv"):
        pd.read_csv(path)
        continue
    frame = pyogrio.read_dataframe(path, layer=layer)
    if frame.crs is not None and frame.crs.to_epsg() != 28992:
        frame = frame.to_crs(28992)
"""

STORED = """
import sys
from locatiescan.registry import load_locations
from locatiescan.screening_cache import screen_stored
screening = screen_stored(load_locations(sys.argv[1].split(",")), online=False)
screening.table.to_csv(sys.argv[2])
"""

INTERACTIONS = """
import json, statistics, sys, time
from streamlit.testing.v1 import AppTest
sys.path.insert(0, sys.argv[2])
at = AppTest.from_file(sys.argv[1], default_timeout=600)
at.session_state["gebruiker"] = ""
at.run()
steps = {
    "filter (Programma)": [lambda: at.multiselect(key="typen").set_value(["doorbraak"]),
                           lambda: at.multiselect(key="typen").set_value([])],
    "select a location": [lambda: at.selectbox(key="locatie").set_value("DB-04"),
                          lambda: at.selectbox(key="locatie").set_value("KL-03")],
    "EIB plans on/off": [lambda: at.checkbox(key="eib").set_value(True),
                         lambda: at.checkbox(key="eib").set_value(False)],
}
times = {}
for label, actions in steps.items():
    for action in actions * 2:  # the first pass warms the caches; the last two count
        action()
        start = time.perf_counter()
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        times.setdefault(label, []).append(time.perf_counter() - start)
print(json.dumps({k: statistics.median(v[2:]) for k, v in times.items()}))
"""

BARE_PAGE = 'import streamlit as st\n\nst.title("Leeg")\n'


def load() -> str:
    """The 1, 5 and 15 minute load averages (as `uptime` shows them)."""
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def run(args: list[str], env: dict[str, str]) -> tuple[float, str]:
    """Wall time of a process and its output; stops the bench when it fails."""
    start = time.perf_counter()
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"failed: {' '.join(args[:4])}…\n{done.stderr[-2000:]}")
    return elapsed, done.stdout


def inputs() -> list[tuple[str, str | None]]:
    """Every file the screening of the registry reads (path, layer)."""
    root = data_root()
    files = [(str(p), layer) for p, layer in _file_sources(shipped_catalog())]
    files += [(str(root / f), None) for f in (POLICY_FILE, LINK_FILE)]
    return [*files, (str(root / EIB_FILE), None)]


def environment(cache: Path, workspace: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        LOCATIESCAN_ONLINE="0",
        XDG_CACHE_HOME=str(cache),
        LOCATIESCAN_WORKSPACE=str(workspace),
        LOCATIESCAN_DATA=str(data_root()),
    )
    return env


def peer_agreement(ours_csv: Path, peer_csv: Path) -> tuple[int, int, float, list[str]]:
    """(columns, locations compared, largest numeric difference, columns that differ) of the
    peer's columns against ours, over the locations with values of their own."""
    ours = pd.read_csv(ours_csv, low_memory=False).set_index("id")
    peer = pd.read_csv(peer_csv).set_index("id").reindex(ours.index)
    own = ours["niet_bepaald"].isna()
    largest, differ = 0.0, []
    for column in peer.columns:
        a, b = ours.loc[own, column], peer.loc[own, column]
        if pd.api.types.is_numeric_dtype(a) and pd.api.types.is_numeric_dtype(b):
            both = a.notna() & b.notna()
            gap = float((a[both] - b[both]).abs().max()) if both.any() else 0.0
            largest = max(largest, gap)
            same = bool((a.isna() == b.isna()).all()) and gap < 1e-6
        else:
            same = bool((a.astype(object).fillna("") == b.astype(object).fillna("")).all())
        if not same:
            differ.append(column)
    return len(peer.columns), int(own.sum()), largest, differ


def screen_part(repeats: int, folder: Path) -> None:
    files = json.dumps(inputs())
    floor_cmd = [PYTHON, "-c", FLOOR, files]
    out = folder / "screen.csv"
    screen_cmd = [PYTHON, "-m", "locatiescan", "screen", "--offline", "--format", "csv"]
    screen_cmd += [a for t in TYPES for a in ("--type", t)] + ["--out", str(out)]
    cache = folder / "cache-screen"
    env = environment(cache, folder / "ws-screen.sqlite")
    print(f"== screen of the registry ({len(json.loads(files))} input files); load {load()}")
    cold, _ = run(screen_cmd, env)
    stored_cmd = [PYTHON, "-c", STORED, ",".join(TYPES), str(folder / "stored.csv")]
    run(stored_cmd, env)  # fills the store
    places = folder / "locaties.gpkg"  # the peer's input: the same locations, in EPSG:28992
    pyogrio.write_dataframe(load_locations(TYPES)[["id", "geometry"]], places, layer="locaties")
    peer_out = folder / "peer.csv"
    peer_cmd = [PYTHON, str(ROOT / "bench" / "peer_duckdb.py"), str(places), str(data_root())]
    peer_cmd.append(str(peer_out))
    floors, warms, stored, peers = [], [], [], []
    for _ in range(repeats):
        floors.append(run(floor_cmd, env)[0])
        warms.append(run(screen_cmd, env)[0])
        stored.append(run(stored_cmd, env)[0])
        peers.append(run(peer_cmd, env)[0])
    floor, warm = statistics.median(floors), statistics.median(warms)
    from_store, peer = statistics.median(stored), statistics.median(peers)
    rows = sum(1 for _ in out.open(encoding="utf-8")) - 1
    print(f"floor (read, decode, reproject)   {floor:6.2f} s")
    print(
        f"screen warm (prepared snapshots)  {warm:6.2f} s   {warm / floor:4.2f}x floor (target ≤ 1.5x)"
    )
    print(f"screen cold (empty cache folder)  {cold:6.2f} s   {cold / floor:4.2f}x floor")
    print(
        f"stored screening (screen_stored)  {from_store:6.2f} s   {from_store / floor:4.2f}x floor"
        " (a process that only reads the store)"
    )
    columns, compared, largest, differ = peer_agreement(out, peer_out)
    print(
        f"DuckDB spatial, {columns} columns     {peer:6.2f} s   ours (warm, every column) "
        f"{warm / peer:4.2f}x DuckDB (target ≤ 1x)"
    )
    agree = "identical" if not differ else f"DIFFERENT in {', '.join(differ)}"
    print(f"  {agree} to ours for {compared} locations (largest difference {largest:.1e})")
    print(f"{rows} locations screened; load after {load()}")


MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
LOCATION_PATHS = "path.locatiescan-locatie"
PAINT_TIMEOUT_MS = 300_000


def first_paint(page: Page, script: Path, workspace: Path, title: str) -> tuple[float, float]:
    """A new server for `script`: seconds until it answers its health check, and seconds from
    opening its default page until the run has ended (and on the Kaart, the map is drawn)."""
    start = time.perf_counter()
    with app_server(workspace, script) as server:
        started = time.perf_counter() - start
        start = time.perf_counter()
        page.goto(server.url)
        expect(page.locator("h1").first).to_have_text(title, timeout=PAINT_TIMEOUT_MS)
        app = page.locator('[data-testid="stApp"]')
        expect(app).to_have_attribute(
            "data-test-script-state", "notRunning", timeout=PAINT_TIMEOUT_MS
        )
        if title == "Kaart":
            frame = page.frame_locator(MAP_FRAME).first
            frame.locator(LOCATION_PATHS).first.wait_for(timeout=PAINT_TIMEOUT_MS)
        return started, time.perf_counter() - start


def kaart_part(repeats: int, folder: Path) -> None:
    bare = folder / "bare_page.py"
    bare.write_text(BARE_PAGE, encoding="utf-8")
    plain = ROOT / "app" / "streamlit_app.py"
    os.environ.update(environment(folder / "cache-kaart", folder / "unused.sqlite"))
    print(f"\n== Kaart first paint in Chromium, a new server each time; load {load()}")
    times: dict[str, list[tuple[float, float]]] = {}
    with offline_browser() as browser:
        page = browser.page()
        cold = first_paint(page, APP, folder / "ws-cold.sqlite", "Kaart")
        first_paint(page, bare, folder / "ws-bare.sqlite", "Leeg")  # browser cache
        variants = {
            "bare page": (bare, "Leeg"),
            "Kaart, app server (warm-up)": (APP, "Kaart"),
            "Kaart, no warm-up": (plain, "Kaart"),
        }
        for index in range(repeats):
            for label, (script, title) in variants.items():
                workspace = folder / f"ws-{index}-{script.stem}.sqlite"
                times.setdefault(label, []).append(first_paint(page, script, workspace, title))
    bare_paint = statistics.median(paint for _, paint in times["bare page"])
    for label, pairs in [*times.items(), ("Kaart, app server, empty cache", [cold])]:
        started = statistics.median(s for s, _ in pairs)
        paint = statistics.median(p for _, p in pairs)
        target = " (target ≤ 3x)" if label == "Kaart, app server (warm-up)" else ""
        print(
            f"{label:32s} server start {started:5.2f} s   first paint {paint:5.2f} s"
            f"   {paint / bare_paint:4.2f}x bare{target}"
        )
    entry, app_dir = str(plain), str(ROOT / "app")
    env = environment(folder / "cache-kaart", folder / "ws-kaart.sqlite")
    _, output = run([PYTHON, "-c", INTERACTIONS, entry, app_dir], env)
    for label, seconds in json.loads(output.splitlines()[-1]).items():
        print(f"warm rerun: {label:23s} {seconds:6.2f} s  server side (target ≤ 0.5 s)")
    print(f"load after {load()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--part", choices=["all", "screen", "kaart"], default="all")
    args = parser.parse_args()
    # This machine sets PYTHONDONTWRITEBYTECODE, so every process would compile Locatiescan's
    # own modules again (the floor only imports precompiled site-packages). Compile them once,
    # as a wheel install does, so both sides start from bytecode.
    compileall.compile_dir(ROOT / "src", quiet=1)
    compileall.compile_dir(ROOT / "app", quiet=1)
    print("own modules precompiled (as a wheel install does)")
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        if args.part in ("all", "screen"):
            screen_part(args.repeats, folder)
        if args.part in ("all", "kaart"):
            kaart_part(args.repeats, folder)


if __name__ == "__main__":
    main()

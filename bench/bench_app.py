"""App speed on real data, measured with the browser harness (not a test): prints a table.

Run: `.venv/bin/python bench/bench_app.py [--repeat N]`.

Page loads (navigation -> page settled, map drawn on Kaart) per page: the first session after the
app server started (`app/server.py`, whose warm-up ran the Kaart once) and warm; Kaart with and without the 4,348 EIB plans; interactions
(filter change -> map redrawn, weight change -> ranking updated); the folium payload (bytes of
the map script streamlit-folium sends) with and without display simplification. Ratios are
against a baseline measured in the same run, as absolute times drift between machines.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import geopandas as gpd

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from playwright.sync_api import Page, expect
from streamlit_folium import _get_header, _get_map_string

from locatiescan.layers.catalog import load_catalog
from locatiescan.layers.fetch import get_layer
from locatiescan.paths import data_file
from locatiescan.registry import load_locations
from locatiescan.ui import mapview
from locatiescan.ui.overlays import EIB_TOOLTIP, eib_overlay_from, overlay_for_layer
from support_browser import app_server, offline_browser

TIMEOUT_MS = 300_000
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
LOCATION_PATHS = "path.locatiescan-locatie"


def settle(page: Page) -> None:
    app = page.locator('[data-testid="stApp"]')
    try:
        expect(app).to_have_attribute("data-test-script-state", "running", timeout=1500)
    except AssertionError:
        pass
    expect(app).to_have_attribute("data-test-script-state", "notRunning", timeout=TIMEOUT_MS)


def load(page: Page, url: str, title: str, with_map: bool) -> float:
    start = time.perf_counter()
    page.goto(url)
    expect(page.locator("h1").first).to_have_text(title, timeout=TIMEOUT_MS)
    settle(page)
    if with_map:
        page.frame_locator(MAP_FRAME).first.locator(LOCATION_PATHS).first.wait_for(
            timeout=TIMEOUT_MS
        )
    return time.perf_counter() - start


def timed(action, done) -> float:
    start = time.perf_counter()
    action()
    done()
    return time.perf_counter() - start


def payload_bytes(fmap) -> int:
    """What streamlit-folium sends for a map: its Leaflet script plus header."""
    return len(_get_map_string(fmap).encode()) + len(_get_header(fmap).encode())


def payloads() -> dict[str, int]:
    locations = load_locations()
    catalog = load_catalog()
    natura = get_layer("natura2000", online=False).gdf
    provinces = gpd.read_file(data_file("cbs/provincies_2022_from_gemeenten.geojson"))
    eib = load_locations(["plancapaciteit"])
    popup = mapview.popup_table(locations)
    colouring = mapview.colour_by_type(locations)

    def build(tolerance_m: float, overlays: list) -> int:
        display = mapview.to_display(locations, ["id", "geometrie_kwaliteit"], tolerance_m)
        land = mapview.to_display(provinces, [], 250.0 if tolerance_m else 0.0)
        names = mapview.label_points(provinces, "statnaam")
        base = mapview.Basemap(land, land, names, names)
        return payload_bytes(
            mapview.build_map(display, popup, colouring, overlays=overlays, basemap=base, draw=True)
        )

    natura_display = overlay_for_layer(catalog["natura2000"], natura)
    raw_natura = mapview.Overlay("Natura 2000 (ruw)", mapview.to_display(natura, ["naam"], 0.0))
    eib_display = eib_overlay_from(mapview.to_display(eib, list(EIB_TOOLTIP), 25.0))
    eib_raw = eib_overlay_from(mapview.to_display(eib, list(EIB_TOOLTIP), 0.0))
    return {
        "default (43 + Natura 2000), simplified": build(10.0, [natura_display]),
        "default, unsimplified (baseline)": build(0.0, [raw_natura]),
        "with EIB plans, simplified": build(10.0, [eib_display, natura_display]),
        "with EIB plans, unsimplified": build(0.0, [eib_raw, raw_natura]),
    }


def browser_times(repeat: int) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {}

    def add(name: str, value: float) -> None:
        times.setdefault(name, []).append(value)

    with (
        tempfile.TemporaryDirectory() as folder,
        app_server(Path(folder) / "ws.sqlite") as server,
        offline_browser() as browser,
    ):
        page = browser.page()
        add("Kaart, first session after start", load(page, server.url, "Kaart", True))
        for _ in range(repeat):
            add("Kaart, warm (baseline)", load(page, server.url, "Kaart", True))
            add("Shortlist, warm", load(page, f"{server.url}/shortlist", "Shortlist", False))
            add("Zelfscan, warm", load(page, f"{server.url}/zelfscan", "Zelfscan", False))
            add("Bronnen, warm", load(page, f"{server.url}/bronnen", "Bronnen", False))

            load(page, server.url, "Kaart", True)
            frame = page.frame_locator(MAP_FRAME).first

            def pick_type() -> None:
                page.get_by_label("Programma").click()
                page.get_by_role("option", name="Koploper industrieel bouwen").click()
                page.keyboard.press("Escape")

            add(
                "filter change -> map redrawn",
                timed(
                    pick_type,
                    lambda frame=frame: expect(frame.locator(LOCATION_PATHS)).to_have_count(
                        5, timeout=TIMEOUT_MS
                    ),
                ),
            )

            def redrawn(frame=frame) -> None:
                settle(page)
                frame.locator(LOCATION_PATHS).first.wait_for(timeout=TIMEOUT_MS)

            add(
                "EIB plans on -> map redrawn (4,348 plans)",
                timed(lambda: page.get_by_text("Toon plancapaciteit 2020 (EIB)").click(), redrawn),
            )
            add(
                "filter change with EIB plans -> map redrawn",
                timed(lambda: page.get_by_text("Zonder Natura 2000-overlap").click(), redrawn),
            )

            load(page, f"{server.url}/shortlist", "Shortlist", False)
            page.get_by_label("Scoremodel").click()
            page.get_by_role("option", name="Kansrijk Bouwen (Maasdriel-stijl) (standaard)").click()
            settle(page)
            page.get_by_text("Gewichten van de pijlers aanpassen").click()
            top = page.locator(".st-key-shortlist_top")
            before = top.inner_text()

            def change_weight() -> None:
                field = page.get_by_label("Ruimtelijke kwaliteit", exact=True)
                field.fill("0")
                field.press("Enter")

            add(
                "weight change -> ranking updated",
                timed(
                    change_weight,
                    lambda top=top, before=before: expect(top).not_to_have_text(
                        before, timeout=TIMEOUT_MS
                    ),
                ),
            )
        if browser.blocked:
            print(f"WARNING: requests outside 127.0.0.1 were blocked: {browser.blocked[:3]}")
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    sizes = payloads()
    baseline_size = sizes["default, unsimplified (baseline)"]
    print(f"{'map payload':55s} {'bytes':>12s} {'vs baseline':>12s}")
    for name, size in sizes.items():
        print(f"{name:55s} {size:12,d} {size / baseline_size:12.2f}")

    times = browser_times(args.repeat)
    baseline = statistics.median(times["Kaart, warm (baseline)"])
    print(f"\n{'browser timing (median of runs)':55s} {'seconds':>12s} {'vs warm Kaart':>14s}")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"{name:55s} {median:12.2f} {median / baseline:14.2f}")


if __name__ == "__main__":
    main()

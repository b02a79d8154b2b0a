"""The Kaart in a real browser (offline, temporary werkruimte): clicking a location polygon
opens its details and puts it in the URL; a copied link reopens the same filters and selection;
the base map has context (land, boundaries, names) and a metric scale bar only."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import Page, expect
from shapely.geometry import box, mapping

from support_browser import (
    RUN_TIMEOUT_MS,
    AppServer,
    OfflineBrowser,
    screenshot,
    wait_for_run,
)
from test_browser_app import (
    LOCATION_PATHS,
    MAP_FRAME,
    USER,
    central_path,
    map_location_count,
    no_exception,
    open_expander,
    open_page,
    set_user,
)

pytestmark = pytest.mark.browser

PICKER = "Kies een locatie (of klik erop op de kaart)"


def test_base_map_has_context_and_a_metric_scale(page: Page, server: AppServer):
    open_page(page, server, "kaart")
    map_location_count(page)
    frame = page.frame_locator(MAP_FRAME).first
    # Province names at the national zoom (12 provinces in the CBS data), never blank.
    expect(frame.locator(".locatiescan-label.provincie")).to_have_count(12)
    expect(frame.locator(".leaflet-control-attribution")).to_contain_text("CBS/Kadaster")
    scale = frame.locator(".leaflet-control-scale-line")
    expect(scale).to_have_count(1)  # metric only: no mi/ft line
    assert re.fullmatch(r"\d+ k?m", scale.inner_text().strip()), scale.inner_text()
    no_exception(page)
    screenshot(page, "kaart_basiskaart")


def test_click_on_a_polygon_opens_details_and_the_link(page: Page, server: AppServer):
    open_page(page, server, "kaart")
    map_location_count(page)
    wait_for_run(page)
    central_path(page).click(force=True)
    wait_for_run(page)
    details = page.locator(".st-key-kaart_details")
    expect(details).to_be_visible(timeout=RUN_TIMEOUT_MS)
    expect(details).to_contain_text("Woningen")
    picked = page.get_by_role("combobox", name=PICKER, exact=True)
    label = picked.input_value() or page.locator(".st-key-locatie").inner_text()
    assert re.search(r"\([A-Z]+-\d+\)", label), label  # 'Naam (KL-01)'
    # The selection is highlighted on the map and named in the URL.
    expect(page.frame_locator(MAP_FRAME).first.locator("path.locatiescan-selectie")).to_have_count(
        1, timeout=RUN_TIMEOUT_MS
    )
    expect(page).to_have_url(re.compile(r"locatie="), timeout=RUN_TIMEOUT_MS)
    no_exception(page)
    details.scroll_into_view_if_needed()
    screenshot(page, "kaart_klik_details")


def test_shared_link_reopens_filters_and_selection(
    page: Page, server: AppServer, browser: OfflineBrowser
):
    open_page(page, server, "kaart")
    page.get_by_label("Programma").click()
    page.get_by_role("option", name="Koploper industrieel bouwen").click()
    page.keyboard.press("Escape")
    wait_for_run(page)
    expect(page.get_by_text("5 van 42 locaties getoond")).to_be_visible(timeout=RUN_TIMEOUT_MS)
    page.get_by_label(PICKER).click()
    page.keyboard.type("KL-03")
    page.get_by_role("option").first.click()
    wait_for_run(page)
    expect(page.locator(".st-key-kaart_details")).to_be_visible(timeout=RUN_TIMEOUT_MS)
    name = page.locator(".st-key-kaart_details strong").first.inner_text()
    link = page.url
    query = parse_qs(urlparse(link).query)
    assert "typen" in query and "locatie" in query, link

    other = browser.page()  # a colleague opens the link
    other.goto(link)
    expect(other.locator("h1").first).to_have_text("Kaart", timeout=RUN_TIMEOUT_MS)
    wait_for_run(other)
    expect(other.get_by_text("5 van 42 locaties getoond")).to_be_visible(timeout=RUN_TIMEOUT_MS)
    details = other.locator(".st-key-kaart_details")
    expect(details).to_contain_text(name, timeout=RUN_TIMEOUT_MS)
    expect(other.frame_locator(MAP_FRAME).first.locator(LOCATION_PATHS)).to_have_count(
        5, timeout=RUN_TIMEOUT_MS
    )
    no_exception(other)
    screenshot(other, "kaart_gedeelde_link")
    other.close()


def test_a_link_to_a_location_opens_the_map_on_it(page: Page, server: AppServer):
    """GS-01 (Amsterdam Havenstad, 262 ha) fills the map: a scale bar of at most
    2 km, where the whole country shows tens of km."""
    page.goto(f"{server.url}/?locatie=GS-01")
    details = page.locator(".st-key-kaart_details")
    expect(details).to_contain_text("Amsterdam Havenstad", timeout=RUN_TIMEOUT_MS)
    wait_for_run(page)
    frame = page.frame_locator(MAP_FRAME).first
    expect(frame.locator("path.locatiescan-selectie")).not_to_have_count(0, timeout=RUN_TIMEOUT_MS)
    scale = frame.locator(".leaflet-control-scale-line")
    expect(scale).to_have_text(re.compile(r"^(\d+ m|[12] km)$"), timeout=RUN_TIMEOUT_MS)
    no_exception(page)
    screenshot(page, "kaart_link_locatie")


def test_table_has_screening_columns_and_dutch_downloads(page: Page, server: AppServer):
    open_page(page, server, "kaart")
    map_location_count(page)
    for label in ("Tabel als Excel (XLSX)", "Locaties als GeoPackage", "Locaties als GeoJSON"):
        expect(page.get_by_role("button", name=label)).to_be_visible(timeout=RUN_TIMEOUT_MS)
    with page.expect_download() as info:
        page.get_by_role("button", name="Locaties als GeoJSON").click()
    collection = json.loads(Path(info.value.path()).read_text(encoding="utf-8"))
    assert len(collection["features"]) == 42  # 42 sites, no filter: every shown location, no more
    grid = page.locator('[data-testid="stDataFrame"]')
    expect(grid).to_have_count(0)  # the table opens on request (the map comes first)
    page.get_by_text("Tabel tonen").click()
    expect(grid).to_have_count(1, timeout=RUN_TIMEOUT_MS)
    wait_for_run(page)
    assert "tabel=" in page.url  # a copied link opens the table too
    page.get_by_role("heading", name="Tabel").scroll_into_view_if_needed()
    screenshot(page, "kaart_tabel")


def test_the_browser_remembers_the_users_name(page: Page, server: AppServer):
    open_page(page, server, "bronnen")
    set_user(page)
    page.wait_for_timeout(500)  # the cookie is written by a script in the page
    page.reload()
    open_page(page, server, "bronnen")
    expect(page.get_by_label("Uw naam (voor besluiten en antwoorden)")).to_have_value(USER)


def test_an_uploaded_name_is_shown_as_written(page: Page, server: AppServer, tmp_path: Path):
    """A name with markdown, Jinja, formula and HTML syntax (as a third party's file may hold)
    reads as written in the details and in the map's popup: no italics, no disguised link, no
    "49", no element (a bare URL may still be a link: it shows where it leads)."""
    name = "Plan_Noord_2 [klik](https://example.org) {{ 7*7 }} =1+1 <img src=x onerror=alert(1)>"
    upload = tmp_path / "vreemde_namen.geojson"
    feature = {"type": "Feature", "properties": {"naam": name, "woningen": 50},
               "geometry": mapping(box(6.60, 52.90, 6.606, 52.903))}  # fmt: skip
    upload.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    open_page(page, server, "kaart")
    set_user(page)
    open_expander(page, "Eigen locaties toevoegen", ".st-key-kaart_upload_0")
    page.locator('.st-key-kaart_upload_0 input[type="file"]').set_input_files(str(upload))
    wait_for_run(page)
    page.get_by_role("button", name="Toevoegen aan de kaart").click()
    wait_for_run(page)
    saved = page.get_by_text(re.compile(r"^Opgeslagen: EIGEN-\d+$"))
    expect(saved).to_be_visible(timeout=RUN_TIMEOUT_MS)
    page.goto(f"{server.url}/?locatie={saved.inner_text().split()[-1]}")  # its shared link
    details = page.locator(".st-key-kaart_details")
    expect(details.locator("strong").first).to_have_text(name, timeout=RUN_TIMEOUT_MS)
    expect(details.locator("em")).to_have_count(0)  # '_' made no italics
    expect(details.get_by_role("link", name="klik")).to_have_count(0)  # no disguised link
    frame = page.frame_locator(MAP_FRAME).first
    expect(frame.locator("path.locatiescan-selectie")).to_have_count(1, timeout=RUN_TIMEOUT_MS)
    area = page.locator(MAP_FRAME).first.bounding_box()  # the map is centred on the selection
    page.mouse.click(area["x"] + area["width"] / 2, area["y"] + area["height"] / 2)
    popup = frame.locator(".leaflet-popup-content").first
    expect(popup).to_contain_text(name, timeout=RUN_TIMEOUT_MS)
    expect(popup.locator("img")).to_have_count(0)
    expect(details.locator("img")).to_have_count(0)
    no_exception(page)
    details.scroll_into_view_if_needed()
    screenshot(page, "kaart_naam_zoals_geschreven")

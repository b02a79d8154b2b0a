"""The kansenkaart on the Kaart in a real browser (offline, temporary cache folder and
werkruimte): switched on, the stored kansenkaart of the chosen model lies over the map as an
image with its legend; a model without layer criteria gets a Dutch message, not an image; an
uploaded file that is no kansenkaart is refused in Dutch, an uploaded kansenkaart is drawn.

The stored kansenkaart is computed here with the real model and layers through
`write_kansenkaart` (the path the app's button takes), over the province of Utrecht only so the
test stays short; it is put where the app looks for it (`kansenkaart_store.stored_path`)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from locatiescan import kansenkaart_store
from locatiescan.gemeenten import load_gemeenten
from locatiescan.kansenkaart import RD, write_kansenkaart
from locatiescan.layers.fetch import get_layer
from locatiescan.scoring import list_models
from locatiescan.ui.mapview import IMAGE_LAYER_CLASS
from support_browser import (
    RUN_TIMEOUT_MS,
    AppServer,
    OfflineBrowser,
    app_server,
    screenshot,
    wait_for_run,
)
from test_browser_app import MAP_FRAME, choose, map_location_count, no_exception, open_page

pytestmark = pytest.mark.browser

MODEL_PICKER = "Scoremodel (voor scores in de details)"
SWITCH = "Kansenkaart (totaalscore)"
TITLE = "Kansenkaart — Kansrijk Bouwen (Maasdriel-stijl) (250 m): totaalscore"


def preset_text(stem: str) -> str:
    """A preset model's YAML text, read as the app reads it (`cached.preset_models`)."""
    entry = next(e for e in list_models() if e.path.stem == stem)
    return entry.path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def stored(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A fresh cache folder (XDG_CACHE_HOME, inherited by the app) holding the kansenkaart of
    Kansrijk Bouwen for the province of Utrecht where the app looks for the national one."""
    previous = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("cache"))
    try:
        text = preset_text("kansrijk_bouwen")
        resolution = kansenkaart_store.APP_RESOLUTION
        path = kansenkaart_store.stored_path(text, resolution, online=False)
        kansen = kansenkaart_store.grid_model(text)
        features = {
            item.layer.id: get_layer(item.layer, online=False).gdf.to_crs(RD)
            for item in kansen.criteria
        }
        land = load_gemeenten()
        write_kansenkaart(
            kansen, features, land[land["provincie"] == "Utrecht"], path, float(resolution)
        )
        yield path
    finally:
        if previous is None:
            os.environ.pop("XDG_CACHE_HOME", None)
        else:
            os.environ["XDG_CACHE_HOME"] = previous


@pytest.fixture(scope="module")
def server(stored: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    with app_server(tmp_path_factory.mktemp("kansenlaag") / "workspace.sqlite") as running:
        yield running


def switch_on(page: Page) -> None:
    """Tick the kansenkaart switch (a new session starts with it off)."""
    if not page.get_by_role("checkbox", name=SWITCH).is_checked():
        page.get_by_text(SWITCH, exact=True).click()
        wait_for_run(page)


def test_stored_kansenkaart_lies_over_the_map_with_its_legend(
    page: Page, server: AppServer, browser: OfflineBrowser
) -> None:
    open_page(page, server, "kaart")
    map_location_count(page)
    choose(page, MODEL_PICKER, "Kansrijk Bouwen")
    switch_on(page)
    frame = page.frame_locator(MAP_FRAME).first
    image = frame.locator(f"img.{IMAGE_LAYER_CLASS}")
    expect(image).to_have_count(1, timeout=RUN_TIMEOUT_MS)
    assert (image.get_attribute("src") or "").startswith("data:image/png;base64,")
    assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    # Its pane lies above the overlay pane with the SVG of the opaque land fill (else hidden).
    assert image.evaluate(
        "img => Number(getComputedStyle(img.parentElement).zIndex) > Number(getComputedStyle("
        "img.ownerDocument.querySelector('.leaflet-overlay-pane')).zIndex)"
    )
    legend = frame.locator(".locatiescan-legend")
    expect(legend).to_contain_text(TITLE)
    expect(legend).to_contain_text("80 – 100")
    expect(legend).to_contain_text("geen data / water")
    expect(legend).to_contain_text("laagste punten van het criterium")
    expect(legend).to_contain_text("Capaciteitskaart Netbeheer Nederland")
    expect(frame.locator(".leaflet-control-layers")).to_contain_text(TITLE)  # own layer
    expect(page.get_by_text("Meest bepalende criterium op 0 punten")).to_be_visible()
    no_exception(page)
    assert browser.blocked == []  # offline: nothing outside 127.0.0.1
    page.locator(MAP_FRAME).first.scroll_into_view_if_needed()
    screenshot(page, "kaart_kansenkaart")


def test_model_without_layer_criteria_gets_a_message(page: Page, server: AppServer) -> None:
    open_page(page, server, "kaart")
    choose(page, MODEL_PICKER, "Woningbouwimpuls 2024")
    switch_on(page)
    expect(page.get_by_text(kansenkaart_store.NO_GRID_CRITERIA)).to_be_visible(
        timeout=RUN_TIMEOUT_MS
    )
    expect(page.frame_locator(MAP_FRAME).first.locator(f"img.{IMAGE_LAYER_CLASS}")).to_have_count(0)
    no_exception(page)


def test_uploaded_file_is_checked_then_drawn(
    page: Page, server: AppServer, stored: Path, tmp_path: Path
) -> None:
    broken = tmp_path / "geen_kansenkaart.tif"
    broken.write_bytes(b"dit is geen GeoTIFF")
    own = tmp_path / "eigen_kansen.tif"
    own.write_bytes(stored.read_bytes())
    open_page(page, server, "kaart")
    switch_on(page)
    page.get_by_text("Eigen GeoTIFF (locatiescan kansenkaart)").click()
    wait_for_run(page)
    upload = page.locator('.st-key-kansenkaart_upload input[type="file"]')
    upload.set_input_files(str(broken))
    wait_for_run(page)
    warning = page.locator('[data-testid="stAlertContentWarning"]').first
    expect(warning).to_contain_text("geen_kansenkaart.tif: geweigerd", timeout=RUN_TIMEOUT_MS)
    no_exception(page)
    upload.set_input_files(str(own))
    wait_for_run(page)
    frame = page.frame_locator(MAP_FRAME).first
    expect(frame.locator(f"img.{IMAGE_LAYER_CLASS}")).to_have_count(1, timeout=RUN_TIMEOUT_MS)
    expect(frame.locator(".locatiescan-legend")).to_contain_text(TITLE)
    no_exception(page)

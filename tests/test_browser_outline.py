"""The outline editor in a real browser: upload the outline of a policy location on the Kaart,
reload, see it used, revert it (offline app, temporary workspace)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from shapely.geometry import box

from locatiescan.registry import load_policy_locations
from locatiescan.workspace import Workspace
from locatiescan.workspace.outlines import apply_outlines, outline_history
from support_browser import (
    RUN_TIMEOUT_MS,
    AppServer,
    screenshot,
    wait_for_run,
)
from support_files import RD_CRS_MEMBER, geojson

pytestmark = pytest.mark.browser

USER = "Testgebruiker"
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
# 1,000 m x 500 m in Ede (RD) = 50 ha; the example of a gemeente-level location
EDE_BLOCK = box(172_000, 448_000, 173_000, 448_500)
EXPANDER = "Eigen omtrek van deze locatie"


def open_kaart(page: Page, server: AppServer) -> None:
    page.goto(server.url)
    expect(page.locator("h1").first).to_have_text("Kaart", timeout=RUN_TIMEOUT_MS)
    wait_for_run(page)
    page.frame_locator(MAP_FRAME).first.locator("path").first.wait_for(timeout=RUN_TIMEOUT_MS)
    wait_for_run(page)


def set_user(page: Page) -> None:
    field = page.get_by_label("Uw naam (voor besluiten en antwoorden)")
    field.fill(USER)
    field.press("Enter")
    wait_for_run(page)


def select_location(page: Page, text: str, option: str) -> None:
    page.get_by_label("Kies een locatie (of klik erop op de kaart)").click()
    page.keyboard.type(text)  # the option list is virtual: narrow it down
    page.get_by_role("option", name=option).click()
    wait_for_run(page)


def no_exception(page: Page) -> None:
    exceptions = page.locator('[data-testid="stException"]')
    assert exceptions.count() == 0, exceptions.first.inner_text()


def details(page: Page):
    return page.locator(".st-key-kaart_details")


def test_upload_reload_use_and_revert_an_outline(page: Page, server: AppServer, tmp_path: Path):
    outline = geojson(tmp_path / "ede_plangebied.geojson", [EDE_BLOCK], crs_member=RD_CRS_MEMBER)
    open_kaart(page, server)
    set_user(page)
    select_location(page, "Ede", "Ede / Wageningen (DB-10)")
    expect(details(page)).to_contain_text("Geometrie: gemeentegrens", timeout=RUN_TIMEOUT_MS)
    details(page).get_by_text(EXPANDER).click()
    upload = page.locator('.st-key-omtrek_upload_DB-10_0 input[type="file"]')
    upload.set_input_files(str(outline))
    wait_for_run(page)
    save = page.get_by_role("button", name="Geüploade omtrek opslaan")
    expect(save).to_be_visible(timeout=RUN_TIMEOUT_MS)
    expect(details(page)).to_contain_text("Oppervlakte: 50,0 ha")
    save.click()
    wait_for_run(page)
    expect(page.get_by_text("Eigen omtrek opgeslagen voor DB-10.")).to_be_visible(
        timeout=RUN_TIMEOUT_MS
    )

    # a fresh page (new session): the stored outline is used for the location everywhere
    page.reload()
    open_kaart(page, server)
    select_location(page, "Ede", "Ede / Wageningen (DB-10)")
    # ui/labels.GEOMETRY_QUALITY: an own outline reads "zelf ingetekend"
    expect(details(page)).to_contain_text("Geometrie: zelf ingetekend", timeout=RUN_TIMEOUT_MS)
    expect(details(page)).to_contain_text("De eigen omtrek wordt gebruikt (50,0 ha)")
    expect(details(page)).to_contain_text(f"ingetekend door {USER}")
    no_exception(page)
    details(page).scroll_into_view_if_needed()
    screenshot(page, "kaart_eigen_omtrek")
    stored = apply_outlines(load_policy_locations(), Workspace.open(server.workspace))
    row = stored.set_index("id").loc["DB-10"]
    assert row["geometrie_kwaliteit"] == "ingetekend" and row.geometry.equals(EDE_BLOCK)

    set_user(page)
    page.get_by_role("button", name="Terug naar de oorspronkelijke geometrie").click()
    wait_for_run(page)
    expect(page.get_by_text("Omtrek van DB-10 teruggedraaid")).to_be_visible(timeout=RUN_TIMEOUT_MS)
    expect(details(page)).to_contain_text("Geometrie: gemeentegrens", timeout=RUN_TIMEOUT_MS)
    no_exception(page)
    details(page).scroll_into_view_if_needed()
    screenshot(page, "kaart_omtrek_teruggedraaid")
    history = outline_history(Workspace.open(server.workspace), "DB-10")
    assert history["actie"].tolist() == ["ingetekend", "teruggedraaid"]
    assert history["door"].tolist() == [USER, USER]

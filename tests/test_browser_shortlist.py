"""The Shortlist in a real browser: record a decision on an explicitly chosen location, withdraw
it, reload, and see both in the history (offline server, temporary workspace)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from support_browser import (
    RUN_TIMEOUT_MS,
    AppServer,
    OfflineBrowser,
    choose,
    screenshot,
    wait_for_run,
)

pytestmark = pytest.mark.browser

USER = "Testgebruiker"
LOCATION = "Groot Merwede - Rijnenburg"


def open_shortlist(page: Page, server: AppServer) -> None:
    page.goto(f"{server.url}/shortlist")
    expect(page.locator("h1").first).to_have_text("Shortlist", timeout=RUN_TIMEOUT_MS)
    wait_for_run(page)


def set_user(page: Page) -> None:
    field = page.get_by_label("Uw naam (voor besluiten en antwoorden)")
    field.fill(USER)
    field.press("Enter")
    wait_for_run(page)


def test_decision_recorded_withdrawn_and_both_in_history_after_reload(
    server: AppServer, browser: OfflineBrowser
):
    page = browser.page()
    open_shortlist(page, server)
    set_user(page)
    form = page.locator('[data-testid="stForm"]').filter(has_text="Besluit vastleggen")
    # no location chosen: nothing is recorded
    form.get_by_role("button", name="Besluit vastleggen").click()
    wait_for_run(page)
    expect(page.get_by_text("Kies eerst de locatie")).to_be_visible(timeout=RUN_TIMEOUT_MS)

    choose(page, "Locatie", LOCATION, type_to_filter=True)
    form.get_by_text("Op shortlist", exact=True).click()
    form.get_by_label("Notitie").fill("Sterk plan, intentieovereenkomst")
    form.get_by_role("button", name="Besluit vastleggen").click()
    wait_for_run(page)
    expect(page.get_by_text(f"Vastgelegd: {LOCATION}")).to_be_visible(timeout=RUN_TIMEOUT_MS)

    choose(page, "Locatie", LOCATION, type_to_filter=True)
    page.get_by_label("Reden van intrekken").fill("Verkeerde locatie gekozen")
    page.get_by_label("Reden van intrekken").press("Enter")
    wait_for_run(page)
    page.get_by_role("button", name="Besluit intrekken").click()
    wait_for_run(page)
    expect(page.get_by_text(f"Ingetrokken: het besluit over {LOCATION}")).to_be_visible(
        timeout=RUN_TIMEOUT_MS
    )

    page.reload()
    expect(page.locator("h1").first).to_have_text("Shortlist", timeout=RUN_TIMEOUT_MS)
    wait_for_run(page)
    choose(page, "Locatie", LOCATION, type_to_filter=True)
    history = page.locator(".st-key-shortlist_historie")
    expect(history).to_contain_text("Op shortlist", timeout=RUN_TIMEOUT_MS)
    expect(history).to_contain_text("Ingetrokken")
    expect(history).to_contain_text("Verkeerde locatie gekozen")
    expect(history).to_contain_text(USER)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.get_by_role("button", name="Besluit intrekken").count() == 0  # nothing standing
    history.scroll_into_view_if_needed()
    screenshot(page, "shortlist_besluit_ingetrokken")
    assert browser.blocked == []

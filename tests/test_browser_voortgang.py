"""The Voortgang page in a real browser: download the PPM template, fill it in as a planner
would, import it and see the delay list; a file with a bad date is refused and names the cell.
Screenshots land in test-artifacts/screenshots/."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from locatiescan.voortgang import load_config, template_xlsx
from support_browser import (
    RUN_TIMEOUT_MS,
    AppServer,
    OfflineBrowser,
    offline_browser,
    screenshot,
    wait_for_run,
)

pytestmark = pytest.mark.browser

USER = "Testgebruiker"
# Planned long before any peildatum the page can default to (today), never realised: delayed.
# The third milestone is realised, the fourth planned far ahead: neither is delayed.
ROWS = [
    ("2024-Q1", "KL-01", "Project Oostflank", "omgevingsplan_vastgesteld", "2023-Q4", None),
    ("2024-Q2", "KL-01", "Project Oostflank", "omgevingsplan_vastgesteld", "2024-Q2", None),
    ("2024-Q2", "DB-01", "Bleizo", "start_bouw", "2024-Q1", None),
    ("2024-Q2", "KL-02", "Muggenburg", "initiatief", "2023-Q1", "2023-Q2"),
    ("2024-Q2", "KL-03", "Legmeerplein", "laatste_oplevering", "2090-Q1", None),
]


@pytest.fixture(scope="module")
def page(server: AppServer) -> Iterator[Page]:
    browser: OfflineBrowser
    with offline_browser() as browser:
        yield browser.page()
        assert browser.blocked == []  # the page never reached for the internet


def no_exception(page: Page) -> None:
    exceptions = page.locator('[data-testid="stException"]')
    assert exceptions.count() == 0, exceptions.first.inner_text()


def upload(page: Page, path: Path) -> None:
    page.locator('.stFileUploader input[type="file"]').first.set_input_files(str(path))
    wait_for_run(page)


def test_template_import_shows_the_delay_list(page: Page, server: AppServer, tmp_path: Path):
    page.goto(f"{server.url}/voortgang")
    expect(page.locator("h1").first).to_have_text("Voortgang", timeout=RUN_TIMEOUT_MS)
    wait_for_run(page)
    field = page.get_by_label("Uw naam (voor besluiten en antwoorden)")
    field.fill(USER)
    field.press("Enter")
    wait_for_run(page)
    expect(page.get_by_text("Nog geen PPM-gegevens")).to_be_visible()

    with page.expect_download() as info:
        page.get_by_role("button", name="Sjabloon downloaden (Excel)").click()
    template = tmp_path / "ppm_sjabloon.xlsx"
    info.value.save_as(template)
    book = load_workbook(template)
    assert book.sheetnames == ["PPM", "Uitleg", "Mijlpalen"]
    for row in ROWS:
        book["PPM"].append(list(row))
    filled = tmp_path / "ppm_ingevuld.xlsx"
    book.save(filled)

    upload(page, filled)
    expect(page.get_by_text("5 regels in orde.")).to_be_visible(timeout=RUN_TIMEOUT_MS)
    page.get_by_role("button", name="Inlezen in de werkruimte").click()
    wait_for_run(page)
    expect(page.get_by_text("5 regels ingelezen uit ppm_ingevuld.xlsx.")).to_be_visible()
    delays = page.locator(".st-key-voortgang_vertragingen")
    expect(delays).to_contain_text("Omgevingsplan vastgesteld", timeout=RUN_TIMEOUT_MS)
    text = delays.inner_text()
    assert "KL-01" in text and "Omgevingsplan vastgesteld" in text
    assert "DB-01" in text and "Start bouw" in text
    assert "KL-02" not in text and "KL-03" not in text  # realised / not yet due
    assert "Q2 2024" in text  # KL-01's current planning, in Dutch quarter notation
    expect(page.get_by_text("2 vertraagde mijlpalen bij 2 projecten")).to_be_visible()
    no_exception(page)
    screenshot(page, "voortgang_vertragingen")
    images = page.locator('[data-testid="stImage"]')
    expect(images).to_have_count(2, timeout=RUN_TIMEOUT_MS)  # timeline and woondeal chart
    images.first.scroll_into_view_if_needed()
    screenshot(page, "voortgang_tijdlijn")
    images.last.scroll_into_view_if_needed()
    screenshot(page, "voortgang_woondeal")


def test_bad_date_is_refused_and_names_the_cell(page: Page, tmp_path: Path):
    book = load_workbook(io.BytesIO(template_xlsx(load_config())))
    book["PPM"].append(["2024-Q3", "KL-01", "", "omgevingsplan_vastgesteld", "2024-Q9", None])
    bad = tmp_path / "ppm_fout.xlsx"
    book.save(bad)
    upload(page, bad)
    problems = page.locator(".st-key-voortgang_problemen")
    expect(problems).to_contain_text("2024-Q9", timeout=RUN_TIMEOUT_MS)
    assert "E2" in problems.inner_text() and "2024-Q9" in problems.inner_text()
    expect(page.get_by_text("1 probleem gevonden; er is niets ingelezen.")).to_be_visible()
    expect(page.get_by_text("2 vertraagde mijlpalen bij 2 projecten")).to_be_visible()
    expect(page.get_by_role("button", name="Inlezen in de werkruimte")).to_have_count(0)
    no_exception(page)
    problems.scroll_into_view_if_needed()
    screenshot(page, "voortgang_foute_datum")

"""The app in a real browser against a real `streamlit run` server (offline, temporary workspace).

One server for the module; tests run in file order and build on each other (the upload adds two
own projects that the self-scan then scores, the Kaart upload a third). Screenshots land in
test-artifacts/screenshots/.
"""

from __future__ import annotations

import importlib.util
import io
import json
import re
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import rasterio
from playwright.sync_api import Page, expect
from pypdf import PdfReader
from rasterio.transform import from_origin
from shapely.geometry import box, shape

from locatiescan.registry import load_locations
from locatiescan.screening import screen_locations
from locatiescan.ui.themes import derived_layer
from support_browser import (
    PROJECT_ROOT,
    RUN_TIMEOUT_MS,
    AppServer,
    OfflineBrowser,
    choose,
    screenshot,
    wait_for_run,
)

pytestmark = pytest.mark.browser

_SPEC = importlib.util.spec_from_file_location("app_navigation", PROJECT_ROOT / "app/navigation.py")
navigation = sys.modules.setdefault("app_navigation", importlib.util.module_from_spec(_SPEC))
_SPEC.loader.exec_module(navigation)  # the app's page list, read without Streamlit
PAGES = {page.slug: page.title for page in navigation.PAGES}  # every page of the navigation
START_PAGE = next(page.slug for page in navigation.PAGES if page.default)
USER = "Testgebruiker"
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
LOCATION_PATHS = "path.locatiescan-locatie"
# Two projects in Utrecht (Leidsche Rijn), lon/lat, as a planner would export them.
UPLOAD = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {"naam": "Testproject Noord", "woningen": 400},
            "geometry": {
                "type": "Polygon",
                "coordinates": [
                    [
                        [5.040, 52.100],
                        [5.050, 52.100],
                        [5.050, 52.106],
                        [5.040, 52.106],
                        [5.040, 52.100],
                    ]
                ],
            },
        },
        {
            "type": "Feature",
            "properties": {"naam": "Testproject Zuid", "woningen": 150},
            "geometry": {
                "type": "Polygon",
                "coordinates": [
                    [
                        [5.040, 52.080],
                        [5.046, 52.080],
                        [5.046, 52.084],
                        [5.040, 52.084],
                        [5.040, 52.080],
                    ]
                ],
            },
        },
    ],
}
# A GeoPackage uploaded on the Kaart page: layer "projecten" holds one project near Assen
# (Drenthe); the first layer, "studiegebieden", holds something else.
KAART_LAYERS = {
    "studiegebieden": ("Studiegebied Emmen", box(6.90, 52.78, 6.91, 52.785)),
    "projecten": ("Kaartproject Assen", box(6.540, 53.000, 6.548, 53.004)),
}
SUBSIDENCE_CM = 45.0  # bodemdaling rules: 30-60 cm is class B
RASTER_CELL_M = 50.0


def open_page(page: Page, server: AppServer, name: str) -> None:
    page.goto(f"{server.url}/{'' if name == START_PAGE else name}")
    expect(page.locator("h1").first).to_have_text(PAGES[name], timeout=RUN_TIMEOUT_MS)
    wait_for_run(page)


def no_exception(page: Page) -> None:
    exceptions = page.locator('[data-testid="stException"]')
    assert exceptions.count() == 0, exceptions.first.inner_text()


def set_user(page: Page) -> None:
    field = page.get_by_label("Uw naam (voor besluiten en antwoorden)")
    if field.input_value() != USER:
        field.fill(USER)
        field.press("Enter")
        wait_for_run(page)


def map_location_count(page: Page) -> int:
    frame = page.frame_locator(MAP_FRAME).first
    frame.locator(LOCATION_PATHS).first.wait_for(timeout=RUN_TIMEOUT_MS)
    return frame.locator(LOCATION_PATHS).count()


def central_path(page: Page):
    """The location path nearest the middle of the map (away from the legend and controls)."""
    box = page.locator(MAP_FRAME).first.bounding_box()
    middle = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    paths = page.frame_locator(MAP_FRAME).first.locator(LOCATION_PATHS)
    boxes = [(i, paths.nth(i).bounding_box()) for i in range(paths.count())]
    small = [(i, b) for i, b in boxes if b and b["width"] < 60 and b["height"] < 60] or boxes
    index, _ = min(
        small,
        key=lambda item: (
            (item[1]["x"] + item[1]["width"] / 2 - middle[0]) ** 2
            + (item[1]["y"] + item[1]["height"] / 2 - middle[1]) ** 2
        ),
    )
    return paths.nth(index)


def synthetic_subsidence_raster(path: Path) -> Path:
    """A synthetic bodemdaling GeoTIFF (EPSG:28992, 45 cm everywhere) over Testproject Noord
    plus 200 m, touching no policy location and not Testproject Zuid."""
    noord = gpd.GeoSeries([shape(UPLOAD["features"][0]["geometry"])], crs="EPSG:4326").to_crs(
        "EPSG:28992"
    )
    minx, miny, maxx, maxy = noord.buffer(200).total_bounds
    zuid = gpd.GeoSeries([shape(UPLOAD["features"][1]["geometry"])], crs="EPSG:4326").to_crs(
        "EPSG:28992"
    )
    assert not load_locations().intersects(box(minx, miny, maxx, maxy)).any()
    assert not zuid.intersects(box(minx, miny, maxx, maxy)).any()
    width, height = (
        int(np.ceil((maxx - minx) / RASTER_CELL_M)),
        int(np.ceil((maxy - miny) / RASTER_CELL_M)),
    )
    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        width=width,
        height=height,
        count=1,
        dtype="float32",
        crs="EPSG:28992",
        transform=from_origin(minx, maxy, RASTER_CELL_M, RASTER_CELL_M),
    ) as dst:
        dst.write(np.full((1, height, width), SUBSIDENCE_CM, dtype="float32"))
    return path


def open_expander(page: Page, label: str, content: str) -> None:
    """Open an expander once the map has loaded (its first value triggers one more run) and wait
    until the element `content` inside it shows."""
    map_location_count(page)
    wait_for_run(page)
    page.get_by_text(label).click()
    expect(page.locator(content)).to_be_visible(timeout=RUN_TIMEOUT_MS)


def top_list(page: Page) -> str:
    return page.locator(".st-key-shortlist_top").inner_text()


@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_loads_without_exception(
    page: Page, server: AppServer, browser: OfflineBrowser, name: str
):
    open_page(page, server, name)
    if name == "kaart":
        map_location_count(page)
    no_exception(page)
    screenshot(page, name)
    assert browser.blocked == [], "the app must not reach outside 127.0.0.1"


def test_map_holds_every_policy_location(page: Page, server: AppServer):
    open_page(page, server, "kaart")
    # 43 list rows, KL-01 and DB-16 one site (Purmerend-Oostflank): 42 sites
    assert map_location_count(page) == len(load_locations()) == 42
    assert page.get_by_text("42 van 42 locaties getoond").is_visible()


def test_clicking_a_location_shows_its_details(page: Page, server: AppServer):
    open_page(page, server, "kaart")
    frame = page.frame_locator(MAP_FRAME).first
    frame.locator(LOCATION_PATHS).first.wait_for(timeout=RUN_TIMEOUT_MS)
    central_path(page).click(force=True)  # overlapping shapes: whichever is on top gets the click
    wait_for_run(page)
    score = page.locator('[data-testid="stMetric"]').filter(has_text="Totaalscore")
    expect(score).to_be_visible(timeout=RUN_TIMEOUT_MS)
    details = page.locator('[data-testid="stMarkdownContainer"]').filter(has_text="Geometrie:")
    expect(details.first).to_contain_text("Woningen")
    expect(frame.locator(".leaflet-popup-content")).to_contain_text("Natura 2000")
    expect(page.get_by_role("heading", name="Getekende locatie")).to_have_count(
        0
    )  # a click is no drawing
    no_exception(page)
    page.locator(".st-key-kaart_details").scroll_into_view_if_needed()
    screenshot(page, "kaart_details")


def test_drawn_rectangle_is_screened_on_the_spot(page: Page, server: AppServer):
    open_page(page, server, "kaart")
    frame = page.frame_locator(MAP_FRAME).first
    frame.locator(LOCATION_PATHS).first.wait_for(timeout=RUN_TIMEOUT_MS)
    frame.locator(".leaflet-draw-draw-rectangle").click()
    box = page.locator(MAP_FRAME).first.bounding_box()
    x, y = box["x"] + box["width"] * 0.45, box["y"] + box["height"] * 0.45
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 25, y + 20, steps=5)
    page.mouse.up()
    wait_for_run(page)
    expect(page.get_by_role("heading", name="Getekende locatie")).to_be_visible(
        timeout=RUN_TIMEOUT_MS
    )
    expect(page.get_by_text(re.compile(r"^Oppervlakte: [\d.]+(,\d)? ha$"))).to_be_visible()
    save = page.get_by_role("button", name="Opslaan als eigen locatie")
    expect(save).to_be_visible()
    no_exception(page)
    save.scroll_into_view_if_needed()
    screenshot(page, "kaart_getekend")


def test_map_filter_on_type(page: Page, server: AppServer):
    open_page(page, server, "kaart")
    page.get_by_label("Programma").click()  # the multiselect's combobox
    page.get_by_role("option", name="Koploper industrieel bouwen").click()
    page.keyboard.press("Escape")
    wait_for_run(page)
    # KL-01 … KL-05 of the 42 sites
    expect(page.get_by_text("5 van 42 locaties getoond")).to_be_visible(timeout=RUN_TIMEOUT_MS)
    expect(page.frame_locator(MAP_FRAME).first.locator(LOCATION_PATHS)).to_have_count(
        5, timeout=RUN_TIMEOUT_MS
    )
    no_exception(page)


def test_uploaded_file_appears(page: Page, server: AppServer, tmp_path: Path):
    upload = tmp_path / "eigen_projecten.geojson"
    upload.write_text(json.dumps(UPLOAD), encoding="utf-8")
    open_page(page, server, "zelfscan")
    set_user(page)
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(upload))
    wait_for_run(page)
    add = page.get_by_role("button", name="Toevoegen aan mijn projecten")
    expect(add).to_be_visible(timeout=RUN_TIMEOUT_MS)
    add.click()
    wait_for_run(page)
    expect(page.get_by_text("Opgeslagen: EIGEN-0001, EIGEN-0002")).to_be_visible(
        timeout=RUN_TIMEOUT_MS
    )
    no_exception(page)
    screenshot(page, "zelfscan_na_upload")

    open_page(page, server, "kaart")
    assert map_location_count(page) == 44  # 42 policy sites + 2 uploaded projects
    expect(page.get_by_text("44 van 44 locaties getoond")).to_be_visible()


def test_bad_upload_gives_a_dutch_error_and_keeps_projects(
    page: Page, server: AppServer, tmp_path: Path
):
    broken = tmp_path / "kapot.geojson"
    broken.write_text('{"type": "FeatureCollection", "features": [', encoding="utf-8")
    open_page(page, server, "zelfscan")
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(broken))
    wait_for_run(page)
    error = page.locator('[data-testid="stAlertContentError"]').first
    expect(error).to_be_visible(timeout=RUN_TIMEOUT_MS)
    assert "kapot.geojson" in error.inner_text()
    no_exception(page)
    page.locator('[data-testid="stFileUploader"] [data-testid="stFileChipDeleteBtn"]').first.click()
    wait_for_run(page)
    projects = page.locator(".st-key-zelfscan_projecten")
    expect(projects).to_contain_text("Testproject Noord", timeout=RUN_TIMEOUT_MS)
    expect(projects).to_contain_text("Testproject Zuid")


def test_file_uploaded_on_kaart_appears_on_the_map(page: Page, server: AppServer, tmp_path: Path):
    upload = tmp_path / "kaart_projecten.gpkg"
    for layer, (name, geometry) in KAART_LAYERS.items():
        gpd.GeoDataFrame(
            {"naam": [name], "woningen": [90]}, geometry=[geometry], crs="EPSG:4326"
        ).to_file(upload, layer=layer, driver="GPKG")
    open_page(page, server, "kaart")
    set_user(page)
    before = map_location_count(page)
    open_expander(page, "Eigen locaties toevoegen", ".st-key-kaart_upload_0")
    page.locator('.st-key-kaart_upload_0 input[type="file"]').set_input_files(str(upload))
    wait_for_run(page)
    expect(page.get_by_role("combobox", name="Laag", exact=True)).to_be_visible(
        timeout=RUN_TIMEOUT_MS
    )
    choose(page, "Laag", "projecten")
    add = page.get_by_role("button", name="Toevoegen aan de kaart")
    expect(add).to_be_visible(timeout=RUN_TIMEOUT_MS)
    no_exception(page)
    screenshot(page, "kaart_upload")
    add.click()
    wait_for_run(page)
    expect(page.get_by_text("Opgeslagen: EIGEN-0003")).to_be_visible(timeout=RUN_TIMEOUT_MS)
    expect(page.frame_locator(MAP_FRAME).first.locator(LOCATION_PATHS)).to_have_count(
        before + 1, timeout=RUN_TIMEOUT_MS
    )
    expect(page.get_by_text(f"{before + 1} van {before + 1} locaties getoond")).to_be_visible()
    page.get_by_label("Kies een locatie (of klik erop op de kaart)").click()
    page.keyboard.type("Kaartproject")  # the option list is virtual: narrow it down
    expect(page.get_by_role("option", name="Kaartproject Assen (EIGEN-0003)")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator(".st-key-kaart_upload_1")).to_be_attached()  # the box starts empty again
    no_exception(page)


def test_own_theme_layer_makes_bodemdaling_known(page: Page, server: AppServer, tmp_path: Path):
    broken = tmp_path / "kapot.tif"
    broken.write_bytes(b"dit is geen GeoTIFF")
    raster = synthetic_subsidence_raster(tmp_path / "synthetic_bodemdaling.tif")
    open_page(page, server, "kaart")
    open_expander(page, "Eigen themalaag (water & bodem)", ".st-key-kaart_thema")
    choose(page, "Thema", "Bodemdaling")
    expect(page.get_by_text("GeoTIFF met verwachte bodemdaling (cm)")).to_be_visible(
        timeout=RUN_TIMEOUT_MS
    )
    theme_input = page.locator('.st-key-kaart_thema_upload_0 input[type="file"]')
    theme_input.set_input_files(str(broken))
    wait_for_run(page)
    page.get_by_role("button", name="Gebruiken in de screening").click()
    wait_for_run(page)
    error = page.locator('[data-testid="stAlertContentError"]').first
    expect(error).to_contain_text("Eigen laag kapot.tif niet gebruikt", timeout=RUN_TIMEOUT_MS)
    expect(error).to_contain_text("niet leesbaar")
    no_exception(page)

    theme_input.set_input_files(str(raster))
    wait_for_run(page)
    page.get_by_role("button", name="Gebruiken in de screening").click()
    wait_for_run(page)
    notice = page.locator('[data-testid="stAlertContentSuccess"]').first
    expect(notice).to_contain_text(
        "Eigen laag synthetic_bodemdaling.tif gebruikt voor bodemdaling", timeout=RUN_TIMEOUT_MS
    )
    known = re.search(r"(\d+) van (\d+) locaties", notice.inner_text())
    # the policy sites whose bodemdaling the shipped layers know (Zuid-Holland's bodem layer)
    # plus Testproject Noord under the own raster; Zuid and Assen lie outside both
    column = f"{derived_layer().id}.bodemdaling"
    policy_known = int(screen_locations(load_locations(), online=False).table[column].notna().sum())
    assert known and int(known.group(1)) == policy_known + 1, notice.inner_text()
    expect(page.get_by_text("In gebruik — Bodemdaling: synthetic_bodemdaling.tif")).to_be_visible()
    no_exception(page)
    screenshot(page, "kaart_themalaag")

    page.get_by_role("link", name="Bronnen").click()  # same session: the own layer stays in use
    expect(page.locator("h1").first).to_have_text("Bronnen", timeout=RUN_TIMEOUT_MS)
    wait_for_run(page)
    expect(page.locator('[data-testid="stAlertContentInfo"]')).to_contain_text(
        "Bodemdaling: eigen laag synthetic_bodemdaling.tif", timeout=RUN_TIMEOUT_MS
    )
    no_exception(page)
    screenshot(page, "bronnen_themalaag")


def test_self_scan_form_produces_a_score(page: Page, server: AppServer):
    open_page(page, server, "zelfscan")
    set_user(page)
    total = (
        page.locator('[data-testid="stMetric"]')
        .filter(has_text="Totaalscore")
        .locator('[data-testid="stMetricValue"]')
    )
    before = total.inner_text()
    form = page.locator('[data-testid="stForm"]').filter(has_text="Wie heeft de grondpositie?")
    # grondpositie 0.2 + financiële dekking 0.2 + planfase 2/3 of 0.25 with the 0.15 known from
    # the layers: 0.72 of the weight, above the model's minimale_dekking 0.6 (two gave 0.55)
    form.locator('[role="radiogroup"]').first.get_by_text("gemeente", exact=True).click()
    form.locator('[role="radiogroup"]').nth(1).get_by_text("schets", exact=True).click()
    form.locator('[role="radiogroup"]').nth(4).get_by_text("rond", exact=True).click()
    form.get_by_role("button", name="Antwoorden opslaan en scoren").click()
    wait_for_run(page)
    expect(page.get_by_text("Antwoorden opgeslagen.")).to_be_visible(timeout=RUN_TIMEOUT_MS)
    expect(total).not_to_have_text(before, timeout=RUN_TIMEOUT_MS)
    after = total.inner_text()
    assert re.fullmatch(r"\d+(,\d)?", after), after
    klasse = (
        page.locator('[data-testid="stMetric"]')
        .filter(has_text="Prioriteitsklasse")
        .locator('[data-testid="stMetricValue"]')
        .inner_text()
    )
    assert klasse in {"shortlist", "kandidaat", "longlist"}
    no_exception(page)
    page.get_by_role("heading", name="4. Score").evaluate(
        "el => el.scrollIntoView({block: 'start'})"
    )
    screenshot(page, "zelfscan_score")


def test_weight_change_reorders_the_shortlist(page: Page, server: AppServer):
    # Kansrijk Bouwen: every policy location has data for all three pillars (no questions needed).
    open_page(page, server, "shortlist")
    page.get_by_label("Scoremodel").click()
    page.get_by_role("option", name="Kansrijk Bouwen (Maasdriel-stijl) (standaard)").click()
    wait_for_run(page)
    before = top_list(page)
    page.get_by_text("Gewichten van de pijlers aanpassen").click()
    for label in ("Ruimtelijke kwaliteit", "Voortgang en haalbaarheid"):
        field = page.get_by_label(label, exact=True)
        field.fill("0")
        field.press("Enter")
        wait_for_run(page)
    after = top_list(page)
    assert after != before, after
    no_exception(page)
    screenshot(page, "shortlist_gewichten")


def pick_decision_location(page: Page, name: str) -> None:
    """Choose the decision's location explicitly (there is no default): type, take the option."""
    box = page.get_by_role("combobox", name="Locatie", exact=True)
    box.scroll_into_view_if_needed()
    box.click()
    page.keyboard.type(name)
    expect(page.get_by_role("option").filter(has_text=name).first).to_be_visible(
        timeout=RUN_TIMEOUT_MS
    )
    page.keyboard.press("Enter")
    wait_for_run(page)


def test_decision_survives_an_app_restart(page: Page, server: AppServer):
    open_page(page, server, "shortlist")
    set_user(page)
    pick_decision_location(page, "Bleizo")
    form = page.locator('[data-testid="stForm"]').filter(has_text="Besluit vastleggen")
    form.get_by_text("Afgevallen", exact=True).click()
    form.get_by_label("Notitie").fill("Te veel Natura 2000 in de buurt")
    form.get_by_role("button", name="Besluit vastleggen").click()
    wait_for_run(page)
    expect(page.locator(".st-key-shortlist_historie")).to_contain_text(
        "Te veel Natura 2000", timeout=RUN_TIMEOUT_MS
    )

    server.restart()
    open_page(page, server, "shortlist")
    pick_decision_location(page, "Bleizo")
    history = page.locator(".st-key-shortlist_historie")
    expect(history).to_contain_text("Te veel Natura 2000 in de buurt", timeout=RUN_TIMEOUT_MS)
    expect(history).to_contain_text("Afgevallen")
    expect(history).to_contain_text(USER)
    no_exception(page)


def test_pdf_download_is_a_valid_pdf_with_the_location_names(page: Page, server: AppServer):
    open_page(page, server, "shortlist")
    top_names = [line.split(". ", 1)[1] for line in top_list(page).split(": ", 1)[1].split(" · ")]
    page.get_by_role("button", name="PDF-rapport maken").click()
    wait_for_run(page)
    button = page.get_by_role("button", name="Download PDF-rapport")
    expect(button).to_be_visible(timeout=RUN_TIMEOUT_MS)
    with page.expect_download() as info:
        button.click()
    content = Path(info.value.path()).read_bytes()
    assert content.startswith(b"%PDF")
    text = " ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(content)).pages)
    flat = re.sub(r"\s+", " ", text)
    missing = [name for name in top_names if name not in flat]
    assert not missing, f"names not in the PDF: {missing}"


def test_geojson_download_is_wgs84_with_attribution(page: Page, server: AppServer):
    open_page(page, server, "shortlist")
    page.get_by_text("Eigen locaties meenemen").click()
    wait_for_run(page)
    with page.expect_download() as info:
        page.get_by_role("button", name="Locaties met scores (GeoJSON)").click()
    collection = json.loads(Path(info.value.path()).read_text(encoding="utf-8"))
    assert collection["type"] == "FeatureCollection"
    names = {feature["properties"]["naam"] for feature in collection["features"]}
    # doorbraak: DB-01 … DB-23 without DB-16 (22) + KL-01 (= DB-16) = 23; own: EIGEN-0001 … 0003
    assert (
        len(collection["features"]) == 23 + 3
        and {"Testproject Noord", "Kaartproject Assen"} <= names
    )
    assert "Studiegebied Emmen" not in names  # the other layer of the Kaart upload was not chosen
    frame = gpd.GeoDataFrame.from_features(collection["features"], crs="EPSG:4326")
    minx, miny, maxx, maxy = frame.total_bounds
    assert 3.0 < minx < maxx < 7.5 and 50.5 < miny < maxy < 53.7  # lon/lat of the Netherlands
    assert any("CBS" in line for line in collection["attributie"])
    assert {"natura2000", "water_bodem"} <= {source["laag"] for source in collection["bronnen"]}

"""PDF reports: valid PDF, names (incl. 'ë'), scores, knelpunten, sources, attribution, map."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pypdf
import pytest
from PIL import Image

from export_fixtures import (
    DRAWN_NAME,
    export_explanations,
    export_knelpunten,
    export_locations,
    export_provenance,
    export_scores,
    natura2000,
)
from locatiescan.errors import InputError
from locatiescan.export import location_report_pdf, pdf, shortlist_report_pdf
from locatiescan.export.mapimage import (
    location_map_png,
    map_extent,
    nice_length,
    nice_scale,
)

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "export"


@pytest.fixture(scope="module")
def inputs():
    return {
        "locations": export_locations(),
        "scores": export_scores(),
        "explanations": export_explanations(),
        "knelpunten": export_knelpunten(),
        "provenance": export_provenance(),
        "overlays": {"Natura 2000": natura2000()},
    }


@pytest.fixture(scope="module")
def shortlist(inputs):
    calls = []
    data = shortlist_report_pdf(
        **inputs, model_name="kansrijk_bouwen", progress=lambda f, m: calls.append((f, m))
    )
    return data, calls


def text_of(data: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages]


def section(data: bytes, location_id: str) -> str:
    """The text of one location's section: from its heading to the next heading."""
    text = "\n".join(text_of(data))
    start = text.index(f"({location_id})")
    others = ("DB-03", "KL-01", "DB-04", "EIGEN-0001")
    ends = [text.find(f"({other})", start + 1) for other in others]
    ends.append(text.index("Bronnen en peildata"))
    return text[start : min(e for e in ends if e > start)]


def test_shortlist_is_a_valid_pdf_with_every_name_and_the_attribution(shortlist):
    data, _ = shortlist
    assert data.startswith(b"%PDF-")
    pages = text_of(data)
    text = "\n".join(pages)
    for name in (
        "Groot Merwede - Rijnenburg",
        "Purmerend-Oostflank",
        "Almere Oosterwold",
        DRAWN_NAME,
    ):
        assert name in text
    assert all("Netbeheer Nederland (Capaciteitskaart)" in page for page in pages)  # footer
    assert "LIWO (basisinformatie-overstromingen.nl) / Rijkswaterstaat" in pages[-1]
    assert "Shortlist woningbouwlocaties" in pages[0] and "model: kansrijk_bouwen" in pages[0]


def test_shortlist_sections_follow_the_ranking(shortlist):
    text = "\n".join(text_of(shortlist[0]))
    # one section per location, best first (rang 1, 2, 3, then the unscored one)
    order = ["(EIGEN-0001)", "(DB-04)", "(DB-03)", "(KL-01)"]
    positions = [text.index(heading) for heading in order]
    assert positions == sorted(positions)
    assert text.index("Bronnen en peildata") > positions[-1]


def test_location_section_has_facts_scores_explanations_knelpunten(shortlist):
    page = " ".join(section(shortlist[0], "DB-03").split())
    assert "Geometrie indicatief: cirkel op basis van woningaantal" in page
    assert "Utrecht; Nieuwegein" in page
    assert "Totaal" in page and "65,00" in page and "Rang" in page
    # pillar row: score 0.5, contribution 25 points, 37.5 % of its weight without data
    assert "Score (0-1)" in page and "kwaliteit 0,50 25 38 %" in page
    assert "Natura 2000-overlap ruimte 12,50 < 5 2 / 10 0,30 0,60 ok" in page
    assert "bodemdaling water en bodem – – – / 5 0,10 – onbekend" in page
    assert "Overlapt 12,3 ha (8 %) met Natura 2000: Naardermeer" in page
    assert "Lage score op Natura 2000" not in page  # the layer sentence says it already
    assert "Netcongestie afname: tekort, wachtrij (code 3)" in page
    assert "Geen gegevens: bodemdaling" in page
    assert "EPSG:28992" in page and "schaal ca. 1:" in page  # map caption


def test_unscored_location_is_shown_as_unknown(shortlist):
    page = section(shortlist[0], "KL-01")
    assert "onbekend" in page
    assert "Netcongestie afname: in onderzoek, met wachtrij (code 2)" in page
    assert "Geen gegevens: Natura 2000" in page


def test_sources_page_lists_provenance_dates_and_warnings(shortlist):
    last = text_of(shortlist[0])[-1]
    assert "natura2000" in last and "2026-08-04" in last and "2026-08-21" in last
    assert "Waddenzee en Noordzeekustzone ontbreken offline" in last
    assert "Capaciteitskaart Netbeheer Nederland" in last


def test_progress_is_reported_per_location(shortlist):
    _, calls = shortlist
    assert [round(f, 2) for f, _ in calls] == [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]
    assert calls[0][1] == f"Locatie 1 van 4: {DRAWN_NAME}"
    assert [m for _, m in calls[-2:]] == ["PDF opmaken", "Rapport klaar"]


def coloured_pixels(png: Path) -> tuple[int, int]:
    """(red-ish, green-ish) pixel counts: location fill/outline and Natura 2000 fill."""
    page = np.asarray(Image.open(png).convert("RGB")).astype(int)
    r, g, b = page[..., 0], page[..., 1], page[..., 2]
    return int(((r > g + 40) & (r > b + 40)).sum()), int(((g > r + 20) & (g > b + 10)).sum())


def test_rendered_pages_show_the_maps(shortlist):
    pdftoppm = shutil.which("pdftoppm")
    assert pdftoppm, "pdftoppm missing: install the Debian package poppler-utils"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "shortlist.pdf").write_bytes(shortlist[0])
    for old in ARTIFACTS.glob("shortlist-page*.png"):
        old.unlink()
    subprocess.run(
        [
            pdftoppm,
            "-r",
            "50",
            "-png",
            "-f",
            "1",
            "-l",
            "2",
            str(ARTIFACTS / "shortlist.pdf"),
            str(ARTIFACTS / "shortlist-page"),
        ],
        check=True,
        timeout=60,
    )
    overview, drawn = sorted(ARTIFACTS.glob("shortlist-page*.png"))
    red, green = coloured_pixels(overview)
    assert red > 20 and green > 2_000  # four location markers over the Natura 2000 areas
    red, green = coloured_pixels(drawn)
    assert red > 2_000 and green == 0  # the 24 ha drawn polygon, no Natura 2000 within 2 km


def test_location_report_of_one_location(inputs):
    data = location_report_pdf("EIGEN-0001", **inputs)
    pages = text_of(data)
    assert f"Locatierapport {DRAWN_NAME}" in pages[0]
    assert "Groot Merwede" not in "".join(pages) and "Overzicht" not in pages[0]
    assert "Eigen geometrie (geïmporteerd of getekend)" in pages[0]
    assert "82,50" in pages[0] and "Bonus" in pages[0]
    assert "Bronnen en peildata" in pages[-1]


def test_helvetica_fallback_still_renders_e_trema(inputs, monkeypatch, tmp_path):
    monkeypatch.setattr(pdf, "DEJAVU_DIR", tmp_path / "geen-fonts")
    pdf._fonts.cache_clear()
    try:
        data = location_report_pdf("EIGEN-0001", inputs["locations"])
    finally:
        pdf._fonts.cache_clear()
    assert DRAWN_NAME in text_of(data)[0]
    assert b"DejaVu" not in data


def test_dejavu_is_embedded_when_installed(inputs):
    assert b"DejaVuSans" in location_report_pdf("EIGEN-0001", inputs["locations"])


def test_unknown_location_id(inputs):
    with pytest.raises(InputError) as err:
        location_report_pdf("XX-99", inputs["locations"])
    assert "staat niet tussen de locaties" in err.value.nl


def test_input_errors(inputs):
    locations = inputs["locations"]
    with pytest.raises(InputError, match="No locations"):
        shortlist_report_pdf(locations.iloc[0:0])
    with pytest.raises(InputError, match="no CRS"):
        shortlist_report_pdf(locations.set_crs(None, allow_override=True))
    with pytest.raises(InputError, match="no 'id' column"):
        shortlist_report_pdf(locations.drop(columns="id"))
    with pytest.raises(InputError, match="not unique"):
        shortlist_report_pdf(locations.iloc[[0, 0]])
    no_crs = inputs["overlays"]["Natura 2000"].set_crs(None, allow_override=True)
    with pytest.raises(InputError) as err:
        shortlist_report_pdf(locations, overlays={"Natura 2000": no_crs})
    assert "Kaartlagen" in err.value.nl and "Natura 2000" in str(err.value)


# -- map image (pure parts and the PNG) --------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "nice"), [(3_400, 2_000), (999, 500), (10_000, 10_000), (73, 50)]
)
def test_nice_length(target, nice):
    assert nice_length(target) == nice


@pytest.mark.parametrize(
    ("denominator", "nice"), [(61_234, 61_000), (2_451_000, 2_500_000), (87, 87)]
)
def test_nice_scale(denominator, nice):
    assert nice_scale(denominator) == nice


def test_map_extent_pads_keeps_aspect_and_minimum_width(inputs):
    drawn = inputs["locations"].iloc[[-1]]  # 400 m x 600 m box
    minx, miny, maxx, maxy = map_extent(drawn, aspect=2.0)
    assert (maxx - minx, maxy - miny) == pytest.approx((2_000, 1_000))  # minimum 2 km wide
    assert ((minx + maxx) / 2, (miny + maxy) / 2) == pytest.approx((133_200, 452_300))
    minx, miny, maxx, maxy = map_extent(inputs["locations"], aspect=1.0)
    assert maxx - minx == pytest.approx(maxy - miny)


def test_map_png_size_follows_print_size_and_dpi(inputs):
    png = location_map_png(
        inputs["locations"], inputs["overlays"], width_cm=10.16, height_cm=5.08, dpi=100
    )
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.size == (400, 200)

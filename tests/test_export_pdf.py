"""PDF reports: valid PDF, names (incl. 'ë'), labels not codes, ranges, all pillars, ties kept,
Dutch numbers, page numbers, sources without local paths, attribution, maps with context."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pypdf
import pytest
from PIL import Image

from export_fixtures import (
    DRAWN_NAME,
    engine_scores,
    export_explanations,
    export_knelpunten,
    export_locations,
    export_provenance,
    export_scores,
    natura2000,
)
from locatiescan.errors import InputError
from locatiescan.export import location_report_pdf, pdflayout, shortlist_report_pdf
from locatiescan.export.mapimage import (
    location_map_png,
    map_extent,
    nice_length,
    nice_scale,
)
from locatiescan.export.tables import ReportSection, top_with_ties

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "export"
# An English-style decimal (0.88, 12.5) — Dutch text writes 0,88; Dutch thousands (1.875) have
# exactly three digits after the dot.
ENGLISH_DECIMAL = re.compile(r"(?<![\d.])\d+\.(\d{1,2}|\d{4,})(?![\d.])")


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
    # footer: attribution and 'pagina X van Y' on every page
    assert all("Netbeheer Nederland, EIB" in page for page in pages)
    assert all(f"pagina {n} van {len(pages)}" in page for n, page in enumerate(pages, start=1))
    assert "LIWO (basisinformatie-overstromingen.nl) / Rijkswaterstaat" in pages[-1]
    assert "Provincie Zuid-Holland" in pages[-1] and "Provincie Zeeland" in pages[-1]
    assert "Shortlist woningbouwlocaties" in pages[0] and "model: kansrijk_bouwen" in pages[0]


def test_no_none_no_paths_no_english_decimals(shortlist):
    text = "\n".join(text_of(shortlist[0]))
    assert "None" not in text and "nan" not in text.split()
    assert "/work/" not in text and "shared/data" not in text  # sources without local paths
    assert "natura2000_nl_rd_simplified2m.gpkg" in text  # ... but with the file name
    numbers = text.replace("CC BY 4.0", "")  # a licence name, not a number
    assert not ENGLISH_DECIMAL.search(numbers), ENGLISH_DECIMAL.search(numbers)


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
    assert "Woningen 63.000–75.000" in page  # the range, not only its upper end
    assert "Partijen Utrecht, Nieuwegein, provincie Utrecht, VRO, IenW, HDSR, BPD, Portaal" in page
    assert "Status intentieakkoord; financiele strategie en fasering in uitwerking" in page
    assert "Kamerbrief doorbraakaanpak, 12 juni 2025 (brontekst 003)" in page
    assert "Oppervlakte 1.875,0 ha" in page  # 75,000 homes / 40 per ha
    assert "Totaalscore (0–100) 65,0" in page and "Rang 3" in page
    # pillar row: score 0.5, contribution 25 points, 37.5 % of its weight without data
    assert "Score (0–1)" in page and "Kwaliteit 0,50 25,0 38 %" in page
    # criterion row: value 12.5 in Dutch, the rule '< 5' as written, points 2 of 10
    assert "Natura 2000-overlap ruimte 12,5 < 5 2 / 10 0,3 0,6 ok" in page
    assert "bodemdaling water en bodem – – – / 5 0,1 – onbekend" in page
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
    text = "\n".join(text_of(shortlist[0]))
    last = text[text.index("Bronnen en peildata") :]
    assert "Natura 2000-gebieden" in last  # the layer's title, not its id
    assert "04-08-2026" in last and "21-08-2026" in last
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
    drawn_page = next(
        n for n, page in enumerate(text_of(shortlist[0]), start=1) if "(EIGEN-0001)" in page
    )
    for page, name in ((1, "overview"), (drawn_page, "drawn")):
        subprocess.run(
            [pdftoppm, "-r", "50", "-png", "-singlefile", "-f", str(page), "-l", str(page)]
            + [str(ARTIFACTS / "shortlist.pdf"), str(ARTIFACTS / f"shortlist-page-{name}")],
            check=True,
            timeout=60,
        )
    red, green = coloured_pixels(ARTIFACTS / "shortlist-page-overview.png")
    assert red > 20 and green > 2_000  # four location markers over the Natura 2000 areas
    red, green = coloured_pixels(ARTIFACTS / "shortlist-page-drawn.png")
    assert red > 2_000 and green == 0  # the 24 ha drawn polygon, no Natura 2000 within 2 km
    water = np.asarray(Image.open(ARTIFACTS / "shortlist-page-overview.png").convert("RGB"))
    blue = (water[..., 2].astype(int) > water[..., 0].astype(int) + 25).sum()
    assert blue > 500  # context: open water (IJsselmeer) on the overview map


def test_location_report_of_one_location(inputs):
    data = location_report_pdf("EIGEN-0001", **inputs)
    pages = text_of(data)
    assert f"Locatierapport {DRAWN_NAME}" in pages[0]
    assert "Groot Merwede" not in "".join(pages) and "Overzicht" not in pages[0]
    assert "Eigen geometrie (geïmporteerd of getekend)" in pages[0]
    assert "82,5" in pages[0] and "Bonus (punten) 2,5" in " ".join(pages[0].split())
    assert "Bronnen en peildata" in pages[-1]


def test_helvetica_fallback_still_renders_e_trema(inputs, monkeypatch, tmp_path):
    monkeypatch.setattr(pdflayout, "DEJAVU_DIR", tmp_path / "geen-fonts")
    pdflayout.fonts.cache_clear()
    try:
        data = location_report_pdf("EIGEN-0001", inputs["locations"])
    finally:
        pdflayout.fonts.cache_clear()
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


def test_all_pillars_and_readable_headers_in_the_overview(inputs):
    """Five pillars, as the doorbraak model has: every one gets a column, none is dropped."""
    scores = inputs["scores"].copy()
    pillars = ["grondposities", "planologische_status", "betrokkenheid", "financiele_dekking"]
    for pillar in pillars:
        scores[f"pijler.{pillar}"] = float("nan")
    data = shortlist_report_pdf(**{**inputs, "scores": scores})
    overview = " ".join(" ".join(text_of(data)[:3]).split())
    for label in ("Grondposities", "Planologische status", "Betrokkenheid", "Financiele dekking"):
        assert f"{label} (0–1)" in overview
    assert "Kwaliteit (0–1)" in overview
    assert "planologische_status" not in overview and "shortl ist" not in overview


def test_top_n_keeps_ties_together(inputs):
    scores = inputs["scores"].copy()
    scores.loc["DB-04", ["totaal", "rang"]] = [82.5, 1.0]  # tied with EIGEN-0001 for first
    data = shortlist_report_pdf(**{**inputs, "scores": scores}, top=1)
    text = "\n".join(text_of(data))
    assert "top 1 (met gelijke scores: 2 locaties)" in text
    assert "(EIGEN-0001)" in text and "(DB-04)" in text
    assert "(DB-03)" not in text and "(KL-01)" not in text


def test_knock_outs_and_withheld_totals_are_visible(inputs):
    data = shortlist_report_pdf(**{**inputs, "scores": engine_scores()})
    overview = " ".join(" ".join(text_of(data)[:3]).split())
    assert "65,0 (niet ontvankelijk)" in overview  # DB-03 fails a condition
    assert "tussen 20,0 en 75,0" in overview and "1–4" in overview  # KL-01: an interval
    assert "onvoldoende gegevens (35 % van het gewicht bekend)" in overview
    db03 = " ".join(section(data, "DB-03").split())
    assert "Ontvankelijk nee" in db03
    assert "Grondpositie: geen (vereist: gemeente of ontwikkelaar)" in db03
    assert "Gewicht met gegevens 62 %" in db03 or "Gewicht met gegevens 63 %" in db03


def test_extra_sections_appear_in_the_location_section(inputs):
    extra = {
        "DB-03": [
            ReportSection(
                "Besluiten",
                [["12-11-2026", "Op shortlist", "J. de Vries"]],
                header=["Datum", "Besluit", "Door"],
            )
        ]
    }
    data = location_report_pdf("DB-03", **inputs, extra_sections=extra)
    text = " ".join("\n".join(text_of(data)).split())
    assert "Besluiten Datum Besluit Door 12-11-2026 Op shortlist J. de Vries" in text


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


def test_top_with_ties_on_hand_made_ranks():
    import pandas as pd

    table = pd.DataFrame({"rang": [1.0, 2.0, 2.0, 4.0, 4.0, 4.0, 7.0, float("nan")]})
    assert len(top_with_ties(table, 3)) == 3  # the 3rd has rank 2, as the 2nd
    assert len(top_with_ties(table, 4)) == 6  # the 4th (rank 4) is tied with the 5th and 6th
    assert len(top_with_ties(table, 8)) == 8  # all, the unranked one too
    assert len(top_with_ties(table.drop(columns="rang"), 2)) == 2

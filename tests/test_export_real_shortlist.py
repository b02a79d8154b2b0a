"""The shortlist PDF of the real 42 policy sites under the doorbraak model: top 10 keeps the
tie at place 10 together, every pillar of the model has a labelled column, ranges and parties
are shown (real data, offline screening)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pypdf
import pytest

from locatiescan.export import shortlist_report_pdf, top_with_ties
from locatiescan.export.tables import ranked
from locatiescan.indicators import indicators_for_locations
from locatiescan.knelpunten import knelpunten_per_location
from locatiescan.paths import SCORING_DIR
from locatiescan.registry import load_locations
from locatiescan.scoring import ScoringInput, load_model, score
from locatiescan.screening import screen_locations

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "export"


@pytest.fixture(scope="module")
def report():
    locations = load_locations()
    screening = screen_locations(locations)
    model = load_model(SCORING_DIR / "doorbraak_shortlist.yaml")
    result = score(
        model, ScoringInput(locations, screening, indicators_for_locations(locations), None)
    )
    knelpunten = knelpunten_per_location(
        screening.table, result.explanation, niet_bepaald=screening.niet_bepaald
    )
    data = shortlist_report_pdf(
        locations,
        result.table,
        result.explanation,
        knelpunten,
        screening.provenance,
        model=model,
        top=10,
    )
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "shortlist-top10-doorbraak.pdf").write_bytes(data)
    pages = [p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages]
    return locations, result, model, pages


def test_top_10_keeps_the_tie_at_place_10(report):
    locations, result, _, pages = report
    text = "\n".join(pages)
    table = ranked(locations, result.table)
    # without dossier answers the totals are withheld; the order (and ties) is by rank
    tenth = table["rang"].iloc[9]
    tied = table[table["rang"] == tenth]
    assert table["rang"].iloc[10] == tenth  # the data has a tie across place 10 ...
    chosen = top_with_ties(table, 10)
    assert len(chosen) > 10 and set(tied["id"]) <= set(chosen["id"])  # ... kept whole
    headings = re.findall(r"\(([A-Z]{2}-\d{2})\)", text)
    assert set(headings) == set(chosen["id"])
    assert f"top 10 (met gelijke scores: {len(chosen)} locaties)" in text


def test_every_pillar_has_a_labelled_column_and_no_ids(report):
    _, _, model, pages = report
    overview = " ".join(" ".join(pages[:3]).split())
    for pillar_id, pillar in model.pijlers.items():
        assert f"{pillar.label} (0–1)" in overview, pillar.label
        if "_" in pillar_id:  # e.g. planologische_status: a raw id
            assert pillar_id not in overview
    assert "Omvang en randvoorwaarden (0–1)" in overview  # the fifth pillar


def test_ranges_parties_and_page_numbers(report):
    *_, pages = report
    text = " ".join(" ".join(pages).split())
    assert "63.000–75.000" in text  # Groot Merwede - Rijnenburg, not only 75.000
    assert "Utrecht, Nieuwegein, provincie Utrecht, VRO, IenW, HDSR, BPD, Portaal" in text
    assert f"pagina {len(pages)} van {len(pages)}" in pages[-1]
    assert "None" not in text and "/work/" not in text

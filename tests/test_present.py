"""Presentation helpers: Dutch numbers, ranges, homes and code labels."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from locatiescan import present


@pytest.mark.parametrize(
    ("value", "decimals", "unit", "expected"),
    [
        (1234.5, 1, "", "1.234,5"),
        (902.3, 1, "ha", "902,3 ha"),
        (1.5, 1, "", "1,5"),
        (75000, 0, "", "75.000"),
        (None, 0, "", "onbekend"),
        (math.nan, 1, "m", "onbekend"),
        (pd.NA, 0, "", "onbekend"),
    ],
)
def test_nl_number(value, decimals, unit, expected):
    assert present.nl_number(value, decimals, unit) == expected


def test_ranges_and_homes():
    assert present.nl_range(63000, 75000) == "63.000–75.000"
    assert present.nl_range(20000, 20000) == "20.000"
    assert present.nl_range(None, 900) == "900"
    assert present.nl_range(None, None) == "onbekend"
    assert present.woningen_text(2500, None, threshold=True) == "≥ 2.500"
    assert present.woningen_text(2500, None) == "2.500"
    assert present.woningen_text(63000, 75000, threshold=True) == "63.000–75.000"


def test_percent():
    assert present.nl_percent(40.0) == "40 %"
    assert present.nl_percent(0.01) == "< 0,1 %"
    assert present.nl_percent(None) == "onbekend"


def test_labels_and_text():
    assert present.label("tekort_met_oplossing") == "tekort met oplossing"
    assert present.label("op_shortlist") == "Op shortlist"
    assert present.label("x", {"x": "Eigen label"}) == "Eigen label"
    assert present.label(True) == "ja" and present.label(False) == "nee"
    assert present.label(None) == "onbekend"
    assert present.text(0.8800000000000001) == "0,9"
    assert present.text(0.8800000000000001, 2) == "0,88"
    assert present.text(["Veluwe", "Rijntakken"]) == "Veluwe; Rijntakken"
    assert present.text(3.0) == "3"


def test_compact_numbers_dates_and_rules():
    assert present.nl_compact(66.7) == "66,7"
    assert present.nl_compact(0.8800000000000001) == "0,88"
    assert present.nl_compact(5000.0) == "5.000"
    assert present.nl_date("2026-08-04") == "4 augustus 2026"
    assert present.nl_date("2013-12-11", short=True) == "11-12-2013"
    assert present.rule_text(">= 5000") == "≥ 5.000"
    assert present.rule_text("== tekort_met_oplossing") == "= tekort met oplossing"
    assert present.rule_text("in [ontwikkelaar, corporatie]") == "ontwikkelaar of corporatie"
    assert present.rule_text("tussen 2.5 en 5") == "tussen 2,5 en 5"
    assert present.rule_text("anders") == "anders"


def test_column_labels_with_units():
    pillars = {"planologische_status": "Status van de planologische uitwerking"}
    assert present.column_label("pijler.planologische_status", pillars) == (
        "Status van de planologische uitwerking (score 0–1)"
    )
    assert present.column_label("totaal") == "Totaalscore (0–100)"
    layers = {"natura2000": "Natura 2000-gebieden"}
    assert present.column_label("natura2000.overlap_pct", layers=layers) == (
        "Natura 2000-gebieden: overlap (%)"
    )
    assert present.source_ref_text("vraag.planfase") == "antwoord: planfase"


def test_sources_without_local_paths():
    cited = "003_4a28ca6f4c3f42b0.txt (Kamerbrief doorbraakaanpak, 12 juni 2025)"
    assert present.source_text(cited) == "Kamerbrief doorbraakaanpak, 12 juni 2025 (brontekst 003)"
    assert present.source_text("/work/shared/data/cbs/gemeenten_2022.geojson") == (
        "gemeenten_2022.geojson"
    )
    url = "https://service.pdok.nl/rvo/natura2000/wfs/v1_0"
    assert present.source_text(url) == url


def test_rows_homes_totals_and_ranks():
    assert present.woningen_of({"woningen_min": 63000, "woningen_max": 75000}) == "63.000–75.000"
    threshold = {"woningen_min": 2500, "woningen_max": None, "woningen_drempel": True}
    assert present.woningen_of(threshold) == "≥ 2.500"
    assert present.woningen_of({"woningen": 960}) == "960"
    assert present.total_text({"totaal": 65.0}) == "65,0"
    withheld = {"totaal": math.nan, "totaal_min": 20.0, "totaal_max": 75.0}
    assert present.total_text(withheld) == "tussen 20,0 en 75,0"
    assert present.rank_text({"rang": 2.0}) == "2"
    assert present.rank_text({"rang": math.nan, "rang_min": 1.0, "rang_max": 4.0}) == "1–4"
    assert present.quality_label("gemeente").startswith("Geometrie op gemeenteniveau")


def test_nl_datetime_is_dutch_local_time():
    # 22:23 UTC in November is 23:23 in Amsterdam (CET, UTC+1); in July (CEST) +2
    assert present.nl_datetime("2026-11-25T22:23:52.732+00:00") == "25-11-2026 23:23"
    assert present.nl_datetime("2026-07-01T10:00:00") == "01-07-2026 12:00"
    assert present.nl_datetime(None) == "onbekend"
    assert present.nl_datetime("gisteren") == "gisteren"

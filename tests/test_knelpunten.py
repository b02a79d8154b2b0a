"""Knelpunten: metrics and explanations turned into Dutch sentences."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from locatiescan.knelpunten import NOT_DETERMINED, knelpunten, knelpunten_per_location
from locatiescan.present import nl_number

NAN = float("nan")


def explanation(**row):
    base = {
        "id": "L1",
        "pijler": "p",
        "criterium": "c",
        "label": "c",
        "bron": "vraag.c",
        "waarde": None,
        "regel": "",
        "punten": 10.0,
        "max_punten": 10.0,
        "gewicht": 0.1,
        "bijdrage": 1.0,
        "status": "ok",
        "reden": None,
    }
    return base | row


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [(12.345, 1, "12,3"), (1234567.8, 1, "1.234.567,8"), (8.0, 0, "8"), (0.04, 2, "0,04")],
)
def test_nl_number(value, decimals, text):
    assert nl_number(value, decimals) == text


def test_natura2000_overlap_sentence_with_area_share_and_names():
    metrics = {
        "natura2000.overlap_ha": 12.34,
        "natura2000.overlap_pct": 8.2,
        "natura2000.names": "Naardermeer",
        "natura2000.distance_m": 0.0,
    }
    assert knelpunten(metrics) == ["Overlapt 12,3 ha (8 %) met Natura 2000: Naardermeer"]


@pytest.mark.parametrize(
    ("metrics", "sentence"),
    [
        (
            {
                "natura2000.overlap_ha": 0.04,
                "natura2000.overlap_pct": 0.02,
                "natura2000.names": ["Lepelaarplassen", "Oostvaardersplassen"],
            },
            "Overlapt 0,04 ha (< 0,1 %) met Natura 2000: Lepelaarplassen; Oostvaardersplassen",
        ),
        (
            {"natura2000.overlap_ha": 2.0, "natura2000.overlap_pct": 0.5, "natura2000.names": None},
            "Overlapt 2,0 ha (0,5 %) met Natura 2000",
        ),
        ({"natura2000.overlap_ha": 1500.0}, "Overlapt 1.500,0 ha met Natura 2000"),
        (
            {"natura2000.overlap_ha": 0.0, "natura2000.distance_m": 1234.4},
            "Natura 2000 op 1.234 m afstand",
        ),
        ({"natura2000.overlap_ha": 0.0, "natura2000.distance_m": 0.0}, "Grenst aan Natura 2000"),
    ],
)
def test_natura2000_variants(metrics, sentence):
    assert knelpunten(metrics) == [sentence]


def test_no_natura2000_nearby_is_no_knelpunt():
    assert (
        knelpunten(
            {
                "natura2000.overlap_ha": 0.0,
                "natura2000.overlap_pct": 0.0,
                "natura2000.names": None,
                "natura2000.distance_m": NAN,
            }
        )
        == []
    )


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (3, ["Netcongestie afname: tekort, wachtrij (code 3)"]),
        (np.float64(2.0), ["Netcongestie afname: in onderzoek, met wachtrij (code 2)"]),
        (1, []),
        (0, []),
        (-1, []),
    ],
)
def test_netcongestie_codes_with_a_queue_are_knelpunten(code, expected):
    assert knelpunten({"netcongestie.afname_code": code}) == expected


def test_water_safety_class_with_the_reason_for_that_class():
    metrics = {
        "water_bodem.waterveiligheid": "D",
        "water_bodem.waterveiligheid_reden": (
            "D: buiten de dijkringen: buitendijks kandidaat; B: deels binnen 100 m van "
            "primaire kering 47-1 — indicatief (offline benadering)"
        ),
        "water_bodem.klasse": "D",
    }
    assert knelpunten(metrics) == [
        "Waterveiligheid indicatief klasse D (buiten de dijkringen: buitendijks kandidaat)"
    ]
    metrics["water_bodem.waterveiligheid_reden"] = "buitendijks kandidaat"
    assert knelpunten(metrics) == ["Waterveiligheid indicatief klasse D (buitendijks kandidaat)"]
    metrics["water_bodem.waterveiligheid_reden"] = None
    assert knelpunten(metrics) == ["Waterveiligheid indicatief klasse D"]


@pytest.mark.parametrize(
    ("safety", "overall", "expected"),
    [
        ("A", "C", ["Water en bodem indicatief klasse C (nee, tenzij)"]),
        ("B", "B", []),  # "ja, mits" holds nearly every location in the polders: no knelpunt
        ("A", "A", []),
    ],
)
def test_water_classes_c_and_d_are_knelpunten(safety, overall, expected):
    metrics = {"water_bodem.waterveiligheid": safety, "water_bodem.klasse": overall}
    assert knelpunten(metrics) == expected


def test_unknown_layers_and_water_themes_are_reported_not_hidden():
    metrics = {
        "natura2000.overlap_ha": NAN,
        "natura2000.distance_m": NAN,
        "netcongestie.afname_code": None,
        "water_bodem.klasse": pd.NA,
        "water_bodem.waterveiligheid": NAN,
        "water_bodem.onbekende_themas": "wateroverlast; bodemdaling; drinkwater",
    }
    assert knelpunten(metrics) == [
        (
            "Geen gegevens: Natura 2000, netcongestie, water en bodem, waterveiligheid, "
            "wateroverlast, bodemdaling, drinkwater"
        )
    ]


def test_absent_columns_are_tolerated():
    assert knelpunten({}) == []
    assert knelpunten({"andere_laag.iets": 5}) == []


def test_low_scoring_and_unknown_criteria_from_explanations():
    frame = pd.DataFrame(
        [
            explanation(label="Aandeel sociale huur", waarde=18.46, punten=2.0, max_punten=10.0),
            explanation(label="Grondpositie", waarde=np.bool_(False), punten=0.0, max_punten=5.0),
            explanation(
                label="Planfase", waarde="idee", punten=2.5, max_punten=5.0
            ),  # exactly half
            explanation(label="bodemdaling", waarde=None, punten=NAN, status="onbekend"),
            explanation(label="Woningaantal", waarde=np.int64(4000), punten=1.0, max_punten=3.0),
            explanation(label="Financiële dekking", punten=NAN, status="onbekend"),
            explanation(
                label="Industrieel bouwen",
                pijler="bonus",
                punten=0.0,
                max_punten=2.0,
                status="onbekend",
            ),
        ]
    )
    assert knelpunten({}, frame) == [
        "Lage score op Aandeel sociale huur: 2 van 10 punten (waarde 18,5)",
        "Lage score op Grondpositie: 0 van 5 punten (waarde nee)",
        "Lage score op Woningaantal: 1 van 3 punten (waarde 4.000)",
        "Geen gegevens: bodemdaling, Financiële dekking",
    ]


def test_order_constraints_low_scores_unknowns_without_repeating_a_layer():
    metrics = {
        "natura2000.overlap_ha": NAN,
        "netcongestie.afname_code": 3,
        "water_bodem.onbekende_themas": "bodemdaling",
    }
    frame = pd.DataFrame(
        [
            explanation(
                label="Natura 2000",
                status="onbekend",
                punten=NAN,
                bron="laag.natura2000.overlap_pct",
            ),
            explanation(
                label="Netcongestie",
                punten=0.0,
                max_punten=4.0,
                waarde=3,
                bron="laag.netcongestie.afname_code",
            ),
            explanation(
                label="Leegstand",
                punten=1.0,
                max_punten=4.0,
                waarde=4.7,
                bron="indicator.leegstand_pct",
            ),
            explanation(label="Bodemdaling", status="onbekend", punten=NAN),
        ]
    )
    assert knelpunten(metrics, frame) == [
        "Netcongestie afname: tekort, wachtrij (code 3)",
        "Lage score op Leegstand: 1 van 4 punten (waarde 4,7)",
        "Geen gegevens: Natura 2000, bodemdaling",
    ]


def test_per_location_uses_each_locations_own_explanations():
    screening = pd.DataFrame(
        {"netcongestie.afname_code": [3, 0]}, index=pd.Index(["DB-03", "KL-01"], name="id")
    )
    frame = pd.DataFrame(
        [
            explanation(id="KL-01", label="Grondpositie", punten=0.0, max_punten=5.0),
            explanation(id="DB-03", label="Grondpositie", punten=5.0, max_punten=5.0),
        ]
    )
    assert knelpunten_per_location(screening, frame) == {
        "DB-03": ["Netcongestie afname: tekort, wachtrij (code 3)"],
        "KL-01": ["Lage score op Grondpositie: 0 van 5 punten"],
    }
    assert knelpunten_per_location(screening) == {
        "DB-03": ["Netcongestie afname: tekort, wachtrij (code 3)"],
        "KL-01": [],
    }


def test_real_engine_output_on_real_locations():
    """The scoring engine's real explanation frame and the real offline screening."""
    from locatiescan.indicators import indicators_for_locations
    from locatiescan.registry import load_locations
    from locatiescan.scoring import ScoringInput, list_models, load_model, score
    from locatiescan.screening import screen_locations

    locations = load_locations()
    locations = locations[locations["id"].isin(["DB-03", "DB-04", "KL-01"])]
    screening = screen_locations(locations, ["natura2000", "netcongestie"], online=False)
    model = next(m for m in list_models() if m.path.stem == "kansrijk_bouwen")
    result = score(
        load_model(model.path),
        ScoringInput(locations, screening, indicators_for_locations(locations)),
    )

    per_location = knelpunten_per_location(screening.table, result.explanation)

    assert set(per_location) == set(locations["id"])
    almere = per_location["DB-04"]  # Almere Oosterwold: congestion queue in the Almere sanity check
    assert "Netcongestie afname: tekort, wachtrij (code 3)" in almere
    assert not any(s.startswith("Lage score op Netcongestie") for s in almere)
    assert almere[-1].startswith("Geen gegevens: ") and "Grondpositie" in almere[-1]
    assert not any("Industrieel" in s for s in almere)  # bonus item


def test_gemeente_level_location_gets_one_sentence_and_no_layer_knelpunt():
    """A withheld location (only the gemeente known) keeps what the gemeente-wide value said
    out of its knelpunten; criteria on questions stay, criteria on layers are not listed."""
    reason = "niet te bepalen: alleen de gemeente is bekend"  # sitemetrics.NIET_BEPAALD_REDEN
    # the values of the whole gemeente (e.g. Ede: 52 % Natura 2000) would give a sentence
    gemeente_wide = {"natura2000.overlap_ha": 9000.0, "natura2000.overlap_pct": 52.0}
    rows = pd.DataFrame(
        [
            explanation(label="Natura 2000", bron="laag.natura2000.overlap_pct", status="onbekend"),
            explanation(label="Grondpositie", bron="vraag.grondpositie", status="onbekend"),
            explanation(label="Planfase", bron="vraag.planfase", punten=1.0, max_punten=10.0),
        ]
    )
    assert knelpunten(gemeente_wide, rows, niet_bepaald=reason) == [
        "Locatiematen niet te bepalen: alleen de gemeente is bekend",
        "Lage score op Planfase: 1 van 10 punten",
        "Geen gegevens: Grondpositie",
    ]
    assert NOT_DETERMINED.format(reason=reason).startswith("Locatiematen niet te bepalen")


def test_per_location_passes_the_withheld_reason_to_its_location_only():
    reason = "niet te bepalen: alleen de gemeente is bekend"
    screening = pd.DataFrame(
        {"netcongestie.afname_code": [3, np.nan]}, index=pd.Index(["DB-03", "DB-07"], name="id")
    )
    result = knelpunten_per_location(screening, niet_bepaald={"DB-07": reason})
    assert result["DB-03"] == ["Netcongestie afname: tekort, wachtrij (code 3)"]
    assert result["DB-07"] == ["Locatiematen niet te bepalen: alleen de gemeente is bekend"]

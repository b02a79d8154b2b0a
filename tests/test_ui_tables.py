"""Pure table/label helpers of the pages: rankings, comparisons, answers, metric texts, sources,
own locations and layer overlays; hand-built inputs with hand-computed expectations."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from locatiescan import present
from locatiescan.errors import ConfigError, InputError
from locatiescan.layers.catalog import LayerDef, load_catalog
from locatiescan.layers.provenance import Provenance
from locatiescan.scoring import ScoringInput, parse_model, score
from locatiescan.scoring.sources import Known
from locatiescan.ui import answers, metrics, sources, tables
from locatiescan.ui.locations import as_location_table, drawn_location, for_workspace
from locatiescan.ui.overlays import map_style, overlay_for_layer

RD = "EPSG:28992"
KNOWN = Known(metrics={}, indicators=["leegstand_pct"])
MODEL = """
naam: Klein
pijlers:
  markt:
    gewicht: 0.5
    label: Markt
    criteria:
      - {id: leeg, label: Leegstand, bron: indicator.leegstand_pct, regels: [{als: "< 3", punten: 4}, {anders: 0}]}
  grond:
    gewicht: 0.5
    criteria:
      - {id: grond, label: Grond, bron: vraag.grond, regels: [{als: "== gemeente", punten: 2}, {anders: 0}]}
inzet:
  - {vanaf: 75, klasse: hoog, uren_per_maand: 10}
  - {anders: true, klasse: laag, uren_per_maand: 2}
vragen:
  - {id: grond, label: "Wie heeft de grond?", type: keuze, opties: [gemeente, markt]}
  - {id: woningen_extra, label: Extra woningen, type: getal, min: 0}
"""


@pytest.fixture
def result():
    model = parse_model(MODEL, "klein.yaml", KNOWN)
    locations = pd.DataFrame(
        {
            "id": ["a", "b", "c"],
            "naam": ["A", "B", "C"],
            "type": ["eigen"] * 3,
            "geometrie_kwaliteit": ["eigen", "indicatief", "gemeente"],
        }
    )
    indicators = pd.DataFrame({"leegstand_pct": [1.0, 5.0, float("nan")]}, index=["a", "b", "c"])
    answers_frame = pd.DataFrame({"grond": ["markt", "gemeente", None]}, index=["a", "b", "c"])
    return score(model, ScoringInput(locations, None, indicators, answers_frame)), locations


def test_ranked_table_orders_and_labels(result):
    scored, locations = result
    decisions = pd.DataFrame(
        {
            "volgnummer": [1, 2],
            "id": ["b", "b"],
            "model": ["m", "m"],
            "besluit": ["aangehouden", "op_shortlist"],
            "notitie": ["", ""],
            "door": ["x", "x"],
            "op": ["t1", "t2"],
        }
    )
    ranking = tables.ranked_table(scored, locations, decisions)
    # a: 100*(0.5*1 + 0.5*0) = 50; b: 100*(0.5*0 + 0.5*1) = 50; c: nothing known -> unknown, last
    assert list(ranking.index) == ["a", "b", "c"]
    assert list(ranking["Totaal"].iloc[:2]) == [50.0, 50.0] and pd.isna(ranking["Totaal"].iloc[2])
    assert list(ranking["Markt"].iloc[:2]) == [100.0, 0.0]
    assert list(ranking["Besluit"]) == ["", "Op shortlist", ""]
    assert list(ranking["Geometrie"]) == [  # labels, not codes (ui/labels.GEOMETRY_QUALITY)
        "eigen geometrie",
        "indicatief (cirkel op basis van woningaantal)",
        "gemeentegrens (locatie binnen de gemeente onbekend)",
    ]
    assert list(ranking["Woningen"]) == ["onbekend"] * 3  # no homes in this fixture
    assert tables.report_selection(ranking, 2) == ["a", "b"]
    assert tables.report_selection(ranking, "shortlist") == ["b"]
    assert tables.report_selection(ranking, None) == ["a", "b", "c"]


def test_contributions_and_comparison(result):
    scored, _ = result
    frame = tables.contributions(scored, ["a", "b"])
    assert frame.loc["A", "Markt"] == pytest.approx(50.0) and frame.loc[
        "B", "Grond"
    ] == pytest.approx(50.0)
    comparison = tables.comparison_table(scored, ["a", "c"])
    assert comparison.loc["Totaal", "C"] == "onbekend"
    with pytest.raises(InputError, match="compare 2 to 4 locations, not 1"):
        tables.contributions(scored, ["a"])


def test_knelpunten_table(result):
    scored, locations = result
    ranking = tables.ranked_table(scored, locations)
    frame = tables.knelpunten_table(ranking, {"a": ["Netcongestie: tekort", "Leegstand laag"]})
    assert list(frame["Knelpunten"]) == ["Netcongestie: tekort; Leegstand laag", "geen", "geen"]


def test_answer_form_round_trip():
    model = parse_model(MODEL, "klein.yaml", KNOWN)
    stored = answers.stored_values(model, pd.DataFrame({"grond": ["Gemeente"]}, index=["a"]), "a")
    assert stored == {"grond": "Gemeente", "woningen_extra": None}
    grond, extra = model.vragen
    assert answers.choices(grond) == ["onbekend", "gemeente", "markt"]
    assert answers.form_value(grond, stored["grond"]) == "gemeente"  # case-insensitive match
    assert answers.form_value(grond, None) == "onbekend" and answers.form_value(extra, None) is None
    assert (
        answers.answer_value(grond, "onbekend") is None and answers.answer_value(extra, 12) == 12.0
    )
    assert answers.stored_values(model, pd.DataFrame(), "zz") == {
        "grond": None,
        "woningen_extra": None,
    }


def test_dutch_numbers_and_metric_texts():
    assert present.nl_number(1234567.891, 1) == "1.234.567,9"
    assert present.nl_number(None) == "onbekend"
    assert metrics.metric_text("netcongestie.afname_code", 3) == "3: tekort, wachtrij"
    assert metrics.metric_text("netcongestie.afname_code", float("nan")) == "onbekend"
    assert metrics.metric_text("natura2000.overlap_pct", 12.345) == "12,3 %"
    assert (
        metrics.metric_text("natura2000.distance_m", float("nan"), 5000.0) == "verder dan 5.000 m"
    )
    assert metrics.metric_text("natura2000.distance_m", 1234.4) == "1.234 m"
    assert metrics.metric_text("natura2000.names", "") == "geen"
    assert metrics.metric_text("water_bodem.waterveiligheid", None) == "onbekend"


def test_metrics_table_hides_radius_and_labels_reasons():
    catalog = load_catalog()
    screening = pd.DataFrame(
        {
            "natura2000.distance_m": [float("nan")],
            "natura2000.distance_radius_m": [5000.0],
            "water_bodem.waterveiligheid_reden": ["binnen dijkring 14"],
        },
        index=["x"],
    )
    table = metrics.metrics_table(screening, "x", catalog)
    assert table.to_dict("records") == [
        {
            "Maat": "Natura 2000-gebieden: afstand tot dichtstbijzijnde (m)",
            "Waarde": "verder dan 5.000 m",
        },
        {
            "Maat": f"{catalog['water_bodem'].titel}: toelichting waterveiligheid",
            "Waarde": "binnen dijkring 14",
        },
    ]
    assert metrics.metrics_table(screening, "onbekend-id", catalog).empty


def test_sources_table_uses_provenance_and_hides_known_gaps_from_warnings():
    catalog = load_catalog()
    used = {
        "natura2000": Provenance(
            "natura2000",
            "/data/n2k.gpkg",
            "snapshot",
            "2026-08-04",
            "pd",
            "RVO",
            [catalog["natura2000"].hiaten[0], "online bron niet bereikbaar"],
        )
    }
    table = sources.sources_table(catalog, used).set_index("Laag")
    assert table.loc["Natura 2000-gebieden", "Gebruikt"] == "snapshot (offline)"
    assert table.loc["Natura 2000-gebieden", "Datum"] == "4 augustus 2026"
    assert table.loc["Natura 2000-gebieden", "Bron"] == "n2k.gpkg"  # no local path
    derived = sources.sources_table(
        catalog,
        {"water_bodem": Provenance("water_bodem", "a (/x/y.gpkg)", "snapshot", "", "pd", "RWS")},
    ).set_index("Laag")
    bron = derived.loc[catalog["water_bodem"].titel, "Bron"]
    assert bron.startswith("afgeleid uit Primaire waterkeringen") and "/" not in bron
    snapshots = sources.snapshots_table(catalog["natura2000"])
    assert snapshots["Bron"].iloc[0].startswith("bestand: natura2000_nl_rd_simplified2m.gpkg — ")
    assert table.loc[catalog["gemeenten"].titel, "Gebruikt"] == sources.NOT_USED
    assert sources.warnings_of(catalog["natura2000"], used) == ["online bron niet bereikbaar"]


def test_drawn_location_gets_gemeente_and_area():
    gemeenten = gpd.GeoDataFrame(
        {"gemeentecode": ["GM1", "GM2"], "gemeente": ["West", "Oost"], "provincie": ["P", "P"]},
        geometry=[box(0, 0, 1000, 1000), box(1000, 0, 2000, 1000)],
        crs=RD,
    )
    drawn = drawn_location(box(200, 200, 1200, 400), " Plan ", 50, gemeenten)
    row = drawn.iloc[0]
    assert (row["naam"], row["type"], row["geometrie_kwaliteit"], row["woningen"]) == (
        "Plan",
        "eigen",
        "eigen",
        50,
    )
    assert row["area_ha"] == pytest.approx(20.0)  # 1000 m x 200 m
    assert (row["gemeenten"], row["gemeentecodes"]) == (
        "West;Oost",
        "GM1;GM2",
    )  # 80 % / 20 % overlap
    with pytest.raises(InputError, match="polygon"):
        drawn_location(box(0, 0, 1, 1).boundary, "lijn", None, gemeenten)


def test_importer_ids_are_left_to_the_workspace_and_missing_columns_added():
    frame = gpd.GeoDataFrame(
        {"id": ["EIGEN-1", "EIGEN-2"], "naam": ["a", "b"]},
        geometry=[box(0, 0, 1, 1), box(2, 2, 3, 3)],
        crs=RD,
    )
    assert "id" not in for_workspace(frame).columns
    own_ids = frame.assign(id=["P1", "P2"])
    assert list(for_workspace(own_ids)["id"]) == ["P1", "P2"]
    table = as_location_table(gpd.GeoDataFrame({"id": ["X"]}, geometry=[box(0, 0, 1, 1)], crs=RD))
    assert (table.loc[0, "type"], table.loc[0, "geometrie_kwaliteit"]) == ("eigen", "eigen")
    assert pd.isna(table.loc[0, "woningen"])


def _layer(kaart: dict) -> LayerDef:
    return LayerDef(
        id="synthetic_klassen",
        titel="Synthetisch",
        thema="netcongestie",
        licentie="-",
        attributie="-",
        snapshot={"type": "file", "path": "x.gpkg"},
        kaart=kaart,
    )


def test_categorised_overlay_is_filtered_dissolved_and_coloured():
    layer = _layer(
        {
            "stijl": "categorie",
            "veld": "code",
            "filter": {"laag": ["afname"]},
            "popup": ["code", "bestaat_niet"],
            "klassen": [
                {"waarde": 0, "kleur": "#00ff00", "label": "vrij"},
                {"waarde": 3, "kleur": "#ff0000", "label": "vol"},
            ],
        }
    )
    features = gpd.GeoDataFrame(
        {"laag": ["afname", "afname", "afname", "opwek"], "code": [3, 3, 0, 3]},
        geometry=[
            box(0, 0, 1000, 1000),
            box(1000, 0, 2000, 1000),
            box(0, 2000, 1000, 3000),
            box(0, 0, 5, 5),
        ],
        crs=RD,
    )
    overlay = overlay_for_layer(layer, features)
    assert sorted(overlay.gdf["code"]) == [
        "0",
        "3",
    ]  # two tile pieces of class 3 merged, opwek dropped
    assert overlay.classes == {"0": "#00ff00", "3": "#ff0000"}
    assert overlay.tooltip == {"code": "Soort"}
    assert overlay.legend == [("#00ff00", "vrij"), ("#ff0000", "vol")]


def test_invalid_kaart_block_names_layer_and_field():
    with pytest.raises(ConfigError) as info:
        map_style(_layer({"stijl": "cirkel", "dekking": 2}))
    assert (
        "synthetic_klassen" in info.value.nl
        and "stijl" in info.value.nl
        and "dekking" in info.value.nl
    )


def test_every_shipped_layer_has_a_valid_kaart_block():
    for layer in load_catalog().values():
        map_style(layer)


def test_explanation_table_reads_onbekend_not_none(result):
    scored, _ = result
    table = tables.explanation_table(scored, "c")
    assert list(table["Criterium"]) == ["Leegstand", "Grond"]
    assert list(table["Waarde"]) == ["onbekend", "onbekend"]
    assert list(table["Regel"]) == ["—", "—"] and table["Punten"].isna().all()
    assert list(tables.explanation_table(scored, "a")["Punten"]) == [4.0, 0.0]


def test_dutch_text_writes_numbers_the_dutch_way_and_onbekend():
    from locatiescan.ui.tables import dutch_text

    frame = pd.DataFrame(
        {
            "Rang": pd.array([1, pd.NA], dtype="Int64"),
            "Totaal": [1234.56, float("nan")],
            "Naam": ["A", None],
        }
    )
    text = dutch_text(frame)
    assert list(text["Rang"]) == ["1", "onbekend"]
    assert list(text["Totaal"]) == ["1.234,6", "onbekend"]
    assert list(text["Naam"]) == ["A", "onbekend"]


def test_selection_from_link_reads_ids_and_picker_labels():
    from locatiescan.ui.locations import option_label, selection_from_link

    names = {"DB-05": "Almere Pampus"}
    assert option_label("DB-05", "Almere Pampus") == "Almere Pampus (DB-05)"
    assert selection_from_link("Almere Pampus (DB-05)", names) == "DB-05"
    assert selection_from_link("DB-05", names) == "DB-05"
    assert selection_from_link("Elders (X-1)", names) is None
    assert selection_from_link(None, names) is None

"""The Kaart's detail lines, programme choices, the Kaart table of withheld locations and the
homes target sentence (pure; real registry rows and hand-made ones)."""

from __future__ import annotations

import pandas as pd

from locatiescan.layers.catalog import load_catalog
from locatiescan.registry import load_locations
from locatiescan.sites import WoningenTotaal
from locatiescan.ui import details, filters, tables


def row_of(location_id: str) -> dict:
    frame = load_locations()
    return frame[frame["id"] == location_id].iloc[0].to_dict()


def test_one_site_in_two_programmes_shows_both_and_both_numbers_of_homes():
    lines = details.detail_lines(row_of("KL-01"))
    assert lines[0] == "Programma's: Koploper industrieel bouwen, Doorbraaklocatie"
    assert "Woningen (beleid): 5.000–5.800" in lines  # woningen_min 5000, woningen_max 5800
    eib = next(line for line in lines if line.startswith("Woningen volgens de plancapaciteit"))
    # 2,900 EIB homes over the two linked plans (locaties_eib_koppeling.csv, zekerheid hoog)
    assert eib == (
        "Woningen volgens de plancapaciteit: 2.900 woningen in 2 EIB-plannen (2020): "
        "Purmer Zuid-Zuid, Transformatie deel Golfterrein; koppeling zekerheid hoog"
    )
    assert "Geometrie: planpolygonen (EIB 2020)" in lines
    assert "Zelfde locatie als DB-16 (één keer geteld)" in lines


def test_plans_that_share_a_name_are_counted_as_plans_and_named_once():
    row = {
        "eib_woningen": 1200,
        "eib_plannamen": "Minervahaven Zuid; Sloterdijk; Minervahaven Zuid",
        "eib_ids": "EIB-1;EIB-2;EIB-3;EIB-4",
        "eib_zekerheid": "middel",
    }
    assert details.eib_text(row) == (
        "1.200 woningen in 4 EIB-plannen (2020; 2 plannamen): Minervahaven Zuid, Sloterdijk; "
        "koppeling zekerheid middel"
    )
    assert details.eib_text(row | {"eib_woningen": pd.NA}) is None


def test_registry_names_each_plan_once():
    # GS-01 links 89 EIB polygons (locaties_eib_koppeling.csv) with 39 distinct plan names in the
    # EIB GeoPackage; 15 of the polygons are "Minervahaven Zuid"
    row = row_of("GS-01")
    names = row["eib_plannamen"].split("; ")
    assert len(names) == len(set(names)) == 39
    assert names.count("Minervahaven Zuid") == 1
    assert details.eib_text(row).split(":")[0].endswith("in 89 EIB-plannen (2020; 39 plannamen)")


def test_threshold_is_not_a_count_and_nesting_is_said():
    lines = details.detail_lines(row_of("DB-05"))
    assert "Woningen (beleid): ≥ 2.500" in lines  # the doorbraak threshold, no count
    assert "Ligt binnen GS-03 (de woningen tellen daar mee)" in lines
    gemeente = details.detail_lines(row_of("DB-07"))
    assert "Geometrie: gemeentegrens (locatie binnen de gemeente onbekend)" in gemeente
    assert not any(line.startswith("Woningen volgens de plancapaciteit") for line in gemeente)


def test_drawn_outline_has_its_own_label():
    row = row_of("KL-03") | {"geometrie_kwaliteit": "ingetekend"}
    assert "Geometrie: zelf ingetekend" in details.detail_lines(row)


def test_programme_choices_count_every_programme_of_a_site():
    frame = pd.DataFrame(
        {"type": ["koploper", "eigen"], "programmas": ["koploper;doorbraak", None]}
    )
    assert filters.programmes_of(frame) == ["koploper", "doorbraak", "eigen"]
    assert filters.programmes_of(load_locations()) == ["koploper", "doorbraak", "grootschalig"]


def test_kaart_table_shows_the_reason_for_a_withheld_location():
    locations = load_locations()
    shown = locations[locations["id"].isin(["KL-01", "DB-07"])]
    screening = pd.DataFrame(
        {"natura2000.overlap_pct": [0.0, float("nan")]}, index=pd.Index(["KL-01", "DB-07"])
    )
    reason = "niet te bepalen: alleen de gemeente is bekend"
    frame = tables.kaart_table(shown, screening, load_catalog(), niet_bepaald={"DB-07": reason})
    column = "Natura 2000-gebieden: overlap (%)"
    assert frame.loc["KL-01", column] == "0,0 %"
    assert frame.loc["DB-07", column] == reason
    assert frame.loc["DB-07", "Woningen"] == "≥ 2.500"


def test_target_text_only_counts_the_floor_as_proof():
    met = WoningenTotaal(112_300, 144_500, 23, 5, 18, 0)
    assert tables.target_text(met, 100_000) == (
        "Doel van ten minste 100.000 woningen gehaald: samen ten minste 144.500 woningen."
    )
    # known counts above the target do not prove it when the floor is below: 90,000 < 100,000
    short = WoningenTotaal(120_000, 90_000, 10, 4, 6, 0)
    assert tables.target_text(short, 100_000) == (
        "Doel van ten minste 100.000 woningen nog niet aangetoond: samen ten minste 90.000 "
        "woningen (10.000 te weinig); de bekende aantallen tellen op tot 120.000 woningen."
    )


def test_criterion_values_from_layers_carry_their_class_label():
    # netcongestie code 3 is "tekort, wachtrij" in layers/netcongestie.yaml
    assert tables.value_text(3, "laag.netcongestie.afname_code") == "3: tekort, wachtrij"
    assert tables.value_text(12.345, "laag.natura2000.overlap_pct") == "12,3 %"
    assert tables.value_text(None, "laag.natura2000.overlap_pct") == "onbekend"
    assert tables.value_text("tekort_met_oplossing", "vraag.financiele_dekking") == (
        "tekort met oplossing"
    )


def test_joined_gemeenten_read_as_a_list():
    locations = load_locations()
    shown = locations[locations["id"] == "DB-03"]
    frame = tables.kaart_table(shown, pd.DataFrame(index=pd.Index(["DB-03"])), load_catalog())
    assert frame.loc["DB-03", "Gemeente(n)"] == "Utrecht, Nieuwegein"  # 'Utrecht;Nieuwegein'

"""XLSX export: Dutch headers with units, labels, ranges, rounded numbers with number formats,
'onbekend' for unknown values, screening columns, sources without local paths, attributions."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest

from export_fixtures import (
    DRAWN_NAME,
    engine_scores,
    export_explanations,
    export_knelpunten,
    export_locations,
    export_provenance,
    export_scores,
    export_screening,
)
from locatiescan.errors import InputError
from locatiescan.export import ATTRIBUTIONS, ranking_xlsx


def load(data: bytes) -> openpyxl.Workbook:
    assert data[:2] == b"PK"  # xlsx is a zip
    return openpyxl.load_workbook(io.BytesIO(data))


@pytest.fixture(scope="module")
def workbook():
    return load(
        ranking_xlsx(
            export_locations(),
            export_scores(),
            export_explanations(),
            export_knelpunten(),
            export_provenance(),
            model_name="kansrijk_bouwen",
            screening=export_screening(),
        )
    )


def rows(sheet):
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def table(sheet) -> tuple[list[str], dict[str, dict[str, object]]]:
    """Header and {location id: {header: value}} of a sheet with an 'Id' column."""
    header, *body = rows(sheet)
    return header, {r[header.index("Id")]: dict(zip(header, r, strict=True)) for r in body}


def test_sheets(workbook):
    assert workbook.sheetnames == ["Rangorde", "Toelichting", "Bronnen"]


def test_ranking_is_ordered_with_dutch_headers(workbook):
    sheet = workbook["Rangorde"]
    header, by_id = table(sheet)
    assert header[:3] == ["Rang", "Id", "Naam"]
    for column in ("Totaalscore (0–100)", "Klasse", "Inzet (uren per maand)", "Geometrie"):
        assert column in header
    assert [r[1] for r in rows(sheet)[1:]] == ["EIGEN-0001", "DB-04", "DB-03", "KL-01"]
    assert by_id["EIGEN-0001"]["Naam"] == DRAWN_NAME
    assert by_id["EIGEN-0001"]["Totaalscore (0–100)"] == 82.5
    assert by_id["EIGEN-0001"]["Kwaliteit (score 0–1)"] == 0.9 and header.count("Naam") == 1
    assert "geometry" not in header and sheet.freeze_panes == "B2" and sheet["A1"].font.bold


def test_facts_parties_status_source_and_ranges(workbook):
    _, by_id = table(workbook["Rangorde"])
    db03 = by_id["DB-03"]
    assert db03["Woningen"] == "63.000–75.000"  # the range, as text
    assert db03["Woningen (beste schatting)"] == 75_000
    assert (
        db03["Partijen"] == "Utrecht, Nieuwegein, provincie Utrecht, VRO, IenW, HDSR, BPD, Portaal"
    )
    assert db03["Status"].startswith("intentieakkoord")
    assert db03["Bron"].startswith("Kamerbrief doorbraakaanpak, 12 juni 2025 (brontekst 003)")
    assert db03["Programma"] == "Doorbraaklocatie" and db03["Gemeente(n)"] == "Utrecht; Nieuwegein"
    assert db03["Knelpunten"].split("\n") == [
        "Overlapt 12,3 ha (8 %) met Natura 2000: Naardermeer",
        "Netcongestie afname: tekort, wachtrij (code 3)",
        "Geen gegevens: bodemdaling",
    ]


def test_unknown_values_read_onbekend_never_empty(workbook):
    _, by_id = table(workbook["Rangorde"])
    kl01 = by_id["KL-01"]  # no score at all
    assert kl01["Rang"] == "onbekend" and kl01["Totaalscore (0–100)"] == "onbekend"
    assert kl01["Klasse"] == "onbekend" and kl01["Natura 2000-gebieden: overlap (%)"] == "onbekend"
    assert by_id["EIGEN-0001"]["Planstatus"] == "onbekend"  # the drawn location has none
    for row in by_id.values():
        assert None not in row.values() and "None" not in row.values()


def test_numbers_are_rounded_numbers_with_number_formats(workbook):
    sheet = workbook["Rangorde"]
    header, by_id = table(sheet)
    # 0.8800000000000001 % overlap is stored rounded to one decimal: 0.9
    assert by_id["DB-04"]["Natura 2000-gebieden: overlap (%)"] == 0.9
    assert by_id["EIGEN-0001"]["Natura 2000-gebieden: afstand tot dichtstbijzijnde (m)"] == 2346
    assert "Natura 2000-gebieden: overlapt met" in header
    assert not any("radius" in h for h in header)  # the search radius is not a column
    formats = {h: sheet.cell(row=2, column=n + 1).number_format for n, h in enumerate(header)}
    assert formats["Totaalscore (0–100)"] == "#,##0.0"  # Excel shows 82,5 in Dutch
    assert formats["Kwaliteit (score 0–1)"] == "0.00"
    assert formats["Kwaliteit: gewicht zonder gegevens (%)"] == "0%"
    assert formats["Woningen (beste schatting)"] == "#,##0"  # 960 / 75.000
    for row in sheet.iter_rows(min_row=2, values_only=True):
        for value in row:
            if isinstance(value, float):
                assert value == round(value, 6), value


def test_explanations_sheet_has_labels_in_ranking_order(workbook):
    header, *body = rows(workbook["Toelichting"])
    assert header[:4] == ["Id", "Naam", "Criterium", "Pijler"]
    assert [r[0] for r in body] == ["EIGEN-0001", "EIGEN-0001", "DB-04", "DB-04", "DB-03", "DB-03"]
    col = {name: header.index(name) for name in header}
    db03 = next(r for r in body if r[0] == "DB-03")
    assert db03[col["Naam"]] == "Groot Merwede - Rijnenburg"
    assert db03[col["Gegeven"]] == "Natura 2000-gebieden: overlap (%)"
    assert db03[col["Regel"]] == "< 5"
    assert db03[col["Punten"]] == 2 and db03[col["Bijdrage (punten)"]] == 0.6  # 2 x 0.3
    unknown = next(r for r in body if r[0] == "DB-03" and r[col["Status"]] == "onbekend")
    assert unknown[col["Waarde"]] == "onbekend" and unknown[col["Gegeven"]] == (
        "antwoord: bodemdaling"
    )


def test_sources_sheet_without_local_paths_and_with_every_attribution(workbook):
    values = [v for row in rows(workbook["Bronnen"]) for v in row if v is not None]
    assert "kansrijk_bouwen" in values
    assert "Natura 2000-gebieden" in values and "21-08-2026" in values
    assert "offline momentopname" in values
    assert "Waddenzee en Noordzeekustzone ontbreken offline" in values
    assert "natura2000_nl_rd_simplified2m.gpkg" in values  # the file name ...
    assert not any("/work/" in str(v) or "shared/data" in str(v) for v in values)  # ... no path
    for line in ATTRIBUTIONS:
        assert line in values
    for name in ("CBS", "PDOK", "RVO", "Netbeheer Nederland", "EIB", "Provincie Zuid-Holland"):
        assert any(name in line for line in ATTRIBUTIONS)
    assert any("Provincie Zeeland" in line for line in ATTRIBUTIONS)
    # a layer's own attribution: in the provenance table and added to the attribution list
    assert values.count("Capaciteitskaart Netbeheer Nederland") == 2


def test_engine_columns_show_knock_outs_and_withheld_totals():
    book = load(ranking_xlsx(export_locations(), engine_scores()))
    _, by_id = table(book["Rangorde"])
    assert by_id["DB-03"]["Ontvankelijk"] == "nee"
    assert by_id["DB-03"]["Voorwaarden niet voldaan of onbekend"].startswith("Grondpositie")
    assert by_id["KL-01"]["Oordeel"] == "onvoldoende gegevens (35 % van het gewicht bekend)"
    assert (
        by_id["KL-01"]["Totaalscore minimaal"] == 20 and by_id["KL-01"]["Rang (interval)"] == "1–4"
    )
    assert by_id["KL-01"]["Gewicht met gegevens (%)"] == 0.35


def test_extra_sheets_for_other_parts():
    decisions = pd.DataFrame({"Id": ["DB-03"], "Besluit": ["Op shortlist"]})
    book = load(ranking_xlsx(export_locations(), extra_sheets={"Besluiten": decisions}))
    assert book.sheetnames == ["Rangorde", "Toelichting", "Bronnen", "Besluiten"]
    assert rows(book["Besluiten"]) == [["Id", "Besluit"], ["DB-03", "Op shortlist"]]
    with pytest.raises(InputError) as err:
        ranking_xlsx(export_locations(), extra_sheets={"Bronnen": decisions})
    assert "Bronnen" in err.value.nl


def test_without_scores_explanations_or_provenance():
    book = load(ranking_xlsx(export_locations()))
    header, *body = rows(book["Rangorde"])
    assert header[:4] == ["Id", "Naam", "Programma", "Gemeente(n)"]
    assert len(body) == 4
    assert rows(book["Toelichting"])[0][:2] == ["Id", "Naam"]


def test_locations_without_ids_are_refused():
    with pytest.raises(InputError) as err:
        ranking_xlsx(export_locations().drop(columns="id"))
    assert "kolom 'id'" in err.value.nl

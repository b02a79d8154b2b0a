"""XLSX export: ranked sheet, explanations, sources and attributions."""

from __future__ import annotations

import io

import openpyxl
import pytest

from export_fixtures import (
    DRAWN_NAME,
    export_explanations,
    export_knelpunten,
    export_locations,
    export_provenance,
    export_scores,
)
from locatiescan.errors import InputError
from locatiescan.export import ATTRIBUTIONS, ranking_xlsx


@pytest.fixture(scope="module")
def workbook():
    data = ranking_xlsx(
        export_locations(),
        export_scores(),
        export_explanations(),
        export_knelpunten(),
        export_provenance(),
        model_name="kansrijk_bouwen",
    )
    assert data[:2] == b"PK"  # xlsx is a zip
    return openpyxl.load_workbook(io.BytesIO(data))


def rows(sheet):
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def test_sheets(workbook):
    assert workbook.sheetnames == ["Rangorde", "Toelichting", "Bronnen"]


def test_ranking_is_ordered_with_scores_and_knelpunten(workbook):
    sheet = workbook["Rangorde"]
    header, *body = rows(sheet)
    assert header[:3] == ["rang", "id", "naam"]
    for column in ("totaal", "klasse", "uren_per_maand", "geometrie_kwaliteit", "knelpunten"):
        assert column in header
    col = {name: header.index(name) for name in header}
    assert [r[col["id"]] for r in body] == ["EIGEN-0001", "DB-04", "DB-03", "KL-01"]
    assert [r[col["rang"]] for r in body] == [1, 2, 3, None]  # unknown rank stays empty
    assert body[0][col["naam"]] == DRAWN_NAME and body[0][col["totaal"]] == 82.5
    assert body[0][col["pijler.kwaliteit"]] == 0.9 and header.count("naam") == 1
    assert body[3][col["totaal"]] is None
    assert body[2][col["knelpunten"]].split("\n") == [
        "Overlapt 12,3 ha (8 %) met Natura 2000: Naardermeer",
        "Netcongestie afname: tekort, wachtrij (code 3)",
        "Geen gegevens: bodemdaling",
    ]
    assert sheet.freeze_panes == "A2" and sheet["A1"].font.bold
    assert "geometry" not in header


def test_explanations_sheet_has_names_in_ranking_order(workbook):
    header, *body = rows(workbook["Toelichting"])
    assert header[:3] == ["id", "naam", "criterium"]
    assert [r[0] for r in body] == ["EIGEN-0001", "EIGEN-0001", "DB-04", "DB-04", "DB-03", "DB-03"]
    db03 = next(r for r in body if r[0] == "DB-03")
    col = {name: header.index(name) for name in header}
    assert db03[col["naam"]] == "Groot Merwede - Rijnenburg"
    assert db03[col["punten"]] == 2 and db03[col["bijdrage"]] == pytest.approx(0.6)


def test_sources_sheet_has_provenance_and_every_attribution(workbook):
    values = [v for row in rows(workbook["Bronnen"]) for v in row if v is not None]
    assert "kansrijk_bouwen" in values
    assert "natura2000" in values and "2026-08-21" in values
    assert "offline momentopname" in values
    assert "Waddenzee en Noordzeekustzone ontbreken offline" in values
    for line in ATTRIBUTIONS:
        assert line in values
    # a layer's own attribution: in the provenance table and added to the attribution list
    assert values.count("Capaciteitskaart Netbeheer Nederland") == 2


def test_without_scores_explanations_or_provenance():
    book = openpyxl.load_workbook(io.BytesIO(ranking_xlsx(export_locations())))
    header, *body = rows(book["Rangorde"])
    assert header == [
        "id",
        "naam",
        "type",
        "gemeenten",
        "provincie",
        "woningen",
        "planstatus",
        "geometrie_kwaliteit",
    ]
    assert len(body) == 4
    assert rows(book["Toelichting"])[0][:2] == ["id", "naam"]


def test_locations_without_ids_are_refused():
    with pytest.raises(InputError) as err:
        ranking_xlsx(export_locations().drop(columns="id"))
    assert "kolom 'id'" in err.value.nl

"""The dossier XLSX template: round trip, and every invalid-cell case reported with nothing
applied (real doorbraak registry rows; the workbook edited with openpyxl like a user would)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from locatiescan.dossier import (
    DossierImportError,
    dossier_records,
    in_programme,
    load_catalogue,
    read_template,
    record_changes,
    stored_latest,
    template_xlsx,
)
from locatiescan.errors import InputError
from locatiescan.registry import load_locations
from locatiescan.workspace import Workspace


@pytest.fixture(scope="module")
def doorbraak():
    locations = load_locations()
    return locations[in_programme(locations, "doorbraak")].reset_index(drop=True)


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return Workspace.open(tmp_path / "ws.sqlite")


def current(locations, ws):
    return dossier_records(locations, stored_latest(ws), load_catalogue())


def template(locations, ws):
    return load_workbook(
        io.BytesIO(template_xlsx(locations, current(locations, ws), load_catalogue()))
    )


def cell(book, location_id: str, header: str):
    sheet = book["Dossier"]
    column = [c.value for c in sheet[1]].index(header) + 1
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == location_id)
    return sheet.cell(row, column)


def saved(book) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def read(data, locations, ws):
    return read_template(data, set(locations["id"]), current(locations, ws), load_catalogue())


def test_template_has_dutch_headers_an_explanation_sheet_and_the_registry_facts(doorbraak, ws):
    book = template(doorbraak, ws)
    header = [c.value for c in book["Dossier"][1]]
    assert header[:5] == ["Locatie-id", "Naam", "Datum bron", "Grondpositie", "Bron: Grondpositie"]
    assert book["Dossier"].max_row == 24  # 23 doorbraak locations + header
    assert cell(book, "DB-01", "Lopende afspraken").value == "bestuursovereenkomst"
    assert "locaties.csv regel 7" in cell(book, "DB-01", "Bron: Lopende afspraken").value
    explained = {row[0].value: row for row in book["Toelichting"].iter_rows(min_row=2)}
    assert "meerdere_eigenaren" in explained["Grondpositie"][2].value
    assert explained["Grondpositie"][5].value == "003_4a28ca6f4c3f42b0.txt regel 21"


def test_round_trip(doorbraak, ws):
    # unchanged export -> import writes nothing
    assert (
        read(template_xlsx(doorbraak, current(doorbraak, ws), load_catalogue()), doorbraak, ws)
        == []
    )
    book = template(doorbraak, ws)
    cell(book, "DB-07", "Grondpositie").value = "Gemeente"
    cell(book, "DB-07", "Bron: Grondpositie").value = "grondexploitatie 2025"
    cell(book, "DB-07", "Datum bron").value = "12-06-2025"
    cell(book, "DB-07", "Aandeel betaalbaar (%)").value = "62,5"
    cell(book, "DB-01", "Lopende afspraken").value = "onbekend"  # clears the registry value
    changes = read(saved(book), doorbraak, ws)
    assert {(c.location_id, c.fact_id, c.waarde, c.brondatum) for c in changes} == {
        ("DB-07", "grondpositie", "gemeente", "2025-06-12"),
        ("DB-07", "betaalbaar_aandeel", 62.5, "2025-06-12"),
        ("DB-01", "lopende_afspraken", None, None),
    }
    by_fact = {c.fact_id: c for c in changes}
    assert by_fact["betaalbaar_aandeel"].bron == "dossier-import dossier.xlsx"  # no source given
    assert record_changes(ws, changes, "Anna") == 3
    again = template(doorbraak, ws)
    assert cell(again, "DB-07", "Grondpositie").value == "gemeente"
    assert cell(again, "DB-07", "Bron: Grondpositie").value == "grondexploitatie 2025"
    assert cell(again, "DB-07", "Aandeel betaalbaar (%)").value == 62.5
    assert cell(again, "DB-01", "Lopende afspraken").value is None
    assert read(saved(again), doorbraak, ws) == []  # and round again: nothing to write


def edit_unknown_id(book):
    cell(book, "DB-02", "Locatie-id").value = "DB-99"


def edit_not_allowed(book):
    cell(book, "DB-02", "Grondpositie").value = "provincie"


def edit_not_a_number(book):
    cell(book, "DB-02", "Aandeel betaalbaar (%)").value = "veel"


def edit_out_of_range(book):
    cell(book, "DB-02", "Cofinanciering medeoverheden (%)").value = 140


def edit_not_whole(book):
    cell(book, "DB-05", "Woningen (minimum)").value = 2500.5


def edit_bad_date(book):
    cell(book, "DB-02", "Datum bron").value = "31-02-2025"


def edit_unknown_column(book):
    book["Dossier"].cell(1, book["Dossier"].max_column + 1).value = "Opmerking"


def edit_duplicate_column(book):
    book["Dossier"].cell(1, book["Dossier"].max_column + 1).value = "grondpositie"


def edit_duplicate_row(book):
    cell(book, "DB-03", "Locatie-id").value = "DB-02"


def edit_missing_id(book):
    cell(book, "DB-02", "Locatie-id").value = None


def edit_source_without_value(book):
    cell(book, "DB-02", "Bron: Planfase").value = "notulen"


def edit_min_above_max(book):
    cell(book, "DB-02", "Woningen (minimum)").value = 7000  # registry max is 6500


# sheet rows: 1 header, 2 KL-01 (Purmerend-Oostflank, also a doorbraak site: DB-16), 3 DB-01,
# 4 DB-02, 5 DB-03, 7 DB-05
INVALID = {
    "unknown location id": (edit_unknown_id, 4, "Locatie-id", "onbekende locatie-id 'DB-99'"),
    "value not allowed": (edit_not_allowed, 4, "Grondpositie", "niet toegestaan"),
    "not a number": (edit_not_a_number, 4, "Aandeel betaalbaar (%)", "geen getal"),
    "out of range": (
        edit_out_of_range, 4, "Cofinanciering medeoverheden (%)", "buiten het bereik"
    ),
    "not a whole number": (edit_not_whole, 7, "Woningen (minimum)", "geen geheel getal"),
    "bad date": (edit_bad_date, 4, "Datum bron", "geen datum"),
    "unknown column": (edit_unknown_column, 1, "Opmerking", "onbekende kolom"),
    "duplicate column": (edit_duplicate_column, 1, "grondpositie", "dubbel"),
    "duplicate row": (edit_duplicate_row, 5, "Locatie-id", "dubbele rij"),
    "missing id": (edit_missing_id, 4, "Locatie-id", "locatie-id ontbreekt"),
    "source without value": (edit_source_without_value, 4, "Bron: Planfase", "geen waarde"),
    "minimum above maximum": (edit_min_above_max, 4, "Woningen (maximum)", "kleiner dan"),
}  # fmt: skip


@pytest.mark.parametrize("case", list(INVALID))
def test_every_invalid_cell_is_reported_and_nothing_is_applied(doorbraak, ws, case):
    edit, row, column, fragment = INVALID[case]
    book = template(doorbraak, ws)
    cell(book, "DB-10", "Planfase").value = "schets"  # a valid change in another row
    edit(book)
    with pytest.raises(DossierImportError) as info:
        read(saved(book), doorbraak, ws)
    problems = [(p.rij, p.kolom, p.probleem) for p in info.value.problems]
    assert any(r == row and k == column and fragment in text for r, k, text in problems), problems
    assert len(problems) == 1, problems
    assert "niets verwerkt" in info.value.nl and f"rij {row}" in info.value.nl
    assert list(info.value.report().columns) == ["Rij", "Kolom", "Probleem"]
    assert stored_latest(ws).empty  # nothing applied


def test_several_problems_are_all_listed(doorbraak, ws):
    book = template(doorbraak, ws)
    edit_not_allowed(book)
    edit_bad_date(book)
    edit_unknown_column(book)
    with pytest.raises(DossierImportError) as info:
        read(saved(book), doorbraak, ws)
    assert len(info.value.problems) == 3


def test_missing_id_column_and_unreadable_files(doorbraak, ws, tmp_path):
    book = template(doorbraak, ws)
    book["Dossier"].cell(1, 1).value = None
    with pytest.raises(DossierImportError) as info:
        read(saved(book), doorbraak, ws)
    assert "kolom 'Locatie-id' ontbreekt" in info.value.nl
    with pytest.raises(InputError) as info:
        read(b"not a workbook", doorbraak, ws)
    assert "geen leesbaar XLSX-bestand" in info.value.nl
    del book["Dossier"]
    with pytest.raises(InputError) as info:
        read(saved(book), doorbraak, ws)
    assert "geen tabblad 'Dossier'" in info.value.nl

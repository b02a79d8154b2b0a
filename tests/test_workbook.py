"""Exported workbooks keep text as text: a name that starts with "=" never becomes a formula."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
from openpyxl import Workbook

from export_fixtures import export_explanations, export_locations
from locatiescan.dossier import load_catalogue, template_xlsx
from locatiescan.dossier.records import RECORD_COLUMNS
from locatiescan.export import ranking_xlsx
from locatiescan.workbook import workbook_bytes

LINK = '=HYPERLINK("https://example.org/x";"Klik hier")'
SUM = "=1+1"


def cells_with(book: Workbook, text: str) -> list[openpyxl.cell.Cell]:
    return [c for s in book.worksheets for row in s.iter_rows() for c in row if c.value == text]


def test_a_ranking_keeps_formula_like_names_as_text():
    locations = export_locations()
    locations.loc[0, "naam"], locations.loc[1, "naam"] = LINK, SUM
    book = openpyxl.load_workbook(io.BytesIO(ranking_xlsx(locations, None, export_explanations())))
    for name in (LINK, SUM):
        found = cells_with(book, name)
        assert [c.parent.title for c in found][:1] == ["Rangorde"]
        assert {c.data_type for c in found} == {"s"}  # a string cell: Excel shows, never runs it
    ranking = pd.read_excel(io.BytesIO(ranking_xlsx(locations)), sheet_name="Rangorde")
    assert {LINK, SUM} <= set(ranking["Naam"])


def test_a_dossier_template_keeps_a_formula_like_name_as_text():
    locations = pd.DataFrame({"id": ["DB-01"], "naam": [SUM]})
    records = pd.DataFrame(columns=RECORD_COLUMNS)  # no facts known yet
    book = openpyxl.load_workbook(io.BytesIO(template_xlsx(locations, records, load_catalogue())))
    assert [(c.coordinate, c.data_type) for c in cells_with(book, SUM)] == [("B2", "s")]


def test_numbers_and_plain_text_are_left_alone():
    book = Workbook()
    book.active.append(["tekst", 3, 2.5, None, SUM])
    back = openpyxl.load_workbook(io.BytesIO(workbook_bytes(book))).active
    assert [(c.value, c.data_type) for c in back[1]] == [
        ("tekst", "s"),
        (3, "n"),
        (2.5, "n"),
        (None, "n"),
        (SUM, "s"),
    ]

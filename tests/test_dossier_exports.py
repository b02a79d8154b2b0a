"""Decisions (with withdrawals) and dossier facts in the XLSX and PDF exports."""

from __future__ import annotations

import io
import re
from pathlib import Path

from openpyxl import load_workbook
from pypdf import PdfReader

from export_fixtures import export_locations, export_provenance, export_scores
from locatiescan.dossier import dossier_records, load_catalogue, stored_latest
from locatiescan.export.dossier import DossierTables, pdf_sections, xlsx_sheets
from locatiescan.export.pdf import shortlist_report_pdf
from locatiescan.export.xlsx import ranking_xlsx
from locatiescan.workspace import Workspace


def tables(tmp_path: Path) -> DossierTables:
    ws = Workspace.open(tmp_path / "ws.sqlite")
    ws.record_decision("DB-03", "m", "op_shortlist", "sterk plan", who="Anna")
    ws.withdraw_decision("DB-03", "m", "verkeerde locatie", who="Bert")
    locations = export_locations()
    records = dossier_records(locations, stored_latest(ws), load_catalogue())
    names = dict(zip(locations["id"], locations["naam"], strict=True))
    return DossierTables.build(ws.decisions(current_only=False), records, load_catalogue(), names)


def test_xlsx_has_decision_history_and_dossier_sheets(tmp_path: Path):
    data = ranking_xlsx(
        export_locations(), export_scores(), provenance=export_provenance(),
        extra_sheets=xlsx_sheets(tables(tmp_path)),
    )  # fmt: skip
    book = load_workbook(io.BytesIO(data))
    decisions = [[c.value for c in row] for row in book["Besluiten"].iter_rows(min_row=2)]
    assert [(r[0], r[2], r[4]) for r in decisions] == [
        ("DB-03", "Op shortlist", "Anna"),
        ("DB-03", "Ingetrokken", "Bert"),
    ]
    facts = [[c.value for c in row] for row in book["Dossier"].iter_rows(min_row=2)]
    # DB-03's status 'intentieakkoord' (locaties.csv line 9) shows as its label, with its source
    agreement = next(r for r in facts if r[0] == "DB-03" and r[2] == "Lopende afspraken")
    assert agreement[3] == "intentieovereenkomst of intentieakkoord"
    assert "locaties.csv regel 9" in agreement[4] and agreement[7] == "register"


def test_pdf_has_a_decisions_and_dossier_section(tmp_path: Path):
    data = shortlist_report_pdf(
        export_locations(), export_scores(), provenance=export_provenance(),
        extra_sections=pdf_sections(tables(tmp_path)),
    )  # fmt: skip
    text = " ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages)
    text = re.sub(r"\s+", " ", text)  # table cells wrap
    assert "Besluiten en dossier" in text and "Ingetrokken" in text
    assert "verkeerde locatie" in text and "Lopende afspraken" in text

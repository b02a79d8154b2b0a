"""Decisions and dossier facts for the XLSX and PDF exports: tables (pure) and their writers.

tables = DossierTables.build(decision_history, records, catalogue, names)
ranking_xlsx(..., dossier=tables)          # sheets "Besluiten" and "Dossier"
shortlist_report_pdf(..., dossier=tables)  # a section "Besluiten en dossier"
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from xml.sax.saxutils import escape

import pandas as pd
from reportlab.lib import colors
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from locatiescan.dossier.catalogue import Catalogue
from locatiescan.workspace.store import DECISION_LABELS

SHEET_DECISIONS = "Besluiten"
SHEET_DOSSIER = "Dossier"
DECISION_HEADERS = ["Locatie-id", "Naam", "Besluit", "Notitie", "Door", "Op", "Model"]
DOSSIER_HEADERS = ["Locatie-id", "Naam", "Feit", "Waarde", "Bron", "Datum bron", "Door", "Herkomst"]


@dataclass(frozen=True)
class DossierTables:
    """The decision history and the current dossier facts, with Dutch headers."""

    besluiten: pd.DataFrame
    dossier: pd.DataFrame

    @classmethod
    def build(
        cls,
        decisions: pd.DataFrame,
        records: pd.DataFrame,
        catalogue: Catalogue,
        names: Mapping[str, str],
    ) -> DossierTables:
        """From `Workspace.decisions(current_only=False)` (every row, withdrawals too) and
        `dossier.dossier_records`; `names`: location id -> name (the exported locations)."""
        chosen = decisions[decisions["id"].isin(names)]
        besluiten = pd.DataFrame(
            {
                "Locatie-id": chosen["id"],
                "Naam": chosen["id"].map(names),
                "Besluit": chosen["besluit"].map(DECISION_LABELS).fillna(chosen["besluit"]),
                "Notitie": chosen["notitie"],
                "Door": chosen["door"],
                "Op": chosen["op"],
                "Model": chosen["model"],
            },
            columns=DECISION_HEADERS,
        )
        facts = records[records["id"].isin(names)]
        labels = {f.id: f for f in catalogue.feiten}
        dossier = pd.DataFrame(
            {
                "Locatie-id": facts["id"],
                "Naam": facts["id"].map(names),
                "Feit": [labels[f].label if f in labels else f for f in facts["feit"]],
                "Waarde": [
                    labels[f].option_label(v) if f in labels else v
                    for f, v in zip(facts["feit"], facts["waarde"], strict=True)
                ],
                "Bron": facts["bron"],
                "Datum bron": facts["brondatum"],
                "Door": facts["door"],
                "Herkomst": facts["herkomst"],
            },
            columns=DOSSIER_HEADERS,
        )
        return cls(besluiten.reset_index(drop=True), dossier.reset_index(drop=True))


def write_sheets(writer: pd.ExcelWriter, tables: DossierTables) -> None:
    """Add the sheets 'Besluiten' and 'Dossier' to an open openpyxl ExcelWriter."""
    for name, frame in ((SHEET_DECISIONS, tables.besluiten), (SHEET_DOSSIER, tables.dossier)):
        frame.to_excel(writer, sheet_name=name, index=False)
        sheet = writer.sheets[name]
        sheet.freeze_panes = "A2"
        for column in sheet.columns:
            longest = max((len(str(c.value)) for c in column if c.value is not None), default=8)
            sheet.column_dimensions[column[0].column_letter].width = min(longest + 2, 60)


def pdf_story(tables: DossierTables, styles: Mapping[str, object]) -> list:
    """Flowables for the PDF: decisions (history) and dossier facts per location."""
    cell = styles["cell"]
    story: list = [Paragraph("Besluiten en dossier", styles["h1"])]
    story.append(Paragraph("Besluiten (volledige geschiedenis)", styles["h2"]))
    if tables.besluiten.empty:
        story.append(Paragraph("Nog geen besluiten vastgelegd.", styles["body"]))
    else:
        columns = ["Naam", "Besluit", "Notitie", "Door", "Op"]
        story.append(_grid(tables.besluiten[columns], cell, (4, 2.5, 5, 2.5, 3)))
    story += [Spacer(1, 0.3 * cm), Paragraph("Dossier (huidige feiten)", styles["h2"])]
    if tables.dossier.empty:
        story.append(Paragraph("Geen dossierfeiten bekend.", styles["body"]))
    else:
        columns = ["Naam", "Feit", "Waarde", "Bron", "Door"]
        story.append(_grid(tables.dossier[columns], cell, (3.2, 3, 3, 5.6, 2.2)))
    return story


def _grid(frame: pd.DataFrame, style, widths: tuple[float, ...]) -> Table:
    def para(value: object) -> Paragraph:
        text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else value
        return Paragraph(escape(str(text)), style)

    rows = [[Paragraph(f"<b>{escape(h)}</b>", style) for h in frame.columns]]
    rows += [[para(v) for v in record] for record in frame.itertuples(index=False)]
    table = Table(rows, colWidths=[w * cm for w in widths], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E8EEF4")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table

"""Decisions and dossier facts for the XLSX and PDF exports: tables (pure) and their writers.

tables = DossierTables.build(decision_history, records, catalogue, names)
ranking_xlsx(..., extra_sheets=xlsx_sheets(tables))             # sheets Besluiten, Dossier
shortlist_report_pdf(..., extra_sections=pdf_sections(tables))  # per location: both tables
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from locatiescan import present
from locatiescan.dossier.catalogue import Catalogue
from locatiescan.export.tables import ReportSection
from locatiescan.workspace.store import DECISION_LABELS

SHEET_DECISIONS = "Besluiten"
SHEET_DOSSIER = "Dossier"
DECISION_HEADERS = ["Locatie-id", "Naam", "Besluit", "Notitie", "Door", "Op", "Model"]
DOSSIER_HEADERS = ["Locatie-id", "Naam", "Feit", "Waarde", "Bron", "Datum bron", "Door", "Herkomst"]
DECISION_PDF = ["Besluit", "Notitie", "Door", "Op"]
DOSSIER_PDF = ["Feit", "Waarde", "Bron", "Door"]


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


def xlsx_sheets(tables: DossierTables) -> dict[str, pd.DataFrame]:
    """The sheets 'Besluiten' and 'Dossier' for `ranking_xlsx(..., extra_sheets=...)`."""
    return {SHEET_DECISIONS: tables.besluiten, SHEET_DOSSIER: tables.dossier}


def pdf_sections(tables: DossierTables) -> dict[str, list[ReportSection]]:
    """Per location its decision history and current dossier facts, as extra report sections
    (`shortlist_report_pdf(..., extra_sections=...)`, `location_report_pdf` likewise)."""
    sections: dict[str, list[ReportSection]] = {}
    for location_id, rows in tables.besluiten.groupby("Locatie-id", sort=False):
        sections.setdefault(str(location_id), []).append(
            ReportSection(
                "Besluiten en dossier: besluiten (volledige geschiedenis)",
                [[_text(v) for v in r] for r in rows[DECISION_PDF].itertuples(index=False)],
                header=DECISION_PDF,
            )
        )
    for location_id, rows in tables.dossier.groupby("Locatie-id", sort=False):
        sections.setdefault(str(location_id), []).append(
            ReportSection(
                "Besluiten en dossier: dossier (huidige feiten)",
                [[_text(v) for v in r] for r in rows[DOSSIER_PDF].itertuples(index=False)],
                header=DOSSIER_PDF,
            )
        )
    return sections


def _text(value: object) -> str:
    return present.ONBEKEND if present.is_missing(value) else str(value)

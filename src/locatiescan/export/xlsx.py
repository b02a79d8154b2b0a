"""XLSX export (openpyxl): ranked table, explanation per criterion, and sources ('Bronnen')."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from datetime import date

import geopandas as gpd
import pandas as pd
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from locatiescan.export.dossier import DossierTables, write_sheets
from locatiescan.export.sources import attribution_lines, provenance_frame
from locatiescan.export.tables import LOCATION_COLUMNS, flat_frame, ranked

SHEET_RANKING = "Rangorde"
SHEET_EXPLANATIONS = "Toelichting"
SHEET_SOURCES = "Bronnen"
EXPLANATION_COLUMNS = [
    "id",
    "naam",
    "criterium",
    "label",
    "pijler",
    "waarde",
    "regel",
    "punten",
    "max_punten",
    "gewicht",
    "bijdrage",
    "status",
]
MAX_COLUMN_WIDTH = 60
HEADER_FILL = PatternFill("solid", fgColor="E8EEF4")


def ranking_xlsx(
    locations: gpd.GeoDataFrame,
    scores: pd.DataFrame | None = None,
    explanations: pd.DataFrame | None = None,
    knelpunten: Mapping[str, Sequence[str]] | None = None,
    provenance: object = None,
    *,
    model_name: str | None = None,
    dossier: DossierTables | None = None,
) -> bytes:
    """A workbook: 'Rangorde' (locations best first with scores and knelpunten),
    'Toelichting' (one row per location and criterion) and 'Bronnen' (provenance, attributions).
    """
    table = ranked(locations, scores, knelpunten)
    score_columns = [] if scores is None else [c for c in scores.columns if c != "id"]
    first = ["rang"] if "rang" in table.columns else []
    columns = first + [c for c in LOCATION_COLUMNS if c in table.columns]
    columns += [c for c in score_columns if c in table.columns and c not in columns]
    columns += ["knelpunten"] if knelpunten is not None else []
    ranking = flat_frame(pd.DataFrame(table[columns]))
    sources = provenance_frame(provenance)

    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        ranking.to_excel(writer, sheet_name=SHEET_RANKING, index=False)
        _explanations(explanations, table).to_excel(
            writer, sheet_name=SHEET_EXPLANATIONS, index=False
        )
        _write_sources(writer, sources, model_name)
        if dossier is not None:  # decisions and dossier facts (export/dossier.py)
            write_sheets(writer, dossier)
        for sheet in (SHEET_RANKING, SHEET_EXPLANATIONS):
            _style_table(writer.sheets[sheet])
        if "knelpunten" in ranking.columns:
            _wrap(writer.sheets[SHEET_RANKING], ranking.columns.get_loc("knelpunten"), first_row=2)
    return buffer.getvalue()


def _wrap(sheet: Worksheet, column: int, first_row: int) -> None:
    """Show multi-line cells (one knelpunt or warning per line) of a 0-based column wrapped."""
    for cell in sheet[get_column_letter(column + 1)][first_row - 1 :]:
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def _explanations(explanations: pd.DataFrame | None, table: pd.DataFrame) -> pd.DataFrame:
    """Explanations with the location name next to the id, in ranking order."""
    if explanations is None or explanations.empty:
        return pd.DataFrame(columns=EXPLANATION_COLUMNS)
    frame = flat_frame(explanations)
    if "naam" in table.columns and "id" in frame.columns and "naam" not in frame.columns:
        frame.insert(1, "naam", frame["id"].map(dict(zip(table["id"], table["naam"], strict=True))))
    if "id" in frame.columns:
        order = {location_id: n for n, location_id in enumerate(table["id"])}
        frame = frame.sort_values("id", key=lambda ids: ids.map(order), kind="stable")
    return frame.reset_index(drop=True)


def _write_sources(writer: pd.ExcelWriter, sources: pd.DataFrame, model_name: str | None) -> None:
    about = pd.DataFrame(
        {"": ["Gemaakt op", "Model"], " ": [date.today().isoformat(), model_name or ""]}
    )
    about.to_excel(writer, sheet_name=SHEET_SOURCES, index=False, header=False)
    start = len(about) + 1
    sources.to_excel(writer, sheet_name=SHEET_SOURCES, index=False, startrow=start)
    after = start + len(sources) + 2
    pd.DataFrame({"gegevens": attribution_lines(sources)}).to_excel(
        writer, sheet_name=SHEET_SOURCES, index=False, startrow=after
    )
    sheet = writer.sheets[SHEET_SOURCES]
    _wrap(sheet, sources.columns.get_loc("waarschuwingen"), first_row=start + 2)
    for row in (start + 1, after + 1):
        for cell in sheet[row]:
            cell.font = Font(bold=True)
            cell.fill = HEADER_FILL
    _fit_columns(sheet)


def _style_table(sheet: Worksheet) -> None:
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    sheet.freeze_panes = "A2"
    if sheet.max_row > 1:
        sheet.auto_filter.ref = sheet.dimensions
    _fit_columns(sheet)


def _fit_columns(sheet: Worksheet) -> None:
    for column in sheet.columns:
        lines = [line for c in column if c.value is not None for line in str(c.value).split("\n")]
        longest = max((len(line) for line in lines), default=8)
        sheet.column_dimensions[column[0].column_letter].width = min(longest + 2, MAX_COLUMN_WIDTH)

"""XLSX export (openpyxl): ranking with screening columns, explanation per criterion, sources.

Headers are Dutch with units (`present.column_label`); numbers stay numbers, rounded and shown
with a number format (Excel writes them in the reader's locale: 1.234,5 in Dutch); codes become
labels; an unknown value reads 'onbekend', never an empty cell or 0. Callers may add sheets
(e.g. decisions, dossier facts) with `extra_sheets`.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import geopandas as gpd
import pandas as pd
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from locatiescan import present
from locatiescan.errors import InputError
from locatiescan.export.sources import attribution_lines, layer_titles, provenance_frame
from locatiescan.export.tables import flat_value, model_text, ranked, score_pillars
from locatiescan.workbook import keep_text

SHEET_RANKING = "Rangorde"
SHEET_EXPLANATIONS = "Toelichting"
SHEET_SOURCES = "Bronnen"
RESERVED_SHEETS = (SHEET_RANKING, SHEET_EXPLANATIONS, SHEET_SOURCES)
MAX_COLUMN_WIDTH = 60
DECIMALS = 6  # stored values are rounded to this many decimals (no 0.8800000000000001)
HEADER_FILL = PatternFill("solid", fgColor="E8EEF4")
INTEGER, ONE, TWO, PERCENT = "#,##0", "#,##0.0", "0.00", "0%"
LOCATION_FIELDS = ("naam", "type", "gemeenten", "provincie", "woningen")
LOCATION_TEXTS = ("planstatus", "partijen", "status", "bron", "geometrie_kwaliteit")
SCORE_FIRST = ("totaal", "totaal_min", "totaal_max", "klasse", "uren_per_maand", "bonus")
SCORE_CHECKS = ("ontvankelijk", "voorwaarden", "dekking", "oordeel", "ontbrekend_gewicht")
SHARES = ("ontbrekend_gewicht", "dekking")  # 0..1, shown as a percentage
HIDDEN_METRIC_SUFFIXES = ("_radius_m",)
EXPLANATION_FIELDS = (
    ("id", "Id"),
    ("naam", "Naam"),
    ("label", "Criterium"),
    ("pijler", "Pijler"),
    ("bron", "Gegeven"),
    ("waarde", "Waarde"),
    ("regel", "Regel"),
    ("punten", "Punten"),
    ("max_punten", "Maximum punten"),
    ("gewicht", "Gewicht"),
    ("bijdrage", "Bijdrage (punten)"),
    ("status", "Status"),
    ("reden", "Reden"),
)


def ranking_xlsx(
    locations: gpd.GeoDataFrame,
    scores: pd.DataFrame | None = None,
    explanations: pd.DataFrame | None = None,
    knelpunten: Mapping[str, Sequence[str]] | None = None,
    provenance: object = None,
    *,
    model: Any = None,
    model_name: str | None = None,
    screening: Any = None,
    extra_sheets: Mapping[str, pd.DataFrame] | None = None,
) -> bytes:
    """A workbook: 'Rangorde' (locations best first: facts, parties, status, source, scores,
    knelpunten and the screening), 'Toelichting' (one row per location and criterion),
    'Bronnen' (date, model, provenance without local paths, attributions), then
    `extra_sheets` (sheet name → table, written as given).

    Parameters
    ----------
    model : the `ScoringModel` behind `scores` (pillar labels, name and version).
    screening : a `Screening` or its `.table` (index location id, `<layer>.<metric>`).
    """
    clash = sorted(set(extra_sheets or {}) & set(RESERVED_SHEETS))
    if clash:
        msg = f"Extra sheets may not be named {', '.join(clash)}"
        raise InputError(msg, f"Extra tabbladen mogen niet {', '.join(clash)} heten")
    table = ranked(locations, scores, knelpunten)
    metrics = getattr(screening, "table", screening)
    pillars = score_pillars(model, scores)
    columns = _ranking_columns(table, pillars, metrics, knelpunten is not None)
    sources = provenance_frame(provenance)

    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        frame = pd.DataFrame({header: values for header, values, _ in columns})
        frame.to_excel(writer, sheet_name=SHEET_RANKING, index=False)
        sheet = writer.sheets[SHEET_RANKING]
        for n, (_, _, number_format) in enumerate(columns, start=1):
            _format_column(sheet, n, number_format)
        _style_table(sheet)
        explanation = _explanations(explanations, table, pillars)
        explanation.to_excel(writer, sheet_name=SHEET_EXPLANATIONS, index=False)
        for n, column in enumerate(explanation.columns, start=1):
            if column in ("Punten", "Maximum punten", "Gewicht", "Bijdrage (punten)"):
                _format_column(writer.sheets[SHEET_EXPLANATIONS], n, TWO)
        _style_table(writer.sheets[SHEET_EXPLANATIONS])
        _write_sources(writer, sources, model_text(model, model_name) or present.ONBEKEND)
        for name, extra in (extra_sheets or {}).items():
            extra.to_excel(writer, sheet_name=name[:31], index=False)
            _style_table(writer.sheets[name[:31]])
        keep_text(writer.book)
    return buffer.getvalue()


# -- columns ---------------------------------------------------------------------------------


def _ranking_columns(
    table: pd.DataFrame, pillars: dict[str, str], metrics: pd.DataFrame | None, knelpunten: bool
) -> list[tuple[str, list, str | None]]:
    """(Dutch header, cell values, number format) per column of the ranking sheet."""
    records = table.to_dict(orient="records")
    columns: list[tuple[str, list, str | None]] = []

    def add(column: str, values: list, number_format: str | None = None) -> None:
        columns.append((present.column_label(column, pillars), values, number_format))

    if "rang" in table:
        add("rang", [_number(r.get("rang"), 0) for r in records], INTEGER)
        if {"rang_min", "rang_max"} <= set(table.columns):
            columns.append(("Rang (interval)", [present.rank_text(r) for r in records], None))
    add("id", [str(r["id"]) for r in records])
    for column in LOCATION_FIELDS:
        if column == "woningen":
            add("woningen", [present.woningen_of(r) for r in records])
            if "woningen" in table:
                columns.append(
                    (
                        "Woningen (beste schatting)",
                        [_number(r.get("woningen"), 0) for r in records],
                        INTEGER,
                    )
                )
        elif column in table:
            add(column, [_text(r.get(column), column) for r in records])
    for column in LOCATION_TEXTS:
        if column in table:
            add(column, [_text(r.get(column), column) for r in records])
    if "area_ha" in table:
        add("area_ha", [_number(r.get("area_ha"), 1) for r in records], ONE)
    for column in SCORE_FIRST:
        if column in table:
            numeric = column != "klasse"
            values = [
                _number(r.get(column), 1) if numeric else _text(r.get(column)) for r in records
            ]
            add(
                column,
                values,
                (INTEGER if column == "uren_per_maand" else ONE) if numeric else None,
            )
    for pillar in pillars:
        for prefix, number_format in (("pijler", TWO), ("bijdrage", ONE), ("ontbrekend", PERCENT)):
            column = f"{prefix}.{pillar}"
            if column in table:
                add(column, [_number(r.get(column), 4) for r in records], number_format)
    for column in SCORE_CHECKS:
        if column in table:
            if column in SHARES:
                add(column, [_number(r.get(column), 4) for r in records], PERCENT)
            else:
                add(column, [_text(r.get(column), column) for r in records])
    if knelpunten:
        add("knelpunten", [r.get("knelpunten") or "geen" for r in records])
    if metrics is not None:
        columns += _screening_columns(table["id"], metrics)
    return columns


def _screening_columns(ids: pd.Series, metrics: pd.DataFrame) -> list[tuple[str, list, str | None]]:
    """Screening metrics per location (ranking order) with Dutch headers and units."""
    titles = layer_titles()
    rows = metrics.reindex(list(ids))
    columns = []
    for column in metrics.columns:
        if str(column).endswith(HIDDEN_METRIC_SUFFIXES):
            continue
        header = present.column_label(str(column), layers=titles)
        values = rows[column].tolist()
        if pd.api.types.is_bool_dtype(metrics[column]):
            columns.append((header, [present.label(v) for v in values], None))
        elif pd.api.types.is_numeric_dtype(metrics[column]):
            number_format = _metric_format(str(column))
            decimals = 0 if number_format == INTEGER else 1
            columns.append((header, [_number(v, decimals) for v in values], number_format))
        else:
            columns.append((header, [_text(flat_value(v)) for v in values], None))
    return columns


def _metric_format(column: str) -> str:
    if column.endswith(("_m", "_code", "_rnb", "_tennet", "norm_og")):
        return INTEGER
    return ONE


def _explanations(
    explanations: pd.DataFrame | None, table: pd.DataFrame, pillars: dict[str, str]
) -> pd.DataFrame:
    """Explanations in ranking order with the location name, labels and Dutch headers."""
    headers = [h for _, h in EXPLANATION_FIELDS]
    if explanations is None or explanations.empty:
        return pd.DataFrame(columns=headers)
    frame = explanations.copy()
    names = dict(zip(table["id"], table.get("naam", table["id"]), strict=True))
    frame["naam"] = frame["id"].map(names)
    if "label" not in frame and "criterium" in frame:
        frame["label"] = frame["criterium"]
    order = {location_id: n for n, location_id in enumerate(table["id"])}
    frame = frame.sort_values("id", key=lambda ids: ids.map(order), kind="stable")
    out = {}
    for column, header in EXPLANATION_FIELDS:
        if column not in frame:
            continue
        values = frame[column].tolist()
        if column in ("punten", "max_punten", "gewicht", "bijdrage"):
            out[header] = [_number(v, 4) for v in values]
        elif column == "pijler":
            out[header] = [present.label(v, pillars) for v in values]
        elif column == "regel":
            out[header] = [present.rule_text(v) for v in values]
        elif column == "bron":
            out[header] = [present.source_ref_text(v, layer_titles()) for v in values]
        elif column == "waarde":
            out[header] = [_value(v) for v in values]
        else:
            out[header] = [_text(v) for v in values]
    return pd.DataFrame(out)


# -- values ----------------------------------------------------------------------------------


def _number(value: Any, decimals: int) -> float | int | str:
    """A rounded number for a cell (int when whole), 'onbekend' when missing."""
    if present.is_missing(value):
        return present.ONBEKEND
    number = round(float(value), min(decimals, DECIMALS))
    return int(number) if number.is_integer() and decimals == 0 else number


def _value(value: Any) -> float | str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _number(value, 4)
    return present.answer_text(value)


def _text(value: Any, column: str = "") -> str:
    """A cell's text: labels for codes, sources without paths, 'onbekend' when missing."""
    if column == "bron":
        return present.source_text(value)
    if column == "geometrie_kwaliteit":
        return present.quality_label(value)
    if column == "gemeenten" and isinstance(value, str):
        return value.replace(";", "; ")
    if column == "type":
        return present.label(value)
    value = flat_value(value)
    if isinstance(value, str):
        return value if value.strip() else present.ONBEKEND
    return present.text(value)


# -- sheets ----------------------------------------------------------------------------------


def _format_column(sheet: Worksheet, column: int, number_format: str | None) -> None:
    """Number format for the numbers of a 1-based column, wrapped text for multi-line cells."""
    for cell in sheet[get_column_letter(column)][1:]:
        if number_format and isinstance(cell.value, int | float):
            cell.number_format = number_format
        elif isinstance(cell.value, str) and "\n" in cell.value:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def _write_sources(writer: pd.ExcelWriter, sources: pd.DataFrame, model_text: str) -> None:
    about = pd.DataFrame(
        {"": ["Gemaakt op", "Model"], " ": [present.nl_date(date.today()), model_text]}
    )
    about.to_excel(writer, sheet_name=SHEET_SOURCES, index=False, header=False)
    start = len(about) + 1
    titles = layer_titles()
    shown = pd.DataFrame(
        {
            "Laag": [titles.get(v, v) for v in sources["laag"]],
            "Laag-id": sources["laag"],
            "Bron": [present.source_text(v) for v in sources["bron"]],
            "Soort": sources["soort"],
            "Peildatum": [present.nl_date(v, short=True) for v in sources["datum"]],
            "Licentie": [_text(v) for v in sources["licentie"]],
            "Attributie": [_text(v) for v in sources["attributie"]],
            "Waarschuwingen": [v or "geen" for v in sources["waarschuwingen"]],
        }
    )
    shown.to_excel(writer, sheet_name=SHEET_SOURCES, index=False, startrow=start)
    after = start + len(shown) + 2
    pd.DataFrame({"Gegevens": attribution_lines(sources)}).to_excel(
        writer, sheet_name=SHEET_SOURCES, index=False, startrow=after
    )
    sheet = writer.sheets[SHEET_SOURCES]
    _format_column(sheet, shown.columns.get_loc("Waarschuwingen") + 1, None)
    for row in (start + 1, after + 1):
        for cell in sheet[row]:
            cell.font = Font(bold=True)
            cell.fill = HEADER_FILL
    _fit_columns(sheet)


def _style_table(sheet: Worksheet) -> None:
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "B2" if sheet.title == SHEET_RANKING else "A2"
    if sheet.max_row > 1:
        sheet.auto_filter.ref = sheet.dimensions
    _fit_columns(sheet)


def _fit_columns(sheet: Worksheet) -> None:
    for column in sheet.columns:
        lines = [
            line for c in column[1:] if c.value is not None for line in str(c.value).split("\n")
        ]
        header = str(column[0].value or "")
        longest = max([len(line) for line in lines] + [min(len(header), 24), 8])
        sheet.column_dimensions[column[0].column_letter].width = min(longest + 2, MAX_COLUMN_WIDTH)

"""Bulk dossier editing: an XLSX template out, a filled template back in (validated, all or nothing).

Sheet "Dossier": one row per location. Columns: "Locatie-id" (required), "Naam" (for reading,
ignored on import), "Datum bron" (optional date of the row's sources, dd-mm-jjjj or jjjj-mm-dd),
then per fact of the catalogue two columns: its Dutch label (the value) and "Bron: <label>" (the
source of that value: a document, a meeting, a link). Sheet "Toelichting" explains every column
and its allowed values.

Import rules, cell by cell: an empty value cell changes nothing; "onbekend" clears a fact; a
value equal to the current one with the same source changes nothing (so re-importing an exported
template writes nothing); a changed value with an empty source cell gets the source
"dossier-import <file name>". Any problem
(unknown location id, value not allowed, not a number, out of range, not a whole number, bad
date, unknown or doubled column, doubled row, missing id, a source without a value, minimum
above maximum) is reported with row, column and a Dutch text, and then NOTHING is applied.
"""

from __future__ import annotations

import io
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from locatiescan.dossier.catalogue import (
    Catalogue,
    Fact,
    ValueProblem,
    check_value,
    is_blank,
    says_unknown,
)
from locatiescan.dossier.records import Change
from locatiescan.errors import InputError
from locatiescan.workbook import workbook_bytes

SHEET = "Dossier"
SHEET_HELP = "Toelichting"
ID_HEADER = "Locatie-id"
NAME_HEADER = "Naam"
DATE_HEADER = "Datum bron"
SOURCE_PREFIX = "Bron: "
IMPORT_SOURCE = "dossier-import {name}"
HEADER_COLOUR = "E8EEF4"  # header cells (openpyxl PatternFill, made where a sheet is styled)
MAX_WIDTH = 50
EMPTY_SOURCE = "Leeg bij een nieuwe waarde: de bestandsnaam van de import."


@dataclass(frozen=True)
class CellProblem:
    """One problem in the uploaded file: Excel row number (0 = the file), column, Dutch text."""

    rij: int
    kolom: str
    probleem: str
    problem: str  # English


class DossierImportError(InputError):
    """A dossier file with problems; `problems` lists every one (nothing was applied)."""

    def __init__(self, problems: list[CellProblem], name: str) -> None:
        self.problems = problems
        en = "\n".join(f"  row {p.rij}, column {p.kolom!r}: {p.problem}" for p in problems)
        nl = "\n".join(f"  rij {p.rij}, kolom {p.kolom!r}: {p.probleem}" for p in problems)
        count = len(problems)
        super().__init__(
            f"{name}: {count} problem(s), nothing applied:\n{en}",
            f"{name}: {count} probleem/problemen, niets verwerkt:\n{nl}",
        )

    def report(self) -> pd.DataFrame:
        """The Dutch report: Rij, Kolom, Probleem."""
        return pd.DataFrame(
            [(p.rij, p.kolom, p.probleem) for p in self.problems],
            columns=["Rij", "Kolom", "Probleem"],
        )


def source_header(fact: Fact) -> str:
    """The header of a fact's source column."""
    return f"{SOURCE_PREFIX}{fact.label}"


def template_xlsx(locations: pd.DataFrame, records: pd.DataFrame, catalogue: Catalogue) -> bytes:
    """The template for these locations, filled with their current facts and sources
    (`records`: `records.dossier_records`)."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    headers = [ID_HEADER, NAME_HEADER, DATE_HEADER]
    for fact in catalogue.feiten:
        headers += [fact.label, source_header(fact)]
    sheet.append(headers)
    current = {(r.id, r.feit): r for r in records.itertuples(index=False)}
    for location_id, name in zip(locations["id"].astype(str), locations["naam"], strict=True):
        row: list[Any] = [location_id, None if pd.isna(name) else str(name), None]
        for fact in catalogue.feiten:
            found = current.get((location_id, fact.id))
            row += [None, None] if found is None else [found.waarde, found.bron or None]
        sheet.append(row)
    _style(sheet)
    _dropdowns(sheet, catalogue, len(locations))
    _help_sheet(book.create_sheet(SHEET_HELP), catalogue)
    return workbook_bytes(book)


def read_template(
    data: bytes | Path,
    known_ids: Collection[str],
    records: pd.DataFrame,
    catalogue: Catalogue,
    *,
    name: str = "dossier.xlsx",
) -> list[Change]:
    """The changes a filled template asks for; `DossierImportError` listing every problem.

    `known_ids`: the location ids that exist; `records`: the current dossier (to skip values
    that did not change)."""
    rows = _rows(data, name)
    problems: list[CellProblem] = []
    header = [_text(h) for h in rows[0]] if rows else []
    columns = _columns(header, catalogue, problems)
    if ID_HEADER not in columns.values():
        problems.append(
            CellProblem(
                1, ID_HEADER, f"kolom '{ID_HEADER}' ontbreekt", f"column {ID_HEADER!r} missing"
            )
        )
        raise DossierImportError(problems, name)
    current = {(r.id, r.feit): r for r in records.itertuples(index=False)}
    seen: dict[str, int] = {}
    changes: list[Change] = []
    default_source = IMPORT_SOURCE.format(name=name)
    for number, cells in enumerate(rows[1:], start=2):
        row = {columns[i]: cells[i] for i in columns if i < len(cells)}
        if all(is_blank(v) for v in row.values()):
            continue
        location_id = _text(row.get(ID_HEADER))
        if not location_id:
            problems.append(CellProblem(number, ID_HEADER, "locatie-id ontbreekt", "missing id"))
            continue
        if location_id in seen:
            problems.append(
                CellProblem(
                    number,
                    ID_HEADER,
                    f"locatie {location_id} staat al in rij {seen[location_id]} (dubbele rij)",
                    f"location {location_id} already in row {seen[location_id]} (duplicate row)",
                )
            )
            continue
        seen[location_id] = number
        if location_id not in known_ids:
            problems.append(
                CellProblem(
                    number,
                    ID_HEADER,
                    f"onbekende locatie-id {location_id!r}",
                    f"unknown location id {location_id!r}",
                )
            )
            continue
        when = _date(row.get(DATE_HEADER), number, problems)
        values: dict[str, Any] = {}
        for fact in catalogue.feiten:
            raw = row.get(fact.label)
            source = _text(row.get(source_header(fact)))
            if is_blank(raw):
                if source:
                    problems.append(
                        CellProblem(
                            number,
                            source_header(fact),
                            "bron ingevuld maar geen waarde",
                            "source given without a value",
                        )
                    )
                continue
            if says_unknown(raw):
                value = None
            else:
                try:
                    value = check_value(fact, raw)
                except ValueProblem as err:
                    problems.append(CellProblem(number, fact.label, err.nl, err.en))
                    continue
            values[fact.id] = value
            before = current.get((location_id, fact.id))
            if before is not None and _same(before.waarde, value) and source in ("", before.bron):
                continue
            source = source or default_source
            if before is None and value is None:
                continue
            changes.append(Change(location_id, fact.id, value, source, when))
        _range_check(values, catalogue, number, problems)
    if problems:
        raise DossierImportError(problems, name)
    return changes


# -- reading -------------------------------------------------------------------------------


def _rows(data: bytes | Path, name: str) -> list[tuple[Any, ...]]:
    from openpyxl import load_workbook

    try:
        source = io.BytesIO(data) if isinstance(data, bytes) else Path(data)
        book = load_workbook(source, read_only=True, data_only=True)
    except Exception as err:
        msg = f"{name}: not a readable XLSX file: {err}"
        raise InputError(msg, f"{name}: geen leesbaar XLSX-bestand: {err}") from err
    if SHEET not in book.sheetnames:
        msg = f"{name}: no sheet {SHEET!r} (use the exported template)"
        raise InputError(msg, f"{name}: geen tabblad {SHEET!r} (gebruik het sjabloon)")
    rows = list(book[SHEET].iter_rows(values_only=True))
    book.close()
    return rows


def _columns(header: list[str], catalogue: Catalogue, problems: list[CellProblem]) -> dict:
    """Column position -> header for every known header; unknown or doubled ones reported."""
    from openpyxl.utils import get_column_letter

    allowed = {ID_HEADER, NAME_HEADER, DATE_HEADER}
    for fact in catalogue.feiten:
        allowed |= {fact.label, source_header(fact)}
    by_key = {h.casefold(): h for h in allowed}
    columns: dict[int, str] = {}
    for position, text in enumerate(header):
        if not text:
            continue
        letter = get_column_letter(position + 1)
        known = by_key.get(text.casefold())
        if known is None:
            problems.append(
                CellProblem(1, text, f"onbekende kolom (kolom {letter})", "unknown column")
            )
        elif known in columns.values():
            problems.append(
                CellProblem(1, text, f"kolom komt dubbel voor (kolom {letter})", "duplicate column")
            )
        else:
            columns[position] = known
    return columns


def _date(value: Any, row: int, problems: list[CellProblem]) -> str | None:
    if is_blank(value):
        return None
    if isinstance(value, datetime | date):
        return (value.date() if isinstance(value, datetime) else value).isoformat()
    text = str(value).strip()
    for pattern in ("%d-%m-%Y", "%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, pattern).date().isoformat()
        except ValueError:
            continue
    problems.append(
        CellProblem(
            row,
            DATE_HEADER,
            f"{text!r} is geen datum (gebruik dd-mm-jjjj)",
            f"{text!r} is not a date (use dd-mm-yyyy)",
        )
    )
    return None


def _range_check(
    values: dict[str, Any], catalogue: Catalogue, row: int, problems: list[CellProblem]
) -> None:
    low, high = values.get("woningen_min"), values.get("woningen_max")
    if low is not None and high is not None and low > high:
        label = catalogue.get("woningen_max").label  # type: ignore[union-attr]
        problems.append(
            CellProblem(
                row,
                label,
                f"maximum ({high}) is kleiner dan het minimum ({low})",
                f"maximum ({high}) is below the minimum ({low})",
            )
        )


def _text(value: Any) -> str:
    return "" if is_blank(value) else re.sub(r"\s+", " ", str(value)).strip()


def _same(before: Any, after: Any) -> bool:
    if isinstance(before, int | float) and isinstance(after, int | float):
        return float(before) == float(after)
    return before == after


# -- writing -------------------------------------------------------------------------------


def _style(sheet) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=HEADER_COLOUR)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "B2"
    for column in sheet.columns:
        longest = max((len(str(c.value)) for c in column if c.value is not None), default=8)
        width = min(max(longest, 12) + 2, MAX_WIDTH)
        sheet.column_dimensions[column[0].column_letter].width = width


def _dropdowns(sheet, catalogue: Catalogue, count: int) -> None:
    """A pick list on every keuze and ja/nee column (typing another value stays possible, so the
    import can report it)."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    last = max(count + 1, 2)
    for position, fact in enumerate(catalogue.feiten):
        if fact.type == "getal":
            continue
        options = [*(fact.opties if fact.type == "keuze" else ("ja", "nee")), "onbekend"]
        letter = get_column_letter(4 + 2 * position)
        check = DataValidation(
            type="list", formula1='"' + ",".join(options) + '"', allow_blank=True
        )
        check.showErrorMessage = False
        sheet.add_data_validation(check)
        check.add(f"{letter}2:{letter}{last}")


def _help_sheet(sheet, catalogue: Catalogue) -> None:
    sheet.append(
        ["Kolom", "Feit-id", "Toegestane waarden", "Uitleg", "Selectiefactor", "Beleidsbron"]
    )
    sheet.append([ID_HEADER, "", "een locatie-id uit de locatielijst", "Verplicht.", "", ""])
    sheet.append(
        [NAME_HEADER, "", "vrije tekst", "Alleen ter herkenning; wordt niet ingelezen.", "", ""]
    )
    sheet.append(
        [
            DATE_HEADER,
            "",
            "datum (dd-mm-jjjj)",
            "Datum van de bronnen in deze rij (optioneel).",
            "",
            "",
        ]
    )
    for fact in catalogue.feiten:
        allowed = fact.allowed_text()
        if fact.type == "keuze":
            allowed = "; ".join(f"{code} ({label})" for code, label in fact.opties.items())
        sheet.append(
            [
                fact.label,
                fact.id,
                f"{allowed}; of 'onbekend' om het feit te wissen",
                fact.uitleg,
                fact.selectiefactor or "",
                fact.beleidsbron or "",
            ]
        )
        sheet.append(
            [
                source_header(fact),
                "",
                "vrije tekst",
                f"Bron van '{fact.label}': document, datum, vergadering of link. {EMPTY_SOURCE}",
                "",
                "",
            ]
        )
    sheet.append([])
    for line in _rules():
        sheet.append([line])
    _style(sheet)


def _rules() -> Iterable[str]:
    return (
        "Regels bij inlezen:",
        "- Een lege waardecel verandert niets; 'onbekend' wist het feit (de geschiedenis blijft).",
        "- Een ongewijzigde waarde met dezelfde bron wordt niet opnieuw vastgelegd.",
        "- Bij één fout wordt niets verwerkt; het verslag noemt rij, kolom en probleem.",
    )

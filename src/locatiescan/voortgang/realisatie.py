"""Realised net additions of later years (after the CBS series 2012-2020 in the data root),
imported per werkruimte from a small spreadsheet, checked cell by cell like the PPM.

Layout (sheet 'Realisatie', headers in row 1): Gemeentecode (GM0034) | Jaar (2023) |
Netto toevoeging (the 'saldo woningvoorraad', may be negative) | Bron (optional).
"""

from __future__ import annotations

import re
from collections.abc import Collection
from pathlib import Path

import pandas as pd

from locatiescan.voortgang.spreadsheet import Controle, Probleem, blank, read_cells
from locatiescan.workbook import workbook_bytes

SHEET = "Realisatie"
HEADERS = {
    "gemeentecode": "Gemeentecode",
    "jaar": "Jaar",
    "netto_toevoeging": "Netto toevoeging",
    "bron": "Bron",
}
REQUIRED = ("gemeentecode", "jaar", "netto_toevoeging")
YEARS = range(2000, 2101)
_WHOLE = re.compile(r"^-?\d+$")
_DUTCH_THOUSANDS = re.compile(r"^-?\d{1,3}(\.\d{3})+$")


def realisatie_template_xlsx() -> bytes:
    """An empty workbook with the Dutch headers of the realisation import."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append(list(HEADERS.values()))
    return workbook_bytes(book)


def read_realisatie(source: Path | bytes, gemeentecodes: Collection[str]) -> Controle:
    """Read and check a realisation workbook; `rows` has gemeentecode, jaar, netto_toevoeging,
    bron. Every bad cell is a problem; apply the rows only when `ok`."""
    from openpyxl.utils import get_column_letter

    cells = read_cells(source, SHEET)
    header = [("" if h is None else str(h).strip().casefold()) for h in (cells[:1] or [[]])[0]]
    positions = {
        f: header.index(h.casefold()) for f, h in HEADERS.items() if h.casefold() in header
    }
    problems = [
        Probleem("rij 1", HEADERS[f], "verplichte kolom ontbreekt")
        for f in REQUIRED
        if f not in positions
    ]
    if problems:
        return Controle(pd.DataFrame(columns=list(HEADERS)), problems)
    rows: list[dict[str, object]] = []
    seen: dict[tuple[object, object], int] = {}
    for number, values in enumerate(cells[1:], start=2):
        if all(blank(v) for v in values):
            continue
        row = {f: values[p] if p < len(values) else None for f, p in positions.items()}
        parsed, found = _check_row(row, gemeentecodes)
        key = (parsed["gemeentecode"], parsed["jaar"])
        if not found and key in seen:
            found.append(("jaar", f"{key[0]} {key[1]} staat al op rij {seen[key]}"))
        problems += [
            Probleem(f"{get_column_letter(positions[f] + 1)}{number}", HEADERS[f], text)
            for f, text in found
        ]
        if not found:
            seen[key] = number
            rows.append(parsed)
    if not rows and not problems:
        problems.append(Probleem("rij 2", SHEET, "geen regels gevonden onder de kopregel"))
    return Controle(pd.DataFrame(rows, columns=list(HEADERS)), problems)


def _check_row(
    row: dict[str, object], gemeentecodes: Collection[str]
) -> tuple[dict[str, object], list[tuple[str, str]]]:
    """One row's values, and its problems as (field, Dutch text)."""
    found: list[tuple[str, str]] = []
    code = "" if blank(row["gemeentecode"]) else str(row["gemeentecode"]).strip().upper()
    if code not in gemeentecodes:
        found.append(("gemeentecode", f"'{code}' is geen gemeentecode (2022), bv. GM0034"))
    year, net = _integer(row["jaar"]), _integer(row["netto_toevoeging"])
    if year is None or year not in YEARS:
        found.append(("jaar", f"'{row['jaar']}' is geen jaartal tussen 2000 en 2100"))
    if net is None:
        found.append(("netto_toevoeging", f"'{row['netto_toevoeging']}' is geen geheel getal"))
    note = row.get("bron")
    parsed: dict[str, object] = {
        "gemeentecode": code,
        "jaar": year,
        "netto_toevoeging": net,
        "bron": "" if blank(note) else str(note).strip(),
    }
    return parsed, found


def _integer(value: object) -> int | None:
    if isinstance(value, bool) or blank(value):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    text = str(value).strip()
    if _DUTCH_THOUSANDS.match(text):
        text = text.replace(".", "")  # '1.500' is Dutch for 1500
    return int(text) if _WHOLE.match(text) else None

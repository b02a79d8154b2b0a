"""Workbooks Locatiescan writes keep data as data: no text is stored as an Excel formula.

openpyxl stores any text that starts with "=" as a formula, so a location named
`=HYPERLINK("https://…";"Klik")` in an uploaded file would become a live formula in an exported
ranking (formula injection). Locatiescan writes no formulas of its own (drop-down lists are data
validations, not cells), so every such cell is stored as the text it is.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from openpyxl import Workbook


def keep_text(book: Workbook) -> None:
    """Store every cell openpyxl took for a formula as text."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"


def workbook_bytes(book: Workbook) -> bytes:
    """The workbook as .xlsx bytes, its text kept as text (`keep_text`)."""
    keep_text(book)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()

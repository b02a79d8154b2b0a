"""Quarters: the precision of PPM milestone dates and peilmomenten.

A quarter is written `2025-Q3` (sortable as text, so SQLite keeps it as such). Input accepts the
forms planners use: `2025-Q3`, `Q3 2025`, `2025 K3`, `K3-2025`, `2025Q3` (Woontop text writes
"Eind Q1 2025", seed 001 line 220), and a calendar date, which falls in its quarter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

_YEAR_FIRST = re.compile(r"^(\d{4})\s*[-/ ]?\s*[QK]\s*([1-4])$", re.IGNORECASE)
_QUARTER_FIRST = re.compile(r"^[QK]\s*([1-4])\s*[-/ ]?\s*(\d{4})$", re.IGNORECASE)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MIN_YEAR, MAX_YEAR = 1990, 2100


@dataclass(frozen=True, order=True)
class Kwartaal:
    """A calendar quarter; `b - a` is the number of quarters from a to b."""

    jaar: int
    nummer: int

    @property
    def index(self) -> int:
        """Quarters since year 0: differences between quarters are differences of indexes."""
        return self.jaar * 4 + self.nummer - 1

    def __sub__(self, other: Kwartaal) -> int:
        return self.index - other.index

    def __str__(self) -> str:
        return f"{self.jaar}-Q{self.nummer}"

    def tekst(self) -> str:
        """Dutch display form: 'Q3 2025'."""
        return f"Q{self.nummer} {self.jaar}"


def kwartaal_van(day: date) -> Kwartaal:
    """The quarter a date falls in."""
    return Kwartaal(day.year, (day.month - 1) // 3 + 1)


def parse_kwartaal(value: object) -> Kwartaal:
    """A quarter from text or a date; ValueError with a Dutch message otherwise."""
    if isinstance(value, Kwartaal):
        return value
    if isinstance(value, datetime | date):
        found = kwartaal_van(value)
    else:
        text = str(value).strip()
        year_first, quarter_first = _YEAR_FIRST.match(text), _QUARTER_FIRST.match(text)
        if year_first:
            found = Kwartaal(int(year_first[1]), int(year_first[2]))
        elif quarter_first:
            found = Kwartaal(int(quarter_first[2]), int(quarter_first[1]))
        elif _ISO_DATE.match(text):
            try:
                found = kwartaal_van(date.fromisoformat(text))
            except ValueError as err:
                msg = f"'{text}' is geen bestaande datum"
                raise ValueError(msg) from err
        else:
            msg = f"'{text}' is geen kwartaal; schrijf bijvoorbeeld 2025-Q3, Q3 2025 of 2025-K3"
            raise ValueError(msg)
    if not MIN_YEAR <= found.jaar <= MAX_YEAR:
        msg = f"jaar {found.jaar} ligt buiten {MIN_YEAR}–{MAX_YEAR}"
        raise ValueError(msg)
    return found

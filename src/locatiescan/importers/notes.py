"""Import warnings: English for the command line, Dutch for the app."""

from __future__ import annotations

from typing import NamedTuple


class Note(NamedTuple):
    """One warning in both languages."""

    en: str
    nl: str

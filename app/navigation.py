"""The app's pages, in navigation order: the one list the entry point builds its navigation from
and the page tests discover the pages in (no Streamlit import here)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath


@dataclass(frozen=True)
class PageDef:
    """One page: its script (relative to app/), title, Material icon, and whether it is the
    start page."""

    path: str
    title: str
    icon: str
    default: bool = False

    @property
    def slug(self) -> str:
        """The page's URL path ('kaart' for views/kaart.py)."""
        return PurePosixPath(self.path).stem


PAGES: list[PageDef] = [
    PageDef("views/kaart.py", "Kaart", ":material/map:", default=True),
    PageDef("views/shortlist.py", "Shortlist", ":material/format_list_numbered:"),
    PageDef("views/zelfscan.py", "Zelfscan", ":material/domain_add:"),
    PageDef("views/voortgang.py", "Voortgang", ":material/timeline:"),
    PageDef("views/bronnen.py", "Bronnen", ":material/menu_book:"),
]

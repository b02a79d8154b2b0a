"""Which locations belong to a programme (doorbraak, koploper, ...), pure."""

from __future__ import annotations

import pandas as pd

from locatiescan.location_table import LOCATION_TYPES

PROGRAMMES: dict[str, str] = {
    code: label for code, label in LOCATION_TYPES.items() if code not in ("plancapaciteit", "eigen")
}


def in_programme(locations: pd.DataFrame, programme: str, *, own: bool = False) -> pd.Series:
    """Mask of the locations in `programme`: by column `programmas` (";"-joined) when the table
    has it, else by `type`; with `own`, the user's own locations (type "eigen") too."""
    if "programmas" in locations.columns:
        listed = locations["programmas"].fillna(locations["type"]).astype(str)
        member = listed.map(lambda text: programme in {p.strip() for p in text.split(";")})
    else:
        member = locations["type"].astype(str) == programme
    if own:
        member = member | (locations["type"].astype(str) == "eigen")
    return member.astype(bool)

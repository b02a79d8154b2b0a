"""Attribute mapping for imported files (pure): find the name, housing, gemeente and id columns.

Column names are compared after `column_key` (case, accents, spaces, hyphens and dots ignored),
in the priority order of each candidate list; the first match wins. Only lon/lat columns may also
match on a word ("punt_lon", "lat_wgs84"); other names must match exactly, so "Shape_Length" is
never taken for WKT nor "aantal_bouwlagen" for a number of woningen. All other columns are kept;
a kept column whose name is taken by the Location table gets the suffix `_origineel` (a mapped
name or housing column called "naam" / "woningen" is not kept twice). Columns that carry a
registry field the scoring and the dossier read (`HONOURED`: planstatus, partijen, status) are
taken over as that field, with the file as source; `planstatus` only as "hard" or "zacht".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

import pandas as pd

NAME_COLUMNS = (
    "naam",
    "name",
    "projectnaam",
    "plannaam",
    "locatienaam",
    "project_naam",
    "plan_naam",
    "locatie_naam",
    "project_name",
    "locatie",
    "project",
    "titel",
    "title",
    "omschrijving",
)
HOUSING_COLUMNS = (
    "woningen", "aantal_woningen", "aantalwoningen", "woningaantal", "aantal_won", "homes",
    "dwellings", "housing_units", "units", "aantalrest", "aantal",
)  # fmt: skip
GEMEENTE_COLUMNS = (
    "gemeente",
    "gemeenten",
    "gemeentenaam",
    "gemeente_naam",
    "gem_naam",
    "gm_naam",
    "municipality",
    "statnaam",
)
ID_COLUMNS = ("id", "locatie_id", "location_id", "plan_id", "planid")
WKT_COLUMNS = ("wkt", "geometry", "geometrie", "geom", "the_geom", "shape")
LON_COLUMNS = ("lon", "lng", "long", "longitude", "lengtegraad")
LAT_COLUMNS = ("lat", "latitude", "breedtegraad")
X_COLUMNS = (
    "x",
    "rd_x",
    "rdx",
    "x_rd",
    "xcoord",
    "x_coord",
    "xcoordinaat",
    "x_coordinaat",
    "coord_x",
)
Y_COLUMNS = (
    "y",
    "rd_y",
    "rdy",
    "y_rd",
    "ycoord",
    "y_coord",
    "ycoordinaat",
    "y_coordinaat",
    "coord_y",
)
SUFFIX = "_origineel"
HONOURED = ("planstatus", "partijen", "status")
PLANSTATUS = ("hard", "zacht")


def column_key(name: object) -> str:
    """Comparable column name: casefolded, no accents, spaces, hyphens and dots as underscores."""
    plain = "".join(
        ch for ch in unicodedata.normalize("NFKD", str(name)) if not unicodedata.combining(ch)
    )
    return re.sub(r"[\s\-.]+", "_", plain.strip().casefold()).strip("_")


def find_column(
    columns: Iterable[object], candidates: tuple[str, ...], *, partial: bool = False
) -> str | None:
    """The first column (original spelling) matching `candidates` in priority order, or None.

    With `partial`, a column whose "_"-separated words include a candidate of three or more
    letters also matches ("punt_lon") when no column matches exactly.
    """
    by_key: dict[str, str] = {}
    for col in columns:
        by_key.setdefault(column_key(col), str(col))
    exact = next((by_key[c] for c in candidates if c in by_key), None)
    if exact is not None or not partial:
        return exact
    words = {key: set(key.split("_")) for key in by_key}
    return next(
        (by_key[k] for c in candidates if len(c) >= 3 for k in by_key if c in words[k]), None
    )


def housing_numbers(values: pd.Series) -> pd.Series:
    """Housing counts as nullable integers; text such as "ca. 1.200" or "1200 woningen" is read."""
    text = values.astype("string").str.replace(r"(?<=\d)\.(?=\d{3}\b)", "", regex=True)
    numbers = pd.to_numeric(
        text.str.extract(r"(-?\d+(?:[.,]\d+)?)")[0].str.replace(",", "."), errors="coerce"
    )
    return numbers.round().astype("Int64")


def location_ids(frame: pd.DataFrame, id_column: str | None) -> tuple[list[str], str | None]:
    """Ids "EIGEN-<n>" by row order (1-based), or the user's id column when complete and unique."""
    if id_column is not None:
        values = frame[id_column].astype("string").str.strip()
        if values.notna().all() and (values != "").all() and values.is_unique:
            return list(values), id_column
    return [f"EIGEN-{n}" for n in range(1, len(frame) + 1)], None


def rename_reserved(frame: pd.DataFrame, reserved: Iterable[str]) -> pd.DataFrame:
    """Rename user columns that collide (case-insensitively) with Location table columns."""
    taken = {r.casefold() for r in reserved}
    mapping = {
        c: f"{c}{SUFFIX}" for c in frame.columns if c != "geometry" and str(c).casefold() in taken
    }
    return frame.rename(columns=mapping)


def honoured_columns(columns: Iterable[object]) -> dict[str, str]:
    """Location table field -> the user's column carrying it (exact name after `column_key`)."""
    found = {field: find_column(columns, (field,)) for field in HONOURED}
    return {field: column for field, column in found.items() if column is not None}


def planstatus_values(values: pd.Series) -> tuple[pd.Series, list[str]]:
    """ "hard"/"zacht" (case and spaces ignored) as the planstatus; other values become NA and
    are returned (distinct, in order) so the import can warn about them."""
    text = values.astype("string").str.strip().str.casefold()
    valid = text.isin(PLANSTATUS).fillna(False).astype(bool)
    rejected = values[~valid & text.notna() & (text != "")]
    return text.where(valid, pd.NA), list(dict.fromkeys(str(v) for v in rejected))

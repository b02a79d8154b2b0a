"""The Location table: its schema in one place and the one check of it.

A Location table is a GeoDataFrame in EPSG:28992 with a unique text `id` per row and at least
the columns `LOCATION_COLUMNS` (see `registry` for what each holds). Locations enter through
the registry, the importers, a polygon drawn on the map and the workspace's stored own
locations; each entry ends in `location_table` (columns completed and ordered, then checked).
Code that receives locations from a caller (overlay, scoring, exports) asks the same
`check_location_table` / `location_ids`, so the rules and their messages live only here.
"""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
import pandas as pd

from locatiescan.errors import InputError

RD = "EPSG:28992"
RD_EPSG = 28992

LOCATION_TYPES: dict[str, str] = {
    "koploper": "Koploper industrieel bouwen",
    "doorbraak": "Doorbraaklocatie",
    "grootschalig": "Grootschalige woningbouwlocatie",
    "plancapaciteit": "Plancapaciteit 2020 (EIB)",
    "eigen": "Eigen locatie",
}
POLICY_TYPES = ("koploper", "doorbraak", "grootschalig")
REGISTRY_TYPES = (*POLICY_TYPES, "plancapaciteit")

LOCATION_COLUMNS = [
    "id",
    "naam",
    "type",
    "gemeenten",
    "gemeentecodes",
    "provincie",
    "woningen_min",
    "woningen_max",
    "woningen",
    "planstatus",
    "partijen",
    "status",
    "bron",
    "geometrie_kwaliteit",
    "area_ha",
    "geometry",
]
SHOWN_REPEATS = 10  # repeated ids named in a message


def location_ids(locations: pd.DataFrame) -> pd.Index:
    """The location ids as text; `InputError` when the column is missing or an id repeats."""
    if "id" not in locations.columns:
        msg = "locations have no 'id' column: they need a column 'id' with one id per location"
        raise InputError(msg, "locaties hebben geen kolom 'id': elke locatie heeft een id nodig")
    ids = pd.Index(locations["id"].astype(str), name="id")
    if not ids.is_unique:
        repeated = ", ".join(sorted(set(ids[ids.duplicated()]))[:SHOWN_REPEATS])
        msg = f"location ids are not unique: {repeated} occur more than once"
        raise InputError(msg, f"locatie-id's zijn niet uniek: {repeated} komen dubbel voor")
    return ids


def id_index(locations: pd.DataFrame) -> pd.Index:
    """The `id` column as an index named "id" (as `pd.Index(ids.to_numpy())` makes it), without
    converting text that is held as text already (the overlay builds it for every metric)."""
    ids = locations["id"]
    return pd.Index(ids if ids.dtype == "str" else ids.to_numpy(), name="id")


def check_crs(frame: gpd.GeoDataFrame | gpd.GeoSeries, what: str) -> None:
    """`InputError` unless `frame` is in EPSG:28992 (RD New): areas and distances in metres."""
    crs = frame.crs
    if crs is None or crs.to_epsg() != RD_EPSG:
        found = crs.to_string() if crs is not None else "no CRS"
        gevonden = crs.to_string() if crs is not None else "geen coördinatenstelsel"
        msg = f"{what} is in {found}; Locatiescan computes in {RD} (RD New)"
        nl = f"{what} staat in {gevonden}; Locatiescan rekent in {RD} (RD New)"
        raise InputError(msg, nl)


def check_location_table(locations: object) -> None:
    """`InputError` unless `locations` is a GeoDataFrame in EPSG:28992 with unique ids."""
    if not isinstance(locations, gpd.GeoDataFrame):
        msg = "locations must be a GeoDataFrame"
        raise InputError(msg, "locaties moeten een GeoDataFrame zijn")
    check_crs(locations, "locations")
    location_ids(locations)


def location_table(
    frame: gpd.GeoDataFrame, first: Sequence[str] = LOCATION_COLUMNS[:-1]
) -> gpd.GeoDataFrame:
    """`frame` as a checked Location table: missing schema columns added as NA, the columns
    `first` in front, other columns after them, the geometry last, a RangeIndex."""
    check_location_table(frame)
    table = frame.copy()
    for column in LOCATION_COLUMNS:
        if column not in table.columns:
            table[column] = pd.NA
    leading = list(dict.fromkeys([*first, *LOCATION_COLUMNS[:-1]]))
    extra = [c for c in table.columns if c not in leading and c != table.geometry.name]
    ordered = table[[*leading, *extra, table.geometry.name]].reset_index(drop=True)
    return gpd.GeoDataFrame(ordered, geometry=table.geometry.name, crs=RD)

"""Location filters for the map and the tables (pure functions on the location/screening tables).

A filter on a value that is unknown (no screening, no housing count) does not let the location
through as if it passed: it is left out and listed under `FilterResult.unknown`, so the page can
say how many locations were dropped for lack of data.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

NATURA2000_OVERLAP = "natura2000.overlap_pct"
NETCONGESTIE_AFNAME = "netcongestie.afname_code"
NETCONGESTIE_RED = 3  # capaciteitskaart: 3 = tekort, wachtrij

FILTER_LABELS = {
    "zonder_natura2000": "zonder Natura 2000-overlap",
    "netcongestie_niet_rood": "netcongestie afname niet rood",
    "min_woningen": "woningen ≥ N",
}


@dataclass(frozen=True)
class LocationFilter:
    """What the user selected; empty selections do not filter."""

    types: tuple[str, ...] = ()
    provincies: tuple[str, ...] = ()
    min_woningen: int | None = None
    zonder_natura2000: bool = False
    netcongestie_niet_rood: bool = False


@dataclass(frozen=True)
class FilterResult:
    """Location ids that pass, and per filter label the ids left out because data is unknown."""

    ids: list[str]
    unknown: dict[str, list[str]] = field(default_factory=dict)


def provinces_of(locations: pd.DataFrame) -> list[str]:
    """Sorted distinct provinces (a location spanning several lists them joined with ';')."""
    values = locations["provincie"].dropna().astype(str).str.split(";").explode().str.strip()
    return sorted(v for v in values.unique() if v)


def _screening_column(screening: pd.DataFrame | None, ids: pd.Index, column: str) -> pd.Series:
    if screening is None or column not in screening.columns:
        return pd.Series(float("nan"), index=ids, dtype="float64")
    return pd.to_numeric(screening[column].reindex(ids), errors="coerce")


def apply_filter(
    locations: pd.DataFrame, screening: pd.DataFrame | None, spec: LocationFilter
) -> FilterResult:
    """Ids of the locations that pass every selected filter (in the locations' order)."""
    ids = pd.Index(locations["id"].astype(str))
    keep = pd.Series(True, index=ids)
    unknown: dict[str, list[str]] = {}

    if spec.types:
        keep &= locations["type"].isin(spec.types).to_numpy()
    if spec.provincies:
        wanted = set(spec.provincies)
        parts = locations["provincie"].fillna("").astype(str).str.split(";")
        keep &= parts.map(lambda ps: any(p.strip() in wanted for p in ps)).to_numpy()

    def numeric_rule(label: str, values: pd.Series, passes: pd.Series) -> None:
        nonlocal keep
        missing = values.isna()
        unknown_ids = list(ids[missing.to_numpy() & keep.to_numpy()])
        if unknown_ids:
            unknown[label] = unknown_ids
        keep &= (~missing & passes).to_numpy()

    if spec.min_woningen is not None:
        woningen = pd.Series(
            pd.to_numeric(locations["woningen"], errors="coerce").to_numpy(), index=ids
        )
        numeric_rule(FILTER_LABELS["min_woningen"], woningen, woningen >= spec.min_woningen)
    if spec.zonder_natura2000:
        overlap = _screening_column(screening, ids, NATURA2000_OVERLAP)
        numeric_rule(FILTER_LABELS["zonder_natura2000"], overlap, overlap <= 0)
    if spec.netcongestie_niet_rood:
        code = _screening_column(screening, ids, NETCONGESTIE_AFNAME)
        code = code.where(code >= 0)  # -1 = no colour assigned yet: unknown
        numeric_rule(FILTER_LABELS["netcongestie_niet_rood"], code, code < NETCONGESTIE_RED)
    return FilterResult(ids=list(ids[keep.to_numpy()]), unknown=unknown)

"""Location filters for the map and the tables (pure functions on the location/screening tables).

Constraint filters come from the catalog (`filters` in a layer's YAML: a metric and the
condition a location passes). A filter on a value that is unknown (no screening, outside the
layer's coverage, no housing count) does not let the location through as if it passed: it is
left out and listed under `FilterResult.unknown`, so the page can say how many locations were
dropped for lack of data.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from locatiescan.layers.catalog import FilterDef, LayerDef
from locatiescan.layers.fetch import shipped_catalog
from locatiescan.location_table import LOCATION_TYPES
from locatiescan.sites import in_programmes, programmes

MIN_WONINGEN = "woningen ≥ N"


@dataclass(frozen=True, init=False)
class LocationFilter:
    """What the user selected; empty selections do not filter. `types` are programmes: a site
    listed under several (`programmas`, e.g. "koploper;doorbraak") passes for each of them.

    `voorwaarden` holds ids of catalog filters; they may also be passed as keyword switches
    (`LocationFilter(zonder_x=True)` for the catalog filter `zonder_x`).
    """

    types: tuple[str, ...] = ()
    provincies: tuple[str, ...] = ()
    min_woningen: int | None = None
    voorwaarden: tuple[str, ...] = field(default=())

    def __init__(
        self,
        types: tuple[str, ...] = (),
        provincies: tuple[str, ...] = (),
        min_woningen: int | None = None,
        voorwaarden: tuple[str, ...] = (),
        **switches: bool,
    ) -> None:
        chosen = tuple(dict.fromkeys([*voorwaarden, *(k for k, on in switches.items() if on)]))
        object.__setattr__(self, "types", tuple(types))
        object.__setattr__(self, "provincies", tuple(provincies))
        object.__setattr__(self, "min_woningen", min_woningen)
        object.__setattr__(self, "voorwaarden", chosen)


@dataclass(frozen=True)
class FilterResult:
    """Location ids that pass, and per filter label the ids left out because data is unknown."""

    ids: list[str]
    unknown: dict[str, list[str]] = field(default_factory=dict)


def catalog_filters(catalog: Mapping[str, LayerDef] | None = None) -> dict[str, FilterDef]:
    """Filter id -> definition, over every layer of the catalog."""
    catalog = shipped_catalog() if catalog is None else catalog
    return {f.id: f for layer in catalog.values() for f in layer.filters}


def filter_column(filter_id: str, catalog: Mapping[str, LayerDef] | None = None) -> str:
    """The screening column a catalog filter reads."""
    catalog = shipped_catalog() if catalog is None else catalog
    for lid, layer in catalog.items():
        for item in layer.filters:
            if item.id == filter_id:
                return f"{lid}.{item.metric}"
    msg = f"unknown filter {filter_id!r}"
    raise KeyError(msg)


def programmes_of(locations: pd.DataFrame) -> list[str]:
    """The programmes (location types) present, in the registry's order; a site in several
    programmes (`programmas`) counts for each."""
    cells = locations["programmas"] if "programmas" in locations.columns else locations["type"]
    found = {p for cell in cells.fillna(locations["type"]) for p in programmes(cell)}
    return [t for t in LOCATION_TYPES if t in found]


def provinces_of(locations: pd.DataFrame) -> list[str]:
    """Sorted distinct provinces (a location spanning several lists them joined with ';')."""
    values = locations["provincie"].dropna().astype(str).str.split(";").explode().str.strip()
    return sorted(v for v in values.unique() if v)


def _screening_column(screening: pd.DataFrame | None, ids: pd.Index, column: str) -> pd.Series:
    if screening is None or column not in screening.columns:
        return pd.Series(None, index=ids, dtype=object)
    return pd.Series(screening[column].reindex(ids).to_numpy(), index=ids, dtype=object)


def apply_filter(
    locations: pd.DataFrame,
    screening: pd.DataFrame | None,
    spec: LocationFilter,
    catalog: Mapping[str, LayerDef] | None = None,
) -> FilterResult:
    """Ids of the locations that pass every selected filter (in the locations' order)."""
    catalog = shipped_catalog() if catalog is None else catalog
    ids = pd.Index(locations["id"].astype(str))
    keep = pd.Series(True, index=ids)
    unknown: dict[str, list[str]] = {}

    if spec.types:  # a site in several programmes is found under each of them
        keep &= in_programmes(locations, spec.types).to_numpy()
    if spec.provincies:
        wanted = set(spec.provincies)
        parts = locations["provincie"].fillna("").astype(str).str.split(";")
        keep &= parts.map(lambda ps: any(p.strip() in wanted for p in ps)).to_numpy()

    def rule(label: str, missing: pd.Series, passes: pd.Series) -> None:
        nonlocal keep
        unknown_ids = list(ids[missing.to_numpy() & keep.to_numpy()])
        if unknown_ids:
            unknown[label] = unknown_ids
        keep &= (~missing & passes).to_numpy()

    if spec.min_woningen is not None:
        woningen = pd.Series(
            pd.to_numeric(locations["woningen"], errors="coerce").to_numpy(), index=ids
        )
        rule(MIN_WONINGEN, woningen.isna(), woningen >= spec.min_woningen)
    filters = catalog_filters(catalog)
    for filter_id in spec.voorwaarden:
        item = filters[filter_id]
        values = _screening_column(screening, ids, filter_column(filter_id, catalog))
        known = values.map(lambda v: v is not None and not pd.isna(v)).astype(bool)
        if item.onbekend is not None:
            known &= ~values.map(lambda v, f=item: f.onbekend.holds(v)).astype(bool)
        rule(item.label, ~known, values.map(item.als.holds).astype(bool) & known)
    return FilterResult(ids=list(ids[keep.to_numpy()]), unknown=unknown)

"""Attribute values of the features a location overlaps, and figures of the area it lies in.

`area_figures` handles areas known only by their bounding box (the capaciteitskaart export): a
location lies in several boxes, so the choice is made explicit. A preferred polygon layer that
covers the location and names one of the candidate areas picks that area; otherwise every
candidate counts, each figure takes its worst value, and the choice text says so.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from locatiescan.layers.catalog import SNAPSHOT_COLUMN, AreaFiguresMetric, ValueMetric
from locatiescan.overlay._vector import dissolved_area, intersection_pairs, share_pct

NO_AREA = "geen gebied gevonden"


def _hits(locations: gpd.GeoDataFrame, features: gpd.GeoDataFrame) -> dict[int, list[object]]:
    """Location position -> labels of the features sharing area with it."""
    pairs = intersection_pairs(locations, features, prepared=True)
    hits: dict[int, list[object]] = {}
    for loc, feat in zip(pairs["loc"].to_numpy(), pairs["feat"].to_numpy(), strict=True):
        hits.setdefault(int(loc), []).append(feat)
    return hits


def _combine(values: list[object], how: str) -> object:
    """max / min / sum of the numeric values, or the sorted distinct texts ("; "-joined)."""
    if how == "list":
        texts = sorted({str(v) for v in values if not pd.isna(v) and str(v).strip()})
        return "; ".join(texts)
    numbers = pd.to_numeric(pd.Series(values, dtype=object), errors="coerce").dropna()
    if numbers.empty:
        return np.nan
    return float({"max": numbers.max, "min": numbers.min, "sum": numbers.sum}[how]())


def feature_values(
    locations: gpd.GeoDataFrame, features: gpd.GeoDataFrame, metric: ValueMetric
) -> pd.Series:
    """Per location the combined `field` of the overlapping features; None/NaN when none."""
    hits = _hits(locations, features)
    empty: object = None if metric.how == "list" else np.nan
    values = [
        _combine(list(features.loc[hits[i], metric.field]), metric.how) if i in hits else empty
        for i in range(len(locations))
    ]
    return pd.Series(values, index=pd.Index(locations["id"].to_numpy(), name="id"), dtype=object)


def _preferred_keys(
    locations: gpd.GeoDataFrame, all_features: gpd.GeoDataFrame, metric: AreaFiguresMetric
) -> list[list[str]]:
    """Per location the keys of the preferred polygons it overlaps, largest share first; empty
    when they cover less than `min_pct` of it."""
    keys: list[list[str]] = [[] for _ in range(len(locations))]
    pref = metric.preference
    if pref is None or SNAPSHOT_COLUMN not in all_features.columns:
        return keys
    polygons = all_features[all_features[SNAPSHOT_COLUMN].isin(pref.snapshots)]
    if polygons.empty or pref.key not in polygons.columns:
        return keys
    pairs = intersection_pairs(locations, polygons, prepared=True)
    covered = share_pct(locations, dissolved_area(pairs, len(locations)))
    ordered = pairs.sort_values(["loc", "area_m2"], ascending=[True, False])
    for loc, feat in zip(ordered["loc"].to_numpy(), ordered["feat"].to_numpy(), strict=True):
        if covered[loc] >= pref.min_pct:
            key = str(polygons.loc[feat, pref.key]).strip()
            if key not in keys[int(loc)]:
                keys[int(loc)].append(key)
    return keys


def _norm(value: object) -> str:
    return str(value).strip().casefold()


def area_figures(
    locations: gpd.GeoDataFrame,
    candidates: gpd.GeoDataFrame,
    all_features: gpd.GeoDataFrame,
    metric: AreaFiguresMetric,
) -> pd.DataFrame:
    """The figures, the names of the areas used (`gebieden`) and how they were chosen."""
    hits = _hits(locations, candidates)
    preferred = _preferred_keys(locations, all_features, metric)
    rows = []
    for i in range(len(locations)):
        labels = hits.get(i, [])
        records = candidates.loc[labels]
        keys = preferred[i]
        wanted = {_norm(k) for k in keys}
        by_key = records[metric.key].map(_norm).isin(wanted).to_numpy()
        by_name = records[metric.name_field].map(_norm).isin(wanted).to_numpy()
        match = records[by_key | by_name]
        named = ", ".join(keys)
        if not match.empty:
            chosen = match
            how = f"voedingsgebied {named} (polygoon, Zuid-Holland) komt overeen met dit gebied"
        elif records.empty:
            chosen, how = records, NO_AREA
        else:
            chosen = records
            how = (
                f"{len(records)} kandidaat-gebieden waarvan alleen de begrenzingsrechthoek "
                "bekend is; per cijfer de ongunstigste waarde"
                if len(records) > 1
                else "het enige gebied waarvan de begrenzingsrechthoek de locatie raakt"
            )
            if keys:
                how += f" (voedingsgebied {named} staat niet in de gebiedscijfers)"
        row: dict[str, object] = {
            figure.output: _combine(list(chosen[figure.field]), figure.how)
            if not chosen.empty
            else np.nan
            for figure in metric.figures
        }
        row[f"{metric.prefix}gebieden"] = "; ".join(sorted(map(str, chosen[metric.name_field])))
        row[f"{metric.prefix}gebied_keuze"] = how
        rows.append(row)
    return pd.DataFrame(rows, index=pd.Index(locations["id"].to_numpy(), name="id"))

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
from locatiescan.location_table import id_index
from locatiescan.overlay._vector import LayerPairs, dissolved_area, intersection_pairs, share_pct

NO_AREA = "geen gebied gevonden"


def _shared_area(
    locations: gpd.GeoDataFrame, features: gpd.GeoDataFrame, pairs: LayerPairs | None
) -> pd.DataFrame:
    """`intersection_pairs` of the (prepared) features, from the layer's shared pairs if given."""
    if pairs is not None:
        return pairs.shared_area(features)
    return intersection_pairs(locations, features, prepared=True)


def _hit_pairs(
    locations: gpd.GeoDataFrame, features: gpd.GeoDataFrame, pairs: LayerPairs | None
) -> tuple[np.ndarray, np.ndarray]:
    """(location position, feature label) of the pairs sharing area, by location then feature."""
    found = _shared_area(locations, features, pairs)
    return found["loc"].to_numpy(), found["feat"].to_numpy()


def _combine_grouped(
    loc: np.ndarray, values: np.ndarray, n_locations: int, how: str, empty: object
) -> np.ndarray:
    """Per location, in one pass over the pairs: max / min / sum of its numeric values (NaN when
    none is numeric), or with `how="list"` its sorted distinct non-empty texts ("; "-joined);
    `empty` for a location without any pair."""
    out = np.empty(n_locations, dtype=object)
    out[:] = [empty] * n_locations
    if how == "list":
        texts: dict[int, set[str]] = {int(i): set() for i in np.unique(loc)}
        for i, value in zip(loc.tolist(), values.tolist(), strict=True):
            if not pd.isna(value) and str(value).strip():
                texts[i].add(str(value))
        for i, found in texts.items():
            out[i] = "; ".join(sorted(found))
        return out
    numbers = pd.to_numeric(pd.Series(values, dtype=object), errors="coerce").to_numpy(float)
    out[np.unique(loc)] = np.nan
    valid = ~np.isnan(numbers)
    if not valid.any():
        return out
    order = np.argsort(loc[valid], kind="stable")
    kept_loc, kept = loc[valid][order], numbers[valid][order]
    starts = np.flatnonzero(np.r_[True, kept_loc[1:] != kept_loc[:-1]])
    ufunc = {"max": np.maximum, "min": np.minimum, "sum": np.add}[how]
    out[kept_loc[starts]] = [float(v) for v in ufunc.reduceat(kept, starts)]
    return out


def feature_values(
    locations: gpd.GeoDataFrame,
    features: gpd.GeoDataFrame,
    metric: ValueMetric,
    pairs: LayerPairs | None = None,
) -> pd.Series:
    """Per location the combined `field` of the overlapping features; None/NaN when none."""
    loc, feat = _hit_pairs(locations, features, pairs)
    values = features[metric.field].loc[feat].to_numpy(dtype=object)
    empty: object = None if metric.how == "list" else np.nan
    combined = _combine_grouped(loc, values, len(locations), metric.how, empty)
    return pd.Series(combined, index=id_index(locations), dtype=object)


def _preferred_keys(
    locations: gpd.GeoDataFrame,
    all_features: gpd.GeoDataFrame,
    metric: AreaFiguresMetric,
    pairs: LayerPairs | None,
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
    found = _shared_area(locations, polygons, pairs)
    covered = share_pct(
        locations,
        dissolved_area(found, len(locations)),
        None if pairs is None else pairs.location_m2(),
    )
    ordered = found.sort_values(["loc", "area_m2"], ascending=[True, False])
    ordered = ordered[covered[ordered["loc"].to_numpy()] >= pref.min_pct]
    key_of = polygons[pref.key].map(lambda v: str(v).strip())
    found_keys = key_of.loc[ordered["feat"].to_numpy()].tolist()
    for loc, key in zip(ordered["loc"].tolist(), found_keys, strict=True):
        if key not in keys[loc]:
            keys[loc].append(key)
    return keys


def _norm(value: object) -> str:
    return str(value).strip().casefold()


def area_figures(
    locations: gpd.GeoDataFrame,
    candidates: gpd.GeoDataFrame,
    all_features: gpd.GeoDataFrame,
    metric: AreaFiguresMetric,
    pairs: LayerPairs | None = None,
) -> pd.DataFrame:
    """The figures, the names of the areas used (`gebieden`) and how they were chosen.

    `candidates` and `all_features` are prepared; `pairs` are those of `all_features`."""
    n = len(locations)
    loc, feat = _hit_pairs(locations, candidates, pairs)
    preferred = _preferred_keys(locations, all_features, metric, pairs)
    wanted = [{_norm(k) for k in keys} if keys else set() for keys in preferred]
    key_norm = candidates[metric.key].map(_norm).loc[feat].tolist()
    name_norm = candidates[metric.name_field].map(_norm).loc[feat].tolist()
    match = np.array(
        [
            k in wanted[i] or m in wanted[i]
            for i, k, m in zip(loc.tolist(), key_norm, name_norm, strict=True)
        ],
        dtype=bool,
    )
    matched = np.zeros(n, dtype=bool)
    matched[loc[match]] = True
    chosen = match | ~matched[loc]  # the matching areas, else every candidate
    records = np.bincount(loc, minlength=n)
    columns: dict[str, list[object]] = {}
    for figure in metric.figures:
        values = candidates[figure.field].loc[feat].to_numpy(dtype=object)
        combined = _combine_grouped(loc[chosen], values[chosen], n, figure.how, np.nan)
        columns[figure.output] = combined.tolist()
    names: list[list[str]] = [[] for _ in range(n)]
    chosen_names = candidates[metric.name_field].loc[feat[chosen]].tolist()
    for i, name in zip(loc[chosen].tolist(), chosen_names, strict=True):
        names[i].append(str(name))
    columns[f"{metric.prefix}gebieden"] = ["; ".join(sorted(found)) for found in names]
    columns[f"{metric.prefix}gebied_keuze"] = [
        _choice_text(int(records[i]), bool(matched[i]), preferred[i]) for i in range(n)
    ]
    return pd.DataFrame(columns, index=id_index(locations))


def _choice_text(records: int, matched: bool, keys: list[str]) -> str:
    """How a location's area was chosen (Dutch)."""
    named = ", ".join(keys)
    if matched:
        return f"voedingsgebied {named} (polygoon, Zuid-Holland) komt overeen met dit gebied"
    if records == 0:
        return NO_AREA
    how = (
        f"{records} kandidaat-gebieden waarvan alleen de begrenzingsrechthoek "
        "bekend is; per cijfer de ongunstigste waarde"
        if records > 1
        else "het enige gebied waarvan de begrenzingsrechthoek de locatie raakt"
    )
    if keys:
        how += f" (voedingsgebied {named} staat niet in de gebiedscijfers)"
    return how

"""Gemeente-level footprints are not sites: their layer metrics are withheld (pure).

A location whose only known geometry is its gemeente(n) (`geometrie_kwaliteit == "gemeente"`)
is somewhere in that gemeente; an overlap, a zonal statistic or a share of the whole gemeente
says nothing about the site ("Ede/Wageningen 52 % Natura 2000"). For such a location every
layer metric becomes unknown with `NIET_BEPAALD_REDEN`; the values computed for the whole
gemeente are kept apart as context (`CONTEXT_LABEL`), so a page can say "de gemeente ligt voor
40 % in Natura 2000" without it counting as the site's value in knelpunten or scoring.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

GEMEENTE_LEVEL = "gemeente"
NIET_BEPAALD_REDEN = "niet te bepalen: alleen de gemeente is bekend"
CONTEXT_LABEL = "context: geldt voor de hele gemeente, niet voor de locatie"


def gemeente_level_ids(locations: pd.DataFrame) -> list[str]:
    """Ids of the locations whose footprint is only their gemeente(n)."""
    if "geometrie_kwaliteit" not in locations.columns:
        return []
    level = locations["geometrie_kwaliteit"].astype(str) == GEMEENTE_LEVEL
    return locations.loc[level, "id"].astype(str).tolist()


def _unknown(column: pd.Series, rows: pd.Index) -> pd.Series:
    """`column` with `rows` set to unknown, keeping a float / nullable dtype where there is one."""
    if pd.api.types.is_float_dtype(column.dtype):
        return column.mask(column.index.isin(rows), np.nan)
    if isinstance(column.dtype, pd.api.extensions.ExtensionDtype) and not isinstance(
        column.dtype, pd.CategoricalDtype
    ):
        return column.mask(column.index.isin(rows), pd.NA)
    if pd.api.types.is_integer_dtype(column.dtype):
        return column.astype("Int64").mask(column.index.isin(rows), pd.NA)
    result = column.astype(object)
    result[result.index.isin(rows)] = None
    return result


def withhold_gemeente_level(
    table: pd.DataFrame, locations: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, str]]:
    """Pure: (`table` with every metric of gemeente-level locations unknown, the withheld values
    as gemeente-wide context (index id, same columns), id -> Dutch reason).

    `table` is a screening table (index id, columns `<layer>.<metric>`); `locations` needs `id`
    and, for anything to be withheld, `geometrie_kwaliteit`.
    """
    ids = [i for i in gemeente_level_ids(locations) if i in table.index]
    context = table.loc[ids].copy()
    if not ids:
        return table, context, {}
    withheld = table.copy()
    rows = pd.Index(ids)
    for column in withheld.columns:
        withheld[column] = _unknown(withheld[column], rows)
    return withheld, context, dict.fromkeys(ids, NIET_BEPAALD_REDEN)

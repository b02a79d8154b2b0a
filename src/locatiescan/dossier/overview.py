"""Per-location columns for the Shortlist (pure): known weight, rank interval, knock-outs,
knelpunten and dossier completeness. Engine columns that are absent show as unknown."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from locatiescan.present import ONBEKEND, is_missing, nl_percent


def known_weight(table: pd.DataFrame) -> pd.Series:
    """Share of the model weight with data: the engine's `dekking`, else 1 - ontbrekend."""
    if "dekking" in table.columns:
        return pd.to_numeric(table["dekking"], errors="coerce")
    return 1.0 - pd.to_numeric(table["ontbrekend_gewicht"], errors="coerce")


def rank_interval(table: pd.DataFrame) -> pd.Series:
    """ "rang 2–9" text from the engine's `rang_min`/`rang_max` (unknown when absent)."""
    if not {"rang_min", "rang_max"} <= set(table.columns):
        return pd.Series(ONBEKEND, index=table.index, dtype=object)
    return pd.Series(
        [
            ONBEKEND
            if is_missing(low) or is_missing(high)
            else (f"{int(low)}" if int(low) == int(high) else f"{int(low)}–{int(high)}")
            for low, high in zip(table["rang_min"], table["rang_max"], strict=True)
        ],
        index=table.index,
        dtype=object,
    )


def overview_columns(
    table: pd.DataFrame,
    completeness: pd.DataFrame,
    knelpunten: Mapping[str, Sequence[str]],
) -> pd.DataFrame:
    """Dutch columns per location id: Bekend gewicht, Rang-interval, Ontvankelijk,
    Voorwaarden, Knelpunten (count), Dossier ("k van n")."""
    frame = pd.DataFrame(index=table.index)
    frame["Bekend gewicht"] = [nl_percent(v * 100) for v in known_weight(table)]
    frame["Rang-interval"] = rank_interval(table)
    frame["Ontvankelijk"] = table.get("ontvankelijk", ONBEKEND)
    frame["Voorwaarden"] = table["voorwaarden"].fillna("") if "voorwaarden" in table else ""
    frame["Knelpunten"] = [len(knelpunten.get(str(i), [])) for i in table.index]
    done = completeness.reindex(table.index)
    frame["Dossier"] = [
        f"{int(k)} van {int(n)}" if not is_missing(k) else ONBEKEND
        for k, n in zip(done["bekend"], done["totaal"], strict=True)
    ]
    return frame

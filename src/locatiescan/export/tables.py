"""Pure table preparation shared by the exports: join scores to locations, rank, flatten."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from locatiescan import present
from locatiescan.errors import InputError
from locatiescan.location_table import location_ids


@dataclass(frozen=True)
class ReportSection:
    """An extra section a caller adds to a location in a PDF report (e.g. decisions, dossier
    facts): a title, rows of texts, an optional header (None = label/value rows) and a note.
    Texts are shown as given: format them with `locatiescan.present`."""

    title: str
    rows: Sequence[Sequence[str]]
    header: Sequence[str] | None = None
    note: str = ""


def require_locations(locations: gpd.GeoDataFrame) -> None:
    """Locations must be a GeoDataFrame with a CRS (any: exports reproject) and the ids of a
    Location table (`location_table.location_ids`)."""
    if not isinstance(locations, gpd.GeoDataFrame):
        msg = "locations must be a GeoDataFrame"
        raise InputError(msg, "Locaties moeten een GeoDataFrame zijn")
    try:
        if locations.crs is None:
            raise InputError("locations have no CRS", "locaties hebben geen coördinatenstelsel")
        location_ids(locations)
    except InputError as err:
        raise InputError(f"Cannot export: {err.en}", f"Kan niet exporteren: {err.nl}") from err


def ranked(
    locations: gpd.GeoDataFrame,
    scores: pd.DataFrame | None,
    knelpunten: Mapping[str, Sequence[str]] | None = None,
) -> gpd.GeoDataFrame:
    """Locations with their score columns (scores indexed by location id), best first.

    Order: by `rang` when present, else by `totaal` descending, else as given. A location
    without scores keeps NaN (unknown) and goes last. `knelpunten` adds a text column.
    """
    require_locations(locations)
    table = locations.copy()
    if scores is not None and not scores.empty:
        extra = scores.drop(columns=[c for c in scores.columns if c in table.columns and c != "id"])
        extra = extra.drop(columns=["id"], errors="ignore")
        table = table.merge(extra, left_on="id", right_index=True, how="left")
    if knelpunten is not None:
        table["knelpunten"] = ["\n".join(knelpunten.get(str(i), [])) for i in table["id"]]
    if "rang" in table.columns:
        table = table.sort_values("rang", kind="stable", na_position="last")
    elif "totaal" in table.columns:
        table = table.sort_values("totaal", ascending=False, kind="stable", na_position="last")
    return table.reset_index(drop=True)


def score_pillars(model: Any, scores: pd.DataFrame | None) -> dict[str, str]:
    """Every pillar (id → label): from the model, else from the `pijler.*` score columns."""
    if model is not None:
        return present.pillar_labels(model)
    columns = [] if scores is None else list(scores.columns)
    ids = [c.split(".", 1)[1] for c in columns if c.startswith("pijler.")]
    return {p: present.label(p).capitalize() for p in ids}


def model_text(model: Any, model_name: str | None) -> str:
    """'Doorbraakaanpak shortlist (versie 1)'; `model_name` alone without a model."""
    if model is None:
        return model_name or ""
    return f"{model_name or model.naam} (versie {model.versie})"


def top_with_ties(table: pd.DataFrame, n: int) -> pd.DataFrame:
    """The first `n` rows of a ranked table (see `ranked`) plus every row tied with the n-th
    (same `rang`), so a tie is never cut; without ranks simply the first `n` rows."""
    if n < 1:
        msg = f"top must be at least 1, not {n}"
        raise InputError(msg, f"top moet minstens 1 zijn, niet {n}")
    if len(table) <= n or "rang" not in table.columns or pd.isna(table["rang"].iloc[n - 1]):
        return table.head(n)
    return table[table["rang"].notna() & (table["rang"] <= table["rang"].iloc[n - 1])]


def flat_value(value: object) -> object:
    """A cell value a spreadsheet or GIS file can hold: lists joined, mappings as JSON."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, list | tuple | np.ndarray):
        return "; ".join(str(v) for v in value)
    if isinstance(value, Mapping):
        return json.dumps(value, ensure_ascii=False)
    return value


def flat_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Object columns flattened with `flat_value`; other columns unchanged."""
    out = frame.copy()
    for column in out.columns:
        if column != getattr(out, "_geometry_column_name", None) and out[column].dtype == object:
            out[column] = out[column].map(flat_value)
    return out

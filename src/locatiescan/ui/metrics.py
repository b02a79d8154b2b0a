"""Screening metrics for people: Dutch labels per `<layer>.<metric>` column and value texts."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from locatiescan.layers.catalog import LayerDef
from locatiescan.ui.labels import fmt_number, fmt_value, is_missing, netcongestie_label

METRIC_LABELS: dict[str, str] = {
    "overlap_pct": "overlap (%)",
    "overlap_ha": "overlap (ha)",
    "names": "overlapt met",
    "distance_m": "afstand tot dichtstbijzijnde (m)",
    "afname_code": "afname (verbruik)",
    "afname_rnb": "afname regionale netbeheerder",
    "afname_tennet": "afname TenneT",
    "opwek_code": "opwek (teruglevering)",
    "klasse": "klasse (eindoordeel)",
    "oordeel": "oordeel",
    "klasse_volledig": "alle thema's bekend",
    "onbekende_themas": "thema's zonder gegevens",
    "waterveiligheid": "waterveiligheid",
    "wateroverlast": "wateroverlast",
    "bodemdaling": "bodemdaling",
    "drinkwater": "drinkwater",
    "afstand_kering_m": "afstand tot primaire kering (m)",
    "traject": "dichtstbijzijnde normtraject",
    "norm_og": "ondergrens normtraject (1/x per jaar)",
    "dijkring": "dijkring",
    "binnen_dijkring_pct": "binnen dijkring (%)",
    "methode": "methode",
}
HIDDEN_SUFFIXES = ("_radius_m",)  # shown inside the distance text instead
NETCONGESTIE_CODE_METRICS = {"afname_code", "afname_rnb", "afname_tennet", "opwek_code"}
# Shown in map popups (the full set is in the detail panel).
POPUP_METRICS = [
    "natura2000.overlap_pct",
    "natura2000.distance_m",
    "netcongestie.afname_code",
    "water_bodem.waterveiligheid",
]


def metric_label(column: str, catalog: Mapping[str, LayerDef]) -> str:
    """'Natura 2000-gebieden: overlap (%)' for 'natura2000.overlap_pct'."""
    layer_id, _, metric = column.partition(".")
    layer = catalog.get(layer_id)
    titel = layer.titel if layer is not None else layer_id
    if metric.endswith("_reden"):
        return f"{titel}: toelichting {METRIC_LABELS.get(metric.removesuffix('_reden'), metric)}"
    return f"{titel}: {METRIC_LABELS.get(metric, metric.replace('_', ' '))}"


def metric_text(column: str, value: Any, radius_m: Any = None) -> str:
    """The value as text: colour codes named, percentages and metres rounded, 'onbekend' if missing.

    A distance beyond the search radius is missing by design: with `radius_m` it reads
    'verder dan <radius> m'.
    """
    metric = column.partition(".")[2]
    if metric in NETCONGESTIE_CODE_METRICS:
        return (
            netcongestie_label(value)
            if is_missing(value)
            else f"{int(value)}: {netcongestie_label(value)}"
        )
    if metric == "names" and isinstance(value, str) and not value.strip():
        return "geen"
    if metric == "overlap_pct" and not is_missing(value):
        return fmt_number(value, 1, "%")
    if metric == "distance_m" and not is_missing(value):
        return fmt_number(value, 0, "m")
    if metric == "distance_m" and not is_missing(radius_m):
        return f"verder dan {fmt_number(radius_m, 0, 'm')}"
    if metric.endswith("_pct") and not is_missing(value):
        return fmt_number(value, 1, "%")
    if metric.endswith("_m") and not is_missing(value):
        return fmt_number(value, 0, "m")
    return fmt_value(value)


def _radius(row: Mapping[str, Any], column: str) -> Any:
    return (
        row.get(column.removesuffix("distance_m") + "distance_radius_m")
        if column.endswith(".distance_m")
        else None
    )


def metric_labels(columns: list[str], catalog: Mapping[str, LayerDef]) -> dict[str, str]:
    """Column -> Dutch label for the given screening columns."""
    return {column: metric_label(column, catalog) for column in columns}


def metrics_table(
    screening: pd.DataFrame, location_id: str, catalog: Mapping[str, LayerDef]
) -> pd.DataFrame:
    """One location's metrics as rows (Maat, Waarde) for the detail panel."""
    if location_id not in screening.index:
        return pd.DataFrame(columns=["Maat", "Waarde"])
    row = screening.loc[location_id]
    columns = [c for c in screening.columns if not c.endswith(HIDDEN_SUFFIXES)]
    return pd.DataFrame(
        {
            "Maat": [metric_label(c, catalog) for c in columns],
            "Waarde": [metric_text(c, row[c], _radius(row, c)) for c in columns],
        }
    )


def popup_metrics(screening: pd.DataFrame) -> pd.DataFrame:
    """The popup columns present in a screening table, values already as text."""
    columns = [c for c in POPUP_METRICS if c in screening.columns]
    rows = screening.to_dict(orient="index")
    return pd.DataFrame(
        {
            c: [metric_text(c, rows[i][c], _radius(rows[i], c)) for i in screening.index]
            for c in columns
        },
        index=screening.index,
    )

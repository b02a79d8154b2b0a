"""Screening metrics for people: Dutch labels and value texts per `<layer>.<metric>` column.

Everything layer-specific comes from the catalog (`weergave` in the layer's YAML): the label,
the unit, value classes with their colours, number bins, and whether a metric shows in the map
popup or as a "colour locations by" option. A value outside a layer's coverage reads
"onbekend: geen bron voor dit gebied".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from locatiescan.layers.catalog import NOT_COVERED, LayerDef, MetricView
from locatiescan.layers.fetch import shipped_catalog
from locatiescan.present import is_missing, nl_number, text

# Labels of the generic metric names every overlap / distance metric yields.
GENERIC_LABELS: dict[str, str] = {
    "overlap_pct": "overlap (%)",
    "overlap_ha": "overlap (ha)",
    "names": "overlapt met",
    "distance_m": "afstand tot dichtstbijzijnde (m)",
    "dekking_pct": "binnen het gebied met gegevens (%)",
}
HIDDEN_SUFFIXES = ("_radius_m",)  # shown inside the distance text instead
UNITS = {"ha": (1, "ha"), "pct": (1, "%"), "m": (0, "m"), "mw": (1, "MW")}


def _view(column: str, catalog: Mapping[str, LayerDef]) -> tuple[LayerDef | None, str, MetricView]:
    layer_id, _, metric = column.partition(".")
    layer = catalog.get(layer_id)
    view = layer.weergave.get(metric) if layer is not None else None
    return layer, metric, view or MetricView()


def metric_label(column: str, catalog: Mapping[str, LayerDef] | None = None) -> str:
    """'<layer titel>: <metric label>' for '<layer>.<metric>' (e.g. '…: overlap (%)')."""
    catalog = shipped_catalog() if catalog is None else catalog
    layer, metric, view = _view(column, catalog)
    titel = layer.titel if layer is not None else column.partition(".")[0]
    if metric.endswith("_reden"):
        theme = metric.removesuffix("_reden")
        _, _, theme_view = _view(f"{column.partition('.')[0]}.{theme}", catalog)
        return f"{titel}: toelichting {theme_view.label or theme.replace('_', ' ')}"
    label = view.label or GENERIC_LABELS.get(metric) or metric.replace("_", " ")
    return f"{titel}: {label}"


def metric_text(
    column: str,
    value: Any,
    radius_m: Any = None,
    catalog: Mapping[str, LayerDef] | None = None,
    covered: bool = True,
) -> str:
    """The value as text: classes named, numbers in Dutch with their unit, 'onbekend' if missing.

    A distance beyond the search radius is missing by design: with `radius_m` it reads
    'verder dan <radius> m'. With `covered=False` a missing value reads
    'onbekend: geen bron voor dit gebied'.
    """
    catalog = shipped_catalog() if catalog is None else catalog
    _, metric, view = _view(column, catalog)
    if metric.endswith("names") and isinstance(value, str) and not value.strip():
        return "geen"
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value) or "geen"
    if is_missing(value):
        if metric.endswith("distance_m") and not is_missing(radius_m):
            return f"verder dan {nl_number(radius_m, 0, 'm')}"
        return text(value) if covered else NOT_COVERED
    classes = {str(c.waarde): c.label for c in view.klassen}
    key = str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
    if key in classes:
        return classes[key] if view.eenheid == "jaar" else f"{key}: {classes[key]}"
    unit = view.eenheid or _unit_of(metric)
    if unit in UNITS and isinstance(value, int | float):
        decimals, text_unit = UNITS[unit]
        return nl_number(value, decimals, text_unit)
    if unit == "jaar" and isinstance(value, int | float):
        return f"{value:.0f}"
    return text(value)


def _unit_of(metric: str) -> str | None:
    if metric.endswith("_pct"):
        return "pct"
    if metric.endswith("_ha"):
        return "ha"
    if metric.endswith("_m"):
        return "m"
    return None


def _radius(row: Mapping[str, Any], column: str) -> Any:
    return (
        row.get(column.removesuffix("distance_m") + "distance_radius_m")
        if column.endswith("distance_m")
        else None
    )


def _covered(row: Mapping[str, Any], column: str, catalog: Mapping[str, LayerDef]) -> bool:
    """False when the location lies outside the coverage of the snapshots the metric reads."""
    layer_id = column.partition(".")[0]
    share = row.get(f"{layer_id}.dekking_pct")
    layer = catalog.get(layer_id)
    if layer is None or share is None or is_missing(share):
        return True
    limits = [s.dekking.min_pct for s in layer.snapshots() if s.dekking is not None]
    return not limits or float(share) >= min(limits)


def metric_labels(columns: list[str], catalog: Mapping[str, LayerDef]) -> dict[str, str]:
    """Column -> Dutch label for the given screening columns."""
    return {column: metric_label(column, catalog) for column in columns}


def metrics_table(
    screening: pd.DataFrame, location_id: str, catalog: Mapping[str, LayerDef]
) -> pd.DataFrame:
    """One location's metrics as rows (Maat, Waarde) for the detail panel."""
    if location_id not in screening.index:
        return pd.DataFrame(columns=["Maat", "Waarde"])
    row = screening.loc[location_id].to_dict()
    columns = [c for c in screening.columns if not c.endswith(HIDDEN_SUFFIXES)]
    return pd.DataFrame(
        {
            "Maat": [metric_label(c, catalog) for c in columns],
            "Waarde": [
                metric_text(c, row[c], _radius(row, c), catalog, _covered(row, c, catalog))
                for c in columns
            ],
        }
    )


def popup_columns(catalog: Mapping[str, LayerDef]) -> list[str]:
    """The screening columns shown in a location's map popup (`weergave.<metric>.popup`)."""
    return [
        f"{lid}.{m}" for lid, layer in catalog.items() for m, v in layer.weergave.items() if v.popup
    ]


def table_columns(catalog: Mapping[str, LayerDef]) -> list[str]:
    """The screening columns of the Kaart table: the popup metrics and the 'colour locations
    by' metrics, in catalog order."""
    chosen = set(popup_columns(catalog)) | set(colour_options(catalog).values())
    return [
        f"{lid}.{m}" for lid, layer in catalog.items() for m in layer.weergave
        if f"{lid}.{m}" in chosen
    ]  # fmt: skip


def metric_texts(
    screening: pd.DataFrame, columns: list[str], catalog: Mapping[str, LayerDef] | None = None
) -> pd.DataFrame:
    """The given columns of a screening table (those present), values as text with units,
    'verder dan …' for distances beyond the search radius and 'onbekend: geen bron voor dit
    gebied' outside a layer's coverage."""
    catalog = shipped_catalog() if catalog is None else catalog
    present = [c for c in columns if c in screening.columns]
    rows = screening.to_dict(orient="index")
    return pd.DataFrame(
        {
            c: [
                metric_text(
                    c, rows[i][c], _radius(rows[i], c), catalog, _covered(rows[i], c, catalog)
                )
                for i in screening.index
            ]
            for c in present
        },
        index=screening.index,
        columns=present,
    )


def popup_metrics(
    screening: pd.DataFrame, catalog: Mapping[str, LayerDef] | None = None
) -> pd.DataFrame:
    """The popup columns present in a screening table, values already as text."""
    catalog = shipped_catalog() if catalog is None else catalog
    return metric_texts(screening, popup_columns(catalog), catalog)


def colour_options(catalog: Mapping[str, LayerDef]) -> dict[str, str]:
    """'Colour locations by' options on the Kaart: option label -> screening column."""
    return {
        view.kleur_optie: f"{lid}.{metric}"
        for lid, layer in catalog.items()
        for metric, view in layer.weergave.items()
        if view.kleur_optie
    }


def colour_bins(
    column: str, catalog: Mapping[str, LayerDef]
) -> tuple[list[float], list[str], str] | None:
    """(bins, colours, unit) for colouring locations by a numeric column; None for classes."""
    _, metric, view = _view(column, catalog)
    if not view.grenzen:
        return None
    unit = UNITS.get(view.eenheid or _unit_of(metric) or "", (0, ""))[1]
    return view.grenzen, view.kleuren, unit

"""Attributions and provenance rows shared by every export (PDF footer, XLSX 'Bronnen', GPKG)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

import pandas as pd

from locatiescan.layers.fetch import shipped_catalog
from locatiescan.present import LOCAL_PATH

# Data attributions every export carries (Dutch, as shown to users).
ATTRIBUTIONS: tuple[str, ...] = (
    "CBS: Kerncijfers wijken en buurten, woningvoorraad (CC BY 4.0)",
    "PDOK / Kadaster: gemeente- en provinciegrenzen (CC BY 4.0)",
    "RVO via PDOK: Natura 2000-begrenzingen; attributen RCE (CC BY 4.0)",
    "Netbeheer Nederland: Capaciteitskaart (gegevens met bronvermelding)",
    "EIB: woningbouwlocaties 2020 (onderzoeksgebruik met bronvermelding)",
    "LIWO (basisinformatie-overstromingen.nl) / Rijkswaterstaat: doorbraaklocaties, waterkeringen",
    "Provincie Zuid-Holland: gebiedsviewer (bodemdaling, drinkwater, overstromingen), circa 2025–2026",
    "Provincie Zeeland: omgevingsverordening 2023, werkingsgebieden water (openbaar)",
)
SHORT_ATTRIBUTION = (  # fits one footer line of a portrait page
    "Bronnen: CBS, PDOK/Kadaster, RVO, Netbeheer Nederland, EIB, LIWO/Rijkswaterstaat, "
    "Provincie Zuid-Holland, Provincie Zeeland"
)
PROVENANCE_COLUMNS = ["laag", "bron", "soort", "datum", "licentie", "attributie", "waarschuwingen"]
KIND_LABELS = {"live": "live", "cache": "cache", "snapshot": "offline momentopname"}
_FIELDS = {
    "laag": "layer_id",
    "bron": "source",
    "soort": "kind",
    "datum": "date",
    "licentie": "licentie",
    "attributie": "attributie",
    "waarschuwingen": "warnings",
}


def provenance_frame(
    provenance: Mapping[str, Any] | Iterable[Any] | None,
) -> pd.DataFrame:
    """Provenance records as a table with Dutch column names, one row per layer.

    Accepts `Screening.provenance` (layer id → `Provenance`), a list of `Provenance` objects,
    or dicts with the same fields (`layer_id`, `source`, `kind`, `date`, `licentie`,
    `attributie`, `warnings`). Missing fields stay empty; warnings are joined one per line;
    local file paths in `bron` and in the warnings are reduced to their file names.
    """
    if provenance is None:
        records: list[Any] = []
    elif isinstance(provenance, Mapping):
        records = list(provenance.values())
    else:
        records = list(provenance)
    rows = []
    for record in records:
        row = {}
        for column, field in _FIELDS.items():
            if isinstance(record, Mapping):
                row[column] = record.get(field)
            else:
                row[column] = getattr(record, field, None)
        row["soort"] = KIND_LABELS.get(row["soort"], row["soort"])
        if isinstance(row["bron"], str):  # the data root differs per machine: file names only
            row["bron"] = LOCAL_PATH.sub(r"\1", row["bron"])
        warnings = row["waarschuwingen"] or []
        text = "\n".join(warnings) if not isinstance(warnings, str) else warnings
        row["waarschuwingen"] = LOCAL_PATH.sub(r"\1", text)
        rows.append(row)
    return pd.DataFrame(rows, columns=PROVENANCE_COLUMNS)


@lru_cache(maxsize=1)
def layer_titles() -> dict[str, str]:
    """Layer id → Dutch title from the shipped layer catalog (`layers/*.yaml`)."""
    return {layer_id: layer.titel for layer_id, layer in shipped_catalog().items()}


def attribution_lines(provenance: pd.DataFrame) -> list[str]:
    """The fixed attributions plus any other attribution a layer's provenance names."""
    extra = [a for a in provenance["attributie"].dropna().unique() if a and a not in ATTRIBUTIONS]
    return list(ATTRIBUTIONS) + [str(a) for a in extra]

"""Attributions and provenance rows shared by every export (PDF footer, XLSX 'Bronnen', GPKG)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

# Data attributions every export carries (Dutch, as shown to users).
ATTRIBUTIONS: tuple[str, ...] = (
    "CBS: Kerncijfers wijken en buurten, woningvoorraad (CC BY 4.0)",
    "PDOK / Kadaster: gemeente- en provinciegrenzen (CC BY 4.0)",
    "RVO via PDOK: Natura 2000-begrenzingen; attributen RCE (CC BY 4.0)",
    "Netbeheer Nederland: Capaciteitskaart (gegevens met bronvermelding)",
    "EIB: woningbouwlocaties 2020 (onderzoeksgebruik met bronvermelding)",
    "LIWO (basisinformatie-overstromingen.nl) / Rijkswaterstaat: doorbraaklocaties, waterkeringen",
)
SHORT_ATTRIBUTION = (
    "Bronnen: CBS, PDOK/Kadaster, RVO (Natura 2000), Netbeheer Nederland (Capaciteitskaart), "
    "EIB, LIWO/Rijkswaterstaat"
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
    `attributie`, `warnings`). Missing fields stay empty; warnings are joined one per line.
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
        warnings = row["waarschuwingen"] or []
        row["waarschuwingen"] = "\n".join(warnings) if not isinstance(warnings, str) else warnings
        rows.append(row)
    return pd.DataFrame(rows, columns=PROVENANCE_COLUMNS)


def attribution_lines(provenance: pd.DataFrame) -> list[str]:
    """The fixed attributions plus any other attribution a layer's provenance names."""
    extra = [a for a in provenance["attributie"].dropna().unique() if a and a not in ATTRIBUTIONS]
    return list(ATTRIBUTIONS) + [str(a) for a in extra]

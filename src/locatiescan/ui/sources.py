"""The 'Bronnen' overview: per catalog layer its sources, what was used, date, licence, gaps."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from locatiescan.layers.catalog import LayerDef, SourceDef
from locatiescan.layers.provenance import Provenance

KIND_LABELS = {
    "live": "live (online)",
    "cache": "cache (eerder online opgehaald)",
    "snapshot": "snapshot (offline)",
}
NOT_USED = "niet gebruikt in de screening"


def source_text(source: SourceDef) -> str:
    """One source as text: type, URL or path, and the typename/collection/layer."""
    where = (
        source.url
        or (", ".join(source.path) if isinstance(source.path, list) else source.path)
        or ""
    )
    detail = source.typename or source.collection or source.coverage or source.layer
    text = f"{source.type}: {where}" + (f" ({detail})" if detail else "")
    return f"{text} — {source.beschrijving}" if source.beschrijving else text


def _snapshot_date(layer: LayerDef) -> str:
    return str(layer.snapshot.peildatum) if layer.snapshot and layer.snapshot.peildatum else ""


def sources_table(
    catalog: Mapping[str, LayerDef], provenance: Mapping[str, Provenance]
) -> pd.DataFrame:
    """One row per layer: Laag, Thema, Gebruikt (live/cache/snapshot), Datum, Bron, Licentie, Attributie."""
    rows = []
    for layer_id, layer in catalog.items():
        used = provenance.get(layer_id)
        rows.append(
            {
                "Laag": layer.titel,
                "Thema": layer.thema.replace("_", " & ")
                if layer.thema == "water_bodem"
                else layer.thema,
                "Gebruikt": KIND_LABELS.get(used.kind, used.kind) if used else NOT_USED,
                "Datum": used.date if used else _snapshot_date(layer),
                "Bron": used.source
                if used
                else (source_text(layer.snapshot) if layer.snapshot else ""),
                "Licentie": layer.licentie,
                "Attributie": layer.attributie,
            }
        )
    return pd.DataFrame(rows)


def warnings_of(layer: LayerDef, provenance: Mapping[str, Provenance]) -> list[str]:
    """Warnings the data fetch gave for a layer (e.g. fallback to the snapshot), known gaps excluded."""
    used = provenance.get(layer.id)
    return [w for w in used.warnings if w not in layer.hiaten] if used else []

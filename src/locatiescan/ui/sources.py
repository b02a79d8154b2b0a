"""The 'Bronnen' overview: per catalog layer its sources and snapshots (each with its date and
coverage), what was used, licence, gaps, and a small coverage map."""

from __future__ import annotations

import io
from collections.abc import Mapping

import pandas as pd
import shapely

from locatiescan.layers.catalog import LayerDef, SourceDef, load_themes
from locatiescan.layers.coverage import coverage_text, layer_coverage
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
    themes = load_themes()
    rows = []
    for layer_id, layer in catalog.items():
        used = provenance.get(layer_id)
        rows.append(
            {
                "Laag": layer.titel,
                "Thema": themes.get(layer.thema, layer.thema),
                "Gebruikt": KIND_LABELS.get(used.kind, used.kind) if used else NOT_USED,
                "Datum": used.date if used else _snapshot_date(layer),
                "Bron": used.source
                if used
                else (source_text(layer.snapshot) if layer.snapshot else ""),
                "Dekking": coverage_text(layer),
                "Licentie": layer.licentie,
                "Attributie": layer.attributie,
            }
        )
    return pd.DataFrame(rows)


def warnings_of(layer: LayerDef, provenance: Mapping[str, Provenance]) -> list[str]:
    """Warnings the data fetch gave for a layer (e.g. fallback to the snapshot), known gaps excluded."""
    used = provenance.get(layer.id)
    return [w for w in used.warnings if w not in layer.hiaten] if used else []


def snapshots_table(layer: LayerDef) -> pd.DataFrame:
    """One row per snapshot of a layer: Snapshot, Peildatum, Dekking, Bron."""
    rows = [
        {
            "Snapshot": snapshot.label or snapshot.id,
            "Peildatum": str(snapshot.peildatum)
            if snapshot.peildatum
            else "uit het bestand of onbekend",
            "Dekking": snapshot.dekking.beschrijving if snapshot.dekking else "heel Nederland",
            "Bron": source_text(snapshot),
        }
        for snapshot in layer.snapshots()
    ]
    return pd.DataFrame(rows, columns=["Snapshot", "Peildatum", "Dekking", "Bron"])


def coverage_png(layer: LayerDef, provinces: object) -> bytes | None:
    """A small PNG of the Netherlands (province outlines) with the layer's coverage shaded;
    None when the layer covers the whole country."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    area, _ = layer_coverage(layer)
    if area is None:
        return None
    figure, axes = plt.subplots(figsize=(2.4, 2.8), dpi=100)
    provinces.boundary.plot(ax=axes, color="#9e9e9e", linewidth=0.4)  # type: ignore[attr-defined]
    for polygon in shapely.get_parts(area):
        x, y = polygon.exterior.xy
        axes.fill(x, y, color="#1f78b4", alpha=0.6, linewidth=0)
    axes.set_axis_off()
    axes.set_aspect("equal")
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", bbox_inches="tight", transparent=True)
    plt.close(figure)
    return buffer.getvalue()

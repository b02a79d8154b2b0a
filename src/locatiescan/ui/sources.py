"""The 'Bronnen' overview: per catalog layer its sources and snapshots (each with its date and
coverage), what was used, licence, gaps, and a small coverage map."""

from __future__ import annotations

import io
from collections.abc import Mapping
from pathlib import PurePath

import pandas as pd
import shapely

from locatiescan.layers.catalog import LayerDef, SourceDef, load_themes
from locatiescan.layers.coverage import coverage_text, layer_coverage
from locatiescan.layers.provenance import Provenance
from locatiescan.present import nl_date
from locatiescan.present import source_text as present_source

SOURCE_TYPES = {
    "file": "bestand",
    "raster": "raster",
    "wfs": "WFS",
    "ogcapi": "OGC API Features",
    "wcs": "WCS",
}
KIND_LABELS = {
    "live": "live (online)",
    "cache": "cache (eerder online opgehaald)",
    "snapshot": "snapshot (offline)",
}
NOT_USED = "niet gebruikt in de screening"


def source_text(source: SourceDef) -> str:
    """One source as text for people: the kind of source, the service URL or only the file
    name(s) of a file below the data root (no local paths), the service's typename/collection,
    and the description."""
    if source.url:
        where = source.url
        detail = source.typename or source.collection or source.coverage
    else:
        paths = source.path if isinstance(source.path, list) else [source.path or ""]
        where = ", ".join(PurePath(p).name for p in paths if p)
        detail = None
    kind = SOURCE_TYPES.get(source.type, source.type)
    text = f"{kind}: {where}" + (f" ({detail})" if detail else "")
    return f"{text} — {source.beschrijving}" if source.beschrijving else text


def _snapshot_date(layer: LayerDef) -> str:
    return nl_date(layer.snapshot.peildatum) if layer.snapshot and layer.snapshot.peildatum else ""


def _used_source(layer: LayerDef, used: Provenance, catalog: Mapping[str, LayerDef]) -> str:
    """Where the screening's values came from: the layers a derived layer reads, else the
    source without local paths."""
    if layer.invoer:
        return "afgeleid uit " + ", ".join(
            catalog[i].titel if i in catalog else i for i in layer.invoer
        )
    return present_source(used.source)


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
                "Datum": nl_date(used.date) if used else _snapshot_date(layer),
                "Bron": _used_source(layer, used, catalog)
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
            "Peildatum": nl_date(snapshot.peildatum)
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

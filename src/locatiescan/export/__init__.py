"""Exports for download: PDF reports (location, shortlist, Zelfscan), XLSX ranking,
GeoJSON/GeoPackage. Each returns bytes.

Inputs are plain: the location GeoDataFrame (column `id`), the score table indexed by location
id (e.g. totaal, klasse, rang, pillar scores), the explanation frame (id, criterium, label,
pijler, waarde, regel, punten, max_punten, gewicht, bijdrage, status), knelpunten as
{location id: [Dutch sentences]} (see `locatiescan.knelpunten`), provenance (a dict or list of
`Provenance`), and for PDF maps overlay layers as {Dutch label: GeoDataFrame}. Pass the
`ScoringModel` as `model=` so pillars, versions and explanations use the model's labels; other
parts add their own PDF sections (`ReportSection`, `extra_sections=`) or XLSX sheets
(`extra_sheets=`).
"""

from __future__ import annotations

import importlib

# Name -> submodule: imported on first use, so a page that only needs GeoJSON does not load
# ReportLab and matplotlib (PEP 562 module __getattr__).
_EXPORTS = {
    "ATTRIBUTIONS": "sources",
    "SHORT_ATTRIBUTION": "sources",
    "ReportSection": "tables",
    "location_map_image": "mapimage",
    "location_map_png": "mapimage",
    "location_report_pdf": "pdf",
    "locations_geojson": "geo",
    "locations_gpkg": "geo",
    "provenance_frame": "sources",
    "ranking_xlsx": "xlsx",
    "scored_locations": "geo",
    "shortlist_report_pdf": "pdf",
    "top_with_ties": "tables",
    "zelfscan_report_pdf": "pdf",
}
__all__ = [
    "ATTRIBUTIONS",
    "SHORT_ATTRIBUTION",
    "ReportSection",
    "location_map_image",
    "location_map_png",
    "location_report_pdf",
    "locations_geojson",
    "locations_gpkg",
    "provenance_frame",
    "ranking_xlsx",
    "scored_locations",
    "shortlist_report_pdf",
    "top_with_ties",
    "zelfscan_report_pdf",
]


def __getattr__(name: str) -> object:
    module = _EXPORTS.get(name)
    if module is None:
        msg = f"module 'locatiescan.export' has no attribute {name!r}"
        raise AttributeError(msg)
    return getattr(importlib.import_module(f"locatiescan.export.{module}"), name)

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

from locatiescan.export.geo import locations_geojson, locations_gpkg, scored_locations
from locatiescan.export.mapimage import location_map_image, location_map_png
from locatiescan.export.pdf import location_report_pdf, shortlist_report_pdf, zelfscan_report_pdf
from locatiescan.export.sources import ATTRIBUTIONS, SHORT_ATTRIBUTION, provenance_frame
from locatiescan.export.tables import ReportSection, top_with_ties
from locatiescan.export.xlsx import ranking_xlsx

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

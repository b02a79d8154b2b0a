"""GeoJSON (EPSG:4326) and GeoPackage (EPSG:28992) of locations with their scores.

Attribution travels with the data: GeoJSON gets top-level `attributie` and `bronnen` members
(RFC 7946 foreign members); the GeoPackage gets a non-spatial `bronnen` table and the
attribution in the `locaties` layer metadata.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from locatiescan.export.sources import attribution_lines, provenance_frame
from locatiescan.export.tables import flat_frame, ranked

LOCATIONS_LAYER = "locaties"
SOURCES_LAYER = "bronnen"


def scored_locations(
    locations: gpd.GeoDataFrame,
    scores: pd.DataFrame | None = None,
    knelpunten: Mapping[str, Sequence[str]] | None = None,
) -> gpd.GeoDataFrame:
    """Locations joined with scores (and knelpunten), best first, flattened for GIS files."""
    table = ranked(locations, scores, knelpunten)
    return gpd.GeoDataFrame(flat_frame(table), geometry=table.geometry.name, crs=table.crs)


def locations_geojson(
    locations: gpd.GeoDataFrame,
    scores: pd.DataFrame | None = None,
    knelpunten: Mapping[str, Sequence[str]] | None = None,
    provenance: object = None,
) -> bytes:
    """A GeoJSON FeatureCollection in EPSG:4326 with scores as properties and the sources."""
    table = scored_locations(locations, scores, knelpunten).to_crs("EPSG:4326")
    sources = provenance_frame(provenance)
    collection = json.loads(table.to_json(na="null", drop_id=True))
    collection.pop("crs", None)  # RFC 7946: WGS 84 is implied
    collection["name"] = LOCATIONS_LAYER
    collection["attributie"] = attribution_lines(sources)
    collection["bronnen"] = json.loads(sources.to_json(orient="records", force_ascii=False))
    collection["gemaakt_op"] = date.today().isoformat()
    return json.dumps(collection, ensure_ascii=False).encode("utf-8")


def locations_gpkg(
    locations: gpd.GeoDataFrame,
    scores: pd.DataFrame | None = None,
    knelpunten: Mapping[str, Sequence[str]] | None = None,
    provenance: object = None,
) -> bytes:
    """A GeoPackage: layer `locaties` (EPSG:28992, scores as fields) and table `bronnen`."""
    table = scored_locations(locations, scores, knelpunten).to_crs("EPSG:28992")
    sources = provenance_frame(provenance)
    lines = attribution_lines(sources)
    register = pd.concat(
        [sources, pd.DataFrame({"soort": "attributie", "attributie": lines})], ignore_index=True
    )
    metadata = {"ATTRIBUTIE": " | ".join(lines), "GEMAAKT_OP": date.today().isoformat()}
    with tempfile.TemporaryDirectory(prefix="locatiescan-export-") as folder:
        path = Path(folder) / "locaties.gpkg"
        pyogrio.write_dataframe(
            table, path, layer=LOCATIONS_LAYER, driver="GPKG", layer_metadata=metadata
        )
        pyogrio.write_dataframe(
            register.astype(object).where(register.notna(), None),
            path,
            layer=SOURCES_LAYER,
            driver="GPKG",
            append=False,
        )
        return path.read_bytes()

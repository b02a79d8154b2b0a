"""Inputs for the export tests: three real locations plus one drawn location with an 'ë' name,
hand-made scores/explanations, real Natura 2000 polygons and real provenance records."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import shapely

from locatiescan.knelpunten import knelpunten_per_location
from locatiescan.layers.provenance import Provenance
from locatiescan.paths import data_file
from locatiescan.registry import load_locations

# Groot Merwede - Rijnenburg, Purmerend-Oostflank, Almere Oosterwold
REAL_IDS = ["DB-03", "KL-01", "DB-04"]
DRAWN_NAME = "Reeënveld Zuid"
DRAWN_AREA_HA = 24.0  # 400 m x 600 m


def export_locations() -> gpd.GeoDataFrame:
    real = load_locations()
    real = real[real["id"].isin(REAL_IDS)]
    drawn = gpd.GeoDataFrame(
        {
            "id": ["EIGEN-0001"],
            "naam": [DRAWN_NAME],
            "type": ["eigen"],
            "gemeenten": ["Utrecht"],
            "provincie": ["Utrecht"],
            "woningen": [960],
            "geometrie_kwaliteit": ["eigen"],
            "area_ha": [DRAWN_AREA_HA],
        },
        geometry=[shapely.box(133_000, 452_000, 133_400, 452_600)],
        crs="EPSG:28992",
    )
    return gpd.GeoDataFrame(pd.concat([real, drawn], ignore_index=True), crs="EPSG:28992")


def export_scores() -> pd.DataFrame:
    """A score table shaped like `scoring.score(...).table` (one pillar, 'kwaliteit')."""
    nan = float("nan")
    return pd.DataFrame(
        {
            "naam": [
                "Groot Merwede - Rijnenburg",
                DRAWN_NAME,
                "Purmerend-Oostflank",
                "Almere Oosterwold",
            ],
            "totaal": [65.0, 82.5, nan, 70.0],
            "pijler.kwaliteit": [0.5, 0.9, nan, 0.7],
            "bijdrage.kwaliteit": [25.0, 45.0, nan, 35.0],
            "ontbrekend.kwaliteit": [0.375, 0.0, nan, 0.0],
            "bonus": [0.0, 2.5, nan, 0.0],
            "klasse": ["B", "A", None, "B"],
            "uren_per_maand": [16.0, 40.0, nan, 16.0],
            "rang": [3.0, 1.0, nan, 2.0],
        },
        index=pd.Index(["DB-03", "EIGEN-0001", "KL-01", "DB-04"], name="id"),
    )


def engine_scores() -> pd.DataFrame:
    """`export_scores` with the columns the engine adds for conditions and coverage: DB-03 is
    not admissible (knock-out), KL-01 has too little data (total withheld, interval known)."""
    scores = export_scores()
    scores["ontvankelijk"] = ["nee", "ja", "onbekend", "ja"]
    scores["voorwaarden"] = ["Grondpositie: geen (vereist: gemeente of ontwikkelaar)", "", "", ""]
    scores["dekking"] = [0.625, 1.0, 0.35, 1.0]
    scores["oordeel"] = ["", "", "onvoldoende gegevens (35 % van het gewicht bekend)", ""]
    scores["totaal_min"] = [65.0, 82.5, 20.0, 70.0]
    scores["totaal_max"] = [65.0, 82.5, 75.0, 70.0]
    scores["rang_min"] = [3.0, 1.0, 1.0, 2.0]
    scores["rang_max"] = [3.0, 1.0, 4.0, 2.0]
    return scores


def export_screening() -> pd.DataFrame:
    """A purpose-made screening table (columns `<layer>.<metric>`), one float with a binary
    representation error (0.8800000000000001) and one unknown value."""
    return pd.DataFrame(
        {
            "natura2000.overlap_pct": [8.0, 0.0, float("nan"), 0.8800000000000001],
            "natura2000.distance_m": [0.0, 2_345.678, float("nan"), 120.4],
            "natura2000.distance_radius_m": [5_000.0] * 4,
            "natura2000.names": ["Naardermeer", "", None, "Oostvaardersplassen"],
        },
        index=pd.Index(["DB-03", "EIGEN-0001", "KL-01", "DB-04"], name="id"),
    )


def export_explanations() -> pd.DataFrame:
    rows = []
    for location_id, points in (("DB-03", 2.0), ("EIGEN-0001", 9.0), ("DB-04", 6.0)):
        rows.append(
            {
                "id": location_id,
                "criterium": "natura2000",
                "label": "Natura 2000-overlap",
                "bron": "laag.natura2000.overlap_pct",
                "pijler": "ruimte",
                "waarde": 12.5 if points < 5 else 0.0,
                "regel": "< 5",
                "punten": points,
                "max_punten": 10.0,
                "gewicht": 0.3,
                "bijdrage": points * 0.3,
                "status": "ok",
            }
        )
        rows.append(
            {
                "id": location_id,
                "criterium": "bodemdaling",
                "label": "bodemdaling",
                "bron": "vraag.bodemdaling",
                "pijler": "water en bodem",
                "waarde": None,
                "regel": None,
                "punten": None,
                "max_punten": 5.0,
                "gewicht": 0.1,
                "bijdrage": None,
                "status": "onbekend",
            }
        )
    return pd.DataFrame(rows)


def export_knelpunten() -> dict[str, list[str]]:
    metrics = pd.DataFrame(
        {
            "natura2000.overlap_ha": [12.3, 0.0, float("nan"), 0.0],
            "natura2000.overlap_pct": [8.0, 0.0, float("nan"), 0.0],
            "natura2000.names": ["Naardermeer", None, None, None],
            "netcongestie.afname_code": [3, 0, 2, 1],
        },
        index=pd.Index(["DB-03", "EIGEN-0001", "KL-01", "DB-04"], name="id"),
    )
    return knelpunten_per_location(metrics, export_explanations())


def export_provenance() -> dict[str, Provenance]:
    return {
        "natura2000": Provenance(
            "natura2000",
            str(data_file("natura2000/natura2000_nl_rd_simplified2m.gpkg")),
            "snapshot",
            "2026-08-04",
            "publiek domein / CC BY 4.0",
            "Natura 2000: RVO / PDOK",
            ["Waddenzee en Noordzeekustzone ontbreken offline"],
        ),
        "netcongestie": Provenance(
            "netcongestie",
            str(data_file("netcongestie/capaciteitskaart_statusvlakken.geojson")),
            "snapshot",
            "2026-08-21",
            "bronvermelding",
            "Capaciteitskaart Netbeheer Nederland",
        ),
    }


def natura2000() -> gpd.GeoDataFrame:
    return gpd.read_file(data_file("natura2000/natura2000_nl_rd_simplified2m.gpkg"))

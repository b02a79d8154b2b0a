"""Names in report maps and charts are text: a "$" starts no matplotlib formula (an unbalanced
one made the PDF export fail)."""

from __future__ import annotations

import io

import geopandas as gpd
import pandas as pd
from PIL import Image
from shapely.geometry import box

from locatiescan.export.mapimage import location_map_png
from locatiescan.voortgang.grafiek import png, tijdlijn_figuur

BROKEN_FORMULA = r"Kosten $\frac{ en $5"


def test_a_location_named_with_dollars_gets_its_map():
    locations = gpd.GeoDataFrame(
        {"id": ["a", "b"], "naam": [BROKEN_FORMULA, "$x^2$"]},
        geometry=[box(155000, 463000, 156000, 464000), box(157000, 463000, 158000, 464000)],
        crs="EPSG:28992",
    )
    image = Image.open(
        io.BytesIO(location_map_png(locations, width_cm=10.16, height_cm=5.08, dpi=100))
    )
    assert image.format == "PNG" and image.size == (400, 200)


def test_a_project_id_with_dollars_gets_its_timeline():
    status = pd.DataFrame(
        {
            "id": [BROKEN_FORMULA],
            "volgorde": [1],
            "mijlpaal_label": ["Bouwvergunning"],
            "eerste_gepland": ["2025-Q1"],
            "gepland": ["2025-Q3"],
            "gerealiseerd": [None],
            "vertraagd": [True],
        }
    )
    image = Image.open(io.BytesIO(png(tijdlijn_figuur(status, "2026-Q1"))))
    assert image.format == "PNG"

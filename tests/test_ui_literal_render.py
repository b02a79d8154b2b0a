"""Text on the map is shown as written: never evaluated as a Jinja template on the server."""

from __future__ import annotations

import os

import geopandas as gpd
import pandas as pd
import pytest
import streamlit_folium
from shapely.geometry import box

from locatiescan.ui import mapview

RD = "EPSG:28992"
# Jinja that branca's second render pass would evaluate: arithmetic, a reach into Python's
# `os` module (server-side template injection) and an unbalanced tag that fails to compile.
SUM = "{{ 7*7 }}"
CWD = "{{ cycler.__init__.__globals__.os.getcwd() }}"
BROKEN = "Plan {% if"


def _map_with_names(*names: str) -> mapview.folium.Map:
    """A map whose locations and overlay carry `names` (as an uploaded file could)."""
    locations = gpd.GeoDataFrame(
        {
            "id": [f"loc{i}" for i in range(len(names))],
            "naam": list(names),
            "type": ["eigen"] * len(names),
            "gemeenten": [None] * len(names),
            "woningen": pd.array([None] * len(names), dtype="Int64"),
            "geometrie_kwaliteit": ["eigen"] * len(names),
        },
        geometry=[box(155000 + 2000 * i, 463000, 156000 + 2000 * i, 464000) for i in range(len(names))],
        crs=RD,
    )  # fmt: skip
    overlay = gpd.GeoDataFrame(
        {"naam": list(names)}, geometry=[box(5.0, 52.0, 5.1, 52.1)] * len(names), crs="EPSG:4326"
    )
    return mapview.build_map(
        mapview.to_display(locations, ["id", "geometrie_kwaliteit"], 10),
        mapview.popup_table(locations),
        mapview.colour_by_type(locations),
        overlays=[mapview.Overlay("Eigen laag", overlay, tooltip={"naam": "Naam"})],
        draw=True,
    )


@pytest.mark.parametrize("name", [SUM, CWD, BROKEN])
def test_a_name_with_template_syntax_is_rendered_as_written(name):
    """The whole figure (what folium's own render and an HTML export give) holds the name
    itself, in the locations' popup data and the overlay's, and nothing it would evaluate to."""
    page = _map_with_names(name).get_root().render()
    assert page.count(f'"{name}"') == 2  # the location's "Naam", the overlay's tooltip text
    assert '"49"' not in page  # what {{ 7*7 }} evaluates to, as a JSON string
    assert os.getcwd() not in page


def test_what_streamlit_folium_sends_holds_the_names_as_written():
    """The parts the Kaart hands to the browser (st_folium, render=False): script, header and
    html, as streamlit-folium builds them."""
    fmap = _map_with_names(SUM, CWD, BROKEN)
    fmap.render()
    sent = "\n".join(
        [
            streamlit_folium._get_html(fmap),
            streamlit_folium._get_header(fmap),
            streamlit_folium._get_map_string(fmap),
        ]
    )
    for name in (SUM, CWD, BROKEN):
        assert f'"{name}"' in sent
    assert os.getcwd() not in sent

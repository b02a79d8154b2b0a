"""Own water & bodem theme layers in the app: labels, stored paths, known counts, Bronnen lines."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from locatiescan.layers.catalog import load_catalog
from locatiescan.ui.themes import (
    GENERIC_HINT,
    THEME_HINTS,
    derived_layer,
    derived_themes,
    known_count,
    stored_theme_path,
    theme_column,
    theme_hint,
    theme_label,
    theme_layer_lines,
)
from locatiescan.water_bodem import THEMES


def test_themes_come_from_the_derived_layer_of_the_catalog():
    catalog = load_catalog()
    # the one layer with `invoer` is water & bodem; its rule set names the four themes in order
    assert derived_layer(catalog).id == "water_bodem"
    assert derived_themes(catalog) == list(THEMES)
    assert set(THEME_HINTS) == set(THEMES)
    assert [theme_label(t, catalog) for t in THEMES] == [
        "Waterveiligheid",
        "Wateroverlast",
        "Bodemdaling",
        "Drinkwater",
    ]
    assert theme_hint("geluid") == GENERIC_HINT  # a theme added in the YAML still gets a hint


def test_without_a_derived_layer_there_are_no_themes():
    catalog = {k: v for k, v in load_catalog().items() if not v.invoer}
    assert derived_layer(catalog) is None and derived_themes(catalog) == []


def test_stored_path_keeps_the_name_and_changes_with_the_content(tmp_path: Path):
    first = stored_theme_path(tmp_path, "bodemdaling", "../uploads/daling.tif", b"one")
    again = stored_theme_path(tmp_path, "bodemdaling", "daling.tif", b"one")
    other = stored_theme_path(tmp_path, "bodemdaling", "daling.tif", b"two")
    assert first == again and first.name == "daling.tif"
    assert first.parent.parent == tmp_path / "bodemdaling"  # no climbing out with '..'
    assert other != first and other.name == "daling.tif"


def test_known_count_counts_known_classes_only():
    table = pd.DataFrame(
        {"water_bodem.bodemdaling": ["B", None, float("nan"), "A"]}, index=list("abcd")
    )
    assert theme_column("bodemdaling") == "water_bodem.bodemdaling"
    assert known_count(table, "bodemdaling") == 2
    assert known_count(table, "drinkwater") == 0  # column absent: nothing known


def test_theme_layer_lines_follow_the_theme_order():
    layers = {"drinkwater": "/tmp/x/gwb.gpkg", "waterveiligheid": Path("/tmp/y/diepte.tif")}
    assert theme_layer_lines(layers) == [
        "Waterveiligheid: eigen laag diepte.tif",
        "Drinkwater: eigen laag gwb.gpkg",
    ]
    assert theme_layer_lines({}) == []

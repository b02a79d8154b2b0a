"""Own water & bodem theme layers in the app: labels, stored paths, known counts, Bronnen lines."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from locatiescan.ui.themes import (
    THEME_HINTS,
    THEME_LABELS,
    known_count,
    stored_theme_path,
    theme_column,
    theme_layer_lines,
)
from locatiescan.water_bodem import THEMES


def test_every_theme_has_a_label_and_a_hint():
    assert set(THEME_LABELS) == set(THEME_HINTS) == set(THEMES)


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

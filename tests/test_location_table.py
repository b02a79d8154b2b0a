"""One Location table schema and check (`locatiescan.location_table`), used where locations
enter (registry, importer, drawing, stored own locations) and by overlay, scoring and exports."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from locatiescan.errors import InputError
from locatiescan.export.tables import require_locations
from locatiescan.gemeenten import load_gemeenten
from locatiescan.importers import import_file
from locatiescan.location_table import (
    LOCATION_COLUMNS,
    check_location_table,
    location_ids,
    location_table,
)
from locatiescan.overlay import check_locations
from locatiescan.registry import load_locations
from locatiescan.scoring import ScoringInput, parse_model, score
from locatiescan.ui.locations import as_location_table, drawn_location
from locatiescan.workspace import Workspace
from support_files import geojson

RD = "EPSG:28992"
SQUARE = box(121000, 487000, 121100, 487100)  # 1 ha in Utrecht
MODEL = """
naam: m
pijlers:
  omvang:
    gewicht: 1
    criteria:
      - {id: w, label: W, bron: attribuut.woningen, regels: [{als: ">= 1", punten: 10}]}
inzet: [{anders: true, klasse: A, uren_per_maand: 1}]
"""


def frame(ids: list[str], crs: str | None = RD) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"id": ids}, geometry=[SQUARE] * len(ids), crs=crs)


def test_every_entry_gives_the_same_schema(tmp_path: Path) -> None:
    registry = load_locations(["doorbraak"])
    crs = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::28992"}}
    imported = import_file(
        geojson(tmp_path / "p.geojson", [SQUARE], [{"naam": "Veld", "woningen": 40}], crs)
    ).locations
    drawn = drawn_location(SQUARE, "Tekening", 25, load_gemeenten())
    ws = Workspace.open(tmp_path / "ws.sqlite")
    stored = as_location_table(ws.locations())  # no own locations yet: an empty table
    for table in (registry, imported, drawn, stored):
        assert list(table.columns[: len(LOCATION_COLUMNS) - 1]) == LOCATION_COLUMNS[:-1]
        assert table.columns[-1] == "geometry" and table.crs.to_epsg() == 28992
        assert isinstance(table.index, pd.RangeIndex)
        check_location_table(table)
    assert stored.empty
    assert drawn.at[0, "type"] == "eigen" and drawn.at[0, "area_ha"] == pytest.approx(1.0)


def test_location_table_completes_missing_columns_with_unknown() -> None:
    table = location_table(frame(["a"]).assign(extra=[7]))
    assert pd.isna(table.at[0, "woningen"]) and pd.isna(table.at[0, "naam"])
    assert list(table.columns[-2:]) == ["extra", "geometry"]


@pytest.mark.parametrize(
    ("bad", "en", "nl"),
    [
        (frame(["a"]).drop(columns="id"), "no 'id' column", "geen kolom 'id'"),
        (frame(["a", "b", "a"]), "not unique: a occur more than once", "a komen dubbel voor"),
        (frame(["a"], crs="EPSG:4326"), "EPSG:4326", "RD New"),
        (frame(["a"], crs=None), "no CRS", "RD New"),
        (pd.DataFrame({"id": ["a"]}), "GeoDataFrame", "GeoDataFrame"),
    ],
)
def test_one_check_one_message_everywhere(bad, en: str, nl: str) -> None:
    with pytest.raises(InputError) as err:
        check_location_table(bad)
    assert en in err.value.en and nl in err.value.nl
    if isinstance(bad, gpd.GeoDataFrame) and bad.crs is not None and "id" in bad:
        with pytest.raises(InputError) as overlay:
            check_locations(bad)  # the overlay asks the same check
        assert overlay.value.en == err.value.en


def test_scoring_and_exports_use_the_same_id_rules() -> None:
    twice = frame(["x", "y", "x"]).assign(woningen=[1, 2, 3])
    with pytest.raises(InputError) as direct:
        location_ids(twice)
    with pytest.raises(InputError) as scored:
        score(parse_model(MODEL, "m.yaml"), ScoringInput(twice))
    with pytest.raises(InputError) as exported:
        require_locations(twice)
    assert scored.value.en == direct.value.en
    assert exported.value.en == f"Cannot export: {direct.value.en}"
    assert exported.value.nl.startswith("Kan niet exporteren: locatie-id's zijn niet uniek: x")
    # ids are text: 1 and "1" are the same location
    with pytest.raises(InputError, match="not unique: 1"):
        location_ids(pd.DataFrame({"id": [1, "1"]}))

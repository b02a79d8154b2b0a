"""Kansenkaart: grid values equal the model's score of a 100 m square at hand-picked spots."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import rasterio
import shapely

from locatiescan.errors import InputError
from locatiescan.gemeenten import load_gemeenten
from locatiescan.kansenkaart import (
    RD,
    REASON_WATER,
    Grid,
    kansen_model,
    reason_labels,
    write_kansenkaart,
)
from locatiescan.layers.fetch import get_layer, shipped_catalog
from locatiescan.scoring.engine import ScoringInput, score
from locatiescan.scoring.io import load_model
from locatiescan.screening import screen_locations

ROOT = Path(__file__).resolve().parents[1]
RES = 100.0


def test_grid_snaps_to_the_resolution() -> None:
    grid = Grid.covering((1050.0, 2010.0, 1390.0, 2290.0), 100.0)
    # left 1000 (floor 10.5), top 2300 (ceil 22.9); width ceil(390/100)=4, height ceil(300/100)=3
    assert (grid.minx, grid.maxy, grid.width, grid.height) == (1000.0, 2300.0, 4, 3)
    assert list(grid.windows(2)) == [(0, 0, 2, 2), (0, 2, 2, 2), (2, 0, 1, 2), (2, 2, 1, 2)]
    assert grid.bounds_of(2, 2, 1, 2) == (1200.0, 2000.0, 1400.0, 2100.0)


def test_model_without_layer_criteria_is_refused() -> None:
    model = load_model(ROOT / "scoring" / "woningbouwimpuls_2024.yaml")
    catalog = shipped_catalog()
    kansen_only_questions = {
        k: v
        for k, v in model.pijlers.items()
        if not any(c.bron.startswith("laag.") for c in v.criteria)
    }
    with pytest.raises(InputError) as err:
        kansen_model(model.model_copy(update={"pijlers": kansen_only_questions}), catalog)
    assert "laagcriterium" in err.value.nl


@pytest.fixture(scope="module")
def kaart(tmp_path_factory: pytest.TempPathFactory):
    """A kansenkaart of Kansrijk Bouwen over the gemeenten Ede, Barneveld, Almere and Zeewolde."""
    land = load_gemeenten()
    land = land[land["gemeente"].isin(["Ede", "Barneveld", "Almere", "Zeewolde"])]
    kansen = kansen_model(load_model(ROOT / "scoring" / "kansrijk_bouwen.yaml"), shipped_catalog())
    features = {
        i.layer.id: get_layer(i.layer, online=False).gdf.to_crs(RD) for i in kansen.criteria
    }
    out = tmp_path_factory.mktemp("kansen") / "kansen.tif"
    grid = write_kansenkaart(kansen, features, land, out, RES, window_cells=128)
    return kansen, features, land, grid, out


def _cell(grid: Grid, x: float, y: float) -> tuple[int, int]:
    return int((grid.maxy - y) // RES), int((x - grid.minx) // RES)


def _square(grid: Grid, row: int, col: int) -> shapely.Polygon:
    left, top = grid.minx + col * RES, grid.maxy - row * RES
    return shapely.box(left, top - RES, left + RES, top)


def _pick(grid, land, n2k, wanted) -> tuple[int, int]:
    """The first cell (scanning every 7th cell) whose square satisfies `wanted`."""
    land_union = land.union_all()
    for row in range(3, grid.height - 3, 7):
        for col in range(3, grid.width - 3, 7):
            square = _square(grid, row, col)
            if wanted(square, land_union, n2k):
                return row, col
    raise AssertionError("no such cell in the test area")


def test_cog_layout_and_reasons(kaart) -> None:
    kansen, _, _, grid, out = kaart
    with rasterio.open(out) as src:
        assert src.crs.to_epsg() == RD and src.res == (RES, RES)
        assert (src.width, src.height) == (grid.width, grid.height)
        assert src.descriptions[0] == "totaal" and src.descriptions[-1] == "reden"
        assert src.count == 2 + len(kansen.model.pijlers)
        assert src.profile["tiled"] and src.overviews(1)
        tags = src.tags()
    assert tags["reden_255"] == "open water of buiten Nederland"
    assert "water_bodem" in tags["weggelaten"]  # a rule-set metric is not on the grid
    assert reason_labels(kansen)[REASON_WATER] == tags["reden_255"]


def test_five_hand_picked_cells_equal_the_model_on_a_square(kaart) -> None:
    kansen, features, land, grid, out = kaart
    n2k = features["natura2000"].union_all()
    picks = {
        # a square entirely inside a Natura 2000 area (Veluwe, in Ede)
        "in_natura2000": lambda sq, ln, nk: nk.contains(sq) and ln.contains(sq),
        # land farther than the 5 km search radius from every Natura 2000 area (+500 m margin)
        "ver_van_beperkingen": lambda sq, ln, nk: ln.contains(sq) and sq.distance(nk) > 5500,
        # 1,000–3,000 m band, 300 m away from both thresholds
        "afstand_1000_3000": lambda sq, ln, nk: ln.contains(sq) and 1300 < sq.distance(nk) < 2700,
        # 250–1,000 m band, with margins
        "afstand_250_1000": lambda sq, ln, nk: ln.contains(sq) and 450 < sq.distance(nk) < 800,
    }
    cells = {name: _pick(grid, land, n2k, wanted) for name, wanted in picks.items()}
    with rasterio.open(out) as src:
        total = src.read(1)
        reason = src.read(src.count)
    squares = gpd.GeoDataFrame(
        {"id": list(cells), "naam": list(cells)},
        geometry=[_square(grid, *rc) for rc in cells.values()],
        crs=RD,
    )
    screened = screen_locations(squares, ["natura2000", "netcongestie"], online=False)
    expected = score(kansen.model, ScoringInput(squares, screened)).table["totaal"]
    for name, (row, col) in cells.items():
        assert total[row, col] == pytest.approx(expected[name], abs=1e-4), name
    # Inside Natura 2000 both the overlap criterion and netcongestie (code 3 here) are at 0 points.
    # Their cost in the kansenkaart model (pillars kwaliteit 0.4 and haalbaarheid 0.3 kept):
    # overlap 0.4/0.7 * 2/3 (overlap 2 + afstand 1) = 0.381; netcongestie 0.3/0.7 * 2/2 = 0.429,
    # so netcongestie (code 3, the third grid criterion) dominates; overlap (code 1) would be
    # second. The Veluwe square's afname code is 3 in the screening as well:
    assert screened.table.loc["in_natura2000", "netcongestie.afname_code"] == 3
    assert reason[cells["in_natura2000"]] == 3

    # open water: the IJmeer between Almere and Amsterdam lies outside every (land) gemeente
    row, col = _cell(grid, 135_050, 486_050)
    assert not land.union_all().contains(shapely.Point(135_050, 486_050))
    assert np.isnan(total[row, col]) and reason[row, col] == REASON_WATER


def test_memory_stays_bounded_by_the_window(kaart, tmp_path: Path) -> None:
    """Smaller windows give the same grid (chunking changes nothing but memory)."""
    kansen, features, land, _, out = kaart
    again = tmp_path / "klein.tif"
    write_kansenkaart(kansen, features, land, again, RES, window_cells=64)
    with rasterio.open(out) as a, rasterio.open(again) as b:
        pd.testing.assert_frame_equal(
            pd.DataFrame(a.read(1)), pd.DataFrame(b.read(1)), check_exact=False, atol=1e-5
        )

"""Kansenkaart as a map overlay: classes and transparency of the PNG, placement in Web Mercator
(as Leaflet stretches an ImageOverlay), bounds, legend, refusal of files that are no kansenkaart,
and the Dutch message for a model without layer criteria."""

from __future__ import annotations

import io
import math
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import rasterio
from affine import Affine
from PIL import Image
from pyproj import Transformer

from locatiescan import kansenkaart_store
from locatiescan.errors import InputError
from locatiescan.layers.fetch import shipped_catalog
from locatiescan.ui import mapview
from locatiescan.ui.kansenlaag import (
    CAVEAT,
    CLASS_COLOURS,
    LAND_ATTRIBUTION,
    NO_DATA_LABEL,
    Kansenlaag,
    attributions,
    read_kansenkaart,
    reason_lines,
    render,
)

ROOT = Path(__file__).resolve().parents[1]
TO_WGS84 = Transformer.from_crs("EPSG:28992", "EPSG:4326", always_xy=True)
TO_RD = Transformer.from_crs("EPSG:4326", "EPSG:28992", always_xy=True)
N2K = "Natura 2000-gebieden: Overlap met Natura 2000"
# 4 x 4 cells of 1 km around the RD origin (the Onze Lieve Vrouwetoren in Amersfoort,
# x 155000 y 463000 = 52.15517 N 5.38721 E); NaN = open water. Classes (lower bound inclusive, 100 in
# the top class): 0 -> 0, 19.9 -> 0, 20 -> 1, 39.9 -> 1, 40 -> 2, 59.9 -> 2, 60 -> 3, 79.9 -> 3,
# 80 -> 4, 100 -> 4, 50 -> 2, 10 -> 0, 30 -> 1, 70 -> 3, 90 -> 4.
TOTALS = np.array(
    [
        [0.0, 19.9, 20.0, 39.9],
        [40.0, 59.9, 60.0, 79.9],
        [80.0, 100.0, np.nan, 50.0],
        [10.0, 30.0, 70.0, 90.0],
    ]
)
CLASSES = [[0, 0, 1, 1], [2, 2, 3, 3], [4, 4, None, 2], [0, 1, 3, 4]]
LEFT, TOP, CELL = 153_000.0, 465_000.0, 1000.0


def write_tiff(
    path: Path,
    totals: np.ndarray,
    transform: Affine,
    *,
    crs: str = "EPSG:28992",
    bands: tuple[str, ...] = ("totaal", "pijler.ligging", "reden"),
    reasons: np.ndarray | None = None,
    tags: dict[str, str] | None = None,
) -> Path:
    """A small kansenkaart-shaped GeoTIFF (test fixture): total, one pillar, reason codes."""
    reasons = np.zeros(totals.shape) if reasons is None else reasons
    profile = {
        "driver": "GTiff", "dtype": "float32", "count": len(bands), "crs": crs,
        "transform": transform, "width": totals.shape[1], "height": totals.shape[0],
        "nodata": np.nan,
    }  # fmt: skip
    with rasterio.open(path, "w", **profile) as dst:
        layers = [totals, totals / 100, reasons][: len(bands)]
        for band, (values, name) in enumerate(zip(layers, bands, strict=True), start=1):
            dst.write(values.astype("float32"), band)
            dst.set_band_description(band, name)
        dst.update_tags(
            **{
                "model": "Testmodel",
                "resolutie_m": "1000",
                "reden_0": "geen criterium op 0 punten",
                "reden_1": N2K,
                "reden_255": "open water of buiten Nederland",
                **(tags or {}),
            }
        )
    return path


def rgba(layer: Kansenlaag) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(layer.png)).convert("RGBA"))


def pixel_of(layer: Kansenlaag, image: np.ndarray, x: float, y: float) -> tuple[int, int]:
    """(row, col) where Leaflet draws RD point (x, y): the image is stretched linearly in Web
    Mercator between its bounds, so a point's pixel follows from its Mercator coordinates."""
    lon, lat = TO_WGS84.transform(x, y)
    (south, west), (north, east) = layer.bounds

    def merc_y(phi: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(phi) / 2))

    height, width = image.shape[:2]
    col = (lon - west) / (east - west) * width
    row = (merc_y(north) - merc_y(lat)) / (merc_y(north) - merc_y(south)) * height
    return int(row), int(col)


def colour(hex_colour: str) -> list[int]:
    return [int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)]


@pytest.fixture
def small(tmp_path: Path) -> Kansenlaag:
    reasons = np.zeros((4, 4))
    reasons[0, 0] = reasons[0, 1] = reasons[3, 0] = 1.0  # three of 15 land cells: Natura 2000
    path = write_tiff(
        tmp_path / "kansen.tif",
        TOTALS,
        Affine(CELL, 0, LEFT, 0, -CELL, TOP),
        reasons=reasons,
    )
    raster = read_kansenkaart(path, "kansen.tif")
    return render(raster, attributions(raster, shipped_catalog()), "2026-11-25")


def test_cell_centres_have_the_class_colour_and_water_is_transparent(small: Kansenlaag) -> None:
    image = rgba(small)
    for r in range(4):
        for c in range(4):
            x, y = LEFT + (c + 0.5) * CELL, TOP - (r + 0.5) * CELL
            row, col = pixel_of(small, image, x, y)
            red, green, blue, alpha = image[row, col]
            expected = CLASSES[r][c]
            if expected is None:
                assert alpha == 0, (r, c)
            else:
                assert alpha == 255, (r, c)
                assert [red, green, blue] == colour(CLASS_COLOURS[expected]), (r, c)
    # Hand-picked: cell (0, 0) = 0 -> class 0, red; cell (2, 1) = 100 -> top class, dark green.
    assert list(image[pixel_of(small, image, LEFT + 500, TOP - 500)][:3]) == [0xD7, 0x30, 0x27]
    assert list(image[pixel_of(small, image, LEFT + 1500, TOP - 2500)][:3]) == [0x1A, 0x98, 0x50]


def test_bounds_are_the_grid_corners_in_lat_lon(small: Kansenlaag) -> None:
    corners = [
        TO_WGS84.transform(x, y) for x in (LEFT, LEFT + 4 * CELL) for y in (TOP, TOP - 4 * CELL)
    ]
    lons, lats = zip(*corners, strict=True)
    (south, west), (north, east) = small.bounds
    # The warped grid is the lat/lon-aligned box around the (slightly rotated) RD square: it
    # holds every corner, give or take one output pixel (~0.01 degree here).
    assert south == pytest.approx(min(lats), abs=0.01)
    assert north == pytest.approx(max(lats), abs=0.01)
    assert west == pytest.approx(min(lons), abs=0.015)
    assert east == pytest.approx(max(lons), abs=0.015)
    assert south < 52.15517 < north and west < 5.38721 < east  # the RD origin is inside


def test_legend_reasons_and_titles(small: Kansenlaag) -> None:
    assert small.titel == "Kansenkaart — Testmodel (1.000 m): totaalscore"
    assert small.legend[:6] == [
        ("#d73027", "0 – 20"),
        ("#f46d43", "20 – 40"),
        ("#fdae61", "40 – 60"),
        ("#a6d96a", "60 – 80"),
        ("#1a9850", "80 – 100"),
        ("transparent", NO_DATA_LABEL),
    ]
    texts = [label for swatch, label in small.legend[6:] if swatch == ""]
    assert texts[0] == CAVEAT
    assert texts[1] == "Berekend op 25 november 2026."
    # The reason label names the Natura 2000 layer: its attribution, then the land shapes.
    natura = shipped_catalog()["natura2000"].attributie
    assert texts[2] == f"Bronnen: {natura}; {LAND_ATTRIBUTION}"
    # Natura 2000 dominates 3 of the 15 land cells: 20 %.
    assert small.redenen == [(N2K, pytest.approx(20.0))]
    assert reason_lines(small) == [f"{N2K}: 20 % van het land"]


def test_map_has_the_image_in_its_own_layer_and_the_legend(small: Kansenlaag) -> None:
    empty = gpd.GeoDataFrame({"id": [], "geometrie_kwaliteit": []}, geometry=[], crs=mapview.WGS84)
    colouring = mapview.Colouring("Type locatie", {}, [])
    fmap = mapview.build_map(empty, pd.DataFrame(), colouring, image=small.image_layer())
    html = fmap.get_root().render()
    assert "L.imageOverlay(" in html and small.data_url in html
    assert f'"className": "{mapview.IMAGE_LAYER_CLASS}"' in html
    assert '"opacity": 0.6' in html and f'"pane": "{mapview.IMAGE_PANE}"' in html
    assert small.titel in html and NO_DATA_LABEL in html
    assert "https://cdn" not in html and "unpkg.com" not in html  # offline: vendored assets


def test_texts_from_an_uploaded_file_cannot_break_out_of_the_map_script(tmp_path: Path) -> None:
    hostile = "</script><script>alert(1)</script>"
    path = write_tiff(
        tmp_path / "vijandig.tif",
        TOTALS,
        Affine(CELL, 0, LEFT, 0, -CELL, TOP),
        tags={"model": hostile, "resolutie_m": "veel"},
    )
    raster = read_kansenkaart(path, "vijandig.tif")
    assert raster.resolutie_m == CELL  # no number in the tag: the file's cell size
    layer = render(raster, [])
    empty = gpd.GeoDataFrame({"id": [], "geometrie_kwaliteit": []}, geometry=[], crs=mapview.WGS84)
    fmap = mapview.build_map(
        empty, pd.DataFrame(), mapview.Colouring("Type locatie", {}, []), image=layer.image_layer()
    )
    html = fmap.get_root().render()
    assert "<script>alert(1)" not in html
    assert "\\u003c/script\\u003e\\u003cscript\\u003ealert(1)" in html  # kept as text


def test_large_grid_is_decimated_to_the_pixel_budget(tmp_path: Path) -> None:
    # 3,000 x 2,000 cells of 25 m -> read every 2nd cell (ceil(3000 / 1500) = 2), then warped:
    # the image stays within 1,500 px on its long side.
    totals = np.full((3000, 2000), 55.0)
    path = write_tiff(tmp_path / "groot.tif", totals, Affine(25.0, 0, LEFT, 0, -25.0, TOP))
    raster = read_kansenkaart(path, "groot.tif")
    assert raster.total.shape == (1500, 1000)
    assert raster.resolutie_m == 1000.0  # from the tag, not the decimated cell
    image = rgba(render(raster, []))
    assert max(image.shape[:2]) <= 1500
    assert {tuple(p) for p in image[image[..., 3] == 255][:, :3]} == {
        (0xFD, 0xAE, 0x61)
    }  # 55 -> 40–60


def test_tall_strip_sits_where_leaflet_draws_it(tmp_path: Path) -> None:
    """Stripes of 4 km from Zeeland to Groningen (300 km): the centre of every stripe has the
    stripe's colour where Leaflet draws it, stretched in Web Mercator (an image in lat/lon
    degrees would be ~2.5 km off mid-country, more than the 2 km to a stripe's edge)."""
    rows = 300
    stripe = (np.arange(rows) // 4) % 2  # 4 cells of 1 km per stripe
    totals = np.where(stripe[:, None] == 0, 10.0, 90.0) * np.ones((rows, 2))
    top = 610_000.0
    path = write_tiff(tmp_path / "strook.tif", totals, Affine(1000.0, 0, LEFT, 0, -1000.0, top))
    layer = render(read_kansenkaart(path, "strook.tif"), [])
    image = rgba(layer)
    centres = range(2, rows, 4)  # km below the top: 2 km from either edge of the stripe
    for km in centres:
        row, col = pixel_of(layer, image, LEFT + 1000.0, top - km * 1000.0)
        expected = CLASS_COLOURS[0] if (km // 4) % 2 == 0 else CLASS_COLOURS[4]
        assert list(image[row, col][:3]) == colour(expected), km
    assert len(centres) == 75


def test_model_without_layer_criteria_gets_a_dutch_message() -> None:
    text = (ROOT / "scoring" / "woningbouwimpuls_2024.yaml").read_text(encoding="utf-8")
    with pytest.raises(InputError) as err:
        kansenkaart_store.grid_model(text)
    assert err.value.nl == kansenkaart_store.NO_GRID_CRITERIA
    assert "no layer criteria" in str(err.value)


def test_store_key_follows_model_resolution_and_mode() -> None:
    text = (ROOT / "scoring" / "kansrijk_bouwen.yaml").read_text(encoding="utf-8")
    key = kansenkaart_store.store_key(text, 250, online=False)
    assert key == kansenkaart_store.store_key(text, 250, online=False)
    assert key != kansenkaart_store.store_key(text + "\n# anders\n", 250, online=False)
    assert key != kansenkaart_store.store_key(text, 1000, online=False)
    assert key != kansenkaart_store.store_key(text, 250, online=True)
    path = kansenkaart_store.stored_path(text, 250, online=False)
    assert path.name == f"{key}.tif" and path.parent.name == kansenkaart_store.STORE_DIR_NAME


@pytest.mark.parametrize(
    ("case", "english", "dutch"),
    [
        ("no_total_band", "not a kansenkaart", "band 1 moet 'totaal' heten"),
        ("wrong_crs", "coordinate system EPSG:4326", "verwacht EPSG:28992"),
        ("broken_bytes", "no TIFF header", "geen TIFF-kop"),
        ("broken_tiff", "not a readable GeoTIFF", "geen leesbare GeoTIFF"),
    ],
)
def test_a_file_that_is_no_kansenkaart_is_refused_in_two_languages(
    tmp_path: Path, case: str, english: str, dutch: str
) -> None:
    path = tmp_path / "eigen.tif"
    transform = Affine(CELL, 0, LEFT, 0, -CELL, TOP)
    if case == "no_total_band":
        write_tiff(path, TOTALS, transform, bands=("hoogte", "pijler.ligging", "reden"))
    elif case == "wrong_crs":
        write_tiff(path, TOTALS, Affine(0.01, 0, 5.0, 0, -0.01, 52.0), crs="EPSG:4326")
    elif case == "broken_bytes":
        path.write_bytes(b"%PDF-1.7 not a tiff at all")
    else:
        path.write_bytes(b"II*\x00" + b"\xff" * 60)  # TIFF magic, then garbage
    with pytest.raises(InputError) as err:
        read_kansenkaart(path, "eigen.tif")
    assert "eigen.tif" in str(err.value) and english in str(err.value)
    assert "eigen.tif" in err.value.nl and dutch in err.value.nl

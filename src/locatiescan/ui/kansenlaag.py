"""A kansenkaart GeoTIFF (`locatiescan kansenkaart`) as a map overlay with its legend.

The file is opened through the upload gate (`importers.gate`: TIFF magic, GTiff driver only, no
network) and must look like a kansenkaart: EPSG:28992, band 1 described `totaal`, the last band
`reden`. Band 1 is read decimated (nearest cell) so the longest side stays within `MAX_PX`.

Placement: Leaflet stretches an ImageOverlay linearly between its corners in *screen pixels*,
i.e. in Web Mercator, not in degrees (folium's docs: "your image has to be in Mercator
projection"). So the total is warped (nearest) to EPSG:3857 and the bounds are that grid's
corners in lat/lon; an image in EPSG:4326 would sit up to ~2.5 km off in the middle of the
country.

Colours: a fixed ramp with class breaks 0–20–40–60–80–100, the lower bound inclusive (100 falls
in the top class): ColorBrewer RdYlGn (9 classes) numbers 1, 2, 3, 7 and 9, i.e. without the
pale middle, which vanished on the beige land of the offline base map at opacity 0.6. NaN (open
water, abroad) and values outside 0–100 are transparent. The PNG is palette-encoded (index 5 =
transparent).
"""

from __future__ import annotations

import base64
import io
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from affine import Affine

from locatiescan.errors import InputError
from locatiescan.layers.catalog import LayerDef
from locatiescan.present import nl_date, nl_number, nl_percent
from locatiescan.ui.mapview import ImageLayer

RD = "EPSG:28992"
WEB_MERCATOR = "EPSG:3857"
MAX_PX = 1500  # longest side of the overlay image, so the page stays light
CLASS_BREAKS = (0.0, 20.0, 40.0, 60.0, 80.0, 100.0)
CLASS_COLOURS = ("#d73027", "#f46d43", "#fdae61", "#a6d96a", "#1a9850")  # low -> high
TRANSPARENT = len(CLASS_COLOURS)  # palette index of cells without a value
NO_DATA_COLOUR = "transparent"
NO_DATA_LABEL = "geen data / water"
OPACITY = 0.6
CAVEAT = (
    "Alleen de kaartlaag-criteria van het model; een onbekende waarde telt met de laagste "
    "punten van het criterium."
)
TOTAL_BAND = "totaal"
REASON_BAND = "reden"
REASON_TAG = "reden_"
NO_KNOCKOUT = 0
MAX_TEXT = 200  # characters kept of a tag's text (model name, reason label)
LAND_ATTRIBUTION = "land en water: CBS / Kadaster (PDOK gebiedsindelingen), gemeenten 2022"


@dataclass(frozen=True)
class KansenRaster:
    """What the overlay needs from a kansenkaart file (total possibly decimated)."""

    total: np.ndarray  # float, NaN = no value
    transform: Affine  # of `total`, EPSG:28992
    reasons: np.ndarray  # reason code per cell of `total`
    reason_labels: dict[int, str]
    model: str
    resolutie_m: float


@dataclass(frozen=True)
class Kansenlaag:
    """The overlay: a palette PNG in Web Mercator with its bounds and legend."""

    png: bytes
    bounds: list[list[float]]  # [[south, west], [north, east]] in degrees
    legend: list[tuple[str, str]]  # (colour, label); colour "" = a line of text
    model: str
    resolutie_m: float
    datum: str | None  # ISO date the kansenkaart was computed, None when unknown
    redenen: list[tuple[str, float]]  # (reason, % of the land cells it dominates), largest first
    bronnen: list[str]

    @property
    def titel(self) -> str:
        return f"Kansenkaart — {self.model} ({nl_number(self.resolutie_m)} m): totaalscore"

    @property
    def data_url(self) -> str:
        return "data:image/png;base64," + base64.b64encode(self.png).decode("ascii")

    def image_layer(self) -> ImageLayer:
        """The overlay for `mapview.build_map`."""
        return ImageLayer(
            titel=self.titel,
            url=self.data_url,
            bounds=self.bounds,
            legend=self.legend,
            opacity=OPACITY,
        )


def _not_kansenkaart(name: str, why: str, waarom: str) -> InputError:
    msg = f"{name}: not a kansenkaart (made by `locatiescan kansenkaart`): {why}"
    nl = f"{name}: geen kansenkaart (gemaakt met `locatiescan kansenkaart`): {waarom}"
    return InputError(msg, nl)


def read_kansenkaart(path: Path, name: str, max_px: int = MAX_PX) -> KansenRaster:
    """Band 1 (decimated to at most `max_px` on the long side), the reason band and the tags of
    a kansenkaart file, opened through the upload gate; a bilingual InputError otherwise."""
    import rasterio
    from rasterio.enums import Resampling
    from rasterio.errors import RasterioError

    from locatiescan.importers.gate import check_geotiff, raster_env

    check_geotiff(path, name)
    try:
        with raster_env(), rasterio.open(path, driver="GTiff") as src:
            if src.crs is None or src.crs.to_epsg() != 28992:
                found = src.crs.to_string() if src.crs is not None else "none"
                raise _not_kansenkaart(
                    name,
                    f"coordinate system {found}, expected EPSG:28992",
                    f"coördinatenstelsel {found if src.crs is not None else 'geen'}, "
                    "verwacht EPSG:28992 (RD New)",
                )
            bands = src.descriptions
            if src.count < 2 or bands[0] != TOTAL_BAND or bands[-1] != REASON_BAND:
                raise _not_kansenkaart(
                    name,
                    f"band 1 must be '{TOTAL_BAND}' and the last band '{REASON_BAND}'",
                    f"band 1 moet '{TOTAL_BAND}' heten en de laatste band '{REASON_BAND}'",
                )
            step = max(1, math.ceil(max(src.width, src.height) / max_px))
            shape = (math.ceil(src.height / step), math.ceil(src.width / step))
            total = src.read(1, out_shape=shape, resampling=Resampling.nearest, masked=True)
            reasons = src.read(src.count, out_shape=shape, resampling=Resampling.nearest)
            transform = src.transform @ Affine.scale(src.width / shape[1], src.height / shape[0])
            cell_m = abs(src.transform.a)
            tags = src.tags()
    except RasterioError as err:
        msg = f"{name}: cannot read the kansenkaart: {err}"
        raise InputError(msg, f"{name}: kansenkaart niet leesbaar: {err}") from err
    labels = {}
    for key, label in tags.items():
        if key.startswith(REASON_TAG) and key[len(REASON_TAG) :].isdigit():
            labels[int(key[len(REASON_TAG) :])] = label[:MAX_TEXT]
    return KansenRaster(
        total=np.ma.filled(total.astype("float64"), np.nan),
        transform=transform,
        reasons=np.nan_to_num(reasons, nan=-1).astype("int64"),
        reason_labels=labels,
        model=tags.get("model", Path(name).stem)[:MAX_TEXT],
        resolutie_m=_number(tags.get("resolutie_m"), cell_m),
    )


def _number(text: str | None, default: float) -> float:
    """A tag's number; `default` when it is absent or no finite number."""
    try:
        value = float(text or "")
    except ValueError:
        return default
    return value if math.isfinite(value) and value > 0 else default


def class_index(total: np.ndarray) -> np.ndarray:
    """Palette index per cell: 0..4 for the classes of `CLASS_BREAKS` (lower bound inclusive,
    100 in the top class), `TRANSPARENT` for NaN and values outside 0–100."""
    valid = np.isfinite(total) & (total >= CLASS_BREAKS[0]) & (total <= CLASS_BREAKS[-1])
    inner = np.asarray(CLASS_BREAKS[1:-1])
    index = np.searchsorted(inner, np.where(valid, total, 0.0), side="right")
    return np.where(valid, index, TRANSPARENT).astype(np.uint8)


def _to_web_mercator(
    total: np.ndarray, transform: Affine, max_px: int
) -> tuple[np.ndarray, Affine]:
    """The total warped (nearest) to EPSG:3857 with at most `max_px` on the long side."""
    from rasterio.warp import Resampling, calculate_default_transform, reproject

    height, width = total.shape
    left, top = transform.c, transform.f
    right, bottom = left + width * transform.a, top + height * transform.e
    dst_transform, dst_width, dst_height = calculate_default_transform(
        RD, WEB_MERCATOR, width, height, left, bottom, right, top
    )
    if max(dst_width, dst_height) > max_px:
        scale = max(dst_width, dst_height) / max_px
        dst_transform, dst_width, dst_height = calculate_default_transform(
            RD, WEB_MERCATOR, width, height, left, bottom, right, top,
            dst_width=max(1, round(dst_width / scale)),
            dst_height=max(1, round(dst_height / scale)),
        )  # fmt: skip
    warped = np.full((dst_height, dst_width), np.nan)
    reproject(
        total.astype("float64"), warped,
        src_transform=transform, src_crs=RD, src_nodata=np.nan,
        dst_transform=dst_transform, dst_crs=WEB_MERCATOR, dst_nodata=np.nan,
        resampling=Resampling.nearest,
    )  # fmt: skip
    return warped, dst_transform


def _lat_lon_bounds(transform: Affine, shape: tuple[int, int]) -> list[list[float]]:
    """[[south, west], [north, east]] of a north-up EPSG:3857 grid (exact: in Web Mercator
    longitude depends on x only and latitude on y only)."""
    from pyproj import Transformer

    to_wgs84 = Transformer.from_crs(WEB_MERCATOR, "EPSG:4326", always_xy=True)
    left, top = transform.c, transform.f
    right, bottom = left + shape[1] * transform.a, top + shape[0] * transform.e
    west, south = to_wgs84.transform(left, bottom)
    east, north = to_wgs84.transform(right, top)
    return [[south, west], [north, east]]


def palette_png(index: np.ndarray) -> bytes:
    """A palette PNG of class indices: `CLASS_COLOURS`, index `TRANSPARENT` fully transparent."""
    from PIL import Image

    palette: list[int] = []
    for colour in CLASS_COLOURS:
        palette += [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    palette += [0, 0, 0]
    image = Image.fromarray(index, mode="P")
    image.putpalette(palette)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True, transparency=TRANSPARENT)
    return buffer.getvalue()


def legend_entries(bronnen: list[str], datum: str | None) -> list[tuple[str, str]]:
    """Colour boxes per class, "geen data / water", then the caveat, date and sources as text."""
    entries = [
        (colour, f"{nl_number(low)} – {nl_number(high)}")
        for colour, low, high in zip(
            CLASS_COLOURS, CLASS_BREAKS[:-1], CLASS_BREAKS[1:], strict=True
        )
    ]
    entries.append((NO_DATA_COLOUR, NO_DATA_LABEL))
    entries.append(("", CAVEAT))
    if datum:
        entries.append(("", f"Berekend op {nl_date(datum)}."))
    if bronnen:
        entries.append(("", "Bronnen: " + "; ".join(bronnen)))
    return entries


def reason_shares(raster: KansenRaster) -> list[tuple[str, float]]:
    """Per knock-out reason (criterion at 0 points) the share of land cells it dominates (%),
    largest first; cells without knock-out and off land are not listed."""
    land = np.isfinite(raster.total)
    if not land.any():
        return []
    codes, counts = np.unique(raster.reasons[land], return_counts=True)
    shares = [
        (raster.reason_labels.get(int(code), f"code {int(code)}"), float(100 * count / land.sum()))
        for code, count in zip(codes, counts, strict=True)
        if int(code) != NO_KNOCKOUT
    ]
    return sorted(shares, key=lambda item: -item[1])


def attributions(raster: KansenRaster, catalog: Mapping[str, LayerDef]) -> list[str]:
    """The attribution of every catalog layer a reason label names ("<titel>: <criterium>"),
    and of the CBS land shapes that decide open water."""
    found = [
        layer.attributie
        for layer in catalog.values()
        if any(label.startswith(f"{layer.titel}: ") for label in raster.reason_labels.values())
    ]
    return [*dict.fromkeys(found), LAND_ATTRIBUTION]


def render(
    raster: KansenRaster, bronnen: list[str], datum: str | None = None, max_px: int = MAX_PX
) -> Kansenlaag:
    """The overlay of a kansenkaart: warped to Web Mercator, coloured, PNG-encoded."""
    warped, transform = _to_web_mercator(raster.total, raster.transform, max_px)
    return Kansenlaag(
        png=palette_png(class_index(warped)),
        bounds=_lat_lon_bounds(transform, warped.shape),
        legend=legend_entries(bronnen, datum),
        model=raster.model,
        resolutie_m=raster.resolutie_m,
        datum=datum,
        redenen=reason_shares(raster),
        bronnen=bronnen,
    )


def reason_lines(kansenlaag: Kansenlaag, limit: int = 5) -> list[str]:
    """'Natura 2000: …: 12 % van het land' for the largest knock-out reasons."""
    return [f"{label}: {nl_percent(share)} van het land" for label, share in kansenlaag.redenen][
        :limit
    ]

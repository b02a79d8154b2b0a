"""Offline map images (PNG) of locations and overlay layers, drawn with matplotlib in RD New.

No tile server: the map shows only the geometries passed in. It carries a scale bar, the
approximate scale at the printed width and the EPSG code.
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping

import geopandas as gpd
import numpy as np
import shapely
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.path import Path as MplPath
from PIL import Image as PILImage

from locatiescan.knelpunten import nl_number

RD_NEW = "EPSG:28992"
MIN_EXTENT_M = 2_000.0
OVERLAY_COLOURS = ("#2e7d32", "#f9a825", "#1565c0", "#6a1b9a", "#00838f", "#8d6e63")
LOCATION_COLOUR = "#c62828"
MAX_LABELS = 15
SMALL_FRACTION = 0.01


def nice_length(target_m: float) -> float:
    """The largest 1-2-5 x 10^n length not above `target_m`."""
    power = 10 ** math.floor(math.log10(target_m))
    return max(step * power for step in (1, 2, 5) if step * power <= target_m)


def nice_scale(denominator: float) -> int:
    """A rounded scale denominator (two significant digits) for the scale note."""
    power = 10 ** max(math.floor(math.log10(denominator)) - 1, 0)
    return int(round(denominator / power) * power)


def scale_denominator(extent: tuple[float, float, float, float], width_cm: float) -> int:
    """The rounded scale of a view printed `width_cm` wide (1:denominator)."""
    return nice_scale((extent[2] - extent[0]) / (width_cm / 100))


def map_extent(locations: gpd.GeoDataFrame, aspect: float) -> tuple[float, float, float, float]:
    """A view around the locations with 15 % margin, at least 2 km wide, with this aspect."""
    minx, miny, maxx, maxy = locations.total_bounds
    width = max((maxx - minx) * 1.3, MIN_EXTENT_M)
    height = max((maxy - miny) * 1.3, MIN_EXTENT_M / aspect)
    width, height = max(width, height * aspect), max(height, width / aspect)
    cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
    return cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2


def location_map_png(
    locations: gpd.GeoDataFrame,
    overlays: Mapping[str, gpd.GeoDataFrame] | None = None,
    *,
    width_cm: float = 17.0,
    height_cm: float = 11.0,
    dpi: int = 150,
) -> bytes:
    """`location_map_image` as PNG bytes (for `st.image` or a download)."""
    buffer = io.BytesIO()
    image = location_map_image(locations, overlays, width_cm=width_cm, height_cm=height_cm, dpi=dpi)
    image.save(buffer, format="PNG", dpi=(dpi, dpi))
    return buffer.getvalue()


def location_map_image(
    locations: gpd.GeoDataFrame,
    overlays: Mapping[str, gpd.GeoDataFrame] | None = None,
    *,
    width_cm: float = 17.0,
    height_cm: float = 11.0,
    dpi: int = 150,
) -> PILImage.Image:
    """A map of `locations` (red, labelled by `naam`) over the overlay layers (by label).

    Overlays are clipped to the view. The scale note assumes the image is printed `width_cm`
    wide. Inputs may be in any CRS; the map is drawn in EPSG:28992.
    """
    rd = locations.to_crs(RD_NEW)
    extent = map_extent(rd, width_cm / height_cm)
    view = shapely.box(*extent)
    figure = Figure(figsize=(width_cm / 2.54, height_cm / 2.54), dpi=dpi)
    FigureCanvasAgg(figure)
    axes = figure.add_axes((0, 0, 1, 1), xticks=[], yticks=[], facecolor="#f7f7f2")
    legend = []
    for n, (label, layer) in enumerate((overlays or {}).items()):
        colour = OVERLAY_COLOURS[n % len(OVERLAY_COLOURS)]
        shown = layer.to_crs(RD_NEW).geometry
        shown = shown.iloc[shown.sindex.query(view, predicate="intersects")].clip(view)
        if _draw_geometries(axes, shown.to_numpy(), colour, alpha=0.3, width=0.6):
            legend.append(Patch(facecolor=colour, alpha=0.3, edgecolor=colour, label=label))
    _draw_geometries(axes, rd.geometry.to_numpy(), LOCATION_COLOUR, alpha=0.35, width=1.2)
    _mark_small(axes, rd, extent)
    legend.append(
        Patch(facecolor=LOCATION_COLOUR, alpha=0.35, edgecolor=LOCATION_COLOUR, label="Locatie")
    )
    _draw_labels(axes, rd)
    axes.set_xlim(extent[0], extent[2])
    axes.set_ylim(extent[1], extent[3])
    axes.set_aspect("equal")
    axes.legend(handles=legend, loc="upper right", fontsize=6, framealpha=0.85)
    _draw_scale(axes, extent, width_cm)
    canvas = figure.canvas
    canvas.draw()
    return PILImage.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba()).convert(
        "RGB"
    )


def polygon_path(polygon: shapely.Polygon) -> MplPath:
    """A matplotlib path of a polygon with its holes (as geopandas draws them)."""
    rings = [polygon.exterior, *polygon.interiors]
    return MplPath.make_compound_path(
        *(MplPath(np.asarray(ring.coords)[:, :2], closed=True) for ring in rings)
    )


def _draw_geometries(axes, geometries, colour: str, *, alpha: float, width: float) -> bool:
    """Draw polygons, lines and points in one colour; False when there was nothing to draw."""
    drawable = [g for g in geometries if g is not None and not g.is_empty]
    parts = shapely.get_parts(np.asarray(drawable, dtype=object))
    kinds = shapely.get_type_id(parts)
    polygons = [polygon_path(p) for p in parts[kinds == 3]]
    lines = [np.asarray(line.coords)[:, :2] for line in parts[(kinds == 1) | (kinds == 2)]]
    points = shapely.get_coordinates(parts[kinds == 0])
    if polygons:
        axes.add_collection(
            PathCollection(
                polygons, facecolors=to_rgba(colour, alpha), edgecolors=colour, linewidths=width
            )
        )
    if lines:
        axes.add_collection(LineCollection(lines, colors=colour, linewidths=width * 1.5))
    if len(points):
        axes.scatter(
            points[:, 0], points[:, 1], s=14, color=colour, alpha=max(alpha, 0.7), linewidths=0
        )
    return bool(len(parts))


def _mark_small(axes, rd: gpd.GeoDataFrame, extent) -> None:
    """A marker on locations too small to see at this scale (< 1 % of the view width)."""
    span = extent[2] - extent[0]
    bounds = rd.geometry.bounds
    small = rd[(bounds["maxx"] - bounds["minx"]) < span * SMALL_FRACTION]
    if not small.empty:
        points = small.geometry.representative_point()
        axes.scatter(
            points.x,
            points.y,
            s=18,
            color=LOCATION_COLOUR,
            edgecolors="white",
            linewidths=0.6,
            zorder=3,
        )


def _draw_labels(axes, rd: gpd.GeoDataFrame) -> None:
    if "naam" not in rd.columns or len(rd) > MAX_LABELS:
        return
    for name, point in zip(rd["naam"], rd.geometry.representative_point(), strict=True):
        axes.annotate(
            str(name),
            (point.x, point.y),
            xytext=(0, 6),
            textcoords="offset points",
            fontsize=7,
            ha="center",
            va="bottom",
            bbox={"boxstyle": "round,pad=0.2", "fc": "white", "alpha": 0.8, "lw": 0},
        )


def _draw_scale(axes, extent, width_cm: float) -> None:
    minx, miny, maxx, maxy = extent
    span = maxx - minx
    length = nice_length(span / 5)
    x0, y0 = minx + span * 0.04, miny + (maxy - miny) * 0.06
    axes.plot([x0, x0 + length], [y0, y0], color="black", linewidth=3, solid_capstyle="butt")
    label = f"{nl_number(length / 1000, 0 if length >= 1000 else 1)} km"
    axes.text(x0 + length / 2, y0 + span * 0.012, label, ha="center", va="bottom", fontsize=7)
    note = (
        f"Schaal ca. 1:{nl_number(scale_denominator(extent, width_cm))} bij "
        f"{nl_number(width_cm, 0)} cm breed · EPSG:28992 (RD New) · noorden boven · "
        "geen achtergrondkaart"
    )
    axes.text(
        minx + span * 0.04,
        miny + (maxy - miny) * 0.015,
        note,
        fontsize=6,
        va="bottom",
        bbox={"boxstyle": "square,pad=0.2", "fc": "white", "alpha": 0.8, "lw": 0},
    )

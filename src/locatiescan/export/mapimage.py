"""Offline map images (PNG) of locations and overlay layers, drawn with matplotlib in RD New.

No tile server: under the locations and overlays lies the offline context basemap (land, open
water, province and gemeente boundaries with their names; see `basemap`). Labels never
overlap (a label that fits nowhere is left out; location labels are tried first, further away
with a leader line). The map carries a metric scale bar, a north arrow and its attribution.
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
from matplotlib.patches import Patch, Rectangle
from matplotlib.path import Path as MplPath
from matplotlib.transforms import Bbox
from PIL import Image as PILImage

from locatiescan.export.basemap import (
    ATTRIBUTION,
    BRT_ATTRIBUTION,
    BrtStyle,
    brt_image,
    context,
)
from locatiescan.present import nl_number

RD_NEW = "EPSG:28992"
MIN_EXTENT_M = 2_000.0
OVERLAY_COLOURS = ("#2e7d32", "#f9a825", "#1565c0", "#6a1b9a", "#00838f", "#8d6e63")
LOCATION_COLOUR = "#c62828"
OUTSIDE_COLOUR = "#e3e3e0"
WATER_COLOUR = "#c4dbee"
LAND_COLOUR = "#f7f5ef"
BOUNDARY_COLOUR = "#8a8a8a"
MAX_LABELS = 15
MAX_PLACE_LABELS = 30
PROVINCE_SCALE_M = 60_000.0  # views wider than this name provinces instead of gemeenten
SMALL_FRACTION = 0.01
LABEL_GAP_PX = 2.0
# Location label candidates (offset in points from the location); far ones get a leader line.
NEAR_OFFSETS = ((0, 7), (0, -7), (8, 0), (-8, 0), (7, 6), (-7, 6), (7, -6), (-7, -6))
FAR_OFFSETS = tuple((dx * 3, dy * 3) for dx, dy in NEAR_OFFSETS)


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
    labels: Mapping[str, str] | None = None,
    basemap: BrtStyle | None = None,
    basemap_url: str | None = None,
) -> bytes:
    """`location_map_image` as PNG bytes (for `st.image` or a download)."""
    buffer = io.BytesIO()
    image = location_map_image(
        locations,
        overlays,
        width_cm=width_cm,
        height_cm=height_cm,
        dpi=dpi,
        labels=labels,
        basemap=basemap,
        basemap_url=basemap_url,
    )
    image.save(buffer, format="PNG", dpi=(dpi, dpi))
    return buffer.getvalue()


def location_map_image(
    locations: gpd.GeoDataFrame,
    overlays: Mapping[str, gpd.GeoDataFrame] | None = None,
    *,
    width_cm: float = 17.0,
    height_cm: float = 11.0,
    dpi: int = 150,
    labels: Mapping[str, str] | None = None,
    basemap: BrtStyle | None = None,
    basemap_url: str | None = None,
) -> PILImage.Image:
    """A map of `locations` (red) over the overlay layers (by Dutch label) and the context.

    Locations are labelled by `labels` (location id → text, e.g. rank numbers), else by
    `naam` when there are at most 15. `basemap` (a BRT style such as "grijs") puts the PDOK
    BRT-Achtergrondkaart underneath when online (`basemap_url`: another WMS); otherwise, or
    when it fails, the offline context is drawn. Overlays are clipped to the view. The scale note
    assumes the image is printed `width_cm` wide. Inputs may be in any CRS; the map is drawn
    in EPSG:28992.
    """
    rd = locations.to_crs(RD_NEW)
    extent = map_extent(rd, width_cm / height_cm)
    view = shapely.box(*extent)
    figure = Figure(figsize=(width_cm / 2.54, height_cm / 2.54), dpi=dpi)
    FigureCanvasAgg(figure)
    axes = figure.add_axes((0, 0, 1, 1), xticks=[], yticks=[], facecolor=OUTSIDE_COLOUR)
    axes.set_xlim(extent[0], extent[2])
    axes.set_ylim(extent[1], extent[3])
    axes.set_aspect("equal")
    background = None
    if basemap is not None:
        size_px = (round(width_cm / 2.54 * dpi), round(height_cm / 2.54 * dpi))
        background = brt_image(extent, size_px, style=basemap, url=basemap_url)
    if background is None:
        legend, credit = _draw_context(axes, view), ATTRIBUTION
    else:
        axes.imshow(background, extent=(extent[0], extent[2], extent[1], extent[3]), zorder=0)
        axes.set_xlim(extent[0], extent[2])  # imshow may have changed the view
        axes.set_ylim(extent[1], extent[3])
        legend, credit = [], BRT_ATTRIBUTION
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
    shown_legend = axes.legend(
        handles=legend, loc="upper right", fontsize=6, framealpha=0.9, borderaxespad=0.4
    )
    scale_box = _draw_scale(axes, extent, width_cm)
    _draw_north(axes)
    attribution = axes.text(
        0.995,
        0.005,
        credit,
        transform=axes.transAxes,
        fontsize=5,
        ha="right",
        va="bottom",
        color="#444444",
        bbox={"boxstyle": "square,pad=0.2", "fc": "white", "alpha": 0.8, "lw": 0},
    )
    renderer = figure.canvas.get_renderer()
    taken = [a.get_window_extent(renderer) for a in (shown_legend, attribution, scale_box)]
    taken += [t.get_window_extent(renderer) for t in axes.texts if t is not attribution]
    _label_locations(axes, rd, labels, taken, renderer)
    if background is None:  # the BRT map carries its own names
        _label_places(axes, view, taken, renderer)
    canvas = figure.canvas
    canvas.draw()
    return PILImage.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba()).convert(
        "RGB"
    )


def _draw_context(axes, view: shapely.Polygon) -> list[Patch]:
    """Land, open water and boundaries inside the view; their legend entries."""
    layers = context()
    land = shapely.intersection(layers.land, view)
    water = shapely.intersection(layers.water, view)
    _fill(axes, water, WATER_COLOUR)
    _fill(axes, land, LAND_COLOUR)
    wide = view.bounds[2] - view.bounds[0] > PROVINCE_SCALE_M
    boundaries = [(layers.provinces, 0.9, "-")]
    if not wide:  # gemeente boundaries only where they can be read
        boundaries.insert(0, (layers.gemeenten, 0.4, (0, (3, 2))))
    for frame, width, style in boundaries:
        lines = frame.geometry.iloc[frame.sindex.query(view, predicate="intersects")].boundary
        parts = shapely.get_parts(shapely.intersection(lines.to_numpy(), view))
        paths = [np.asarray(p.coords)[:, :2] for p in parts if p.geom_type == "LineString"]
        axes.add_collection(
            LineCollection(paths, colors=BOUNDARY_COLOUR, linewidths=width, linestyles=style)
        )
    legend = [Patch(facecolor=LAND_COLOUR, edgecolor=BOUNDARY_COLOUR, label="Land (Nederland)")]
    if not water.is_empty:
        legend.append(Patch(facecolor=WATER_COLOUR, label="Open water"))
    if not shapely.difference(view, shapely.union(land, water)).is_empty:
        legend.append(Patch(facecolor=OUTSIDE_COLOUR, label="Buiten Nederland of Noordzee"))
    return legend


def _fill(axes, geometry: shapely.Geometry, colour: str) -> None:
    polygons = [polygon_path(p) for p in shapely.get_parts(geometry) if p.geom_type == "Polygon"]
    if polygons:
        axes.add_collection(
            PathCollection(polygons, facecolors=colour, edgecolors="none", linewidths=0)
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


def _label_locations(axes, rd: gpd.GeoDataFrame, labels, taken: list, renderer) -> None:
    """Location labels: near the location where free, else further away with a leader line;
    left out only when no candidate is free."""
    if labels is None:
        if "naam" not in rd.columns or len(rd) > MAX_LABELS:
            return
        labels = dict(zip(rd["id"], rd["naam"].astype(str), strict=True))
    points = rd.geometry.representative_point()
    own = [
        axes.transData.transform((p.x, p.y)) for p in points
    ]  # location markers are obstacles too
    taken += [Bbox.from_bounds(x - 3, y - 3, 6, 6) for x, y in own]
    for location_id, point in zip(rd["id"], points, strict=True):
        text = labels.get(location_id)
        if not text:
            continue
        for offset in NEAR_OFFSETS + FAR_OFFSETS:
            far = offset in FAR_OFFSETS
            annotation = axes.annotate(
                str(text),
                (point.x, point.y),
                xytext=offset,
                textcoords="offset points",
                fontsize=7,
                ha="center" if offset[0] == 0 else ("left" if offset[0] > 0 else "right"),
                va="center" if offset[1] == 0 else ("bottom" if offset[1] > 0 else "top"),
                bbox={"boxstyle": "round,pad=0.2", "fc": "white", "alpha": 0.9, "lw": 0},
                arrowprops={"arrowstyle": "-", "lw": 0.6, "color": "#555555"} if far else None,
                zorder=5,
                parse_math=False,  # a name with "$" is text, not a formula
            )
            if _fits(annotation.get_window_extent(renderer), taken, axes, renderer):
                taken.append(annotation.get_window_extent(renderer))
                break
            annotation.remove()


def _label_places(axes, view: shapely.Polygon, taken: list, renderer) -> None:
    """Names of the gemeenten (or, in a wide view, the provinces) in view, largest first,
    where they fit."""
    layers = context()
    wide = view.bounds[2] - view.bounds[0] > PROVINCE_SCALE_M
    frame = layers.provinces if wide else layers.gemeenten
    inside = frame.iloc[frame.sindex.query(view, predicate="intersects")]
    clipped = inside.geometry.intersection(view)
    order = clipped.area.sort_values(ascending=False).index[:MAX_PLACE_LABELS]
    for index in order:
        spot = clipped[index].representative_point()
        text = axes.text(
            spot.x,
            spot.y,
            str(inside.at[index, "naam"]),
            fontsize=7 if wide else 6,
            style="italic",
            color="#555555",
            ha="center",
            va="center",
            zorder=1.5,
            parse_math=False,
        )
        if _fits(text.get_window_extent(renderer), taken, axes, renderer):
            taken.append(text.get_window_extent(renderer))
        else:
            text.remove()


def _fits(box: Bbox, taken: list, axes, renderer) -> bool:
    """True when `box` lies inside the map and overlaps none of the taken boxes."""
    frame = axes.get_window_extent(renderer)
    padded = box.expanded(1, 1).padded(LABEL_GAP_PX)
    inside = box.x0 >= frame.x0 and box.y0 >= frame.y0 and box.x1 <= frame.x1 and box.y1 <= frame.y1
    return inside and not any(padded.overlaps(other) for other in taken)


def _draw_scale(axes, extent, width_cm: float) -> Rectangle:
    """A two-part metric scale bar (labels in metres) and the scale note, bottom left; returns
    its white box."""
    minx, miny, maxx, maxy = extent
    span, height = maxx - minx, maxy - miny
    length = nice_length(span / 5)
    x0, y0 = minx + span * 0.03, miny + height * 0.09
    bar = height * 0.012
    box = Rectangle(
        (x0 - span * 0.012, miny + height * 0.01),
        length + span * 0.06,
        height * 0.135,
        facecolor="white",
        alpha=0.85,
        lw=0,
        zorder=6,
    )
    axes.add_patch(box)
    for part in range(2):
        axes.add_patch(
            Rectangle(
                (x0 + part * length / 2, y0),
                length / 2,
                bar,
                facecolor="black" if part == 0 else "white",
                edgecolor="black",
                lw=0.6,
                zorder=7,
            )
        )
    for fraction in (0, 0.5, 1):
        metres = nl_number(length * fraction)
        axes.text(
            x0 + length * fraction,
            y0 + bar * 1.6,
            f"{metres} m" if fraction == 1 else metres,
            ha="center",
            va="bottom",
            fontsize=6,
            zorder=7,
        )
    note = f"ca. 1:{nl_number(scale_denominator(extent, width_cm))} · EPSG:28992"
    axes.text(x0, miny + height * 0.025, note, fontsize=5.5, va="bottom", zorder=7)
    return box


def _draw_north(axes) -> None:
    """A small north arrow at the top left."""
    axes.annotate(
        "N",
        xy=(0.03, 0.97),
        xytext=(0.03, 0.87),
        xycoords="axes fraction",
        ha="center",
        va="center",
        fontsize=7,
        fontweight="bold",
        arrowprops={"arrowstyle": "-|>", "color": "black", "lw": 0.8},
        bbox={"boxstyle": "circle,pad=0.15", "fc": "white", "alpha": 0.85, "lw": 0},
    )

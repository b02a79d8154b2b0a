"""The CRS rule for imported files (pure).

1. A declared CRS wins (a .prj, a GeoPackage's srs, a GeoJSON `crs` member, KML is always WGS84).
   A declared geographic CRS whose coordinates are not degrees is an error.
2. A format default (GeoJSON without `crs` member: WGS84 per RFC 7946) counts as declared when the
   coordinates are in the lon/lat range of the Netherlands.
3. Nothing declared: coordinates in the RD range (x 0-300,000, y 289,000-629,000) -> EPSG:28992,
   in the lon/lat range (lon 2.5-7.5, lat 50.5-54) -> EPSG:4326, each with a warning.
4. Otherwise an InputError that names the coordinate range found.
"""

from __future__ import annotations

from dataclasses import dataclass

from pyproj import CRS
from pyproj.exceptions import CRSError

from locatiescan.errors import InputError
from locatiescan.importers.notes import Note

RD = "EPSG:28992"
WGS84 = "EPSG:4326"
RD_RANGE = (0.0, 289_000.0, 300_000.0, 629_000.0)  # xmin, ymin, xmax, ymax
LONLAT_RANGE = (2.5, 50.5, 7.5, 54.0)
Bounds = tuple[float, float, float, float]


@dataclass(frozen=True)
class CrsDecision:
    """The CRS of the source coordinates, whether it was assumed, and the warning if so."""

    crs: str
    assumed: bool
    warning: Note | None = None


def within(bounds: Bounds, box: Bounds) -> bool:
    """Whether `bounds` lie inside `box` (both xmin, ymin, xmax, ymax)."""
    return (
        bounds[0] >= box[0] and bounds[1] >= box[1] and bounds[2] <= box[2] and bounds[3] <= box[3]
    )


def crs_name(crs: object) -> str:
    """Short name of a CRS: "EPSG:28992" when identifiable, else the CRS's own name."""
    try:
        parsed = CRS.from_user_input(crs)
    except CRSError as err:
        msg = f"the declared CRS cannot be read: {err}"
        raise InputError(msg, f"het opgegeven coördinatenstelsel is onleesbaar: {err}") from err
    epsg = parsed.to_epsg(min_confidence=70)
    return f"EPSG:{epsg}" if epsg else parsed.name


def _describe(bounds: Bounds) -> str:
    return f"x {bounds[0]:.6g} to {bounds[2]:.6g}, y {bounds[1]:.6g} to {bounds[3]:.6g}"


def decide_crs(
    declared: object | None, bounds: Bounds, format_default: str | None = None
) -> CrsDecision:
    """Apply the module's CRS rule to the declared CRS (or None) and the data's bounds."""
    if declared is not None:
        name = crs_name(declared)
        if CRS.from_user_input(declared).is_geographic and not within(
            bounds, (-180.0, -90.0, 180.0, 90.0)
        ):
            found = _describe(bounds)
            msg = f"the file declares {name}, but its coordinates are not degrees ({found})"
            nl = f"het bestand noemt {name}, maar de coördinaten zijn geen graden ({found})"
            raise InputError(msg, nl)
        return CrsDecision(name, assumed=False)
    if format_default is not None and within(bounds, LONLAT_RANGE):
        return CrsDecision(format_default, assumed=False)
    if within(bounds, RD_RANGE):
        warning = Note(
            "no CRS declared; coordinates are in the RD range, assumed EPSG:28992 (RD New)",
            "geen coördinatenstelsel opgegeven; coördinaten passen bij RD, aangenomen EPSG:28992",
        )
        return CrsDecision(RD, assumed=True, warning=warning)
    if within(bounds, LONLAT_RANGE):
        warning = Note(
            "no CRS declared; coordinates are in the lon/lat range, assumed EPSG:4326 (WGS84)",
            "geen coördinatenstelsel opgegeven; coördinaten passen bij lengte/breedte, "
            "aangenomen EPSG:4326 (WGS84)",
        )
        return CrsDecision(WGS84, assumed=True, warning=warning)
    msg = (
        f"no CRS declared and the coordinates ({_describe(bounds)}) fit neither RD New "
        "(x 0-300000, y 289000-629000) nor lon/lat in the Netherlands (lon 2.5-7.5, lat 50.5-54)"
    )
    nl = (
        f"geen coördinatenstelsel opgegeven en de coördinaten ({_describe(bounds)}) passen "
        "niet bij "
        "RD New (x 0-300000, y 289000-629000) of lengte/breedte in Nederland (2,5-7,5 / 50,5-54)"
    )
    raise InputError(msg, nl)

"""Indicative footprints for locations that have no polygon (pure computation, EPSG:28992).

Rules, in order, per location:

0. **Linked to EIB plan polygons** (`plans`, from `locaties/locaties_eib_koppeling.csv`) -> the
   union of those polygons; `geometrie_kwaliteit = "planpolygonen"`.
1. **Point and housing count known** -> a circle around the point whose *area* equals
   `woningen / density` hectares (density from settings, default 40 woningen/ha), so 1,000
   woningen give 25 ha, a radius of sqrt(250,000 / pi) = 282.09 m. The polygon's vertices are
   placed slightly outside that radius so the polygon's own area is exactly the target.
   `geometrie_kwaliteit = "indicatief"`.
2. **Point known, housing count unknown (or 0)** -> a circle with the fixed `FALLBACK_RADIUS_M`
   (500 m, 78.5 ha). The size says nothing about the plan; `geometrie_toelichting` says so.
   Still "indicatief". Never a zero-size footprint.
3. **No point** -> the union of the location's gemeenten (`gemeentecodes`, ";"-joined);
   `geometrie_kwaliteit = "gemeente"`. Codes that are not in the gemeente table are named in
   `geometrie_toelichting`; when none is known the geometry is None (unknown).

`woningen` is `woningen_max` when present, else `woningen_min` (the Location-table contract).
"""

from __future__ import annotations

import math

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

RD = "EPSG:28992"
WGS84 = "EPSG:4326"
FALLBACK_RADIUS_M = 500.0
QUAD_SEGS = 16  # vertices per quarter circle: a 64-gon


def circle_radius_m(woningen: float, density_per_ha: float) -> float:
    """Radius (m) of the circle whose area is `woningen / density_per_ha` hectares."""
    area_m2 = woningen / density_per_ha * 10_000.0
    return math.sqrt(area_m2 / math.pi)


def circle_of_area(center: BaseGeometry, area_m2: float) -> BaseGeometry:
    """A 64-gon around `center` whose polygon area equals `area_m2` exactly."""
    n = 4 * QUAD_SEGS
    vertex_radius = math.sqrt(area_m2 / (n / 2 * math.sin(2 * math.pi / n)))
    return center.buffer(vertex_radius, quad_segs=QUAD_SEGS)


def gemeente_union(
    codes: str | None, gemeenten: gpd.GeoDataFrame
) -> tuple[BaseGeometry | None, list[str]]:
    """Union of the gemeente polygons for ";"-joined `codes`, and the codes that were not found."""
    wanted = [c.strip() for c in str(codes or "").split(";") if c.strip()]
    shapes = gemeenten.set_index("gemeentecode").geometry
    found = [c for c in wanted if c in shapes.index]
    missing = [c for c in wanted if c not in shapes.index]
    geometry = shapely.union_all(shapes.loc[found].to_numpy()) if found else None
    return geometry, missing


def plan_union(objectids: str, plans: gpd.GeoSeries) -> tuple[BaseGeometry | None, list[str]]:
    """Union of the EIB plan polygons (`plans` indexed by OBJECTID as text) for ";"-joined
    `objectids`, and the ids that were not found."""
    wanted = [i.strip() for i in str(objectids).split(";") if i.strip()]
    found = [i for i in wanted if i in plans.index]
    missing = [i for i in wanted if i not in plans.index]
    geometry = shapely.union_all(plans.loc[found].to_numpy()) if found else None
    return geometry, missing


def footprints(
    table: pd.DataFrame,
    gemeenten: gpd.GeoDataFrame,
    density_per_ha: float,
    plans: pd.Series | None = None,
) -> gpd.GeoDataFrame:
    """Add geometry, `geometrie_kwaliteit` and `geometrie_toelichting` to a table with lon/lat.

    `table` needs `lon`, `lat` (WGS84, may be NaN), `woningen` (may be NA) and `gemeentecodes`;
    `gemeenten` is the gemeente table in EPSG:28992 (gemeentecode, geometry). `plans` (same
    index as `table`, None where not linked) holds the union of a location's EIB plan polygons.
    """
    has_point = table["lon"].notna() & table["lat"].notna()
    points = gpd.GeoSeries(
        gpd.points_from_xy(table["lon"].fillna(0), table["lat"].fillna(0)),
        index=table.index,
        crs=WGS84,
    ).to_crs(RD)
    geometries: list[BaseGeometry | None] = []
    kwaliteit: list[str] = []
    toelichting: list[str] = []
    for idx in table.index:
        woningen = table.at[idx, "woningen"]
        plan = None if plans is None else plans.get(idx)
        if isinstance(plan, BaseGeometry) and not plan.is_empty:
            geometries.append(plan)
            kwaliteit.append("planpolygonen")
            toelichting.append(
                f"vereniging van de gekoppelde EIB-planpolygonen 2020 ({plan.area / 10_000:.1f} ha)"
            )
        elif has_point[idx] and pd.notna(woningen) and woningen > 0:
            area_ha = float(woningen) / density_per_ha
            geometries.append(circle_of_area(points[idx], area_ha * 10_000.0))
            kwaliteit.append("indicatief")
            toelichting.append(
                f"cirkel van {area_ha:.1f} ha = {woningen:.0f} woningen / {density_per_ha:g} per ha"
            )
        elif has_point[idx]:
            geometries.append(points[idx].buffer(FALLBACK_RADIUS_M, quad_segs=QUAD_SEGS))
            kwaliteit.append("indicatief")
            toelichting.append(
                f"aantal woningen onbekend of 0: vaste cirkel met straal {FALLBACK_RADIUS_M:.0f} m"
            )
        else:
            geometry, missing = gemeente_union(table.at[idx, "gemeentecodes"], gemeenten)
            geometries.append(geometry)
            kwaliteit.append("gemeente")
            note = "geen locatie bekend: hele gemeente(n)"
            if missing:
                note += f"; onbekende gemeentecode(s): {', '.join(missing)}"
            toelichting.append(note)
    result = gpd.GeoDataFrame(table.copy(), geometry=geometries, crs=RD)
    result["geometrie_kwaliteit"] = kwaliteit
    result["geometrie_toelichting"] = toelichting
    return result

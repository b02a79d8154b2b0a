"""The location registry: policy locations and EIB plan polygons as one Location table.

Location table (GeoDataFrame, EPSG:28992, RangeIndex, unique str `id`; schema and check in
`location_table`), columns `LOCATION_COLUMNS`:

- `type`: koploper | doorbraak | grootschalig (policy list `locaties/locaties.csv`, 43 rows),
  plancapaciteit (EIB plans 2020, 4,348 polygons) or eigen (user import, see `importers`).
- `gemeenten` / `gemeentecodes`: ";"-joined 2022 names / codes.
- `woningen`: `woningen_max` when present, else `woningen_min`; NA when unknown or when
  `woningen_min` is only the doorbraak threshold (`woningen_drempel`, see `sites`).
- `planstatus`: "hard" | "zacht" | NA. EIB: `Planstatus` codes 1 (onherroepelijk) and 2
  (vastgesteld) are hard, 3 (in voorbereiding) and 4 (visie/optie) zacht, "Onbekend" NA; this is
  the usual definition of harde plancapaciteit (vastgestelde en onherroepelijke plannen).
  Policy locations: their `status` describes a process agreement, not a plan's legal state, so NA
  unless the text names one: "onherroepelijk"/"vastgesteld" -> hard, "in voorbereiding"/"ontwerp"
  -> zacht.
- `geometrie_kwaliteit`: planpolygonen | indicatief | gemeente (policy, see `footprint`), plan
  (EIB), eigen; "ingetekend" once a stored outline replaces it (`workspace.outlines`).
- `area_ha`: area of the geometry.

After these, `SITE_COLUMNS`: `programmas`, `woningen_drempel`, `binnen`, `zelfde_site_als` (see
`sites`: KL-01 and DB-16 are one site, listed once as KL-01, so there are 42 policy sites), and
`EIB_LINK_COLUMNS` for policy locations linked to EIB plan polygons
(`locaties/locaties_eib_koppeling.csv`): `eib_woningen` (sum of the plans' `Aantalrest`, next to
the policy number, which differs), `eib_plannamen` (each distinct plan name once: the EIB data
splits some plans into many polygons of one name), `eib_zekerheid` (hoog / middel), `eib_ids`.

Other source columns are kept after these (policy: lon, lat, locatie_precisie, toelichting,
geometrie_toelichting; EIB: Plantype, Aantalrest, OP202024, ...).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import pandas as pd

from locatiescan.errors import DataRootError, InputError
from locatiescan.footprint import footprints, plan_union
from locatiescan.gemeenten import RD, load_gemeenten, match_names
from locatiescan.location_table import (
    LOCATION_COLUMNS,
    POLICY_TYPES,
    REGISTRY_TYPES,
    location_table,
)
from locatiescan.paths import data_file
from locatiescan.settings import settings
from locatiescan.sites import (
    SITE_COLUMNS,
    in_programmes,
    mark_nested,
    merge_same_sites,
    threshold_only,
)

logger = logging.getLogger(__name__)

POLICY_FILE = "locaties/locaties.csv"
LINK_FILE = "locaties/locaties_eib_koppeling.csv"
EIB_FILE = "woningbouw/eib_woningbouwlocaties_2020.gpkg"
EIB_BRON = "EIB woningbouwlocaties 2020 (github.com/followthemoney/plancapaciteit)"

POLICY_SOURCE_COLUMNS = [
    "id", "naam", "type", "gemeenten", "gemeentecodes", "provincie",
    "woningen_min", "woningen_max", "partijen", "status", "bron", "lon", "lat",
]  # fmt: skip
EIB_SOURCE_COLUMNS = ["OBJECTID", "Provincie", "Gem_naam", "Plannaam", "Planstatus", "Aantalrest"]
LINK_SOURCE_COLUMNS = ["id", "eib_objectids", "zekerheid"]
EIB_LINK_COLUMNS = ["eib_woningen", "eib_plannamen", "eib_zekerheid", "eib_ids"]


def check_types(types: Iterable[str] | None, allowed: Iterable[str] = REGISTRY_TYPES) -> list[str]:
    """The requested types (default: the policy types); an InputError naming every unknown one."""
    allowed = list(allowed)
    wanted = list(POLICY_TYPES) if types is None else list(types)
    unknown = [t for t in wanted if t not in allowed]
    if unknown or not wanted:
        msg = f"unknown location type(s) {', '.join(unknown)}; choose from {', '.join(allowed)}"
        nl = f"onbekend(e) locatietype(n) {', '.join(unknown)}; kies uit {', '.join(allowed)}"
        raise InputError(msg, nl)
    return wanted


def policy_planstatus(status: str | None) -> str | None:
    """Planstatus of a policy location from its status text (rule in the module docstring)."""
    text = str(status or "").casefold()
    if re.search(r"onherroepelijk|(?<!niet )vastgesteld", text):
        return "hard"
    if re.search(r"in voorbereiding|ontwerp", text):
        return "zacht"
    return None


def eib_planstatus(code: str | None) -> str | None:
    """Planstatus of an EIB plan from its `Planstatus` code (rule in the module docstring)."""
    first = str(code or "").strip()[:1]
    return {"1": "hard", "2": "hard", "3": "zacht", "4": "zacht"}.get(first)


def _check_columns(frame: pd.DataFrame, required: list[str], path: Path) -> None:
    missing = [c for c in required if c not in frame.columns]
    if missing:
        msg = f"{path}: missing column(s) {', '.join(missing)}"
        raise DataRootError(msg, f"{path}: kolom(men) ontbreken: {', '.join(missing)}")


@lru_cache(maxsize=4)
def _read_policy_csv(path: Path) -> pd.DataFrame:
    frame = pd.read_csv(path, dtype={"gemeentecodes": str, "id": str})
    _check_columns(frame, POLICY_SOURCE_COLUMNS, path)
    duplicates = sorted(set(frame.loc[frame["id"].duplicated(), "id"]))
    if duplicates:
        msg = f"{path}: duplicate id(s) {', '.join(duplicates)}"
        raise DataRootError(msg, f"{path}: dubbele id('s) {', '.join(duplicates)}")
    return frame


@lru_cache(maxsize=4)
def _read_eib(path: Path) -> gpd.GeoDataFrame:
    frame = gpd.read_file(path).to_crs(RD)
    _check_columns(frame, EIB_SOURCE_COLUMNS, path)
    return frame


@lru_cache(maxsize=4)
def _read_links(path: Path) -> pd.DataFrame:
    frame = pd.read_csv(path, dtype=str)
    _check_columns(frame, LINK_SOURCE_COLUMNS, path)
    return frame


def _woningen(frame: pd.DataFrame) -> pd.DataFrame:
    """Integer homes, `woningen_drempel`, and `woningen` (max, else min; NA for a threshold)."""
    frame["woningen_min"] = pd.to_numeric(frame["woningen_min"]).round().astype("Int64")
    frame["woningen_max"] = pd.to_numeric(frame["woningen_max"]).round().astype("Int64")
    frame["woningen_drempel"] = threshold_only(frame) if len(frame) else False
    best = frame["woningen_max"].fillna(frame["woningen_min"])
    frame["woningen"] = best.mask(frame["woningen_drempel"].astype(bool))
    return frame


def _finish(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Common columns: woningen, site columns, area_ha, column order, RangeIndex."""
    frame = _woningen(frame)
    if "programmas" not in frame.columns:
        frame["programmas"] = frame["type"]
    for column in ("binnen", "zelfde_site_als"):
        if column not in frame.columns:
            frame[column] = pd.Series(pd.NA, index=frame.index, dtype=object)
    frame["area_ha"] = frame.geometry.area / 10_000.0
    return location_table(frame, LOCATION_COLUMNS[:-1] + SITE_COLUMNS)


def plan_links(
    table: pd.DataFrame, links: pd.DataFrame, eib: gpd.GeoDataFrame
) -> tuple[pd.Series, pd.DataFrame]:
    """Pure: per policy row (same index as `table`) the union of its linked EIB plan polygons
    (None when not linked) and the `EIB_LINK_COLUMNS`. An unknown OBJECTID is a DataRootError."""
    plans = eib.set_index(eib["OBJECTID"].astype(str))
    by_id = links.set_index("id")
    shapes = pd.Series(None, index=table.index, dtype=object)
    columns = pd.DataFrame(pd.NA, index=table.index, columns=EIB_LINK_COLUMNS, dtype=object)
    for idx, location_id in table["id"].items():
        if location_id not in by_id.index:
            continue
        link = by_id.loc[location_id]
        geometry, missing = plan_union(link["eib_objectids"], plans.geometry)
        if missing:
            msg = f"{LINK_FILE}: {location_id} names unknown EIB OBJECTID(s) {', '.join(missing)}"
            nl = f"{LINK_FILE}: {location_id} noemt onbekende EIB-OBJECTID('s) {', '.join(missing)}"
            raise DataRootError(msg, nl)
        ids = [i.strip() for i in str(link["eib_objectids"]).split(";") if i.strip()]
        part = plans.loc[ids]
        shapes[idx] = geometry
        columns.loc[idx] = [
            int(pd.to_numeric(part["Aantalrest"]).sum()),
            "; ".join(dict.fromkeys(part["Plannaam"].astype(str))),  # a name once per site
            link["zekerheid"],
            ";".join(f"EIB-{i}" for i in ids),
        ]
    columns["eib_woningen"] = columns["eib_woningen"].astype("Int64")
    return shapes, columns


def policy_locations(
    raw: pd.DataFrame,
    gemeenten: gpd.GeoDataFrame,
    density: float,
    links: pd.DataFrame | None = None,
    eib: gpd.GeoDataFrame | None = None,
) -> gpd.GeoDataFrame:
    """Pure: the policy CSV rows as Location table rows, one per site (see `sites`), with
    footprints from linked EIB plan polygons (`links`, `eib`), else indicative ones."""
    table = _woningen(raw.copy())
    plans = None
    if links is not None and eib is not None:
        plans, linked = plan_links(table, links, eib)
        table = table.join(linked)
    frame = footprints(table, gemeenten, density, plans)
    frame["planstatus"] = frame["status"].map(policy_planstatus).astype("string")
    frame = mark_nested(merge_same_sites(frame))
    return _finish(gpd.GeoDataFrame(frame, geometry="geometry", crs=RD))


def eib_locations(raw: gpd.GeoDataFrame, gemeenten: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Pure: EIB plan polygons as Location table rows (gemeente joined by name and provincie)."""
    names = raw[["Gem_naam", "Provincie"]].drop_duplicates().reset_index(drop=True)
    matched = match_names(names["Gem_naam"], gemeenten, names["Provincie"])
    names["gemeentecodes"] = matched["gemeentecode"]
    frame = raw.merge(names, on=["Gem_naam", "Provincie"], how="left")
    lookup = gemeenten.set_index("gemeentecode")
    known = frame["gemeentecodes"].notna()
    frame["gemeenten"] = frame["Gem_naam"].where(
        ~known, frame["gemeentecodes"].map(lookup["gemeente"])
    )
    frame["provincie"] = frame["Provincie"].where(
        ~known, frame["gemeentecodes"].map(lookup["provincie"])
    )
    frame["id"] = "EIB-" + frame["OBJECTID"].astype(str)
    frame["naam"] = frame["Plannaam"]
    frame["type"] = "plancapaciteit"
    frame["woningen_min"] = frame["Aantalrest"]
    frame["woningen_max"] = frame["Aantalrest"]
    frame["planstatus"] = frame["Planstatus"].map(eib_planstatus).astype("string")
    frame["partijen"] = pd.NA
    frame["status"] = frame["Planstatus"]
    frame["bron"] = EIB_BRON
    frame["geometrie_kwaliteit"] = "plan"
    frame = frame.drop(columns=["Provincie", "Shape_Leng", "Shape_Area"], errors="ignore")
    return _finish(gpd.GeoDataFrame(frame, geometry="geometry", crs=RD))


def load_policy_locations(
    types: Iterable[str] | None = None, *, root: Path | None = None
) -> gpd.GeoDataFrame:
    """The 42 policy sites (43 list rows, KL-01/DB-16 merged), optionally filtered by programme:
    a site is listed under every programme in its `programmas`. `root`: the data root (default:
    `paths.data_root()`)."""
    wanted = check_types(types, POLICY_TYPES)
    raw = _read_policy_csv(data_file(POLICY_FILE, root))
    links: pd.DataFrame | None = _read_links(data_file(LINK_FILE, root))
    eib: gpd.GeoDataFrame | None = None
    try:
        eib = _read_eib(data_file(EIB_FILE, root))
    except DataRootError as err:  # e.g. the embedded default data leaves the EIB plans out
        logger.warning("EIB plan polygons unavailable, footprints stay indicative: %s", err.en)
        links = None
    density = settings().density_woningen_per_ha
    frame = policy_locations(raw, load_gemeenten(root), density, links, eib)
    return frame[in_programmes(frame, wanted)].reset_index(drop=True)


def load_eib_plans(*, root: Path | None = None) -> gpd.GeoDataFrame:
    """The 4,348 EIB plan polygons (type "plancapaciteit")."""
    return eib_locations(_read_eib(data_file(EIB_FILE, root)), load_gemeenten(root))


def load_locations(
    types: Iterable[str] | None = None, *, root: Path | None = None
) -> gpd.GeoDataFrame:
    """The Location table for `types` (default: the three policy programmes, 42 sites), read
    from `root` (default: the data root)."""
    wanted = check_types(types)
    parts = []
    if any(t in POLICY_TYPES for t in wanted):
        parts.append(load_policy_locations([t for t in wanted if t in POLICY_TYPES], root=root))
    if "plancapaciteit" in wanted:
        parts.append(load_eib_plans(root=root))
    frame = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    logger.info("%d locations loaded (%s)", len(frame), ", ".join(wanted))
    return gpd.GeoDataFrame(frame, geometry="geometry", crs=RD)

"""`import_file`: a user's file -> Location table rows (type "eigen") and an import report.

Steps: safety checks -> read (one I/O step) -> CRS rule -> to EPSG:28992 -> geometry checks ->
attribute mapping -> gemeenten by overlay with the 2022 gemeenten (skipped with a warning when
the data root is missing). Every failure is an InputError with English and Dutch text; nothing is
changed outside the returned result, so a failed import loses nothing the caller already had.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from locatiescan.errors import DataRootError, InputError
from locatiescan.gemeenten import gemeenten_for_areas, load_gemeenten
from locatiescan.importers import attributes, readers, safety
from locatiescan.importers.crs import RD, RD_RANGE, decide_crs, within
from locatiescan.importers.geometry import check_buffer, clean_geometries
from locatiescan.importers.notes import Note
from locatiescan.location_table import LOCATION_COLUMNS, location_table

logger = logging.getLogger(__name__)

SUMMARY_KEYS = ("features", "crs", "crs_assumed", "repaired", "dropped", "warnings", "name_column")


@dataclass
class ImportReport:
    """What an import found and did; `warnings` in English, `warnings_nl` the same in Dutch."""

    features: int
    crs: str
    crs_assumed: bool
    repaired: int
    repaired_ids: list[str] = field(default_factory=list)
    dropped: int = 0
    warnings: list[str] = field(default_factory=list)
    name_column: str | None = None
    housing_column: str | None = None
    gemeente_column: str | None = None
    layer: str | None = None
    warnings_nl: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        """The CLI's JSON report: exactly the keys of `SUMMARY_KEYS`."""
        full = asdict(self)
        return {key: full[key] for key in SUMMARY_KEYS}


@dataclass
class ImportResult:
    """Cleaned locations (EPSG:28992, Location table columns first) and the report."""

    locations: gpd.GeoDataFrame
    report: ImportReport


def list_layers(path: str | Path, *, original_name: str | None = None) -> list[str]:
    """Layers (or sheets, or Shapefiles in a zip) a user can choose from."""
    path = Path(path)
    name = original_name or path.name
    kind = safety.check_file(path, name)
    return readers.list_layers(path, kind, name)


def _assign_gemeenten(
    frame: gpd.GeoDataFrame, user_column: str | None
) -> tuple[pd.DataFrame, list[Note]]:
    try:
        gemeenten = load_gemeenten()
    except DataRootError as err:
        found = pd.DataFrame(
            pd.NA, index=frame.index, columns=["gemeenten", "gemeentecodes", "provincie"]
        )
        return found, [
            Note(f"gemeenten not assigned: {err.en}", f"gemeenten niet toegekend: {err.nl}")
        ]
    found = gemeenten_for_areas(frame.geometry, gemeenten)
    outside = int(found["gemeentecodes"].isna().sum())
    warnings = (
        [
            Note(
                f"{outside} feature(s) lie outside every Dutch gemeente",
                f"{outside} object(en) liggen buiten alle Nederlandse gemeenten",
            )
        ]
        if outside
        else []
    )
    if user_column is not None:
        found["gemeenten"] = found["gemeenten"].fillna(frame[user_column].astype("string"))
    return found, warnings


def to_locations(
    frame: gpd.GeoDataFrame, ids: list[str], columns: dict[str, str | None], bron: str
) -> gpd.GeoDataFrame:
    """Pure: cleaned features (EPSG:28992, `ids` aligned) as Location table rows of type "eigen"."""
    name_col, housing_col = columns["name"], columns["housing"]
    same = ((columns["id"], "id"), (name_col, "naam"), (housing_col, "woningen"))
    used = {col for col, target in same if col and attributes.column_key(col) == target}
    honoured = attributes.honoured_columns(frame.columns)
    used |= set(honoured.values())
    kept = attributes.rename_reserved(frame.drop(columns=list(used)), LOCATION_COLUMNS)
    woningen = (
        attributes.housing_numbers(frame[housing_col])
        if housing_col
        else pd.Series(pd.NA, index=frame.index, dtype="Int64")
    )
    names = (
        frame[name_col].astype("string")
        if name_col
        else pd.Series(ids, index=frame.index, dtype="string")
    )
    base = pd.DataFrame(
        {
            "id": ids,
            "naam": names.fillna(pd.Series(ids, index=frame.index)),
            "type": "eigen",
            "gemeenten": pd.NA,
            "gemeentecodes": pd.NA,
            "provincie": pd.NA,
            "woningen_min": woningen,
            "woningen_max": woningen,
            "woningen": woningen,
            "planstatus": (
                attributes.planstatus_values(frame[honoured["planstatus"]])[0]
                if "planstatus" in honoured
                else pd.Series(pd.NA, index=frame.index, dtype="string")
            ),
            "partijen": _text_column(frame, honoured.get("partijen")),
            "status": _text_column(frame, honoured.get("status")),
            "bron": bron,
            "geometrie_kwaliteit": "eigen",
            "area_ha": frame.geometry.area / 10_000.0,
        },
        index=frame.index,
    )
    result = pd.concat([base, kept.drop(columns=frame.geometry.name)], axis=1)
    return location_table(gpd.GeoDataFrame(result, geometry=frame.geometry, crs=RD))


def _text_column(frame: pd.DataFrame, column: str | None) -> pd.Series:
    """A user's text column, trimmed, empty as NA (all NA without the column)."""
    if column is None:
        return pd.Series(pd.NA, index=frame.index, dtype="string")
    text = frame[column].astype("string").str.strip()
    return text.where(text != "", pd.NA)


def _planstatus_notes(frame: pd.DataFrame) -> list[Note]:
    """A warning naming the planstatus values that are neither hard nor zacht."""
    column = attributes.honoured_columns(frame.columns).get("planstatus")
    if column is None:
        return []
    _, rejected = attributes.planstatus_values(frame[column])
    if not rejected:
        return []
    listed = ", ".join(repr(v) for v in rejected[:10])
    return [
        Note(
            f"column {column}: planstatus must be hard or zacht; taken as unknown: {listed}",
            f"kolom {column}: planstatus moet hard of zacht zijn; als onbekend genomen: {listed}",
        )
    ]


def import_file(
    path: str | Path,
    *,
    layer: str | None = None,
    buffer_points_m: float | None = None,
    original_name: str | None = None,
) -> ImportResult:
    """Import a user's GeoJSON, GeoPackage, zipped Shapefile, KML, CSV or XLSX file."""
    path = Path(path)
    name = original_name or path.name
    check_buffer(buffer_points_m)
    kind = safety.check_file(path, name)
    raw = readers.read(path, kind, layer, name)

    frame = raw.frame.reset_index(drop=True)
    geoms = frame.geometry
    present = geoms.notna() & ~geoms.is_empty
    if not present.any():
        msg = f"{name}: no features with a geometry"
        raise InputError(msg, f"{name}: geen objecten met een geometrie")
    decision = decide_crs(raw.declared_crs, tuple(geoms[present].total_bounds), raw.format_default)
    frame = frame.set_crs(decision.crs, allow_override=True).to_crs(RD)
    warnings = list(raw.warnings) + ([decision.warning] if decision.warning else [])
    bounds = tuple(frame.geometry[present].total_bounds)
    if not within(bounds, RD_RANGE):
        warnings.append(
            Note(
                "some features lie outside the Netherlands (outside the RD range)",
                "een deel van de objecten ligt buiten Nederland (buiten het RD-bereik)",
            )
        )

    columns = {
        "name": attributes.find_column(frame.columns, attributes.NAME_COLUMNS),
        "housing": attributes.find_column(frame.columns, attributes.HOUSING_COLUMNS),
        "gemeente": attributes.find_column(frame.columns, attributes.GEMEENTE_COLUMNS),
        "id": attributes.find_column(frame.columns, attributes.ID_COLUMNS),
    }
    ids, columns["id"] = attributes.location_ids(frame, columns["id"])
    cleaned = clean_geometries(frame, ids, buffer_points_m)
    kept_ids = [ids[i] for i in cleaned.frame.index]
    locations = to_locations(cleaned.frame, kept_ids, columns, bron=name)
    gemeenten, gemeente_warnings = _assign_gemeenten(
        cleaned.frame.reset_index(drop=True), columns["gemeente"]
    )
    locations[["gemeenten", "gemeentecodes", "provincie"]] = gemeenten.to_numpy()
    notes = warnings + cleaned.warnings + gemeente_warnings + _planstatus_notes(cleaned.frame)
    report = ImportReport(
        features=len(locations),
        crs=decision.crs,
        crs_assumed=decision.assumed,
        repaired=len(cleaned.repaired_ids),
        repaired_ids=cleaned.repaired_ids,
        dropped=cleaned.dropped,
        warnings=[note.en for note in notes],
        warnings_nl=[note.nl for note in notes],
        name_column=columns["name"],
        housing_column=columns["housing"],
        gemeente_column=columns["gemeente"],
        layer=raw.layer,
    )
    logger.info("imported %d locations from %s", len(locations), name)
    return ImportResult(locations, report)

"""Pure conversions between frames and the workspace's stored values (WKB, JSON text)."""

from __future__ import annotations

import io
import json
import math
from collections.abc import Iterator, Mapping
from datetime import date, datetime
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

RD_NEW = "EPSG:28992"
METADATA_COLUMNS = ("import_id", "toegevoegd_door", "toegevoegd_op")


def json_value(value: Any) -> Any:
    """A JSON-ready copy of a cell value; missing (None/NaN/NA) becomes None.

    Raises TypeError for values without an obvious JSON form.
    """
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple | np.ndarray):
        return [json_value(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): json_value(v) for k, v in value.items()}
    msg = f"no JSON form for {type(value).__name__}"
    raise TypeError(msg)


def attribute_json(row: Mapping[str, Any]) -> str:
    """One location's attributes as JSON text; values without a JSON form are kept as text."""
    clean: dict[str, Any] = {}
    for key, value in row.items():
        try:
            clean[str(key)] = json_value(value)
        except TypeError:
            clean[str(key)] = str(value)
    return json.dumps(clean, ensure_ascii=False)


def location_rows(gdf: gpd.GeoDataFrame, ids: list[str]) -> Iterator[tuple[str, bytes, str]]:
    """(location id, WKB in EPSG:28992, attributes JSON) per row of a validated frame."""
    rd = gdf.to_crs(RD_NEW) if not gdf.crs.equals(RD_NEW) else gdf
    wkb = shapely.to_wkb(rd.geometry.values, output_dimension=2)
    attributes = rd.drop(columns=[rd.geometry.name, "id"], errors="ignore")
    for location_id, geometry, record in zip(
        ids, wkb, attributes.to_dict(orient="records"), strict=True
    ):
        yield location_id, geometry, attribute_json(record)


def locations_frame(rows: list[tuple[str, bytes, str, int, str, str]]) -> gpd.GeoDataFrame:
    """Stored rows (id, WKB, attributes, import id, who, at) as a location GeoDataFrame."""
    records = []
    for location_id, _, attributes, import_id, who, at in rows:
        record: dict[str, Any] = {"id": location_id}
        record.update(json.loads(attributes))
        record.update(dict(zip(METADATA_COLUMNS, (import_id, who, at), strict=True)))
        records.append(record)
    frame = pd.DataFrame.from_records(records, columns=None if records else ["id"])
    geometry = shapely.from_wkb([row[1] for row in rows]) if rows else []
    return gpd.GeoDataFrame(frame.infer_objects(), geometry=geometry, crs=RD_NEW)


def frame_to_json(frame: pd.DataFrame) -> str:
    """A frame as JSON text that keeps index, dtypes and missing values."""
    return frame.to_json(orient="table", date_format="iso", force_ascii=False)


def frame_from_json(text: str) -> pd.DataFrame:
    """The inverse of `frame_to_json`."""
    return pd.read_json(io.StringIO(text), orient="table")

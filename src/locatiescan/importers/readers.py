"""Reading user files into a GeoDataFrame with the CRS the file declares (I/O).

GeoJSON, GeoPackage, KML and Shapefiles go through `gate.read_vector` (one GDAL driver per
format, content verified first); a zipped Shapefile is checked and unpacked first (`safety`). CSV and XLSX are tables whose geometry comes from a WKT column or coordinate columns
(lon/lat or RD x/y, Dutch and English names, see `attributes`). CSV text is decoded as UTF-8
(with or without BOM), else as cp1252 with a warning, else refused; `;`-separated files may use
decimal commas. Files with several layers (GeoPackage, KML, zips with several .shp, workbooks with
several filled sheets) need a layer choice; without one the error lists the layers.
Limits from settings bound the work: `max_features` rows/features, `max_xlsx_cells` cells read
from a workbook (streamed, never loaded whole), `max_vertices_*` (see `geometry.check_vertices`).
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from locatiescan.errors import InputError
from locatiescan.importers import attributes, gate, safety
from locatiescan.importers.geometry import check_vertices
from locatiescan.importers.notes import Note
from locatiescan.settings import settings

ENCODINGS = ("utf-8-sig", "cp1252")
DELIMITERS = ",;\t|"
SNIFF_CHARS = 16_384
FORMAT_DEFAULT_GEOJSON = "EPSG:4326"


@dataclass
class RawLayer:
    """Features as read, before the CRS rule: `declared_crs` is None when the file names none."""

    frame: gpd.GeoDataFrame
    declared_crs: object | None
    layer: str | None = None
    format_default: str | None = None
    warnings: list[Note] = field(default_factory=list)


@contextmanager
def user_file_errors(name: str) -> Iterator[None]:
    """Turn any failure while parsing a user's file into an InputError (no tracebacks for users)."""
    try:
        yield
    except InputError:
        raise
    except Exception as err:
        cause = f"{type(err).__name__}: {err}"
        msg = f"{name}: cannot be read, the file is damaged or not what its name says ({cause})"
        nl = f"{name}: kan niet worden gelezen, beschadigd of niet wat de naam zegt ({err})"
        raise InputError(msg, nl) from err


def choose_layer(layers: list[str], layer: str | None, name: str) -> str:
    """The requested layer, or the only one; an InputError listing the layers otherwise."""
    if layer is not None:
        if layer not in layers:
            msg = f"{name}: no layer {layer!r}; layers: {', '.join(layers)}"
            raise InputError(msg, f"{name}: geen laag {layer!r}; lagen: {', '.join(layers)}")
        return layer
    if len(layers) == 1:
        return layers[0]
    if not layers:
        msg = f"{name}: the file contains no layers with features"
        raise InputError(msg, f"{name}: het bestand bevat geen lagen met objecten")
    msg = f"{name}: the file has {len(layers)} layers, choose one with --layer: {', '.join(layers)}"
    nl = f"{name}: het bestand heeft {len(layers)} lagen, kies er één: {', '.join(layers)}"
    raise InputError(msg, nl)


def _shapefiles(folder: Path) -> dict[str, Path]:
    found = sorted(
        p for p in folder.rglob("*") if p.suffix.casefold() == ".shp" and "__MACOSX" not in p.parts
    )
    return {p.relative_to(folder).with_suffix("").as_posix(): p for p in found}


def _filled(row: tuple[object, ...]) -> bool:
    return any(cell is not None and str(cell).strip() != "" for cell in row)


def _sheets(path: Path) -> list[str]:
    """Sheets of a workbook that hold at least one row below the header (read streaming)."""
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        return [
            sheet.title
            for sheet in book.worksheets
            if any(_filled(row) for row in sheet.iter_rows(min_row=2, max_row=2, values_only=True))
        ]
    finally:
        book.close()


def _unique(header: list[str]) -> list[str]:
    """Column names made unique the way pandas does it (`a`, `a.1`, ...)."""
    seen: dict[str, int] = {}
    names = []
    for column in header:
        count = seen.get(column, 0)
        names.append(column if count == 0 else f"{column}.{count}")
        seen[column] = count + 1
    return names


def _too_many_cells(name: str, sheet: str, limit: int) -> InputError:
    msg = f"{name}: sheet {sheet} has more than {limit} cells (max_xlsx_cells)"
    return InputError(msg, f"{name}: blad {sheet} heeft meer dan {limit} cellen (max_xlsx_cells)")


def _sheet_table(path: Path, sheet: str, name: str) -> pd.DataFrame:
    """A sheet as a table, read row by row; refused above `max_xlsx_cells` or `max_features`."""
    import openpyxl

    cell_limit, row_limit = settings().max_xlsx_cells, settings().max_features
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        worksheet = book[sheet]
        declared = (worksheet.max_row or 0) * (worksheet.max_column or 0)  # <dimension>, may lie
        if declared > cell_limit:
            raise _too_many_cells(name, sheet, cell_limit)
        rows: list[tuple[object, ...]] = []
        cells = 0
        for row in worksheet.iter_rows(values_only=True):
            cells += len(row)
            if cells > cell_limit:  # the dimension understated the sheet
                raise _too_many_cells(name, sheet, cell_limit)
            rows.append(row)
            if len(rows) > row_limit + 1:
                gate.check_feature_count(len(rows) - 1, name)
    finally:
        book.close()
    if not rows:
        return pd.DataFrame()
    width = max((i + 1 for row in rows for i, v in enumerate(row) if v is not None), default=0)
    header = [str(v) if v is not None else f"Unnamed: {i}" for i, v in enumerate(rows[0][:width])]
    body = [list(row[:width]) + [None] * (width - len(row)) for row in rows[1:]]
    table = pd.DataFrame(body, columns=_unique(header)).dropna(how="all")
    return table.infer_objects()


def list_layers(path: Path, kind: str, name: str) -> list[str]:
    """Layer names a user can choose from (the file name for single-layer formats)."""
    with user_file_errors(name):
        if kind in ("gpkg", "kml"):
            return gate.list_layers(path, kind, name)
        if kind == "shapezip":
            with tempfile.TemporaryDirectory() as tmp:
                safety.extract_zip(path, Path(tmp), name)
                return list(_shapefiles(Path(tmp)))
        if kind == "xlsx":
            safety.open_zip(path, name).close()
            return _sheets(path)
        return [Path(name).stem]


def _read_ogr(path: Path, kind: str, layer: str | None, name: str) -> gpd.GeoDataFrame:
    with user_file_errors(name):
        frame = gate.read_vector(path, kind, layer, name)
    if not isinstance(frame, gpd.GeoDataFrame):
        msg = f"{name}: the layer {layer or ''} has no geometry column"
        raise InputError(msg, f"{name}: de laag {layer or ''} heeft geen geometriekolom")
    return frame


def _geojson_declares_crs(path: Path, name: str) -> bool:
    with user_file_errors(name):
        document = json.loads(path.read_bytes().decode("utf-8-sig"))
    if not isinstance(document, dict) or document.get("type") not in (
        "FeatureCollection",
        "Feature",
    ):
        msg = f"{name}: valid JSON, but not a GeoJSON FeatureCollection or Feature"
        raise InputError(
            msg, f"{name}: geldige JSON, maar geen GeoJSON FeatureCollection of Feature"
        )
    return "crs" in document


def decode_text(data: bytes, name: str) -> tuple[str, list[Note]]:
    """Text of a CSV: UTF-8 (BOM allowed), else cp1252 with a warning, else an InputError."""
    for encoding in ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding == ENCODINGS[0]:
            return text, []
        return text, [
            Note(
                f"{name}: not UTF-8, read as {encoding} (Windows)",
                f"{name}: geen UTF-8, gelezen als {encoding} (Windows)",
            )
        ]
    msg = f"{name}: unknown text encoding (tried UTF-8 and cp1252); save the file as UTF-8"
    nl = f"{name}: onbekende tekstcodering (UTF-8 en cp1252 geprobeerd); sla op als UTF-8"
    raise InputError(msg, nl)


def _sniff_delimiter(text: str) -> str:
    try:
        return csv.Sniffer().sniff(text[:SNIFF_CHARS], delimiters=DELIMITERS).delimiter
    except csv.Error:
        return ","


def _numeric(values: pd.Series, decimal_comma: bool) -> pd.Series:
    """Column as numbers when every filled cell is one, else unchanged."""
    text = values.astype("string").str.strip()
    if decimal_comma:
        text = text.str.replace(",", ".", regex=False)
    numbers = pd.to_numeric(text, errors="coerce")
    filled = text.notna() & (text != "")
    return numbers if filled.any() and numbers[filled].notna().all() else values


def table_to_frame(table: pd.DataFrame, name: str, decimal_comma: bool = False) -> gpd.GeoDataFrame:
    """Pure: a table with a WKT column or coordinate columns as a GeoDataFrame without CRS."""
    if table.empty:
        msg = f"{name}: the table has no rows"
        raise InputError(msg, f"{name}: de tabel heeft geen rijen")
    table = table.dropna(how="all").reset_index(drop=True)
    wkt = attributes.find_column(table.columns, attributes.WKT_COLUMNS)
    pairs = [
        (
            attributes.find_column(table.columns, attributes.LON_COLUMNS, partial=True),
            attributes.find_column(table.columns, attributes.LAT_COLUMNS, partial=True),
        ),
        (
            attributes.find_column(table.columns, attributes.X_COLUMNS),
            attributes.find_column(table.columns, attributes.Y_COLUMNS),
        ),
    ]
    coords = next(((x, y) for x, y in pairs if x and y), None)
    if wkt is not None:
        text = table[wkt].astype("string").str.strip()
        blank = text.isna() | (text == "")
        cells = [None if empty else str(value) for value, empty in zip(text, blank, strict=True)]
        geometry = shapely.from_wkt(cells, on_invalid="ignore")
        bad = [str(i + 2) for i in table.index[pd.isna(geometry) & ~blank]]
        if bad:
            msg = (
                f"{name}: column {wkt!r} holds text that is not WKT in row(s) {', '.join(bad[:10])}"
            )
            rows = ", ".join(bad[:10])
            nl = f"{name}: kolom {wkt!r} bevat tekst die geen WKT is in rij(en) {rows}"
            raise InputError(msg, nl)
        return gpd.GeoDataFrame(table.drop(columns=wkt), geometry=list(geometry), crs=None)
    if coords is not None:
        x, y = (pd.to_numeric(_numeric(table[c], decimal_comma), errors="coerce") for c in coords)
        bad = [
            str(i + 2)
            for i in table.index[
                (x.isna() | y.isna()) & (table[coords[0]].notna() | table[coords[1]].notna())
            ]
        ]
        if bad:
            cols, rows = f"{coords[0]!r}/{coords[1]!r}", ", ".join(bad[:10])
            msg = f"{name}: columns {cols} are not numbers in row(s) {rows}"
            nl = f"{name}: kolommen {cols} bevatten geen getallen in rij(en) {rows}"
            raise InputError(msg, nl)
        points = [
            shapely.Point(a, b) if pd.notna(a) and pd.notna(b) else None
            for a, b in zip(x, y, strict=True)
        ]
        return gpd.GeoDataFrame(table, geometry=points, crs=None)
    expected = "WKT (" + ", ".join(attributes.WKT_COLUMNS) + "), lon/lat, or x/y (RD)"
    found = ", ".join(map(str, table.columns))
    msg = f"{name}: no geometry column found; expected {expected}. Columns: {found}"
    nl = f"{name}: geen geometriekolom gevonden; verwacht {expected}. Kolommen: {found}"
    raise InputError(msg, nl)


def _read_csv(path: Path, name: str) -> RawLayer:
    text, warnings = decode_text(path.read_bytes(), name)
    delimiter = _sniff_delimiter(text)
    limit = settings().max_features
    with user_file_errors(name):
        table = pd.read_csv(
            io.StringIO(text), sep=delimiter, dtype=str, skipinitialspace=True, nrows=limit + 1
        )
    if len(table) > limit:
        gate.check_feature_count(len(table), name)  # "more than": reading stopped at limit + 1
    table = table.apply(lambda col: _numeric(col, delimiter == ";"))
    frame = table_to_frame(table, name, decimal_comma=delimiter == ";")
    return RawLayer(frame, declared_crs=None, warnings=warnings)


def _read_xlsx(path: Path, layer: str | None, name: str) -> RawLayer:
    safety.open_zip(path, name).close()
    with user_file_errors(name):
        sheet = choose_layer(_sheets(path), layer, name)
        table = _sheet_table(path, sheet, name)
    return RawLayer(table_to_frame(table, name), declared_crs=None, layer=sheet)


def _read_shapezip(path: Path, layer: str | None, name: str) -> RawLayer:
    with tempfile.TemporaryDirectory() as tmp:
        safety.extract_zip(path, Path(tmp), name)
        shapefiles = _shapefiles(Path(tmp))
        if not shapefiles:
            msg = f"{name}: the zip contains no Shapefile (.shp)"
            raise InputError(msg, f"{name}: de zip bevat geen Shapefile (.shp)")
        chosen = choose_layer(list(shapefiles), layer, name)
        shp = shapefiles[chosen]
        siblings = {p.suffix.casefold() for p in shp.parent.glob(shp.stem + ".*")}
        missing = [ext for ext in (".shx", ".dbf") if ext not in siblings]
        if missing:
            msg = f"{name}: Shapefile {chosen} is incomplete, missing {', '.join(missing)}"
            raise InputError(
                msg, f"{name}: Shapefile {chosen} is onvolledig, ontbreekt {', '.join(missing)}"
            )
        frame = _read_ogr(shp, "shp", None, name)
        declared = frame.crs if ".prj" in siblings else None
    return RawLayer(frame, declared_crs=declared, layer=chosen)


def read(path: Path, kind: str, layer: str | None, name: str) -> RawLayer:
    """Read a checked file of `kind` (see `safety.KINDS`); the vertex limits are applied."""
    raw = _read(path, kind, layer, name)
    with user_file_errors(name):
        check_vertices(raw.frame.geometry, name)
    return raw


def _read(path: Path, kind: str, layer: str | None, name: str) -> RawLayer:
    if kind == "csv":
        return _read_csv(path, name)
    if kind == "xlsx":
        return _read_xlsx(path, layer, name)
    if kind == "shapezip":
        return _read_shapezip(path, layer, name)
    if kind == "geojson":
        declares = _geojson_declares_crs(path, name)
        frame = _read_ogr(path, kind, None, name)
        return RawLayer(
            frame,
            declared_crs=frame.crs if declares else None,
            format_default=None if declares else FORMAT_DEFAULT_GEOJSON,
        )
    with user_file_errors(name):
        chosen = choose_layer(gate.list_layers(path, kind, name), layer, name)
    frame = _read_ogr(path, kind, chosen, name)
    return RawLayer(frame, declared_crs=frame.crs, layer=chosen)

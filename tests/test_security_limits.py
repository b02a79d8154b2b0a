"""Limits that bound time and memory, and bad zips: each refused promptly with exit 2, the limit
named, an English and a Dutch line (settings.yaml: max_features, max_xlsx_cells, ...)."""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

import openpyxl

from locatiescan.settings import settings
from support_cli import cli

PROMPT_S = 60.0


def square(i: int) -> str:
    x, y = 100000 + (i % 1000) * 20, 450000 + (i // 1000) * 20
    return f"POLYGON(({x} {y},{x + 10} {y},{x + 10} {y + 10},{x} {y + 10},{x} {y}))"


def refused(monkeypatch, capsys, path: Path, *words: str) -> str:
    started = time.monotonic()
    code, _out, err = cli(monkeypatch, capsys, "import", str(path))
    assert time.monotonic() - started < PROMPT_S
    assert code == 2, err
    assert "Traceback" not in err and "internal error" not in err
    assert len([line for line in err.splitlines() if line.strip()]) >= 2  # English + Dutch
    for word in words:
        assert word in err
    return err


def test_csv_just_over_max_features(monkeypatch, capsys, tmp_path) -> None:
    limit = settings().max_features  # 50,000 in settings.yaml
    path = tmp_path / "vlakken.csv"
    rows = "\n".join(f"V{i},{square(i)}" for i in range(limit + 1))
    path.write_text("naam,wkt\n" + rows + "\n", encoding="utf-8")
    err = refused(monkeypatch, capsys, path, "max_features", f"{limit + 1} objecten")
    assert "meer dan de grens" in err


def _wide_workbook(path: Path, rows: int, columns: int, *, honest: bool) -> Path:
    """`rows` x `columns` cells; not `honest`: the sheet's <dimension> claims one cell."""
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("blad")
    sheet.append(["wkt", *(f"k{i}" for i in range(columns - 1))])
    for i in range(rows - 1):
        sheet.append([square(i), *range(columns - 1)])
    book.save(path)
    if not honest:
        with zipfile.ZipFile(path) as source:
            parts = {name: source.read(name) for name in source.namelist()}
        sheet_part = next(n for n in parts if n.startswith("xl/worksheets/"))
        xml = parts[sheet_part]
        start = xml.find(b"<dimension")
        if start >= 0:
            end = xml.find(b"/>", start) + 2
            xml = xml[:start] + b'<dimension ref="A1"/>' + xml[end:]
        parts[sheet_part] = xml
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
            for name, data in parts.items():
                target.writestr(name, data)
    return path


def test_xlsx_just_over_max_xlsx_cells(monkeypatch, capsys, tmp_path) -> None:
    limit = settings().max_xlsx_cells  # 500,000 in settings.yaml
    columns = 100
    rows = limit // columns + 1  # 5,001 rows x 100 columns = 500,100 cells
    honest = _wide_workbook(tmp_path / "breed.xlsx", rows, columns, honest=True)
    refused(monkeypatch, capsys, honest, "max_xlsx_cells", "cellen")
    lying = _wide_workbook(tmp_path / "liegt.xlsx", rows, columns, honest=False)
    refused(monkeypatch, capsys, lying, "max_xlsx_cells")  # counted while streaming


def test_geometry_over_max_vertices_per_geometry(monkeypatch, capsys, tmp_path) -> None:
    limit = settings().max_vertices_per_geometry
    n = limit + 1  # a closed ring of n vertices, the first repeated at the end
    ring = ",".join(f"{100000 + i * 0.01} {450000 + (i % 2)}" for i in range(n - 1))
    path = tmp_path / "groot.csv"
    path.write_text(f'naam,wkt\nA,"POLYGON(({ring},100000 450000))"\n', encoding="utf-8")
    refused(monkeypatch, capsys, path, "max_vertices_per_geometry")


def test_geometry_collection_of_points_is_refused(monkeypatch, capsys, tmp_path) -> None:
    path = tmp_path / "punten.geojson"
    path.write_text(
        '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {},'
        ' "geometry": {"type": "GeometryCollection", "geometries": ['
        '{"type": "Point", "coordinates": [5.1, 52.1]},'
        '{"type": "Point", "coordinates": [5.2, 52.2]}]}}]}',
        encoding="utf-8",
    )
    refused(monkeypatch, capsys, path, "points or lines", "punten of lijnen")


def _zip(path: Path, name: str = "a.shp", data: bytes = b"x" * 100) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr(name, data)
    return path


def _patch_member(path: Path, local_offset: int, central_offset: int, value: int) -> None:
    """Set a 2-byte field of the (only) member in its local and central header."""
    data = bytearray(path.read_bytes())
    local, central = data.find(b"PK\x03\x04"), data.find(b"PK\x01\x02")
    data[local + local_offset : local + local_offset + 2] = value.to_bytes(2, "little")
    data[central + central_offset : central + central_offset + 2] = value.to_bytes(2, "little")
    path.write_bytes(bytes(data))


def test_encrypted_member(monkeypatch, capsys, tmp_path) -> None:
    path = _zip(tmp_path / "geheim.zip")
    _patch_member(path, 6, 8, 0x1)  # general purpose flag bit 0: encrypted (password)
    refused(monkeypatch, capsys, path, "encrypted", "versleutelde")


def test_deflate64_member(monkeypatch, capsys, tmp_path) -> None:
    path = _zip(tmp_path / "deflate64.zip")
    _patch_member(path, 8, 10, 9)  # compression method 9 = deflate64
    refused(monkeypatch, capsys, path, "deflate64", "method 9")


def test_over_long_member_name(monkeypatch, capsys, tmp_path) -> None:
    path = _zip(tmp_path / "lang.zip", name="a" * 300 + ".shp")
    refused(monkeypatch, capsys, path, "over-long names", "te lange namen")

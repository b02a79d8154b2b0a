"""Atomic outputs: a failed command leaves an existing output file byte-identical; the CSV of
`screen` carries each layer's provenance and fallback warning."""

from __future__ import annotations

import csv

import geopandas as gpd
import pytest
from shapely.geometry import box

from locatiescan.atomic import atomic_write
from support_cli import cli


def test_failed_import_leaves_the_output_byte_identical(monkeypatch, capsys, tmp_path) -> None:
    good = tmp_path / "a.geojson"
    gpd.GeoDataFrame(
        {"naam": ["A"]}, geometry=[box(143000, 484700, 143100, 484800)], crs="EPSG:28992"
    ).to_file(good)
    out = tmp_path / "k.gpkg"
    code, _, err = cli(monkeypatch, capsys, "import", str(good), "--out", str(out))
    assert code == 0, err
    before = out.read_bytes()
    bad = tmp_path / "b.geojson"
    bad.write_text('{"type": "FeatureCollection", "features": [', encoding="utf-8")
    code, _, err = cli(monkeypatch, capsys, "import", str(bad), "--out", str(out))
    assert code == 2
    assert out.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".k.gpkg")] == []


def test_atomic_write_keeps_the_old_file_when_writing_fails(tmp_path) -> None:
    target = tmp_path / "rapport.pdf"
    target.write_bytes(b"oud")

    with pytest.raises(OSError), atomic_write(target) as handle:
        handle.write(b"nieu")
        raise OSError("disk full (test)")
    assert target.read_bytes() == b"oud"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rapport.pdf"]


def test_screen_csv_keeps_provenance_and_fallback_warning(monkeypatch, capsys, tmp_path) -> None:
    out = tmp_path / "screening.csv"
    code, _, err = cli(
        monkeypatch, capsys, "screen", "--type", "koploper", "--layers", "natura2000",
        "--offline", "--format", "csv", "--out", str(out),
    )  # fmt: skip
    assert code == 0, err
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert rows and rows[0]["natura2000.bron"].startswith("snapshot 2026-08-04: ")
    assert "offline snapshot van 2026-08-04 gebruikt" in rows[0]["natura2000.waarschuwing"]
    assert "Offline gewerkt" in rows[0]["natura2000.waarschuwing"]

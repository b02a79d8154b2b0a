"""The real `locatiescan` console script: `locations` and `import`, exit codes 0 / 1 / 2."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import pyogrio
import pytest

from support_files import BOW_TIE, RD_SQUARE, geojson

SCRIPT = Path(sys.executable).with_name("locatiescan")
ISSUE_KEYS = ["features", "crs", "crs_assumed", "repaired", "dropped", "warnings", "name_column"]


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [str(SCRIPT), *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, **(env or {})},
    )
    assert "Traceback" not in result.stderr
    return result


def test_locations_json_lists_the_43_policy_locations() -> None:
    result = run("locations", "--format", "json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert len(rows) == 43
    assert list(rows[0]) == [
        "id",
        "naam",
        "type",
        "gemeenten",
        "woningen",
        "geometrie_kwaliteit",
        "area_ha",
    ]
    kl01 = next(r for r in rows if r["id"] == "KL-01")
    assert (
        kl01["woningen"] == 5800
        and kl01["area_ha"] == 145.0
        and kl01["geometrie_kwaliteit"] == "indicatief"
    )
    assert next(r for r in rows if r["id"] == "KL-05")["woningen"] is None


def test_locations_filtered_by_type_as_csv() -> None:
    result = run("locations", "--type", "koploper", "--type", "plancapaciteit", "--format", "csv")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines[0] == "id,naam,type,gemeenten,woningen,geometrie_kwaliteit,area_ha"
    assert (
        len(lines) == 1 + 5 + 4348
        and lines[1].startswith("KL-01,")
        and lines[-1].startswith("EIB-")
    )


def test_unknown_type_exits_2_with_both_languages() -> None:
    result = run("locations", "--type", "bogus")
    assert result.returncode == 2, result.stderr
    assert "unknown location type" in result.stderr and "onbekend(e) locatietype" in result.stderr


def test_import_reports_exactly_the_issue_keys_and_writes_gpkg(tmp_path: Path) -> None:
    path = geojson(
        tmp_path / "plan.geojson",
        [RD_SQUARE, BOW_TIE, None],
        [{"naam": "A"}, {"naam": "B"}, {"naam": "C"}],
    )
    out = tmp_path / "schoon.gpkg"
    result = run("import", str(path), "--format", "json", "--out", str(out))
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert list(report) == ISSUE_KEYS
    assert report["features"] == 2 and report["repaired"] == 1 and report["dropped"] == 1
    assert (
        report["crs"] == "EPSG:28992"
        and report["crs_assumed"] is True
        and report["name_column"] == "naam"
    )
    assert [row[0] for row in pyogrio.list_layers(out)] == ["locaties"]
    written = gpd.read_file(out)
    assert list(written["id"]) == ["EIGEN-1", "EIGEN-2"] and set(
        written["geometrie_kwaliteit"]
    ) == {"eigen"}
    assert written.crs.to_epsg() == 28992


def test_import_layer_choice_and_point_buffer(tmp_path: Path) -> None:
    path = tmp_path / "twee.gpkg"
    gpd.GeoDataFrame({"naam": ["a"]}, geometry=[RD_SQUARE], crs=28992).to_file(path, layer="een")
    gpd.GeoDataFrame({"naam": ["b"]}, geometry=[RD_SQUARE.centroid], crs=28992).to_file(
        path, layer="punten"
    )
    missing_layer = run("import", str(path))
    assert (
        missing_layer.returncode == 2
        and "een, punten" in missing_layer.stderr
        and "kies" in missing_layer.stderr
    )
    points = run("import", str(path), "--layer", "punten")
    assert points.returncode == 2 and "--buffer-points" in points.stderr
    buffered = run(
        "import", str(path), "--layer", "punten", "--buffer-points", "50", "--format", "table"
    )
    assert buffered.returncode == 0, buffered.stderr
    assert "buffered by 50 m" in buffered.stdout


@pytest.mark.parametrize(
    ("name", "content", "extra", "expected"),
    [
        ("leeg.geojson", b"", [], "het bestand is leeg"),
        ("plan.geojson", None, ["--out", "uit.shp"], "--out moet eindigen op .gpkg"),
    ],
)
def test_bad_input_exits_2_with_a_dutch_message(
    tmp_path: Path, name: str, content: bytes | None, extra: list, expected: str
) -> None:
    path = tmp_path / name
    if content is None:
        geojson(path, [RD_SQUARE])
    else:
        path.write_bytes(content)
    result = run("import", str(path), *extra)
    assert result.returncode == 2, result.stderr
    assert expected in result.stderr and result.stdout == ""


def test_missing_data_file_exits_1(tmp_path: Path) -> None:
    result = run("locations", env={"LOCATIESCAN_DATA": str(tmp_path)})
    assert (
        result.returncode == 1 and "locaties.csv" in result.stderr and "ontbreekt" in result.stderr
    )

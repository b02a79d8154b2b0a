"""The real `locatiescan` console script: `locations` and `import`, exit codes 0 / 1 / 2."""

from __future__ import annotations

import csv
import io
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
LIST_COLUMNS = [
    "id", "naam", "type", "programmas", "gemeenten", "woningen_min", "woningen_max", "woningen",
    "woningen_drempel", "binnen", "zelfde_site_als", "geometrie_kwaliteit", "area_ha",
    "eib_woningen", "eib_plannamen", "eib_zekerheid",
]  # fmt: skip
CSV_COLUMNS = [*LIST_COLUMNS[:9], "woningen_tekst", *LIST_COLUMNS[9:]]
ISSUE_KEYS = ["features", "crs", "crs_assumed", "repaired", "dropped", "warnings", "name_column"]


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [str(SCRIPT), *args],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
    )
    assert "Traceback" not in result.stderr
    return result


def test_locations_json_lists_the_42_policy_sites_and_an_honest_total(tmp_path: Path) -> None:
    result = run("locations", "--format", "json", env=no_workspace(tmp_path))
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert list(doc) == ["locaties", "woningen_totaal"]
    rows = doc["locaties"]
    assert len(rows) == 42  # 43 list rows, KL-01 and DB-16 are one site
    assert list(rows[0]) == LIST_COLUMNS
    kl01 = next(r for r in rows if r["id"] == "KL-01")
    # EIB 1049 + 1051: 138.03 ha; policy homes 5,000-5,800 next to EIB's 2,900
    assert (kl01["woningen"], kl01["area_ha"], kl01["geometrie_kwaliteit"]) == (
        5800,
        138.03,
        "planpolygonen",
    )
    assert kl01["eib_woningen"] == 2900 and kl01["programmas"] == "koploper;doorbraak"
    assert next(r for r in rows if r["id"] == "KL-05")["woningen"] is None
    assert not (tmp_path / "ws.sqlite").exists()  # listing never creates a workspace
    # 513,655 known / 543,355 at least (hand sums in test_sites.py)
    assert (doc["woningen_totaal"]["bekend"], doc["woningen_totaal"]["ten_minste"]) == (
        513_655,
        543_355,
    )


def test_doorbraak_listing_shows_plan_polygons_and_purmerend_once(tmp_path: Path) -> None:
    result = run("locations", "--type", "doorbraak", "--format", "json", env=no_workspace(tmp_path))
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    by_id = {r["id"]: r for r in doc["locaties"]}
    # EIB 2020: Almere Pampus 637.9 ha, Oosterwold fase 1 + 2 3,912.4 ha (locaties_eib_koppeling)
    assert by_id["DB-05"]["geometrie_kwaliteit"] == by_id["DB-04"]["geometrie_kwaliteit"]
    assert by_id["DB-05"]["geometrie_kwaliteit"] == "planpolygonen"
    assert by_id["DB-05"]["area_ha"] == pytest.approx(637.9, rel=0.01)
    assert by_id["DB-04"]["area_ha"] == pytest.approx(3912, rel=0.01)
    purmerend = [r for r in doc["locaties"] if r["naam"] == "Purmerend-Oostflank"]
    assert len(purmerend) == 1 and purmerend[0]["programmas"] == "koploper;doorbraak"
    assert by_id["DB-06"]["woningen"] is None and by_id["DB-06"]["woningen_drempel"] is True
    total = doc["woningen_totaal"]
    # 112,300 known; 99,500 + 18 x 2,500 = 144,500 at least (see test_sites.py)
    assert (total["bekend"], total["ten_minste"], total["locaties_geteld"]) == (
        112_300,
        144_500,
        23,
    )
    assert "één keer geteld" in total["toelichting"]


def test_locations_filtered_by_type_as_csv(tmp_path: Path) -> None:
    result = run(
        "locations",
        "--type",
        "koploper",
        "--type",
        "plancapaciteit",
        "--format",
        "csv",
        env=no_workspace(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines[0] == ",".join(CSV_COLUMNS)
    assert (
        len(lines) == 1 + 5 + 4348
        and lines[1].startswith("KL-01,")
        and lines[-1].startswith("EIB-")
    )
    # stdout stays plain CSV; the honest total (each site once) is on stderr
    assert result.stderr.startswith("Totaal: ") and "één keer geteld" in result.stderr


def test_doorbraak_csv_and_table_show_homes_as_people_read_them(tmp_path: Path) -> None:
    env = no_workspace(tmp_path)
    csv_run = run("locations", "--type", "doorbraak", "--format", "csv", env=env)
    assert csv_run.returncode == 0, csv_run.stderr
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(csv_run.stdout))}
    # DB-10 Ede/Wageningen: only the doorbraak threshold (2,500) is known, never a count
    assert (rows["DB-10"]["woningen"], rows["DB-10"]["woningen_tekst"]) == ("", "≥ 2.500")
    assert rows["DB-03"]["woningen_tekst"] == "63.000–75.000"  # a range
    assert rows["KL-01"]["woningen_tekst"] == "5.000–5.800"
    assert rows["KL-01"]["programmas"] == "koploper;doorbraak" and "DB-16" not in rows
    # 5 known sites: 5,800 + 5,000 + 6,500 + 75,000 + 20,000 = 112,300; 18 thresholds only;
    # at least 99,500 + 18 x 2,500 = 144,500 (see test_sites.py); 23 sites counted once
    total = (
        "Totaal: 112.300 woningen bekend (5 locaties); ten minste 144.500 woningen; "
        "18 locaties alleen ≥ 2.500 — elke locatie één keer geteld (23 locaties)"
    )
    assert csv_run.stderr.strip() == total

    table_run = run("locations", "--type", "doorbraak", env=env)
    assert table_run.returncode == 0, table_run.stderr
    lines = table_run.stdout.rstrip().splitlines()
    assert lines[0].split() == [
        "id", "naam", "programmas", "gemeenten", "woningen", "binnen", "zelfde_site_als",
        "geometrie_kwaliteit", "area_ha",
    ]  # fmt: skip
    db10 = next(line for line in lines if line.startswith("DB-10 "))
    assert "≥ 2.500" in db10 and "gemeente" in db10 and "<NA>" not in table_run.stdout
    kl01 = next(line for line in lines if line.startswith("KL-01 "))
    assert "koploper;doorbraak" in kl01 and "5.000–5.800" in kl01 and "DB-16" in kl01
    assert lines[-2] == "" and lines[-1] == total  # the total line under the table
    assert not (tmp_path / "ws.sqlite").exists()


def no_workspace(tmp_path: Path) -> dict[str, str]:
    """Environment with a workspace path that does not exist (no stored outlines)."""
    return {"LOCATIESCAN_WORKSPACE": str(tmp_path / "ws.sqlite")}


def test_a_folder_as_workspace_exits_2_and_history_needs_no_workspace(tmp_path: Path) -> None:
    result = run("locations", "--workspace", str(tmp_path))
    assert result.returncode == 2 and result.stdout == ""
    assert "is a folder" in result.stderr and "is een map" in result.stderr
    absent = tmp_path / "ws.sqlite"
    result = run("locations", "geometry-history", "DB-03", "--workspace", str(absent))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "geen eigen omtrek opgeslagen voor DB-03"
    result = run(
        "locations", "geometry-history", "DB-03", "--workspace", str(absent), "--format", "json"
    )
    assert json.loads(result.stdout) == [] and not absent.exists()


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

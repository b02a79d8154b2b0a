"""`locatiescan layers` and `locatiescan fetch`: the console script in a subprocess, and its
entry point `run()` in-process (same exit-code mapping, no interpreter start) for quick cases."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import pytest

from locatiescan.cli import main
from support_servers import MapServer

CLI = Path(sys.executable).with_name("locatiescan")
SMALL_BBOX = "120000,470000,160000,500000"  # 9 Natura 2000 areas intersect it
B_LAYERS = {
    "natura2000",
    "netcongestie",
    "gemeenten",
    "primaire_waterkeringen",
    "dijkringen",
    "liwo_doorbraaklocaties",
}


def run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = os.environ | {"LOCATIESCAN_WORKSPACE": str(tmp_path / "ws" / "locatiescan.sqlite")}
    return subprocess.run(
        [str(CLI), *args], capture_output=True, text=True, env=env, timeout=300, check=False
    )


def run_entry_point(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path, *args: str
) -> tuple[int, str, str]:
    """`main.run()` as the console script calls it: exit code, stdout, stderr."""
    monkeypatch.setenv("LOCATIESCAN_WORKSPACE", str(tmp_path / "ws" / "locatiescan.sqlite"))
    monkeypatch.setattr(sys, "argv", ["locatiescan", *args])
    with pytest.raises(SystemExit) as caught:
        main.run()
        sys.exit(0)
    captured = capsys.readouterr()
    return int(caught.value.code or 0), captured.out, captured.err


def test_layers_json_lists_catalog_with_snapshot_dates(tmp_path: Path) -> None:
    result = run(tmp_path, "layers", "--format", "json")
    assert result.returncode == 0, result.stderr
    statuses = {s["id"]: s for s in json.loads(result.stdout)}
    assert set(statuses) >= B_LAYERS
    assert statuses["netcongestie"]["snapshot"]["peildatum"] == "2026-08-21"
    assert statuses["natura2000"]["snapshot"]["aanwezig"] is True
    assert [s["type"] for s in statuses["natura2000"]["online"]] == ["wfs", "ogcapi"]
    assert all(s["bereikbaar"] is None for s in statuses["natura2000"]["online"])  # not probed


def test_layers_table(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, err = run_entry_point(monkeypatch, capsys, tmp_path, "layers")
    assert code == 0, err
    line = next(row for row in out.splitlines() if row.split()[0] == "netcongestie")
    assert "2026-08-21" in line and "niet getest" in line


def test_fetch_offline_to_geopackage_and_geojson(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    gpkg = tmp_path / "uit" / "natura.gpkg"
    result = run(
        tmp_path, "fetch", "natura2000", "--offline", "--bbox", SMALL_BBOX, "--out", str(gpkg)
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["features"] == 9
    assert (
        report["provenance"]["kind"] == "snapshot" and report["provenance"]["date"] == "2026-08-04"
    )
    written = gpd.read_file(gpkg)
    assert len(written) == 9 and written.crs.to_epsg() == 28992 and "naam" in written.columns

    geojson = tmp_path / "natura.geojson"
    code, _, err = run_entry_point(
        monkeypatch,
        capsys,
        tmp_path,
        "fetch",
        "natura2000",
        "--offline",
        "--bbox",
        SMALL_BBOX,
        "--out",
        str(geojson),
    )
    assert code == 0, err
    as_wgs84 = gpd.read_file(geojson)
    assert as_wgs84.crs.to_epsg() == 4326
    assert sorted(as_wgs84["naam"]) == sorted(written["naam"])


def test_fetch_any_wfs_by_url_and_typename(tmp_path: Path, mapserver: MapServer) -> None:
    out = tmp_path / "live.gpkg"
    result = run(
        tmp_path,
        "fetch",
        "natura2000",
        "--url",
        mapserver.wfs_url,
        "--typename",
        "natura2000",
        "--bbox",
        SMALL_BBOX,
        "--out",
        str(out),
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert (
        report["provenance"]["kind"] == "live"
        and report["provenance"]["source"] == mapserver.wfs_url
    )
    assert report["features"] == 9 == len(gpd.read_file(out))
    cached = list((tmp_path / "ws" / "layer_cache").glob("*.gpkg"))
    assert len(cached) == 1  # stored next to the workspace database


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["fetch", "natura2000", "--offline", "--bbox", "1,2,3", "--out", "x.gpkg"],
            "invalid bbox",
        ),
        (
            ["fetch", "natura2000", "--offline", "--bbox", "9,9,1,1", "--out", "x.gpkg"],
            "invalid bbox",
        ),
        (["fetch", "nosuch", "--offline", "--out", "x.gpkg"], "unknown layer 'nosuch'"),
        (["fetch", "natura2000", "--offline", "--out", "x.csv"], "unsupported output format"),
        (
            ["fetch", "natura2000", "--url", "http://127.0.0.1:9/wfs", "--out", "x.gpkg"],
            "--typename",
        ),
        (["fetch", "natura2000", "--offline", "--out", "x.tif"], "is vector data"),
        (["fetch", "natura2000", "--offline"], "--out"),
    ],
    ids=[
        "three-numbers",
        "min-above-max",
        "unknown-layer",
        "bad-suffix",
        "url-without-typename",
        "raster-suffix",
        "no-out",
    ],
)
def test_bad_input_exits_2(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    args: list[str],
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = run_entry_point(monkeypatch, capsys, tmp_path, *args)
    assert code == 2
    assert message in err and "Traceback" not in err


def test_bad_input_exits_2_from_the_console_script(tmp_path: Path) -> None:
    result = run(tmp_path, "fetch", "natura2000", "--offline", "--bbox", "1,2,3", "--out", "x.gpkg")
    assert result.returncode == 2
    assert "invalid bbox" in result.stderr and "ongeldige bbox" in result.stderr


def test_unreachable_explicit_wfs_exits_1_bilingual(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    closed_port_url: str,
) -> None:
    code, _, err = run_entry_point(
        monkeypatch,
        capsys,
        tmp_path,
        "fetch",
        "natura2000",
        "--url",
        closed_port_url,
        "--typename",
        "x",
        "--out",
        str(tmp_path / "x.gpkg"),
    )
    assert code == 1
    assert "no source gave data" in err and "geen enkele bron leverde data" in err
    assert "Traceback" not in err
    assert not (tmp_path / "x.gpkg").exists()

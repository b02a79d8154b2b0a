"""Prepared snapshots: GeoParquet in the cache folder equals a direct read of the source, is
rebuilt when the source's content changes (not when it is only touched), and a missing snapshot
makes its layer unknown with the reason instead of stopping the screening."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import geopandas as gpd
import pytest
from geopandas.testing import assert_geodataframe_equal
from shapely.geometry import box

from locatiescan.errors import DataRootError, SnapshotMissingError, SourceError
from locatiescan.layers import prepared
from locatiescan.layers.catalog import SourceDef
from locatiescan.layers.fetch import resolve_layer, shipped_catalog
from locatiescan.layers.providers.file import FileProvider, resolve_data_path
from locatiescan.screening import screen_locations

RD = "EPSG:28992"
LIWO = "water_bodem/liwo/liwo_doorbraaklocaties_buitendijks.geojson"


@pytest.fixture
def small_copy(data_dir: Path, tmp_path: Path) -> Path:
    """A writable copy of a small real snapshot (LIWO breach points outside the dikes)."""
    target = tmp_path / "data" / "liwo_buitendijks.geojson"
    target.parent.mkdir()
    shutil.copyfile(data_dir / LIWO, target)
    target.chmod(0o644)
    return target


def test_prepared_equals_direct_read_for_every_catalog_snapshot(tmp_path: Path) -> None:
    seen = set()
    for layer in shipped_catalog().values():
        for snapshot in layer.snapshots():
            if snapshot.type != "file" or snapshot.url:
                continue
            for raw in [snapshot.path] if isinstance(snapshot.path, str) else snapshot.path:
                key = (resolve_data_path(raw), snapshot.layer)
                if key in seen:
                    continue
                seen.add(key)
                direct = prepared.read_direct(*key)
                loaded = prepared.load(*key, directory=tmp_path)
                assert_geodataframe_equal(loaded, direct, check_less_precise=False)
                assert loaded.crs.to_epsg() == 28992
    assert len(seen) >= 15


def test_rebuilt_when_the_source_changes_not_when_touched(small_copy: Path, tmp_path: Path):
    cache = tmp_path / "cache"
    target = prepared.prepare(small_copy, None, cache)
    assert target is not None and target.parent == cache and target.suffix == ".parquet"
    first = prepared.load(small_copy, None, cache)
    assert_geodataframe_equal(first, prepared.read_direct(small_copy, None))
    built = target.stat().st_mtime_ns

    # touched (new modification time), same bytes: the hash decides, nothing is rebuilt
    os.utime(small_copy, ns=(built + 10**9, built + 10**9))
    assert prepared.prepare(small_copy, None, cache) == target
    assert target.stat().st_mtime_ns == built

    # changed content: keep only the first two points and add a peildatum -> rebuilt
    document = json.loads(small_copy.read_text(encoding="utf-8"))
    document["features"] = document["features"][:2]
    document["peildatum"] = "2030-01-01"
    small_copy.write_text(json.dumps(document), encoding="utf-8")
    assert prepared.prepare(small_copy, None, cache) == target
    assert target.stat().st_mtime_ns != built
    again = prepared.load(small_copy, None, cache)
    assert len(again) == 2 < len(first)
    assert_geodataframe_equal(again, prepared.read_direct(small_copy, None))
    assert prepared.peildatum(small_copy, None, cache) == "2030-01-01"
    assert prepared.source_sha256(small_copy, None, cache) == prepared.file_sha256(small_copy)


def test_date_comes_from_the_prepared_metadata(data_dir: Path, tmp_path: Path) -> None:
    path = data_dir / "netcongestie" / "capaciteitskaart_statusvlakken.geojson"
    assert prepared.peildatum(path, None, tmp_path) == "2026-08-21"
    target = prepared.prepare(path, None, tmp_path)
    assert target is not None and prepared._stored_info(target).peildatum == "2026-08-21"
    # a GeoPackage has no embedded peildatum member
    assert (
        prepared.peildatum(data_dir / "natura2000" / "natura2000_nl_rd_simplified2m.gpkg", None)
        is None
    )


def test_unwritable_cache_folder_reads_the_source_directly(small_copy: Path, tmp_path: Path):
    blocked = tmp_path / "a_file"
    blocked.write_text("not a folder")
    assert prepared.prepare(small_copy, None, blocked) is None
    assert_geodataframe_equal(
        prepared.load(small_copy, None, blocked), prepared.read_direct(small_copy, None)
    )


def test_missing_snapshot_is_a_source_error(tmp_path: Path) -> None:
    provider = FileProvider(SourceDef(type="file", path=str(tmp_path / "weg.geojson")))
    with pytest.raises(SnapshotMissingError) as info:
        provider.fetch(None)
    assert isinstance(info.value, SourceError) and isinstance(info.value, DataRootError)
    assert "weg.geojson" in info.value.nl


def test_missing_snapshot_leaves_its_layer_unknown_with_the_reason(tmp_path: Path) -> None:
    missing = SourceDef(type="file", path=str(tmp_path / "weg.gpkg"), peildatum="2026-01-01")
    natura = resolve_layer("natura2000").model_copy(update={"bronnen": [], "snapshot": missing})
    catalog = {"natura2000": natura, "gemeenten": resolve_layer("gemeenten")}
    # two squares near Almere: RD x 143,000-143,200, y 484,700-484,800 (gemeente Almere)
    locations = gpd.GeoDataFrame(
        {"id": ["A", "B"]},
        geometry=[box(143000, 484700, 143100, 484800), box(143100, 484700, 143200, 484800)],
        crs=RD,
    )
    screening = screen_locations(locations, online=False, catalog=catalog)
    natura_columns = [c for c in screening.table.columns if c.startswith("natura2000.")]
    assert natura_columns and screening.table[natura_columns].isna().all().all()
    assert "weg.gpkg" in screening.problemen["natura2000"]
    assert screening.table["gemeenten.names"].tolist() == ["Almere", "Almere"]


def test_missing_coverage_file_leaves_its_layer_unknown(tmp_path: Path) -> None:
    novex = resolve_layer("novex_gebieden")
    gone = novex.snapshot.dekking.model_copy(update={"path": str(tmp_path / "weg.geojson")})
    snapshot = novex.snapshot.model_copy(update={"dekking": gone})
    catalog = {"novex_gebieden": novex.model_copy(update={"snapshot": snapshot})}
    # a square in Rotterdam-Zuid (RD x 92,000-92,500, y 434,000-434,500)
    locations = gpd.GeoDataFrame(
        {"id": ["A"]}, geometry=[box(92000, 434000, 92500, 434500)], crs=RD
    )
    screening = screen_locations(locations, online=False, catalog=catalog)
    assert screening.table.isna().all().all()
    assert "weg.geojson" in screening.problemen["novex_gebieden"]
    assert "novex_gebieden" not in screening.provenance

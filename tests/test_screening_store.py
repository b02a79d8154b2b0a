"""Stored screenings: read back equal to a fresh screening, a new or edited location is screened
alone and added, and a change of catalog or data gives another store version."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from shapely import affinity

from locatiescan.layers.catalog import SourceDef
from locatiescan.layers.fetch import resolve_layer
from locatiescan.paths import LAYERS_DIR
from locatiescan.registry import load_locations
from locatiescan.screening import Screening, screen_locations
from locatiescan.screening_cache import (
    ScreeningStore,
    catalog_version,
    data_version,
    location_digests,
    screen_stored,
    store_version,
)


@pytest.fixture(scope="module")
def policy():
    return load_locations()


@pytest.fixture(scope="module")
def fresh(policy) -> Screening:
    return screen_locations(policy, online=False)


def assert_same(left: Screening, right: Screening) -> None:
    pd.testing.assert_frame_equal(left.table, right.table, check_exact=True)
    pd.testing.assert_frame_equal(left.gemeente_context, right.gemeente_context, check_exact=True)
    assert left.provenance == right.provenance
    assert left.problemen == right.problemen
    assert left.niet_bepaald == right.niet_bepaald


def test_stored_screening_equals_a_fresh_one(policy, fresh, tmp_path: Path) -> None:
    store = ScreeningStore("test", tmp_path)
    assert store.get(location_digests(policy)) is None
    first = screen_stored(policy, online=False, store=store)
    assert_same(first, fresh)
    assert store.known() == set(location_digests(policy))
    stored = store.get(location_digests(policy))  # read from disk, not screened
    assert stored is not None
    assert_same(stored, fresh)
    # a subset in another order: exactly its rows, reasons only for its own ids
    subset = policy.iloc[[5, 0, 17]]
    part = screen_stored(subset, online=False, store=store)
    pd.testing.assert_frame_equal(part.table, fresh.table.loc[subset["id"]], check_exact=True)
    assert set(part.niet_bepaald) <= set(subset["id"])


def test_new_and_edited_locations_are_screened_alone_and_added(policy, fresh, tmp_path):
    store = ScreeningStore("test", tmp_path)
    screen_stored(policy, online=False, store=store)
    # KL-03 moved 2 km east (an edited outline) and a copy of DB-05 under a new id
    edited = policy.copy()
    row = edited.index[edited["id"] == "KL-03"][0]
    edited.loc[row, "geometry"] = affinity.translate(edited.loc[row, "geometry"], xoff=2000)
    extra = policy[policy["id"] == "DB-05"].assign(id="NIEUW-1")
    changed = pd.concat([edited, extra], ignore_index=True).set_geometry("geometry")
    result = screen_stored(changed, online=False, store=store)
    alone = screen_locations(changed[changed["id"].isin(["KL-03", "NIEUW-1"])], online=False)
    pd.testing.assert_frame_equal(
        result.table.loc[["KL-03", "NIEUW-1"]], alone.table, check_exact=True, check_dtype=False
    )
    others = [i for i in policy["id"] if i != "KL-03"]
    pd.testing.assert_frame_equal(
        result.table.loc[others], fresh.table.loc[others], check_exact=True, check_dtype=False
    )
    # the store now holds both versions of KL-03 and the new location
    assert len(store.known()) == len(policy) + 2
    assert result.table.loc["NIEUW-1"].equals(result.table.loc["DB-05"])


def test_a_catalog_change_gives_another_version(tmp_path: Path) -> None:
    copy = tmp_path / "layers"
    shutil.copytree(LAYERS_DIR, copy)
    assert catalog_version(copy) == catalog_version(LAYERS_DIR)
    assert store_version(False, copy) == store_version(False)
    rules = copy / "water_bodem_regels.yaml"
    rules.write_text(rules.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert catalog_version(copy) != catalog_version(LAYERS_DIR)
    assert store_version(False, copy) != store_version(False)
    assert store_version(True) != store_version(False)


def test_a_data_change_gives_another_version(data_dir: Path, tmp_path: Path) -> None:
    source = tmp_path / "liwo.geojson"
    shutil.copyfile(
        data_dir / "water_bodem/liwo/liwo_doorbraaklocaties_buitendijks.geojson", source
    )
    source.chmod(0o644)
    layer = resolve_layer("liwo_doorbraaklocaties").model_copy(
        update={"bronnen": [], "snapshot": SourceDef(type="file", path=str(source))}
    )
    before = data_version({layer.id: layer})
    assert data_version({layer.id: layer}) == before
    source.write_text(source.read_text(encoding="utf-8").replace("Rozenburg", "Rozenburq"))
    assert data_version({layer.id: layer}) != before
    source.unlink()
    assert data_version({layer.id: layer}) not in {before}


def test_mixed_cells_read_back_with_their_own_types(tmp_path: Path) -> None:
    """1, True and 1.0 are equal in Python (one hash); each cell still reads back as its own
    type, and a list is a separate object in every row."""
    ids = pd.Index(["A", "B", "C", "D", "E"], name="id")
    table = pd.DataFrame(
        {
            "laag.waarde": pd.Series([1, True, 1.0, None, "1"], index=ids, dtype=object),
            "laag.namen": pd.Series([["x"], ["x"], ["x"], [], None], index=ids, dtype=object),
        }
    )
    screening = Screening(table=table, gemeente_context=table.iloc[0:0])
    digests = pd.Series([f"d{i}" for i in range(5)], index=ids)
    store = ScreeningStore("test", tmp_path)
    store.put(screening, digests)
    stored = store.get(digests)
    assert stored is not None
    values = stored.table["laag.waarde"].tolist()
    assert [type(v) for v in values] == [int, bool, float, type(None), str]
    assert values == [1, True, 1.0, None, "1"]
    names = stored.table["laag.namen"].tolist()
    assert names == [["x"], ["x"], ["x"], [], None]
    names[0].append("y")
    assert stored.table["laag.namen"].tolist()[1] == ["x"]

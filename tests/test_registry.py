"""The location registry on the real data: policy locations and EIB plans."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from pyproj import Transformer

from locatiescan.errors import DataRootError, InputError
from locatiescan.gemeenten import load_gemeenten
from locatiescan.location_table import LOCATION_COLUMNS, LOCATION_TYPES
from locatiescan.registry import (
    eib_planstatus,
    load_eib_plans,
    load_locations,
    load_policy_locations,
    policy_planstatus,
)


@pytest.fixture(scope="module")
def policy() -> gpd.GeoDataFrame:
    return load_policy_locations()


@pytest.fixture(scope="module")
def eib() -> gpd.GeoDataFrame:
    return load_eib_plans()


def test_policy_sites_are_42_rows_43_list_rows_with_one_merged(policy: gpd.GeoDataFrame) -> None:
    # 43 list rows (5 koploper, 23 doorbraak, 15 grootschalig); DB-16 is folded into KL-01, so
    # 42 sites: type (first programme) 5 / 22 / 15, programmes 5 / 23 / 15.
    assert len(policy) == 42
    assert policy["type"].value_counts().to_dict() == {
        "doorbraak": 22,
        "grootschalig": 15,
        "koploper": 5,
    }
    programmes = policy["programmas"].str.split(";").explode().value_counts().to_dict()
    assert programmes == {"doorbraak": 23, "grootschalig": 15, "koploper": 5}
    assert policy["id"].is_unique and "DB-16" not in set(policy["id"])
    assert policy.crs.to_epsg() == 28992
    assert list(policy.columns[: len(LOCATION_COLUMNS) - 1]) == LOCATION_COLUMNS[:-1]
    assert isinstance(policy.index, pd.RangeIndex)
    assert set(policy["type"]) <= set(LOCATION_TYPES)


def test_every_policy_location_has_a_geometry_and_a_quality(policy: gpd.GeoDataFrame) -> None:
    assert policy.geometry.notna().all() and (policy.geometry.area > 0).all()
    # planpolygonen: the 8 linked rows of locaties_eib_koppeling.csv minus DB-16 (merged) = 7;
    # indicatief: the 20 rows with a point minus those now linked (KL-01, DB-02, DB-04, DB-05,
    # DB-16, GS-01, GS-04) = 13; gemeente: the other 22 (KL-02 Muggenburg is now linked).
    assert policy["geometrie_kwaliteit"].value_counts().to_dict() == {
        "gemeente": 22,
        "indicatief": 13,
        "planpolygonen": 7,
    }


def test_point_locations_get_a_circle_of_woningen_over_40_per_ha(policy: gpd.GeoDataFrame) -> None:
    row = policy.set_index("id").loc["DB-01"]  # Bleizo: 5,000 woningen at 4.515, 52.035
    assert row["woningen"] == 5000
    assert row["area_ha"] == pytest.approx(5000 / 40, rel=1e-9)  # 125 ha
    x, y = Transformer.from_crs(4326, 28992, always_xy=True).transform(4.515, 52.035)
    assert row.geometry.centroid.distance(gpd.points_from_xy([x], [y])[0]) < 0.01
    assert row["geometrie_kwaliteit"] == "indicatief"


def test_gemeente_only_locations_get_the_gemeente_union(policy: gpd.GeoDataFrame) -> None:
    gemeenten = load_gemeenten().set_index("gemeentecode")
    by_id = policy.set_index("id")
    assert by_id.loc["KL-05", "geometry"].equals(gemeenten.loc["GM0392", "geometry"])  # Haarlem
    both = (
        gemeenten.loc["GM0034", "geometry"].area + gemeenten.loc["GM0363", "geometry"].area
    )  # Almere + Amsterdam
    assert by_id.loc["GS-03", "geometry"].area == pytest.approx(both, rel=1e-3)
    assert by_id.loc["GS-03", "geometrie_kwaliteit"] == "gemeente"


def test_woningen_is_max_else_min_and_unknown_stays_na(policy: gpd.GeoDataFrame) -> None:
    """Recomputed from the corrected locaties.csv (2026-11-25)."""
    by_id = policy.set_index("id")
    assert by_id.loc["DB-03", "woningen"] == 75000  # 63,000-75,000: the maximum
    # DB-04 Oosterwold: min = max = 20,000 (course of 20,000 homes, seed 004 line 100)
    assert by_id.loc["DB-04", "woningen"] == 20000 and not by_id.loc["DB-04", "woningen_drempel"]
    # DB-06 Amersfoort: 2,500 is only the doorbraak threshold -> no count, flagged
    assert pd.isna(by_id.loc["DB-06", "woningen"]) and by_id.loc["DB-06", "woningen_min"] == 2500
    assert by_id.loc["DB-06", "woningen_drempel"]
    assert pd.isna(by_id.loc["KL-05", "woningen"])  # Haarlem: unknown, not 0
    assert not by_id.loc["KL-05", "woningen_drempel"]


def test_policy_planstatus_is_unknown_for_process_statuses(policy: gpd.GeoDataFrame) -> None:
    assert policy["planstatus"].isna().all()


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("bestemmingsplan onherroepelijk", "hard"),
        ("omgevingsplan vastgesteld", "hard"),
        ("bestemmingsplan niet vastgesteld", None),
        ("ontwerp-bestemmingsplan ter inzage", "zacht"),
        ("plan in voorbereiding", "zacht"),
        ("doorbraaklocatie", None),
        (None, None),
    ],
)
def test_policy_planstatus_rule(status: str | None, expected: str | None) -> None:
    assert policy_planstatus(status) == expected


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("1A Onherroepelijk", "hard"),
        ("1C onhr + wijzigingsbevoegdheid", "hard"),
        ("2A Vastgesteld", "hard"),
        ("3 plan/besluit in voorbereiding", "zacht"),
        ("4B Optie", "zacht"),
        ("Onbekend", None),
        ("Status onbekend", None),
        (None, None),
    ],
)
def test_eib_planstatus_rule(code: str | None, expected: str | None) -> None:
    assert eib_planstatus(code) == expected


def test_eib_plans_are_4348_polygons_with_566386_woningen(eib: gpd.GeoDataFrame) -> None:
    assert len(eib) == 4348
    assert int(eib["woningen"].sum()) == 566_386
    assert (eib["type"] == "plancapaciteit").all() and (eib["geometrie_kwaliteit"] == "plan").all()
    assert eib["id"].is_unique and eib.crs.to_epsg() == 28992
    # 1x/2x hard: 2,389 + 173; 3/4x zacht: 791 + 627; Onbekend / Status onbekend: 368
    assert eib["planstatus"].value_counts(dropna=False).to_dict() == {
        "hard": 2562,
        "zacht": 1418,
        pd.NA: 368,
    }


def test_eib_gemeenten_join_by_name_including_merged_and_ambiguous_names(
    eib: gpd.GeoDataFrame,
) -> None:
    assert eib["gemeentecodes"].notna().all()
    codes = eib.groupby("Gem_naam")["gemeentecodes"].first()
    assert codes["Heerhugowaard"] == "GM1980"  # Dijk en Waard since 2022
    assert codes["Beemster"] == "GM0439"  # Purmerend since 2022
    assert codes["Leeuwarderadeel"] == "GM0080"  # Leeuwarden since 2018
    assert codes["Bergen"] == "GM0373"  # Bergen (NH.), not Bergen (L.)
    assert (
        eib.groupby("gemeentecodes")["woningen"].sum()["GM0034"] == 52_619
    )  # Almere, per SOURCES.md


def test_load_locations_defaults_to_policy_and_combines_types() -> None:
    assert len(load_locations()) == 42
    mixed = load_locations(["koploper", "plancapaciteit"])
    assert len(mixed) == 5 + 4348
    assert isinstance(mixed.index, pd.RangeIndex) and mixed["id"].is_unique
    assert mixed.crs.to_epsg() == 28992


@pytest.mark.parametrize("types", [["bogus"], [], ["eigen"]])
def test_unknown_or_empty_types_are_input_errors(types: list[str]) -> None:
    with pytest.raises(InputError) as info:
        load_locations(types)
    assert "koploper" in info.value.en and "kies uit" in info.value.nl


def test_results_are_copies_of_the_cache() -> None:
    first = load_policy_locations()
    first.loc[0, "naam"] = "changed"
    assert load_policy_locations().loc[0, "naam"] != "changed"


def _data_root_with(tmp_path: Path, data_dir: Path, csv_text: str) -> Path:
    (tmp_path / "locaties").mkdir()
    (tmp_path / "locaties" / "locaties.csv").write_text(csv_text, encoding="utf-8")
    (tmp_path / "cbs").mkdir()
    for name in ("gemeenten_2022.geojson", "gemeente_provincie_2022.csv"):
        (tmp_path / "cbs" / name).symlink_to(data_dir / "cbs" / name)
    return tmp_path


def test_missing_policy_file_is_a_clear_data_root_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LOCATIESCAN_DATA", str(tmp_path))
    with pytest.raises(DataRootError) as info:
        load_policy_locations()
    assert "locaties.csv" in info.value.en and "ontbreekt" in info.value.nl


@pytest.mark.parametrize(
    ("csv_text", "expected"),
    [
        ("id,naam,type\nX-1,a,koploper\n", "gemeentecodes"),
        (
            (
                "id,naam,type,gemeenten,gemeentecodes,provincie,woningen_min,woningen_max,partijen,status,bron,lon,lat\n"
                "X-1,a,koploper,Almere,GM0034,Flevoland,1,1,,s,b,5.2,52.4\n"
                "X-1,b,koploper,Almere,GM0034,Flevoland,1,1,,s,b,5.2,52.4\n"
            ),
            "duplicate id(s) X-1",
        ),
    ],
)
def test_broken_policy_file_is_reported(
    tmp_path: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch, csv_text: str, expected: str
) -> None:
    monkeypatch.setenv("LOCATIESCAN_DATA", str(_data_root_with(tmp_path, data_dir, csv_text)))
    with pytest.raises(DataRootError) as info:
        load_policy_locations()
    assert expected in info.value.en

"""Sites on the real data: EIB plan-polygon footprints, one site in two programmes, nesting,
thresholds, and totals of homes that count each site once (expectations computed by hand)."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from locatiescan.errors import DataRootError
from locatiescan.registry import load_locations, load_policy_locations, policy_locations
from locatiescan.sites import (
    DOORBRAAK_DOEL,
    canonical_id,
    in_programmes,
    merge_same_sites,
    woningen_totaal,
)

EIB_FILE = "woningbouw/eib_woningbouwlocaties_2020.gpkg"
LINK_FILE = "locaties/locaties_eib_koppeling.csv"


@pytest.fixture(scope="module")
def policy() -> gpd.GeoDataFrame:
    return load_policy_locations()


@pytest.fixture(scope="module")
def links(data_dir: Path) -> pd.DataFrame:
    return pd.read_csv(data_dir / LINK_FILE, dtype=str).set_index("id")


@pytest.fixture(scope="module")
def eib(data_dir: Path) -> gpd.GeoDataFrame:
    return gpd.read_file(data_dir / EIB_FILE).set_index("OBJECTID")


@pytest.mark.parametrize(
    ("location_id", "objectids", "area_ha", "eib_woningen"),
    [
        # EIB 494 "Almere Pampus": 637.9 ha, Aantalrest 25,000
        ("DB-05", [494], 637.9, 25_000),
        # EIB 491 "Oosterwold Fase 1" + 553 "Oosterwold 2 Fase": 3,912.4 ha, 14,200 homes
        ("DB-04", [491, 553], 3912.4, 14_200),
        # EIB 1049 "Purmer Zuid-Zuid" + 1051 "Transformatie deel Golfterrein": 138.0 ha, 2,900
        ("KL-01", [1049, 1051], 138.0, 2_900),
    ],
)
def test_linked_footprint_is_the_union_of_the_eib_polygons(
    policy: gpd.GeoDataFrame,
    links: pd.DataFrame,
    eib: gpd.GeoDataFrame,
    location_id: str,
    objectids: list[int],
    area_ha: float,
    eib_woningen: int,
) -> None:
    row = policy.set_index("id").loc[location_id]
    # the link file names exactly these plans (DB-16 for KL-01: same plans)
    assert [int(i) for i in links.loc[location_id, "eib_objectids"].split(";")] == objectids
    plans = eib.loc[objectids]
    union = shapely.union_all(plans.geometry.to_numpy())  # independent union from the GPKG
    assert row["geometrie_kwaliteit"] == "planpolygonen"
    assert row.geometry.symmetric_difference(union).area < 1.0  # m2
    assert row["area_ha"] == pytest.approx(area_ha, rel=0.01)  # the 637.9 / 3,912 ha
    assert row["area_ha"] == pytest.approx(float(links.loc[location_id, "eib_area_ha"]), rel=1e-3)
    assert row["eib_woningen"] == eib_woningen == int(plans["Aantalrest"].sum())
    assert row["eib_woningen"] == int(links.loc[location_id, "eib_woningen_totaal"])
    assert row["eib_plannamen"] == "; ".join(plans["Plannaam"])
    assert row["eib_zekerheid"] == links.loc[location_id, "zekerheid"] == "hoog"
    assert row["eib_ids"] == ";".join(f"EIB-{i}" for i in objectids)


def test_policy_number_and_eib_homes_are_both_kept(policy: gpd.GeoDataFrame) -> None:
    by_id = policy.set_index("id")
    # DB-04: policy course 20,000 homes next to EIB 2020's 14,200 (they differ; both shown)
    assert (by_id.loc["DB-04", "woningen"], by_id.loc["DB-04", "eib_woningen"]) == (20_000, 14_200)
    # DB-05: only the threshold (no count) next to EIB's 25,000 (visie)
    assert pd.isna(by_id.loc["DB-05", "woningen"]) and by_id.loc["DB-05", "woningen_drempel"]
    assert by_id.loc["DB-05", "eib_woningen"] == 25_000
    assert by_id.loc["GS-04", "eib_zekerheid"] == "middel"
    assert pd.isna(by_id.loc["DB-03", "eib_woningen"])  # not linked: unknown, not 0


def test_purmerend_oostflank_is_one_site_in_two_programmes(policy: gpd.GeoDataFrame) -> None:
    purmerend = policy[policy["naam"] == "Purmerend-Oostflank"]
    assert purmerend["id"].tolist() == ["KL-01"]
    row = purmerend.iloc[0]
    assert row["type"] == "koploper" and row["programmas"] == "koploper;doorbraak"
    assert row["zelfde_site_als"] == "DB-16" and canonical_id("DB-16") == "KL-01"
    # homes stay KL-01's 5,000-5,800; DB-16's threshold never replaces a count
    assert (row["woningen_min"], row["woningen_max"], row["woningen"]) == (5000, 5800, 5800)
    assert not row["woningen_drempel"]
    assert "koploper industrieel bouwen" in row["status"] and "doorbraaklocatie" in row["status"]


@pytest.mark.parametrize("programme", ["koploper", "doorbraak"])
def test_filtering_on_either_programme_finds_the_merged_site(programme: str) -> None:
    found = load_policy_locations([programme])
    assert (found["id"] == "KL-01").sum() == 1
    assert len(found) == {"koploper": 5, "doorbraak": 23}[programme]  # 22 DB rows + KL-01


def test_nested_sites_are_recorded(policy: gpd.GeoDataFrame) -> None:
    binnen = policy.set_index("id")["binnen"].dropna().to_dict()
    assert binnen == {"DB-04": "GS-03", "DB-05": "GS-03", "GS-07": "DB-03"}


def test_doorbraak_total_counts_each_site_once_and_keeps_thresholds_apart() -> None:
    total = woningen_totaal(load_policy_locations(["doorbraak"]))
    # known counts: KL-01 5,800 + DB-01 5,000 + DB-02 6,500 + DB-03 75,000 + DB-04 20,000 = 112,300
    assert total.bekend == 112_300 and total.sites_bekend == 5
    # at least: 5,000 + 5,000 + 6,500 + 63,000 + 20,000 = 99,500 plus 18 thresholds
    # (DB-05, DB-06..DB-15, DB-17..DB-23) x 2,500 = 45,000 -> 144,500
    assert total.ten_minste == 144_500 and total.sites_drempel == 18
    assert total.sites == 23 and total.sites_onbekend == 0 and total.niet_opgeteld == {}
    assert total.ten_minste >= DOORBRAAK_DOEL  # seed 003 line 24: minimaal 100.000
    assert "elke locatie één keer geteld (23 locaties)" in total.text()
    assert "18 locaties alleen ≥ 2.500" in total.text()


def test_all_policy_sites_total_leaves_nested_sites_out(policy: gpd.GeoDataFrame) -> None:
    total = woningen_totaal(policy)
    assert total.niet_opgeteld == {
        "DB-04": "ligt binnen GS-03",
        "DB-05": "ligt binnen GS-03",
        "GS-07": "ligt binnen DB-03",
    }
    # known: koploper 5,800 + 750 + 60 + 45 = 6,655; doorbraak DB-01..03 5,000 + 6,500 + 75,000
    # = 86,500; grootschalig without GS-07: 75,000 + 38,000 + 100,000 + 30,000 + 33,000 + 70,000
    # + 9,000 + 17,000 + 10,000 + 10,000 + 3,500 + 5,000 + 4,000 + 16,000 = 420,500
    # -> 6,655 + 86,500 + 420,500 = 513,655 over 4 + 3 + 14 = 21 sites
    assert total.bekend == 513_655 and total.sites_bekend == 21
    # at least: the ranges' minima (KL-01 5,000 not 5,800; DB-03 63,000 not 75,000):
    # 513,655 - 800 - 12,000 = 500,855, plus 17 thresholds (DB-06..15, DB-17..23) x 2,500
    # = 42,500 -> 543,355; KL-05 has no number
    assert total.ten_minste == 543_355
    assert (total.sites, total.sites_drempel, total.sites_onbekend) == (39, 17, 1)


def test_eib_plans_of_a_listed_site_are_not_added_twice() -> None:
    mixed = load_locations(["koploper", "plancapaciteit"])
    total = woningen_totaal(mixed)
    # KL-01 (plans 1049, 1051) and KL-02 (plan 236) are listed: those 3 EIB rows are parts
    assert {k for k, v in total.niet_opgeteld.items() if v.startswith("deel van")} == {
        "EIB-1049",
        "EIB-1051",
        "EIB-236",
    }
    assert total.sites == 5 + 4348 - 3


def test_merge_and_programme_filter_on_a_small_table() -> None:
    frame = pd.DataFrame(
        {
            "id": ["A", "B", "C"],
            "type": ["koploper", "doorbraak", "doorbraak"],
            "bron": ["brief", "nieuws", "nieuws"],
            "status": ["k", "d", "d"],
            "woningen_min": [100, 2500, 2500],
        }
    )
    merged = merge_same_sites(frame, {"B": "A", "X": "C"})
    assert merged["id"].tolist() == ["A", "C"]
    assert merged.loc[0, "programmas"] == "koploper;doorbraak"
    assert merged.loc[0, "bron"] == "brief; nieuws" and merged.loc[0, "zelfde_site_als"] == "B"
    assert in_programmes(merged, ["doorbraak"]).tolist() == [True, True]
    assert in_programmes(merged, ["koploper"]).tolist() == [True, False]


def test_unknown_objectid_in_the_link_file_is_a_data_error(
    data_dir: Path, eib: gpd.GeoDataFrame
) -> None:
    from locatiescan.gemeenten import load_gemeenten

    raw = pd.read_csv(data_dir / "locaties/locaties.csv", dtype={"gemeentecodes": str})
    links = pd.DataFrame({"id": ["DB-05"], "eib_objectids": ["494;999999"], "zekerheid": ["hoog"]})
    with pytest.raises(DataRootError) as info:
        policy_locations(raw, load_gemeenten(), 40.0, links, eib.reset_index())
    assert "999999" in info.value.en and "onbekende EIB-OBJECTID" in info.value.nl

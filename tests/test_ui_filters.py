"""Location filters: hand-built tables with every pass/fail/unknown case, then the real registry."""

from __future__ import annotations

import pandas as pd
import pytest

from locatiescan.registry import load_locations
from locatiescan.ui.filters import (
    MIN_WONINGEN,
    LocationFilter,
    apply_filter,
    catalog_filters,
    provinces_of,
)

FILTER_LABELS = {
    "min_woningen": MIN_WONINGEN,
    **{fid: f.label for fid, f in catalog_filters().items()},
}


@pytest.fixture
def locations() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": ["a", "b", "c", "d", "e"],
            "type": ["koploper", "doorbraak", "doorbraak", "grootschalig", "eigen"],
            "provincie": ["Utrecht", "Flevoland;Noord-Holland", "Noord-Holland", None, "Utrecht"],
            "woningen": pd.array([100, 5000, pd.NA, 20000, 300], dtype="Int64"),
        }
    )


@pytest.fixture
def screening() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "natura2000.overlap_pct": [0.0, 12.5, 0.0, float("nan"), 0.0],
            "netcongestie.afname_code": [3, 2, -1, 0, float("nan")],
        },
        index=["a", "b", "c", "d", "e"],
    )


def test_no_selection_keeps_everything(locations, screening):
    result = apply_filter(locations, screening, LocationFilter())
    assert result.ids == ["a", "b", "c", "d", "e"]
    assert result.unknown == {}


def test_a_site_in_two_programmes_is_found_under_both(locations, screening):
    both = locations.assign(
        programmas=["koploper;doorbraak", "doorbraak", "doorbraak", "grootschalig", "eigen"]
    )
    assert apply_filter(both, screening, LocationFilter(types=("doorbraak",))).ids == [
        "a",
        "b",
        "c",
    ]
    assert apply_filter(both, screening, LocationFilter(types=("koploper",))).ids == ["a"]


def test_type_and_province(locations, screening):
    assert apply_filter(locations, screening, LocationFilter(types=("doorbraak",))).ids == [
        "b",
        "c",
    ]
    # a location spanning two provinces matches either of them
    assert apply_filter(locations, screening, LocationFilter(provincies=("Flevoland",))).ids == [
        "b"
    ]
    both = LocationFilter(types=("doorbraak",), provincies=("Noord-Holland",))
    assert apply_filter(locations, screening, both).ids == ["b", "c"]


def test_min_woningen_reports_unknown_counts(locations, screening):
    result = apply_filter(locations, screening, LocationFilter(min_woningen=300))
    assert result.ids == ["b", "d", "e"]
    assert result.unknown == {FILTER_LABELS["min_woningen"]: ["c"]}


def test_zonder_natura2000_leaves_out_unknown(locations, screening):
    result = apply_filter(locations, screening, LocationFilter(zonder_natura2000=True))
    assert result.ids == ["a", "c", "e"]
    assert result.unknown == {FILTER_LABELS["zonder_natura2000"]: ["d"]}


def test_netcongestie_not_red_treats_minus_one_as_unknown(locations, screening):
    result = apply_filter(locations, screening, LocationFilter(netcongestie_niet_rood=True))
    assert result.ids == ["b", "d"]
    assert result.unknown == {FILTER_LABELS["netcongestie_niet_rood"]: ["c", "e"]}


def test_unknown_is_only_reported_for_locations_the_other_filters_kept(locations, screening):
    spec = LocationFilter(types=("koploper",), zonder_natura2000=True, netcongestie_niet_rood=True)
    result = apply_filter(locations, screening, spec)
    assert result.ids == []
    assert result.unknown == {}


def test_missing_screening_makes_constraint_filters_unknown(locations):
    result = apply_filter(locations, None, LocationFilter(zonder_natura2000=True))
    assert result.ids == []
    assert result.unknown[FILTER_LABELS["zonder_natura2000"]] == ["a", "b", "c", "d", "e"]


def test_provinces_split_joined_values(locations):
    assert provinces_of(locations) == ["Flevoland", "Noord-Holland", "Utrecht"]


def test_real_registry_filters():
    real = load_locations()
    doorbraak = apply_filter(real, None, LocationFilter(types=("doorbraak",))).ids
    # DB-01 … DB-23 without DB-16 (22 rows of type doorbraak) + KL-01, which is DB-16 too
    assert doorbraak == ["KL-01", *real.loc[real["type"] == "doorbraak", "id"]]
    assert len(doorbraak) == 22 + 1
    koploper = apply_filter(real, None, LocationFilter(types=("koploper",))).ids
    assert koploper == ["KL-01", "KL-02", "KL-03", "KL-04", "KL-05"]
    flevoland = apply_filter(real, None, LocationFilter(provincies=("Flevoland",))).ids
    assert flevoland and all(
        "Flevoland" in p for p in real.set_index("id").loc[flevoland, "provincie"]
    )

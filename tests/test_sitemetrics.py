"""Gemeente-level footprints are not sites: their metrics are withheld, kept as gemeente context."""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from locatiescan.present import is_missing
from locatiescan.registry import load_policy_locations
from locatiescan.screening import screen_locations
from locatiescan.sitemetrics import NIET_BEPAALD_REDEN, withhold_gemeente_level


def test_withhold_makes_every_metric_unknown_and_keeps_the_dtypes() -> None:
    table = pd.DataFrame(
        {
            "natura2000.overlap_pct": [52.0, 0.0],
            "natura2000.names": ["Veluwe", ""],
            "netcongestie.afname_code": pd.array([3, 1], dtype="Int64"),
            "water_bodem.waterveiligheid": ["A", "B"],
            "x.count": np.array([4, 2], dtype="int64"),
        },
        index=pd.Index(["G", "S"], name="id"),
    )
    locations = pd.DataFrame({"id": ["G", "S"], "geometrie_kwaliteit": ["gemeente", "ingetekend"]})
    withheld, context, reasons = withhold_gemeente_level(table, locations)
    assert reasons == {"G": NIET_BEPAALD_REDEN}
    assert NIET_BEPAALD_REDEN == "niet te bepalen: alleen de gemeente is bekend"
    g, s = withheld.loc["G"], withheld.loc["S"]
    assert all(is_missing(value) for value in g)
    assert withheld["x.count"].dtype == "Int64"
    assert withheld["natura2000.overlap_pct"].dtype == float
    # the site keeps its values; the gemeente's values are context, not lost
    assert (s["natura2000.overlap_pct"], s["water_bodem.waterveiligheid"]) == (0.0, "B")
    assert list(context.index) == ["G"]
    assert context.loc["G", "natura2000.overlap_pct"] == 52.0
    assert table.loc["G", "natura2000.overlap_pct"] == 52.0  # input untouched


def test_nothing_is_withheld_without_gemeente_level_locations() -> None:
    table = pd.DataFrame({"a.b": [1.0]}, index=pd.Index(["S"], name="id"))
    withheld, context, reasons = withhold_gemeente_level(table, pd.DataFrame({"id": ["S"]}))
    assert withheld.equals(table) and context.empty and reasons == {}


def test_ede_wageningen_has_no_natura2000_share_as_a_site(data_dir) -> None:
    """DB-10 Ede / Wageningen is known only by its gemeenten: the screening reports no overlap %
    for the site; the share of the two gemeenten is context. Context recomputed independently:
    overlay of the union of Ede + Wageningen with the Natura 2000 snapshot."""
    policy = load_policy_locations(["doorbraak"])
    ede = policy[policy["id"].isin(["DB-10", "DB-04"])]
    screening = screen_locations(ede, ["natura2000"], online=False)
    assert screening.niet_bepaald == {"DB-10": NIET_BEPAALD_REDEN}
    assert math.isnan(screening.table.loc["DB-10", "natura2000.overlap_pct"])
    assert math.isnan(screening.table.loc["DB-10", "natura2000.overlap_ha"])
    assert screening.table.loc["DB-04", "natura2000.overlap_pct"] == 0.0  # a site: its own value
    n2k = gpd.read_file(data_dir / "natura2000/natura2000_nl_rd_simplified2m.gpkg")
    footprint = ede[ede["id"] == "DB-10"][["id", "geometry"]]
    pieces = gpd.overlay(footprint, n2k[["geometry"]], how="intersection")
    share = pieces.area.sum() / footprint.area.iloc[0] * 100  # ~52 % (the figure)
    context = screening.gemeente_context.loc["DB-10", "natura2000.overlap_pct"]
    assert context == pytest.approx(share) and round(context) == 52

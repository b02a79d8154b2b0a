"""Partitioned scoring: chunks scored apart, ranks over all locations, equal to one pass."""

from __future__ import annotations

import pandas as pd
import pytest

from locatiescan.errors import InputError
from locatiescan.indicators import indicators_for_locations
from locatiescan.parallel import score_partitioned
from locatiescan.paths import SCORING_DIR
from locatiescan.registry import load_locations
from locatiescan.scoring import ScoringInput, load_model, score
from locatiescan.screening import screen_locations


@pytest.fixture(scope="module")
def inputs() -> ScoringInput:
    """The policy locations and 60 EIB plans, screened offline, with indicators; answers for
    every third location so that ontvankelijk, coverage and ranks vary between chunks."""
    policy = load_locations(["koploper", "doorbraak", "grootschalig"])
    plans = load_locations(["plancapaciteit"]).iloc[::70].head(60)
    locations = pd.concat([policy, plans], ignore_index=True)
    screening = screen_locations(
        locations, ["natura2000", "netcongestie", "water_bodem"], online=False
    )
    ids = locations["id"].iloc[::3]
    answers = pd.DataFrame(
        {
            "grondpositie": "gemeente",
            "planfase": "vergunning",
            "start_bouw_3jaar": "ja",
            "betaalbaar_aandeel": 60.0,
            "cofinanciering_pct": 50.0,
            "activiteit": "bodemsanering",
        },
        index=pd.Index(ids, name="id"),
    )
    return ScoringInput(locations, screening, indicators_for_locations(locations), answers)


# kansrijk_bouwen: every location ontvankelijk, totals known; woningbouwimpuls_2025: knock-outs
# (ja, nee and onbekend groups, a conditions table); doorbraak_shortlist: unranked locations
@pytest.fixture(
    scope="module", params=["kansrijk_bouwen", "woningbouwimpuls_2025", "doorbraak_shortlist"]
)
def model(request):
    return load_model(SCORING_DIR / f"{request.param}.yaml")


def assert_same(result, single) -> None:
    pd.testing.assert_frame_equal(result.table, single.table)
    pd.testing.assert_frame_equal(result.explanation, single.explanation)
    pd.testing.assert_frame_equal(result.ratios, single.ratios)
    pd.testing.assert_frame_equal(result.bonus_points, single.bonus_points)
    pd.testing.assert_frame_equal(result.conditions, single.conditions)
    assert result.records() == single.records()


def test_chunks_in_process_equal_one_pass(inputs, model) -> None:
    single = score(model, inputs)
    # 102 locations in chunks of at most 25: ceil(102 / 25) = 5 chunks of 21 or 20
    chunked = score_partitioned(model, inputs, locations_per_partition=25)
    assert_same(chunked, single)
    # ranks are global: the best location of the whole set, not of its chunk, is rank 1
    assert (chunked.table["rang"] == 1).sum() == (single.table["rang"] == 1).sum() >= 1
    assert chunked.table["rang"].max() > 25


def test_process_pool_equals_one_pass(inputs, model) -> None:
    single = score(model, inputs)
    pooled = score_partitioned(model, inputs, workers=2, locations_per_partition=40)
    assert_same(pooled, single)


def test_workers_must_be_positive(inputs, model) -> None:
    with pytest.raises(InputError):
        score_partitioned(model, inputs, workers=0)

"""Sensitivity: Monte Carlo rank stability and the analytic weight change swapping two locations."""

from __future__ import annotations

import pandas as pd
import pytest
import yaml

from locatiescan.errors import InputError
from locatiescan.scoring import ScoringInput, parse_model, score, sensitivity, swap_weights
from locatiescan.scoring.sources import Known

KNOWN = Known(metrics={}, indicators=[])
# a pillar score equal to the value of attribute s<i> (points = 10 * value, max 10)
RULES = [{"als": f"== {v}", "punten": round(10 * v)} for v in (1, 0.8, 0.5, 0.4, 0.2)] + [
    {"anders": 0}
]


def scored(weights: list[float], values: dict[str, list[float | None]]):
    pillars = {
        f"p{i}": {
            "gewicht": w,
            "criteria": [
                {"id": f"c{i}", "label": f"C{i}", "bron": f"attribuut.s{i}", "regels": RULES}
            ],
        }
        for i, w in enumerate(weights, start=1)
    }
    model = parse_model(
        yaml.safe_dump({"naam": "Synthetisch", "pijlers": pillars}), "s.yaml", KNOWN
    )
    ids = list(values)
    columns = {f"s{i}": [values[lid][i - 1] for lid in ids] for i in range(1, len(weights) + 1)}
    locations = pd.DataFrame({"id": ids, "naam": ids, **columns})
    return score(model, ScoringInput(locations))


def test_equal_scores_split_the_first_place() -> None:
    # A = (1, 0), B = (0, 1) under 0.5/0.5: both 50; A wins exactly when its pillar weight
    # is drawn higher, which by symmetry happens in half of the draws
    result = scored([0.5, 0.5], {"A": [1, 0], "B": [0, 1]})
    assert result.table["rang"].tolist() == [1, 1]
    table = sensitivity(result, top_k=1, seed=7).table
    assert table.loc["A", "p_top_k"] == pytest.approx(0.5, abs=0.05)
    assert table.loc["A", "p_top_k"] + table.loc["B", "p_top_k"] == pytest.approx(1.0)
    for lid in "AB":
        assert table.loc[lid, ["rang_min", "rang_p05", "rang_p95", "rang_max"]].tolist() == [
            1,
            1,
            2,
            2,
        ]


def test_dominant_location_is_always_first() -> None:
    result = scored([0.5, 0.5], {"A": [1, 0], "B": [0, 1], "C": [1, 1]})
    out = sensitivity(result, top_k=1, draws=500, spread=0.2, seed=1)
    table = out.table
    assert table.loc["C", "p_top_k"] == 1.0
    assert table.loc["C", ["rang_min", "rang_p50", "rang_max"]].tolist() == [1, 1, 1]
    assert table.loc["A", "p_top_k"] == 0.0 and table.loc["B", "p_top_k"] == 0.0
    assert table.loc["A", ["rang_min", "rang_max"]].tolist() == [2, 3]
    assert (out.top_k, out.draws, out.spread, out.seed) == (1, 500, 0.2, 1)


def test_identical_locations_share_the_top() -> None:
    result = scored([0.5, 0.5], {"A": [1, 0.4], "B": [1, 0.4], "C": [0.2, 0.2]})
    table = sensitivity(result, top_k=1).table
    assert table["p_top_k"].tolist() == [1.0, 1.0, 0.0]


def test_no_spread_reproduces_the_ranking_and_seed_is_deterministic() -> None:
    result = scored([0.6, 0.4], {"A": [1, 0.2], "B": [0.4, 0.8], "C": [0.5, 0.5]})
    still = sensitivity(result, top_k=2, spread=0.0, draws=10).table
    assert still["rang_min"].tolist() == still["rang_max"].tolist() == result.table["rang"].tolist()
    first = sensitivity(result, seed=3, criteria=False).table
    assert first.equals(sensitivity(result, seed=3, criteria=False).table)


def test_swap_two_pillars_by_hand() -> None:
    # A = (0.8, 0.2) -> 50, B = (0.4, 0.4) -> 40, D0 = 10. Raising pillar 2 by t (pillar 1
    # loses t): D(t) = 10 - 100*t*0.6, tie at t = 1/6: weights (1/3, 2/3), A = B = 40
    result = scored([0.5, 0.5], {"A": [0.8, 0.2], "B": [0.4, 0.4]})
    swap = swap_weights(result, "A", "B")
    assert swap.verschil == pytest.approx(10.0)
    assert swap.per_pijler["nieuw_gewicht"].tolist() == pytest.approx([1 / 3, 2 / 3])
    assert swap.per_pijler["verandering"].tolist() == pytest.approx([-1 / 6, 1 / 6])
    assert swap.kleinste == pytest.approx({"p1": 1 / 3, "p2": 2 / 3})
    assert swap.afstand == pytest.approx(2**0.5 / 6)
    tie = scored([1 / 3, 2 / 3], {"A": [0.8, 0.2], "B": [0.4, 0.4]}).table
    assert tie.loc["A", "totaal"] == pytest.approx(tie.loc["B", "totaal"]) == pytest.approx(40.0)


def test_swap_three_pillars_by_hand() -> None:
    values = {"A": [1, 0, 0.5], "B": [0.5, 1, 0.5]}
    result = scored([0.5, 0.3, 0.2], values)
    swap = swap_weights(result, "A", "B")
    assert swap.verschil == pytest.approx(-5.0)  # A 60, B 65
    # pillar 1: slope 100*(0.5 - (0.3*-1 + 0.2*0)/0.5) = 110, t = 5/110 -> 6/11
    # pillar 2: slope 100*(-1 - (0.5*0.5)/0.7), t = 5/slope -> 0.3 - 0.0368421
    # pillar 3: slope 100*(0 - (0.25 - 0.3)/0.8) = 6.25, t = 0.8 -> 1.0 (the edge, still allowed)
    assert swap.per_pijler["nieuw_gewicht"].tolist() == pytest.approx(
        [6 / 11, 0.3 - 5 / 135.714285714, 1.0]
    )
    # all together: g = dS - mean = (2/3, -5/6, 1/6), |g|^2 = 7/6, delta = 5/(100*7/6) * g
    step = 5 / (100 * 7 / 6)
    assert swap.kleinste == pytest.approx(
        {"p1": 0.5 + step * 2 / 3, "p2": 0.3 - step * 5 / 6, "p3": 0.2 + step / 6}
    )
    assert swap.afstand == pytest.approx(5 / (100 * (7 / 6) ** 0.5))
    # re-scoring with the one-pillar weights (others scaled to keep the sum at 1) ties them
    tie = scored([6 / 11, 0.3 * 10 / 11, 0.2 * 10 / 11], values).table
    assert tie.loc["A", "totaal"] == pytest.approx(tie.loc["B", "totaal"])
    tie = scored(list(swap.kleinste.values()), values).table
    assert tie.loc["A", "totaal"] == pytest.approx(tie.loc["B", "totaal"])


def test_swap_without_analytic_answer() -> None:
    result = scored([0.5, 0.5], {"A": [0.8, None], "B": [0.4, 0.4]})
    swap = swap_weights(result, "A", "B")
    assert swap.kleinste is None and "herweeg" in swap.reden
    assert swap.per_pijler["nieuw_gewicht"].isna().all()
    # equal differences in every pillar: no weight change can close the gap
    swap = swap_weights(scored([0.5, 0.5], {"A": [0.8, 0.8], "B": [0.4, 0.4]}), "A", "B")
    assert swap.kleinste is None and "evenveel" in swap.reden
    # A is better in both pillars: no weights within [0, 1] make them tie
    swap = swap_weights(scored([0.9, 0.1], {"A": [1, 0.5], "B": [0.5, 0.4]}), "A", "B")
    assert swap.kleinste is None and "negatief" in swap.reden
    assert swap.per_pijler["nieuw_gewicht"].isna().all()


def test_argument_errors() -> None:
    result = scored([0.5, 0.5], {"A": [1, 0], "B": [0, 1]})
    with pytest.raises(InputError, match="top_k"):
        sensitivity(result, top_k=0)
    with pytest.raises(InputError, match="draws"):
        sensitivity(result, draws=0)
    with pytest.raises(InputError, match="spread"):
        sensitivity(result, spread=1.0)
    with pytest.raises(InputError, match="unknown location id"):
        swap_weights(result, "A", "Z")


def test_unknowns_are_drawn_over_their_possible_points() -> None:
    # A = (0.5, 0.5) -> 50. B = (0.5, unknown): 25 + 50 x, x drawn uniformly from the six
    # possible scores {1, 0.8, 0.5, 0.4, 0.2, 0} -> {75, 65, 50, 45, 35, 25}. Without weight
    # noise B is first in 3 of 6 cases (75, 65, and the tie at 50), A in 4 of 6 (tie included).
    result = scored([0.5, 0.5], {"A": [0.5, 0.5], "B": [0.5, None]})
    t = result.table
    assert t.loc["B", ["totaal_min", "totaal_max"]].tolist() == pytest.approx([25.0, 75.0])
    assert t["rang"].tolist() == [1, 2]  # worst case: B 25 < A 50
    table = sensitivity(result, top_k=1, draws=6000, spread=0.0, seed=5).table
    assert table.loc["B", "p_top_k"] == pytest.approx(3 / 6, abs=0.03)
    assert table.loc["A", "p_top_k"] == pytest.approx(4 / 6, abs=0.03)
    assert table.loc["B", ["rang_min", "rang_max"]].tolist() == [1, 2]
    # with weight noise too, B still reaches both ranks, and the draws are reproducible
    noisy = sensitivity(result, top_k=1, draws=500, spread=0.2, seed=5).table
    assert noisy.loc["B", ["rang_min", "rang_max"]].tolist() == [1, 2]
    assert noisy.equals(sensitivity(result, top_k=1, draws=500, spread=0.2, seed=5).table)


def test_a_knocked_out_location_is_never_in_the_top() -> None:
    pillars = {
        "p1": {
            "gewicht": 1.0,
            "criteria": [{"id": "c1", "label": "C1", "bron": "attribuut.s1", "regels": RULES}],
        }
    }
    voorwaarden = [
        {
            "id": "omvang",
            "label": "minimaal 200 woningen",
            "niet_voldaan": "minder dan 200 woningen",
            "bron": "attribuut.woningen",
            "als": ">= 200",
        }
    ]
    text = yaml.safe_dump({"naam": "K", "voorwaarden": voorwaarden, "pijlers": pillars})
    model = parse_model(text, "k.yaml", KNOWN)
    locations = pd.DataFrame(
        {"id": ["GOED", "KLEIN"], "naam": ["GOED", "KLEIN"], "s1": [0.2, 1], "woningen": [300, 60]}
    )
    table = sensitivity(score(model, ScoringInput(locations)), top_k=1, seed=2).table
    assert table["p_top_k"].tolist() == [1.0, 0.0]
    assert table.loc["KLEIN", ["rang_min", "rang_max"]].tolist() == [2, 2]

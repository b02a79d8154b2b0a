"""Coverage threshold, worst-case order and rank intervals: computed by hand, the README's
worked example, and the doorbraak shortlist on the real registry."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from locatiescan.paths import SCORING_DIR
from locatiescan.registry import load_locations
from locatiescan.scoring import ScoringInput, load_model, parse_model, score
from locatiescan.scoring.intervals import rank_interval, rank_text, ranks
from locatiescan.scoring.sources import Known
from locatiescan.screening import screen_locations

KNOWN = Known(metrics={"netcongestie": ["afname_code"]}, indicators=[])
IDS = ["A", "B", "C", "D", "E"]


def readme_model(policy: str = "herweeg"):
    """The YAML block of the knock-out/coverage/interval example in scoring/README.md."""
    text = (SCORING_DIR / "README.md").read_text(encoding="utf-8")
    section = text.split("## Knock-outs, coverage and rank intervals: worked example", 1)[1]
    block = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    return parse_model(block.replace("onbekend: herweeg", f"onbekend: {policy}"), "README", KNOWN)


def readme_inputs(ids: list[str] = IDS) -> ScoringInput:
    table = pd.DataFrame(
        {
            "id": IDS,
            "naam": IDS,
            "woningen": [500, 800, 300, 250, 120],
            "grondpositie": ["gemeente", "ontwikkelaar", "gemeente", "gemeente", "gemeente"],
            "planfase": ["schets", None, "vergunning", None, "vergunning"],
            "netcongestie.afname_code": [3, 0, np.nan, np.nan, 0],
        }
    ).set_index("id", drop=False)
    table = table.loc[ids]
    return ScoringInput(
        table[["id", "naam", "woningen"]].reset_index(drop=True),
        table[["netcongestie.afname_code"]],
        None,
        table[["grondpositie", "planfase"]],
    )


def test_four_locations_by_hand() -> None:
    # W = 0.4 (grond), 0.3 (plan), 0.3 (net); lowest scores 0, 2/10, 0
    # A: all known: 100*(0.4*1 + 0.3*0.5 + 0.3*0) = 55 -> [55, 55], dekking 1
    # B: planfase unknown: known 100*(0.4*0.6 + 0.3*1) = 54 -> [54 + 6, 54 + 30] = [60, 84]
    # C: netcongestie unknown: known 100*(0.4 + 0.3) = 70 -> [70 + 0, 70 + 30] = [70, 100]
    # D: only grond known (dekking 0.4): 40 -> [40 + 6 + 0, 40 + 30 + 30] = [46, 100]
    t = score(readme_model(), readme_inputs(["A", "B", "C", "D"])).table
    assert t["totaal_min"].tolist() == pytest.approx([55, 60, 70, 46])
    assert t["totaal_max"].tolist() == pytest.approx([55, 84, 100, 100])
    assert t["dekking"].tolist() == pytest.approx([1.0, 0.7, 0.7, 0.4])
    # order by totaal_min: C 70, B 60, A 55, D 46
    assert t["rang"].tolist() == [3, 2, 1, 4]
    # best = 1 + #(others' min > my max); worst = 1 + #(others' max > my min)
    # A: best 1 + #(C 70, B 60 > 55) = 3; worst 1 + #(B 84, C 100, D 100 > 55) = 4
    # B: best 1 + #(none > 84) = 1; worst 1 + #(C 100, D 100 > 60) = 3
    # C: best 1; worst 1 + #(B 84, D 100 > 70) = 3
    # D: best 1; worst 1 + #(A 55, B 84, C 100 > 46) = 4
    assert t["rang_min"].tolist() == [3, 1, 1, 1]
    assert t["rang_max"].tolist() == [4, 3, 3, 4]
    assert [rank_text(a, b) for a, b in zip(t["rang_min"], t["rang_max"], strict=True)] == [
        "rang 3–4",
        "rang 1–3",
        "rang 1–3",
        "rang 1–4",
    ]


def test_coverage_threshold_withholds_total_class_and_hours() -> None:
    t = score(readme_model(), readme_inputs()).table
    # D: 40 % known < minimale_dekking 0.5
    assert math.isnan(t.loc["D", "totaal"]) and pd.isna(t.loc["D", "klasse"])
    assert math.isnan(t.loc["D", "uren_per_maand"])
    assert t.loc["D", "oordeel"] == "onvoldoende gegevens (40 % van het gewicht bekend)"
    # B, C: 70 % known: totals are the herweeg estimates, 54/0.7 and 70/0.7
    assert t.loc["B", "totaal"] == pytest.approx(54 / 0.7)
    assert t.loc["C", "totaal"] == pytest.approx(100.0)
    assert t.loc[["A", "B", "C"], "oordeel"].tolist() == ["", "", ""]
    assert t.loc[["A", "B", "C"], "klasse"].tolist() == ["B", "A", "A"]
    # exactly at the threshold counts as enough: 0.7 known with minimale_dekking 0.7
    model = readme_model().model_copy(update={"minimale_dekking": 0.7})
    t = score(model, readme_inputs()).table
    assert t.loc["B", "oordeel"] == "" and t.loc["B", "totaal"] == pytest.approx(54 / 0.7)
    assert t.loc["D", "oordeel"].startswith("onvoldoende gegevens (40 %")


def test_readme_worked_example() -> None:
    t = score(readme_model(), readme_inputs()).table
    assert t.loc["E", "ontvankelijk"] == "nee"
    assert t.loc["E", "voorwaarden"] == "niet ontvankelijk: minder dan 200 woningen"
    assert t.loc["E", "totaal"] == pytest.approx(100.0) and pd.isna(t.loc["E", "klasse"])
    assert t["rang"].tolist() == [3, 2, 1, 4, 5]
    assert t["rang_min"].tolist() == [3, 1, 1, 1, 5]
    assert t["rang_max"].tolist() == [4, 3, 3, 4, 5]
    assert t.loc["B", "totaal"] == pytest.approx(77.142857, abs=1e-6)
    assert (t.loc[list("ABCD"), "ontvankelijk"] == "ja").all()


@pytest.mark.parametrize("policy", ["herweeg", "nul", "minimum"])
def test_no_policy_lets_a_missing_value_lift_a_location(policy: str) -> None:
    # C2 equals C, but its netcongestie is known and the worst possible (3): its known values
    # are no better than C's, and C (value missing) must not rank above it
    inputs = readme_inputs(["A", "B", "C", "D"])
    locations = pd.concat(
        [inputs.locations, pd.DataFrame([{"id": "C2", "naam": "C2", "woningen": 300}])]
    )
    screening = pd.concat(
        [inputs.screening, pd.DataFrame({"netcongestie.afname_code": [3]}, ["C2"])]
    )
    answers = pd.concat(
        [
            inputs.answers,
            pd.DataFrame([{"grondpositie": "gemeente", "planfase": "vergunning"}], ["C2"]),
        ]
    )
    t = score(readme_model(policy), ScoringInput(locations, screening, None, answers)).table
    assert t.loc["C", "rang"] == t.loc["C2", "rang"] == 1  # a tie at 70, never C ahead
    assert t["rang"].tolist() == [4, 3, 1, 5, 1]


def test_interval_functions() -> None:
    low = np.array([10.0, 20.0, 5.0, 30.0])
    high = np.array([40.0, 20.0, 50.0, 30.0])
    group = np.array([0, 0, 1, 0])  # the third is in a later group
    ranked = np.array([True, True, True, False])  # the fourth has no data
    assert ranks(low, group, ranked)[:3].tolist() == [2, 1, 3]
    best, worst = rank_interval(low, high, group, ranked)
    assert best[:3].tolist() == [1, 1, 3] and worst[:3].tolist() == [2, 2, 3]
    assert np.isnan(best[3]) and np.isnan(worst[3])
    assert rank_text(2, 9) == "rang 2–9" and rank_text(3, 3) == "rang 3"


@pytest.fixture(scope="module")
def doorbraak():
    """The doorbraak shortlist on the 42 policy sites (screened offline), no answers."""
    model = load_model(SCORING_DIR / "doorbraak_shortlist.yaml")
    locations = load_locations()
    screening = screen_locations(
        locations, ["natura2000", "netcongestie", "water_bodem"], online=False
    )
    return model, locations, screening


def test_doorbraak_without_answers_is_not_a_confident_order(doorbraak) -> None:
    model, locations, screening = doorbraak
    result = score(model, ScoringInput(locations, screening))
    t = result.table
    assert t["oordeel"].str.startswith("onvoldoende gegevens (").all()
    assert t["totaal"].isna().all() and t["klasse"].isna().all()
    # 22 gemeente-level sites without planstatus have no known criterion and no rank (see
    # test_scoring_presets; the size comes from the dossier, absent here); each of the other
    # 42 - 22 = 20 may end anywhere from 1 to 20
    ranked = t["dekking"] > 0
    assert ranked.sum() == 20
    assert (t.loc[ranked, "rang_min"] == 1).all() and (t.loc[ranked, "rang_max"] == 20).all()
    cid = t.loc["GS-05"]
    assert cid["naam"] == "Den Haag CID-Binckhorst"
    # its netcongestie is missing: with herweeg it used to rank first (90); now a location whose
    # known values are at least as good (the same size class, netcongestie known) is ahead of it
    row = result.explanation.query("id == 'GS-05' and criterium == 'netcongestie'").iloc[0]
    assert row["status"] == "onbekend"
    assert cid["rang"] > 1
    assert cid["totaal_min"] < t["totaal_min"].max()
    # known: Natura 2000 overlap and water & bodem, 0.15 * 1/5 each = 6 %
    assert cid["oordeel"] == "onvoldoende gegevens (6 % van het gewicht bekend)"


def test_doorbraak_with_a_full_dossier_narrows_the_intervals(doorbraak) -> None:
    model, locations, screening = doorbraak
    ids = locations["id"].tolist()
    options = {
        "grondpositie": ["gemeente", "ontwikkelaar", "corporatie", "meerdere_eigenaren", "geen"],
        "planfase": ["initiatief", "schets", "stedenbouwkundig_plan", "vergunning"],
        "partijen_betrokken": ["ja", "nee"],
        "lopende_afspraken": ["bestuursovereenkomst", "intentieovereenkomst", "geen"],
        "financiele_dekking": ["rond", "tekort_met_oplossing", "tekort_open"],
        "woningen_min": [2600, 5000, 8000],
    }
    answers = pd.DataFrame(
        {q: [values[i % len(values)] for i in range(len(ids))] for q, values in options.items()},
        index=pd.Index(ids, name="id"),
    )
    before = score(model, ScoringInput(locations, screening)).table
    after = score(model, ScoringInput(locations, screening, None, answers)).table
    # the questions are 0.2 + 0.25*2/3 + 0.2 + 0.2 + homes 0.15*2/5 = 82.7 % of the weight;
    # with the layers' 3 x 0.15/5 = 9 % more wherever the screening knows its values
    sites = locations.set_index("id")
    gemeente_level = sites["geometrie_kwaliteit"].eq("gemeente").reindex(after.index)
    assert (after.loc[~gemeente_level, "dekking"] > 0.8).mean() > 0.9
    # a gemeente-level site has no layer value: questions + planstatus 0.25/3 where known
    expected = (
        0.2 + 0.25 * 2 / 3 + 0.2 + 0.2 + 0.15 * 2 / 5 + 0.25 / 3 * sites["planstatus"].notna()
    ).reindex(after.index)
    assert np.allclose(after.loc[gemeente_level, "dekking"], expected[gemeente_level])
    assert after["totaal"].notna().all()

    # widths as a share of the ranks there are: before, each of the 20 ranked sites could be
    # anywhere (19 / 19 = 1); after, all 42 are ranked and on average an interval spans less
    # than half of the order, for the 20 sites with a real footprint less than a third
    def share(t: pd.DataFrame) -> pd.Series:
        return (t["rang_max"] - t["rang_min"]) / (t["rang"].notna().sum() - 1)

    assert share(before).mean() == 1.0
    assert share(after).mean() < 0.5 and share(after)[~gemeente_level].mean() < 1 / 3

"""Golden tests of the scoring engine: four small locations recomputed by hand under two models."""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from locatiescan.errors import InputError
from locatiescan.paths import SCORING_DIR
from locatiescan.scoring import ScoringInput, compare, parse_model, score
from locatiescan.scoring.sources import Known

KNOWN = Known(
    metrics={"synthetic_n2k": ["overlap_ha", "overlap_pct", "names", "distance_m"]},
    indicators=["leegstand_pct", "sociale_huur_pct"],
)

MODEL_1 = """
naam: Golden 1
onbekend: {policy}
pijlers:
  kwaliteit:
    gewicht: 0.5
    criteria:
      - id: n2k
        label: Overlap Natura 2000
        bron: laag.synthetic_n2k.overlap_pct
        gewicht: 2
        regels: [{{als: "== 0", punten: 10}}, {{als: "< 5", punten: 4}}, {{anders: 0}}]
      - id: afstand
        label: Afstand Natura 2000
        bron: laag.synthetic_n2k.distance_m
        regels: [{{als: ">= 2000", punten: 5}}, {{als: ">= 500", punten: 2}}, {{anders: 0}}]
  behoefte:
    gewicht: 0.3
    criteria:
      - id: leegstand
        label: Leegstand
        bron: indicator.leegstand_pct
        regels: [{{als: "< 3", punten: 4}}, {{als: "tussen 3 en 5", punten: 2}}, {{anders: 1}}]
      - id: sociaal
        label: Sociale huur
        bron: indicator.sociale_huur_pct
        gewicht: 3
        regels: [{{als: "< 30", punten: 10}}, {{anders: 2}}]
  haalbaarheid:
    gewicht: 0.2
    criteria:
      - id: plan
        label: Planstatus
        bron: attribuut.planstatus
        regels: [{{als: "== hard", punten: 3}}, {{als: "== zacht", punten: 1}}]
      - id: grond
        label: Grondpositie
        bron: vraag.grondpositie
        regels: [{{als: "in [gemeente, ontwikkelaar]", punten: 2}}, {{anders: 0}}]
bonus:
  - {{id: extra, bron: vraag.extra, regels: [{{als: "== ja", punten: 4}}, {{anders: 0}}]}}
  - {{id: netbewust, bron: vraag.netbewust, regels: [{{als: "== ja", punten: 3}}]}}
bonus_max: 5
inzet:
  - {{vanaf: 70, klasse: A, uren_per_maand: 40}}
  - {{vanaf: 45, klasse: B, uren_per_maand: 16}}
  - {{anders: true, klasse: C, uren_per_maand: 4}}
vragen:
  - {{id: grondpositie, label: Grond, type: keuze, opties: [gemeente, ontwikkelaar, geen]}}
  - {{id: extra, label: Extra betaalbaar, type: ja_nee}}
  - {{id: netbewust, label: Netbewust, type: ja_nee}}
"""

MODEL_2 = """
naam: Golden 2
onbekend: nul
pijlers:
  omgeving:
    gewicht: 0.7
    criteria:
      - id: n2k
        label: Overlap
        bron: laag.synthetic_n2k.overlap_pct
        regels: [{als: "== 0", punten: 1}, {anders: 0}]
  voortgang:
    gewicht: 0.3
    criteria:
      - id: fase
        label: Fase
        bron: vraag.fase
        regels: [{als: ">= 8", punten: 10}, {als: ">= 5", punten: 5}, {anders: 1}]
vragen:
  - {id: fase, label: Fase, type: getal, min: 1, max: 10}
"""

IDS = ["L1", "L2", "L3", "L4"]


def model_1(policy: str = "herweeg"):
    return parse_model(MODEL_1.format(policy=policy), "golden1.yaml", KNOWN)


def inputs() -> ScoringInput:
    locations = pd.DataFrame(
        {
            "id": IDS,
            "naam": ["Een", "Twee", "Drie", "Vier"],
            "planstatus": ["hard", None, "zacht", None],
        }
    )
    screening = pd.DataFrame(
        {
            "synthetic_n2k.overlap_pct": [0.0, 3.0, np.nan, 3.0],
            "synthetic_n2k.distance_m": [3000.0, np.nan, 800.0, 6000.0],  # L2: beyond the radius
            "synthetic_n2k.distance_radius_m": [5000.0] * 4,
        },
        index=pd.Index(IDS, name="id"),
    )
    indicators = pd.DataFrame(
        {"leegstand_pct": [2.5, 4.0, np.nan, 4.5], "sociale_huur_pct": [25.0, 35.0, np.nan, 40.0]},
        index=pd.Index(IDS, name="id"),
    )
    answers = pd.DataFrame(
        {
            "grondpositie": ["gemeente", "geen", "ontwikkelaar", "geen"],
            "extra": ["ja", "nee", None, None],
            "netbewust": ["ja", None, "ja", None],
            "fase": [2.0, 9.0, np.nan, 5.0],
        },
        index=pd.Index(IDS, name="id"),
    )
    return ScoringInput(locations, screening, indicators, answers)


def explanation(result, lid: str, criterion: str) -> pd.Series:
    rows = result.explanation
    return rows[(rows["id"] == lid) & (rows["criterium"] == criterion)].iloc[0]


def test_model_1_herweeg_by_hand() -> None:
    result = score(model_1("herweeg"), inputs())
    t = result.table
    # L1: every criterion at its maximum -> pillars 1, 1, 1 -> 100; bonus 4 + 3 = 7 capped at 5
    assert t.loc["L1", "totaal"] == pytest.approx(105.0)
    assert t.loc["L1", "bonus"] == pytest.approx(5.0)
    # L2: kwaliteit (2*0.4 + 1*1)/3 = 0.6 (distance beyond the 5000 m radius counts as far);
    # behoefte (1*2/4 + 3*2/10)/4 = 0.275; haalbaarheid: plan unknown -> dropped, grond 0 -> 0
    # total 100*(0.5*0.6 + 0.3*0.275 + 0.2*0) = 38.25; bonus 0
    assert t.loc["L2", "pijler.kwaliteit"] == pytest.approx(0.6)
    assert t.loc["L2", "pijler.behoefte"] == pytest.approx(0.275)
    assert t.loc["L2", "pijler.haalbaarheid"] == pytest.approx(0.0)
    assert t.loc["L2", "ontbrekend.haalbaarheid"] == pytest.approx(0.5)
    assert t.loc["L2", "totaal"] == pytest.approx(38.25)
    # L3: kwaliteit only afstand 2/5 = 0.4 (overlap unknown, 2/3 of the weight missing);
    # behoefte has no data -> pillar left out, weights 0.5 and 0.2 become 5/7 and 2/7;
    # haalbaarheid (1/3 + 1)/2 = 2/3; total 100*(5/7*0.4 + 2/7*2/3) = 1000/21; bonus 3
    assert t.loc["L3", "pijler.kwaliteit"] == pytest.approx(0.4)
    assert math.isnan(t.loc["L3", "pijler.behoefte"])
    assert t.loc["L3", "ontbrekend.kwaliteit"] == pytest.approx(2 / 3)
    assert t.loc["L3", "ontbrekend.behoefte"] == pytest.approx(1.0)
    assert t.loc["L3", "totaal"] == pytest.approx(1000 / 21 + 3)
    assert t.loc["L3", "bijdrage.kwaliteit"] == pytest.approx(100 * 5 / 7 * 0.4)
    # missing weight of the whole model: 0.5*2/3 + 0.3*1 + 0.2*0
    assert t.loc["L3", "ontbrekend_gewicht"] == pytest.approx(0.5 * 2 / 3 + 0.3)
    # L4: kwaliteit 0.6, behoefte (1*2/4 + 3*2/10)/4 = 0.275, haalbaarheid 0 -> 38.25, a tie with L2
    assert t.loc["L4", "totaal"] == pytest.approx(38.25)
    # The order uses the worst case, totaal_min (unknowns at their lowest points), not the
    # herweeg total (changed on purpose, issue 8: L3 used to rank 2nd only because herweeg
    # dropped its three unknown criteria). Full weights W: n2k 0.5*2/3 = 1/3, afstand 1/6,
    # leegstand 0.3/4 = 0.075, sociaal 0.225, plan 0.1, grond 0.1.
    # L2: known 1/3*0.4 + 1/6*1 + 0.075*0.5 + 0.225*0.2 + 0.1*0 = 0.3825; plan at its lowest
    #     (zacht, 1/3): + 0.1/3 -> totaal_min 41.583; bonus extra 'nee' 0, netbewust unknown 0
    # L4: the same values -> 41.583, a tie with L2
    # L3: known 1/6*0.4 + 0.1/3 + 0.1*1 = 0.2; n2k 0, leegstand 1/4, sociaal 2/10 at their
    #     lowest: + 0.075/4 + 0.225*0.2 = 0.06375 -> 26.375, bonus 3 -> 29.375
    assert t["totaal_min"].tolist() == pytest.approx(
        [105.0, 38.25 + 10 / 3, 29.375, 38.25 + 10 / 3]
    )
    assert t["rang"].tolist() == [1, 2, 4, 2]
    assert t["klasse"].tolist() == ["A", "C", "B", "C"]
    assert t["uren_per_maand"].tolist() == [40, 4, 16, 4]


def test_model_1_nul_by_hand() -> None:
    t = score(model_1("nul"), inputs()).table
    # L2: plan unknown -> 0 points: haalbaarheid (0 + 0)/2 = 0, total unchanged 38.25
    assert t.loc["L2", "totaal"] == pytest.approx(38.25)
    # L3: kwaliteit (2*0 + 1*0.4)/3 = 2/15; behoefte (0 + 0)/4 = 0; haalbaarheid 2/3
    # total 100*(0.5*2/15 + 0 + 0.2*2/3) = 20; bonus 3 -> 23
    assert t.loc["L3", "pijler.kwaliteit"] == pytest.approx(2 / 15)
    assert t.loc["L3", "pijler.behoefte"] == pytest.approx(0.0)
    assert t.loc["L3", "totaal"] == pytest.approx(23.0)
    # the missing weight is reported whatever the policy
    assert t.loc["L3", "ontbrekend_gewicht"] == pytest.approx(0.5 * 2 / 3 + 0.3)
    assert t["rang"].tolist() == [1, 2, 4, 2]


def test_model_1_minimum_by_hand() -> None:
    t = score(model_1("minimum"), inputs()).table
    # L2: plan unknown -> lowest rule (zacht, 1 of 3): haalbaarheid (1/3 + 0)/2 = 1/6
    # total 100*(0.5*0.6 + 0.3*0.275 + 0.2/6) = 41.58333...
    assert t.loc["L2", "pijler.haalbaarheid"] == pytest.approx(1 / 6)
    assert t.loc["L2", "totaal"] == pytest.approx(100 * (0.3 + 0.0825 + 0.2 / 6))
    # L3: overlap -> 0 of 10: kwaliteit 2/15; leegstand -> 1 of 4, sociaal -> 2 of 10:
    # behoefte (1*0.25 + 3*0.2)/4 = 0.2125; total 100*(0.5*2/15 + 0.3*0.2125 + 0.2*2/3) = 26.375; +3
    assert t.loc["L3", "pijler.behoefte"] == pytest.approx(0.2125)
    assert t.loc["L3", "totaal"] == pytest.approx(29.375)


def test_model_2_by_hand_and_compare() -> None:
    model_2 = parse_model(MODEL_2, "golden2.yaml", KNOWN)
    first, second = score(model_1(), inputs()), score(model_2, inputs())
    t = second.table
    # L1 100*(0.7*1 + 0.3*1/10) = 73; L2 100*(0 + 0.3*10/10) = 30;
    # L3 overlap and fase unknown -> nul -> 0; L4 100*(0 + 0.3*5/10) = 15
    assert t["totaal"].tolist() == pytest.approx([73.0, 30.0, 0.0, 15.0])
    # L3 has no known criterion at all: no place in the order (it used to rank 4th on 0 points)
    assert t["rang"].astype("Float64").fillna(-1).tolist() == [1, 2, -1, 3]
    assert t.loc["L3", "dekking"] == 0.0
    assert t["klasse"].isna().all()  # no inzet section
    side = compare(first, second)
    assert side.attrs == {"model_a": "Golden 1", "model_b": "Golden 2"}
    assert side["rang_a"].tolist() == [1, 2, 4, 2]
    assert side["rang_verandering"].astype("Float64").fillna(99).tolist() == [0, 0, 99, -1]
    assert side.loc["L1", "verschil"] == pytest.approx(73.0 - 105.0)


def test_compare_needs_the_same_locations() -> None:
    base = inputs()
    fewer = ScoringInput(base.locations.iloc[:2], base.screening, base.indicators, base.answers)
    with pytest.raises(InputError, match="different locations: L3, L4"):
        compare(score(model_1(), base), score(model_1(), fewer))


def test_explanations() -> None:
    result = score(model_1(), inputs())
    row = explanation(result, "L2", "afstand")
    assert (row["waarde"], row["regel"], row["punten"], row["max_punten"], row["status"]) == (
        "> 5000",
        ">= 2000",
        5.0,
        5.0,
        "ok",
    )
    row = explanation(result, "L2", "plan")
    assert (row["status"], row["reden"]) == ("onbekend", "geen waarde")
    assert pd.isna(row["regel"]) and math.isnan(row["punten"])
    row = explanation(result, "L2", "n2k")
    # contribution: 100 * 0.5 * (2 * 0.4) / 3
    assert row["bijdrage"] == pytest.approx(100 * 0.5 * 0.8 / 3)
    row = explanation(result, "L1", "extra")
    assert (row["pijler"], row["punten"]) == ("bonus", 4.0)
    assert row["bijdrage"] == pytest.approx(4 * 5 / 7)  # scaled down by the cap
    # contributions add up to the total for every location
    sums = result.explanation.groupby("id")["bijdrage"].sum()
    assert sums.reindex(IDS).tolist() == pytest.approx(result.table["totaal"].tolist())


def test_value_matching_no_rule_is_onbekend() -> None:
    base = inputs()
    locations = base.locations.assign(planstatus=["in procedure", None, "zacht", None])
    result = score(
        model_1("nul"), ScoringInput(locations, base.screening, base.indicators, base.answers)
    )
    row = explanation(result, "L1", "plan")
    assert (row["waarde"], row["status"], row["reden"], row["punten"]) == (
        "in procedure",
        "onbekend",
        "geen regel van toepassing",
        0.0,
    )
    # haalbaarheid (0 + 1)/2 -> total 100*(0.5 + 0.3 + 0.1) = 90, bonus 5
    assert result.table.loc["L1", "totaal"] == pytest.approx(95.0)


def test_missing_tables_and_columns() -> None:
    base = inputs()
    result = score(
        model_1(), ScoringInput(base.locations[["id", "naam"]], None, base.indicators, None)
    )
    row = explanation(result, "L1", "n2k")
    assert (row["status"], row["reden"]) == (
        "onbekend",
        "bron ontbreekt: laag.synthetic_n2k.overlap_pct",
    )
    assert explanation(result, "L1", "plan")["reden"] == "bron ontbreekt: attribuut.planstatus"
    t = result.table
    # only behoefte is known: L1 (1*1 + 3*1)/4 = 1 -> the whole weight -> 100; bonus 0
    assert t.loc["L1", "totaal"] == pytest.approx(100.0)
    assert t.loc["L1", "ontbrekend_gewicht"] == pytest.approx(0.7)
    # L3 has no data at all: no total, no class, no rank
    assert math.isnan(t.loc["L3", "totaal"])
    assert pd.isna(t.loc["L3", "klasse"])
    assert t["rang"].isna().tolist() == [False, False, True, False]


def test_screening_object_and_id_columns_are_accepted() -> None:
    base = inputs()
    problem = "laag niet beschikbaar: geen bron bereikbaar"
    screening = SimpleNamespace(table=base.screening, problemen={"synthetic_n2k": problem})
    answers = base.answers.reset_index()  # answers keyed by an `id` column
    result = score(model_1(), ScoringInput(base.locations, screening, base.indicators, answers))
    assert result.table["totaal"].tolist() == pytest.approx(
        score(model_1(), base).table["totaal"].tolist()
    )
    # the screening's reason explains an unknown layer value
    assert explanation(result, "L3", "n2k")["reden"] == problem
    assert explanation(result, "L3", "leegstand")["reden"] == "geen waarde"


def test_records_shape() -> None:
    records = score(model_1(), inputs()).records()
    assert [r["id"] for r in records] == ["L1", "L2", "L4", "L3"]  # rank order, ties by name
    first = records[0]
    assert list(first) == [
        "id",
        "naam",
        "ontvankelijk",
        "voorwaarden",
        "totaal",
        "totaal_min",
        "totaal_max",
        "dekking",
        "oordeel",
        "pijlers",
        "bonus",
        "klasse",
        "uren_per_maand",
        "rang",
        "rang_min",
        "rang_max",
        "ontbrekend_gewicht",
        "criteria",
        "toetsing",
    ]
    assert (first["ontvankelijk"], first["voorwaarden"], first["oordeel"]) == ("ja", "", "")
    assert (first["rang"], first["rang_min"], first["rang_max"]) == (1, 1, 1)
    assert first["toetsing"] == []  # the model has no voorwaarden
    assert first["pijlers"]["kwaliteit"] == {
        "score": 1.0,
        "gewicht": 0.5,
        "bijdrage": 50.0,
        "ontbrekend_gewicht": 0.0,
    }
    assert [c["id"] for c in first["criteria"]] == [
        "n2k",
        "afstand",
        "leegstand",
        "sociaal",
        "plan",
        "grond",
        "extra",
        "netbewust",
    ]
    assert set(first["criteria"][0]) >= {
        "id",
        "waarde",
        "regel",
        "punten",
        "gewicht",
        "bijdrage",
        "status",
    }
    unknown = next(c for c in records[1]["criteria"] if c["id"] == "plan")
    assert unknown["punten"] is None and unknown["status"] == "onbekend"


def test_ties_share_rank_despite_float_noise() -> None:
    base = inputs()
    screening = base.screening.copy()
    screening["synthetic_n2k.overlap_pct"] = [0.0, 0.0, 0.0, 0.0]
    screening["synthetic_n2k.distance_m"] = [3000.0] * 4
    indicators = pd.DataFrame(
        {"leegstand_pct": [1.0] * 4, "sociale_huur_pct": [10.0] * 4}, index=pd.Index(IDS, name="id")
    )
    answers = base.answers.assign(grondpositie="gemeente", extra="nee", netbewust=None)
    locations = base.locations.assign(planstatus="hard")
    t = score(model_1(), ScoringInput(locations, screening, indicators, answers)).table
    assert t["totaal"].tolist() == pytest.approx([100.0] * 4)
    assert t["rang"].tolist() == [1, 1, 1, 1]


def test_location_ids_must_exist_and_be_unique() -> None:
    base = inputs()
    with pytest.raises(InputError, match="need a column 'id'"):
        score(model_1(), ScoringInput(base.locations.drop(columns="id")))
    twice = base.locations.assign(id=["L1", "L2", "L1", "L2"])
    with pytest.raises(InputError, match="not unique: L1, L2 occur more than once") as err:
        score(model_1(), ScoringInput(twice))
    assert "komen dubbel voor" in err.value.nl


def readme_example() -> str:
    """The YAML block of the worked example in scoring/README.md."""
    text = (SCORING_DIR / "README.md").read_text(encoding="utf-8")
    section = text.split("## Worked example", 1)[1]
    return section.split("```yaml\n", 1)[1].split("```", 1)[0]


@pytest.mark.parametrize(
    ("policy", "x2_total", "x2_class"),
    [("herweeg", 80.0, "A"), ("nul", 67.5, "B"), ("minimum", 72.5, "A")],
)
def test_readme_worked_example(policy: str, x2_total: float, x2_class: str) -> None:
    known = Known(metrics={"natura2000": ["overlap_pct"], "water_bodem": ["klasse"]}, indicators=[])
    text = readme_example().replace("onbekend: herweeg", f"onbekend: {policy}")
    model = parse_model(text, "README.md", known)
    ids = pd.Index(["X1", "X2", "X3"], name="id")
    locations = pd.DataFrame({"id": ids, "naam": ids, "planstatus": ["hard", None, "zacht"]})
    screening = pd.DataFrame(
        {"natura2000.overlap_pct": [0.0, 3.0, 12.0], "water_bodem.klasse": ["B", "A", None]},
        index=ids,
    )
    answers = pd.DataFrame(
        {
            "grondpositie": ["ontwikkelaar", "gemeente", None],
            "extra_betaalbaar": ["ja", "nee", None],
            "netbewust_bouwen": ["ja", None, "ja"],
        },
        index=ids,
    )
    result = score(model, ScoringInput(locations, screening, None, answers))
    t = result.table
    assert t.loc["X2", "totaal"] == pytest.approx(x2_total)
    assert t.loc["X2", "klasse"] == x2_class
    assert t.loc["X2", "ontbrekend_gewicht"] == pytest.approx(0.125)
    if policy == "herweeg":
        assert t["totaal"].round(2).tolist() == [89.83, 80.0, 22.0]
        assert t["klasse"].tolist() == ["A", "A", "C"]
        assert t["rang"].tolist() == [1, 2, 3]
        assert t.loc["X1", "pijler.kwaliteit"] == pytest.approx(2.6 / 3)
        assert t.loc["X1", "pijler.haalbaarheid"] == pytest.approx(0.85)
        assert t.loc["X3", "ontbrekend_gewicht"] == pytest.approx(0.5 / 3 + 0.5 * 0.75)
        assert explanation(result, "X1", "extra_betaalbaar")["bijdrage"] == pytest.approx(2.4)
        assert explanation(result, "X1", "netbewust")["bijdrage"] == pytest.approx(1.6)

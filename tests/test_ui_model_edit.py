"""Model editing in the UI: every edit yields model data that the real validator accepts or
rejects with a clear Dutch message."""

from __future__ import annotations

import pandas as pd
import pytest

from locatiescan.errors import ConfigError, InputError
from locatiescan.scoring import ScoringInput, parse_model, score
from locatiescan.scoring.sources import Known
from locatiescan.ui import model_edit

KNOWN = Known(
    metrics={"synthetic_n2k": ["overlap_pct", "distance_m"]}, indicators=["leegstand_pct"]
)
MODEL = """
naam: Synthetisch
pijlers:
  natuur:
    gewicht: 0.6
    label: Natuur
    criteria:
      - id: n2k
        label: Overlap Natura 2000
        bron: laag.synthetic_n2k.overlap_pct
        regels: [{als: "== 0", punten: 10}, {als: "< 5", punten: 4}, {anders: 0}]
      - id: afstand
        label: Afstand
        bron: laag.synthetic_n2k.distance_m
        gewicht: 2
        regels: [{als: ">= 1000", punten: 5}, {anders: 0}]
  behoefte:
    gewicht: 0.4
    criteria:
      - id: leegstand
        label: Leegstand
        bron: indicator.leegstand_pct
        regels: [{als: "< 3", punten: 4}, {anders: 1}]
inzet:
  - {vanaf: 60, klasse: A, uren_per_maand: 16}
  - {anders: true, klasse: B, uren_per_maand: 4}
"""


@pytest.fixture
def data() -> dict:
    return model_edit.as_data(parse_model(MODEL, "synthetisch.yaml", KNOWN))


def test_round_trip_is_unchanged(data):
    model = model_edit.validated(data, "x", KNOWN)
    assert model_edit.as_data(model) == data


def test_pillar_weights_normalised_and_applied(data):
    weights = model_edit.normalised({"natuur": 1.0, "behoefte": 3.0})
    assert weights == {"natuur": 0.25, "behoefte": 0.75}
    model = model_edit.validated(model_edit.set_pillar_weights(data, weights), "x", KNOWN)
    assert model.pijlers["natuur"].gewicht == 0.25
    thirds = model_edit.normalised({"a": 1.0, "b": 1.0, "c": 1.0})
    assert sum(thirds.values()) == pytest.approx(1.0, abs=1e-9)


@pytest.mark.parametrize(
    "weights", [{"natuur": 0.0, "behoefte": 0.0}, {"natuur": -1.0, "behoefte": 2.0}]
)
def test_bad_weights_are_refused(weights):
    with pytest.raises(InputError) as info:
        model_edit.normalised(weights)
    assert "gewichten" in info.value.nl


def test_weights_not_summing_to_one_fail_validation_in_dutch(data):
    edited = model_edit.set_pillar_weights(data, {"natuur": 0.9})
    with pytest.raises(ConfigError) as info:
        model_edit.validated(edited, "aangepast model", KNOWN)
    assert "pijlergewichten tellen op tot 1.3" in info.value.nl


def test_unknown_pillar_or_criterion(data):
    with pytest.raises(InputError, match="bestaat"):
        model_edit.set_pillar_weights(data, {"bestaat_niet": 1.0})
    with pytest.raises(InputError, match="bestaat"):
        model_edit.set_criterion_weights(data, {"bestaat_niet": 1.0})


def test_weight_change_reorders_the_ranking(data):
    locations = pd.DataFrame({"id": ["nat", "vraag"], "naam": ["Natuurvrij", "Veel vraag"]})
    screening = pd.DataFrame(
        {"synthetic_n2k.overlap_pct": [0.0, 10.0], "synthetic_n2k.distance_m": [5000.0, 0.0]},
        index=["nat", "vraag"],
    )
    indicators = pd.DataFrame({"leegstand_pct": [8.0, 1.0]}, index=["nat", "vraag"])
    inputs = ScoringInput(locations, screening, indicators)
    before = score(model_edit.validated(data, "x", KNOWN), inputs).table["rang"]
    shifted = model_edit.set_pillar_weights(data, {"natuur": 0.1, "behoefte": 0.9})
    after = score(model_edit.validated(shifted, "x", KNOWN), inputs).table["rang"]
    # natuur: nat 1.0 vs vraag 0.0; behoefte: nat 0.25 vs vraag 1.0
    assert list(before) == [1, 2]  # 60 + 10 = 70 vs 40
    assert list(after) == [2, 1]  # 10 + 22.5 = 32.5 vs 90


def test_criterion_table_and_weights(data):
    frame = model_edit.criteria_frame(data)
    assert list(frame["id"]) == ["n2k", "afstand", "leegstand"]
    assert list(frame["gewicht"]) == [1.0, 2.0, 1.0]
    edited = model_edit.set_criterion_weights(data, {"afstand": 0.5})
    assert model_edit.validated(edited, "x", KNOWN).pijlers["natuur"].criteria[1].gewicht == 0.5


def test_rules_round_trip_and_threshold_edit(data):
    frame = model_edit.rules_frame(data, "n2k")
    assert frame.to_dict("records") == [
        {"als": "== 0", "punten": 10.0},
        {"als": "< 5", "punten": 4.0},
        {"als": "anders", "punten": 0.0},
    ]
    frame.loc[1, "als"] = "< 10"
    frame.loc[3] = [None, None]  # the empty row a data editor leaves
    model = model_edit.validated(model_edit.set_rules(data, "n2k", frame), "x", KNOWN)
    assert [r.text for r in model.pijlers["natuur"].criteria[0].regels] == [
        "== 0",
        "< 10",
        "anders",
    ]


def test_bad_threshold_is_reported_with_its_place(data):
    frame = model_edit.rules_frame(data, "n2k")
    frame.loc[0, "als"] = "ongeveer 3"
    with pytest.raises(ConfigError) as info:
        model_edit.validated(model_edit.set_rules(data, "n2k", frame), "aangepast model", KNOWN)
    assert "aangepast model" in info.value.nl and "n2k" in info.value.nl


def test_inzet_edit(data):
    frame = model_edit.inzet_frame(data)
    assert frame["klasse"].tolist() == ["A", "B"] and pd.isna(frame.loc[1, "vanaf"])
    frame.loc[0, "vanaf"] = 75.0
    model = model_edit.validated(model_edit.set_inzet(data, frame), "x", KNOWN)
    assert model.inzet[0].vanaf == 75.0 and model.inzet[1].anders is True


def test_add_and_remove_criteria(data):
    added = model_edit.add_criterion(
        data,
        "behoefte",
        "leegstand_hoog",
        "Hoge leegstand",
        "indicator.leegstand_pct",
        2.0,
        "> 5 => 3\nanders => 0",
    )
    model = model_edit.validated(added, "x", KNOWN)
    assert [c.id for c in model.pijlers["behoefte"].criteria] == ["leegstand", "leegstand_hoog"]
    removed = model_edit.remove_criteria(added, ["afstand"])
    assert [c.id for _, c in model_edit.validated(removed, "x", KNOWN).criteria()] == [
        "n2k",
        "leegstand",
        "leegstand_hoog",
    ]


def test_removing_the_last_criterion_of_a_pillar_fails_validation(data):
    with pytest.raises(ConfigError) as info:
        model_edit.validated(model_edit.remove_criteria(data, ["leegstand"]), "x", KNOWN)
    assert "behoefte" in info.value.nl


def test_added_criterion_with_unknown_source_fails_validation(data):
    added = model_edit.add_criterion(
        data, "natuur", "x1", "X", "laag.bestaat_niet.overlap_pct", 1, "anders => 1"
    )
    with pytest.raises(ConfigError) as info:
        model_edit.validated(added, "x", KNOWN)
    assert "onbekende laag 'bestaat_niet'" in info.value.nl


def test_rules_text_errors_list_every_bad_line():
    assert model_edit.parse_rules_text("< 3 => 2,5\n\nanders => 0") == [
        {"als": "< 3", "punten": 2.5},
        {"anders": 0.0},
    ]
    with pytest.raises(InputError) as info:
        model_edit.parse_rules_text("< 3 => twee\nanders\n=> 1")
    assert (
        "1: '< 3 => twee'" in info.value.nl
        and "2: 'anders'" in info.value.nl
        and "3: '=> 1'" in info.value.nl
    )


def test_renamed_needs_a_name(data):
    assert model_edit.renamed(data, "  Mijn model ")["naam"] == "Mijn model"
    with pytest.raises(InputError):
        model_edit.renamed(data, "   ")


def test_ahp_writes_plain_weights(data):
    # natuur 3 times as important as behoefte: weights 3/4 and 1/4 (2x2 is always consistent)
    assert model_edit.pillar_pairs(data) == [("natuur", "behoefte")]
    new, result = model_edit.apply_ahp(data, {("natuur", "behoefte"): 3.0})
    assert model_edit.pillar_weights(new) == {"natuur": 0.75, "behoefte": 0.25}
    assert result.cr == 0.0 and result.waarschuwing is None
    # the model stays plain YAML: ordinary gewicht values, nothing about AHP
    text = model_edit.to_yaml(new)
    assert "gewicht: 0.75" in text and "ahp" not in text.lower()
    assert model_edit.validated(new, "x", KNOWN).pijlers["behoefte"].gewicht == 0.25
    # the reverse judgement (1/3) swaps them
    new, _ = model_edit.apply_ahp(data, {("natuur", "behoefte"): 1 / 3})
    assert model_edit.pillar_weights(new) == {"natuur": 0.25, "behoefte": 0.75}


def test_ahp_three_pillars_inconsistent(data):
    leegstand = data["pijlers"]["behoefte"]["criteria"][0]
    data["pijlers"]["extra"] = {"gewicht": 0.0, "criteria": [dict(leegstand, id="leegstand_2")]}
    # a = 4, b = 2, c = 4 (see tests/test_scoring_ahp.py): weights (4, 2, 1)/7, CR 0.43
    judgements = {("natuur", "behoefte"): 4.0, ("natuur", "extra"): 2.0, ("behoefte", "extra"): 4.0}
    new, result = model_edit.apply_ahp(data, judgements)
    assert model_edit.pillar_weights(new) == {"natuur": 0.5714, "behoefte": 0.2857, "extra": 0.1429}
    assert result.waarschuwing is not None and "0,43" in result.waarschuwing
    with pytest.raises(InputError, match="unknown pillar"):
        model_edit.apply_ahp(data, {("natuur", "onbekend"): 3.0})


def test_comparison_texts():
    options = model_edit.comparison_options()
    assert len(options) == 17 and options[0] == 9.0 and options[8] == 1.0
    assert options[-1] == pytest.approx(1 / 9)
    assert model_edit.comparison_text(7.0, "Natuur", "Behoefte") == (
        "Natuur is veel belangrijker dan Behoefte (7)"
    )
    assert model_edit.comparison_text(1 / 3, "Natuur", "Behoefte") == (
        "Behoefte is iets belangrijker dan Natuur (3)"
    )
    assert model_edit.comparison_text(1.0, "Natuur", "Behoefte") == (
        "Natuur en Behoefte zijn even belangrijk"
    )


def _ahp_page() -> None:  # runs inside Streamlit's AppTest
    import streamlit as st

    from locatiescan.ui import model_edit

    data = {
        "naam": "x",
        "pijlers": {
            "natuur": {"gewicht": 0.5, "label": "Natuur", "criteria": []},
            "behoefte": {"gewicht": 0.5, "criteria": []},
        },
    }
    new, result = model_edit.ahp_form(st, data)
    st.session_state["gewichten"] = model_edit.pillar_weights(new)
    st.session_state["cr"] = result.cr


def test_ahp_form_renders_in_dutch_and_returns_weights():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_ahp_page).run()
    assert not at.exception
    slider = at.select_slider[0]
    assert slider.label == "Natuur tegenover behoefte"
    assert at.session_state["gewichten"] == {"natuur": 0.5, "behoefte": 0.5}
    slider.set_value(5.0).run()
    # 5 against 1: 5/6 and 1/6
    assert at.session_state["gewichten"] == {"natuur": 0.8333, "behoefte": 0.1667}
    assert "Consistentieratio 0,00" in at.caption[-1].value

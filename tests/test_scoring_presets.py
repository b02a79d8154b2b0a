"""Every shipped scoring model validates (real catalog) and scores the 42 real policy sites."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from locatiescan.indicators import indicators_for_locations
from locatiescan.paths import SCORING_DIR
from locatiescan.registry import load_locations
from locatiescan.scoring import ScoringInput, list_models, load_model, score
from locatiescan.screening import screen_locations

PRESETS = [
    "doorbraak_shortlist",
    "kansrijk_bouwen",
    "woningbouwimpuls_2024",
    "woningbouwimpuls_2025",
]


@pytest.fixture(scope="module")
def real_inputs() -> ScoringInput:
    """The 42 policy sites, screened offline for the layers the presets use, with indicators."""
    locations = load_locations()
    screening = screen_locations(
        locations, ["natura2000", "netcongestie", "water_bodem"], online=False
    )
    return ScoringInput(locations, screening, indicators_for_locations(locations))


def test_the_shipped_models_are_the_presets() -> None:
    assert [entry.path.stem for entry in list_models()] == PRESETS


@pytest.mark.parametrize("name", PRESETS)
def test_preset_validates_and_documents_every_criterion(name: str) -> None:
    model = load_model(SCORING_DIR / f"{name}.yaml")
    assert sum(p.gewicht for p in model.pijlers.values()) == pytest.approx(1.0)
    for _, criterion in model.criteria():
        assert criterion.toelichting and "\n" not in criterion.toelichting.strip(), criterion.id
    for item in model.bonus:
        assert item.toelichting, item.id
    assert model.inzet and model.inzet[-1].anders


def test_woningbouwimpuls_weights() -> None:
    weights = {
        n: {
            p: m.gewicht
            for p, m in load_model(SCORING_DIR / f"woningbouwimpuls_{n}.yaml").pijlers.items()
        }
        for n in ("2024", "2025")
    }
    assert weights["2024"] == {
        "noodzaak": 0.25,
        "effectiviteit": 0.25,
        "efficientie": 0.25,
        "urgentie": 0.25,
    }
    assert weights["2025"] == {
        "noodzaak": 0.30,
        "effectiviteit": 0.30,
        "efficientie": 0.15,
        "urgentie": 0.25,
    }


@pytest.mark.parametrize("name", PRESETS)
def test_preset_scores_the_42_policy_sites(name: str, real_inputs: ScoringInput) -> None:
    model = load_model(SCORING_DIR / f"{name}.yaml")
    result = score(model, real_inputs)
    table = result.table
    # 5 koploper + 23 doorbraak + 15 grootschalig = 43 list rows; KL-01 and DB-16 (Purmerend-
    # Oostflank) are one site listed under both programmes: 43 - 1 = 42 (issue 9)
    assert len(table) == 42 and table.index.is_unique
    # the bounds hold every possible total; the order and its intervals are always there
    assert (table["totaal_min"] >= 0).all() and (table["totaal_max"] <= 100 + model.bonus_max).all()
    assert (table["totaal_min"] <= table["totaal_max"]).all()
    # a location without any known criterion has no rank. Under the doorbraak shortlist (layers,
    # attribuut.planstatus, questions incl. the dossier's woningen_min, absent here) those are the
    # gemeente-level sites (every layer withheld) without planstatus: KL-05, the 17 doorbraak
    # sites DB-06..DB-23 except DB-16 (one site with KL-01) and GS-02, GS-03, GS-06, GS-09
    # (gemeente-level, with a homes count that only the dossier would carry) = 22. The others
    # read indicators.
    ranked = table["dekking"] > 0
    assert table.loc[ranked, "rang"].notna().all() and table["rang"].min() == 1
    assert table.loc[~ranked, ["rang", "rang_min", "rang_max"]].isna().all().all()
    sites = real_inputs.locations.set_index("id")
    blind = sites["geometrie_kwaliteit"].eq("gemeente") & sites["planstatus"].isna()
    unranked = sorted(table.index[~ranked])
    if name == "doorbraak_shortlist":
        assert unranked == sorted(sites.index[blind]) and len(unranked) == 22
    else:
        assert unranked == []
    table = table[ranked]
    assert (table["rang_min"] <= table["rang"]).all() and (table["rang"] <= table["rang_max"]).all()
    # below minimale_dekking total, class and hours are withheld, and the oordeel says why
    withheld = table["dekking"] < model.minimale_dekking
    assert table.loc[withheld, ["totaal", "klasse", "uren_per_maand"]].isna().all().all()
    assert table.loc[withheld, "oordeel"].str.startswith("onvoldoende gegevens (").all()
    assert (table.loc[~withheld, "oordeel"] == "").all()
    known = table["totaal"].notna()
    assert known.sum() == (~withheld).sum()
    assert (table.loc[known, "totaal"] <= 100 + model.bonus_max).all()
    eligible = known & (table["ontvankelijk"] == "ja")
    assert table.loc[eligible, "klasse"].isin([rule.klasse for rule in model.inzet]).all()
    # contributions add up to the total wherever it is known
    sums = result.explanation.groupby("id")["bijdrage"].sum().reindex(table.index)
    assert np.allclose(sums[known], table.loc[known, "totaal"])
    # without answers every question-based criterion is unknown, and says so
    questions = result.explanation[result.explanation["bron"].str.startswith("vraag.")]
    assert (questions["status"] == "onbekend").all()
    assert (questions["reden"] == "geen antwoord").all()
    assert (table["ontbrekend_gewicht"] > 0).all()
    assert np.allclose(table["dekking"], 1 - table["ontbrekend_gewicht"])


def test_only_kansrijk_bouwen_gives_totals_without_answers(real_inputs: ScoringInput) -> None:
    # the layers cover about 40 % of kansrijk_bouwen (minimale_dekking 0.35) but only 15 % of
    # the doorbraak shortlist (0.6) and at most 21 % of the Woningbouwimpuls models (0.75)
    for name in PRESETS:
        table = score(load_model(SCORING_DIR / f"{name}.yaml"), real_inputs).table
        has_totals = table["totaal"].notna().any()
        assert has_totals == (name == "kansrijk_bouwen"), name


def test_kansrijk_bouwen_uses_the_real_layers(real_inputs: ScoringInput) -> None:
    result = score(load_model(SCORING_DIR / "kansrijk_bouwen.yaml"), real_inputs)
    rows = result.explanation
    locations = real_inputs.locations.set_index("id")
    gemeente_level = rows["id"].map(locations["geometrie_kwaliteit"]).eq("gemeente")
    assert gemeente_level.any()
    for criterion in ("sociale_huur_gemeente", "leegstand"):  # gemeente indicators: everyone
        status = rows.loc[rows["criterium"] == criterion, "status"]
        assert (status == "ok").mean() > 0.8, criterion
    for criterion in ("natura2000_overlap", "natura2000_afstand", "water_bodem", "netcongestie"):
        own = rows[(rows["criterium"] == criterion) & ~gemeente_level]
        assert (own["status"] == "ok").mean() > 0.8, criterion
        # a gemeente-level footprint is not the site: unknown with the reason, never a value
        withheld = rows[(rows["criterium"] == criterion) & gemeente_level]
        assert (withheld["status"] == "onbekend").all(), criterion
        assert (withheld["reden"] == "niet te bepalen: alleen de gemeente is bekend").all()
        assert withheld["waarde"].isna().all(), criterion
    # every located site's distance is a number or "farther than the radius"
    distances = rows.loc[(rows["criterium"] == "natura2000_afstand") & ~gemeente_level, "waarde"]
    assert all(isinstance(v, float) or str(v).startswith("> ") for v in distances)


def test_answers_raise_the_score(real_inputs: ScoringInput) -> None:
    model = load_model(SCORING_DIR / "kansrijk_bouwen.yaml")
    first_option = {q.id: (q.max if q.type == "getal" else q.allowed()[0]) for q in model.vragen}
    ids = real_inputs.locations["id"]
    answers = pd.DataFrame([first_option] * len(ids), index=pd.Index(ids, name="id"))
    answers.loc["KL-01", "grondpositie"] = "geen"
    result = score(
        model,
        ScoringInput(real_inputs.locations, real_inputs.screening, real_inputs.indicators, answers),
    )
    with_answers, without = result.table, score(model, real_inputs).table
    # every total is known with the answers; without them the gemeente-level sites (all layers
    # withheld) are below minimale_dekking, so their totals are withheld and not compared
    assert with_answers["totaal"].notna().all()
    both = without["totaal"].notna()
    sites = real_inputs.locations.set_index("id")
    gemeente_level = sites.index[sites["geometrie_kwaliteit"].eq("gemeente")]
    assert sorted(without.index[~both]) == sorted(gemeente_level)
    assert (with_answers.loc[both, "totaal"] > without.loc[both, "totaal"]).all()
    assert (with_answers["totaal_min"] > without["totaal_min"]).all()
    assert (with_answers["bonus"] == 10).all()  # 3 + 3 + 2 + 2 = 10 = bonus_max
    rows = result.explanation
    grond = rows[(rows["id"] == "KL-01") & (rows["criterium"] == "grondpositie")].iloc[0]
    assert (grond["waarde"], grond["regel"], grond["punten"], grond["status"]) == (
        "geen",
        "== geen",
        0.0,
        "ok",
    )


def test_model_files_are_plain_yaml(tmp_path: Path) -> None:
    # the woningbouwimpuls files share one 1-10 scale through a YAML anchor; it must load as data
    model = load_model(SCORING_DIR / "woningbouwimpuls_2025.yaml")
    scales = [c.regels for _, c in model.criteria() if c.id.endswith("_score")]
    assert len(scales) == 4 and all(s == scales[0] for s in scales)
    assert [r.points for r in scales[0]] == [10, 9, 8, 7, 6, 5, 4, 3, 2, 1]

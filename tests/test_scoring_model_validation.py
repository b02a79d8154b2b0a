"""Scoring model validation: each rule gives an error naming file, criterion and problem."""

from __future__ import annotations

import copy
import shutil
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml

from locatiescan.errors import ConfigError, InputError
from locatiescan.paths import LAYERS_DIR
from locatiescan.scoring.io import (
    check_answers,
    known_sources,
    list_models,
    load_answers,
    load_model,
    model_to_yaml,
    parse_model,
    save_model,
)
from locatiescan.scoring.sources import Known, parse_source

KNOWN = Known(
    metrics={"synthetic_n2k": ["overlap_ha", "overlap_pct", "names", "distance_m"]},
    indicators=["leegstand_pct"],
)

BASE: dict[str, Any] = {
    "naam": "Test",
    "onbekend": "herweeg",
    "pijlers": {
        "kwaliteit": {
            "gewicht": 0.6,
            "criteria": [
                {
                    "id": "n2k_overlap",
                    "label": "Overlap",
                    "bron": "laag.synthetic_n2k.overlap_pct",
                    "gewicht": 2,
                    "regels": [
                        {"als": "== 0", "punten": 10},
                        {"als": "< 5", "punten": 4},
                        {"anders": 0},
                    ],
                },
                {
                    "id": "leegstand",
                    "label": "Leegstand",
                    "bron": "indicator.leegstand_pct",
                    "regels": [{"als": "< 3", "punten": 5}, {"anders": 1}],
                },
            ],
        },
        "haalbaarheid": {
            "gewicht": 0.4,
            "criteria": [
                {
                    "id": "grond",
                    "label": "Grondpositie",
                    "bron": "vraag.grondpositie",
                    "regels": [{"als": "in [gemeente, ontwikkelaar]", "punten": 2}, {"anders": 0}],
                },
                {
                    "id": "status",
                    "label": "Planstatus",
                    "bron": "attribuut.planstatus",
                    "regels": [{"als": "== hard", "punten": 1}],
                },
            ],
        },
    },
    "bonus": [{"id": "extra", "bron": "vraag.extra", "regels": [{"als": "== ja", "punten": 3}]}],
    "bonus_max": 5,
    "inzet": [
        {"vanaf": 70, "klasse": "A", "uren_per_maand": 40},
        {"vanaf": 45, "klasse": "B", "uren_per_maand": 16},
        {"anders": True, "klasse": "C", "uren_per_maand": 4},
    ],
    "vragen": [
        {
            "id": "grondpositie",
            "label": "Wie heeft de grond?",
            "type": "keuze",
            "opties": ["gemeente", "ontwikkelaar", "geen"],
        },
        {"id": "extra", "label": "Extra betaalbaar?", "type": "ja_nee"},
        {"id": "score", "label": "Score", "type": "getal", "min": 1, "max": 10},
    ],
}


def write(tmp_path: Path, data: dict[str, Any], name: str = "model.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def problems(tmp_path: Path, data: dict[str, Any]) -> ConfigError:
    with pytest.raises(ConfigError) as err:
        load_model(write(tmp_path, data), KNOWN)
    assert err.value.en.startswith("model.yaml: invalid scoring model")
    assert err.value.nl.startswith("model.yaml: ongeldig scoremodel")
    return err.value


def model(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(BASE)
    data.update(changes)
    return data


def criterion(data: dict[str, Any], pillar: str, index: int) -> dict[str, Any]:
    return data["pijlers"][pillar]["criteria"][index]


def test_base_model_is_valid(tmp_path: Path) -> None:
    loaded = load_model(write(tmp_path, BASE), KNOWN)
    assert [c.id for _, c in loaded.criteria()] == ["n2k_overlap", "leegstand", "grond", "status"]
    assert loaded.pijlers["kwaliteit"].criteria[0].max_points == 10
    assert loaded.pijlers["kwaliteit"].criteria[0].min_points == 0
    assert [str(s) for s in loaded.sources()] == [
        "laag.synthetic_n2k.overlap_pct",
        "indicator.leegstand_pct",
        "vraag.grondpositie",
        "attribuut.planstatus",
        "vraag.extra",
    ]


def test_unknown_keys_everywhere(tmp_path: Path) -> None:
    data = model(kleur="rood")
    criterion(data, "kwaliteit", 0)["weging"] = 2
    criterion(data, "haalbaarheid", 1)["regels"][0]["score"] = 1
    err = problems(tmp_path, data)
    assert "(3 problems)" in err.en
    assert "kleur: unknown key 'kleur'" in err.en
    assert "pijler kwaliteit, criterium n2k_overlap, weging: unknown key 'weging'" in err.en
    assert "pijler haalbaarheid, criterium status, regel 1, score: unknown key 'score'" in err.en
    assert "onbekende sleutel 'weging'" in err.nl


def test_bad_condition_names_criterion_and_rule(tmp_path: Path) -> None:
    data = model()
    criterion(data, "kwaliteit", 0)["regels"][1]["als"] = "=< 5"
    err = problems(tmp_path, data)
    where = "pijler kwaliteit, criterium n2k_overlap, regel 2, als"
    assert f"{where}: bad condition '=< 5': unknown operator" in err.en
    assert "ongeldige voorwaarde '=< 5': onbekende operator" in err.nl


@pytest.mark.parametrize(
    ("bron", "fragment"),
    [
        ("laag.synthetic_onbekend.overlap_pct", "unknown layer 'synthetic_onbekend'"),
        ("laag.synthetic_n2k.afstand", "layer 'synthetic_n2k' has no metric 'afstand'"),
        ("indicator.geluk", "unknown indicator 'geluk'"),
        ("vraag.onbekend", "question 'onbekend' is not defined under 'vragen'"),
        ("kaart.natura2000", "bad source 'kaart.natura2000'"),
        ("laag.natura2000", "bad source 'laag.natura2000'"),
        ("attribuut.Plan Status", "bad source 'attribuut.Plan Status'"),
    ],
)
def test_unknown_sources(tmp_path: Path, bron: str, fragment: str) -> None:
    data = model()
    criterion(data, "haalbaarheid", 1)["bron"] = bron
    err = problems(tmp_path, data)
    assert "pijler haalbaarheid, criterium status" in err.en
    assert fragment in err.en


def test_any_attribute_column_of_valid_form_is_allowed(tmp_path: Path) -> None:
    data = model()
    criterion(data, "haalbaarheid", 1)["bron"] = "attribuut.eigen_kolom_2"
    assert (
        load_model(write(tmp_path, data), KNOWN).pijlers["haalbaarheid"].criteria[1].source.name
        == "eigen_kolom_2"
    )


def test_pillar_weights_must_sum_to_one(tmp_path: Path) -> None:
    data = model()
    data["pijlers"]["kwaliteit"]["gewicht"] = 0.5
    err = problems(tmp_path, data)
    assert "pijlers: pillar weights sum to 0.9, not 1 (kwaliteit=0.5, haalbaarheid=0.4)" in err.en
    assert "pijlergewichten tellen op tot 0.9" in err.nl


def test_weight_sum_tolerance(tmp_path: Path) -> None:
    data = model()
    data["pijlers"]["kwaliteit"]["gewicht"] = 0.6 + 5e-7
    load_model(write(tmp_path, data), KNOWN)
    data["pijlers"]["kwaliteit"]["gewicht"] = 0.6 + 2e-6
    problems(tmp_path, data)


def test_negative_weights(tmp_path: Path) -> None:
    data = model()
    data["pijlers"]["kwaliteit"]["gewicht"] = -0.6
    criterion(data, "haalbaarheid", 0)["gewicht"] = -1
    criterion(data, "haalbaarheid", 1)["gewicht"] = 0
    err = problems(tmp_path, data)
    assert "pijler kwaliteit, gewicht: must be >= 0" in err.en
    assert "pijler haalbaarheid, criterium grond, gewicht: must be > 0" in err.en
    assert "pijler haalbaarheid, criterium status, gewicht: must be > 0" in err.en
    assert "moet > 0 zijn" in err.nl


def test_empty_rules_and_empty_pillar(tmp_path: Path) -> None:
    data = model()
    criterion(data, "kwaliteit", 1)["regels"] = []
    data["pijlers"]["haalbaarheid"]["criteria"] = []
    err = problems(tmp_path, data)
    assert "pijler kwaliteit, criterium leegstand, regels:" in err.en
    assert "pijler haalbaarheid, criteria:" in err.en
    assert "mag niet leeg zijn" in err.nl


def test_rule_shapes(tmp_path: Path) -> None:
    data = model()
    rules = criterion(data, "kwaliteit", 0)["regels"]
    rules[0] = {"als": "== 0"}  # no punten
    rules[1] = {"als": "< 5", "punten": 4, "anders": 1}  # both
    criterion(data, "kwaliteit", 1)["regels"] = [{"anders": True}]  # bool is not a number
    criterion(data, "haalbaarheid", 1)["regels"] = [{"als": "== hard", "punten": -1}]
    err = problems(tmp_path, data)
    assert "criterium n2k_overlap, regel 1: a rule needs 'als' and 'punten'" in err.en
    assert (
        "criterium n2k_overlap, regel 2: a rule is either {als, punten} or {anders: punten}"
        in err.en
    )
    assert "criterium leegstand, regel 1, anders: Input should be a valid number" in err.en
    assert "criterium status, regel 1, punten: must be >= 0" in err.en


def test_anders_must_be_last_and_once(tmp_path: Path) -> None:
    data = model()
    criterion(data, "kwaliteit", 0)["regels"] = [{"anders": 0}, {"als": "== 0", "punten": 10}]
    criterion(data, "kwaliteit", 1)["regels"] = [
        {"als": "< 3", "punten": 5},
        {"anders": 1},
        {"anders": 2},
    ]
    err = problems(tmp_path, data)
    assert "criterium n2k_overlap, regels: 'anders' must be the last rule" in err.en
    assert "criterium leegstand, regels: 'anders' must be the last rule" in err.en


def test_rules_need_points_above_zero(tmp_path: Path) -> None:
    data = model()
    criterion(data, "kwaliteit", 1)["regels"] = [{"als": "< 3", "punten": 0}, {"anders": 0}]
    err = problems(tmp_path, data)
    assert "criterium leegstand, regels: at least one rule must give more than 0 points" in err.en


def test_unknown_policy(tmp_path: Path) -> None:
    err = problems(tmp_path, model(onbekend="gemiddeld"))
    assert "onbekend: must be one of 'herweeg', 'nul' or 'minimum'" in err.en


def test_duplicate_ids(tmp_path: Path) -> None:
    data = model()
    criterion(data, "haalbaarheid", 1)["id"] = "n2k_overlap"
    data["bonus"][0]["id"] = "grond"
    data["vragen"].append({"id": "extra", "label": "Nog eens", "type": "ja_nee"})
    err = problems(tmp_path, data)
    assert "pijler haalbaarheid, criterium n2k_overlap: duplicate id 'n2k_overlap'" in err.en
    assert "bonus grond: duplicate id 'grond'" in err.en
    assert "vraag extra: duplicate question id 'extra'" in err.en


def test_question_answers_must_fit_conditions(tmp_path: Path) -> None:
    data = model()
    criterion(data, "haalbaarheid", 0)["regels"][0]["als"] = "in [gemeente, corporatie]"
    data["bonus"][0]["regels"][0]["als"] = "== 1"
    data["bonus"].append(
        {"id": "cijfer", "bron": "vraag.score", "regels": [{"als": "== hoog", "punten": 1}]}
    )
    err = problems(tmp_path, data)
    assert "criterium grond: rule 1: 'corporatie' is not an answer to 'grondpositie'" in err.en
    assert "bonus extra: rule 1: 1.0 is not an answer to 'extra' (ja, nee)" in err.en
    assert "bonus cijfer: rule 1: question 'score' is a number, 'hoog' is not" in err.en


def test_question_shapes(tmp_path: Path) -> None:
    data = model()
    data["vragen"][0]["opties"] = ["gemeente"]
    data["vragen"][1]["opties"] = ["ja", "nee"]
    data["vragen"][2]["min"] = 11
    data["vragen"].append({"id": "fase", "label": "Fase", "type": "ja_nee", "max": 3})
    data["vragen"].append({"id": "soort", "label": "Soort", "type": "tekst"})
    err = problems(tmp_path, data)
    assert "vraag grondpositie: a 'keuze' question needs at least two opties" in err.en
    assert "vraag extra: only a 'keuze' question has opties" in err.en
    assert "vraag score: min is above max" in err.en
    assert "vraag fase: only a 'getal' question has min/max" in err.en
    assert "vraag soort, type: must be one of 'ja_nee', 'keuze' or 'getal'" in err.en


def test_inzet_order_and_catch_all(tmp_path: Path) -> None:
    data = model()
    data["inzet"] = [
        {"vanaf": 45, "klasse": "B", "uren_per_maand": 16},
        {"vanaf": 70, "klasse": "A", "uren_per_maand": 40},
        {"vanaf": 0, "anders": True, "klasse": "C", "uren_per_maand": 4},
    ]
    err = problems(tmp_path, data)
    assert "inzetregel 3: an inzet rule has either 'vanaf' or 'anders: true'" in err.en
    data["inzet"][2].pop("vanaf")
    err = problems(tmp_path, data)
    assert "inzet: 'vanaf' must go from high to low" in err.en
    data["inzet"] = data["inzet"][:2][::-1]
    err = problems(tmp_path, data)
    assert "inzet: the last inzet rule, and only that one, is {anders: true}" in err.en


def test_bonus_needs_bonus_max_and_reserved_pillar(tmp_path: Path) -> None:
    data = model(bonus_max=0)
    data["pijlers"]["bonus"] = data["pijlers"].pop("haalbaarheid")
    err = problems(tmp_path, data)
    assert "bonus_max: bonus items need a bonus_max above 0" in err.en
    assert "pijler bonus: 'bonus' is reserved" in err.en


def test_bad_pillar_name_and_missing_fields(tmp_path: Path) -> None:
    data = model()
    data["pijlers"]["Kwaliteit Plus"] = data["pijlers"].pop("kwaliteit")
    del data["naam"]
    del criterion(data, "haalbaarheid", 0)["label"]
    err = problems(tmp_path, data)
    assert "naam: Field required" in err.en
    assert "verplicht veld ontbreekt" in err.nl
    assert "pijler Kwaliteit Plus:" in err.en
    assert "pijler haalbaarheid, criterium grond, label: Field required" in err.en


def test_all_problems_in_one_error(tmp_path: Path) -> None:
    data = model(kleur="rood", onbekend="x")
    criterion(data, "kwaliteit", 0)["regels"][0]["als"] = "~ 0"
    criterion(data, "kwaliteit", 1)["bron"] = "indicator.geluk"
    criterion(data, "haalbaarheid", 0)["gewicht"] = -2
    err = problems(tmp_path, data)
    assert "(5 problems)" in err.en
    assert err.en.count("\n  ") == 5


def test_file_level_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read scoring model"):
        load_model(tmp_path / "ontbreekt.yaml", KNOWN)
    bad = tmp_path / "kapot.yaml"
    bad.write_text("naam: [unclosed", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"kapot\.yaml: not valid YAML"):
        load_model(bad, KNOWN)
    bad.write_text("- een lijst", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"kapot\.yaml: a scoring model is a block of keys"):
        load_model(bad, KNOWN)


def test_yaml_round_trip(tmp_path: Path) -> None:
    loaded = load_model(write(tmp_path, BASE), KNOWN)
    again = parse_model(model_to_yaml(loaded), "again.yaml", KNOWN)
    assert again == loaded
    saved = save_model(loaded, tmp_path / "saved.yaml")
    assert load_model(saved, KNOWN) == loaded
    assert "anders: 0" in saved.read_text(encoding="utf-8")


def test_list_models(tmp_path: Path) -> None:
    write(tmp_path, BASE, "b.yaml")
    (tmp_path / "a.yaml").write_text("naam: [kapot", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    entries = list_models(tmp_path)
    assert [(e.path.name, e.naam) for e in entries] == [("a.yaml", "a"), ("b.yaml", "Test")]


def test_parse_source_forms() -> None:
    ref = parse_source("laag.natura2000.distance_m")
    assert (ref.kind, ref.name, ref.metric, ref.column, str(ref)) == (
        "laag",
        "natura2000",
        "distance_m",
        "natura2000.distance_m",
        "laag.natura2000.distance_m",
    )
    assert parse_source("vraag.grondpositie").column == "grondpositie"


def test_known_sources_reads_a_catalog_with_a_rule_set(tmp_path: Path) -> None:
    """A catalog folder with an extra plain layer next to the shipped derived water & bodem
    layer: both layers' outputs are known sources, the rule set's outputs included."""
    layers = tmp_path / "layers"
    shutil.copytree(LAYERS_DIR, layers)
    (layers / "synthetic_vlak.yaml").write_text(
        yaml.safe_dump(
            {
                "id": "synthetic_vlak",
                "titel": "Synthetisch",
                "thema": "natura2000",
                "licentie": "test",
                "attributie": "test",
                "snapshot": {"type": "file", "path": "x.gpkg"},
                "metrics": [{"kind": "overlap"}, {"kind": "distance", "radius_m": 100}],
            }
        ),
        encoding="utf-8",
    )
    known = known_sources(layers_dir=layers)
    assert known.metrics["synthetic_vlak"] == ["overlap_ha", "overlap_pct", "names", "distance_m"]
    assert {"klasse", "waterveiligheid"} <= set(known.metrics["water_bodem"])
    assert "aandeel_plancap_pct" in known.indicators
    data = model()
    criterion(data, "kwaliteit", 0)["bron"] = "laag.water_bodem.klasse"
    criterion(data, "kwaliteit", 0)["regels"] = [{"als": "<= b", "punten": 1}, {"anders": 0}]
    loaded = parse_model(yaml.safe_dump(data), "m.yaml", known)
    assert loaded.pijlers["kwaliteit"].criteria[0].source.column == "water_bodem.klasse"


# --- answers -------------------------------------------------------------------------------


def test_load_and_check_answers(tmp_path: Path) -> None:
    path = tmp_path / "antwoorden.csv"
    path.write_text(
        "id;grondpositie;extra;score;ander_model\nL1; Gemeente ;JA;7;x\nL2;;nee;;\n",
        encoding="utf-8",
    )
    answers = load_answers(path)
    assert list(answers.index) == ["L1", "L2"]
    typed = check_answers(load_model(write(tmp_path, BASE), KNOWN), answers)
    assert list(typed.columns) == ["grondpositie", "extra", "score"]
    assert typed.loc["L1"].tolist() == ["gemeente", "ja", 7.0]
    assert typed.loc["L2"].isna().tolist() == [True, False, True]


def test_answers_that_do_not_fit(tmp_path: Path) -> None:
    answers = pd.DataFrame(
        {
            "grondpositie": ["corporatie", "gemeente"],
            "extra": ["misschien", "ja"],
            "score": ["11", "veel"],
        },
        index=pd.Index(["L1", "L2"], name="id"),
    )
    with pytest.raises(InputError) as err:
        check_answers(load_model(write(tmp_path, BASE), KNOWN), answers, "a.csv")
    en = err.value.en
    assert en.startswith("a.csv: answers do not fit the questions")
    assert "L1, grondpositie: 'corporatie' is not gemeente | ontwikkelaar | geen" in en
    assert "L1, extra: 'misschien' is not ja | nee" in en
    assert "L1, score: '11' is not a number from 1 to 10" in en
    assert "L2, score: 'veel' is not a number from 1 to 10" in en
    assert "antwoorden passen niet bij de vragen" in err.value.nl


def test_answer_file_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read answers"):
        load_answers(tmp_path / "ontbreekt.csv")
    path = tmp_path / "a.csv"
    path.write_text("locatie,extra\nL1,ja\n", encoding="utf-8")
    with pytest.raises(InputError, match="answers need a column 'id'"):
        load_answers(path)
    path.write_text("id,extra\nL1,ja\nL1,nee\n", encoding="utf-8")
    with pytest.raises(InputError, match="location ids occur more than once: L1"):
        load_answers(path)


def test_non_finite_numbers_are_refused_with_their_place(tmp_path: Path) -> None:
    data = model(minimale_dekking=1.5, bonus_max=float("inf"))
    data["pijlers"]["kwaliteit"]["gewicht"] = float("nan")
    criterion(data, "kwaliteit", 0)["gewicht"] = float("inf")
    criterion(data, "kwaliteit", 1)["regels"][0]["punten"] = float("nan")
    data["inzet"][0]["vanaf"] = float("-inf")
    err = problems(tmp_path, data)
    for where in (
        "minimale_dekking: must be <= 1",
        "bonus_max: Input should be a finite number",
        "pijler kwaliteit, gewicht: Input should be a finite number",
        "pijler kwaliteit, criterium n2k_overlap, gewicht: Input should be a finite number",
        "pijler kwaliteit, criterium leegstand, regel 1, punten: Input should be a finite number",
        "inzetregel 1, vanaf: Input should be a finite number",
    ):
        assert where in err.en, where
    assert "pijler kwaliteit, gewicht: moet een eindig getal zijn (geen .inf of .nan)" in err.nl
    # the YAML spellings are refused too
    text = yaml.safe_dump(BASE, sort_keys=False).replace("gewicht: 0.6", "gewicht: .inf")
    with pytest.raises(ConfigError, match="pijler kwaliteit, gewicht: Input should be a finite"):
        parse_model(text, "m.yaml", KNOWN)


def test_utf16_and_absurd_nesting_are_clear_config_errors(tmp_path: Path) -> None:
    text = yaml.safe_dump(BASE, sort_keys=False, allow_unicode=True)
    utf16 = tmp_path / "utf16.yaml"
    utf16.write_text(text, encoding="utf-16")
    with pytest.raises(ConfigError, match="must be UTF-8 text \\(it looks like UTF-16\\)") as err:
        load_model(utf16, KNOWN)
    assert "moet UTF-8-tekst zijn (het lijkt UTF-16)" in err.value.nl
    bom = tmp_path / "bom.yaml"  # UTF-8 with a byte order mark is fine
    bom.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert load_model(bom, KNOWN).naam == "Test"
    deep = tmp_path / "diep.yaml"
    deep.write_text("naam: x\nbeschrijving: " + "[" * 100_000 + "]" * 100_000, encoding="utf-8")
    with pytest.raises(ConfigError, match="nested too deeply") as err:
        load_model(deep, KNOWN)
    assert "te diep genest" in err.value.nl
    # list_models does not stumble over such files either
    assert [e.naam for e in list_models(tmp_path)] == ["Test", "diep", "utf16"]


def test_cli_exits_2_for_bad_model_files(monkeypatch, capsys, tmp_path: Path) -> None:
    from support_cli import cli

    good = {
        "naam": "M",
        "pijlers": {
            "a": {
                "gewicht": 1.0,
                "criteria": [
                    {
                        "id": "w",
                        "label": "W",
                        "bron": "attribuut.woningen",
                        "regels": [{"anders": 1}],
                    }
                ],
            }
        },
    }
    text = yaml.safe_dump(good, sort_keys=False)
    cases = {
        "inf.yaml": text.replace("gewicht: 1.0", "gewicht: .inf").encode("utf-8"),
        "utf16.yaml": text.encode("utf-16"),
        "diep.yaml": ("naam: [" + "[" * 100_000 + "]" * 100_000 + "]").encode("utf-8"),
    }
    for name, content in cases.items():
        (tmp_path / name).write_bytes(content)
        code, out, err = cli(monkeypatch, capsys, "validate-model", str(tmp_path / name))
        assert code == 2, (name, err)
        assert out == "" and "Traceback" not in err
        assert name in err and len([line for line in err.splitlines() if name in line]) >= 2

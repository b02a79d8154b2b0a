"""Editing a scoring model in the UI: weights, thresholds (rules, inzet), add/remove criteria,
and pillar weights from pairwise comparisons (AHP).

Edits work on the model's plain-data form (`as_data`) and return a new dict; nothing is
validated until `validated`, which runs the full model validation (`parse_model`) and so
reports every problem at once, in Dutch and English, exactly as for a model file. The AHP form
writes its outcome as ordinary `gewicht` values, so the model stays plain YAML.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from itertools import combinations
from typing import Any

import pandas as pd
import yaml

from locatiescan.errors import InputError
from locatiescan.present import nl_number
from locatiescan.scoring.ahp import SCALE, Ahp, ahp_weights
from locatiescan.scoring.io import model_to_yaml, parse_model
from locatiescan.scoring.model import ScoringModel
from locatiescan.scoring.sources import Known

ModelData = dict[str, Any]
RULE_COLUMNS = ["als", "punten"]
INZET_COLUMNS = ["vanaf", "klasse", "uren_per_maand"]
CRITERION_COLUMNS = ["pijler", "id", "label", "bron", "gewicht"]
OTHERWISE = "anders"


def as_data(model: ScoringModel) -> ModelData:
    """The model as plain data (what its YAML file holds)."""
    return yaml.safe_load(model_to_yaml(model))


def to_yaml(data: ModelData) -> str:
    """YAML text of (possibly invalid) model data, in its own key order."""
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def validated(data: ModelData, source: str, known: Known | None = None) -> ScoringModel:
    """The model if valid; a ConfigError listing every problem otherwise."""
    return parse_model(to_yaml(data), source, known)


def pillar_weights(data: ModelData) -> dict[str, float]:
    """Pillar -> weight."""
    return {name: float(p.get("gewicht", 0.0)) for name, p in data["pijlers"].items()}


def normalised(weights: Mapping[str, float]) -> dict[str, float]:
    """Weights scaled to sum to 1 (rounded to 4 decimals, rest on the largest)."""
    total = sum(weights.values())
    if total <= 0 or any(w < 0 for w in weights.values()):
        msg = "weights must be non-negative and not all zero"
        raise InputError(msg, "gewichten moeten 0 of meer zijn en niet allemaal 0")
    scaled = {k: round(w / total, 4) for k, w in weights.items()}
    largest = max(scaled, key=lambda k: scaled[k])
    scaled[largest] = round(scaled[largest] + 1.0 - sum(scaled.values()), 4)
    return scaled


def set_pillar_weights(data: ModelData, weights: Mapping[str, float]) -> ModelData:
    """New model data with these pillar weights (pillars not named keep theirs)."""
    _require_known(weights, data["pijlers"], "pillar", "pijler")
    new = copy.deepcopy(data)
    for name, weight in weights.items():
        new["pijlers"][name]["gewicht"] = float(weight)
    return new


def criteria_frame(data: ModelData) -> pd.DataFrame:
    """One row per criterion: pijler, id, label, bron, gewicht (for a data editor)."""
    rows = [
        {
            "pijler": pillar,
            "id": c["id"],
            "label": c.get("label", ""),
            "bron": c["bron"],
            "gewicht": float(c.get("gewicht", 1.0)),
        }
        for pillar, p in data["pijlers"].items()
        for c in p["criteria"]
    ]
    return pd.DataFrame(rows, columns=CRITERION_COLUMNS)


def set_criterion_weights(data: ModelData, weights: Mapping[str, float]) -> ModelData:
    """New model data with these criterion weights (by criterion id)."""
    ids = {c["id"] for p in data["pijlers"].values() for c in p["criteria"]}
    _require_known(weights, ids, "criterion", "criterium")
    new = copy.deepcopy(data)
    for pillar in new["pijlers"].values():
        for criterion in pillar["criteria"]:
            if criterion["id"] in weights:
                criterion["gewicht"] = float(weights[criterion["id"]])
    return new


def _criterion(data: ModelData, criterion_id: str) -> dict[str, Any]:
    for pillar in data["pijlers"].values():
        for criterion in pillar["criteria"]:
            if criterion["id"] == criterion_id:
                return criterion
    msg = f"unknown criterion {criterion_id!r}"
    raise InputError(msg, f"onbekend criterium {criterion_id!r}")


def rules_frame(data: ModelData, criterion_id: str) -> pd.DataFrame:
    """A criterion's rules as rows (als, punten); the catch-all reads als = 'anders'."""
    rules = _criterion(data, criterion_id)["regels"]
    rows = [
        {"als": OTHERWISE, "punten": float(r["anders"])}
        if "anders" in r
        else {"als": str(r["als"]), "punten": float(r["punten"])}
        for r in rules
    ]
    return pd.DataFrame(rows, columns=RULE_COLUMNS)


def _rules_from_frame(frame: pd.DataFrame) -> list[dict[str, Any]]:
    rules = []
    for _, row in frame.iterrows():
        condition = "" if pd.isna(row["als"]) else str(row["als"]).strip()
        if not condition and pd.isna(row["punten"]):
            continue  # an empty row left by the editor
        points = float(row["punten"]) if not pd.isna(row["punten"]) else None
        rules.append(
            {OTHERWISE: points} if condition == OTHERWISE else {"als": condition, "punten": points}
        )
    return rules


def set_rules(data: ModelData, criterion_id: str, frame: pd.DataFrame) -> ModelData:
    """New model data with a criterion's rules (thresholds) replaced by the rows of `frame`."""
    new = copy.deepcopy(data)
    _criterion(new, criterion_id)["regels"] = _rules_from_frame(frame)
    return new


def inzet_frame(data: ModelData) -> pd.DataFrame:
    """The score -> class -> staff-hours rules as rows; the final catch-all has vanaf = NaN."""
    rows = [
        {
            "vanaf": float(r["vanaf"]) if "vanaf" in r else float("nan"),
            "klasse": r["klasse"],
            "uren_per_maand": float(r["uren_per_maand"]),
        }
        for r in data.get("inzet", [])
    ]
    return pd.DataFrame(rows, columns=INZET_COLUMNS)


def set_inzet(data: ModelData, frame: pd.DataFrame) -> ModelData:
    """New model data with the inzet rules of `frame` (empty vanaf = the final catch-all)."""
    new = copy.deepcopy(data)
    rules = []
    for _, row in frame.iterrows():
        if pd.isna(row["klasse"]) or not str(row["klasse"]).strip():
            continue
        rule: dict[str, Any] = (
            {"anders": True} if pd.isna(row["vanaf"]) else {"vanaf": float(row["vanaf"])}
        )
        rule["klasse"] = str(row["klasse"]).strip()
        rule["uren_per_maand"] = float(row["uren_per_maand"])
        rules.append(rule)
    new["inzet"] = rules
    return new


def remove_criteria(data: ModelData, criterion_ids: list[str]) -> ModelData:
    """New model data without these criteria (a pillar left empty is reported by validation)."""
    ids = {c["id"] for p in data["pijlers"].values() for c in p["criteria"]}
    _require_known(criterion_ids, ids, "criterion", "criterium")
    new = copy.deepcopy(data)
    for pillar in new["pijlers"].values():
        pillar["criteria"] = [c for c in pillar["criteria"] if c["id"] not in set(criterion_ids)]
    return new


def parse_rules_text(text: str) -> list[dict[str, Any]]:
    """Rules typed one per line as '<voorwaarde> => <punten>' or 'anders => <punten>'."""
    rules: list[dict[str, Any]] = []
    problems: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        condition, sep, points = line.rpartition("=>")
        try:
            value = float(points.strip().replace(",", "."))
        except ValueError:
            value = None
        if not sep or not condition.strip() or value is None:
            problems.append(f"{number}: '{line.strip()}'")
            continue
        condition = condition.strip()
        rules.append(
            {OTHERWISE: value} if condition == OTHERWISE else {"als": condition, "punten": value}
        )
    if problems:
        listed = "; ".join(problems)
        msg = f"rules must read '<condition> => <points>', lines: {listed}"
        raise InputError(msg, f"regels moeten luiden '<voorwaarde> => <punten>', regels: {listed}")
    return rules


def add_criterion(
    data: ModelData,
    pillar: str,
    criterion_id: str,
    label: str,
    bron: str,
    gewicht: float,
    rules_text: str,
) -> ModelData:
    """New model data with a criterion appended to `pillar`."""
    _require_known([pillar], data["pijlers"], "pillar", "pijler")
    new = copy.deepcopy(data)
    new["pijlers"][pillar]["criteria"].append(
        {
            "id": criterion_id.strip(),
            "label": label.strip(),
            "bron": bron.strip(),
            "gewicht": float(gewicht),
            "regels": parse_rules_text(rules_text),
        }
    )
    return new


def renamed(data: ModelData, naam: str) -> ModelData:
    """New model data with another `naam` (a saved variant of a preset)."""
    if not naam.strip():
        raise InputError("a model needs a name", "een model heeft een naam nodig")
    new = copy.deepcopy(data)
    new["naam"] = naam.strip()
    return new


def _require_known(names: Any, known: Any, what: str, what_nl: str) -> None:
    unknown = sorted(str(n) for n in names if n not in known)
    if unknown:
        msg = f"unknown {what}(s): {', '.join(unknown)}"
        raise InputError(msg, f"onbekend(e) {what_nl}(s): {', '.join(unknown)}")


# Saaty's 1-9 scale in Dutch: how much more important the first item is than the second.
SAATY_NL = {
    1: "even belangrijk",
    2: "tussen even en iets belangrijker",
    3: "iets belangrijker",
    4: "tussen iets en duidelijk belangrijker",
    5: "duidelijk belangrijker",
    6: "tussen duidelijk en veel belangrijker",
    7: "veel belangrijker",
    8: "tussen veel en extreem veel belangrijker",
    9: "extreem veel belangrijker",
}
Pair = tuple[str, str]


def pillar_label(data: ModelData, pillar: str) -> str:
    """The pillar's label, else its name."""
    return str(data["pijlers"][pillar].get("label") or pillar)


def pillar_pairs(data: ModelData) -> list[Pair]:
    """Every pair of pillars once, in model order (what the AHP form asks about)."""
    return list(combinations(data["pijlers"], 2))


def comparison_options() -> list[float]:
    """The 17 answers to one comparison: 9 ... 2 (first more important), 1, 1/2 ... 1/9."""
    return [float(v) for v in reversed(SCALE[1:])] + [1.0] + [1.0 / v for v in SCALE[1:]]


def comparison_text(value: float, first: str, second: str) -> str:
    """Dutch text of one answer: '<first> is veel belangrijker dan <second>' (7), ..."""
    if abs(value - 1.0) < 1e-9:
        return f"{first} en {second} zijn even belangrijk"
    stronger, weaker, degree = (first, second, value) if value > 1 else (second, first, 1 / value)
    return f"{stronger} is {SAATY_NL[round(degree)]} dan {weaker} ({round(degree)})"


def ahp_matrix(pillars: list[str], judgements: Mapping[Pair, float]) -> list[list[float]]:
    """The reciprocal comparison matrix; a pair not judged counts as 'even belangrijk' (1)."""
    index = {name: i for i, name in enumerate(pillars)}
    matrix = [[1.0] * len(pillars) for _ in pillars]
    for (a, b), value in judgements.items():
        _require_known([a, b], index, "pillar", "pijler")
        matrix[index[a]][index[b]] = float(value)
        matrix[index[b]][index[a]] = 1.0 / float(value)
    return matrix


def apply_ahp(data: ModelData, judgements: Mapping[Pair, float]) -> tuple[ModelData, Ahp]:
    """New model data with the AHP weights of the pillars as plain `gewicht` values (4 decimals,
    summing to 1), and the AHP outcome (weights, consistency ratio, warning above 0.10)."""
    pillars = list(data["pijlers"])
    result = ahp_weights(ahp_matrix(pillars, judgements))
    weights = normalised(dict(zip(pillars, result.weights, strict=True)))
    return set_pillar_weights(data, weights), result


def ahp_form(st: Any, data: ModelData, key: str = "ahp") -> tuple[ModelData, Ahp]:
    """Render the pairwise comparisons of the pillars (Dutch, Saaty 1-9) with `st` (the
    streamlit module) and return the model data with the resulting weights and the outcome.

    One select slider per pair; below them the weights and the consistency ratio, with a
    warning above 0.10. The caller decides whether to keep the new data (e.g. on a button).
    """
    st.caption(
        "Vergelijk de pijlers twee aan twee: welke weegt zwaarder, en hoeveel? "
        "De gewichten volgen uit de vergelijkingen (AHP, schaal van Saaty 1–9)."
    )
    options = comparison_options()
    judgements: dict[Pair, float] = {}
    for a, b in pillar_pairs(data):
        first, second = pillar_label(data, a), pillar_label(data, b)
        judgements[(a, b)] = st.select_slider(
            f"{first} tegenover {second}",
            options=options,
            value=1.0,
            format_func=lambda v, f=first, s=second: comparison_text(v, f, s),
            key=f"{key}.{a}.{b}",
        )
    new, result = apply_ahp(data, judgements)
    weights = pillar_weights(new)
    st.table(
        pd.DataFrame(
            {
                "Pijler": [pillar_label(data, p) for p in weights],
                "Gewicht": [nl_number(100 * w, 1, "%") for w in weights.values()],
            }
        )
    )
    cr = nl_number(result.cr, 2)
    if result.waarschuwing:
        st.warning(result.waarschuwing)
    else:
        st.caption(f"Consistentieratio {cr} (tot 0,10 is aanvaardbaar).")
    return new, result

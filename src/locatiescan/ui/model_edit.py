"""Editing a scoring model in the UI: weights, thresholds (rules, inzet), add/remove criteria.

Edits work on the model's plain-data form (`as_data`) and return a new dict; nothing is
validated until `validated`, which runs the full model validation (`parse_model`) and so
reports every problem at once, in Dutch and English, exactly as for a model file.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

import pandas as pd
import yaml

from locatiescan.errors import InputError
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

"""Scoring: models as data (scoring/*.yaml), an explainable engine, comparison and sensitivity."""

from locatiescan.scoring.ahp import Ahp, ahp_weights
from locatiescan.scoring.compare import compare
from locatiescan.scoring.engine import ScoreResult, ScoringInput, score
from locatiescan.scoring.intervals import rank_text
from locatiescan.scoring.io import (
    check_answers,
    list_models,
    load_answers,
    load_model,
    model_to_yaml,
    parse_model,
    save_model,
)
from locatiescan.scoring.model import ScoringModel, Voorwaarde
from locatiescan.scoring.sensitivity import Sensitivity, Swap, sensitivity, swap_weights

__all__ = [
    "Ahp",
    "ScoreResult",
    "ScoringInput",
    "ScoringModel",
    "Sensitivity",
    "Swap",
    "Voorwaarde",
    "ahp_weights",
    "check_answers",
    "compare",
    "list_models",
    "load_answers",
    "load_model",
    "model_to_yaml",
    "parse_model",
    "rank_text",
    "save_model",
    "score",
    "sensitivity",
    "swap_weights",
]

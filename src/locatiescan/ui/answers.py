"""The self-scan form: a model's questions (`vraag.*`) as form fields and back (pure)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from locatiescan.present import is_missing
from locatiescan.scoring.model import Question, ScoringModel

UNANSWERED = "onbekend"


def choices(question: Question) -> list[str] | None:
    """Options offered for a text question ('onbekend' first); None for a number question."""
    if question.type == "ja_nee":
        return [UNANSWERED, "ja", "nee"]
    if question.type == "keuze":
        return [UNANSWERED, *question.opties]
    return None


def stored_values(model: ScoringModel, answers: pd.DataFrame, location_id: str) -> dict[str, Any]:
    """The stored answer per question for one location; None where not answered."""
    row = answers.loc[location_id] if location_id in answers.index else pd.Series(dtype=object)
    values: dict[str, Any] = {}
    for question in model.vragen:
        value = row.get(question.id)
        values[question.id] = None if is_missing(value) else value
    return values


def form_value(question: Question, stored: Any) -> Any:
    """What the form field starts with: the stored answer, 'onbekend' or None (number)."""
    options = choices(question)
    if options is None:
        return None if stored is None else float(stored)
    if stored is None:
        return UNANSWERED
    matches = [o for o in options if o.casefold() == str(stored).strip().casefold()]
    return matches[0] if matches else UNANSWERED


def answer_value(question: Question, value: Any) -> Any:
    """The form field's value as stored: None for 'onbekend' or an empty number."""
    if choices(question) is None:
        return None if value is None else float(value)
    return None if value == UNANSWERED else value


def open_questions(model: ScoringModel, stored: dict[str, Any]) -> list[str]:
    """Ids of the model's questions the project has no answer for yet (e.g. questions a newly
    chosen or saved model adds): shown as open, scored as unknown."""
    return [q.id for q in model.vragen if stored.get(q.id) is None]

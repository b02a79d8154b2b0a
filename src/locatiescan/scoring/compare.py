"""Two models side by side: the same locations, their totals, classes and rank changes."""

from __future__ import annotations

import pandas as pd

from locatiescan.errors import InputError
from locatiescan.scoring.engine import ScoreResult


def compare(first: ScoreResult, second: ScoreResult) -> pd.DataFrame:
    """Per location (index: id, in the first result's order): totals, classes and ranks of both.

    Columns: naam, totaal_a, totaal_b, verschil (b - a), klasse_a, klasse_b, rang_a, rang_b,
    rang_verandering (rang_a - rang_b: positive = higher up under model b). The model names are
    in `frame.attrs["model_a"]` and `["model_b"]`.
    """
    a, b = first.table, second.table
    if set(a.index) != set(b.index):
        only = sorted(set(a.index) ^ set(b.index))
        msg = f"the two results score different locations: {', '.join(only[:10])}"
        raise InputError(
            msg, f"de twee uitkomsten gaan over andere locaties: {', '.join(only[:10])}"
        )
    b = b.reindex(a.index)
    frame = pd.DataFrame(
        {
            "naam": a["naam"],
            "totaal_a": a["totaal"],
            "totaal_b": b["totaal"],
            "verschil": b["totaal"] - a["totaal"],
            "klasse_a": a["klasse"],
            "klasse_b": b["klasse"],
            "rang_a": a["rang"],
            "rang_b": b["rang"],
            "rang_verandering": a["rang"] - b["rang"],
        },
        index=a.index,
    )
    frame.attrs = {"model_a": first.model.naam, "model_b": second.model.naam}
    return frame

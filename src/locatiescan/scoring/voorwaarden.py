"""Knock-out conditions (`voorwaarden:` of a model): is a location *ontvankelijk* (eligible)?

Per location and voorwaarde the status is

* `voldaan` when the value satisfies `als`;
* `niet voldaan` when the value is known, of the kind the condition compares (a number for a
  numeric operand), and does not satisfy it;
* `onbekend` when the value is missing, its source is absent, or it is not of that kind (text
  where a number is needed): nothing is decided on a value that cannot be compared.

A location is ontvankelijk `nee` when any voorwaarde is niet voldaan, `ja` when every voorwaarde
is voldaan (or the model has none), and `onbekend` otherwise: never eligible by default.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import pandas as pd

from locatiescan.scoring.conditions import Values, operands
from locatiescan.scoring.model import Voorwaarde
from locatiescan.scoring.sources import SourceRef

JA, NEE, ONBEKEND = "ja", "nee", "onbekend"
VOLDAAN, NIET_VOLDAAN = "voldaan", "niet voldaan"
NOT_A_NUMBER = "geen getal"
CONDITION_COLUMNS = ["id", "voorwaarde", "label", "bron", "waarde", "als", "status", "reden"]


class Lookup(Protocol):
    """What the evaluation reads: the engine's aligned input tables."""

    ids: pd.Index

    def lookup(self, ref: SourceRef) -> tuple[pd.Series, pd.Series] | None:
        """(values to test, values to show) per location; None when the source is absent."""

    def absent_reason(self, ref: SourceRef) -> str:
        """Why no location has a value: the source's table or column is absent (Dutch)."""

    def missing_reason(self, ref: SourceRef) -> str:
        """Why a location's value of this source is missing (Dutch)."""


@dataclass(frozen=True)
class Toetsing:
    """The outcome per location (arrays in location order) and one row per location and
    voorwaarde (`CONDITION_COLUMNS`; status voldaan | niet voldaan | onbekend)."""

    ontvankelijk: np.ndarray  # "ja" | "nee" | "onbekend"
    tekst: np.ndarray  # Dutch sentence, "" when ontvankelijk
    rows: pd.DataFrame


def toets(voorwaarden: Sequence[Voorwaarde], tables: Lookup) -> Toetsing:
    """Test every voorwaarde for every location (pure)."""
    ids = tables.ids
    n, k = len(ids), len(voorwaarden)
    failed = np.zeros((n, k), dtype=bool)  # per location and voorwaarde: niet voldaan
    unknown = np.zeros((n, k), dtype=bool)  # ... left onbekend
    frames = []
    for j, voorwaarde in enumerate(voorwaarden):
        status, shown, reason = _status(voorwaarde, tables)
        failed[:, j], unknown[:, j] = status == NIET_VOLDAAN, status == ONBEKEND
        frames.append(
            pd.DataFrame(
                {
                    "id": ids.to_numpy(dtype=object),
                    "voorwaarde": voorwaarde.id,
                    "label": voorwaarde.label,
                    "bron": voorwaarde.bron,
                    "waarde": shown,
                    "als": voorwaarde.als,
                    "status": status,
                    "reden": reason,
                },
                columns=CONDITION_COLUMNS,
            )
        )
    outcome = np.where(failed.any(axis=1), NEE, np.where(unknown.any(axis=1), ONBEKEND, JA))
    outcome = outcome.astype(object)
    # one sentence per distinct combination of outcomes (locations share a few)
    combos, combo_of = _distinct_rows(np.hstack([failed, unknown]))
    sentences = [
        _sentence(
            [v.niet_voldaan for v, hit in zip(voorwaarden, combo[:k], strict=True) if hit],
            [v.label for v, hit in zip(voorwaarden, combo[k:], strict=True) if hit],
        )
        for combo in combos
    ]
    text = np.array(sentences or [""], dtype=object)[combo_of]
    rows = (
        pd.concat(frames, ignore_index=True)
        if frames
        else pd.DataFrame({c: pd.Series(dtype=object) for c in CONDITION_COLUMNS})
    )
    return Toetsing(outcome, text, rows)


def _status(voorwaarde: Voorwaarde, tables: Lookup) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(status, value as shown, reason where onbekend) per location."""
    n = len(tables.ids)
    found = tables.lookup(voorwaarde.source)
    if found is None:
        absent = tables.absent_reason(voorwaarde.source)
        return (
            np.full(n, ONBEKEND, dtype=object),
            np.full(n, None, dtype=object),
            np.full(n, absent, dtype=object),
        )
    series, shown = found
    values = Values(series)
    holds = voorwaarde.condition.mask(values)
    numeric = any(isinstance(o, float) for o in operands(voorwaarde.condition))
    comparable = values.known & (~np.isnan(values.number) if numeric else True)
    status = np.where(holds, VOLDAAN, np.where(comparable, NIET_VOLDAAN, ONBEKEND)).astype(object)
    missing = tables.missing_reason(voorwaarde.source)
    why = np.where(values.known, NOT_A_NUMBER, missing).astype(object)
    reason: np.ndarray = np.where(status != ONBEKEND, np.array(None, dtype=object), why)
    return status, shown.to_numpy(dtype=object), reason


def _distinct_rows(flags: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(distinct rows of the boolean matrix `flags`, each row's position among them): rows
    packed into bytes and compared as such (`np.unique(axis=0)` is 30x slower)."""
    n, width = flags.shape
    padded = np.hstack([flags, np.zeros((n, 1), dtype=bool)])  # no row is zero bytes long
    packed = np.ascontiguousarray(np.packbits(padded, axis=1))
    keys = packed.view(np.dtype((np.void, packed.shape[1]))).reshape(n)
    distinct, inverse = np.unique(keys, return_inverse=True)
    rows = np.unpackbits(distinct.view(np.uint8).reshape(len(distinct), packed.shape[1]), axis=1)
    return rows[:, :width].astype(bool), inverse.reshape(n)


def _sentence(failed: list[str], unknown: list[str]) -> str:
    """'niet ontvankelijk: minder dan 200 woningen', 'ontvankelijkheid onbekend: ...' or ''."""
    if failed:
        return "niet ontvankelijk: " + "; ".join(failed)
    if unknown:
        return "ontvankelijkheid onbekend: " + "; ".join(f"{u} (onbekend)" for u in unknown)
    return ""

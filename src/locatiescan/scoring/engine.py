"""The scoring engine: a pure function from (model, inputs) to scores with explanations.

Semantics (also in scoring/README.md, so anyone can recompute a score by hand):

* criterion: the first rule whose condition holds gives `punten`; its score is
  `punten / max_punten` (max over its rules), so 0..1.
* A criterion is *onbekend* when its value is missing, its source column is absent, or no rule
  matches. Policy `onbekend:` of the model: `herweeg` leaves it out and re-normalises the
  criterion weights of its pillar; `nul` counts it as 0 points; `minimum` counts the lowest
  points among its rules. The weight without data is reported per pillar under every policy.
* pillar score: criterion-weight-weighted mean of its criterion scores (0..1). Under `herweeg`
  a pillar without any known criterion is left out and the pillar weights are re-normalised;
  without any known pillar the total is unknown (no class, no rank).
* total: `100 * sum(pillar weight * pillar score) + min(sum(bonus points), bonus_max)`.
  A bonus item without data gives 0 points. When the cap applies, each bonus contribution
  is scaled down by the same factor so the contributions still add up to the total.
* class: the first `inzet` rule with `vanaf <= total`, else the `anders` rule.
* rank: 1 = highest total; equal totals (to 9 decimals) share the lowest rank ("min" method).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import pandas as pd

from locatiescan.errors import InputError
from locatiescan.overlay import RADIUS_SUFFIX
from locatiescan.scoring.conditions import Values
from locatiescan.scoring.model import BonusItem, Criterion, ScoringModel
from locatiescan.scoring.sources import SourceRef

NO_VALUE = "geen waarde"
NO_RULE = "geen regel van toepassing"
NO_ANSWER = "geen antwoord"
EXPLANATION_COLUMNS = [
    "id",
    "pijler",
    "criterium",
    "label",
    "bron",
    "waarde",
    "regel",
    "punten",
    "max_punten",
    "gewicht",
    "bijdrage",
    "status",
    "reden",
]


class ScreeningLike(Protocol):
    """What the engine reads from a `locatiescan.screening.Screening`."""

    table: pd.DataFrame


@dataclass(frozen=True)
class ScoringInput:
    """Everything a model may read, each table indexed (or keyed by column `id`) by location id.

    `locations` is the location table (column `id`, unique). `screening` is a `Screening` (its
    `.problemen` become the reasons for unknown layer values) or its `.table` (columns
    `<layer>.<metric>`); `indicators` has one column per indicator; `answers` one column per
    question id. A missing table or column makes the criteria that need it *onbekend*.
    """

    locations: pd.DataFrame
    screening: pd.DataFrame | ScreeningLike | None = None
    indicators: pd.DataFrame | None = None
    answers: pd.DataFrame | None = None


@dataclass(frozen=True)
class ScoreResult:
    """Scores of one model.

    `table` (index: location id, input order): naam, totaal, bonus, klasse, uren_per_maand, rang,
    ontbrekend_gewicht, and per pillar `pijler.<p>` (score 0..1), `bijdrage.<p>` (points to
    the total), `ontbrekend.<p>` (share of the pillar's criterion weight without data).
    `explanation`: one row per location and criterion or bonus item (EXPLANATION_COLUMNS).
    `ratios` (index: location id, columns: criterion id): criterion scores as counted, NaN where
    `herweeg` left a criterion out; the sensitivity analysis re-weights these.
    """

    model: ScoringModel
    table: pd.DataFrame
    explanation: pd.DataFrame
    ratios: pd.DataFrame

    def records(self) -> list[dict[str, Any]]:
        """Per location in rank order: the CLI's JSON shape (`criteria[].id` = criterion id)."""
        rows = (
            self.explanation.drop(columns=["id"]).rename(columns={"criterium": "id"}).astype(object)
        )
        rows = rows.where(rows.notna(), None)
        by_location = {
            lid: group.to_dict(orient="records")
            for lid, group in rows.groupby(self.explanation["id"].to_numpy(), sort=False)
        }
        order = self.table.sort_values(["rang", "naam"], na_position="last", kind="stable")
        records = []
        for lid, row in order.iterrows():
            pillars = {
                name: {
                    "score": row[f"pijler.{name}"],
                    "gewicht": pillar.gewicht,
                    "bijdrage": row[f"bijdrage.{name}"],
                    "ontbrekend_gewicht": row[f"ontbrekend.{name}"],
                }
                for name, pillar in self.model.pijlers.items()
            }
            records.append(
                {
                    "id": lid,
                    "naam": row["naam"],
                    "totaal": row["totaal"],
                    "pijlers": pillars,
                    "bonus": row["bonus"],
                    "klasse": row["klasse"],
                    "uren_per_maand": row["uren_per_maand"],
                    "rang": row["rang"],
                    "ontbrekend_gewicht": row["ontbrekend_gewicht"],
                    "criteria": by_location.get(lid, []),
                }
            )
        return records


@dataclass
class _Evaluated:
    """One criterion or bonus item evaluated over all locations."""

    values: pd.Series  # the source values as shown
    points: np.ndarray  # matched points, NaN where onbekend
    rule: np.ndarray  # index of the matched rule, -1 where onbekend
    reason: np.ndarray  # None where matched, else why onbekend


@dataclass
class _Row:
    """Explanation of one criterion or bonus item for all locations."""

    pillar: str  # "bonus" for a bonus item
    item: BonusItem
    evaluated: _Evaluated
    points: np.ndarray  # as counted (after the onbekend policy)
    weight: float  # NaN for a bonus item
    contribution: np.ndarray  # points to the total


def score(model: ScoringModel, inputs: ScoringInput) -> ScoreResult:
    """Score every location under the model (pure; no I/O)."""
    ids = _location_ids(inputs.locations)
    tables = _Tables(inputs, ids)
    n = len(ids)
    pillar_scores: dict[str, np.ndarray] = {}
    missing: dict[str, np.ndarray] = {}  # share of criterion weight without data, per pillar
    ratios: dict[str, np.ndarray] = {}  # criterion score as counted; NaN = left out (herweeg)
    counted: dict[str, np.ndarray] = {}  # criterion weight with a score, per pillar
    evaluated: list[tuple[str, Criterion, _Evaluated, np.ndarray]] = []
    for name, pillar in model.pijlers.items():
        numerator, counted[name], absent = np.zeros(n), np.zeros(n), np.zeros(n)
        for criterion in pillar.criteria:
            ev = _evaluate(criterion, tables)
            points = _apply_policy(model.onbekend, criterion, ev)
            ratio = ratios[criterion.id] = points / criterion.max_points
            used = ~np.isnan(ratio)
            numerator += np.where(used, criterion.gewicht * ratio, 0.0)
            counted[name] += np.where(used, criterion.gewicht, 0.0)
            absent += np.where(ev.rule >= 0, 0.0, criterion.gewicht)
            evaluated.append((name, criterion, ev, points))
        with np.errstate(invalid="ignore", divide="ignore"):
            pillar_scores[name] = np.where(counted[name] > 0, numerator / counted[name], np.nan)
        missing[name] = absent / sum(c.gewicht for c in pillar.criteria)

    # pillar weights re-normalised over the pillars with a score (all of them unless herweeg)
    weights = {
        p: np.where(np.isnan(s), 0.0, model.pijlers[p].gewicht) for p, s in pillar_scores.items()
    }
    weight_known = sum(weights.values(), np.zeros(n))
    with np.errstate(invalid="ignore", divide="ignore"):
        share = {
            p: np.where(weight_known > 0, w / weight_known, np.nan) for p, w in weights.items()
        }
    contribution = {p: 100 * share[p] * np.nan_to_num(pillar_scores[p]) for p in model.pijlers}
    weighted = np.where(weight_known > 0, sum(contribution.values(), np.zeros(n)), np.nan)

    bonus_parts = [(item, _evaluate(item, tables)) for item in model.bonus]
    bonus_raw = sum((np.nan_to_num(ev.points) for _, ev in bonus_parts), np.zeros(n))
    bonus = np.minimum(bonus_raw, model.bonus_max)
    with np.errstate(invalid="ignore", divide="ignore"):
        bonus_scale = np.where(bonus_raw > 0, bonus / bonus_raw, 0.0)
    totaal = weighted + bonus

    table = pd.DataFrame(index=ids)
    table["naam"] = pd.Series(_column(inputs.locations, "naam", n), index=ids, dtype=object)
    table["totaal"] = totaal
    for name in model.pijlers:
        table[f"pijler.{name}"] = pillar_scores[name]
        table[f"bijdrage.{name}"] = contribution[name]
        table[f"ontbrekend.{name}"] = missing[name]
    table["bonus"] = bonus
    klasse, uren = _inzet(model, totaal)
    table["klasse"] = pd.Series(klasse, index=ids, dtype=object)
    table["uren_per_maand"] = uren
    ranks = pd.Series(totaal, index=ids).round(9).rank(method="min", ascending=False)
    table["rang"] = ranks.astype("Int64")
    total_weight = sum(p.gewicht for p in model.pijlers.values())
    table["ontbrekend_gewicht"] = sum(
        (model.pijlers[p].gewicht / total_weight * missing[p] for p in model.pijlers), np.zeros(n)
    )

    rows = []
    for name, criterion, ev, points in evaluated:
        with np.errstate(invalid="ignore", divide="ignore"):
            share_of_total = 100 * share[name] * criterion.gewicht / counted[name]
        bijdrage = np.nan_to_num(share_of_total * ratios[criterion.id])
        rows.append(_Row(name, criterion, ev, points, criterion.gewicht, bijdrage))
    for item, ev in bonus_parts:
        points = np.nan_to_num(ev.points)
        rows.append(_Row("bonus", item, ev, points, np.nan, points * bonus_scale))
    return ScoreResult(model, table, _explanation(ids, rows), pd.DataFrame(ratios, index=ids))


def _location_ids(locations: pd.DataFrame) -> pd.Index:
    """The location ids as text; `InputError` when the column is missing or ids repeat."""
    if "id" not in locations.columns:
        msg = "locations need a column 'id'"
        raise InputError(msg, "locaties hebben een kolom 'id' nodig")
    ids = pd.Index(locations["id"].astype(str), name="id")
    if not ids.is_unique:
        repeated = ", ".join(sorted(set(ids[ids.duplicated()]))[:10])
        msg = f"location ids occur more than once: {repeated}"
        raise InputError(msg, f"locatie-id's komen dubbel voor: {repeated}")
    return ids


def _apply_policy(policy: str, criterion: Criterion, ev: _Evaluated) -> np.ndarray:
    """Points as counted: unknown stays NaN (herweeg), becomes 0 (nul) or the lowest rule points."""
    points = ev.points.copy()
    unknown = ev.rule < 0
    if policy == "nul":
        points[unknown] = 0.0
    elif policy == "minimum":
        points[unknown] = criterion.min_points
    return points


class _Tables:
    """The input tables aligned to the location ids, with one lookup per source."""

    def __init__(self, inputs: ScoringInput, ids: pd.Index) -> None:
        self.ids = ids
        self.layer_problems: dict[str, str] = dict(
            getattr(inputs.screening, "problemen", None) or {}
        )
        self.frames = {
            "attribuut": inputs.locations.set_axis(ids, axis=0),
            "laag": _by_id(getattr(inputs.screening, "table", inputs.screening), ids),
            "indicator": _by_id(inputs.indicators, ids),
            "vraag": _by_id(inputs.answers, ids),
        }

    def lookup(self, ref: SourceRef) -> tuple[pd.Series, pd.Series] | None:
        """(values to test, values to show) per location; None when the table or column is absent.

        A distance that is missing while the layer's search radius is known means "farther than
        the radius": it is tested as infinitely far and shown as "> <radius>".
        """
        frame = self.frames[ref.kind]
        if frame is None or ref.column not in frame.columns:
            return None
        values = frame[ref.column]
        radius_column = f"{ref.name}.{RADIUS_SUFFIX}"
        if ref.metric != "distance_m" or radius_column not in frame.columns:
            return values, values
        radius = pd.to_numeric(frame[radius_column], errors="coerce")
        beyond = values.isna() & radius.notna()
        shown = values.astype(object).where(
            ~beyond, "> " + radius.map("{:g}".format, na_action="ignore")
        )
        return values.where(~beyond, np.inf), shown


def _by_id(frame: pd.DataFrame | None, ids: pd.Index) -> pd.DataFrame | None:
    """A table re-indexed on the location ids (by column `id` when it has one)."""
    if frame is None:
        return None
    if "id" in frame.columns:
        frame = frame.set_index("id")
    frame = frame.set_axis(frame.index.astype(str), axis=0)
    return frame[~frame.index.duplicated()].reindex(ids)


def _evaluate(item: BonusItem, tables: _Tables) -> _Evaluated:
    """First matching rule per location."""
    n = len(tables.ids)
    found = tables.lookup(item.source)
    if found is None:
        reason = NO_ANSWER if item.source.kind == "vraag" else f"bron ontbreekt: {item.source}"
        empty = pd.Series([None] * n, index=tables.ids, dtype=object)
        return _Evaluated(
            empty, np.full(n, np.nan), np.full(n, -1), np.full(n, reason, dtype=object)
        )
    series, shown = found
    values = Values(series)
    points = np.full(n, np.nan)
    rule = np.full(n, -1)
    for index, candidate in enumerate(item.regels):
        hit = candidate.condition.mask(values) & (rule < 0)
        points[hit] = candidate.points
        rule[hit] = index
    no_value = {
        "laag": tables.layer_problems.get(item.source.name, NO_VALUE),
        "vraag": NO_ANSWER,
    }.get(item.source.kind, NO_VALUE)
    reason = np.where(rule >= 0, None, np.where(values.known, NO_RULE, no_value))
    return _Evaluated(shown, points, rule, reason)


def _explanation(ids: pd.Index, rows: list[_Row]) -> pd.DataFrame:
    """One row per location and criterion or bonus item, criterion by criterion."""
    n = len(ids)

    def each(values: list[object]) -> pd.Series:  # one value per criterion, repeated per location
        return pd.Series(np.repeat(np.array(values, dtype=object), n), dtype=object)

    def stacked(arrays: list[np.ndarray], dtype: object = object) -> np.ndarray:
        return np.concatenate(arrays).astype(dtype) if arrays else np.array([], dtype=dtype)

    def texts(row: _Row) -> np.ndarray:  # the matched rule's text; None where onbekend
        return np.array([r.text for r in row.item.regels] + [None], dtype=object)[
            row.evaluated.rule
        ]

    matched = stacked([row.evaluated.rule for row in rows], int) >= 0
    values = [row.evaluated.values.to_numpy(dtype=object) for row in rows]
    columns = {
        "id": pd.Series(np.tile(ids.to_numpy(dtype=object), len(rows)), dtype=object),
        "pijler": each([row.pillar for row in rows]),
        "criterium": each([row.item.id for row in rows]),
        "label": each([row.item.label for row in rows]),
        "bron": each([row.item.bron for row in rows]),
        "waarde": pd.Series(stacked(values), dtype=object),
        "regel": pd.Series(stacked([texts(row) for row in rows]), dtype=object),
        "punten": stacked([row.points for row in rows], float),
        "max_punten": np.repeat([row.item.max_points for row in rows], n).astype(float),
        "gewicht": np.repeat([row.weight for row in rows], n).astype(float),
        "bijdrage": stacked([row.contribution for row in rows], float),
        "status": pd.Series(np.where(matched, "ok", "onbekend"), dtype=object),
        "reden": pd.Series(stacked([row.evaluated.reason for row in rows]), dtype=object),
    }
    return pd.DataFrame(columns, columns=EXPLANATION_COLUMNS)


def _inzet(model: ScoringModel, totaal: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Priority class and staff hours per total (None where the total is unknown)."""
    n = len(totaal)
    klasse = np.full(n, None, dtype=object)
    uren = np.full(n, np.nan)
    open_ = ~np.isnan(totaal)
    for rule in model.inzet:
        hit = open_ & (True if rule.vanaf is None else totaal >= rule.vanaf)
        klasse[hit] = rule.klasse
        uren[hit] = rule.uren_per_maand
        open_ &= ~hit
    return klasse, uren


def _column(frame: pd.DataFrame, name: str, n: int) -> np.ndarray:
    """A column of the location table as an array (None when it has no such column)."""
    if name in frame.columns:
        return frame[name].astype(object).to_numpy()
    return np.full(n, None, dtype=object)

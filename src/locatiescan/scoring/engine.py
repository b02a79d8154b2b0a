"""The scoring engine: a pure function from (model, inputs) to scores with explanations.

Semantics (also in scoring/README.md, so anyone can recompute a score by hand):

* criterion: the first rule whose condition holds gives `punten`; its score is
  `punten / max_punten` (max over its rules), so 0..1.
* A criterion is *onbekend* when its value is missing, its source column is absent, or no rule
  matches. Its *full weight* in the total is `W = pillar gewicht x criterion gewicht / sum of
  the criterion gewichten of its pillar` (the W of all criteria sum to 1).
* `dekking` = sum of W over the known criteria (0..1); `ontbrekend_gewicht` = 1 - dekking.
* bounds: `totaal_min` = 100 x sum W x score, every unknown criterion at its lowest points
  (`min_punten / max_punten`), + the bonus of the known bonus items; `totaal_max` the same with
  every unknown criterion at its highest points (score 1) and every unknown bonus item at its
  highest points, the bonus capped at `bonus_max` in both. The true total lies in between.
* `totaal` is the model's estimate, by its `onbekend:` policy: `herweeg` leaves an unknown
  criterion out and re-normalises the criterion weights of its pillar (a pillar without any
  known criterion is left out and the pillar weights re-normalised; without any known pillar
  there is no total); `nul` counts it as 0 points; `minimum` at its lowest points (so
  `totaal == totaal_min`). Under every policy the order uses `totaal_min`, never `totaal`:
  no policy lets a missing value lift a location (see `locatiescan.scoring.intervals`).
* pillar score: criterion-weight-weighted mean of its counted criterion scores (0..1).
* total: `100 * sum(pillar weight * pillar score) + min(sum(bonus points), bonus_max)`.
  A bonus item without data gives 0 points. When the cap applies, each bonus contribution
  is scaled down by the same factor so the contributions still add up to the total.
* `voorwaarden` (knock-outs, `locatiescan.scoring.voorwaarden`): `ontvankelijk` ja | nee |
  onbekend; only `ja` gets a class and staff hours.
* `minimale_dekking`: with `dekking` below it `totaal`, `klasse` and `uren_per_maand` are
  withheld (NA) and `oordeel` says "onvoldoende gegevens (35 % van het gewicht bekend)".
* class: the first `inzet` rule with `vanaf <= total`, else the `anders` rule.
* rank (`rang`, `rang_min`, `rang_max`): groups ontvankelijk, onbekend, niet ontvankelijk;
  within a group by `totaal_min`, highest first; equal values (to 9 decimals) share the lowest
  rank. A location without any known criterion has no rank.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import pandas as pd

from locatiescan.location_table import location_ids
from locatiescan.overlay import RADIUS_SUFFIX
from locatiescan.present import nl_percent
from locatiescan.scoring import intervals
from locatiescan.scoring.conditions import Values
from locatiescan.scoring.model import BonusItem, Criterion, ScoringModel
from locatiescan.scoring.sources import SourceRef
from locatiescan.scoring.voorwaarden import JA, Toetsing, toets

NO_VALUE = "geen waarde"
NO_RULE = "geen regel van toepassing"
NO_ANSWER = "geen antwoord"
NO_PLANNING = "geen geplande datum in de PPM"
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
STATUS_CATEGORIES = ["ok", "onbekend"]  # explanation `status`: matched a rule, or not


class ScreeningLike(Protocol):
    """What the engine reads from a `locatiescan.screening.Screening`."""

    table: pd.DataFrame


@dataclass(frozen=True)
class ScoringInput:
    """Everything a model may read, each table indexed (or keyed by column `id`) by location id.

    `locations` is the location table (column `id`, unique). `screening` is a `Screening` (its
    `.problemen` become the reasons for unknown layer values, its `.niet_bepaald` the reason
    per gemeente-level location) or its `.table` (columns `<layer>.<metric>`); `indicators`
    has one column per indicator; `answers` one column per question id; `voortgang` one column
    `<milestone>.vertraging_kwartalen` per PPM milestone (`voortgang.vertraging_per_project`).
    A missing table or column makes the criteria that need it *onbekend*.
    """

    locations: pd.DataFrame
    screening: pd.DataFrame | ScreeningLike | None = None
    indicators: pd.DataFrame | None = None
    answers: pd.DataFrame | None = None
    voortgang: pd.DataFrame | None = None


@dataclass(frozen=True)
class ScoreResult:
    """Scores of one model.

    `table` (index: location id, input order; columns `TABLE_COLUMNS`, then per pillar):
    naam; ontvankelijk ("ja" | "nee" | "onbekend") and voorwaarden (the Dutch sentence, ""
    when ontvankelijk); totaal (NA when withheld), totaal_min, totaal_max; dekking (0..1 share
    of weight with data) and oordeel ("" or "onvoldoende gegevens (35 % van het gewicht
    bekend)"); bonus; klasse and uren_per_maand (NA unless ontvankelijk and not withheld);
    rang, rang_min, rang_max (Int64, NA without any known criterion); ontbrekend_gewicht
    (1 - dekking); per pillar `pijler.<p>` (score 0..1), `bijdrage.<p>` (points to the total),
    `ontbrekend.<p>` (share of the pillar's criterion weight without data).
    `explanation`: one row per location and criterion or bonus item (EXPLANATION_COLUMNS).
    `conditions`: one row per location and voorwaarde (`voorwaarden.CONDITION_COLUMNS`).
    `ratios` (index: location id, columns: criterion id): known criterion scores (0..1), NaN
    where onbekend; `bonus_points` (columns: bonus id): known bonus points, NaN where onbekend.
    The sensitivity analysis re-weights these and draws the unknowns.
    """

    model: ScoringModel
    table: pd.DataFrame
    explanation: pd.DataFrame
    ratios: pd.DataFrame
    bonus_points: pd.DataFrame
    conditions: pd.DataFrame

    def records(self) -> list[dict[str, Any]]:
        """Per location in rank order: the CLI's JSON shape (`criteria[].id` = criterion id,
        `toetsing[].id` = voorwaarde id)."""
        by_location = _grouped(
            self.explanation.drop(columns=["id"]).rename(columns={"criterium": "id"}),
            self.explanation["id"],
        )
        tests = _grouped(
            self.conditions.drop(columns=["id"]).rename(columns={"voorwaarde": "id"}),
            self.conditions["id"],
        )
        order = self.table.sort_values(["rang", "naam"], na_position="last", kind="stable")
        records = []
        for lid, row in order.astype(object).where(order.notna(), None).iterrows():
            pillars = {
                name: {
                    "score": row[f"pijler.{name}"],
                    "gewicht": pillar.gewicht,
                    "bijdrage": row[f"bijdrage.{name}"],
                    "ontbrekend_gewicht": row[f"ontbrekend.{name}"],
                }
                for name, pillar in self.model.pijlers.items()
            }
            record = {"id": lid}
            record.update({column: row[column] for column in RECORD_HEAD})
            record["pijlers"] = pillars
            record.update({column: row[column] for column in RECORD_TAIL})
            record["criteria"] = by_location.get(lid, [])
            record["toetsing"] = tests.get(lid, [])
            records.append(record)
        return records


TABLE_COLUMNS = [
    "naam",
    "ontvankelijk",
    "voorwaarden",
    "totaal",
    "totaal_min",
    "totaal_max",
    "dekking",
    "oordeel",
    "bonus",
    "klasse",
    "uren_per_maand",
    "rang",
    "rang_min",
    "rang_max",
    "ontbrekend_gewicht",
]
RECORD_HEAD = TABLE_COLUMNS[:8]  # before `pijlers` in a record
RECORD_TAIL = TABLE_COLUMNS[8:]  # after `pijlers`, before `criteria` and `toetsing`


def _grouped(rows: pd.DataFrame, ids: pd.Series) -> dict[str, list[dict[str, Any]]]:
    """Rows as dicts (None for missing values) per location id, in row order."""
    rows = rows.astype(object)
    rows = rows.where(rows.notna(), None)
    return {
        lid: group.to_dict(orient="records")
        for lid, group in rows.groupby(ids.to_numpy(), sort=False)
    }


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
    ids = location_ids(inputs.locations)
    tables = _Tables(inputs, ids)
    n = len(ids)
    pillar_total = sum(p.gewicht for p in model.pijlers.values())
    pillar_scores: dict[str, np.ndarray] = {}
    missing: dict[str, np.ndarray] = {}  # share of criterion weight without data, per pillar
    ratios: dict[str, np.ndarray] = {}  # known criterion score; NaN = onbekend
    counted_ratio: dict[str, np.ndarray] = {}  # as counted by the policy; NaN = left out
    counted: dict[str, np.ndarray] = {}  # criterion weight with a score, per pillar
    low, high = np.zeros(n), np.zeros(n)  # sum W x score, unknowns at their lowest / highest
    evaluated: list[tuple[str, Criterion, _Evaluated, np.ndarray]] = []
    for name, pillar in model.pijlers.items():
        numerator, counted[name], absent = np.zeros(n), np.zeros(n), np.zeros(n)
        criterion_total = sum(c.gewicht for c in pillar.criteria)
        for criterion in pillar.criteria:
            ev = _evaluate(criterion, tables)
            known = ev.rule >= 0
            points = _apply_policy(model.onbekend, criterion, ev)
            ratio = counted_ratio[criterion.id] = points / criterion.max_points
            ratios[criterion.id] = np.where(known, ev.points / criterion.max_points, np.nan)
            used = ~np.isnan(ratio)
            numerator += np.where(used, criterion.gewicht * ratio, 0.0)
            counted[name] += np.where(used, criterion.gewicht, 0.0)
            absent += np.where(known, 0.0, criterion.gewicht)
            full = pillar.gewicht / pillar_total * criterion.gewicht / criterion_total
            lowest = criterion.min_points / criterion.max_points
            low += full * np.where(known, ratios[criterion.id], lowest)
            high += full * np.where(known, ratios[criterion.id], 1.0)
            evaluated.append((name, criterion, ev, points))
        with np.errstate(invalid="ignore", divide="ignore"):
            pillar_scores[name] = np.where(counted[name] > 0, numerator / counted[name], np.nan)
        missing[name] = absent / criterion_total

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
    bonus_best = sum(
        (np.where(ev.rule >= 0, ev.points, item.max_points) for item, ev in bonus_parts),
        np.zeros(n),
    )
    bonus = np.minimum(bonus_raw, model.bonus_max)
    with np.errstate(invalid="ignore", divide="ignore"):
        bonus_scale = np.where(bonus_raw > 0, bonus / bonus_raw, 0.0)
    totaal = weighted + bonus

    ontbrekend = sum(
        (model.pijlers[p].gewicht / pillar_total * missing[p] for p in model.pijlers), np.zeros(n)
    )
    toetsing = toets(model.voorwaarden, tables)
    table = _table(
        model,
        ids,
        naam=_column(inputs.locations, "naam", n),
        toetsing=toetsing,
        totaal=totaal,
        bounds=(100 * low + bonus, 100 * high + np.minimum(bonus_best, model.bonus_max)),
        ontbrekend=ontbrekend,
        bonus=bonus,
    )
    for name in model.pijlers:
        table[f"pijler.{name}"] = pillar_scores[name]
        table[f"bijdrage.{name}"] = contribution[name]
        table[f"ontbrekend.{name}"] = missing[name]

    rows = []
    for name, criterion, ev, points in evaluated:
        with np.errstate(invalid="ignore", divide="ignore"):
            share_of_total = 100 * share[name] * criterion.gewicht / counted[name]
        bijdrage = np.nan_to_num(share_of_total * counted_ratio[criterion.id])
        rows.append(_Row(name, criterion, ev, points, criterion.gewicht, bijdrage))
    for item, ev in bonus_parts:
        points = np.nan_to_num(ev.points)
        rows.append(_Row("bonus", item, ev, points, np.nan, points * bonus_scale))
    bonus_points = {item.id: np.where(ev.rule >= 0, ev.points, np.nan) for item, ev in bonus_parts}
    del evaluated, bonus_parts, counted_ratio  # `rows` holds the last references: see _explanation
    return ScoreResult(
        model,
        table,
        _explanation(ids, rows),
        pd.DataFrame(ratios, index=ids),
        pd.DataFrame(bonus_points, index=ids),
        toetsing.rows,
    )


def _table(
    model: ScoringModel,
    ids: pd.Index,
    *,
    naam: np.ndarray,
    toetsing: Toetsing,
    totaal: np.ndarray,
    bounds: tuple[np.ndarray, np.ndarray],
    ontbrekend: np.ndarray,
    bonus: np.ndarray,
) -> pd.DataFrame:
    """The per-location columns of `ScoreResult.table` (TABLE_COLUMNS)."""
    low, high = bounds
    dekking = np.clip(1.0 - ontbrekend, 0.0, 1.0)
    withheld = dekking + 1e-9 < model.minimale_dekking
    shown = np.where(withheld, np.nan, totaal)
    klasse, uren = _inzet(model, np.where(toetsing.ontvankelijk == JA, shown, np.nan))
    columns = {
        "naam": pd.Series(naam, index=ids, dtype=object),
        "ontvankelijk": toetsing.ontvankelijk,
        "voorwaarden": toetsing.tekst,
        "totaal": shown,
        "totaal_min": low,
        "totaal_max": high,
        "dekking": dekking,
        "oordeel": _oordelen(dekking, withheld),
        "bonus": bonus,
        "klasse": pd.Series(klasse, index=ids, dtype=object),
        "uren_per_maand": uren,
        **rank_columns(toetsing.ontvankelijk, dekking, low, high),
        "ontbrekend_gewicht": ontbrekend,
    }
    table = pd.DataFrame(columns, index=ids, columns=TABLE_COLUMNS)
    table[["ontvankelijk", "voorwaarden", "oordeel"]] = table[
        ["ontvankelijk", "voorwaarden", "oordeel"]
    ].astype(object)
    return table


def conditions_table(model: ScoringModel, inputs: ScoringInput) -> pd.DataFrame:
    """`ScoreResult.conditions` alone: one row per location and voorwaarde."""
    return toets(model.voorwaarden, _Tables(inputs, location_ids(inputs.locations))).rows


def rank_columns(
    ontvankelijk: np.ndarray, dekking: np.ndarray, low: np.ndarray, high: np.ndarray
) -> dict[str, pd.api.extensions.ExtensionArray]:
    """`rang`, `rang_min`, `rang_max` (Int64) over all the given locations: by ontvankelijk
    group, then `low` (totaal_min); intervals from [low, high]; unranked without dekking."""
    group = intervals.groups(ontvankelijk)
    ranked = dekking > 0
    rang = intervals.ranks(low, group, ranked)
    rang_min, rang_max = intervals.rank_interval(low, high, group, ranked)
    return {
        name: pd.array(values, dtype="Float64").astype("Int64")
        for name, values in (("rang", rang), ("rang_min", rang_min), ("rang_max", rang_max))
    }


def _oordelen(dekking: np.ndarray, withheld: np.ndarray) -> np.ndarray:
    """`_oordeel` where withheld, "" elsewhere; each distinct share is formatted once."""
    out = np.full(len(dekking), "", dtype=object)
    shares, inverse = np.unique(dekking[withheld], return_inverse=True)
    out[withheld] = np.array([_oordeel(share) for share in shares], dtype=object)[inverse]
    return out


def _oordeel(dekking: float) -> str:
    """'onvoldoende gegevens (35 % van het gewicht bekend)'; the share rounded down."""
    known = math.floor(100 * dekking + 1e-9)
    return f"onvoldoende gegevens ({nl_percent(known)} van het gewicht bekend)"


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
        withheld: dict[str, str] = dict(getattr(inputs.screening, "niet_bepaald", None) or {})
        self.withheld = pd.Series(withheld, dtype=object).reindex(ids).to_numpy(dtype=object)
        self.frames = {
            "attribuut": inputs.locations.set_axis(ids, axis=0),
            "laag": _by_id(getattr(inputs.screening, "table", inputs.screening), ids),
            "indicator": _by_id(inputs.indicators, ids),
            "vraag": _by_id(inputs.answers, ids),
            "voortgang": _by_id(inputs.voortgang, ids),
        }

    def absent_reason(self, ref: SourceRef) -> str:
        """Why no location has a value: the table or column of the source is absent."""
        return NO_ANSWER if ref.kind == "vraag" else f"bron ontbreekt: {ref}"

    def missing_reason(self, ref: SourceRef) -> str | np.ndarray:
        """Why a location's value is missing: for a layer the gemeente-level reason of that
        location or else the screening's problem (one per location); no answer, no planned
        date in the PPM, no value."""
        if ref.kind == "laag":
            problem = self.layer_problems.get(ref.name, NO_VALUE)
            return np.where(pd.isna(self.withheld), problem, self.withheld).astype(object)
        if ref.kind == "voortgang":
            return NO_PLANNING
        return NO_ANSWER if ref.kind == "vraag" else NO_VALUE

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
        reason = tables.absent_reason(item.source)
        empty = pd.Series([None] * n, index=tables.ids, dtype=object)
        # one shared reason object (np.full would cast the text to a new string per location)
        reasons = np.repeat(np.array([reason], dtype=object), n)
        return _Evaluated(empty, np.full(n, np.nan), np.full(n, -1), reasons)
    series, shown = found
    values = Values(series)
    points = np.full(n, np.nan)
    rule = np.full(n, -1)
    for index, candidate in enumerate(item.regels):
        hit = candidate.condition.mask(values) & (rule < 0)
        points[hit] = candidate.points
        rule[hit] = index
    # shared reason objects (None where matched), not one new string per location; a layer's
    # reason may differ per location (gemeente-level rows: "niet te bepalen: …")
    missing = np.asarray(tables.missing_reason(item.source), dtype=object)
    unmatched = np.where(values.known, np.array(NO_RULE, dtype=object), missing)
    reason = np.where(rule >= 0, np.array(None, dtype=object), unmatched)
    return _Evaluated(shown, points, rule, reason)


def _explanation(ids: pd.Index, rows: list[_Row]) -> pd.DataFrame:
    """One row per location and criterion or bonus item, criterion by criterion.

    Compact for large tables: the text columns with few distinct values (pijler, criterium,
    label, bron, regel, status, reden) are categoricals (a missing regel or reden is NaN), `id`
    repeats the same string objects; the numbers stay float64 so they read exactly as computed.
    Every column is filled criterion by criterion, without whole-table temporaries, and each
    row's arrays are let go (`rows[i] = None`) once copied, so peak memory stays near the table's.
    """
    n, k = len(ids), len(rows)
    rules = _categories(r.text for row in rows for r in row.item.regels)
    reasons = _categories(v for row in rows for v in pd.unique(row.evaluated.reason))
    per_row = {
        "pijler": [row.pillar for row in rows],
        "criterium": [row.item.id for row in rows],
        "label": [row.item.label for row in rows],
        "bron": [row.item.bron for row in rows],
        "max_punten": [row.item.max_points for row in rows],
        "gewicht": [row.weight for row in rows],
    }
    waarde = np.empty(n * k, dtype=object)
    punten, bijdrage = np.empty(n * k), np.empty(n * k)
    regel, reden = np.empty(n * k, _code_type(rules)), np.empty(n * k, _code_type(reasons))
    unknown = np.empty(n * k, dtype=np.int8)  # status code: 0 ok, 1 onbekend
    for i, row in enumerate(rows):
        part = slice(i * n, (i + 1) * n)
        ev = row.evaluated
        waarde[part] = ev.values.to_numpy(dtype=object)
        punten[part], bijdrage[part] = row.points, row.contribution
        rule_codes = [rules.get_loc(r.text) for r in row.item.regels] + [-1]
        regel[part] = np.array(rule_codes)[ev.rule]
        reden[part] = _codes(ev.reason, reasons)
        unknown[part] = ev.rule < 0
        rows[i] = None  # type: ignore[call-overload]  # copied: free its arrays

    def each(values: list[object]) -> pd.Categorical:  # one value per row, repeated per location
        codes, categories = pd.factorize(pd.Series(values, dtype=object), sort=True)
        return pd.Categorical.from_codes(np.repeat(codes, n), categories=categories)

    columns = {
        "id": pd.Series(np.tile(ids.to_numpy(dtype=object), k), dtype=object),
        "pijler": each(per_row["pijler"]),
        "criterium": each(per_row["criterium"]),
        "label": each(per_row["label"]),
        "bron": each(per_row["bron"]),
        "waarde": pd.Series(waarde, dtype=object, copy=False),
        "regel": pd.Categorical.from_codes(regel, rules),
        "punten": punten,
        "max_punten": np.repeat(per_row["max_punten"], n).astype(float),
        "gewicht": np.repeat(per_row["gewicht"], n).astype(float),
        "bijdrage": bijdrage,
        "status": pd.Categorical.from_codes(unknown, STATUS_CATEGORIES),
        "reden": pd.Categorical.from_codes(reden, reasons),
    }
    return pd.DataFrame(columns, columns=EXPLANATION_COLUMNS, copy=False)


def _categories(values: Iterable[object]) -> pd.Index:
    """The distinct texts among `values` (missing ones left out), sorted."""
    return pd.Index(sorted({v for v in values if isinstance(v, str)}), dtype=object)


def _code_type(categories: pd.Index) -> type[np.signedinteger]:
    """The smallest integer type for the codes of `categories` (and -1 for missing)."""
    return np.int8 if len(categories) < 127 else np.int16 if len(categories) < 32_767 else np.int32


def _codes(values: np.ndarray, categories: pd.Index) -> np.ndarray:
    """Each value's position in `categories` (-1 where missing)."""
    codes, uniques = pd.factorize(values)
    lookup = np.append(categories.get_indexer(uniques), -1).astype(np.int32)
    return lookup[codes]  # code -1 (missing) picks the appended -1


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

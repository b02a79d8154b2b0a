"""How much a ranking depends on the weights.

Monte Carlo (`sensitivity`): every draw multiplies each pillar weight, and each criterion weight,
by an independent factor uniform in [1 - spread, 1 + spread] (numpy `Generator`, seeded), and
gives every unknown criterion and bonus item a value drawn uniformly from its possible points
(the distinct `punten` of its rules; a bonus item may also give 0). Known criterion scores and
bonus points are taken from the `ScoreResult`. With every criterion valued, the total of a draw
is `100 * sum_p w_p * S_p / sum_p w_p + min(bonus, bonus_max)`, `S_p` the criterion-weighted mean
of pillar p: no re-weighing is needed, so missing data neither helps nor hurts beyond its range.
Ranks follow the engine's order (groups ontvankelijk, onbekend, niet ontvankelijk; locations
without any known criterion are not ranked). Per location it reports the share of draws with
rank <= k (tied locations share the better rank, so all of them count) and the rank interval:
5 %, 50 % and 95 % percentiles (observed ranks) and min-max.

Swap (`swap_weights`): the total is linear in the pillar weights,
`T = 100 * sum_p w_p * S_p + B`, so the difference between two locations,
`D(w) = 100 * sum_p w_p * dS_p + dB`, is linear too and the weights that make them tie are found
analytically:

* one pillar at a time: raise or lower `w_p` by `t` and scale the other pillars by
  `(1 - w_p - t) / (1 - w_p)` so the weights still sum to 1. Then
  `D(t) = D0 + 100 * t * (dS_p - sum_{q != p} w_q dS_q / (1 - w_p))`, and the tie is at
  `t = -D0 / slope`; it is feasible when the new weight stays within [0, 1].
* all pillars together, smallest Euclidean change keeping the sum at 1: with
  `g = dS - mean(dS)`, `delta = -D0 / (100 * |g|^2) * g` and `|delta| = |D0| / (100 * |g|)`;
  feasible when no weight turns negative.

Beyond the tie the two locations swap. This holds only when both locations have a score for
every pillar (otherwise `herweeg` re-normalises their pillar weights differently); criterion
weights enter non-linearly and are covered by the Monte Carlo only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from locatiescan.errors import InputError
from locatiescan.scoring import intervals
from locatiescan.scoring.engine import ScoreResult
from locatiescan.scoring.model import BonusItem

DRAWS = 1000
SPREAD = 0.2
PERCENTILES = (5, 50, 95)
_BLOCK = 100  # draws per block
_EPS = 1e-9  # rounding slack when checking that a new weight stays within [0, 1]
_RANK_COLUMNS = [f"rang_p{p:02d}" for p in PERCENTILES] + ["rang_min", "rang_max"]


@dataclass(frozen=True)
class Sensitivity:
    """Monte Carlo result; `table` index: location id, in the order of the score table.

    Columns: naam, totaal, rang, p_top_k, rang_p05, rang_p50, rang_p95, rang_min, rang_max.
    """

    table: pd.DataFrame
    top_k: int
    draws: int
    spread: float
    seed: int


@dataclass(frozen=True)
class Swap:
    """Weights at which locations `a` and `b` tie (and beyond which they swap).

    `per_pijler` (index: pillar): gewicht, nieuw_gewicht, verandering (NaN when that pillar alone
    cannot make them tie). `kleinste`: new pillar weights of the smallest change of all weights
    together, `afstand` its Euclidean length; None with `reden` (Dutch, for the screen) when
    there is no analytic answer.
    """

    a: str
    b: str
    verschil: float
    per_pijler: pd.DataFrame
    kleinste: dict[str, float] | None
    afstand: float | None
    reden: str | None


def sensitivity(
    result: ScoreResult,
    *,
    top_k: int = 3,
    draws: int = DRAWS,
    spread: float = SPREAD,
    seed: int = 0,
    criteria: bool = True,
) -> Sensitivity:
    """Rank stability under random weight changes of +-`spread` and unknowns drawn over their
    possible points (see the module docstring)."""
    _check(top_k >= 1, "top_k must be at least 1", "top_k moet minstens 1 zijn")
    _check(draws >= 1, "draws must be at least 1", "het aantal trekkingen moet minstens 1 zijn")
    _check(0 <= spread < 1, "spread must be in [0, 1)", "spreiding moet in [0, 1) liggen")
    model = result.model
    rng = np.random.default_rng(seed)
    pillar_weights = np.array([p.gewicht for p in model.pijlers.values()])[:, None] * rng.uniform(
        1 - spread, 1 + spread, size=(len(model.pijlers), draws)
    )
    criterion_weights = {}
    for name, pillar in model.pijlers.items():
        weights = np.array([c.gewicht for c in pillar.criteria])[:, None]
        factors = rng.uniform(1 - spread, 1 + spread, size=(len(weights), draws)) if criteria else 1
        criterion_weights[name] = weights * np.broadcast_to(factors, (len(weights), draws))
    n = len(result.table)
    group = intervals.groups(result.table["ontvankelijk"].to_numpy())
    ranked = result.table["dekking"].to_numpy(dtype=float) > 0
    ranks = np.empty((n, draws), dtype=np.float32)  # exact for ranks below 2**24
    for start in range(0, draws, _BLOCK):  # blocks of draws bound the memory for large tables
        block = slice(start, min(start + _BLOCK, draws))
        weights_block = {name: w[:, block] for name, w in criterion_weights.items()}
        totals = _totals(result, pillar_weights[:, block], weights_block, rng)
        for column in range(totals.shape[1]):
            ranks[:, start + column] = intervals.ranks(totals[:, column], group, ranked)
    table = result.table[["naam", "totaal", "rang"]].copy()
    valid = ~np.isnan(ranks).all(axis=1)
    table["p_top_k"] = np.where(valid, (ranks <= top_k).mean(axis=1), np.nan)
    summary = {name: np.full(n, np.nan) for name in _RANK_COLUMNS}
    if valid.any():
        observed = ranks[valid]
        percentiles = np.percentile(observed, PERCENTILES, axis=1, method="inverted_cdf")
        for p, values in zip(PERCENTILES, percentiles, strict=True):
            summary[f"rang_p{p:02d}"][valid] = values
        summary["rang_min"][valid] = observed.min(axis=1)
        summary["rang_max"][valid] = observed.max(axis=1)
    for name, values in summary.items():
        table[name] = pd.array(values, dtype="Float64").astype("Int64")
    return Sensitivity(table, top_k, draws, spread, seed)


def _totals(
    result: ScoreResult,
    pillar_weights: np.ndarray,
    criterion_weights: dict[str, np.ndarray],
    rng: np.random.Generator,
) -> np.ndarray:
    """Totals (locations x draws) for the given weights, unknowns drawn over their points."""
    n, draws = len(result.table), pillar_weights.shape[1]
    numerator = np.zeros((n, draws))
    for index, (name, pillar) in enumerate(result.model.pijlers.items()):
        weights = criterion_weights[name]  # criteria x draws
        weighted = np.zeros((n, draws))
        for row, criterion in enumerate(pillar.criteria):
            known = result.ratios[criterion.id].to_numpy(dtype=float)
            options = np.unique([rule.points for rule in criterion.regels]) / criterion.max_points
            weighted += weights[row] * _drawn(known, options, draws, rng)
        numerator += pillar_weights[index] * weighted / weights.sum(axis=0)
    bonus = np.zeros((n, draws))
    for item in result.model.bonus:
        known = result.bonus_points[item.id].to_numpy(dtype=float)
        bonus += _drawn(known, _bonus_options(item), draws, rng)
    bonus = np.minimum(bonus, result.model.bonus_max)
    return 100 * numerator / pillar_weights.sum(axis=0) + bonus


def _drawn(
    known: np.ndarray, options: np.ndarray, draws: int, rng: np.random.Generator
) -> np.ndarray:
    """Known values repeated over the draws; unknown ones drawn uniformly from `options`."""
    values = np.repeat(known[:, None], draws, axis=1)
    unknown = np.isnan(known)
    if unknown.any():
        values[unknown] = rng.choice(options, size=(int(unknown.sum()), draws))
    return values


def _bonus_options(item: BonusItem) -> np.ndarray:
    """Points an unknown bonus item may turn out to give: its rules' points, or 0."""
    return np.unique([0.0, *(rule.points for rule in item.regels)])


def swap_weights(result: ScoreResult, a: str, b: str) -> Swap:
    """The pillar weights at which `a` and `b` tie (analytic; see the module docstring)."""
    table = result.table
    unknown = [lid for lid in (a, b) if lid not in table.index]
    _check(
        not unknown,
        f"unknown location id(s): {', '.join(unknown)}",
        f"onbekende locatie-id('s): {', '.join(unknown)}",
    )
    pillars = list(result.model.pijlers)
    weights = pd.Series({p: result.model.pijlers[p].gewicht for p in pillars})
    scores = table.loc[[a, b], [f"pijler.{p}" for p in pillars]].to_numpy(dtype=float)
    difference = float(table.at[a, "totaal"] - table.at[b, "totaal"])
    per_pillar = pd.DataFrame({"gewicht": weights, "nieuw_gewicht": np.nan, "verandering": np.nan})
    if np.isnan(scores).any():
        reason = "niet elke pijler heeft een score voor beide locaties (herweeg weegt ze anders)"
        return Swap(a, b, difference, per_pillar, None, None, reason)
    delta = pd.Series(scores[0] - scores[1], index=pillars)
    for pillar in pillars:
        rest = 1.0 - weights[pillar]
        if rest <= 0:
            continue
        others = sum(weights[q] * delta[q] for q in pillars if q != pillar) / rest
        slope = 100 * (delta[pillar] - others)
        if slope == 0:
            continue
        change = -difference / slope
        if -_EPS <= weights[pillar] + change <= 1 + _EPS:
            new_weight = min(max(weights[pillar] + change, 0.0), 1.0)
            per_pillar.loc[pillar, ["nieuw_gewicht", "verandering"]] = [new_weight, change]
    gradient = delta - delta.mean()
    norm2 = float((gradient**2).sum())
    if norm2 == 0:
        return Swap(
            a,
            b,
            difference,
            per_pillar,
            None,
            None,
            "de pijlerscores verschillen overal evenveel: geen gewichtswijziging wisselt ze",
        )
    step = -difference / (100 * norm2) * gradient
    new = weights + step
    if (new < -_EPS).any():
        return Swap(
            a,
            b,
            difference,
            per_pillar,
            None,
            None,
            "de kleinste wijziging zou een negatief gewicht vragen",
        )
    afstand = float(np.sqrt((step**2).sum()))
    return Swap(a, b, difference, per_pillar, new.clip(lower=0).to_dict(), afstand, None)


def _check(condition: bool, en: str, nl: str) -> None:
    """Raise `InputError` when an argument is out of range."""
    if not condition:
        raise InputError(en, nl)

"""The order of locations and their rank intervals (pure; see scoring/README.md, "Ranking").

Locations are ordered in groups, first the ontvankelijke (`ja`), then those whose
ontvankelijkheid is `onbekend`, then the niet-ontvankelijke (`nee`). Within a group the order is
the *worst-case total* `totaal_min` (every unknown criterion at its lowest points), highest
first, so a missing value never lifts a location above one whose known values are better.
Equal values (to 9 decimals) share the lowest rank ("min" method: 70, 70, 60 gives 1, 1, 3).

Rank interval: with every unknown at its lowest or highest points a location's total lies in
[totaal_min, totaal_max]; the totals of different locations vary independently. So

* best rank  `rang_min` = 1 + (ranked locations in earlier groups)
  + (others in its group whose totaal_min > its totaal_max);
* worst rank `rang_max` = 1 + (ranked locations in earlier groups)
  + (others in its group whose totaal_max > its totaal_min);

and `rang_min <= rang <= rang_max`. Only locations with at least one known criterion are ranked;
the others have no rank and do not count in anyone's rank.
"""

from __future__ import annotations

import numpy as np

from locatiescan.present import nl_range

GROUPS: dict[str, int] = {"ja": 0, "onbekend": 1, "nee": 2}
DECIMALS = 9


def groups(ontvankelijk: np.ndarray) -> np.ndarray:
    """Group number per location: 0 ontvankelijk, 1 onbekend, 2 niet ontvankelijk."""
    return np.array([GROUPS[str(v)] for v in ontvankelijk], dtype=int)


def ranks(key: np.ndarray, group: np.ndarray, ranked: np.ndarray) -> np.ndarray:
    """Rank per location (1 = first; NaN where not ranked), by group, then `key` descending."""
    key = np.round(np.asarray(key, dtype=float), DECIMALS)
    result = np.full(len(key), np.nan)
    for g, offset, members in _groups(group, ranked):
        ordered = np.sort(key[members])
        result[members] = (
            offset + 1 + len(ordered) - np.searchsorted(ordered, key[members], "right")
        )
    return result


def rank_interval(
    low: np.ndarray, high: np.ndarray, group: np.ndarray, ranked: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(best, worst) possible rank per location; NaN where not ranked (module docstring)."""
    low = np.round(np.asarray(low, dtype=float), DECIMALS)
    high = np.round(np.asarray(high, dtype=float), DECIMALS)
    best, worst = np.full(len(low), np.nan), np.full(len(low), np.nan)
    for _, offset, members in _groups(group, ranked):
        lows, highs = np.sort(low[members]), np.sort(high[members])
        m = len(lows)
        best[members] = offset + 1 + m - np.searchsorted(lows, high[members], "right")
        beaten_by = m - np.searchsorted(highs, low[members], "right")
        worst[members] = offset + 1 + beaten_by - (high[members] > low[members])
    return best, worst


def rank_text(best: object, worst: object) -> str:
    """'rang 2–9', 'rang 3' when both ends agree, 'rang onbekend' without a rank."""
    return f"rang {nl_range(best, worst)}"


def _groups(group: np.ndarray, ranked: np.ndarray) -> list[tuple[int, int, np.ndarray]]:
    """(group, ranked locations in earlier groups, indices of its ranked members) per group."""
    out = []
    offset = 0
    for g in sorted(set(group[ranked].tolist())):
        members = np.flatnonzero(ranked & (group == g))
        out.append((g, offset, members))
        offset += len(members)
    return out

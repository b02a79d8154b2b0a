"""Sites, not list rows: one site in several programmes, nested sites, and honest totals of homes.

The policy lists overlap (`locaties/` in SOURCES.md, corrections of 2026-11-25):

- **Same site, several programmes**: KL-01 and DB-16 are both Purmerend-Oostflank (the CSV's
  toelichting says "zelfde locatie als KL-01"; both link to the same EIB plans 1049 and 1051).
  `SAME_SITE` maps the merged id to the canonical one; the canonical row (the first in the
  list, KL-01, which has the actual homes) gets `programmas` "koploper;doorbraak" and
  `zelfde_site_als` "DB-16"; `type` stays its first programme. `canonical_id` finds it again.
- **Nested sites**: GS-07 Utrecht Groot Merwede lies inside DB-03 Groot Merwede - Rijnenburg;
  DB-04 Almere Oosterwold and DB-05 Almere Pampus lie inside GS-03 MRA-Oost. `binnen` holds the
  enclosing site's id.
- **Thresholds are not counts**: every doorbraaklocatie has "ten minste 2.500" homes; a
  doorbraak row whose only number is that minimum (DB-05, DB-06…DB-23) has
  `woningen_drempel` True and `woningen` NA.

`woningen_totaal` adds homes per site once: a site nested in a site that is also counted is
left out (its homes are part of the parent's), a merged row is already one row. It reports
the known sum and the "at least" sum separately and never adds a threshold to the known sum.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd

from locatiescan import present

# merged id -> canonical id (SOURCES.md, locaties/: "KL-01 and DB-16 are the same site")
SAME_SITE: dict[str, str] = {"DB-16": "KL-01"}
# site id -> id of the site it lies within (SOURCES.md, locaties/: "Same site, several programmes")
NESTED: dict[str, str] = {"GS-07": "DB-03", "DB-04": "GS-03", "DB-05": "GS-03"}
# "ten minste 2.500 woningen" per doorbraaklocatie (locaties.csv toelichting, SOURCES.md)
DOORBRAAK_DREMPEL = 2500
# "minimaal 100.000 woningen op de geselecteerde kansrijke locaties" (seed 003, line 24)
DOORBRAAK_DOEL = 100_000
SITE_COLUMNS = ["programmas", "woningen_drempel", "binnen", "zelfde_site_als"]
SEPARATOR = ";"


def programmes(value: object) -> list[str]:
    """The programmes of a `programmas` cell ("koploper;doorbraak" -> ["koploper", "doorbraak"])."""
    if present.is_missing(value):
        return []
    return [p for p in str(value).split(SEPARATOR) if p]


def in_programmes(frame: pd.DataFrame, wanted: Iterable[str]) -> pd.Series:
    """Per row: does the site belong to any of `wanted` (via `programmas`, else `type`)?"""
    wanted = set(wanted)
    cells = frame["programmas"] if "programmas" in frame.columns else frame["type"]
    return cells.map(lambda cell: bool(wanted & set(programmes(cell)))).astype(bool)


def threshold_only(frame: pd.DataFrame) -> pd.Series:
    """Per row: is `woningen_min` only the doorbraak threshold (doorbraak, no maximum, = 2,500)?"""
    minimum = pd.to_numeric(frame["woningen_min"], errors="coerce")
    return (
        (frame["type"] == "doorbraak")
        & frame["woningen_max"].isna()
        & (minimum == DOORBRAAK_DREMPEL)
    ).astype(bool)


def _joined(values: Iterable[object]) -> str:
    return "; ".join(dict.fromkeys(str(v) for v in values if not present.is_missing(v)))


def merge_same_sites(frame: pd.DataFrame, same: dict[str, str] | None = None) -> pd.DataFrame:
    """Pure: one row per site. Each merged row (`same`: merged id -> canonical id) is folded into
    its canonical row: programmes joined, `bron`/`status` joined, `zelfde_site_als` set.

    Homes stay the canonical row's (a threshold never replaces a count); a merged row whose
    canonical id is absent stays as it is.
    """
    same = SAME_SITE if same is None else same
    result = frame.copy()
    result["programmas"] = result.get("programmas", result["type"]).astype(object)
    result["zelfde_site_als"] = pd.Series(pd.NA, index=result.index, dtype=object)
    ids = result["id"].tolist()
    drop = []
    for merged, canonical in same.items():
        if merged not in ids or canonical not in ids:
            continue
        m = result.index[result["id"] == merged][0]
        c = result.index[result["id"] == canonical][0]
        names = programmes(result.at[c, "programmas"]) + programmes(result.at[m, "programmas"])
        result.at[c, "programmas"] = SEPARATOR.join(dict.fromkeys(names))
        for column in ("bron", "status"):
            result.at[c, column] = _joined([result.at[c, column], result.at[m, column]])
        already = programmes(result.at[c, "zelfde_site_als"])
        result.at[c, "zelfde_site_als"] = SEPARATOR.join([*already, merged])
        drop.append(m)
    return result.drop(index=drop).reset_index(drop=True)


def mark_nested(frame: pd.DataFrame, nested: dict[str, str] | None = None) -> pd.DataFrame:
    """Pure: the `binnen` column (id of the enclosing site, NA otherwise)."""
    nested = NESTED if nested is None else nested
    result = frame.copy()
    result["binnen"] = (
        result["id"].map(nested).astype(object).where(result["id"].isin(list(nested)), pd.NA)
    )
    return result


def canonical_id(location_id: str, same: dict[str, str] | None = None) -> str:
    """The id under which a site is listed ("DB-16" -> "KL-01"; others unchanged)."""
    same = SAME_SITE if same is None else same
    return same.get(location_id, location_id)


@dataclass(frozen=True)
class WoningenTotaal:
    """Homes of a set of sites, each site counted once.

    `bekend`: sum of the known counts (`woningen`; the top of a range). `ten_minste`: sum of the
    lower bounds of every counted site (range minimum, count, or the threshold), a floor for
    the total. Thresholds add only to `ten_minste`; sites with no number add to neither.
    """

    bekend: int
    ten_minste: int
    sites: int
    sites_bekend: int
    sites_drempel: int
    sites_onbekend: int
    niet_opgeteld: dict[str, str] = field(default_factory=dict)  # id -> why not added

    def text(self) -> str:
        """Dutch one-line summary saying how sites were counted."""
        parts = [
            f"{present.nl_number(self.bekend)} woningen bekend ({_locaties(self.sites_bekend)})",
            f"ten minste {present.nl_number(self.ten_minste)} woningen",
        ]
        if self.sites_drempel:
            threshold = present.nl_number(DOORBRAAK_DREMPEL)
            parts.append(f"{_locaties(self.sites_drempel)} alleen ≥ {threshold}")
        if self.sites_onbekend:
            parts.append(f"{_locaties(self.sites_onbekend)} zonder aantal")
        counted = f"elke locatie één keer geteld ({_locaties(self.sites)})"
        if self.niet_opgeteld:
            counted += f"; niet opgeteld: {', '.join(self.niet_opgeteld)}"
        return "; ".join(parts) + f" — {counted}"

    def summary(self) -> dict[str, object]:
        """The totals as a JSON-ready mapping (the CLI summary)."""
        return {
            "bekend": self.bekend,
            "ten_minste": self.ten_minste,
            "locaties_geteld": self.sites,
            "locaties_bekend": self.sites_bekend,
            "locaties_drempel": self.sites_drempel,
            "locaties_onbekend": self.sites_onbekend,
            "niet_opgeteld": dict(self.niet_opgeteld),
            "toelichting": self.text(),
        }


def _locaties(count: int) -> str:
    """'1 locatie', '3 locaties' (Dutch numbers)."""
    return f"{present.nl_number(count)} {'locatie' if count == 1 else 'locaties'}"


def _column(frame: pd.DataFrame, name: str, default: object) -> pd.Series:
    if name in frame.columns:
        return frame[name]
    return pd.Series(default, index=frame.index, dtype=object)


def woningen_totaal(locations: pd.DataFrame) -> WoningenTotaal:
    """Pure: the homes of `locations`, each site once (see `WoningenTotaal`).

    Not added: a site whose `binnen` parent is also in `locations`; an EIB plan (`EIB-<id>`)
    that is part of a listed site's plan polygons (`eib_ids`).
    """
    ids = set(locations["id"].astype(str))
    binnen = _column(locations, "binnen", pd.NA)
    plan_parts = {
        part: site
        for site, cell in zip(locations["id"], _column(locations, "eib_ids", pd.NA), strict=True)
        for part in programmes(cell)
    }
    skipped: dict[str, str] = {}
    for location_id, parent in zip(locations["id"], binnen, strict=True):
        if not present.is_missing(parent) and str(parent) in ids:
            skipped[str(location_id)] = f"ligt binnen {parent}"
        elif str(location_id) in plan_parts:
            skipped[str(location_id)] = f"deel van {plan_parts[str(location_id)]}"
    counted = locations[~locations["id"].astype(str).isin(skipped)]
    drempel = _column(counted, "woningen_drempel", False).fillna(False).astype(bool)
    count = pd.to_numeric(counted["woningen"], errors="coerce").where(~drempel)
    low = pd.to_numeric(counted["woningen_min"], errors="coerce").fillna(count)
    known = count.notna()
    return WoningenTotaal(
        bekend=int(count[known].sum()),
        ten_minste=int(low.fillna(0).sum()),
        sites=len(counted),
        sites_bekend=int(known.sum()),
        sites_drempel=int(drempel.sum()),
        sites_onbekend=int((~known & ~drempel).sum()),
        niet_opgeteld=skipped,
    )

"""Knelpunten: what holds a location back, in Dutch sentences for the shortlist and reports.

Pure functions. Input is one location's screening metrics (columns `<layer>.<metric>` of the
screening table; absent columns are skipped) and the scoring engine's explanation rows (columns
id, pijler, label, bron, waarde, punten, max_punten, status). Order: layer constraints
(Natura 2000, netcongestie with a queue, water & bodem class C/D), then low-scoring criteria
(punten / max_punten < 0.5; not repeated when the layer already has a sentence; bonus items are
extras, never knelpunten), then one "Geen gegevens: …" sentence listing every unknown layer,
water theme and criterion. Missing data is reported as unknown, never as "no problem".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

LOW_SCORE_FRACTION = 0.5
NETCONGESTIE_CODES = {
    -1: "kleur nog niet toegekend",
    0: "transportcapaciteit beschikbaar",
    1: "beperkt beschikbaar, geen wachtrij",
    2: "in onderzoek, met wachtrij",
    3: "tekort, wachtrij",
}
NETCONGESTIE_KNELPUNT_FROM = 2  # codes with a queue (2, 3) hold a location back
WATER_KLASSEN = {"A": "geen beperking", "B": "ja, mits", "C": "nee, tenzij", "D": "nee"}
WATER_KNELPUNT_KLASSEN = ("C", "D")  # "nee, tenzij" and "nee"; B ("ja, mits") is common


def nl_number(value: float, decimals: int = 0) -> str:
    """A number in Dutch notation: thousands with '.', decimals with ','."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def knelpunten(metrics: Mapping[str, Any], explanations: pd.DataFrame | None = None) -> list[str]:
    """Dutch sentences for one location: its metrics row and its own explanation rows."""
    layers = {
        "natura2000": _natura2000(metrics),
        "netcongestie": _netcongestie(metrics),
        "water_bodem": _water_bodem(metrics),
    }
    constraints = [sentence for sentences in layers.values() for sentence in sentences]
    low, unknown_criteria = _criteria(explanations, {k for k, v in layers.items() if v})
    unknown = _unique(_unknown_layers(metrics) + unknown_criteria)
    missing = [f"Geen gegevens: {', '.join(unknown)}"] if unknown else []
    return list(dict.fromkeys(constraints + low)) + missing


def knelpunten_per_location(
    screening: pd.DataFrame, explanations: pd.DataFrame | None = None
) -> dict[str, list[str]]:
    """`knelpunten` for every location of a screening table (indexed by location id)."""
    by_id = {} if explanations is None else dict(tuple(explanations.groupby("id", sort=False)))
    return {
        str(location_id): knelpunten(row.to_dict(), by_id.get(location_id))
        for location_id, row in screening.iterrows()
    }


def _known(value: Any) -> bool:
    """False for None, NaN, NA and NaT; True for any other value, lists included."""
    if isinstance(value, list | tuple | dict):
        return True
    return not pd.isna(value)


def _hectares(value: float) -> str:
    return nl_number(value, 1 if value >= 0.1 else 2)


def _percent(value: float) -> str:
    if value < 0.05:
        return "< 0,1 %"
    return f"{nl_number(value, 0 if value >= 1 else 1)} %"


def _natura2000(metrics: Mapping[str, Any]) -> list[str]:
    overlap = metrics.get("natura2000.overlap_ha")
    if _known(overlap) and overlap > 0:
        pct = metrics.get("natura2000.overlap_pct")
        share = f" ({_percent(pct)})" if _known(pct) else ""
        names = metrics.get("natura2000.names")
        if isinstance(names, list | tuple):
            names = "; ".join(str(n) for n in names)
        named = f": {names}" if _known(names) and names else ""
        return [f"Overlapt {_hectares(overlap)} ha{share} met Natura 2000{named}"]
    distance = metrics.get("natura2000.distance_m")
    if _known(distance):
        if distance <= 0:
            return ["Grenst aan Natura 2000"]
        return [f"Natura 2000 op {nl_number(distance, 0)} m afstand"]
    return []


def _netcongestie(metrics: Mapping[str, Any]) -> list[str]:
    code = metrics.get("netcongestie.afname_code")
    if not _known(code) or int(code) < NETCONGESTIE_KNELPUNT_FROM:
        return []
    meaning = NETCONGESTIE_CODES.get(int(code), "onbekende code")
    return [f"Netcongestie afname: {meaning} (code {int(code)})"]


def _water_bodem(metrics: Mapping[str, Any]) -> list[str]:
    sentences = []
    safety = metrics.get("water_bodem.waterveiligheid")
    if _known(safety) and str(safety) in WATER_KNELPUNT_KLASSEN:
        why = _reason_for(metrics.get("water_bodem.waterveiligheid_reden"), str(safety))
        because = f" ({why})" if why else ""
        sentences.append(f"Waterveiligheid indicatief klasse {safety}{because}")
    overall = metrics.get("water_bodem.klasse")
    if _known(overall) and str(overall) in WATER_KNELPUNT_KLASSEN and overall != safety:
        meaning = WATER_KLASSEN[str(overall)]
        sentences.append(f"Water en bodem indicatief klasse {overall} ({meaning})")
    return sentences


def _reason_for(reason: Any, klasse: str) -> str:
    """The part of a water & bodem reason that explains `klasse`.

    Reasons read "D: why; B: why — indicatief (…)": keep the segment of this class without
    its prefix; a reason without class prefixes is kept whole.
    """
    if not _known(reason) or not str(reason).strip():
        return ""
    text = str(reason).split(" — ")[0].strip()
    for segment in text.split("; "):
        if segment.startswith(f"{klasse}: "):
            return segment[len(klasse) + 2 :]
    return text


def _unknown_layers(metrics: Mapping[str, Any]) -> list[str]:
    """Layers whose key metric is present but unknown, and water themes without data."""
    key_metrics = {
        "natura2000.overlap_ha": "Natura 2000",
        "netcongestie.afname_code": "netcongestie",
        "water_bodem.klasse": "water en bodem",
        "water_bodem.waterveiligheid": "waterveiligheid",
    }
    unknown = [
        label
        for column, label in key_metrics.items()
        if column in metrics and not _known(metrics[column])
    ]
    themes = metrics.get("water_bodem.onbekende_themas")
    if _known(themes) and themes:
        listed = themes if isinstance(themes, list | tuple) else str(themes).split(";")
        unknown += [str(theme).strip() for theme in listed if str(theme).strip()]
    return unknown


def _criteria(
    explanations: pd.DataFrame | None, described_layers: set[str]
) -> tuple[list[str], list[str]]:
    """(low-score sentences, labels of unknown criteria); bonus items are skipped, and low
    scores on a layer that already has a constraint sentence are not repeated."""
    if explanations is None or explanations.empty:
        return [], []
    low, unknown = [], []
    for row in explanations.to_dict(orient="records"):
        if row.get("pijler") == "bonus":
            continue
        label = row.get("label") or row.get("criterium")
        if row.get("status") == "onbekend":
            unknown.append(str(label))
            continue
        source = str(row.get("bron") or "")
        if source.startswith("laag.") and source.split(".")[1] in described_layers:
            continue
        points, maximum = row.get("punten"), row.get("max_punten")
        scored = _known(points) and _known(maximum) and maximum > 0
        if scored and points / maximum < LOW_SCORE_FRACTION:
            value = _value_text(row.get("waarde"))
            low.append(
                f"Lage score op {label}: {_points(points)} van {_points(maximum)} punten{value}"
            )
    return low, unknown


def _unique(labels: list[str]) -> list[str]:
    """Labels without case-insensitive repeats, first spelling kept."""
    seen: dict[str, str] = {}
    for label in labels:
        seen.setdefault(label.lower(), label)
    return list(seen.values())


def _points(value: float) -> str:
    return nl_number(value, 0 if float(value).is_integer() else 1)


def _value_text(value: Any) -> str:
    if isinstance(value, np.generic):
        value = value.item()
    if not _known(value):
        return ""
    if isinstance(value, bool):
        return f" (waarde {'ja' if value else 'nee'})"
    if isinstance(value, int | float):
        return f" (waarde {nl_number(value, 0 if float(value).is_integer() else 1)})"
    return f" (waarde {value})"

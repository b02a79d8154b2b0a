"""Knelpunten: what holds a location back, in Dutch sentences for the shortlist and reports.

Pure functions over the layer catalog. Input is one location's screening metrics (columns
`<layer>.<metric>`; absent columns are skipped) and the scoring engine's explanation rows
(columns id, pijler, label, bron, waarde, punten, max_punten, status). Each catalog layer says in
its YAML which sentences it writes (`knelpunten`: a template and the conditions on its metrics)
and which metrics make it "onbekend" (`onbekend`). Order: layer sentences (catalog order), then
low-scoring criteria (punten / max_punten < 0.5; not repeated when the layer already has a
sentence; bonus items are extras, never knelpunten), then one "Geen gegevens: …" sentence
listing every unknown layer, theme and criterion. Missing data is unknown, never "no problem".

A location whose layer metrics cannot be determined (only its gemeente is known:
`Screening.niet_bepaald`) gets one sentence saying so instead of layer sentences or unknown
layers; its criteria that read layers are not listed as unknown one by one.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from locatiescan.layers.catalog import KnelpuntDef, LayerDef
from locatiescan.layers.fetch import shipped_catalog
from locatiescan.present import nl_number

LOW_SCORE_FRACTION = 0.5
NOT_DETERMINED = "Locatiematen {reason}"  # reason: sitemetrics.NIET_BEPAALD_REDEN
LAYER_SOURCE = "laag."
OPTIONAL = re.compile(r"\[([^\[\]]*)\]")  # a [segment] is left out when a field in it is unknown


def knelpunten(
    metrics: Mapping[str, Any],
    explanations: pd.DataFrame | None = None,
    catalog: Mapping[str, LayerDef] | None = None,
    niet_bepaald: str | None = None,
) -> list[str]:
    """Dutch sentences for one location: its metrics row and its own explanation rows.

    With `niet_bepaald` (the reason its layer metrics are unknown, e.g. "niet te bepalen:
    alleen de gemeente is bekend") the layers give one sentence with that reason instead.
    """
    catalog = shipped_catalog() if catalog is None else catalog
    if niet_bepaald:
        layers: dict[str, list[str]] = {key: [] for key in catalog}
        constraints = [NOT_DETERMINED.format(reason=niet_bepaald)]
        unknown_layers: list[str] = []
    else:
        layers = {lid: layer_sentences(layer, metrics) for lid, layer in catalog.items()}
        constraints = [sentence for sentences in layers.values() for sentence in sentences]
        unknown_layers = [label for layer in catalog.values() for label in _unknown(layer, metrics)]
    low, unknown_criteria = _criteria(
        explanations, {k for k, v in layers.items() if v}, layer_unknowns=not niet_bepaald
    )
    unknown = _unique(unknown_layers + unknown_criteria)
    missing = [f"Geen gegevens: {', '.join(unknown)}"] if unknown else []
    return list(dict.fromkeys(constraints + low)) + missing


def knelpunten_per_location(
    screening: pd.DataFrame,
    explanations: pd.DataFrame | None = None,
    catalog: Mapping[str, LayerDef] | None = None,
    niet_bepaald: Mapping[str, str] | None = None,
) -> dict[str, list[str]]:
    """`knelpunten` for every location of a screening table (indexed by location id);
    `niet_bepaald` is `Screening.niet_bepaald` (id -> why its layer metrics are unknown)."""
    catalog = shipped_catalog() if catalog is None else catalog
    by_id = {} if explanations is None else dict(tuple(explanations.groupby("id", sort=False)))
    reasons = niet_bepaald or {}
    return {
        str(location_id): knelpunten(
            row.to_dict(), by_id.get(location_id), catalog, reasons.get(str(location_id))
        )
        for location_id, row in screening.iterrows()
    }


def _known(value: Any) -> bool:
    """False for None, NaN, NA, NaT and blank text; True for any other value, lists included."""
    if isinstance(value, list | tuple | dict):
        return True
    if isinstance(value, str):
        return bool(value.strip())
    return not pd.isna(value)


def _plain(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value


def layer_sentences(layer: LayerDef, metrics: Mapping[str, Any]) -> list[str]:
    """The layer's knelpunt sentences whose conditions hold (first match per `groep`)."""
    prefix = f"{layer.id}."
    values = {k[len(prefix) :]: _plain(v) for k, v in metrics.items() if k.startswith(prefix)}
    if not values:
        return []
    sentences, done = [], set()
    for rule in layer.knelpunten:
        if rule.groep is not None and rule.groep in done:
            continue
        if not _applies(rule, values):
            continue
        sentences.append(render(rule.tekst, values, layer))
        if rule.groep is not None:
            done.add(rule.groep)
    return sentences


def _applies(rule: KnelpuntDef, values: Mapping[str, Any]) -> bool:
    def value(name: str) -> Any:
        found = values.get(name)
        return found if _known(found) else None

    if not all(cond.holds(value(name)) for name, cond in rule.als.items()):
        return False
    if rule.anders_dan is not None:
        first = next(iter(rule.als))
        return str(value(first)) != str(value(rule.anders_dan))
    return True


def render(template: str, values: Mapping[str, Any], layer: LayerDef) -> str:
    """Fill a template: `{metric}` or `{metric:spec}`; a `[segment]` with an unknown field goes."""

    def segment(match: re.Match[str]) -> str:
        names = [n for _, n, _, _ in string.Formatter().parse(match.group(1)) if n]
        return match.group(1) if all(_known(values.get(n)) for n in names) else ""

    text = OPTIONAL.sub(segment, template)
    parts = []
    for literal, name, spec, _ in string.Formatter().parse(text):
        parts.append(literal)
        if name:
            parts.append(format_value(values.get(name), spec or "", name, layer))
    return "".join(parts)


def format_value(value: Any, spec: str, name: str, layer: LayerDef) -> str:
    """A metric value in a sentence: `ha`, `pct`, `m`, `mw`, `jaar`, `int`, `label`, `reden`."""
    value = _plain(value)
    if not _known(value):
        return "onbekend"
    if spec == "reden":
        return reason_part(value, name)
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value)
    view = layer.weergave.get(name)
    labels = {str(c.waarde): c.label for c in view.klassen} if view else {}
    key = str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
    if spec == "label" or (spec == "jaar" and key in labels):
        return labels.get(key, key)
    number = float(value) if isinstance(value, int | float) else None
    if number is None:
        return str(value)
    if spec == "ha":
        return nl_number(number, 1 if number >= 0.1 else 2)
    if spec == "pct":
        return "< 0,1 %" if number < 0.05 else f"{nl_number(number, 0 if number >= 1 else 1)} %"
    if spec in ("m", "int", "jaar"):
        return f"{number:.0f}" if spec == "jaar" else nl_number(number, 0)
    if spec == "mw":
        return f"{nl_number(number, 0 if number >= 10 else 1)} MW"
    return nl_number(number, 0 if number.is_integer() else 1)


def reason_part(reason: Any, name: str) -> str:
    """The part of a rule-set reason (`<theme>_reden`) that explains the theme's class.

    Reasons read "D: why; B: why — indicatief (…)". Without the class at hand, the worst
    (first) segment is kept without its prefix; a reason without class prefixes is kept whole.
    """
    del name
    text = str(reason).split(" — ")[0].strip()
    first = text.split("; ")[0]
    match = re.match(r"^[A-Z]: ", first)
    return first[match.end() :] if match else text


def _unknown(layer: LayerDef, metrics: Mapping[str, Any]) -> list[str]:
    """Labels for the layer's key metrics that are present but unknown, and listed unknowns."""
    found = []
    for item in layer.onbekend:
        column = f"{layer.id}.{item.metric}"
        if column not in metrics:
            continue
        value = _plain(metrics[column])
        if item.label is not None:
            if not _known(value):
                found.append(item.label)
        elif _known(value):
            listed = value if isinstance(value, list | tuple) else str(value).split(";")
            found += [str(v).strip() for v in listed if str(v).strip()]
    return found


def _criteria(
    explanations: pd.DataFrame | None, described_layers: set[str], layer_unknowns: bool = True
) -> tuple[list[str], list[str]]:
    """(low-score sentences, labels of unknown criteria); bonus items are skipped, low scores
    on a layer that already has a constraint sentence are not repeated, and without
    `layer_unknowns` unknown criteria that read a layer are not listed."""
    if explanations is None or explanations.empty:
        return [], []
    low, unknown = [], []
    for row in explanations.to_dict(orient="records"):
        if row.get("pijler") == "bonus":
            continue
        label = row.get("label") or row.get("criterium")
        source = str(row.get("bron") or "")
        if row.get("status") == "onbekend":
            if layer_unknowns or not source.startswith(LAYER_SOURCE):
                unknown.append(str(label))
            continue
        if source.startswith(LAYER_SOURCE) and source.split(".")[1] in described_layers:
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
    value = _plain(value)
    if not _known(value):
        return ""
    if isinstance(value, bool):
        return f" (waarde {'ja' if value else 'nee'})"
    if isinstance(value, int | float):
        return f" (waarde {nl_number(value, 0 if float(value).is_integer() else 1)})"
    return f" (waarde {value})"

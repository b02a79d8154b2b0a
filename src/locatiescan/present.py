"""Presentation: the one place that turns values and codes into Dutch text for people.

Pages, tables, knelpunten and exports format every number, range and code through these
functions, so the whole product writes 1.234,5, "63.000–75.000", "≥ 2.500" and "onbekend" the
same way. Pure functions, no I/O.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

import pandas as pd

ONBEKEND = "onbekend"
LOCAL_ZONE = "Europe/Amsterdam"
RANGE_DASH = "–"

# Codes that appear in data and models, with their Dutch label. Layer-specific labels (legend
# classes, metric names) come from the layer catalog; model-specific ones from the model YAML.
CODE_LABELS: dict[str, str] = {
    "ja": "ja",
    "nee": "nee",
    "hard": "hard",
    "zacht": "zacht",
    "koploper": "Koploper industrieel bouwen",
    "doorbraak": "Doorbraaklocatie",
    "grootschalig": "Grootschalige woningbouwlocatie",
    "plancapaciteit": "Plancapaciteit 2020 (EIB)",
    "eigen": "Eigen locatie",
    "op_shortlist": "Op shortlist",
    "aangehouden": "Aangehouden",
    "afgevallen": "Afgevallen",
    "ingetrokken": "Ingetrokken",
    # dossier facts (common contract: fact vocabulary)
    "meerdere_eigenaren": "meerdere eigenaren",
    "initiatief": "initiatief",
    "schets": "schets",
    "stedenbouwkundig_plan": "stedenbouwkundig plan",
    "ontwerp_omgevingsplan": "ontwerp-omgevingsplan",
    "omgevingsplan_vastgesteld": "omgevingsplan vastgesteld",
    "vergunning": "vergunning verleend",
    "bestuursovereenkomst": "bestuursovereenkomst",
    "intentieovereenkomst": "intentieovereenkomst",
    "rond": "dekking rond",
    "tekort_met_oplossing": "tekort met oplossing",
    "tekort_open": "tekort zonder oplossing",
    "infrastructurele_ontsluiting": "infrastructurele ontsluiting",
    "stikstofreductie": "stikstofreductie",
    "bodemsanering": "bodemsanering",
    "uitplaatsing_bedrijven": "uitplaatsing van bedrijven",
    # scoring statuses
    "ok": "ok",
    "onbekend": ONBEKEND,
    "niet_van_toepassing": "niet van toepassing",
    "bonus": "Bonus",
}

# Geometry quality of a location (`geometrie_kwaliteit`), as a sentence for reports.
QUALITY_LABELS: dict[str, str] = {
    "indicatief": "Geometrie indicatief: cirkel op basis van woningaantal",
    "gemeente": "Geometrie op gemeenteniveau: de hele gemeentegrens, niet de plangrens",
    "planpolygonen": "Plangrens uit de EIB-planpolygonen (2020)",
    "plan": "Plangrens uit een plankaart",
    "ingetekend": "Plangrens ingetekend",
    "eigen": "Eigen geometrie (geïmporteerd of getekend)",
}

# Column headers for people, with units. Per-pillar and per-layer columns: `column_label`.
COLUMN_LABELS: dict[str, str] = {
    "id": "Id",
    "naam": "Naam",
    "type": "Programma",
    "programmas": "Programma's",
    "gemeenten": "Gemeente(n)",
    "provincie": "Provincie",
    "woningen": "Woningen",
    "woningen_min": "Woningen (minimaal)",
    "woningen_max": "Woningen (maximaal)",
    "planstatus": "Planstatus",
    "partijen": "Partijen",
    "status": "Status",
    "bron": "Bron",
    "geometrie_kwaliteit": "Geometrie",
    "area_ha": "Oppervlakte (ha)",
    "rang": "Rang",
    "totaal": "Totaalscore (0–100)",
    "bonus": "Bonus (punten)",
    "klasse": "Klasse",
    "uren_per_maand": "Inzet (uren per maand)",
    "ontbrekend_gewicht": "Gewicht zonder gegevens (%)",
    "ontvankelijk": "Ontvankelijk",
    "voorwaarden": "Voorwaarden niet voldaan of onbekend",
    "dekking": "Gewicht met gegevens (%)",
    "oordeel": "Oordeel",
    "totaal_min": "Totaalscore minimaal",
    "totaal_max": "Totaalscore maximaal",
    "rang_min": "Rang (best mogelijk)",
    "rang_max": "Rang (slechtst mogelijk)",
    "knelpunten": "Knelpunten",
    "besluit": "Besluit",
}
PILLAR_COLUMNS = {
    "pijler": "{} (score 0–1)",
    "bijdrage": "{}: bijdrage (punten)",
    "ontbrekend": "{}: gewicht zonder gegevens (%)",
}
# Screening metrics (`<layer>.<metric>`), with units; the layer title comes from the catalog.
METRIC_LABELS: dict[str, str] = {
    "overlap_pct": "overlap (%)",
    "overlap_ha": "overlap (ha)",
    "names": "overlapt met",
    "distance_m": "afstand tot dichtstbijzijnde (m)",
    "afname_code": "afname (verbruik), code",
    "afname_rnb": "afname regionale netbeheerder, code",
    "afname_tennet": "afname TenneT, code",
    "opwek_code": "opwek (teruglevering), code",
    "klasse": "klasse (eindoordeel)",
    "oordeel": "oordeel",
    "klasse_volledig": "alle thema's bekend",
    "onbekende_themas": "thema's zonder gegevens",
    "afstand_kering_m": "afstand tot primaire kering (m)",
    "traject": "dichtstbijzijnde normtraject",
    "norm_og": "ondergrens normtraject (1/x per jaar)",
    "binnen_dijkring_pct": "binnen dijkring (%)",
}
MONTHS = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)
# A local file path (not inside a URL): only its file name is shown.
LOCAL_PATH = re.compile(r"(?<![\w:/.])/(?:[^/\s;,()]+/)+([^/\s;,()]+)")
# A seed text cited as 'NNN_<hash>.txt (Title)': shown as 'Title (brontekst NNN)'.
SEED_CITATION = re.compile(r"\b(\d{3})_[0-9a-f]{16}\.txt \(([^)]*)\)")


def is_missing(value: Any) -> bool:
    """True for None, NaN, pd.NA, NaT and empty strings: the value is unknown."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def nl_number(value: Any, decimals: int = 0, unit: str = "") -> str:
    """A number in Dutch notation (1.234,5) with an optional unit; 'onbekend' when missing."""
    if is_missing(value):
        return ONBEKEND
    text = f"{float(value):,.{decimals}f}".replace(",", "_").replace(".", ",").replace("_", ".")
    return f"{text} {unit}".rstrip() if unit else text


def nl_compact(value: Any, decimals: int = 2) -> str:
    """A number with at most `decimals` decimals and no trailing zeros: 66,7 · 5.000 · 0,88."""
    if is_missing(value):
        return ONBEKEND
    text = nl_number(value, decimals)
    return text.rstrip("0").rstrip(",") if "," in text else text


def nl_percent(value: Any, decimals: int = 0) -> str:
    """A percentage (value already in %): '12 %', '< 0,1 %' for tiny shares, 'onbekend'."""
    if is_missing(value):
        return ONBEKEND
    if 0 < float(value) < 0.05:
        return "< 0,1 %"
    return nl_number(value, decimals, "%")


def nl_range(low: Any, high: Any, decimals: int = 0, unit: str = "") -> str:
    """'63.000–75.000' for a range, one number when both ends agree or one is missing."""
    if is_missing(low) and is_missing(high):
        return ONBEKEND
    if is_missing(low) or is_missing(high) or float(low) == float(high):
        return nl_number(high if is_missing(low) else low, decimals, unit)
    return f"{nl_number(low, decimals)}{RANGE_DASH}{nl_number(high, decimals, unit)}"


def woningen_text(low: Any, high: Any, threshold: bool = False) -> str:
    """Homes of a site: '63.000–75.000', '20.000', or '≥ 2.500' when only the threshold that
    every site of the programme meets is known (never a count)."""
    if threshold and not is_missing(low) and is_missing(high):
        return f"≥ {nl_number(low)}"
    return nl_range(low, high)


def label(code: Any, labels: Mapping[str, str] | None = None) -> str:
    """The Dutch label of a code: from `labels` (e.g. a model's or layer's own), then
    CODE_LABELS, else the code made readable ('tekort_met_oplossing' → 'tekort met
    oplossing'); 'onbekend' when missing; numbers and booleans in Dutch."""
    if is_missing(code):
        return ONBEKEND
    if isinstance(code, bool):
        return "ja" if code else "nee"
    if isinstance(code, int | float) and not isinstance(code, bool):
        return nl_number(code, 0 if float(code).is_integer() else 2)
    text = str(code)
    for table in (labels or {}, CODE_LABELS):
        if text in table:
            return table[text]
    return text.replace("_", " ")


def text(value: Any, decimals: int = 1) -> str:
    """Any cell value as text for a person: numbers in Dutch, codes as labels, lists joined,
    'onbekend' for missing values."""
    if isinstance(value, list | tuple):
        return "; ".join(text(v, decimals) for v in value) if value else ONBEKEND
    if isinstance(value, float) and not is_missing(value) and not value.is_integer():
        return nl_number(value, decimals)
    return label(value)


def quality_label(code: Any) -> str:
    """The geometry quality of a location as a sentence; 'onbekend' when missing."""
    return ONBEKEND if is_missing(code) else QUALITY_LABELS.get(str(code), label(code))


def column_label(
    column: str,
    pillars: Mapping[str, str] | None = None,
    layers: Mapping[str, str] | None = None,
) -> str:
    """The Dutch header of a table column, with its unit.

    `pillars` maps pillar id → label (see `model_labels`), `layers` layer id → title; so
    'pijler.grondposities' reads 'Grondposities (score 0–1)' and 'natura2000.overlap_pct'
    'Natura 2000-gebieden: overlap (%)'.
    """
    if column in COLUMN_LABELS:
        return COLUMN_LABELS[column]
    prefix, _, rest = column.partition(".")
    if rest and prefix in PILLAR_COLUMNS:
        return PILLAR_COLUMNS[prefix].format((pillars or {}).get(rest, label(rest)))
    if rest:
        title = (layers or {}).get(prefix, label(prefix))
        if rest.endswith("_reden"):
            return f"{title}: toelichting {label(rest.removesuffix('_reden'))}"
        return f"{title}: {METRIC_LABELS.get(rest, label(rest))}"
    readable = label(column)
    return readable[:1].upper() + readable[1:]


def pillar_labels(model: Any) -> dict[str, str]:
    """Pillar id → the label a scoring model gives it (readable id when it has none)."""
    return {pid: pillar.label or label(pid) for pid, pillar in model.pijlers.items()}


def answer_text(value: Any, decimals: int = 1) -> str:
    """An answer to a question (a dossier fact) as text: option labels, Dutch numbers."""
    if isinstance(value, float) and not is_missing(value):
        return nl_number(value, 0 if value.is_integer() else decimals)
    return label(value)


def nl_date(day: Any, short: bool = False) -> str:
    """'25 november 2026' (or '25-11-2026' when `short`) for a date, datetime or ISO text;
    'onbekend' when missing."""
    if is_missing(day):
        return ONBEKEND
    if isinstance(day, str):
        try:
            day = date.fromisoformat(day[:10])
        except ValueError:
            return str(day)
    if isinstance(day, datetime):
        day = day.date()
    if short:
        return f"{day.day:02d}-{day.month:02d}-{day.year}"
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def nl_datetime(moment: Any) -> str:
    """'25-11-2026 23:23' (Dutch local time) for a timestamp or ISO text such as the workspace's
    '2026-11-25T22:23:52.732+00:00'; a timestamp without zone counts as UTC; 'onbekend' when
    missing, the text as given when it is no timestamp."""
    if is_missing(moment):
        return ONBEKEND
    try:
        stamp = pd.Timestamp(moment)
    except ValueError:
        return str(moment)
    stamp = stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp
    return str(stamp.tz_convert(LOCAL_ZONE).strftime("%d-%m-%Y %H:%M"))


def source_text(value: Any) -> str:
    """A source (`bron`) for people: local paths reduced to the file name, cited seed texts
    as 'Kamerbrief …, 12 juni 2025 (brontekst 003)'; 'onbekend' when missing."""
    if is_missing(value):
        return ONBEKEND
    shorter = LOCAL_PATH.sub(r"\1", str(value))
    return SEED_CITATION.sub(lambda m: f"{m.group(2)} (brontekst {m.group(1)})", shorter)


def woningen_of(row: Mapping[str, Any]) -> str:
    """The homes of a location row: its range `woningen_min`–`woningen_max`, '≥ 2.500' when
    `woningen_drempel` says the minimum is only the programme threshold, else `woningen`."""
    low, high = row.get("woningen_min"), row.get("woningen_max")
    if is_missing(low) and is_missing(high):
        return nl_number(row.get("woningen"))
    threshold = row.get("woningen_drempel")
    return woningen_text(low, high, threshold=not is_missing(threshold) and bool(threshold))


def total_text(row: Mapping[str, Any], decimals: int = 1) -> str:
    """The total score of a score row; when it is withheld, its interval `totaal_min`–
    `totaal_max` ('tussen 40,0 en 80,0'); 'onbekend' when neither is known."""
    if not is_missing(row.get("totaal")):
        return nl_number(row["totaal"], decimals)
    low, high = row.get("totaal_min"), row.get("totaal_max")
    if is_missing(low) or is_missing(high):
        return ONBEKEND
    return f"tussen {nl_number(low, decimals)} en {nl_number(high, decimals)}"


def rank_text(row: Mapping[str, Any]) -> str:
    """The rank of a score row: '3', or '2–9' when only the interval `rang_min`–`rang_max`
    is known (or the rank is uncertain); 'onbekend' when missing."""
    low, high = row.get("rang_min"), row.get("rang_max")
    known = low is not None and high is not None and not (is_missing(low) or is_missing(high))
    if known and float(low) != float(high):  # type: ignore[arg-type]  # known: not None
        return nl_range(low, high)
    return nl_number(row.get("rang"))


RULE_OPERATORS = {"==": "=", "!=": "≠", "<=": "≤", ">=": "≥", "<": "<", ">": ">"}
RULE_PATTERN = re.compile(r"^\s*(==|!=|<=|>=|<|>)\s*(.+?)\s*$")
RULE_LIST = re.compile(r"^\s*in\s*\[(.*)\]\s*$")
RULE_BETWEEN = re.compile(r"^\s*tussen\s+(\S+)\s+en\s+(\S+)\s*$")


def rule_text(rule: Any) -> str:
    """A scoring rule's condition for people: '>= 5000' → '≥ 5.000', '== tekort_open' →
    '= tekort zonder oplossing', 'in [a, b]' → 'a of b'; other text as given."""
    if is_missing(rule):
        return ONBEKEND
    text = str(rule)
    if match := RULE_PATTERN.match(text):
        return f"{RULE_OPERATORS[match.group(1)]} {_operand(match.group(2))}"
    if match := RULE_LIST.match(text):
        options = [_operand(o) for o in match.group(1).split(",") if o.strip()]
        return " of ".join(options)
    if match := RULE_BETWEEN.match(text):
        return f"tussen {_operand(match.group(1))} en {_operand(match.group(2))}"
    return text


def _operand(text: str) -> str:
    plain = text.strip().strip("'\"")
    try:
        number = float(plain)
    except ValueError:
        return label(plain)
    return nl_compact(number)


def source_ref_text(ref: Any, layers: Mapping[str, str] | None = None) -> str:
    """Where a criterion reads its value (`bron:` of a model) for people: 'vraag.planfase' →
    'antwoord: planfase', 'laag.natura2000.overlap_pct' → 'Natura 2000-gebieden: overlap (%)'."""
    if is_missing(ref):
        return ONBEKEND
    kind, _, name = str(ref).partition(".")
    if kind == "laag":
        return column_label(name, layers=layers)
    prefixes = {"vraag": "antwoord", "indicator": "gemeente-indicator", "attribuut": "locatie"}
    return f"{prefixes[kind]}: {label(name)}" if kind in prefixes and name else str(ref)

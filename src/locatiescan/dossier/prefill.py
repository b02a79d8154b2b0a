"""What the location table already says about a dossier fact, each value with its source (pure).

Computed on the fly, never written: it is the bottom layer under the facts stored in the
workspace, and any stored fact (also a cleared one) wins. Only values with a source are given;
a location the rules say nothing about keeps the fact unknown. Rules:

- `lopende_afspraken`: column `status` names "bestuursovereenkomst" -> bestuursovereenkomst;
  "intentieakkoord" or "intentieovereenkomst" -> intentieovereenkomst (never "geen": a status
  that names no agreement does not say there is none).
- `partijen_betrokken`: column `partijen` names a developer or corporation ("ontwikkelaar: X",
  "corporatie: X", not "nog niet aangewezen") or "marktpartijen" -> ja (never "nee").
- `woningen_min` / `woningen_max`: both housing columns known and not only a programme threshold
  (`woningen_drempel`, or `woningen_max` missing, means the minimum is the programme's floor).
- A column named after a fact id (a user's own file) -> its value when it fits the catalogue.

Source: for the policy list "locaties.csv regel N, kolom C: 'text' (bron: the row's own source)";
for a user's file "bestand <file>, kolom C: 'text'".
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from locatiescan.dossier.catalogue import Catalogue, ValueProblem, check_value, is_blank
from locatiescan.location_table import POLICY_TYPES
from locatiescan.registry import POLICY_FILE

RECORD_COLUMNS = ["id", "feit", "waarde", "bron", "brondatum", "door", "op", "herkomst"]
REGISTRY_AUTHOR = "register"
AGREEMENTS = (
    (re.compile(r"bestuursovereenkomst", re.IGNORECASE), "bestuursovereenkomst"),
    (re.compile(r"intentie(akkoord|overeenkomst)", re.IGNORECASE), "intentieovereenkomst"),
)
PARTIES = re.compile(r"(ontwikkelaar|corporatie)\s*:\s*(?!nog niet)\w|marktpartij", re.IGNORECASE)


def policy_csv_lines(path: Path) -> dict[str, int]:
    """The line number (1-based, header = line 1) where each row of the policy CSV starts."""
    lines: dict[str, int] = {}
    with Path(path).open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        position = header.index("id")
        start = reader.line_num + 1
        for row in reader:
            if row:
                lines[row[position].strip()] = start
            start = reader.line_num + 1
    return lines


def registry_facts(
    locations: pd.DataFrame, catalogue: Catalogue, csv_lines: Mapping[str, int] | None = None
) -> pd.DataFrame:
    """Facts the location table states, one row per (id, feit) with its source (RECORD_COLUMNS;
    door = "register", herkomst = "register"). `csv_lines` (see `policy_csv_lines`) lets the
    policy rows cite their line in locaties.csv."""
    rows = []
    for record in locations.to_dict(orient="records"):
        location_id = str(record["id"])
        cite = _citation(record, (csv_lines or {}).get(location_id))
        for fact_id, value, column in _facts_of(record, catalogue):
            shown = str(record.get(column))
            rows.append(
                {
                    "id": location_id,
                    "feit": fact_id,
                    "waarde": value,
                    "bron": cite(column, shown),
                    "brondatum": None,
                    "door": REGISTRY_AUTHOR,
                    "op": None,
                    "herkomst": "register",
                }
            )
    frame = pd.DataFrame(rows, columns=RECORD_COLUMNS)
    frame["waarde"] = frame["waarde"].astype(object)
    return frame


def _facts_of(record: Mapping[str, Any], catalogue: Catalogue) -> Iterator[tuple[str, Any, str]]:
    """(fact id, value, column it comes from) for one location row."""
    status = record.get("status")
    if not is_blank(status) and catalogue.get("lopende_afspraken"):
        found = next((code for pattern, code in AGREEMENTS if pattern.search(str(status))), None)
        if found:
            yield "lopende_afspraken", found, "status"
    parties = record.get("partijen")
    if (
        not is_blank(parties)
        and catalogue.get("partijen_betrokken")
        and PARTIES.search(str(parties))
    ):
        yield "partijen_betrokken", "ja", "partijen"
    yield from _housing(record, catalogue)
    for fact in catalogue.feiten:
        value = record.get(fact.id)
        if fact.id in ("woningen_min", "woningen_max") or _missing(value):
            continue
        try:
            yield fact.id, check_value(fact, value), fact.id
        except ValueProblem:
            continue  # a value that does not fit stays unknown


def _housing(record: Mapping[str, Any], catalogue: Catalogue) -> Iterator[tuple[str, Any, str]]:
    low, high = record.get("woningen_min"), record.get("woningen_max")
    threshold = record.get("woningen_drempel")
    if _missing(low) or _missing(high) or (not _missing(threshold) and bool(threshold)):
        return
    for fact_id, value in (("woningen_min", low), ("woningen_max", high)):
        fact = catalogue.get(fact_id)
        if fact is None:
            continue
        try:
            yield fact_id, check_value(fact, value), fact_id
        except ValueProblem:
            continue


def _citation(record: Mapping[str, Any], line: int | None):
    """A function (column, shown value) -> the source text for this location's facts."""
    own_source = "" if _missing(record.get("bron")) else str(record.get("bron"))
    if line is not None and record.get("type") in POLICY_TYPES:
        file = Path(POLICY_FILE).name
        extra = f" (bron: {own_source})" if own_source else ""
        return lambda column, shown: f"{file} regel {line}, kolom {column}: '{shown}'{extra}"
    where = f"bestand {own_source}" if own_source else "eigen bestand"
    return lambda column, shown: f"{where}, kolom {column}: '{shown}'"


def _missing(value: Any) -> bool:
    return is_blank(value) or value is pd.NA or (not isinstance(value, str) and pd.isna(value))

"""A location's dossier: the stored facts (latest counts, history kept) over the registry layer.

The workspace keeps every value ever recorded (`Workspace.set_facts`, append-only). Here the
current dossier is built: per (location, fact) the latest stored row wins — a stored `None`
(the fact was cleared) too — and where nothing is stored the registry's own statement
(`prefill.registry_facts`, with its source) shows through. Nothing is written by reading.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from locatiescan.dossier.catalogue import Catalogue, ValueProblem, check_value, is_blank
from locatiescan.dossier.prefill import RECORD_COLUMNS, policy_csv_lines, registry_facts
from locatiescan.errors import DataRootError, InputError
from locatiescan.paths import data_file, workspace_path
from locatiescan.registry import POLICY_FILE
from locatiescan.workspace import Workspace

STORED_COLUMNS = ["id", "feit", "waarde", "bron", "brondatum", "door", "op"]


@dataclass(frozen=True)
class Change:
    """One fact value to record: `waarde` None clears the fact (no longer known)."""

    location_id: str
    fact_id: str
    waarde: Any
    bron: str
    brondatum: str | None = None


def stored_latest(ws: Workspace | None) -> pd.DataFrame:
    """The latest stored row per (location, fact), cleared facts (waarde None) included."""
    if ws is None:
        return pd.DataFrame(columns=STORED_COLUMNS)
    rows = ws._query(
        "SELECT location_id, fact_id, value, source, source_date, who, at FROM facts f"
        " WHERE seq = (SELECT MAX(seq) FROM facts f2"
        " WHERE f2.location_id = f.location_id AND f2.fact_id = f.fact_id)"
        " ORDER BY location_id, fact_id"
    )
    records = [(r[0], r[1], None if r[2] is None else json.loads(r[2]), *r[3:]) for r in rows]
    frame = pd.DataFrame.from_records(records, columns=STORED_COLUMNS)
    frame["waarde"] = pd.Series([r[2] for r in records], index=frame.index, dtype=object)
    return frame


def registry_layer(
    locations: pd.DataFrame, catalogue: Catalogue, root: Path | None = None
) -> pd.DataFrame:
    """`prefill.registry_facts` citing the lines of locaties.csv when the data root (`root`,
    default: `paths.data_root()`) is there."""
    try:
        lines = policy_csv_lines(data_file(POLICY_FILE, root))
    except DataRootError:
        lines = {}
    return registry_facts(locations, catalogue, lines)


def dossier_records(
    locations: pd.DataFrame, stored: pd.DataFrame, catalogue: Catalogue, root: Path | None = None
) -> pd.DataFrame:
    """The current, known facts of the given locations (RECORD_COLUMNS; herkomst "dossier" for a
    stored value, "register" for the registry layer), in location and catalogue order."""
    ids = [str(i) for i in locations["id"]]
    wanted = set(ids)
    own = stored[stored["id"].isin(wanted) & stored["feit"].isin(catalogue.ids())]
    own = own.assign(herkomst="dossier")
    base = registry_layer(locations, catalogue, root)
    taken = set(zip(own["id"], own["feit"]))
    free = [(i, f) not in taken for i, f in zip(base["id"], base["feit"])]
    base = base[pd.Series(free, index=base.index, dtype=bool)]
    known = own[own["waarde"].map(lambda v: not _is_none(v)).astype(bool)]
    parts = [frame for frame in (known[RECORD_COLUMNS], base) if not frame.empty]
    if not parts:
        return pd.DataFrame(columns=RECORD_COLUMNS)
    frame = pd.concat(parts, ignore_index=True)
    order = {location_id: n for n, location_id in enumerate(ids)}
    fact_order = {fact_id: n for n, fact_id in enumerate(catalogue.ids())}
    frame["_o"] = frame["id"].map(order) * 1000 + frame["feit"].map(fact_order)
    return frame.sort_values("_o", kind="stable").drop(columns="_o").reset_index(drop=True)


def dossier_answers(records: pd.DataFrame) -> pd.DataFrame:
    """The records as a model's `answers` (index id, one column per fact id)."""
    if records.empty:
        return pd.DataFrame(index=pd.Index([], name="id", dtype=object))
    wide = records.pivot(index="id", columns="feit", values="waarde")
    wide.columns.name = None
    return wide.astype(object)


def completeness(records: pd.DataFrame, ids: Iterable[str], fact_ids: list[str]) -> pd.DataFrame:
    """Per location id: `bekend` (facts of `fact_ids` known), `totaal` and `aandeel` (0..1)."""
    relevant = records[records["feit"].isin(fact_ids)]
    counts = relevant.groupby("id")["feit"].nunique()
    index = pd.Index([str(i) for i in ids], name="id")
    known = counts.reindex(index).fillna(0).astype(int)
    total = len(fact_ids)
    share = known / total if total else known * 0.0
    return pd.DataFrame({"bekend": known, "totaal": total, "aandeel": share}, index=index)


def open_existing_workspace() -> Workspace | None:
    """The default workspace when its file exists (reading never creates one), else None."""
    path = workspace_path()
    return Workspace.open(path) if path.exists() else None


def workspace_answers(
    locations: pd.DataFrame, ws: Workspace | None, catalogue: Catalogue, root: Path | None = None
) -> pd.DataFrame:
    """The dossier answers (stored facts over the registry layer) of these locations."""
    return dossier_answers(dossier_records(locations, stored_latest(ws), catalogue, root))


def check_changes(changes: Iterable[Change], catalogue: Catalogue) -> list[Change]:
    """The changes with their values in stored form; one `InputError` naming every bad one."""
    checked, problems = [], []
    for change in changes:
        fact = catalogue.get(change.fact_id)
        if fact is None:
            problems.append((f"{change.fact_id}: unknown fact", f"{change.fact_id}: onbekend feit"))
            continue
        value = change.waarde
        if not _is_none(value):
            try:
                value = check_value(fact, value)
            except ValueProblem as err:
                problems.append((f"{fact.id}: {err.en}", f"{fact.label}: {err.nl}"))
                continue
        checked.append(
            Change(change.location_id, fact.id, value, change.bron.strip(), change.brondatum)
        )
    if problems:
        en = "; ".join(p[0] for p in problems)
        nl = "; ".join(p[1] for p in problems)
        raise InputError(f"facts not recorded: {en}", f"feiten niet vastgelegd: {nl}")
    return checked


def record_changes(ws: Workspace, changes: Iterable[Change], who: str) -> int:
    """Write the changes in ONE transaction (all or nothing); return how many were written.

    Values are checked against the catalogue first (`check_changes`); pass checked changes.
    """
    rows = list(changes)
    if not rows:
        return 0
    who = (who or "").strip()
    if not who:
        raise InputError("a name (who) is required", "Een naam is verplicht")
    at = pd.Timestamp.now(tz="UTC").isoformat(timespec="milliseconds")
    with ws._write() as conn:
        conn.executemany(
            "INSERT INTO facts (location_id, fact_id, value, source, source_date, who, at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                (
                    c.location_id,
                    c.fact_id,
                    None if _is_none(c.waarde) else json.dumps(c.waarde),
                    c.bron,
                    c.brondatum,
                    who,
                    at,
                )
                for c in rows
            ),
        )
    return len(rows)


def edit_facts(
    ws: Workspace,
    location_id: str,
    values: Mapping[str, Any],
    loaded: Mapping[str, Any],
    who: str,
    *,
    source: str,
    source_date: str | None = None,
    catalogue: Catalogue,
) -> list[str]:
    """The Dossier form: record the facts whose value differs from what the form showed
    (`loaded`); None clears a fact. Checked against the catalogue; return the fact ids written."""
    changed = [
        Change(location_id, fact_id, value, source, source_date)
        for fact_id, value in values.items()
        if _comparable(value) != _comparable(loaded.get(fact_id))
    ]
    checked = check_changes(changed, catalogue)
    record_changes(ws, checked, who)
    return [c.fact_id for c in checked]


def _comparable(value: Any) -> Any:
    if _is_none(value):
        return None
    return float(value) if isinstance(value, int | float) else str(value)


def _is_none(value: Any) -> bool:
    if isinstance(value, str):
        return is_blank(value)
    return value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value))

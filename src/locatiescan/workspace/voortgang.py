"""Voortgang in the workspace: PPM milestone updates per peilmoment, alternatives for delayed
projects, woondeal targets and realised net additions, and the werkruimte's milestone list.

Every table is append-only (schema v4): a new peilmoment, a correction, an unlinked alternative
or a changed target is a new row; the latest row per key counts and the earlier rows stay as
history. Functions take a `Workspace` and use its transactions (`ws._write()`, `ws._query()`).
"""

from __future__ import annotations

import json

import pandas as pd

from locatiescan.errors import InputError
from locatiescan.voortgang.config import VoortgangConfig, load_config, parse_config
from locatiescan.workspace.store import Workspace, _now, _require_text

PPM_COLUMNS = [
    "volgnummer",
    "peilmoment",
    "id",
    "projectnaam",
    "mijlpaal",
    "gepland",
    "gerealiseerd",
    "verantwoordelijke",
    "toelichting",
    "bron",
    "door",
    "op",
]
PPM_INPUT_COLUMNS = PPM_COLUMNS[1:9]
ALTERNATIVE_COLUMNS = ["id", "alternatief", "notitie", "door", "op"]
TARGET_COLUMNS = ["gebied", "gemeenten", "jaar_van", "jaar_tot", "woningen", "bron", "door", "op"]
REALISATION_COLUMNS = ["gemeentecode", "jaar", "netto_toevoeging", "bron", "door", "op"]


def _text_or_none(value: object) -> str | None:
    return None if value is None or pd.isna(value) or str(value) == "" else str(value)


# -- PPM milestone updates -------------------------------------------------------------------


def add_ppm_rows(ws: Workspace, rows: pd.DataFrame, who: str, source: str) -> int:
    """Append validated PPM rows (columns `PPM_INPUT_COLUMNS`, quarters as '2025-Q3') in one
    transaction; return the number written. Validate with `voortgang.read_ppm` first."""
    who = _require_text(who, "who", "Naam")
    missing = [c for c in PPM_INPUT_COLUMNS if c not in rows.columns]
    if missing:
        msg = f"PPM rows lack columns: {', '.join(missing)}"
        raise InputError(msg, f"PPM-regels missen kolommen: {', '.join(missing)}")
    at = _now()
    values = [
        (
            str(r.peilmoment),
            str(r.id),
            str(r.mijlpaal),
            _text_or_none(r.gepland),
            _text_or_none(r.gerealiseerd),
            _text_or_none(r.verantwoordelijke),
            _text_or_none(r.toelichting) or "",
            _text_or_none(r.projectnaam) or "",
            source,
            who,
            at,
        )
        for r in rows[PPM_INPUT_COLUMNS].itertuples(index=False)
    ]
    with ws._write() as conn:
        conn.executemany(
            "INSERT INTO ppm_updates (peilmoment, location_id, milestone_id, planned, actual,"
            " party, note, project_name, source, who, at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            values,
        )
    return len(values)


def ppm_records(ws: Workspace) -> pd.DataFrame:
    """Every PPM row ever stored, oldest first (`PPM_COLUMNS`; None = not given)."""
    rows = ws._query(
        "SELECT seq, peilmoment, location_id, project_name, milestone_id, planned, actual, party,"
        " note, source, who, at FROM ppm_updates ORDER BY seq"
    )
    return pd.DataFrame.from_records(rows, columns=PPM_COLUMNS)


# -- alternatives for delayed projects --------------------------------------------------------


def link_alternative(
    ws: Workspace,
    location_id: str,
    alternative_id: str,
    who: str,
    *,
    note: str = "",
    linked: bool = True,
) -> None:
    """Link (or with `linked=False` unlink) an alternative project to a delayed project."""
    who = _require_text(who, "who", "Naam")
    location_id = _require_text(location_id, "location_id", "Project-id")
    alternative_id = _require_text(alternative_id, "alternative_id", "Alternatief project")
    if location_id == alternative_id:
        msg = "a project cannot be its own alternative"
        raise InputError(msg, "Een project kan niet zijn eigen alternatief zijn")
    with ws._write() as conn:
        conn.execute(
            "INSERT INTO ppm_alternatives (location_id, alternative_id, linked, note, who, at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (location_id, alternative_id, int(linked), (note or "").strip(), who, _now()),
        )


def alternatives(ws: Workspace) -> pd.DataFrame:
    """The alternatives currently linked: id, alternatief, notitie, door, op."""
    rows = ws._query(
        "SELECT location_id, alternative_id, note, who, at FROM ppm_alternatives a"
        " WHERE linked = 1 AND seq = (SELECT MAX(seq) FROM ppm_alternatives b"
        " WHERE b.location_id = a.location_id AND b.alternative_id = a.alternative_id)"
        " ORDER BY location_id, alternative_id"
    )
    return pd.DataFrame.from_records(rows, columns=ALTERNATIVE_COLUMNS)


# -- woondeal targets and realisation --------------------------------------------------------


def set_woondeal_target(
    ws: Workspace,
    area: str,
    gemeentecodes: list[str],
    year_from: int,
    year_to: int,
    homes: int | None,
    who: str,
    *,
    source: str = "",
) -> None:
    """Record the woondeal target of an area (a gemeente, regio or provincie: a named set of
    gemeentecodes); `homes=None` removes it. The latest target per area counts."""
    who = _require_text(who, "who", "Naam")
    area = _require_text(area, "area", "Gebied")
    if not gemeentecodes or year_to < year_from or (homes is not None and homes <= 0):
        msg = f"target {area!r}: need gemeenten, year_from <= year_to and homes > 0"
        nl = f"Doel {area!r}: geef gemeenten, een beginjaar ≤ eindjaar en een aantal > 0"
        raise InputError(msg, nl)
    with ws._write() as conn:
        conn.execute(
            "INSERT INTO woondeal_targets (area, gemeentecodes, year_from, year_to, homes,"
            " source, who, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (area, json.dumps(list(gemeentecodes)), year_from, year_to, homes, source, who, _now()),
        )


def woondeal_targets(ws: Workspace) -> pd.DataFrame:
    """The current targets (`TARGET_COLUMNS`; gemeenten is a list of codes)."""
    rows = ws._query(
        "SELECT area, gemeentecodes, year_from, year_to, homes, source, who, at"
        " FROM woondeal_targets t WHERE homes IS NOT NULL AND seq = (SELECT MAX(seq)"
        " FROM woondeal_targets u WHERE u.area = t.area) ORDER BY area"
    )
    records = [(r[0], json.loads(r[1]), *r[2:]) for r in rows]
    return pd.DataFrame.from_records(records, columns=TARGET_COLUMNS)


def add_realisation(ws: Workspace, rows: pd.DataFrame, who: str, source: str) -> int:
    """Append realised net additions (columns gemeentecode, jaar, netto_toevoeging, optional
    bron; None = no longer known) in one transaction; return the number written. A row's own
    `bron` is kept, else `source`."""
    who = _require_text(who, "who", "Naam")
    at = _now()
    notes = rows["bron"] if "bron" in rows.columns else pd.Series("", index=rows.index)
    values = [
        (
            str(code),
            int(year),
            None if pd.isna(net) else int(net),
            _text_or_none(note) or source,
            who,
            at,
        )
        for code, year, net, note in zip(
            rows["gemeentecode"], rows["jaar"], rows["netto_toevoeging"], notes, strict=True
        )
    ]
    with ws._write() as conn:
        conn.executemany(
            "INSERT INTO woondeal_realisation (gemeentecode, year, net_addition, source, who, at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            values,
        )
    return len(values)


def realisation(ws: Workspace) -> pd.DataFrame:
    """The current imported net additions per gemeente and year (`REALISATION_COLUMNS`)."""
    rows = ws._query(
        "SELECT gemeentecode, year, net_addition, source, who, at FROM woondeal_realisation r"
        " WHERE net_addition IS NOT NULL AND seq = (SELECT MAX(seq) FROM woondeal_realisation s"
        " WHERE s.gemeentecode = r.gemeentecode AND s.year = r.year) ORDER BY gemeentecode, year"
    )
    return pd.DataFrame.from_records(rows, columns=REALISATION_COLUMNS)


# -- the werkruimte's milestone list ----------------------------------------------------------


def save_milestone_config(ws: Workspace, yaml_text: str | None, who: str) -> None:
    """Store the werkruimte's adapted milestone list (validated first; a ConfigError names every
    problem); `None` returns to the standard list `scoring/voortgang/mijlpalen.yaml`."""
    who = _require_text(who, "who", "Naam")
    if yaml_text is not None:
        parse_config(yaml_text)
    with ws._write() as conn:
        conn.execute(
            "INSERT INTO voortgang_config (yaml, who, at) VALUES (?, ?, ?)",
            (yaml_text, who, _now()),
        )


def milestone_config_text(ws: Workspace) -> str | None:
    """The werkruimte's adapted milestone list as YAML, or None when it uses the standard."""
    rows = ws._query("SELECT yaml FROM voortgang_config ORDER BY seq DESC LIMIT 1")
    return rows[0][0] if rows else None


def milestone_config(ws: Workspace) -> VoortgangConfig:
    """The milestone list in force: the werkruimte's own, else the standard file."""
    text = milestone_config_text(ws)
    return load_config() if text is None else parse_config(text)

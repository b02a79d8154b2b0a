"""The workspace: one SQLite file with the user's locations, facts, models and decisions.

Every public write is one `BEGIN IMMEDIATE` transaction on a fresh connection, in WAL mode with
`synchronous=FULL` and a busy timeout. So a write is all-or-nothing (a crash loses nothing that
was committed and leaves no partial rows), concurrent sessions queue instead of failing, and one
`Workspace` object can be shared between threads (Streamlit sessions). Geometry is stored as WKB
in EPSG:28992; attributes, facts and score tables as JSON text.

Conflicting edits are never silently overwritten:
- facts (the dossier, including a model's answers) are append-only per fact, the latest counts,
  so two users editing different facts both keep them; pass `loaded=` (the values the form
  showed) to write only the facts the user changed;
- decisions are append-only (enforced by triggers); the current decision is the latest row;
- custom models carry a version: `save_model(..., expected_version=v)` raises
  `WorkspaceConflictError` when someone else saved in between.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, get_args

import geopandas as gpd
import pandas as pd
import yaml

from locatiescan.errors import InputError
from locatiescan.paths import workspace_path
from locatiescan.workspace import backup
from locatiescan.workspace.codec import (
    frame_from_json,
    frame_to_json,
    json_value,
    location_rows,
    locations_frame,
)
from locatiescan.workspace.errors import (
    WorkspaceBusyError,
    WorkspaceConflictError,
    WorkspaceError,
)
from locatiescan.workspace.migrations import LATEST_VERSION, migrate, schema_version

Decision = Literal["op_shortlist", "aangehouden", "afgevallen", "ingetrokken"]
DECISIONS: tuple[str, ...] = get_args(Decision)
WITHDRAWN = "ingetrokken"
DECISION_LABELS = {
    "op_shortlist": "Op shortlist",
    "aangehouden": "Aangehouden",
    "afgevallen": "Afgevallen",
    "ingetrokken": "Ingetrokken",
}
CHOOSABLE_DECISIONS = {k: v for k, v in DECISION_LABELS.items() if k != WITHDRAWN}
BUSY_TIMEOUT_S = 15.0
GENERATED_ID_PREFIX = "EIGEN-"
MAX_NAME_LENGTH = 100

DECISION_COLUMNS = ["volgnummer", "id", "model", "besluit", "notitie", "door", "op"]
FACT_COLUMNS = ["id", "feit", "waarde", "bron", "brondatum", "door", "op"]
MODEL_COLUMNS = ["naam", "versie", "gebaseerd_op", "door", "op"]
IMPORT_COLUMNS = ["import_id", "bron", "rapport", "door", "op", "aantal_locaties"]
ASSESSMENT_COLUMNS = ["nummer", "model", "modelversie", "notitie", "aantal_locaties", "door", "op"]


@dataclass(frozen=True)
class SavedModel:
    """The current version of a custom scoring model."""

    name: str
    yaml_text: str
    version: int
    based_on: str | None
    who: str
    at: str


@dataclass(frozen=True)
class Assessment:
    """A saved score snapshot: the score table (and explanations) as they were."""

    assessment_id: int
    model_id: str
    model_version: int | None
    note: str
    who: str
    at: str
    scores: pd.DataFrame
    explanations: pd.DataFrame | None


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def _require_text(value: object, field: str, nl_field: str) -> str:
    """A stripped, non-empty, not too long text; one bilingual error otherwise."""
    text = value.strip() if isinstance(value, str) else ""
    if not text or len(text) > MAX_NAME_LENGTH:
        msg = f"{field} must be a non-empty text of at most {MAX_NAME_LENGTH} characters"
        nl = f"{nl_field} moet een niet-lege tekst van hoogstens {MAX_NAME_LENGTH} tekens zijn"
        raise InputError(msg, nl)
    return text


class Workspace:
    """Handle on one workspace file; cheap to keep, safe to share between threads.

    Create it with `Workspace.open`. It keeps one idle connection open: otherwise every
    operation would close the last connection, and SQLite checkpoints and removes the WAL on
    that close (an extra checkpoint and fsync per write, about 2.5x slower). It takes no locks.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._keeper: sqlite3.Connection | None = None

    @classmethod
    def open(cls, path: Path | str | None = None) -> Workspace:
        """Open (create on first use, upgrade if older) the workspace at `path`.

        Default path: `paths.workspace_path()` ($LOCATIESCAN_WORKSPACE, else
        workspace/locatiescan.sqlite in the project).
        """
        target = Path(path).expanduser() if path is not None else workspace_path()
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            msg = f"Cannot create the workspace folder {target.parent}: {err}"
            nl = f"Kan de map voor de werkruimte niet maken: {target.parent}: {err}"
            raise WorkspaceError(msg, nl) from err
        backup.refuse_if_damaged(target)  # never reopen a 0-byte/damaged file as a new one
        existed = target.exists()
        workspace = cls(target)
        with workspace._connection() as conn:
            conn.execute("PRAGMA journal_mode = WAL")
            if existed and schema_version(conn) < LATEST_VERSION:
                backup.backup(target, "voor-migratie")
            elif existed:
                backup.daily_backup(target)
            migrate(conn)
        workspace._keeper = sqlite3.connect(target, check_same_thread=False)
        workspace._keeper.execute("PRAGMA schema_version").fetchone()  # attaches to the WAL
        return workspace

    # -- connections -----------------------------------------------------------------------

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        """A fresh autocommit connection; SQLite errors become bilingual workspace errors."""
        try:
            conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        except sqlite3.Error as err:
            raise self._translate(err) from err
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA foreign_keys = ON")
            yield conn
        except sqlite3.Error as err:
            raise self._translate(err) from err
        finally:
            conn.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: all statements inside commit together or not at all."""
        with self._connection() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def _translate(self, err: sqlite3.Error) -> WorkspaceError:
        if "locked" in str(err) or "busy" in str(err):
            msg = f"Workspace {self.path} stayed busy for {BUSY_TIMEOUT_S:.0f} s: {err}"
            nl = f"De werkruimte is langer dan {BUSY_TIMEOUT_S:.0f} s bezet; probeer het opnieuw."
            return WorkspaceBusyError(msg, nl)
        msg = f"Workspace {self.path} cannot be used: {err}"
        nl = f"De werkruimte {self.path} is niet bruikbaar: {err}"
        return WorkspaceError(msg, nl)

    def _query(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        with self._connection() as conn:
            return conn.execute(sql, params).fetchall()

    # -- locations -------------------------------------------------------------------------

    def add_locations(
        self,
        gdf: gpd.GeoDataFrame,
        source: str,
        who: str,
        *,
        report: Mapping[str, Any] | None = None,
        replace: bool = False,
    ) -> list[str]:
        """Store imported or drawn locations as one import; return their ids.

        `gdf` needs a CRS (it is stored in EPSG:28992) and non-empty geometries. Rows without an
        `id` get `EIGEN-0001`, `EIGEN-0002`, … Ids already in the workspace are an InputError
        unless `replace=True`. `report` (the importer's report) is kept with the import.
        """
        who = _require_text(who, "who", "Naam")
        source = _require_text(source, "source", "Bron")
        given = _validate_locations(gdf)
        report_json = json.dumps(json_value(dict(report or {})), ensure_ascii=False)
        with self._write() as conn:
            ids = _assign_ids(conn, given)
            existing = _existing_ids(conn, [i for i in given if i is not None])
            if existing and not replace:
                listed = ", ".join(sorted(existing))
                msg = f"Location ids already in the workspace: {listed}"
                nl = f"Deze locatie-id's staan al in de werkruimte: {listed}"
                raise InputError(msg, nl)
            import_id = conn.execute(
                "INSERT INTO imports (source, report, who, at) VALUES (?, ?, ?, ?)",
                (source, report_json, who, _now()),
            ).lastrowid
            conn.executemany(
                "INSERT OR REPLACE INTO locations (location_id, import_id, geometry, attributes)"
                " VALUES (?, ?, ?, ?)",
                ((lid, import_id, wkb, attrs) for lid, wkb, attrs in location_rows(gdf, ids)),
            )
        return ids

    def locations(self) -> gpd.GeoDataFrame:
        """All stored locations (EPSG:28992): `id`, their attributes, `import_id`,
        `toegevoegd_door`, `toegevoegd_op`, geometry; in the order they were added."""
        rows = self._query(
            "SELECT l.location_id, l.geometry, l.attributes, l.import_id, i.who, i.at"
            " FROM locations l JOIN imports i USING (import_id) ORDER BY l.rowid"
        )
        return locations_frame(rows)

    def imports(self) -> pd.DataFrame:
        """Import batches: import_id, bron, rapport (dict), door, op, aantal_locaties."""
        rows = self._query(
            "SELECT i.import_id, i.source, i.report, i.who, i.at, COUNT(l.location_id)"
            " FROM imports i LEFT JOIN locations l USING (import_id)"
            " GROUP BY i.import_id ORDER BY i.import_id"
        )
        records = [(r[0], r[1], json.loads(r[2]), r[3], r[4], r[5]) for r in rows]
        return pd.DataFrame.from_records(records, columns=IMPORT_COLUMNS)

    def delete_location(self, location_id: str) -> None:
        """Remove a stored location and its facts; its decision history stays."""
        with self._write() as conn:
            deleted = conn.execute(
                "DELETE FROM locations WHERE location_id = ?", (location_id,)
            ).rowcount
            if not deleted:
                msg = f"Location {location_id!r} is not in the workspace"
                raise InputError(msg, f"Locatie {location_id!r} staat niet in de werkruimte")
            conn.execute("DELETE FROM facts WHERE location_id = ?", (location_id,))

    # -- facts (the dossier; a model's answers are facts of the project) --------------------

    def set_facts(
        self,
        location_id: str,
        facts: Mapping[str, Any],
        who: str,
        *,
        source: str = "",
        source_date: str | None = None,
        loaded: Mapping[str, Any] | None = None,
    ) -> list[str]:
        """Append a new value per fact (append-only history; the latest counts); return the
        fact ids written.

        Facts belong to the location, not to a model: a model's `vraag.<id>` reads fact `<id>`.
        A value of None (or NaN) records that the fact is no longer known. With `loaded` (the
        values the form was filled with), only facts whose value differs from `loaded` are
        written, so a colleague's change to another fact is never overwritten by a stale form.
        """
        who = _require_text(who, "who", "Naam")
        location_id = _require_text(location_id, "location_id", "Locatie-id")
        values = _answer_values(facts)
        if loaded is not None:
            before = _answer_values(loaded)
            values = {q: v for q, v in values.items() if before.get(q) != v}
        at = _now()
        with self._write() as conn:
            conn.executemany(
                "INSERT INTO facts (location_id, fact_id, value, source, source_date, who, at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    (
                        location_id,
                        fact_id,
                        None if value is None else json.dumps(value),
                        (source or "").strip(),
                        source_date,
                        who,
                        at,
                    )
                    for fact_id, value in values.items()
                ),
            )
        return list(values)

    def facts(self) -> pd.DataFrame:
        """The current facts, one row per location id (index `id`), one column per fact: the
        `answers` frame of `scoring.ScoringInput` (`vraag.<id>` → column `<id>`)."""
        records = self.fact_records()
        if records.empty:
            return pd.DataFrame(index=pd.Index([], name="id", dtype=object))
        wide = records.pivot(index="id", columns="feit", values="waarde")
        wide.columns.name = None
        return wide.infer_objects()

    def fact_records(self, location_id: str | None = None) -> pd.DataFrame:
        """The current (latest, known) facts in long form: id, feit, waarde, bron, brondatum,
        door, op."""
        rows = self._query(
            "SELECT location_id, fact_id, value, source, source_date, who, at FROM facts f"
            " WHERE (?1 IS NULL OR location_id = ?1) AND value IS NOT NULL"
            " AND seq = (SELECT MAX(seq) FROM facts f2"
            " WHERE f2.location_id = f.location_id AND f2.fact_id = f.fact_id)"
            " ORDER BY location_id, fact_id",
            (location_id,),
        )
        return _fact_frame(rows)

    def fact_history(self, location_id: str, fact_id: str | None = None) -> pd.DataFrame:
        """Every value ever recorded for a location's facts, oldest first (waarde None: the
        fact was cleared)."""
        rows = self._query(
            "SELECT location_id, fact_id, value, source, source_date, who, at FROM facts"
            " WHERE location_id = ?1 AND (?2 IS NULL OR fact_id = ?2) ORDER BY seq",
            (location_id, fact_id),
        )
        return _fact_frame(rows)

    # -- decisions -------------------------------------------------------------------------

    def record_decision(
        self, location_id: str, model_id: str, decision: str, note: str, who: str
    ) -> int:
        """Append a decision (op_shortlist | aangehouden | afgevallen | ingetrokken); return its
        number. Prefer `withdraw_decision` to withdraw: it checks there is one to withdraw."""
        if decision not in DECISIONS:
            allowed = ", ".join(DECISIONS)
            msg = f"decision {decision!r} is not one of: {allowed}"
            raise InputError(msg, f"Besluit {decision!r} is niet een van: {allowed}")
        who = _require_text(who, "who", "Naam")
        location_id = _require_text(location_id, "location_id", "Locatie-id")
        model_id = _require_text(model_id, "model_id", "Model")
        with self._write() as conn:
            return int(
                conn.execute(
                    "INSERT INTO decisions (location_id, model_id, decision, note, who, at)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    (location_id, model_id, decision, (note or "").strip(), who, _now()),
                ).lastrowid
            )

    def withdraw_decision(self, location_id: str, model_id: str, note: str, who: str) -> int:
        """Withdraw the current decision on a location (a new 'ingetrokken' row; nothing is
        deleted); InputError when there is no standing decision. Return the new row's number."""
        history = self.decision_history(location_id, model_id)
        if history.empty or history["besluit"].iloc[-1] == WITHDRAWN:
            msg = f"No standing decision on {location_id!r} under model {model_id!r} to withdraw"
            nl = f"Er is geen geldend besluit over {location_id!r} (model {model_id!r}) om in te trekken"
            raise InputError(msg, nl)
        return self.record_decision(location_id, model_id, WITHDRAWN, note, who)

    def decisions(self, current_only: bool = True, model_id: str | None = None) -> pd.DataFrame:
        """Decisions: volgnummer, id, model, besluit, notitie, door, op. With `current_only`,
        only the latest per (location, model) — a withdrawn decision leaves no current one;
        otherwise the full history, oldest first."""
        latest = (
            " AND seq = (SELECT MAX(seq) FROM decisions d2"
            " WHERE d2.location_id = d.location_id AND d2.model_id = d.model_id)"
        )
        rows = self._query(
            "SELECT seq, location_id, model_id, decision, note, who, at FROM decisions d"
            " WHERE (?1 IS NULL OR model_id = ?1)"
            + (latest + f" AND decision != '{WITHDRAWN}'" if current_only else "")
            + " ORDER BY seq",
            (model_id,),
        )
        return pd.DataFrame.from_records(rows, columns=DECISION_COLUMNS)

    def decision_history(self, location_id: str, model_id: str | None = None) -> pd.DataFrame:
        """Every decision taken on one location (optionally for one model), oldest first."""
        rows = self._query(
            "SELECT seq, location_id, model_id, decision, note, who, at FROM decisions"
            " WHERE location_id = ?1 AND (?2 IS NULL OR model_id = ?2) ORDER BY seq",
            (location_id, model_id),
        )
        return pd.DataFrame.from_records(rows, columns=DECISION_COLUMNS)

    # -- custom models ---------------------------------------------------------------------

    def save_model(
        self,
        name: str,
        yaml_text: str,
        who: str,
        *,
        based_on: str | None = None,
        expected_version: int | None = None,
    ) -> int:
        """Save a custom model's YAML; return the new version number.

        `expected_version=None` creates a new model; an existing name is a conflict. Otherwise
        pass the version you loaded: if someone saved since, `WorkspaceConflictError` is raised
        and nothing is written. `based_on` (the preset it came from) is kept across versions.
        The YAML must be a mapping; validate it with `scoring.load_model` before saving.
        """
        name = _require_text(name, "name", "Modelnaam")
        who = _require_text(who, "who", "Naam")
        _require_yaml_mapping(yaml_text, name)
        with self._write() as conn:
            current, previous_base = conn.execute(
                "SELECT version, based_on FROM model_versions WHERE name = ?"
                " ORDER BY version DESC LIMIT 1",
                (name,),
            ).fetchone() or (None, None)
            if current != expected_version:
                raise _model_conflict(name, current, expected_version)
            version = (current or 0) + 1
            conn.execute(
                "INSERT INTO model_versions (name, version, yaml, based_on, who, at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (name, version, yaml_text, based_on or previous_base, who, _now()),
            )
        return version

    def models(self) -> pd.DataFrame:
        """Current version of each custom model: naam, versie, gebaseerd_op, door, op."""
        rows = self._query(
            "SELECT name, version, based_on, who, at FROM model_versions m"
            " WHERE version = (SELECT MAX(version) FROM model_versions WHERE name = m.name)"
            " ORDER BY name"
        )
        return pd.DataFrame.from_records(rows, columns=MODEL_COLUMNS)

    def model_history(self, name: str) -> pd.DataFrame:
        """Every saved version of one model, oldest first (same columns as `models`)."""
        rows = self._query(
            "SELECT name, version, based_on, who, at FROM model_versions WHERE name = ?"
            " ORDER BY version",
            (name,),
        )
        return pd.DataFrame.from_records(rows, columns=MODEL_COLUMNS)

    def saved_model(self, name: str, version: int | None = None) -> SavedModel:
        """A model's YAML with its version (the latest unless `version` is given)."""
        rows = self._query(
            "SELECT name, yaml, version, based_on, who, at FROM model_versions"
            " WHERE name = ?1 AND version = COALESCE(?2,"
            " (SELECT MAX(version) FROM model_versions WHERE name = ?1))",
            (name, version),
        )
        if not rows:
            which = name if version is None else f"{name} v{version}"
            msg = f"No saved model {which!r} in the workspace"
            raise InputError(msg, f"Geen opgeslagen model {which!r} in de werkruimte")
        return SavedModel(*rows[0])

    def load_model_text(self, name: str) -> str:
        """The YAML text of a model's latest version."""
        return self.saved_model(name).yaml_text

    # -- assessments -----------------------------------------------------------------------

    def save_assessment(
        self,
        model_id: str,
        scores: pd.DataFrame,
        who: str,
        *,
        explanations: pd.DataFrame | None = None,
        model_version: int | None = None,
        note: str = "",
    ) -> int:
        """Keep a snapshot of a score table (indexed by location id) and its explanations."""
        model_id = _require_text(model_id, "model_id", "Model")
        who = _require_text(who, "who", "Naam")
        scores_json = _frame_json(scores, "scores")
        explanations_json = (
            None if explanations is None else _frame_json(explanations, "explanations")
        )
        with self._write() as conn:
            return int(
                conn.execute(
                    "INSERT INTO assessments (model_id, model_version, note, scores,"
                    " explanations, n_locations, who, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        model_id,
                        model_version,
                        (note or "").strip(),
                        scores_json,
                        explanations_json,
                        len(scores),
                        who,
                        _now(),
                    ),
                ).lastrowid
            )

    def assessments(self, model_id: str | None = None) -> pd.DataFrame:
        """Saved snapshots, newest first: nummer, model, modelversie, notitie, aantal_locaties,
        door, op."""
        rows = self._query(
            "SELECT assessment_id, model_id, model_version, note, n_locations, who, at"
            " FROM assessments WHERE (?1 IS NULL OR model_id = ?1) ORDER BY assessment_id DESC",
            (model_id,),
        )
        return pd.DataFrame.from_records(rows, columns=ASSESSMENT_COLUMNS)

    def load_assessment(self, assessment_id: int) -> Assessment:
        """One saved snapshot with its score table (and explanations) restored."""
        rows = self._query(
            "SELECT assessment_id, model_id, model_version, note, who, at, scores, explanations"
            " FROM assessments WHERE assessment_id = ?",
            (assessment_id,),
        )
        if not rows:
            msg = f"No assessment {assessment_id} in the workspace"
            raise InputError(msg, f"Geen beoordeling {assessment_id} in de werkruimte")
        *head, scores, explanations = rows[0]
        restored = None if explanations is None else frame_from_json(explanations)
        return Assessment(*head, scores=frame_from_json(scores), explanations=restored)


# -- validation and helpers (pure, or taking the open connection) ----------------------------


def _validate_locations(gdf: gpd.GeoDataFrame) -> list[str | None]:
    """Every problem with a frame of locations in one InputError; the given ids otherwise."""
    if not isinstance(gdf, gpd.GeoDataFrame):
        msg = "locations must be a GeoDataFrame"
        raise InputError(msg, "Locaties moeten een GeoDataFrame zijn")
    problems: list[tuple[str, str]] = []
    if gdf.empty:
        problems.append(("no locations given", "geen locaties opgegeven"))
    if gdf.crs is None:
        problems.append(("the frame has no CRS", "het bestand heeft geen coördinatenstelsel"))
    bad = [str(i + 1) for i, g in enumerate(gdf.geometry) if g is None or g.is_empty]
    if bad:
        rows = ", ".join(bad[:10]) + (" …" if len(bad) > 10 else "")
        problems.append((f"rows without geometry: {rows}", f"rijen zonder geometrie: {rows}"))
    given: list[str | None] = [None] * len(gdf)
    if "id" in gdf.columns:
        given = [None if json_value(v) in (None, "") else str(v).strip() for v in gdf["id"]]
        present = [i for i in given if i is not None]
        doubles = sorted({i for i in present if present.count(i) > 1})
        if doubles:
            listed = ", ".join(doubles)
            problems.append((f"duplicate ids: {listed}", f"dubbele id's: {listed}"))
    if problems:
        msg = "Cannot store locations: " + "; ".join(en for en, _ in problems)
        raise InputError(msg, "Kan locaties niet opslaan: " + "; ".join(nl for _, nl in problems))
    return given


def _existing_ids(conn: sqlite3.Connection, ids: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        found |= {
            r[0]
            for r in conn.execute(
                f"SELECT location_id FROM locations WHERE location_id IN ({marks})", chunk
            )
        }
    return found


def _assign_ids(conn: sqlite3.Connection, given: list[str | None]) -> list[str]:
    """Fill missing ids with the next free EIGEN-nnnn numbers (under the write lock)."""
    if all(i is not None for i in given):
        return [str(i) for i in given]
    highest = 0
    for (location_id,) in conn.execute(
        "SELECT location_id FROM locations WHERE location_id LIKE ?", (GENERATED_ID_PREFIX + "%",)
    ):
        suffix = location_id[len(GENERATED_ID_PREFIX) :]
        highest = max(highest, int(suffix)) if suffix.isdigit() else highest
    ids: list[str] = []
    for location_id in given:
        if location_id is None:
            highest += 1
            location_id = f"{GENERATED_ID_PREFIX}{highest:04d}"
            while location_id in given:
                highest += 1
                location_id = f"{GENERATED_ID_PREFIX}{highest:04d}"
        ids.append(location_id)
    return ids


def _fact_frame(rows: list[tuple[Any, ...]]) -> pd.DataFrame:
    records = [(r[0], r[1], None if r[2] is None else json.loads(r[2]), *r[3:]) for r in rows]
    frame = pd.DataFrame.from_records(records, columns=FACT_COLUMNS)
    frame["waarde"] = pd.Series([r[2] for r in records], index=frame.index, dtype=object)
    return frame


def _answer_values(answers: Mapping[str, Any]) -> dict[str, Any]:
    """Answers as JSON-ready scalars; every unusable answer named in one InputError."""
    values: dict[str, Any] = {}
    bad: list[str] = []
    for question_id, value in answers.items():
        try:
            clean = json_value(value)
        except TypeError:
            clean = []  # no JSON form: reported below like any other non-scalar
        if isinstance(clean, list | dict):
            bad.append(str(question_id))
        values[str(question_id)] = clean
    if bad:
        listed = ", ".join(bad)
        msg = f"answers must be yes/no, a number or a text; not usable: {listed}"
        nl = f"Antwoorden moeten ja/nee, een getal of tekst zijn; onbruikbaar: {listed}"
        raise InputError(msg, nl)
    return values


def _require_yaml_mapping(yaml_text: str, name: str) -> None:
    try:
        parsed = yaml.safe_load(yaml_text) if isinstance(yaml_text, str) else None
    except yaml.YAMLError as err:
        msg = f"model {name!r}: not valid YAML: {err}"
        raise InputError(msg, f"Model {name!r}: geen geldige YAML: {err}") from err
    if not isinstance(parsed, dict):
        msg = f"model {name!r}: the YAML must be a mapping (a scoring model)"
        raise InputError(msg, f"Model {name!r}: de YAML moet een scoremodel (mapping) zijn")


def _model_conflict(name: str, current: int | None, expected: int | None) -> WorkspaceConflictError:
    if expected is None:
        msg = f"A model named {name!r} already exists (version {current}); choose another name"
        nl = (
            f"Er bestaat al een model met de naam {name!r} (versie {current}); kies een andere naam"
        )
    elif current is None:
        msg = f"Model {name!r} no longer exists; save it as a new model"
        nl = f"Model {name!r} bestaat niet meer; sla het op als nieuw model"
    else:
        msg = (
            f"Model {name!r} was changed by someone else (now version {current}, you loaded "
            f"version {expected}); reload it and apply your changes again"
        )
        nl = (
            f"Model {name!r} is intussen door iemand anders gewijzigd (nu versie {current}, "
            f"u laadde versie {expected}); laad het opnieuw en breng uw wijzigingen opnieuw aan"
        )
    return WorkspaceConflictError(msg, nl)


def _frame_json(frame: pd.DataFrame, what: str) -> str:
    if not isinstance(frame, pd.DataFrame):
        msg = f"{what} must be a DataFrame"
        raise InputError(msg, f"{what} moet een tabel (DataFrame) zijn")
    try:
        return frame_to_json(frame)
    except ValueError as err:
        msg = f"{what} cannot be saved: {err}"
        raise InputError(msg, f"{what} kan niet worden opgeslagen: {err}") from err

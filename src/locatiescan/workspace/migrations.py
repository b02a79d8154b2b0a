"""Schema of the workspace database as ordered migrations.

`PRAGMA user_version` holds the number of migrations applied. Each migration runs in its own
write transaction together with the version bump, so a crash leaves the database at the previous
version, never half-migrated. Append new migrations at the end; never edit a released one.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from locatiescan.workspace.errors import WorkspaceError

Migration = Callable[[sqlite3.Connection], None]


def _v1_initial(conn: sqlite3.Connection) -> None:
    """Imports, locations, answers, decisions (append-only) and versioned custom models."""
    statements = [
        """CREATE TABLE imports (
            import_id INTEGER PRIMARY KEY AUTOINCREMENT,
            source TEXT NOT NULL,
            report TEXT NOT NULL DEFAULT '{}',
            who TEXT NOT NULL,
            at TEXT NOT NULL)""",
        """CREATE TABLE locations (
            location_id TEXT PRIMARY KEY,
            import_id INTEGER NOT NULL REFERENCES imports(import_id),
            geometry BLOB NOT NULL,
            attributes TEXT NOT NULL DEFAULT '{}')""",
        """CREATE TABLE answers (
            location_id TEXT NOT NULL,
            model_id TEXT NOT NULL,
            question_id TEXT NOT NULL,
            value TEXT NOT NULL,
            who TEXT NOT NULL,
            at TEXT NOT NULL,
            PRIMARY KEY (location_id, model_id, question_id))""",
        """CREATE TABLE decisions (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            location_id TEXT NOT NULL,
            model_id TEXT NOT NULL,
            decision TEXT NOT NULL
                CHECK (decision IN ('op_shortlist', 'aangehouden', 'afgevallen')),
            note TEXT NOT NULL DEFAULT '',
            who TEXT NOT NULL,
            at TEXT NOT NULL)""",
        "CREATE INDEX decisions_by_location ON decisions (location_id, model_id, seq)",
        """CREATE TRIGGER decisions_append_only_update BEFORE UPDATE ON decisions
            BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END""",
        """CREATE TRIGGER decisions_append_only_delete BEFORE DELETE ON decisions
            BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END""",
        """CREATE TABLE model_versions (
            name TEXT NOT NULL,
            version INTEGER NOT NULL CHECK (version >= 1),
            yaml TEXT NOT NULL,
            who TEXT NOT NULL,
            at TEXT NOT NULL,
            PRIMARY KEY (name, version))""",
    ]
    for statement in statements:
        conn.execute(statement)


def _v2_assessments_and_model_lineage(conn: sqlite3.Connection) -> None:
    """Saved score snapshots, and the preset a custom model was derived from."""
    conn.execute("ALTER TABLE model_versions ADD COLUMN based_on TEXT")
    conn.execute(
        """CREATE TABLE assessments (
            assessment_id INTEGER PRIMARY KEY AUTOINCREMENT,
            model_id TEXT NOT NULL,
            model_version INTEGER,
            note TEXT NOT NULL DEFAULT '',
            scores TEXT NOT NULL,
            explanations TEXT,
            n_locations INTEGER NOT NULL,
            who TEXT NOT NULL,
            at TEXT NOT NULL)"""
    )


def _v3_facts_outlines_withdrawals(conn: sqlite3.Connection) -> None:
    """Location facts with history (answers become facts of the project, not of a model), own
    outlines of locations with history, and decisions that can be withdrawn."""
    statements = [
        """CREATE TABLE facts (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            location_id TEXT NOT NULL,
            fact_id TEXT NOT NULL,
            value TEXT,
            source TEXT NOT NULL DEFAULT '',
            source_date TEXT,
            who TEXT NOT NULL,
            at TEXT NOT NULL)""",
        "CREATE INDEX facts_by_location ON facts (location_id, fact_id, seq)",
        """CREATE TRIGGER facts_append_only_update BEFORE UPDATE ON facts
            BEGIN SELECT RAISE(ABORT, 'facts are append-only'); END""",
        """INSERT INTO facts (location_id, fact_id, value, source, who, at)
            SELECT location_id, question_id, value, 'antwoord (model ' || model_id || ')', who, at
            FROM answers ORDER BY at, model_id""",
        "DROP TABLE answers",
        """CREATE TABLE outlines (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            location_id TEXT NOT NULL,
            geometry BLOB,
            note TEXT NOT NULL DEFAULT '',
            who TEXT NOT NULL,
            at TEXT NOT NULL)""",
        "CREATE INDEX outlines_by_location ON outlines (location_id, seq)",
        """CREATE TRIGGER outlines_append_only_update BEFORE UPDATE ON outlines
            BEGIN SELECT RAISE(ABORT, 'outlines are append-only'); END""",
        """CREATE TRIGGER outlines_append_only_delete BEFORE DELETE ON outlines
            BEGIN SELECT RAISE(ABORT, 'outlines are append-only'); END""",
        """CREATE TABLE decisions_v3 (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            location_id TEXT NOT NULL,
            model_id TEXT NOT NULL,
            decision TEXT NOT NULL CHECK (decision IN
                ('op_shortlist', 'aangehouden', 'afgevallen', 'ingetrokken')),
            note TEXT NOT NULL DEFAULT '',
            who TEXT NOT NULL,
            at TEXT NOT NULL)""",
        """INSERT INTO decisions_v3 (seq, location_id, model_id, decision, note, who, at)
            SELECT seq, location_id, model_id, decision, note, who, at FROM decisions""",
        "DROP TABLE decisions",
        "ALTER TABLE decisions_v3 RENAME TO decisions",
        "CREATE INDEX decisions_by_location ON decisions (location_id, model_id, seq)",
        """CREATE TRIGGER decisions_append_only_update BEFORE UPDATE ON decisions
            BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END""",
        """CREATE TRIGGER decisions_append_only_delete BEFORE DELETE ON decisions
            BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END""",
    ]
    for statement in statements:
        conn.execute(statement)


def _append_only(table: str, what: str) -> list[str]:
    """Triggers that refuse UPDATE and DELETE on `table`."""
    return [
        f"""CREATE TRIGGER {table}_append_only_{action} BEFORE {action.upper()} ON {table}
            BEGIN SELECT RAISE(ABORT, '{what} are append-only'); END"""
        for action in ("update", "delete")
    ]


def _v4_voortgang(conn: sqlite3.Connection) -> None:
    """Publiek-Private Monitor (milestones per project per peilmoment, alternatives), woondeal
    targets and realised net additions, and the werkruimte's own milestone list. All append-only:
    the latest row per key counts, earlier rows are the history."""
    statements = [
        """CREATE TABLE ppm_updates (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            peilmoment TEXT NOT NULL,
            location_id TEXT NOT NULL,
            milestone_id TEXT NOT NULL,
            planned TEXT,
            actual TEXT,
            party TEXT CHECK (party IS NULL OR party IN ('publiek', 'privaat')),
            note TEXT NOT NULL DEFAULT '',
            project_name TEXT NOT NULL DEFAULT '',
            source TEXT NOT NULL DEFAULT '',
            who TEXT NOT NULL,
            at TEXT NOT NULL)""",
        "CREATE INDEX ppm_updates_by_project ON ppm_updates (location_id, milestone_id, seq)",
        *_append_only("ppm_updates", "PPM updates"),
        """CREATE TABLE ppm_alternatives (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            location_id TEXT NOT NULL,
            alternative_id TEXT NOT NULL,
            linked INTEGER NOT NULL CHECK (linked IN (0, 1)),
            note TEXT NOT NULL DEFAULT '',
            who TEXT NOT NULL,
            at TEXT NOT NULL)""",
        *_append_only("ppm_alternatives", "PPM alternatives"),
        """CREATE TABLE woondeal_targets (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            area TEXT NOT NULL,
            gemeentecodes TEXT NOT NULL,
            year_from INTEGER NOT NULL,
            year_to INTEGER NOT NULL,
            homes INTEGER,
            source TEXT NOT NULL DEFAULT '',
            who TEXT NOT NULL,
            at TEXT NOT NULL)""",
        *_append_only("woondeal_targets", "woondeal targets"),
        """CREATE TABLE woondeal_realisation (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            gemeentecode TEXT NOT NULL,
            year INTEGER NOT NULL,
            net_addition INTEGER,
            source TEXT NOT NULL DEFAULT '',
            who TEXT NOT NULL,
            at TEXT NOT NULL)""",
        *_append_only("woondeal_realisation", "woondeal realisation figures"),
        """CREATE TABLE voortgang_config (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            yaml TEXT,
            who TEXT NOT NULL,
            at TEXT NOT NULL)""",
        *_append_only("voortgang_config", "milestone lists"),
    ]
    for statement in statements:
        conn.execute(statement)


MIGRATIONS: tuple[Migration, ...] = (
    _v1_initial,
    _v2_assessments_and_model_lineage,
    _v3_facts_outlines_withdrawals,
    _v4_voortgang,
)
LATEST_VERSION = len(MIGRATIONS)


def schema_version(conn: sqlite3.Connection) -> int:
    """The number of migrations applied to this database."""
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection, target: int = LATEST_VERSION) -> int:
    """Apply the missing migrations up to `target`, one transaction each; return the version.

    `conn` must be in autocommit mode (`isolation_level=None`). The version is re-read under the
    write lock, so two processes opening a fresh workspace at once migrate it only once.
    """
    current = schema_version(conn)
    if current > LATEST_VERSION:
        msg = (
            f"Workspace schema version {current} is newer than this program supports "
            f"({LATEST_VERSION}); update Locatiescan."
        )
        nl = (
            f"De werkruimte heeft schemaversie {current}, nieuwer dan dit programma kent "
            f"({LATEST_VERSION}); werk Locatiescan bij."
        )
        raise WorkspaceError(msg, nl)
    for version in range(current + 1, target + 1):
        conn.execute("BEGIN IMMEDIATE")
        try:
            if schema_version(conn) < version:
                MIGRATIONS[version - 1](conn)
                conn.execute(f"PRAGMA user_version = {version:d}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return schema_version(conn)

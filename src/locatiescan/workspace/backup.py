"""Workspace safety: damage checks, rotating backups (SQLite online backup API), restore.

- `problem(path)`: what is wrong with a workspace file (0 bytes, not SQLite, failing
  `PRAGMA quick_check`), or None. `Workspace.open` refuses a damaged file with
  `WorkspaceDamagedError`, which says what is wrong and how to restore, instead of silently
  starting an empty workspace.
- `backup(path, reason)`: a consistent copy made with SQLite's online backup API (safe while
  other sessions write), written atomically into `backups/` next to the workspace; only the
  newest `settings().workspace_backups` are kept. `Workspace.open` makes one per day and one
  before each migration.
- `restore(path, source)`: checks the backup, keeps the damaged file aside (never deletes it),
  and puts the backup in place.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from locatiescan.atomic import atomic_path
from locatiescan.errors import InputError
from locatiescan.settings import settings
from locatiescan.workspace.errors import WorkspaceError

logger = logging.getLogger(__name__)

BACKUP_DIR = "backups"
SQLITE_MAGIC = b"SQLite format 3\x00"
SIDE_FILES = ("-wal", "-shm", "-journal")
STAMP = "%Y%m%dT%H%M%S%fZ"


class WorkspaceDamagedError(WorkspaceError, InputError):
    """The workspace file is empty or damaged; it was not opened (nothing was changed)."""


def backup_dir(path: Path) -> Path:
    """`backups/` next to the workspace file."""
    return path.parent / BACKUP_DIR


def backups(path: Path) -> list[Path]:
    """The backups of the workspace at `path`, newest first."""
    folder = backup_dir(path)
    if not folder.is_dir():
        return []
    return sorted(folder.glob(f"{path.stem}-*.sqlite"), reverse=True)


def problem(path: Path) -> tuple[str, str] | None:
    """What is wrong with the SQLite file at `path` (English, Dutch); None when it is sound."""
    size = path.stat().st_size
    if size == 0:
        return "the file is empty (0 bytes)", "het bestand is leeg (0 bytes)"
    with path.open("rb") as handle:
        head = handle.read(len(SQLITE_MAGIC))
    if head != SQLITE_MAGIC:
        return "the file is not a database (no SQLite header)", "het bestand is geen database"
    try:
        conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
        try:
            rows = conn.execute("PRAGMA quick_check").fetchall()
        finally:
            conn.close()
    except sqlite3.Error as err:
        return f"SQLite reports: {err}", f"SQLite meldt: {err}"
    found = [str(row[0]) for row in rows]
    if found != ["ok"]:
        text = "; ".join(found[:3])
        return f"damaged ({text})", f"beschadigd ({text})"
    return None


def refuse_if_damaged(path: Path) -> None:
    """Raise `WorkspaceDamagedError` (what is wrong, how to restore) for a damaged file."""
    if not path.exists():
        return
    found = problem(path)
    if found is None:
        return
    latest = next((b for b in backups(path) if problem(b) is None), None)
    how_en = (
        f"restore the latest backup with `locatiescan workspace restore --path {path}` "
        f"({latest.name})"
        if latest
        else f"no backup found in {backup_dir(path)}; move the file away to start a new workspace"
    )
    how_nl = (
        f"zet de laatste reservekopie terug met `locatiescan workspace restore --path {path}` "
        f"({latest.name})"
        if latest
        else f"geen reservekopie in {backup_dir(path)}; verplaats het bestand om opnieuw te beginnen"
    )
    msg = f"Workspace {path} is not opened: {found[0]}. To continue: {how_en}"
    nl = f"De werkruimte {path} is niet bruikbaar en niet geopend: {found[1]}. Verder: {how_nl}"
    raise WorkspaceDamagedError(msg, nl)


def _copy(source: Path, target: Path) -> None:
    """`source` copied into `target` (a fresh path) with the SQLite online backup API."""
    src = sqlite3.connect(f"{source.as_uri()}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode = DELETE")  # a single self-contained file
        finally:
            dst.close()
    finally:
        src.close()


def backup(path: Path, reason: str = "handmatig") -> Path:
    """A new backup of the workspace at `path`; older ones beyond the limit are removed."""
    folder = backup_dir(path)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime(STAMP)
    target = folder / f"{path.stem}-{stamp}-{reason}.sqlite"
    try:
        with atomic_path(target) as tmp:
            _copy(path, tmp)
    except sqlite3.Error as err:
        msg = f"Backup of {path} failed: {err}"
        raise WorkspaceError(msg, f"Reservekopie van {path} mislukt: {err}") from err
    logger.info("workspace backup %s written (%s)", target.name, reason)
    for old in backups(path)[settings().workspace_backups :]:
        old.unlink(missing_ok=True)
    return target


def daily_backup(path: Path) -> Path | None:
    """A backup unless one was made today (UTC); the new backup or None."""
    today = datetime.now(UTC).strftime("%Y%m%d")
    if any(b.name.startswith(f"{path.stem}-{today}") for b in backups(path)):
        return None
    return backup(path, "dagelijks")


def restore(path: Path, source: Path | None = None) -> Path:
    """Put backup `source` (default: the newest sound one) in place of the workspace at `path`.

    The current file, if any, is kept as `<name>.beschadigd-<time>` (with its -wal/-shm files),
    so nothing is lost. Returns the backup used.
    """
    candidates = [source] if source is not None else backups(path)
    chosen = next((b for b in candidates if b.is_file() and problem(b) is None), None)
    if chosen is None:
        where = source or backup_dir(path)
        msg = f"No sound backup to restore: {where}"
        raise InputError(msg, f"Geen bruikbare reservekopie om terug te zetten: {where}")
    stamp = datetime.now(UTC).strftime(STAMP)
    for suffix in ("", *SIDE_FILES):
        current = Path(f"{path}{suffix}")
        if current.exists():
            os.replace(current, Path(f"{path}.beschadigd-{stamp}{suffix}"))
    with atomic_path(path) as tmp:
        _copy(chosen, tmp)
    return chosen

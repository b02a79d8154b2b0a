"""CLI commands `workspace backup|restore|check`: the safety net of the workspace file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from locatiescan.errors import InputError
from locatiescan.paths import workspace_path
from locatiescan.workspace import backup as backups

PathOption = Annotated[
    Path | None,
    typer.Option("--path", help="Workspace file (default: $LOCATIESCAN_WORKSPACE or the default)."),
]


def _target(path: Path | None) -> Path:
    return Path(path).expanduser() if path is not None else workspace_path()


def _existing(path: Path) -> Path:
    if not path.is_file():
        msg = f"no workspace file at {path}"
        raise InputError(msg, f"geen werkruimtebestand op {path}")
    return path


def register(app: typer.Typer) -> None:
    """Add the `workspace` command group to the app."""
    group = typer.Typer(help="Check, back up and restore the workspace file.", no_args_is_help=True)
    app.add_typer(group, name="workspace")

    @group.command("check")
    def check(path: PathOption = None) -> None:
        """Check the workspace file; exit 2 with what is wrong and how to restore if damaged."""
        target = _existing(_target(path))
        backups.refuse_if_damaged(target)
        found = backups.backups(target)
        typer.echo(f"{target}: ok ({len(found)} reservekopie(ën) in {backups.backup_dir(target)})")

    @group.command("backup")
    def backup(path: PathOption = None) -> None:
        """Make a backup now (SQLite online backup; safe while the app is running)."""
        target = _existing(_target(path))
        backups.refuse_if_damaged(target)
        typer.echo(str(backups.backup(target)))

    @group.command("restore")
    def restore(
        source: Annotated[
            Path | None, typer.Argument(help="Backup file (default: the newest sound one).")
        ] = None,
        path: PathOption = None,
    ) -> None:
        """Put a backup in place; the current file is kept aside as `<name>.beschadigd-<time>`."""
        target = _target(path)
        used = backups.restore(target, source)
        typer.echo(f"{used} teruggezet → {target}")

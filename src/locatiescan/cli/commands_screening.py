"""CLI commands: screening."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the screening commands to the app."""

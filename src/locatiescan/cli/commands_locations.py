"""CLI commands: locations."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the locations commands to the app."""

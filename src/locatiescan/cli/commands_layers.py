"""CLI commands: layers."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the layers commands to the app."""

"""The `locatiescan` command: one typer app, commands registered per topic module.

Exit codes: 0 success, 2 bad user input (message on stderr), 1 internal error. No tracebacks.
"""

from __future__ import annotations

import sys

import typer

from locatiescan.cli import (
    commands_layers,
    commands_locations,
    commands_scoring,
    commands_screening,
    commands_workspace,
)
from locatiescan.errors import InputError, LocatiescanError

app = typer.Typer(
    name="locatiescan",
    help="Screen Dutch housing locations against constraints and score them.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
for module in (commands_locations, commands_layers, commands_screening, commands_scoring):
    module.register(app)
commands_workspace.register(app)


def run() -> None:
    """Console entry point: maps errors to exit codes and bilingual messages.

    Click itself reports usage errors (unknown option, bad choice) and exits 2.
    """
    try:
        app()
    except InputError as err:
        typer.echo(f"error: {err.bilingual()}", err=True)
        sys.exit(2)
    except LocatiescanError as err:
        typer.echo(f"error: {err.bilingual()}", err=True)
        sys.exit(1)
    except Exception as err:  # noqa: BLE001 - last line of defence: no traceback for users
        typer.echo(f"internal error: {type(err).__name__}: {err}", err=True)
        sys.exit(1)

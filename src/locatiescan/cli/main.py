"""The `locatiescan` command: one typer app, commands registered per topic module.

Exit codes: 0 success, 2 bad user input (message on stderr), 1 internal error. No tracebacks.
"""

from __future__ import annotations

import logging
import sys

import typer

from locatiescan import __version__
from locatiescan.cli import (
    commands_dossier,
    commands_kansenkaart,
    commands_layers,
    commands_locations,
    commands_scoring,
    commands_screening,
    commands_voortgang,
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
COMMAND_MODULES = (
    commands_locations,
    commands_layers,
    commands_screening,
    commands_scoring,
    commands_dossier,
    commands_voortgang,
    commands_kansenkaart,
    commands_workspace,
)
for module in COMMAND_MODULES:
    module.register(app)


def _version(show: bool) -> None:
    if show:
        typer.echo(f"locatiescan {__version__}")
        raise typer.Exit


@app.callback()
def main(
    verbose: int = typer.Option(
        0, "--verbose", "-v", count=True, help="More log output on stderr (-v info, -vv debug)."
    ),
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and stop."
    ),
) -> None:
    """Screen Dutch housing locations against constraints and score them."""
    level = {0: logging.WARNING, 1: logging.INFO}.get(verbose, logging.DEBUG)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", force=True)


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

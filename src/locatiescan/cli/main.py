"""The `locatiescan` command: one typer app, commands registered per topic module.

Exit codes: 0 success, 2 bad user input (message on stderr), 1 internal error. No tracebacks.
"""

from __future__ import annotations

import importlib
import logging
import sys
from collections.abc import Sequence

import typer

from locatiescan import __version__
from locatiescan.errors import InputError, LocatiescanError

# Command module (in locatiescan.cli) -> the top-level commands it registers. Only the module
# of the command being run is imported (a test checks this map against the modules).
COMMAND_MODULES: dict[str, tuple[str, ...]] = {
    "commands_locations": ("locations", "import"),
    "commands_layers": ("layers", "fetch"),
    "commands_screening": ("screen",),
    "commands_scoring": ("score", "validate-model", "compare-models", "sensitivity"),
    "commands_dossier": ("dossier",),
    "commands_voortgang": ("voortgang",),
    "commands_kansenkaart": ("kansenkaart",),
    "commands_workspace": ("workspace",),
}


def make_app(argv: Sequence[str] = ()) -> typer.Typer:
    """The `locatiescan` app with the command modules `argv` needs: only the one of the
    command it names, every module for help, a bare call or an unknown command."""
    app = typer.Typer(
        name="locatiescan",
        help="Screen Dutch housing locations against constraints and score them.",
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        add_completion=False,
    )
    app.callback()(main)
    command = next((arg for arg in argv if not arg.startswith("-")), None)
    if command is None and "--version" in argv:
        return app  # the eager --version option stops before any command
    wanted = [m for m, commands in COMMAND_MODULES.items() if command in commands]
    for name in wanted or COMMAND_MODULES:
        importlib.import_module(f"locatiescan.cli.{name}").register(app)
    return app


def _version(show: bool) -> None:
    if show:
        typer.echo(f"locatiescan {__version__}")
        raise typer.Exit


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
        make_app(sys.argv[1:])()
    except InputError as err:
        typer.echo(f"error: {err.bilingual()}", err=True)
        sys.exit(2)
    except LocatiescanError as err:
        typer.echo(f"error: {err.bilingual()}", err=True)
        sys.exit(1)
    except Exception as err:  # noqa: BLE001 - last line of defence: no traceback for users
        typer.echo(f"internal error: {type(err).__name__}: {err}", err=True)
        sys.exit(1)

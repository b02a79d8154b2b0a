"""The CLI imports only the command module of the command being run (fixed cost per process);
help and a bare call still list every command."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest
import typer

from locatiescan.cli.main import COMMAND_MODULES, make_app
from support_cli import cli


def registered(app: typer.Typer) -> set[str]:
    commands = {c.name or c.callback.__name__.replace("_", "-") for c in app.registered_commands}
    return commands | {g.name for g in app.registered_groups}


@pytest.mark.parametrize("module", list(COMMAND_MODULES))
def test_the_map_names_what_each_module_registers(module: str) -> None:
    app = typer.Typer()
    importlib.import_module(f"locatiescan.cli.{module}").register(app)
    assert registered(app) == set(COMMAND_MODULES[module])


def test_a_command_loads_only_its_module_and_help_loads_all() -> None:
    assert registered(make_app(["-v", "screen", "--type", "doorbraak"])) == {"screen"}
    assert registered(make_app(["validate-model", "m.yaml"])) == set(
        COMMAND_MODULES["commands_scoring"]
    )
    everything = {name for names in COMMAND_MODULES.values() for name in names}
    assert registered(make_app(["--help"])) == everything
    assert registered(make_app([])) == everything
    assert registered(make_app(["onbekend"])) == everything  # click then names the error
    assert registered(make_app(["--version"])) == set()


def test_a_fresh_process_imports_no_other_command_module() -> None:
    code = (
        "import sys; from locatiescan.cli.main import make_app; make_app(sys.argv[1:]); "
        "print(sorted(m for m in sys.modules if m.startswith('locatiescan.cli.commands_')), "
        "'geopandas' in sys.modules)"
    )
    screen = subprocess.run(
        [sys.executable, "-c", code, "screen"], capture_output=True, text=True, check=True
    )
    assert screen.stdout.strip() == "['locatiescan.cli.commands_screening'] True"
    version = subprocess.run(
        [sys.executable, "-c", code, "--version"], capture_output=True, text=True, check=True
    )
    assert version.stdout.strip() == "[] False"  # --version needs no geodata stack


# imported only where they are used: an online call, a raster, a nearest-distance search, a map,
# a report; not by the screen command's start-up, which may answer from the stored screening
HEAVY = ["affine", "folium", "matplotlib", "owslib", "rasterio", "reportlab", "requests", "scipy"]


def test_the_screen_command_starts_without_the_heavy_libraries() -> None:
    code = (
        "import sys; from locatiescan.cli.main import make_app; make_app(['screen']); "
        f"print([m for m in {HEAVY!r} if m in sys.modules])"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_help_lists_every_command(monkeypatch, capsys) -> None:
    code, stdout, _ = cli(monkeypatch, capsys, "--help")
    assert code == 0
    for names in COMMAND_MODULES.values():
        for name in names:
            assert name in stdout

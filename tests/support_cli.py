"""Running the `locatiescan` entry point in-process, with its real exit-code mapping."""

from __future__ import annotations

import sys

from locatiescan.cli.main import run


def cli(monkeypatch, capsys, *args: str) -> tuple[int, str, str]:
    """Run the CLI entry point in-process: exit code, stdout, stderr."""
    monkeypatch.setattr(sys, "argv", ["locatiescan", *args])
    try:
        run()
        code = 0
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err

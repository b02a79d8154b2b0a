"""Shared CLI output helpers: JSON / table / CSV to stdout."""

from __future__ import annotations

import json
import math
from enum import Enum
from typing import Any

import pandas as pd
import typer

from locatiescan.frame_csv import frame_csv


class Format(str, Enum):
    """Output formats."""

    json = "json"
    table = "table"
    csv = "csv"


def _clean(value: Any) -> Any:
    """JSON-safe value: NaN/NA become null, numpy scalars become Python scalars."""
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is pd.NA or value is pd.NaT:
        return None
    return value


def emit_json(payload: Any) -> None:
    """Print a JSON document to stdout."""
    typer.echo(json.dumps(_clean(payload), ensure_ascii=False, indent=2, default=str))


def emit_frame(frame: pd.DataFrame, fmt: Format) -> None:
    """Print a table as JSON records, CSV or a plain-text table."""
    if fmt is Format.json:
        emit_json(frame.to_dict(orient="records"))
    elif fmt is Format.csv:
        typer.echo(frame_csv(frame).decode("utf-8"), nl=False)
    else:
        with pd.option_context("display.max_rows", None, "display.width", 200):
            typer.echo(frame.to_string(index=False))

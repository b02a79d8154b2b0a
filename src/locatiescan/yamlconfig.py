"""Reading configuration files (YAML) into pydantic models with errors that name file and field."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from locatiescan.errors import ConfigError

SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
Model = TypeVar("Model", bound=BaseModel)


def problems_text(err: ValidationError) -> str:
    """Every validation problem as `field.path: message`, joined with '; '."""
    return "; ".join(
        f"{'.'.join(str(p) for p in e['loc']) or '(top)'}: {e['msg'].removeprefix('Value error, ')}"
        for e in err.errors()
    )


def read_yaml(path: Path, *, what: str, wat: str) -> Any:
    """Parse a YAML file; `what`/`wat` name the kind of file in English/Dutch for the error."""
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    except (OSError, yaml.YAMLError) as err:
        msg = f"{path.name}: cannot read {what}: {err}"
        raise ConfigError(msg, f"{path.name}: {wat} niet leesbaar: {err}") from err


def validate(model: type[Model], raw: Any, *, where: str, what: str, wat: str) -> Model:
    """Validate parsed data; the error names `where` (a file or layer) and every problem."""
    try:
        return model.model_validate(raw)
    except ValidationError as err:
        problems = problems_text(err)
        msg = f"{where}: invalid {what}: {problems}"
        raise ConfigError(msg, f"{where}: ongeldige {wat}: {problems}") from err


def load_validated(path: Path, model: type[Model], *, what: str, wat: str) -> Model:
    """Read and validate one configuration file."""
    return validate(model, read_yaml(path, what=what, wat=wat), where=path.name, what=what, wat=wat)

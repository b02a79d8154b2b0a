"""Where things live: the project root (layers/, scoring/) and the offline data root."""

from __future__ import annotations

import os
from pathlib import Path

from locatiescan.errors import DataRootError

DATA_ENV = "LOCATIESCAN_DATA"
WORKSPACE_ENV = "LOCATIESCAN_WORKSPACE"

PROJECT_ROOT = Path(__file__).resolve().parents[2]
LAYERS_DIR = PROJECT_ROOT / "layers"
SCORING_DIR = PROJECT_ROOT / "scoring"


def data_root_candidates() -> list[Path]:
    """Paths tried for the data root, in order: $LOCATIESCAN_DATA, then ../shared/data."""
    candidates = []
    if os.environ.get(DATA_ENV):
        candidates.append(Path(os.environ[DATA_ENV]).expanduser())
    candidates.append(PROJECT_ROOT.parent / "shared" / "data")
    return candidates


def data_root() -> Path:
    """The first existing data root; a clear error naming every path tried otherwise."""
    candidates = data_root_candidates()
    for path in candidates:
        if path.is_dir():
            return path.resolve()
    tried = ", ".join(str(p) for p in candidates)
    msg = f"No data root found. Tried: {tried}. Set {DATA_ENV} to the folder with the offline data."
    nl = (
        f"Geen datamap gevonden. Geprobeerd: {tried}. Zet {DATA_ENV} op de map met de offline data."
    )
    raise DataRootError(msg, nl)


def data_file(relative: str | Path) -> Path:
    """A file below the data root; a clear error when it is missing."""
    path = data_root() / relative
    if not path.exists():
        msg = f"Data file missing: {path}"
        raise DataRootError(msg, f"Databestand ontbreekt: {path}")
    return path


def workspace_path() -> Path:
    """The workspace database: $LOCATIESCAN_WORKSPACE or workspace/locatiescan.sqlite."""
    if os.environ.get(WORKSPACE_ENV):
        return Path(os.environ[WORKSPACE_ENV]).expanduser()
    return PROJECT_ROOT / "workspace" / "locatiescan.sqlite"

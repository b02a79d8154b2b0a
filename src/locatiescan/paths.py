"""Where things live: the shipped configuration (layers/, scoring/, settings) and the data root.

The top-level `layers/`, `scoring/`, `data/` folders and `settings.yaml` of the repository are
the single source of the files shipped in the package: `locatiescan/shipped/` holds symlinks to
them in a checkout and copies of them in an installed wheel, read via `importlib.resources`.
"""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path

from locatiescan.errors import DataRootError

DATA_ENV = "LOCATIESCAN_DATA"
WORKSPACE_ENV = "LOCATIESCAN_WORKSPACE"

SHIPPED_DIR = Path(str(files("locatiescan") / "shipped"))
LAYERS_DIR = (SHIPPED_DIR / "layers").resolve()
SCORING_DIR = (SHIPPED_DIR / "scoring").resolve()
SETTINGS_FILE = (SHIPPED_DIR / "settings.yaml").resolve()
BUNDLE_DIR = (SHIPPED_DIR / "data").resolve()
BUNDLE_MANIFEST = "BUNDLE.md"

_PACKAGE_PARENT = Path(__file__).resolve().parents[2]
# The repository root when running from a checkout (it has the pyproject.toml), else None.
PROJECT_ROOT: Path | None = (
    _PACKAGE_PARENT if (_PACKAGE_PARENT / "pyproject.toml").is_file() else None
)


def data_root_candidates() -> list[Path]:
    """Paths tried for the data root, in order: $LOCATIESCAN_DATA, ../shared/data next to a
    checkout, then the embedded default bundle (`data/`, built by scripts/build_data_bundle.py)."""
    candidates = []
    if os.environ.get(DATA_ENV):
        candidates.append(Path(os.environ[DATA_ENV]).expanduser())
    if PROJECT_ROOT is not None:
        candidates.append(PROJECT_ROOT.parent / "shared" / "data")
    candidates.append(BUNDLE_DIR)
    return candidates


def _usable(path: Path) -> bool:
    """A data root exists; the bundle folder counts only once it has been built."""
    if path == BUNDLE_DIR:
        return (path / BUNDLE_MANIFEST).is_file()
    return path.is_dir()


def data_root() -> Path:
    """The first usable data root; a clear error naming every path tried otherwise."""
    candidates = data_root_candidates()
    for path in candidates:
        if _usable(path):
            return path.resolve()
    tried = ", ".join(str(p) for p in candidates)
    msg = f"No data root found. Tried: {tried}. Set {DATA_ENV} to the folder with the offline data."
    nl = (
        f"Geen datamap gevonden. Geprobeerd: {tried}. Zet {DATA_ENV} op de map met de offline data."
    )
    raise DataRootError(msg, nl)


def is_embedded_bundle(root: Path) -> bool:
    """True when `root` is the embedded default bundle (a subset of the full data)."""
    return root.resolve() == BUNDLE_DIR


def data_file(relative: str | Path) -> Path:
    """A file below the data root; a clear error when it is missing."""
    root = data_root()
    path = root / relative
    if not path.exists():
        msg = f"Data file missing: {path}"
        nl = f"Databestand ontbreekt: {path}"
        if is_embedded_bundle(root):
            msg += f" (not in the embedded default data; set {DATA_ENV} to the full data)"
            nl += f" (niet in de ingebouwde standaarddata; zet {DATA_ENV} op de volledige data)"
        raise DataRootError(msg, nl)
    return path


def workspace_path() -> Path:
    """The workspace database: $LOCATIESCAN_WORKSPACE, else workspace/locatiescan.sqlite in a
    checkout, else ~/.locatiescan/workspace/locatiescan.sqlite."""
    if os.environ.get(WORKSPACE_ENV):
        return Path(os.environ[WORKSPACE_ENV]).expanduser()
    base = PROJECT_ROOT if PROJECT_ROOT is not None else Path.home() / ".locatiescan"
    return base / "workspace" / "locatiescan.sqlite"

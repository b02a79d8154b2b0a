"""Where things live: the shipped configuration (layers/, scoring/, settings) and the data root.

The top-level `layers/`, `scoring/`, `data/` folders and `settings.yaml` of the repository are
the single source of the files shipped in the package: `locatiescan/shipped/` holds symlinks to
them in a checkout and copies of them in an installed wheel, read via `importlib.resources`.
"""

from __future__ import annotations

import os
import re
from importlib.resources import files
from pathlib import Path

from locatiescan.errors import DataRootError, InputError

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


def data_file(relative: str | Path, root: Path | None = None) -> Path:
    """A file below `root` (default: the data root); a clear error when it is missing."""
    root = data_root() if root is None else root
    path = root / relative
    if not path.exists():
        msg = f"Data file missing: {path}"
        nl = f"Databestand ontbreekt: {path}"
        if is_embedded_bundle(root):
            msg += f" (not in the embedded default data; set {DATA_ENV} to the full data)"
            nl += f" (niet in de ingebouwde standaarddata; zet {DATA_ENV} op de volledige data)"
        raise DataRootError(msg, nl)
    return path


DEFAULT_WERKRUIMTE = "standaard"
WERKRUIMTE_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")


def werkruimte_slug(name: str | None) -> str:
    """The werkruimte's file name part: lower case, spaces as '-'; 'standaard' when empty.

    Only letters a-z, digits, '-' and '_' (at most 40), so a name can never leave the folder.
    """
    slug = re.sub(r"\s+", "-", (name or "").strip().lower())
    if not slug:
        return DEFAULT_WERKRUIMTE
    if not WERKRUIMTE_PATTERN.fullmatch(slug):
        msg = f"Werkruimte name {name!r}: use letters a-z, digits, '-' or '_' (at most 40)"
        nl = f"Naam van de werkruimte {name!r}: gebruik letters a-z, cijfers, '-' of '_' (hooguit 40)"
        raise InputError(msg, nl)
    return slug


def workspace_path(werkruimte: str | None = None) -> Path:
    """The workspace database of a werkruimte (one SQLite file each).

    The default werkruimte is $LOCATIESCAN_WORKSPACE, else workspace/locatiescan.sqlite in a
    checkout, else ~/.locatiescan/workspace/locatiescan.sqlite; a named one lies next to it as
    `<stem>-<name>.sqlite` (e.g. locatiescan-gemeente-utrecht.sqlite).
    """
    if os.environ.get(WORKSPACE_ENV):
        default = Path(os.environ[WORKSPACE_ENV]).expanduser()
    else:
        base = PROJECT_ROOT if PROJECT_ROOT is not None else Path.home() / ".locatiescan"
        default = base / "workspace" / "locatiescan.sqlite"
    slug = werkruimte_slug(werkruimte)
    if slug == DEFAULT_WERKRUIMTE:
        return default
    return default.with_name(f"{default.stem}-{slug}{default.suffix}")


def werkruimtes() -> list[str]:
    """Names of the werkruimtes that have a database file: 'standaard' first, then A-Z."""
    default = workspace_path()
    prefix = f"{default.stem}-"
    named = sorted(
        path.stem.removeprefix(prefix)
        for path in default.parent.glob(f"{prefix}*{default.suffix}")
        if WERKRUIMTE_PATTERN.fullmatch(path.stem.removeprefix(prefix))
    )
    return [DEFAULT_WERKRUIMTE, *named]

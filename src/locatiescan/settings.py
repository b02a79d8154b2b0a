"""Tunable settings as data: `settings.yaml` in the project root, validated with pydantic."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from locatiescan.paths import SETTINGS_FILE
from locatiescan.yamlconfig import read_yaml, validate

ONLINE_ENV = "LOCATIESCAN_ONLINE"  # "0"/"false" forces offline, "1"/"true" online


class Settings(BaseModel):
    """Project-wide settings; every field has a documented default."""

    model_config = ConfigDict(extra="forbid")

    density_woningen_per_ha: float = Field(
        40.0, gt=0, description="Density for indicative footprints."
    )
    max_upload_mb: float = Field(50.0, gt=0, description="Largest file accepted for import.")
    max_unzipped_mb: float = Field(500.0, gt=0, description="Largest total size inside a zip.")
    max_zip_ratio: float = Field(200.0, gt=1, description="Largest compression ratio in a zip.")
    max_features: int = Field(50_000, gt=0, description="Most features in one imported file.")
    max_vertices_per_geometry: int = Field(
        250_000, gt=0, description="Most vertices in one imported geometry."
    )
    max_vertices_total: int = Field(
        2_500_000, gt=0, description="Most vertices in one imported file."
    )
    max_xlsx_cells: int = Field(500_000, gt=0, description="Most cells read from a workbook.")
    http_timeout_s: float = Field(
        20.0,
        gt=0,
        description="Time per attempt of an online request: connect, redirects and all reads "
        "(at most 1 + http_retries attempts before the offline fallback).",
    )
    http_max_body_mb: float = Field(
        200.0, gt=0, description="Largest answer of an online source, compressed and unpacked."
    )
    http_retries: int = Field(
        2,
        ge=0,
        description="Retries after a transient failure (time-out, dropped connection, 5xx).",
    )
    online: bool = Field(True, description="Try online sources before offline snapshots.")
    workspace_backups: int = Field(
        7, ge=1, description="Rotating workspace backups kept (daily and before migrations)."
    )
    cache_dir: str = Field(
        "",
        description="Folder for prepared snapshots and stored screenings ('' = "
        "$XDG_CACHE_HOME/locatiescan, else ~/.cache/locatiescan); never inside the data root.",
    )


def load_settings(path: Path = SETTINGS_FILE) -> Settings:
    """Read settings; a missing file gives the defaults, an invalid one a clear error.

    The environment variable `LOCATIESCAN_ONLINE` overrides `online`.
    """
    raw = (read_yaml(path, what="settings", wat="instellingen") or {}) if path.exists() else {}
    if os.environ.get(ONLINE_ENV):
        raw = {**raw, "online": os.environ[ONLINE_ENV]}
    return validate(Settings, raw, where=str(path), what="settings", wat="instellingen")


@lru_cache(maxsize=1)
def settings() -> Settings:
    """The project's settings, read once."""
    return load_settings()

"""The project context: what a command or a page session resolves once and passes down.

One `ProjectContext` holds the data root, the settings, the layer catalog, the dossier's fact
catalogue, the preset scoring models and the workspace (None when there is none). The CLI builds
it once per command, the app once per session and werkruimte; `prepare.prepare_inputs` and the
pages read from it instead of resolving these things again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from locatiescan.dossier.catalogue import Catalogue, load_catalogue
from locatiescan.layers.catalog import LayerDef
from locatiescan.layers.fetch import shipped_catalog
from locatiescan.paths import data_root
from locatiescan.scoring.io import ModelEntry, list_models
from locatiescan.settings import Settings, settings
from locatiescan.workspace import Workspace


@dataclass(frozen=True)
class ProjectContext:
    """Data root, settings, catalogs, preset models and workspace of one command or session.

    `online` is the settings' choice unless the caller forces offline (`--offline`). The data
    root is resolved on first use, so a command that needs no data (validate-model) works
    without one; it then stays the same for the whole context.
    """

    settings: Settings
    catalog: Mapping[str, LayerDef]
    workspace: Workspace | None = None
    online: bool = True

    @classmethod
    def build(cls, *, workspace: Workspace | None = None, offline: bool = False) -> ProjectContext:
        """The context from the shipped configuration and `workspace` (None: no workspace)."""
        current = settings()
        return cls(current, shipped_catalog(), workspace, current.online and not offline)

    @cached_property
    def data_root(self) -> Path:
        """The data root ($LOCATIESCAN_DATA, ../shared/data or the embedded bundle)."""
        return data_root()

    @cached_property
    def facts(self) -> Catalogue:
        """The dossier's fact catalogue (scoring/dossier_feiten.yaml)."""
        return load_catalogue()

    @cached_property
    def models(self) -> list[ModelEntry]:
        """The preset scoring models (scoring/*.yaml)."""
        return list_models()

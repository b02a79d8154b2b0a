"""The project context: what a command or a page session resolves once and passes down.

One `ProjectContext` holds the data root, the settings, the layer catalog (its snapshot paths
bound to that data root), the dossier's fact catalogue, the preset scoring models and the
workspace (None when there is none). The CLI builds it once per command, the app once per
werkruimte; `prepare.prepare_inputs` and the pages read from it and hand its data root to the
loaders (`registry`, `gemeenten`, `indicators`, `dossier`) instead of resolving these again.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from locatiescan.layers.catalog import LayerDef, rooted
from locatiescan.layers.fetch import shipped_catalog
from locatiescan.paths import data_root
from locatiescan.settings import Settings, settings
from locatiescan.workspace import Workspace

if TYPE_CHECKING:  # loaded when first asked for: a screening needs none of these
    from locatiescan.dossier.catalogue import Catalogue
    from locatiescan.scoring.io import ModelEntry
    from locatiescan.scoring.sources import Known


@dataclass(frozen=True)
class ProjectContext:
    """Data root, settings, catalogs, preset models and workspace of one command or session.

    `online` is the settings' choice unless the caller forces offline (`--offline`).
    """

    data_root: Path
    settings: Settings
    catalog: Mapping[str, LayerDef]
    workspace: Workspace | None = None
    online: bool = True

    @classmethod
    def build(
        cls,
        *,
        workspace: Workspace | None = None,
        offline: bool = False,
        root: Path | None = None,
    ) -> ProjectContext:
        """The context from the shipped configuration, the data root (`root`, default
        `paths.data_root()`: $LOCATIESCAN_DATA, ../shared/data or the embedded bundle) and
        `workspace` (None: no workspace)."""
        current = settings()
        resolved = data_root() if root is None else root.resolve()
        catalog = rooted(shipped_catalog(), resolved)
        return cls(resolved, current, catalog, workspace, current.online and not offline)

    @cached_property
    def facts(self) -> Catalogue:
        """The dossier's fact catalogue (scoring/dossier/feiten.yaml)."""
        from locatiescan.dossier.catalogue import load_catalogue

        return load_catalogue()

    @cached_property
    def models(self) -> list[ModelEntry]:
        """The preset scoring models (scoring/*.yaml)."""
        from locatiescan.scoring.io import list_models

        return list_models()

    def known(self) -> Known:
        """What a model may refer to here: the catalog's layer metrics, the indicators and the
        milestones of the werkruimte's own milestone list (the standard list without one).
        Read on every call: a page session outlives a change of the milestone list."""
        from locatiescan.scoring.io import known_sources

        known = known_sources(self.catalog)
        if self.workspace is None:
            return known
        from locatiescan.workspace.voortgang import milestone_config

        milestones = tuple(m.id for m in milestone_config(self.workspace).mijlpalen)
        return dataclasses.replace(known, milestones=milestones)

"""Shared CLI inputs: the workspace (only when its file exists) and registry locations with
the workspace's own outlines applied. Reading commands never create a workspace file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import geopandas as gpd
import typer

from locatiescan.context import ProjectContext
from locatiescan.errors import InputError
from locatiescan.paths import workspace_path
from locatiescan.registry import load_locations
from locatiescan.workspace import Workspace
from locatiescan.workspace.outlines import apply_outlines

WorkspaceOpt = Annotated[
    Path | None,
    typer.Option(
        "--workspace",
        help="Workspace file (default: $LOCATIESCAN_WORKSPACE); used only when it exists.",
    ),
]


def workspace_file(path: Path | None) -> Path:
    """The workspace path (default: `paths.workspace_path()`); InputError for a folder."""
    target = path if path is not None else workspace_path()
    if target.is_dir():
        msg = f"workspace {target} is a folder; give the path of a workspace file (.sqlite)"
        nl = f"werkruimte {target} is een map; geef het pad van een werkruimtebestand (.sqlite)"
        raise InputError(msg, nl)
    return target


def existing_workspace(path: Path | None) -> Workspace | None:
    """The workspace at `path` (default: `paths.workspace_path()`) when its file exists."""
    target = workspace_file(path)
    return Workspace.open(target) if target.exists() else None


def command_context(path: Path | None, *, offline: bool = False) -> ProjectContext:
    """A command's project context: the workspace at `path` (default:
    `paths.workspace_path()`) only when its file exists (never created)."""
    return ProjectContext.build(workspace=existing_workspace(path), offline=offline)


def registry_locations(types: list[str] | None, context: ProjectContext) -> gpd.GeoDataFrame:
    """The registry's sites of `types` (all policy sites when empty) from the context's data
    root, with the stored outlines of its workspace in place of their footprints
    (`geometrie_kwaliteit = "ingetekend"`)."""
    frame = load_locations(types or None, root=context.data_root)
    ws = context.workspace
    return frame if ws is None else apply_outlines(frame, ws)

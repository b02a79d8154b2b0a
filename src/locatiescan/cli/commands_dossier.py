"""CLI commands `dossier export`, `dossier import`, `dossier show`: location dossiers in bulk."""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Annotated

import geopandas as gpd
import pandas as pd
import typer

from locatiescan.cli.inputs import WorkspaceOpt, command_context
from locatiescan.cli.output import Format, emit_frame
from locatiescan.context import ProjectContext
from locatiescan.dossier import (
    PROGRAMMES,
    dossier_records,
    in_programme,
    read_template,
    record_changes,
    stored_latest,
    template_xlsx,
)
from locatiescan.errors import InputError
from locatiescan.registry import load_locations
from locatiescan.ui.locations import as_location_table
from locatiescan.workspace import Workspace


def all_locations(context: ProjectContext) -> gpd.GeoDataFrame:
    """The policy locations followed by the context workspace's own locations."""
    policy = load_locations(root=context.data_root)
    ws = context.workspace
    if ws is None:
        return policy
    own = as_location_table(ws.locations())
    if own.empty:
        return policy
    frame = pd.concat([policy, own])
    return gpd.GeoDataFrame(frame.reset_index(drop=True), geometry="geometry", crs=policy.crs)


def check_programmes(types: list[str]) -> list[str]:
    """Programmes to export; an InputError naming every unknown one."""
    allowed = [*PROGRAMMES, "eigen"]
    unknown = [t for t in types if t not in allowed]
    if unknown:
        msg = f"unknown programme(s) {', '.join(unknown)}; choose from {', '.join(allowed)}"
        nl = f"onbekend(e) programma('s) {', '.join(unknown)}; kies uit {', '.join(allowed)}"
        raise InputError(msg, nl)
    return types


def register(app: typer.Typer) -> None:
    """Add the `dossier` command group to the app."""
    group = typer.Typer(help="Location dossiers: export a template, import it back, show facts.")
    app.add_typer(group, name="dossier")

    @group.command("export")
    def export_command(
        out: Annotated[Path, typer.Option("--out", help="XLSX file to write.")],
        type_: Annotated[
            list[str] | None,
            typer.Option("--type", help="Programme, repeatable: doorbraak, koploper, ..., eigen."),
        ] = None,
        workspace: WorkspaceOpt = None,
    ) -> None:
        """Write the dossier template: one row per location, current facts and sources filled."""
        programmes = check_programmes(type_ or ["doorbraak"])
        context = command_context(workspace)
        ws, catalogue = context.workspace, context.facts
        locations = all_locations(context)
        mask = pd.Series(False, index=locations.index)
        for programme in programmes:
            mask |= (
                locations["type"].eq("eigen")
                if programme == "eigen"
                else in_programme(locations, programme)
            )
        chosen = locations[mask]
        records = dossier_records(chosen, stored_latest(ws), catalogue, context.data_root)
        out.write_bytes(template_xlsx(chosen, records, catalogue))
        typer.echo(f"ok: {out}: {len(chosen)} locations, {len(catalogue.feiten)} facts")

    @group.command("import")
    def import_command(
        path: Annotated[Path, typer.Argument(help="Filled dossier template (XLSX).")],
        who: Annotated[
            str | None, typer.Option("--who", help="Your name for the history (default: login).")
        ] = None,
        workspace: WorkspaceOpt = None,
    ) -> None:
        """Read a filled template; every problem listed and nothing applied (exit 2) when any
        cell is invalid, otherwise the changed facts are recorded in one go."""
        if not path.is_file():
            msg = f"{path}: no such file"
            raise InputError(msg, f"{path}: bestand bestaat niet")
        ws = Workspace.open(workspace)
        context = ProjectContext.build(workspace=ws)
        catalogue = context.facts
        locations = all_locations(context)
        records = dossier_records(locations, stored_latest(ws), catalogue, context.data_root)
        changes = read_template(
            path.read_bytes(), set(locations["id"].astype(str)), records, catalogue, name=path.name
        )
        written = record_changes(ws, changes, who or getpass.getuser())
        touched = len({c.location_id for c in changes})
        typer.echo(
            f"ok: {written} facts recorded for {touched} locations"
            f" / {written} feiten vastgelegd voor {touched} locaties"
        )

    @group.command("show")
    def show_command(
        location_id: Annotated[str, typer.Argument(help="Location id, e.g. DB-01.")],
        history: Annotated[
            bool, typer.Option("--history", help="Every recorded value, oldest first.")
        ] = False,
        workspace: WorkspaceOpt = None,
        fmt: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.table,
    ) -> None:
        """The current dossier of one location (value, source, date, author, origin)."""
        context = command_context(workspace)
        ws = context.workspace
        if history and ws is not None:
            emit_frame(ws.fact_history(location_id), fmt)
            return
        locations = all_locations(context)
        one = locations[locations["id"].astype(str) == location_id]
        if one.empty:
            msg = f"unknown location id {location_id!r}"
            raise InputError(msg, f"onbekende locatie-id {location_id!r}")
        emit_frame(dossier_records(one, stored_latest(ws), context.facts, context.data_root), fmt)

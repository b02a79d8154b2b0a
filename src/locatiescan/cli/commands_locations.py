"""CLI commands: `locations` (the registry, own outlines) and `import` (validate a user's file).

`locations` lists sites (stored outlines applied when the workspace exists); its subcommands
`set-geometry ID FILE` / `set-geometry ID --revert` and `geometry-history ID` keep a policy
location's own outline in the workspace.

Homes for people (table, CSV column `woningen_tekst`): `present.woningen_text` ("63.000–75.000",
"≥ 2.500" where only the doorbraak threshold is known). The honest total of homes
(`sites.woningen_totaal`, each site once) is a line under the table (stdout), on stderr with
CSV (so stdout stays plain CSV) and `woningen_totaal` in JSON.
"""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Annotated

import geopandas as gpd
import pandas as pd
import shapely
import typer

from locatiescan.atomic import atomic_path
from locatiescan.cli.inputs import (
    WorkspaceOpt,
    command_context,
    existing_workspace,
    registry_locations,
    workspace_file,
)
from locatiescan.cli.output import Format, emit_frame, emit_json
from locatiescan.errors import InputError
from locatiescan.importers import import_file
from locatiescan.location_table import POLICY_TYPES, REGISTRY_TYPES
from locatiescan.present import woningen_text
from locatiescan.registry import load_locations
from locatiescan.sites import canonical_id, woningen_totaal
from locatiescan.workspace import Workspace
from locatiescan.workspace.outlines import (
    HISTORY_COLUMNS,
    outline_history,
    revert_outline,
    set_outline,
)

LIST_COLUMNS = [
    "id", "naam", "type", "programmas", "gemeenten", "woningen_min", "woningen_max", "woningen",
    "woningen_drempel", "binnen", "zelfde_site_als", "geometrie_kwaliteit", "area_ha",
    "eib_woningen", "eib_plannamen", "eib_zekerheid",
]  # fmt: skip
# CSV: every listing column, the homes as people read them right after the numbers
CSV_COLUMNS = [*LIST_COLUMNS[:9], "woningen_tekst", *LIST_COLUMNS[9:]]
# table: what a person needs to tell sites apart, homes as text under the header "woningen"
TABLE_COLUMNS = [
    "id", "naam", "programmas", "gemeenten", "woningen_tekst", "binnen", "zelfde_site_als",
    "geometrie_kwaliteit", "area_ha",
]  # fmt: skip
TOTAL_PREFIX = "Totaal: "
OUT_LAYER = "locaties"
WorkspaceOption = WorkspaceOpt


def listed_locations(types: list[str] | None, workspace: Path | None) -> gpd.GeoDataFrame:
    """The registry for `types` with the stored outlines of an existing workspace applied."""
    return registry_locations(types, command_context(workspace))


def locations_table(frame: gpd.GeoDataFrame) -> pd.DataFrame:
    """The listing: one row per site, `LIST_COLUMNS` (absent ones empty), area to 0.01 ha."""
    table = pd.DataFrame(frame).reindex(columns=LIST_COLUMNS)
    table["area_ha"] = table["area_ha"].round(2)
    return table


def homes_texts(table: pd.DataFrame) -> pd.Series:
    """Per site its homes for people: '5.000–5.800', '≥ 2.500' (threshold only), 'onbekend'."""
    threshold = table["woningen_drempel"].astype(object).where(table["woningen_drempel"].notna())
    return pd.Series(
        [
            woningen_text(low, high, bool(flag) if flag is not None else False)
            for low, high, flag in zip(
                table["woningen_min"], table["woningen_max"], threshold, strict=True
            )
        ],
        index=table.index,
        dtype=object,
    )


def readable_table(table: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """`table` with `woningen_tekst` added, reduced to `columns` (empty cells stay empty)."""
    return table.assign(woningen_tekst=homes_texts(table))[columns]


def read_outline(path: Path, layer: str | None) -> tuple[shapely.Geometry, int]:
    """The outline in a user's file (through the importer: safety, CRS, repairs) as one
    (Multi)Polygon in EPSG:28992, and the number of features merged into it."""
    imported = import_file(path, layer=layer).locations
    return shapely.union_all(imported.geometry.to_numpy()), len(imported)


def policy_id(location_id: str) -> str:
    """The canonical id of a policy site ("DB-16" -> "KL-01"); InputError for anything else."""
    policy = load_locations(list(POLICY_TYPES))
    wanted = canonical_id(location_id.strip())
    if wanted not in set(policy["id"]):
        msg = f"{location_id} is not a policy location; choose e.g. {', '.join(policy['id'][:3])}"
        nl = f"{location_id} is geen beleidslocatie; kies bijv. {', '.join(policy['id'][:3])}"
        raise InputError(msg, nl)
    return wanted


def check_out(out: Path) -> None:
    """`--out` must be a .gpkg in an existing folder (checked before any work)."""
    if out.suffix.casefold() != ".gpkg":
        msg = f"--out must end in .gpkg, got {out.name}"
        raise InputError(msg, f"--out moet eindigen op .gpkg, niet {out.name}")
    if not out.parent.is_dir():
        msg = f"--out: folder {out.parent} does not exist"
        raise InputError(msg, f"--out: map {out.parent} bestaat niet")


def register(app: typer.Typer) -> None:
    """Add the locations commands to the app."""
    locations_app = typer.Typer(invoke_without_command=True)
    app.add_typer(locations_app, name="locations")

    @locations_app.callback()
    def locations(
        ctx: typer.Context,
        type_: Annotated[
            list[str] | None,
            typer.Option(
                "--type", help=f"Programme or type, repeatable: {', '.join(REGISTRY_TYPES)}."
            ),
        ] = None,
        fmt: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.table,
        workspace: WorkspaceOption = None,
    ) -> None:
        """List sites: programmes, homes (range, threshold), nesting, geometry quality, area.

        Without --type: the 42 policy sites (43 list rows; KL-01 and DB-16 are one site, listed
        under both programmes). JSON: {"locaties": [...], "woningen_totaal": {...}} where the
        total counts each site once.
        """
        if ctx.invoked_subcommand is not None:
            return
        frame = listed_locations(type_, workspace)
        table = locations_table(frame)
        total = woningen_totaal(frame)
        if fmt is Format.json:
            records = table.to_dict(orient="records")
            emit_json({"locaties": records, "woningen_totaal": total.summary()})
        elif fmt is Format.csv:
            emit_frame(readable_table(table, CSV_COLUMNS), fmt)
            typer.echo(TOTAL_PREFIX + total.text(), err=True)
        else:
            shown = readable_table(table, TABLE_COLUMNS).rename(
                columns={"woningen_tekst": "woningen"}
            )
            emit_frame(shown.astype(object).where(shown.notna(), ""), fmt)
            typer.echo("\n" + TOTAL_PREFIX + total.text())

    @locations_app.command("set-geometry")
    def set_geometry(
        location_id: Annotated[str, typer.Argument(help="Policy location id, e.g. DB-03.")],
        path: Annotated[
            Path | None, typer.Argument(help="File with the outline (as for `import`).")
        ] = None,
        revert: Annotated[
            bool, typer.Option("--revert", help="Go back to the registry's footprint.")
        ] = False,
        layer: Annotated[str | None, typer.Option("--layer", help="Layer to read.")] = None,
        who: Annotated[str | None, typer.Option("--who", help="Author (default: OS user).")] = None,
        note: Annotated[str, typer.Option("--note", help="Why / which source.")] = "",
        workspace: WorkspaceOption = None,
    ) -> None:
        """Store the own outline of a policy location (replaces its footprint), or --revert it."""
        if (path is None) == (not revert):
            msg = "give either FILE or --revert"
            raise InputError(
                msg, "geef een bestand of --revert, niet allebei en niet geen van twee"
            )
        site = policy_id(location_id)
        author = who or getpass.getuser()
        ws = Workspace.open(workspace_file(workspace))
        if revert:
            number = revert_outline(ws, site, author, note)
            emit_json({"id": site, "volgnummer": number, "actie": "teruggedraaid"})
            return
        assert path is not None  # checked above: a file or --revert
        geometry, features = read_outline(path, layer)
        number = set_outline(ws, site, geometry, author, note)
        emit_json(
            {
                "id": site,
                "volgnummer": number,
                "actie": "ingetekend",
                "objecten": features,
                "area_ha": round(geometry.area / 10_000.0, 2),
            }
        )

    @locations_app.command("geometry-history")
    def geometry_history(
        location_id: Annotated[str, typer.Argument(help="Policy location id.")],
        fmt: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.table,
        workspace: WorkspaceOption = None,
    ) -> None:
        """Every stored outline of a policy location, oldest first (none without a workspace)."""
        site = policy_id(location_id)
        ws = existing_workspace(workspace)
        if ws is None:
            table = pd.DataFrame(columns=HISTORY_COLUMNS[:-1])
        else:
            table = pd.DataFrame(outline_history(ws, site).drop(columns="geometry"))
            table["area_ha"] = table["area_ha"].round(2)
        if table.empty and fmt is Format.table:
            typer.echo(f"geen eigen omtrek opgeslagen voor {site}")
            return
        emit_frame(table, fmt)

    @app.command("import")
    def import_(
        path: Annotated[
            Path, typer.Argument(help="GeoJSON, GeoPackage, zipped Shapefile, KML, CSV or XLSX.")
        ],
        layer: Annotated[
            str | None, typer.Option("--layer", help="Layer, sheet or Shapefile to read.")
        ] = None,
        buffer_points: Annotated[
            float | None,
            typer.Option("--buffer-points", help="Buffer points and lines by this many metres."),
        ] = None,
        fmt: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.json,
        out: Annotated[
            Path | None, typer.Option("--out", help="Write the cleaned locations to this .gpkg.")
        ] = None,
    ) -> None:
        """Validate a location file and report features, CRS, repairs, drops and warnings."""
        if out is not None:
            check_out(out)
        result = import_file(path, layer=layer, buffer_points_m=buffer_points)
        if out is not None:
            with atomic_path(out) as tmp:  # a failed write leaves an existing `out` as it was
                result.locations.to_file(tmp, layer=OUT_LAYER, driver="GPKG")
        summary = result.report.summary()
        if fmt is Format.json:
            emit_json(summary)
        else:
            emit_frame(pd.DataFrame([{**summary, "warnings": "; ".join(summary["warnings"])}]), fmt)

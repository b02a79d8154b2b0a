"""CLI commands: `locations` (the registry) and `import` (validate a user's file)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import pandas as pd
import typer

from locatiescan.atomic import atomic_path
from locatiescan.cli.output import Format, emit_frame, emit_json
from locatiescan.errors import InputError
from locatiescan.importers import import_file
from locatiescan.registry import REGISTRY_TYPES, load_locations

LIST_COLUMNS = ["id", "naam", "type", "gemeenten", "woningen", "geometrie_kwaliteit", "area_ha"]
OUT_LAYER = "locaties"


def locations_table(types: list[str] | None) -> pd.DataFrame:
    """The listing: one row per location, `LIST_COLUMNS`, area rounded to 0.01 ha."""
    frame = pd.DataFrame(load_locations(types or None)[LIST_COLUMNS])
    frame["area_ha"] = frame["area_ha"].round(2)
    return frame


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

    @app.command("locations")
    def locations(
        type_: Annotated[
            list[str] | None,
            typer.Option("--type", help=f"Location type, repeatable: {', '.join(REGISTRY_TYPES)}."),
        ] = None,
        fmt: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.table,
    ) -> None:
        """List locations: id, naam, type, gemeenten, woningen, geometrie_kwaliteit, area_ha.

        Without --type: the 43 policy locations (koploper, doorbraak, grootschalig).
        """
        emit_frame(locations_table(type_), fmt)

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

"""CLI command `screen`: overlay metrics per location, with the provenance of every layer.

Every output format carries the provenance: JSON in `bronnen`/`problemen`, CSV in a
`<layer>.bron` and a `<layer>.waarschuwing` column per layer (fallback warnings included).
Files are written atomically: a failed run leaves an existing output untouched.

A gemeente-level location (`geometrie_kwaliteit = "gemeente"`) has no metric of its own:
its layer values are empty and `niet_bepaald` gives the reason; what holds for the whole
gemeente is shown apart as `gemeente_context` (JSON: {"label": CONTEXT_LABEL, "lagen": ...};
CSV: a `gemeente_context` column with the label and `gemeente_context.<layer>.<metric>`).
Registry locations get the workspace's own outlines when the workspace file exists.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import geopandas as gpd
import pandas as pd
import typer

from locatiescan.atomic import write_bytes, write_text
from locatiescan.cli.inputs import WorkspaceOpt, command_context, registry_locations
from locatiescan.cli.output import Format, emit_frame, emit_json
from locatiescan.errors import InputError
from locatiescan.frame_csv import frame_csv
from locatiescan.importers import import_file
from locatiescan.location_table import REGISTRY_TYPES
from locatiescan.parallel import DASK_ENV, dask_address, screen_partitioned
from locatiescan.present import LOCAL_PATH
from locatiescan.screening import Screening, screen_locations
from locatiescan.screening_cache import screen_stored
from locatiescan.sitemetrics import CONTEXT_LABEL
from locatiescan.water_bodem import THEMES

ID_COLUMNS = ["id", "naam", "type"]
WITHHELD = "niet_bepaald"  # the reason a location has no metric of its own
CONTEXT = "gemeente_context"  # values of the whole gemeente, labelled CONTEXT_LABEL


def parse_theme_layers(values: list[str] | None) -> dict[str, Path]:
    """`THEMA=PAD` pairs → {theme: path}; every malformed pair is reported at once."""
    pairs, bad = {}, []
    for value in values or []:
        theme, sep, path = value.partition("=")
        if not sep or not theme.strip() or not path.strip():
            bad.append(value)
        else:
            pairs[theme.strip()] = Path(path.strip())
    if bad:
        shown = ", ".join(repr(b) for b in bad)
        msg = f"--theme-layer needs THEME=PATH ({', '.join(THEMES)}), got {shown}"
        raise InputError(msg, f"--theme-layer vraagt THEMA=PAD ({', '.join(THEMES)}), niet {shown}")
    return pairs


def read_locations(
    path: Path | None, types: list[str] | None, workspace: Path | None = None
) -> gpd.GeoDataFrame:
    """Locations from a user file or from the registry (exactly one of the two); registry
    sites with the own outlines of the workspace when its file exists (never created)."""
    if (path is None) == (not types):
        msg = "give either a location file or --type, not both and not neither"
        raise InputError(
            msg, "geef een locatiebestand óf --type (niet allebei, niet geen van beide)"
        )
    if path is not None:
        return import_file(path).locations
    return registry_locations(types, command_context(workspace))


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.astype(object).where(frame.notna(), None)


def screening_frame(locations: gpd.GeoDataFrame, screening: Screening) -> pd.DataFrame:
    """One row per location: id, naam, type, then every `<layer>.<metric>` column (typed
    columns, a missing value as NaN: `frame_csv` writes them without a detour through objects)."""
    names = pd.DataFrame(locations.reindex(columns=ID_COLUMNS)).set_index("id")
    return names.join(screening.table, how="right").rename_axis("id").reset_index()


def _grouped(record: dict[str, Any], columns: list[str]) -> dict[str, dict[str, Any]]:
    """`<layer>.<metric>` cells of a record as {layer: {metric: value}}."""
    layers: dict[str, dict[str, Any]] = {}
    for column in columns:
        layer, metric = column.split(".", 1)
        layers.setdefault(layer, {})[metric] = record[column]
    return layers


def screening_document(frame: pd.DataFrame, screening: Screening) -> dict[str, Any]:
    """The JSON document: per location its metrics grouped by layer, the reason when it has
    none of its own (`niet_bepaald`) and the gemeente-wide context apart; sources, problems."""
    metric_columns = [c for c in frame.columns if c not in ID_COLUMNS]
    context = _plain(screening.gemeente_context)
    locations = []
    for record in frame.to_dict(orient="records"):
        lid = record["id"]
        entry = {**{c: record[c] for c in ID_COLUMNS}, "lagen": _grouped(record, metric_columns)}
        entry[WITHHELD] = screening.niet_bepaald.get(lid)
        entry[CONTEXT] = None
        if lid in context.index:
            values = context.loc[lid].to_dict()
            entry[CONTEXT] = {"label": CONTEXT_LABEL, "lagen": _grouped(values, list(values))}
        locations.append(entry)
    return {
        "locaties": locations,
        "bronnen": {lid: p.to_dict() for lid, p in screening.provenance.items()},
        "problemen": screening.problemen,
    }


def with_provenance(frame: pd.DataFrame, screening: Screening) -> pd.DataFrame:
    """The CSV table: per layer a `<layer>.bron` (kind, date, source) and a `<layer>.waarschuwing`
    column (its Dutch warnings, or why the layer is unknown), the same on every row. Local
    file paths show only their file name (a CSV is shared; the JSON output keeps the paths)."""
    extra: dict[str, str] = {}
    for lid, prov in screening.provenance.items():
        extra[f"{lid}.bron"] = LOCAL_PATH.sub(r"\1", f"{prov.kind} {prov.date}: {prov.source}")
        extra[f"{lid}.waarschuwing"] = LOCAL_PATH.sub(r"\1", "; ".join(prov.warnings))
    for lid, reason in screening.problemen.items():
        extra.setdefault(f"{lid}.bron", "onbekend")
        extra[f"{lid}.waarschuwing"] = reason
    return frame.assign(**extra)


def with_context(frame: pd.DataFrame, screening: Screening) -> pd.DataFrame:
    """The CSV table with `niet_bepaald` (the reason, empty for a site with its own values), a
    `gemeente_context` column (CONTEXT_LABEL where there is context) and the gemeente-wide
    values as `gemeente_context.<layer>.<metric>` (empty for other locations)."""
    ids = frame["id"]
    context = screening.gemeente_context
    labelled = ids.isin(context.index)
    columns = {
        WITHHELD: ids.map(screening.niet_bepaald).astype(object),
        CONTEXT: pd.Series(CONTEXT_LABEL, index=frame.index, dtype=object).where(labelled),
    }
    values = context.reindex(ids.to_numpy()).add_prefix(f"{CONTEXT}.")
    values.index = frame.index
    return pd.concat([frame, pd.DataFrame(columns, index=frame.index), values], axis=1)


def check_out(out: Path, fmt: Format) -> None:
    """`--out` needs an existing folder and a suffix that fits the format (checked up front)."""
    if not out.parent.is_dir():
        msg = f"--out: folder {out.parent} does not exist"
        raise InputError(msg, f"--out: map {out.parent} bestaat niet")
    wanted = {Format.json: ".json", Format.csv: ".csv"}.get(fmt)
    if wanted is None or out.suffix.casefold() != wanted:
        suffixes = ".json (json) or .csv (csv)"
        msg = f"--out with --format {fmt.value} must end in {suffixes}, got {out.name}"
        nl = f"--out bij --format {fmt.value} moet eindigen op .json of .csv, niet {out.name}"
        raise InputError(msg, nl)


def register(app: typer.Typer) -> None:
    """Add the screening command to the app."""

    @app.command("screen")
    def screen(
        path: Annotated[
            Path | None,
            typer.Argument(
                help="Location file (GeoJSON, GeoPackage, zipped Shapefile, KML, CSV, XLSX)."
            ),
        ] = None,
        type_: Annotated[
            list[str] | None,
            typer.Option(
                "--type", help=f"Registry location type, repeatable: {', '.join(REGISTRY_TYPES)}."
            ),
        ] = None,
        layers: Annotated[
            str | None,
            typer.Option(
                "--layers", help="Comma-separated layer ids (default: every layer with metrics)."
            ),
        ] = None,
        offline: Annotated[
            bool, typer.Option("--offline", help="Use the cache and offline snapshots only.")
        ] = False,
        theme_layer: Annotated[
            list[str] | None,
            typer.Option(
                "--theme-layer",
                help=f"THEME=PATH: own GeoTIFF or vector file for a theme ({', '.join(THEMES)}).",
            ),
        ] = None,
        fmt: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.json,
        out: Annotated[
            Path | None, typer.Option("--out", help="Write to this .json or .csv file.")
        ] = None,
        workspace: WorkspaceOpt = None,
        workers: Annotated[
            int,
            typer.Option("--workers", min=1, help="Screen in chunks on this many local processes."),
        ] = 1,
        dask: Annotated[
            str | None,
            typer.Option(
                "--dask",
                help=f"Dask scheduler (tcp://host:port) to screen on; default ${DASK_ENV}.",
            ),
        ] = None,
    ) -> None:
        """Overlay metrics per location (Natura 2000, netcongestie, water & bodem), with sources.

        Registry locations with every layer come from the stored screening (recomputed when the
        data, the catalog or a location changes); `--workers` / `--dask` run chunks in parallel.
        """
        overrides = parse_theme_layers(theme_layer)
        layer_ids = (
            [lid.strip() for lid in layers.split(",") if lid.strip()]
            if layers is not None
            else None
        )
        if out is not None:
            check_out(out, fmt)
        locations = read_locations(path, type_, workspace)
        online = False if offline else None
        if workers > 1 or dask_address(dask) is not None:
            screening = screen_partitioned(
                locations, layer_ids, workers=workers, scheduler=dask, online=online,
                overrides=overrides or None,
            )  # fmt: skip
        elif path is None and layer_ids is None and not overrides:
            screening = screen_stored(locations, online=online)
        else:
            screening = screen_locations(
                locations, layer_ids, online=online, overrides=overrides or None
            )
        frame = screening_frame(locations, screening)
        if fmt is Format.csv:
            frame = with_context(with_provenance(frame, screening), screening)
        else:
            frame = _plain(frame)  # None, not NaN, in JSON and in the text table
        if out is None:
            if fmt is Format.json:
                emit_json(screening_document(frame, screening))
            else:
                emit_frame(frame, fmt)
            return
        if fmt is Format.json:
            text = json.dumps(
                screening_document(frame, screening), ensure_ascii=False, indent=2, default=str
            )
            write_text(out, text + "\n")
        else:
            write_bytes(out, frame_csv(frame))
        typer.echo(f"{len(frame)} locaties gescreend → {out}", err=True)

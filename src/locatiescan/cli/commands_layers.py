"""CLI commands: `layers` (catalog with source status) and `fetch` (one layer to a file)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import pyogrio
import typer

from locatiescan.atomic import atomic_path
from locatiescan.cli.output import Format, emit_frame, emit_json
from locatiescan.errors import InputError
from locatiescan.layers.fetch import (
    LayerData,
    check_bbox,
    get_layer,
    layer_status,
    resolve_layer,
    shipped_catalog,
)

VECTOR_SUFFIXES = {".gpkg": "GPKG", ".geojson": "GeoJSON", ".json": "GeoJSON"}
RASTER_SUFFIXES = {".tif", ".tiff"}


def status_table(statuses: list[dict[str, Any]]) -> pd.DataFrame:
    """One row per layer: the columns a reader scans first."""
    rows = []
    for status in statuses:
        reachable = [source["bereikbaar"] for source in status["online"]]
        tested = bool(reachable) and None not in reachable
        rows.append(
            {
                "id": status["id"],
                "titel": status["titel"],
                "online_bronnen": len(reachable),
                "bereikbaar": f"{sum(reachable)}/{len(reachable)}" if tested else "niet getest",
                "snapshot_peildatum": (status["snapshot"] or {}).get("peildatum") or "-",
                "cache": len(status["cache"]),
            }
        )
    return pd.DataFrame(rows)


def check_out(out: Path) -> None:
    """The output suffix must be one we can write."""
    allowed = [*VECTOR_SUFFIXES, *sorted(RASTER_SUFFIXES)]
    if out.suffix.lower() not in allowed:
        msg = f"{out.name}: unsupported output format; use {', '.join(allowed)}"
        raise InputError(msg, f"{out.name}: onbekend uitvoerformaat; gebruik {', '.join(allowed)}")


def write_layer(data: LayerData, out: Path) -> None:
    """Write features (GeoPackage in RD, GeoJSON in WGS84) or copy the raster, by suffix."""
    suffix = out.suffix.lower()
    is_raster = data.raster_path is not None
    if is_raster != (suffix in RASTER_SUFFIXES):
        kind, kind_nl = ("a raster", "een raster") if is_raster else ("vector data", "vectordata")
        use = ".tif" if is_raster else ".gpkg / .geojson"
        msg = f"{out.name}: layer {data.provenance.layer_id!r} is {kind}; use {use}"
        raise InputError(
            msg, f"{out.name}: laag {data.provenance.layer_id!r} is {kind_nl}; gebruik {use}"
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(out) as tmp:  # a failed write leaves an existing `out` as it was
        if data.raster_path is not None:
            shutil.copyfile(data.raster_path, tmp)
            return
        driver = VECTOR_SUFFIXES[suffix]
        frame = data.gdf if driver == "GPKG" else data.gdf.to_crs("EPSG:4326")
        pyogrio.write_dataframe(frame, tmp, driver=driver, layer=data.provenance.layer_id)


def register(app: typer.Typer) -> None:
    """Add the layers commands to the app."""

    @app.command("layers")
    def layers(
        fmt: Annotated[Format, typer.Option("--format", help="json or table")] = Format.table,
        check: Annotated[
            bool, typer.Option("--check", help="Test whether each online source answers")
        ] = False,
    ) -> None:
        """List the layer catalog with online sources, snapshot date and cache entries."""
        statuses = [layer_status(layer, check=check) for layer in shipped_catalog().values()]
        if fmt is Format.json:
            emit_json(statuses)
        else:
            emit_frame(status_table(statuses), fmt)

    @app.command("fetch")
    def fetch(
        layer_id: Annotated[str, typer.Argument(help="Layer id from `locatiescan layers`")],
        out: Annotated[
            Path, typer.Option("--out", help="Output file: .gpkg, .geojson (or .tif for rasters)")
        ],
        bbox: Annotated[
            str | None, typer.Option("--bbox", help="minx,miny,maxx,maxy in EPSG:28992")
        ] = None,
        url: Annotated[
            str | None, typer.Option("--url", help="Any WFS 2.0 URL instead of the catalog's")
        ] = None,
        typename: Annotated[
            str | None, typer.Option("--typename", help="Feature type at --url")
        ] = None,
        offline: Annotated[
            bool, typer.Option("--offline", help="Use only cache and snapshot")
        ] = False,
    ) -> None:
        """Fetch one layer through the provider chain, write it, print its provenance as JSON."""
        resolve_layer(layer_id)
        box = check_bbox(bbox)
        check_out(out)
        data = get_layer(
            layer_id, box, online=False if offline else None, url=url, typename=typename
        )
        write_layer(data, out)
        emit_json(
            {"out": str(out), "features": len(data.gdf), "provenance": data.provenance.to_dict()}
        )

"""CLI command `kansenkaart`: a model's layer criteria on a national grid, as a COG."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Annotated

import typer

from locatiescan.errors import InputError
from locatiescan.kansenkaart import RESOLUTIONS


def register(app: typer.Typer) -> None:
    """Add the `kansenkaart` command to `app`."""

    @app.command("kansenkaart")
    def kansenkaart(
        model: Annotated[Path, typer.Option("--model", help="Scoring model (YAML).")],
        out: Annotated[Path, typer.Option("--out", help="Output GeoTIFF (COG), e.g. kansen.tif.")],
        resolutie: Annotated[
            int, typer.Option("--resolutie", help=f"Cell size in metres: {RESOLUTIONS}.")
        ] = 100,
        venster: Annotated[
            int, typer.Option("--venster", min=64, max=4096, help="Cells per chunk side.")
        ] = 512,
    ) -> None:
        """Evaluate the model's layer criteria on a national grid (EPSG:28992)."""
        from locatiescan.context import ProjectContext
        from locatiescan.gemeenten import load_gemeenten
        from locatiescan.kansenkaart import RD, kansen_model, write_kansenkaart
        from locatiescan.layers.fetch import get_layer
        from locatiescan.scoring.io import load_model

        if out.suffix.lower() not in (".tif", ".tiff"):
            msg = f"--out must end in .tif, got {out.name}"
            raise InputError(msg, f"--out moet op .tif eindigen, niet {out.name}")
        context = ProjectContext.build()
        kansen = kansen_model(load_model(model), context.catalog)
        features = {item.layer.id: get_layer(item.layer).gdf.to_crs(RD) for item in kansen.criteria}
        started = time.perf_counter()
        grid = write_kansenkaart(
            kansen,
            features,
            load_gemeenten(context.data_root),
            out,
            float(resolutie),
            window_cells=venster,
        )
        summary = {
            "uitvoer": str(out),
            "resolutie_m": resolutie,
            "cellen": grid.width * grid.height,
            "breedte": grid.width,
            "hoogte": grid.height,
            "criteria": [item.criterion.id for item in kansen.criteria],
            "weggelaten": kansen.left_out,
            "seconden": round(time.perf_counter() - started, 1),
        }
        typer.echo(json.dumps(summary, ensure_ascii=False, indent=2))

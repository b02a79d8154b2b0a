"""Kansenkaarten computed once per model, data and resolution, kept in the cache folder.

The app never computes a national grid on page load. A kansenkaart for the Kaart is computed
on request (a button) through `kansenkaart.write_kansenkaart`, exactly as the CLI does, and kept
as `<cache folder>/kansenkaarten/<key>.tif`; later runs and other sessions read it. The key uses
the same versions as the stored screenings (`screening_cache`): format, code version, catalog
version, data version (the snapshot files' SHA-256 from the prepared snapshots), plus the CBS
gemeente shapes that decide land and water, the model's YAML text, the resolution and the mode
(online kansenkaarten are reused on the same UTC day only). The file is written atomically.

Run time: the cost is dominated by rasterizing the layers on the 10 m overlap sub-grid, which
does not depend on the resolution (six gemeenten: 24.8 s at 1000 m and 24.8 s at 250 m, >98 % in
`rasterio.features.rasterize`); the whole country took 262 s at 1000 m and 183 s at 250 m on the
shared, loaded 2-core machine. So `APP_RESOLUTION` is 250 m, the finest whose image still fits
`ui.kansenlaag.MAX_PX` without decimation (1,059 x 1,250 cells).
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path

from locatiescan import __version__
from locatiescan.errors import InputError
from locatiescan.kansenkaart import KansenModel, kansen_model
from locatiescan.layers import prepared

FORMAT = 1  # bump when the stored kansenkaart changes meaning
STORE_DIR_NAME = "kansenkaarten"
APP_RESOLUTION = 250
NO_GRID_CRITERIA = "Dit model heeft geen kaartlaag-criteria; een kansenkaart is niet mogelijk."


def grid_model(model_text: str, source: str = "model") -> KansenModel:
    """The part of a model (YAML text) a grid can evaluate; a clear Dutch error when nothing."""
    from locatiescan.layers.fetch import shipped_catalog
    from locatiescan.scoring.io import parse_model

    model = parse_model(model_text, source)
    try:
        return kansen_model(model, shipped_catalog())
    except InputError as err:
        msg = f"model {model.naam!r} has no layer criteria; a kansenkaart is not possible"
        raise InputError(msg, NO_GRID_CRITERIA) from err


def store_key(model_text: str, resolution: int, online: bool) -> str:
    """The stored file's name (without .tif): every version the kansenkaart depends on."""
    from locatiescan.gemeenten import GEMEENTEN_FILE, PROVINCIES_FILE
    from locatiescan.paths import data_file
    from locatiescan.screening_cache import catalog_version, data_version

    land = [prepared.file_sha256(data_file(f)) for f in (GEMEENTEN_FILE, PROVINCIES_FILE)]
    mode = f"online-{datetime.now(UTC).date().isoformat()}" if online else "offline"
    parts = [
        str(FORMAT), __version__, catalog_version(), data_version(), *land,
        hashlib.sha256(model_text.encode()).hexdigest(), str(resolution), mode,
    ]  # fmt: skip
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:24]


def stored_path(model_text: str, resolution: int, online: bool) -> Path:
    """Where the kansenkaart of this model, data and resolution is (or will be) kept."""
    key = store_key(model_text, resolution, online)
    return prepared.cache_root() / STORE_DIR_NAME / f"{key}.tif"


def computed_on(path: Path) -> str:
    """The UTC date a stored kansenkaart was written (ISO)."""
    return datetime.fromtimestamp(path.stat().st_mtime, UTC).date().isoformat()


def compute(model_text: str, resolution: int, online: bool) -> Path:
    """The stored kansenkaart, computed now when it is not there yet (minutes: see above)."""
    path = stored_path(model_text, resolution, online)
    if path.is_file():
        return path
    from locatiescan.gemeenten import load_gemeenten
    from locatiescan.kansenkaart import RD, write_kansenkaart
    from locatiescan.layers.fetch import get_layer

    kansen = grid_model(model_text)
    features = {
        item.layer.id: get_layer(item.layer, online=online).gdf.to_crs(RD)
        for item in kansen.criteria
    }
    write_kansenkaart(kansen, features, load_gemeenten(), path, float(resolution))
    return path

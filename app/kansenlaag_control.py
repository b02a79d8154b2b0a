"""Kaart: the kansenkaart as an overlay, switched on in the 'Kaartlagen' area.

Two sources, never a national grid on page load:
- the chosen scoring model: the kansenkaart stored in the cache folder for this model, data and
  resolution (`kansenkaart_store`, 250 m); when it is not there yet, a button computes it once
  (minutes), after which every session reads it;
- an own GeoTIFF made with `locatiescan kansenkaart`, uploaded (kept in this session's folder
  and opened through the upload gate; never a path the user types).

The rendered overlay is cached here (`overlay`), not in `cached.py`, so this feature adds no
import to that module's import block (which other work reorganises).
"""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

import streamlit as st

import cached
from locatiescan import kansenkaart_store
from locatiescan.errors import LocatiescanError
from locatiescan.present import nl_number
from locatiescan.ui.kansenlaag import (
    Kansenlaag,
    attributions,
    read_kansenkaart,
    reason_lines,
    render,
)
from locatiescan.ui.mapview import ImageLayer

SHOW_KEY = "kansenkaart"  # checkbox, also the query parameter
SOURCE_KEY = "kansenkaart_bron"
FOLDER_KEY = "kansenkaart_map"  # session state: this session's folder for uploaded kansenkaarten
FROM_MODEL = f"Gekozen scoremodel ({nl_number(kansenkaart_store.APP_RESOLUTION)} m)"
FROM_UPLOAD = "Eigen GeoTIFF (locatiescan kansenkaart)"


def control(choice: cached.ModelChoice) -> ImageLayer | None:
    """The kansenkaart switch and its source; the overlay to draw, or None."""
    if not st.checkbox("Kansenkaart (totaalscore)", key=SHOW_KEY, bind="query-params"):
        return None
    source = st.radio("Bron van de kansenkaart", [FROM_MODEL, FROM_UPLOAD], key=SOURCE_KEY)
    try:
        layer = _from_model(choice) if source == FROM_MODEL else _from_upload()
    except LocatiescanError as err:
        st.warning(err.nl)
        return None
    if layer is None:
        return None
    lines = reason_lines(layer)
    if lines:
        st.caption("Meest bepalende criterium op 0 punten: " + "; ".join(lines) + ".")
    return layer.image_layer()


def _from_model(choice: cached.ModelChoice) -> Kansenlaag | None:
    """The stored kansenkaart of the model; computed once on request when it is not there."""
    resolution, online = kansenkaart_store.APP_RESOLUTION, cached.online()
    path = kansenkaart_store.stored_path(choice.text, resolution, online)
    if not path.is_file():
        kansenkaart_store.grid_model(choice.text)  # a model without layer criteria: a message
        st.caption(
            f"Nog niet berekend voor {choice.label}: eenmalig enkele minuten rekenen, daarna "
            "direct beschikbaar (ook voor andere gebruikers)."
        )
        if not st.button("Kansenkaart berekenen", key="kansenkaart_berekenen"):
            return None
        with st.spinner("Kansenkaart berekenen…"):
            path = kansenkaart_store.compute(choice.text, resolution, online)
    stamp = str(path.stat().st_mtime_ns)
    return overlay(str(path), path.name, stamp, kansenkaart_store.computed_on(path))


def _from_upload() -> Kansenlaag | None:
    """An uploaded kansenkaart, kept under its content digest in this session's folder."""
    upload = st.file_uploader(
        "Kansenkaart (GeoTIFF)", type=["tif", "tiff"], key="kansenkaart_upload"
    )
    if upload is None:
        return None
    content = upload.getvalue()
    digest = hashlib.sha256(content).hexdigest()[:24]
    if FOLDER_KEY not in st.session_state:
        st.session_state[FOLDER_KEY] = tempfile.mkdtemp(prefix="locatiescan-kansenkaart-")
    path = Path(st.session_state[FOLDER_KEY]) / f"{digest}.tif"
    if not path.is_file():
        path.write_bytes(content)
    return overlay(str(path), Path(upload.name).name, digest, None)


@st.cache_data(show_spinner="Kansenkaart op de kaart zetten…", max_entries=8)
def overlay(path: str, name: str, stamp: str, datum: str | None) -> Kansenlaag:
    """A kansenkaart GeoTIFF (read through the upload gate) as a map overlay with its legend;
    `stamp` (content digest or modification time) keys the cache, `name` is shown in errors."""
    raster = read_kansenkaart(Path(path), name)
    return render(raster, attributions(raster, cached.catalog()), datum)

"""The own outline of a policy location: upload or draw it, store it, revert it, see its history.

Shown in the details of a selected policy location (Kaart). The outline is stored in the
workspace (`locatiescan.workspace.outlines`) with author, date and note; `cached.all_locations`
applies it, so every page and screening uses it (`geometrie_kwaliteit` "ingetekend").
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import shapely
import streamlit as st

import cached
from locatiescan import present
from locatiescan.errors import LocatiescanError
from locatiescan.importers import import_file
from locatiescan.location_table import POLICY_TYPES
from locatiescan.ui import mapview
from locatiescan.workspace.outlines import outline_history, revert_outline, set_outline

FILE_TYPES = ["geojson", "json", "gpkg", "zip", "kml"]
NOTICE_KEY = "omtrek_melding"
ROUND_KEY = "omtrek_ronde"
NO_NAME = "Vul eerst uw naam in (zijbalk)."
OUTLINED = "ingetekend"


def _uploaded_outline(upload) -> shapely.Geometry | None:
    """The uploaded file through the importer as one (Multi)Polygon (RD); None on errors."""
    with tempfile.TemporaryDirectory(prefix="locatiescan-omtrek-") as folder:
        path = Path(folder) / Path(upload.name).name
        path.write_bytes(upload.getvalue())
        try:
            imported = import_file(path, original_name=upload.name)
        except LocatiescanError as err:
            cached.show_error(err)
            return None
    for warning in imported.report.warnings_nl:
        st.warning(warning)
    return shapely.union_all(imported.locations.geometry.to_numpy())


def _round() -> int:
    """The uploader's generation: raised after a change so the upload box starts empty again."""
    return st.session_state.setdefault(ROUND_KEY, 0)


def _done(message: str) -> None:
    st.session_state[NOTICE_KEY] = message
    st.session_state[ROUND_KEY] = _round() + 1
    st.rerun()


def _store(location_id: str, geometry: shapely.Geometry, note: str) -> None:
    """Store the outline and rerun, or show why not."""
    if not cached.user_name():
        st.error(NO_NAME)
        return
    try:
        set_outline(cached.workspace(), location_id, geometry, cached.user_name(), note)
    except LocatiescanError as err:
        cached.show_error(err)
        return
    _done(f"Eigen omtrek opgeslagen voor {location_id}.")


def _revert(location_id: str, note: str) -> None:
    """Go back to the registry's footprint and rerun, or show why not."""
    if not cached.user_name():
        st.error(NO_NAME)
        return
    try:
        revert_outline(cached.workspace(), location_id, cached.user_name(), note)
    except LocatiescanError as err:
        cached.show_error(err)
        return
    _done(f"Omtrek van {location_id} teruggedraaid: de oorspronkelijke geometrie geldt weer.")


def _history_table(location_id: str) -> pd.DataFrame:
    history = pd.DataFrame(
        outline_history(cached.workspace(), location_id).drop(columns="geometry")
    )
    return pd.DataFrame(
        {
            "Actie": history["actie"],
            "Oppervlakte": history["area_ha"].map(lambda v: present.nl_number(v, 1, "ha")),
            "Notitie": history["notitie"],
            "Door": history["door"],
            "Op": history["op"].str[:16].str.replace("T", " "),
        }
    )


def show(row: pd.Series, drawing: dict | None = None) -> None:
    """The outline editor for the location `row` (a Location table row); nothing for
    non-policy locations. `drawing` is the map's last drawn feature (st_folium), if any."""
    if row["type"] not in POLICY_TYPES:
        return
    location_id = str(row["id"])
    cached.show_notice(NOTICE_KEY)
    with st.expander(
        "Eigen omtrek van deze locatie", expanded=row["geometrie_kwaliteit"] == OUTLINED
    ):
        if row["geometrie_kwaliteit"] == OUTLINED:
            st.info(
                f"De eigen omtrek wordt gebruikt ({present.nl_number(row['area_ha'], 1, 'ha')}) — "
                f"{present.text(row.get('geometrie_toelichting'))}"
            )
        else:
            st.caption(
                "Kent u de echte omtrek? Upload een bestand of teken een vlak op de kaart; "
                "die vervangt de indicatieve geometrie overal (screening, scores, exports)."
            )
        note = st.text_input(
            "Notitie (bron van de omtrek)", key=f"omtrek_notitie_{location_id}_{_round()}"
        )
        if row["geometrie_kwaliteit"] == OUTLINED and st.button(
            "Terug naar de oorspronkelijke geometrie", key=f"omtrek_terug_{location_id}"
        ):
            _revert(location_id, note)
        upload = st.file_uploader(
            "Omtrek uploaden (GeoJSON, GeoPackage, Shapefile-zip, KML)",
            type=FILE_TYPES,
            key=f"omtrek_upload_{location_id}_{_round()}",
        )
        if upload is not None:
            geometry = _uploaded_outline(upload)
            if geometry is not None:
                st.caption(f"Oppervlakte: {present.nl_number(geometry.area / 10_000, 1, 'ha')}")
                if st.button(
                    "Geüploade omtrek opslaan", key=f"omtrek_upload_opslaan_{location_id}"
                ):
                    _store(location_id, geometry, note)
        drawn = mapview.drawn_polygon(drawing)
        if drawn is not None and st.button(
            f"Getekend vlak ({present.nl_number(drawn.area / 10_000, 1, 'ha')}) als omtrek opslaan",
            key=f"omtrek_teken_opslaan_{location_id}",
        ):
            _store(location_id, drawn, note)
        history = _history_table(location_id)
        if not history.empty:
            st.caption("Geschiedenis")
            st.dataframe(history, hide_index=True, width="stretch")

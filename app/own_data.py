"""The user's own data from a page: location files (Kaart and Zelfscan) and water & bodem theme layers.

Locations go through the library's importer into the workspace. A theme layer is kept in a
folder of this session and used by every screening of the session (`cached.screening`); it is
only taken on when a screening with it succeeds, so a bad file never loses the previous one.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import geopandas as gpd
import streamlit as st

import cached
from locatiescan.errors import LocatiescanError
from locatiescan.importers import ImportResult, import_file, list_layers
from locatiescan.ui import mapview
from locatiescan.ui.labels import markdown_literal
from locatiescan.ui.locations import for_workspace
from locatiescan.ui.themes import (
    THEME_FILE_TYPES,
    derived_themes,
    known_count,
    stored_theme_path,
    theme_hint,
    theme_label,
)

LOCATION_FILE_TYPES = ["geojson", "json", "gpkg", "zip", "kml", "csv", "xlsx"]
THEME_FOLDER_KEY = "themalagen_map"  # session state: this session's folder for theme files
NO_NAME = "Vul eerst uw naam in (zijbalk)."


def _round(prefix: str) -> int:
    """The uploader's generation: raised after a stored upload so the box starts empty again."""
    return st.session_state.setdefault(f"{prefix}_ronde", 0)


def _next_round(prefix: str) -> None:
    st.session_state[f"{prefix}_ronde"] = _round(prefix) + 1


def store_locations(
    frame: gpd.GeoDataFrame, source: str, notice_key: str, report: dict | None = None
) -> bool:
    """Save locations in the workspace and leave a notice; False (with a Dutch error) when not saved."""
    if not cached.user_name():
        st.error(NO_NAME)
        return False
    try:
        ids = cached.workspace().add_locations(
            frame, source=source, who=cached.user_name(), report=report
        )
    except LocatiescanError as err:
        cached.show_error(err)
        return False
    st.session_state[notice_key] = f"Opgeslagen: {', '.join(ids)}"
    return True


def _import(upload, layer_key: str) -> ImportResult | None:
    """The uploaded file through the importer (a layer choice for multi-layer files); None on errors."""
    with tempfile.TemporaryDirectory(prefix="locatiescan-upload-") as folder:
        path = Path(folder) / Path(upload.name).name
        path.write_bytes(upload.getvalue())
        try:
            layers = list_layers(path, original_name=upload.name)
            layer = st.selectbox("Laag", layers, key=layer_key) if len(layers) > 1 else None
            return import_file(path, layer=layer, original_name=upload.name)
        except LocatiescanError as err:
            cached.show_error(err)
            return None


def location_upload(prefix: str, notice_key: str, button: str) -> None:
    """Upload box for own locations: import, report, preview, and a button that adds them to the
    workspace (then the page reruns and shows them). Widget keys start with `prefix`."""
    upload = st.file_uploader(
        "GeoJSON, GeoPackage, Shapefile (zip), KML, CSV of XLSX",
        type=LOCATION_FILE_TYPES,
        key=f"{prefix}_upload_{_round(prefix)}",
    )
    if upload is None:
        return
    imported = _import(upload, f"{prefix}_upload_laag")
    if imported is None:
        return
    report = imported.report
    st.caption(
        f"{report.features} object(en), coördinatenstelsel {report.crs}"
        f"{' (aangenomen)' if report.crs_assumed else ''}; {report.repaired} hersteld, "
        f"{report.dropped} weggelaten."
    )
    for warning in report.warnings:
        st.warning(warning)
    st.dataframe(mapview.popup_table(imported.locations), hide_index=True, width="stretch")
    if st.button(button, key=f"{prefix}_upload_opslaan") and store_locations(
        for_workspace(imported.locations), f"upload: {upload.name}", notice_key, report.summary()
    ):
        _next_round(prefix)
        st.rerun()


def _theme_folder() -> Path:
    """This session's folder for uploaded theme files (made on first use)."""
    if THEME_FOLDER_KEY not in st.session_state:
        st.session_state[THEME_FOLDER_KEY] = tempfile.mkdtemp(prefix="locatiescan-themalagen-")
    return Path(st.session_state[THEME_FOLDER_KEY])


def theme_layer_upload(prefix: str, notice_key: str, locations: gpd.GeoDataFrame) -> None:
    """Choose a water & bodem theme and upload a GeoTIFF or vector file for it; the session's
    screenings use it once a screening of `locations` with it succeeds. Lists the layers in use."""
    catalog = cached.catalog()
    active = cached.theme_layers()
    for theme, path in active.items():
        text_col, button_col = st.columns([3, 1])
        text_col.caption(
            markdown_literal(f"In gebruik — {theme_label(theme, catalog)}: {Path(path).name}")
        )
        if button_col.button("Verwijderen", key=f"{prefix}_thema_weg_{theme}"):
            st.session_state[cached.THEME_LAYERS_KEY] = {
                t: p for t, p in active.items() if t != theme
            }
            st.rerun()
    theme = st.selectbox(
        "Thema",
        derived_themes(catalog),
        format_func=lambda t: theme_label(t, catalog),
        key=f"{prefix}_thema",
    )
    st.caption(theme_hint(theme))
    upload = st.file_uploader(
        "GeoTIFF, GeoJSON of GeoPackage",
        type=THEME_FILE_TYPES,
        key=f"{prefix}_thema_upload_{_round(f'{prefix}_thema')}",
    )
    if upload is None or not st.button(
        "Gebruiken in de screening", key=f"{prefix}_thema_gebruiken"
    ):
        return
    content = upload.getvalue()
    path = stored_theme_path(_theme_folder(), theme, upload.name, content)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    chosen = {**active, theme: str(path)}
    try:
        with st.spinner("Screenen met de eigen laag…"):
            screened = cached.screening(cached.frame_key(locations), locations, chosen)
    except LocatiescanError as err:
        if str(path) not in active.values():
            shutil.rmtree(path.parent, ignore_errors=True)
        st.error(
            markdown_literal(
                f"Eigen laag {upload.name} niet gebruikt: {err.nl.replace(str(path), upload.name)}"
            )
        )
        return
    st.session_state[cached.THEME_LAYERS_KEY] = chosen
    st.session_state[notice_key] = (
        f"Eigen laag {upload.name} gebruikt voor {theme_label(theme, catalog).lower()}: "
        f"{known_count(screened.table, theme, catalog)} van {len(locations)} locaties hebben "
        f"nu een klasse voor dit thema."
    )
    _next_round(f"{prefix}_thema")
    st.rerun()

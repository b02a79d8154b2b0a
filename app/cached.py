"""Cached loaders and session helpers shared by the pages (the only Streamlit-aware glue).

Pure logic lives in `locatiescan.ui`; this module wraps the library's I/O in `st.cache_data` /
`st.cache_resource` so reruns and other sessions reuse it. Arguments whose name starts with `_`
are not hashed; a cheap key argument (ids + geometry digest) stands in for them.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
import streamlit as st

from locatiescan.context import ProjectContext
from locatiescan.errors import LocatiescanError
from locatiescan.gemeenten import load_gemeenten
from locatiescan.indicators import indicators_for_locations
from locatiescan.layers.catalog import LayerDef
from locatiescan.layers.fetch import get_layer
from locatiescan.paths import DEFAULT_WERKRUIMTE, data_file, workspace_path
from locatiescan.prepare import prepare_inputs
from locatiescan.registry import load_locations
from locatiescan.scoring import ScoreResult, ScoringModel, parse_model, score
from locatiescan.scoring.sources import Known
from locatiescan.screening import Screening, screen_locations
from locatiescan.screening_cache import screen_stored
from locatiescan.ui.labels import markdown_literal
from locatiescan.ui.locations import as_location_table
from locatiescan.ui.mapview import Basemap, Overlay, label_points, to_display
from locatiescan.ui.overlays import DISPLAY_TOLERANCE_M, eib_overlay_from, overlay_for_layer
from locatiescan.ui.overlays import report_overlays as report_overlay_ids
from locatiescan.workspace import Workspace, WorkspaceError
from locatiescan.workspace.outlines import apply_outlines
from locatiescan.workspace.voortgang import ppm_records

PROVINCES_FILE = "cbs/provincies_2022_from_gemeenten.geojson"
GEMEENTEN_FILE = "cbs/gemeenten_2022.geojson"
LOCATION_DISPLAY_COLUMNS = ["id", "geometrie_kwaliteit"]
EIB_DISPLAY_COLUMNS = ["naam", "gemeenten", "woningen", "planstatus"]
THEME_LAYERS_KEY = "themalagen"  # session state: theme -> path of the user's own layer


def frame_key(locations: gpd.GeoDataFrame) -> str:
    """A digest of ids and geometries: the cache key standing in for a location frame."""
    digest = hashlib.sha256()
    digest.update("|".join(locations["id"].astype(str)).encode())
    for wkb in locations.geometry.to_wkb():
        digest.update(wkb or b"")
    return digest.hexdigest()


WERKRUIMTE_KEY = "werkruimte_actief"  # session state: slug of the chosen werkruimte


def werkruimte() -> str:
    """The werkruimte this session works in (chosen in the sidebar; 'standaard' by default)."""
    return st.session_state.get(WERKRUIMTE_KEY) or DEFAULT_WERKRUIMTE


def workspace() -> Workspace:
    """The chosen werkruimte's workspace database: own locations, answers, models, decisions.

    A workspace that cannot be opened (damaged, 0 bytes) stops the page with the Dutch reason
    and how to restore it, instead of a traceback."""
    try:
        return _workspace(werkruimte())
    except WorkspaceError as err:
        show_error(err)
        st.stop()


@st.cache_resource(show_spinner=False)
def _workspace(slug: str) -> Workspace:
    """One open workspace per werkruimte, shared by every session (it serialises its writes)."""
    return Workspace.open(workspace_path(slug))


def context() -> ProjectContext:
    """The project context of the chosen werkruimte: settings, catalogs, preset models and its
    workspace, built once per werkruimte and shared by every session."""
    return _context(werkruimte(), workspace())


@st.cache_resource(show_spinner=False)
def _context(slug: str, _ws: Workspace) -> ProjectContext:
    return ProjectContext.build(workspace=_ws)


def data_root() -> Path:
    """The data root of the project context."""
    return context().data_root


def policy_locations() -> gpd.GeoDataFrame:
    """The policy sites (42: KL-01 and DB-16 are one site), with their programmes."""
    return _policy_locations(data_root())


@st.cache_data(show_spinner="Locaties laden…")
def _policy_locations(root: Path) -> gpd.GeoDataFrame:
    return load_locations(root=root)


def eib_plans() -> gpd.GeoDataFrame:
    """The 4,348 EIB plan polygons."""
    return _eib_plans(data_root())


@st.cache_data(show_spinner="Plancapaciteit 2020 (EIB) laden…")
def _eib_plans(root: Path) -> gpd.GeoDataFrame:
    return load_locations(["plancapaciteit"], root=root)


def own_locations() -> gpd.GeoDataFrame:
    """The user's imported and drawn locations from the workspace (not cached: it changes)."""
    return as_location_table(workspace().locations())


def all_locations() -> gpd.GeoDataFrame:
    """Policy locations (with their stored own outlines) followed by the user's own locations."""
    own = own_locations()
    policy = apply_outlines(policy_locations(), workspace())
    if own.empty:
        return policy
    return gpd.GeoDataFrame(
        pd.concat([policy, own], ignore_index=True), geometry="geometry", crs=policy.crs
    )


def catalog() -> Mapping[str, LayerDef]:
    """The layer catalog (of the project context)."""
    return context().catalog


def basemap() -> Basemap:
    """The base map: PDOK tiles when the settings allow going online, and always the offline
    context (land, gemeente and province boundaries, names) from the data root."""
    return _basemap(data_root(), online())


@st.cache_resource(show_spinner=False)
def _basemap(root: Path, is_online: bool) -> Basemap:
    """One shared, read-only base map per data root (its GeoJSON is built once)."""
    provinces = gpd.read_file(data_file(PROVINCES_FILE, root))
    gemeenten_2022 = gpd.read_file(data_file(GEMEENTEN_FILE, root))
    return Basemap(
        to_display(provinces, [], 150.0),
        to_display(gemeenten_2022, [], 150.0),
        label_points(provinces, "statnaam"),
        label_points(gemeenten_2022, "statnaam"),
        online=is_online,
    )


def online() -> bool:
    """Whether online sources (and the PDOK tiles) may be used."""
    return context().online


@st.cache_data(show_spinner=False)
def locations_display(key: str, _locations: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Display copy of a location frame (key = `frame_key(_locations)`)."""
    return to_display(_locations, LOCATION_DISPLAY_COLUMNS, 10.0)


@st.cache_data(show_spinner="Plancapaciteit vereenvoudigen voor de kaart…")
def eib_display() -> gpd.GeoDataFrame:
    """Display copy of the EIB plans."""
    return to_display(eib_plans(), EIB_DISPLAY_COLUMNS, DISPLAY_TOLERANCE_M["plancapaciteit"])


@st.cache_resource(show_spinner=False)
def eib_overlay() -> Overlay:
    """The EIB plans as a map overlay (not screened: drawn for context); shared, read-only."""
    return eib_overlay_from(eib_display())


def gemeenten() -> gpd.GeoDataFrame:
    """Gemeente polygons 2022 (RD) for naming drawn locations."""
    return _gemeenten(data_root())


@st.cache_data(show_spinner=False)
def _gemeenten(root: Path) -> gpd.GeoDataFrame:
    return load_gemeenten(root)


def theme_layers() -> dict[str, str]:
    """The session's own water & bodem theme layers still on disk: theme -> file path."""
    return {
        theme: path
        for theme, path in (st.session_state.get(THEME_LAYERS_KEY) or {}).items()
        if Path(path).is_file()
    }


def screening(
    key: str, locations: gpd.GeoDataFrame, overrides: Mapping[str, str] | None = None
) -> Screening:
    """Screening of a location frame against every catalog layer (key = `frame_key`), with the
    session's own theme layers unless `overrides` names others."""
    chosen = theme_layers() if overrides is None else overrides
    return _screening(key, locations, tuple(sorted(chosen.items())))


@st.cache_data(
    show_spinner=False, max_entries=16
)  # callers wrap it in st.spinner (a fixed element)
def _screening(
    key: str, _locations: gpd.GeoDataFrame, overrides: tuple[tuple[str, str], ...]
) -> Screening:
    """Opened from the stored screening (new or edited locations screened alone and added);
    with the session's own theme layers screened afresh."""
    if overrides:
        return screen_locations(_locations, overrides=dict(overrides))
    return screen_stored(_locations)


def indicators(key: str, locations: gpd.GeoDataFrame) -> pd.DataFrame:
    """Gemeente indicators per location (key = `frame_key`)."""
    return _indicators(key, data_root(), locations)


@st.cache_data(show_spinner=False, max_entries=16)
def _indicators(key: str, root: Path, _locations: gpd.GeoDataFrame) -> pd.DataFrame:
    return indicators_for_locations(_locations, root)


@st.cache_resource(show_spinner="Kaartlaag laden…")
def overlay(layer_id: str) -> Overlay:
    """A catalog layer prepared for the map (simplified, EPSG:4326); shared, read-only, so its
    GeoJSON is built once."""
    layer = catalog()[layer_id]
    return overlay_for_layer(layer, layer_frame(layer_id))


def report_overlays() -> dict[str, gpd.GeoDataFrame]:
    """The layers the catalog draws on report maps (`kaart.in_rapport`), display-simplified,
    by their Dutch title."""
    return {
        title: overlay(layer_id).gdf for layer_id, title in report_overlay_ids(catalog()).items()
    }


@st.cache_data(show_spinner="Kaartlaag laden…")
def layer_frame(layer_id: str) -> gpd.GeoDataFrame:
    """A catalog layer's features (EPSG:28992) through the fetch chain."""
    return get_layer(catalog()[layer_id]).gdf


@dataclass(frozen=True)
class ModelChoice:
    """A scoring model the user can pick: a preset file or a model saved in the workspace."""

    key: str  # model id for answers and decisions: file stem (preset) or saved name
    label: str
    text: str
    preset: bool


@st.cache_data(show_spinner=False)
def preset_models() -> dict[str, ModelChoice]:
    """The preset models in scoring/*.yaml."""
    return {
        entry.path.stem: ModelChoice(
            entry.path.stem,
            f"{entry.naam} (standaard)",
            entry.path.read_text(encoding="utf-8"),
            True,
        )
        for entry in context().models
    }


def model_choices() -> dict[str, ModelChoice]:
    """Preset models followed by the models saved in the workspace (latest version)."""
    choices = dict(preset_models())
    saved = workspace().models()
    for name in saved["naam"]:
        choices[name] = ModelChoice(
            name, f"{name} (eigen model)", workspace().load_model_text(name), False
        )
    return choices


def known() -> Known:
    """What a model may refer to in this werkruimte now (its current milestone list included)."""
    return context().known()


def parsed_model(text: str, source: str) -> ScoringModel:
    """A validated model from YAML text, checked against `known()`; cached by the text and the
    werkruimte's milestones."""
    return _parsed_model(text, source, tuple(known().milestone_ids()))


@st.cache_data(show_spinner=False, max_entries=32)
def _parsed_model(text: str, source: str, milestones: tuple[str, ...]) -> ScoringModel:
    return parse_model(text, source, dataclasses.replace(known(), milestones=milestones))


def answers() -> pd.DataFrame:
    """The workspace's current facts per location (index: location id); a model's
    `vraag.<id>` reads column `<id>`, so answers survive a change of model."""
    return workspace().facts()


def _workspace_state() -> str:
    """A digest of what scoring reads from the workspace: stored facts and PPM rows."""
    digest = hashlib.sha256(answers().to_csv().encode())
    digest.update(ppm_records(workspace()).to_csv().encode())
    return digest.hexdigest()


@st.cache_data(show_spinner=False, max_entries=32)
def _scores(
    text: str,
    key: str,
    state: str,
    slug: str,
    _locations: gpd.GeoDataFrame,
    _screening: Screening,
) -> ScoreResult:
    model = parsed_model(text, "model")
    inputs = prepare_inputs(
        model,
        _locations,
        context(),
        screening=_screening,
        indicators_of=lambda locations: indicators(key, locations),
    )
    return score(model, inputs)


def scores_for_text(text: str, locations: gpd.GeoDataFrame, screened: Screening) -> ScoreResult:
    """Scores of a model given as YAML text, with the inputs `prepare_inputs` gathers: the
    dossier's answers (stored facts over what the registry states) and the PPM delays at the
    latest peilmoment of the workspace; the same inputs as `locatiescan score`."""
    state = _workspace_state()
    return _scores(text, frame_key(locations), state, werkruimte(), locations, screened)


def scores(model_key: str, locations: gpd.GeoDataFrame, screened: Screening) -> ScoreResult:
    """Scores of a chosen model (preset or saved) over the locations."""
    return scores_for_text(model_choices()[model_key].text, locations, screened)


def user_name() -> str:
    """The name the user entered in the sidebar ('' when none)."""
    return str(st.session_state.get("gebruiker", "")).strip()


def show_error(err: LocatiescanError) -> None:
    """The Dutch message of a library error (file names shown as written)."""
    st.error(markdown_literal(err.nl))


def show_notice(key: str) -> None:
    """Show, once, the success message an earlier run left in session state under `key`.

    The message sits in a container that is always there, so the elements after it keep their
    place (an open expander stays open)."""
    slot = st.container()
    if st.session_state.get(key):
        slot.success(markdown_literal(st.session_state[key]))
    st.session_state[key] = None

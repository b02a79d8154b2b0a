"""Page logic through Streamlit's AppTest (no browser): every page runs, filters, model editing,
decisions. Offline sources only; a temporary workspace per module."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import rasterio
import streamlit as st
from rasterio.transform import from_origin
from shapely.geometry import box
from streamlit.testing.v1 import AppTest

from locatiescan.registry import load_locations
from locatiescan.screening import screen_locations
from locatiescan.ui.filters import LocationFilter, apply_filter
from locatiescan.workspace import Workspace

APP_DIR = Path(__file__).resolve().parents[1] / "app"
_SPEC = importlib.util.spec_from_file_location("app_navigation", APP_DIR / "navigation.py")
navigation = sys.modules.setdefault("app_navigation", importlib.util.module_from_spec(_SPEC))
_SPEC.loader.exec_module(navigation)  # the app's page list, read without Streamlit
ENTRY = str(APP_DIR / "streamlit_app.py")
TIMEOUT_S = 180
USER = "Tester"


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    path = tmp_path_factory.mktemp("ws") / "workspace.sqlite"
    patch = pytest.MonkeyPatch()
    patch.setenv("LOCATIESCAN_WORKSPACE", str(path))
    patch.setenv("LOCATIESCAN_ONLINE", "0")
    patch.syspath_prepend(str(APP_DIR))
    st.cache_resource.clear()  # cached.workspace() must open this module's file
    ws = Workspace.open(path)
    own = gpd.GeoDataFrame(
        {
            "naam": ["Eigen A", "Eigen B"],
            "type": ["eigen", "eigen"],
            "geometrie_kwaliteit": ["eigen", "eigen"],
            "woningen": [300, 80],
            "gemeentecodes": ["GM0344", "GM0344"],
            "gemeenten": ["Utrecht", "Utrecht"],
        },
        geometry=[box(130000, 455000, 131000, 456000), box(132000, 455000, 132500, 455500)],
        crs="EPSG:28992",
    )
    ws.add_locations(own, source="test", who=USER)
    yield ws
    patch.undo()
    sys.modules.pop("cached", None)
    st.cache_resource.clear()


def run_page(page: str, user: str = "", **state: object) -> AppTest:
    at = AppTest.from_file(ENTRY, default_timeout=TIMEOUT_S)
    at.session_state["gebruiker"] = user
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    at.switch_page(f"views/{page}.py").run()
    return at


def no_exception(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


@pytest.mark.parametrize("page", navigation.PAGES, ids=lambda p: p.slug)
def test_every_page_runs(workspace: Workspace, page: navigation.PageDef):
    """Every page of the navigation (app/navigation.py), so a new page is tested too."""
    at = run_page(page.slug)
    no_exception(at)
    assert at.title[0].value == page.title


def caption_texts(at: AppTest) -> list[str]:
    return [c.value for c in at.caption]


def test_kaart_counts_policy_and_own_locations(workspace: Workspace):
    # 42 policy sites (43 list rows; KL-01 and DB-16 are one site) + 2 own = 44
    at = run_page("kaart")
    assert "44 van 44 locaties getoond" in caption_texts(at)
    at.multiselect(key="typen").set_value(["koploper"]).run()
    assert "5 van 44 locaties getoond" in caption_texts(at)  # KL-01 … KL-05
    no_exception(at)


def test_kaart_natura2000_filter_matches_the_library(workspace: Workspace):
    policy = load_locations()
    expected = apply_filter(
        policy,
        screen_locations(policy, online=False).table,
        LocationFilter(types=("doorbraak",), zonder_natura2000=True),
    ).ids
    at = run_page("kaart")
    at.multiselect(key="typen").set_value(["doorbraak"])
    at.checkbox(key="zonder_natura2000").check().run()
    assert f"{len(expected)} van 44 locaties getoond" in caption_texts(at)
    # 23 doorbraak sites (DB-01 … DB-23 without DB-16, plus KL-01 = DB-16); some overlap Natura 2000
    assert 0 < len(expected) < 23
    no_exception(at)


def top_line(at: AppTest) -> str:
    return next(m.value for m in at.markdown if m.value.startswith("**Top"))


def test_shortlist_weights_reorder_and_bad_weights_are_refused(workspace: Workspace):
    at = run_page("shortlist")
    at.selectbox(key="shortlist_model").set_value("kansrijk_bouwen").run()
    before = top_line(at)
    at.number_input(key="shortlist_w_kansrijk_bouwen_kwaliteit").set_value(0.0)
    at.number_input(key="shortlist_w_kansrijk_bouwen_haalbaarheid").set_value(0.0).run()
    assert top_line(at) != before
    at.number_input(key="shortlist_w_kansrijk_bouwen_woningbehoefte").set_value(0.0).run()
    assert any("gewichten moeten 0 of meer zijn en niet allemaal 0" in e.value for e in at.error)


def test_decision_needs_a_name_then_is_kept(workspace: Workspace):
    at = run_page("shortlist")
    at.button(key="FormSubmitter:shortlist_besluit-Besluit vastleggen").click().run()
    assert any("Kies eerst de locatie" in e.value for e in at.error)  # no default location
    location = "DB-01"  # a doorbraak site (the default programme)
    at.selectbox(key="shortlist_besluit_locatie").set_value(location)
    at.button(key="FormSubmitter:shortlist_besluit-Besluit vastleggen").click().run()
    assert any("Vul eerst uw naam in" in e.value for e in at.error)
    at = run_page("shortlist", user=USER)
    at.selectbox(key="shortlist_besluit_locatie").set_value(location)
    at.radio(key="shortlist_besluit_keuze").set_value("op_shortlist")
    at.text_area(key="shortlist_besluit_notitie").input("kansrijk")
    at.button(key="FormSubmitter:shortlist_besluit-Besluit vastleggen").click().run()
    history = workspace.decision_history(location, "doorbraak_shortlist")
    assert history[["besluit", "notitie", "door"]].values.tolist() == [
        ["op_shortlist", "kansrijk", USER]
    ]
    no_exception(at)


def test_zelfscan_model_editing_validates_saves_and_resets(workspace: Workspace):
    at = run_page("zelfscan", user=USER)
    no_exception(at)
    assert any(s.value == "Het aangepaste model is geldig." for s in at.success)
    at.number_input(key="zelfscan_pw_doorbraak_shortlist_grondposities").set_value(0.9).run()
    assert any("pijlergewichten tellen op tot 1.7" in e.value for e in at.error)
    assert at.button(key="zelfscan_opslaan").disabled
    at.number_input(key="zelfscan_pw_doorbraak_shortlist_grondposities").set_value(0.1)
    at.number_input(key="zelfscan_pw_doorbraak_shortlist_planologische_status").set_value(
        0.35
    ).run()
    assert any(s.value == "Het aangepaste model is geldig." for s in at.success)
    at.text_input(key="zelfscan_opslaan_naam_doorbraak_shortlist").input("Mijn doorbraakmodel")
    at.button(key="zelfscan_opslaan").click().run()
    saved = workspace.saved_model("Mijn doorbraakmodel")
    assert (saved.based_on, saved.who, saved.version) == ("doorbraak_shortlist", USER, 1)
    assert "naam: Mijn doorbraakmodel" in saved.yaml_text and "gewicht: 0.35" in saved.yaml_text
    at.button(key="zelfscan_reset").click().run()
    assert at.number_input(
        key="zelfscan_pw_doorbraak_shortlist_grondposities"
    ).value == pytest.approx(0.2)
    no_exception(at)


def test_zelfscan_scores_own_projects(workspace: Workspace):
    at = run_page("zelfscan", user=USER)
    labels = {m.label: m.value for m in at.metric}
    assert set(labels) >= {"Totaalscore", "Prioriteitsklasse", "Inzet (uren per maand)"}
    assert labels["Prioriteitsklasse"] in {"shortlist", "kandidaat", "longlist", "onbekend"}
    no_exception(at)


def metric_value(at: AppTest, label_end: str) -> str:
    """The 'Waarde' of the detail table's row whose 'Maat' ends with `label_end`."""
    table = next(d.value for d in at.dataframe if list(d.value.columns) == ["Maat", "Waarde"])
    return table.loc[table["Maat"].str.endswith(label_end), "Waarde"].item()


def test_own_theme_layer_is_used_on_kaart_and_named_in_bronnen(
    workspace: Workspace, tmp_path: Path
):
    # Synthetic bodemdaling raster: 45 cm (rules: 30-60 cm = B) over Eigen A only (x 130000-131000).
    raster = tmp_path / "synthetic_bodemdaling.tif"
    with rasterio.open(
        raster,
        "w",
        driver="GTiff",
        width=12,
        height=12,
        count=1,
        dtype="float32",
        crs="EPSG:28992",
        transform=from_origin(129_900, 456_100, 100, 100),
    ) as dst:
        dst.write(np.full((1, 12, 12), 45.0, dtype="float32"))
    ids = dict(zip(workspace.locations()["naam"], workspace.locations()["id"]))
    at = run_page("kaart", themalagen={"bodemdaling": str(raster)})
    # the markdown source: the file name's `_` escaped, so it reads as written
    assert (
        r"Screening met eigen themalaag — Bodemdaling: eigen laag synthetic\_bodemdaling.tif"
        in caption_texts(at)
    )
    at.selectbox(key="locatie").set_value(ids["Eigen A"]).run()
    assert metric_value(at, ": bodemdaling") == "B: ja, mits"  # class B, its catalog label
    at.selectbox(key="locatie").set_value(ids["Eigen B"]).run()
    assert metric_value(at, ": bodemdaling") == "onbekend"
    no_exception(at)
    at.switch_page("views/bronnen.py").run()
    assert any(r"Bodemdaling: eigen laag synthetic\_bodemdaling.tif" in i.value for i in at.info)
    no_exception(at)


def test_kaart_gemeente_level_location_shows_the_reason_and_the_gemeente_as_context(
    workspace: Workspace,
):
    at = run_page("kaart")
    at.multiselect(key="typen").set_value(["doorbraak"]).run()
    # DB-01 … DB-23 without DB-16 (22) + KL-01, which is DB-16 too
    assert "23 van 44 locaties getoond" in caption_texts(at)
    at.selectbox(key="locatie").set_value("DB-07").run()  # Arnhem: only the gemeente is known
    assert any(
        i.value == "Locatiematen niet te bepalen: alleen de gemeente is bekend." for i in at.info
    )
    context = next(d.value for d in at.dataframe if "Hele gemeente" in d.value.columns)
    assert list(context.columns) == ["Maat", "Hele gemeente"] and len(context) > 0
    assert any("geldt voor de hele gemeente, niet voor de locatie" in c for c in caption_texts(at))
    no_exception(at)


def test_shortlist_counts_homes_once_and_compares_with_the_doorbraak_target(
    workspace: Workspace,
):
    at = run_page("shortlist")
    texts = caption_texts(at)
    # 23 doorbraak sites: ranges' minima 5.000 (KL-01) + 5.000 + 6.500 + 63.000 + 20.000
    # = 99.500, plus 18 thresholds of 2.500 = 45.000: at least 144.500 ≥ 100.000
    assert any(t.startswith("Woningen: ") and "(23 locaties)" in t for t in texts), texts
    assert (
        "Doel van ten minste 100.000 woningen gehaald: samen ten minste 144.500 woningen." in texts
    )
    no_exception(at)

"""Workspace database: locations, answers, decisions, models, assessments, migrations, errors."""

from __future__ import annotations

import sqlite3

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from locatiescan.errors import InputError
from locatiescan.workspace import (
    LATEST_VERSION,
    Workspace,
    WorkspaceBusyError,
    WorkspaceConflictError,
    WorkspaceError,
    store,
)
from locatiescan.workspace.migrations import migrate, schema_version

MODEL_YAML = "naam: mijn model\npijlers: {}\n"


@pytest.fixture
def ws(tmp_path):
    return Workspace.open(tmp_path / "ws.sqlite")


def squares(names, crs="EPSG:28992", size=100.0):
    """One size x size square per name, 1 km apart, with a `woningen` attribute."""
    geoms = [shapely.box(i * 1000, 0, i * 1000 + size, size) for i in range(len(names))]
    return gpd.GeoDataFrame(
        {"naam": names, "woningen": [100 * (i + 1) for i in range(len(names))]},
        geometry=geoms,
        crs=crs,
    )


# -- opening ------------------------------------------------------------------------------


def test_open_creates_file_folders_wal_and_latest_schema(tmp_path):
    path = tmp_path / "nieuw" / "dieper" / "ws.sqlite"
    Workspace.open(path)
    conn = sqlite3.connect(path)
    assert schema_version(conn) == LATEST_VERSION == 4
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_open_uses_workspace_env(tmp_path, monkeypatch):
    monkeypatch.setenv("LOCATIESCAN_WORKSPACE", str(tmp_path / "env" / "ws.sqlite"))
    assert Workspace.open().path == tmp_path / "env" / "ws.sqlite"
    assert (tmp_path / "env" / "ws.sqlite").exists()


def test_open_fails_clearly_when_folder_cannot_be_made(tmp_path):
    (tmp_path / "bestand").write_text("geen map")
    with pytest.raises(WorkspaceError) as err:
        Workspace.open(tmp_path / "bestand" / "ws.sqlite")
    assert "werkruimte" in err.value.nl


def test_open_rejects_a_file_that_is_not_a_database(tmp_path):
    path = tmp_path / "kapot.sqlite"
    path.write_bytes(b"dit is geen sqlite-bestand" * 100)
    with pytest.raises(WorkspaceError) as err:
        Workspace.open(path)
    assert "not a database" in str(err.value)
    assert "niet bruikbaar" in err.value.nl


def test_open_refuses_a_newer_schema(tmp_path):
    path = tmp_path / "ws.sqlite"
    Workspace.open(path)
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    with pytest.raises(WorkspaceError) as err:
        Workspace.open(path)
    assert f"version {LATEST_VERSION + 1}" in str(err.value)
    assert "werk Locatiescan bij" in err.value.nl


def test_migration_v1_to_latest_keeps_data_and_adds_features(tmp_path):
    path = tmp_path / "oud.sqlite"
    conn = sqlite3.connect(path, isolation_level=None)
    assert migrate(conn, target=1) == 1
    wkb = shapely.to_wkb(shapely.box(0, 0, 200, 50))
    conn.execute("INSERT INTO imports (source, report, who, at) VALUES ('oud', '{}', 'Ann', 't0')")
    conn.execute(
        "INSERT INTO locations VALUES ('OUD-1', 1, ?, '{\"naam\": \"Oude Weide\"}')", (wkb,)
    )
    conn.execute("INSERT INTO answers VALUES ('OUD-1', 'm', 'grondpositie', '\"ja\"', 'Ann', 't0')")
    conn.execute(
        "INSERT INTO decisions (location_id, model_id, decision, note, who, at)"
        " VALUES ('OUD-1', 'm', 'aangehouden', 'wacht', 'Ann', 't0')"
    )
    conn.execute("INSERT INTO model_versions VALUES ('eigen', 1, 'a: 1', 'Ann', 't0')")
    conn.close()

    ws = Workspace.open(path)

    assert schema_version(sqlite3.connect(path)) == LATEST_VERSION
    locations = ws.locations()
    assert locations["naam"].tolist() == ["Oude Weide"]
    assert locations.geometry.iloc[0].area == pytest.approx(200 * 50)
    assert ws.facts().loc["OUD-1", "grondpositie"] == "ja"
    assert ws.decisions()["besluit"].tolist() == ["aangehouden"]
    assert ws.saved_model("eigen").based_on is None
    assert ws.save_model("eigen", "a: 2", "Bob", expected_version=1) == 2
    number = ws.save_assessment("m", pd.DataFrame({"totaal": [7.5]}, index=["OUD-1"]), "Bob")
    assert ws.load_assessment(number).scores.loc["OUD-1", "totaal"] == 7.5


def test_busy_workspace_gives_busy_error(ws, monkeypatch):
    monkeypatch.setattr(store, "BUSY_TIMEOUT_S", 0.2)
    holder = sqlite3.connect(ws.path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(WorkspaceBusyError) as err:
            ws.record_decision("DB-03", "m", "aangehouden", "", "Ann")
        assert "bezet" in err.value.nl
    finally:
        holder.execute("ROLLBACK")
    assert ws.decisions().empty


# -- locations ----------------------------------------------------------------------------


def test_locations_round_trip_attributes_geometry_and_metadata(ws):
    gdf = squares(["Reeënveld", "Groot Merwede - Rijnenburg"])
    gdf["id"] = ["EIG-1", "EIG-2"]
    gdf["planstatus"] = ["hard", None]

    ids = ws.add_locations(gdf, "upload: plannen.geojson", "Anna", report={"gelezen": 2})

    assert ids == ["EIG-1", "EIG-2"]
    back = ws.locations()
    assert back.crs.to_epsg() == 28992
    assert back["id"].tolist() == ["EIG-1", "EIG-2"]
    assert back["naam"].tolist() == ["Reeënveld", "Groot Merwede - Rijnenburg"]
    assert back["woningen"].tolist() == [100, 200]
    assert back.loc[0, "planstatus"] == "hard" and pd.isna(back.loc[1, "planstatus"])
    assert back["toegevoegd_door"].tolist() == ["Anna", "Anna"]
    assert back.geometry.iloc[1].equals(gdf.geometry.iloc[1])
    imports = ws.imports()
    assert imports[["bron", "door", "aantal_locaties"]].values.tolist() == [
        ["upload: plannen.geojson", "Anna", 2]
    ]
    assert imports.loc[0, "rapport"] == {"gelezen": 2}


def test_locations_are_stored_in_rd_new(ws):
    rd = squares(["Vierkant"], size=500.0).set_geometry(
        squares(["Vierkant"], size=500.0).geometry.translate(150_000, 450_000)
    )
    ws.add_locations(rd.to_crs(4326), "getekend", "Anna")

    back = ws.locations()
    assert back.crs.to_epsg() == 28992
    assert back.geometry.iloc[0].area == pytest.approx(500 * 500, rel=1e-6)
    assert back.geometry.iloc[0].bounds[0] == pytest.approx(150_000, abs=0.01)


def test_missing_ids_get_next_free_eigen_numbers(ws):
    first = ws.add_locations(squares(["a", "b"]), "getekend", "Anna")
    gdf = squares(["c", "d", "e"])
    gdf["id"] = [None, "EIGEN-0003", ""]
    second = ws.add_locations(gdf, "getekend", "Bert")

    assert first == ["EIGEN-0001", "EIGEN-0002"]
    assert second == ["EIGEN-0004", "EIGEN-0003", "EIGEN-0005"]
    assert ws.locations()["id"].tolist() == first + second


def test_existing_ids_are_refused_unless_replace(ws):
    gdf = squares(["oud"])
    gdf["id"] = ["P-1"]
    ws.add_locations(gdf, "eerste", "Anna")
    gdf["naam"] = ["nieuw"]

    with pytest.raises(InputError) as err:
        ws.add_locations(gdf, "tweede", "Anna")
    assert "P-1" in str(err.value) and "staan al in de werkruimte" in err.value.nl
    assert ws.locations()["naam"].tolist() == ["oud"]
    assert len(ws.imports()) == 1  # the refused import left nothing behind

    ws.add_locations(gdf, "tweede", "Anna", replace=True)
    assert ws.locations()["naam"].tolist() == ["nieuw"]


def test_invalid_locations_report_every_problem_at_once(ws):
    gdf = squares(["a", "b", "c"])
    gdf["id"] = ["X", "X", "Y"]
    gdf.loc[2, "geometry"] = None
    gdf = gdf.set_crs(None, allow_override=True)

    with pytest.raises(InputError) as err:
        ws.add_locations(gdf, "upload", "Anna")

    assert "no CRS" in str(err.value)
    assert "rows without geometry: 3" in str(err.value)
    assert "duplicate ids: X" in str(err.value)
    assert "coördinatenstelsel" in err.value.nl and "dubbele id's: X" in err.value.nl
    assert ws.locations().empty


@pytest.mark.parametrize(
    ("frame", "expected"),
    [
        (pd.DataFrame({"naam": ["a"]}), "must be a GeoDataFrame"),
        (squares([]), "no locations given"),
    ],
)
def test_unusable_location_input(ws, frame, expected):
    with pytest.raises(InputError, match=expected):
        ws.add_locations(frame, "upload", "Anna")


@pytest.mark.parametrize("who", ["", "   ", None, "x" * 101])
def test_who_is_required(ws, who):
    with pytest.raises(InputError) as err:
        ws.record_decision("DB-03", "m", "aangehouden", "", who)
    assert "Naam moet" in err.value.nl


def test_delete_location_removes_answers_but_keeps_decision_history(ws):
    ids = ws.add_locations(squares(["a", "b"]), "getekend", "Anna")
    ws.set_facts(ids[0], {"q": 1}, "Anna")
    ws.set_facts(ids[1], {"q": 2}, "Anna")
    ws.record_decision(ids[0], "m", "afgevallen", "te klein", "Anna")

    ws.delete_location(ids[0])

    assert ws.locations()["id"].tolist() == [ids[1]]
    assert ws.facts().index.tolist() == [ids[1]]
    assert ws.decision_history(ids[0])["besluit"].tolist() == ["afgevallen"]
    with pytest.raises(InputError, match="not in the workspace"):
        ws.delete_location(ids[0])


def test_empty_workspace_reads_empty_frames(ws):
    assert ws.locations().empty and ws.locations().crs.to_epsg() == 28992
    assert ws.facts().empty and ws.facts().index.name == "id"
    assert ws.decisions().empty and ws.models().empty and ws.assessments().empty


# -- answers ------------------------------------------------------------------------------


def test_facts_latest_value_counts_with_who_and_when(ws):
    ws.set_facts("L1", {"grondpositie": "ja", "woningen_betaalbaar": 60}, "Anna")
    ws.set_facts("L1", {"grondpositie": "nee"}, "Bert", source="seed 003", source_date="2025-06-12")
    ws.set_facts("L2", {"start_bouw_3jaar": True}, "Bert")

    wide = ws.facts()
    assert wide.index.tolist() == ["L1", "L2"]
    assert wide.loc["L1", "grondpositie"] == "nee"
    assert wide.loc["L1", "woningen_betaalbaar"] == 60
    assert wide.loc["L2", "start_bouw_3jaar"] == True
    assert pd.isna(wide.loc["L2", "grondpositie"])
    long = ws.fact_records(location_id="L1").set_index("feit")
    assert long.loc["grondpositie", "door"] == "Bert"
    assert long.loc["grondpositie", "bron"] == "seed 003"
    assert long.loc["grondpositie", "brondatum"] == "2025-06-12"
    assert long.loc["woningen_betaalbaar", "door"] == "Anna"


def test_fact_history_is_append_only_and_keeps_every_value(ws):
    ws.set_facts("L1", {"grondpositie": "ja"}, "Anna")
    ws.set_facts("L1", {"grondpositie": "nee"}, "Bert")
    ws.set_facts("L1", {"grondpositie": None}, "Carla")

    history = ws.fact_history("L1", "grondpositie")
    assert history["waarde"].tolist() == ["ja", "nee", None]
    assert history["door"].tolist() == ["Anna", "Bert", "Carla"]
    assert ws.fact_records().empty  # the latest value says: no longer known
    with sqlite3.connect(ws.path) as conn, pytest.raises(sqlite3.IntegrityError):
        conn.execute("UPDATE facts SET value = '\"ja\"'")


def test_none_clears_an_answer(ws):
    ws.set_facts("L1", {"a": 1, "b": 2}, "Anna")
    ws.set_facts("L1", {"a": None, "b": float("nan")}, "Anna")
    assert ws.fact_records().empty


def test_loaded_form_writes_only_changed_questions(ws):
    ws.set_facts("L1", {"a": "oud", "b": "oud"}, "setup")
    form = {"a": "oud", "b": "oud"}  # both users opened the same form

    anna = ws.set_facts("L1", {"a": "Anna", "b": "oud"}, "Anna", loaded=form)
    bert = ws.set_facts("L1", {"a": "oud", "b": "Bert"}, "Bert", loaded=form)

    assert anna == ["a"] and bert == ["b"]
    assert ws.facts().loc["L1"].to_dict() == {"a": "Anna", "b": "Bert"}


def test_unusable_answers_are_named(ws):
    with pytest.raises(InputError) as err:
        ws.set_facts("L1", {"ok": 1, "lijst": [1, 2], "object": object()}, "Anna")
    assert "lijst, object" in str(err.value) and "onbruikbaar: lijst, object" in err.value.nl
    assert ws.fact_records().empty


# -- decisions ----------------------------------------------------------------------------


def test_current_decision_is_the_latest_and_history_keeps_all(ws):
    ws.record_decision("DB-03", "m", "op_shortlist", "sterk", "Anna")
    ws.record_decision("DB-04", "m", "aangehouden", "", "Anna")
    ws.record_decision("DB-03", "m", "afgevallen", "  stikstof  ", "Bert")
    ws.record_decision("DB-03", "ander", "aangehouden", "", "Bert")

    current = ws.decisions(model_id="m").set_index("id")
    assert current["besluit"].to_dict() == {"DB-04": "aangehouden", "DB-03": "afgevallen"}
    assert current.loc["DB-03", "notitie"] == "stikstof"
    assert len(ws.decisions()) == 3
    assert len(ws.decisions(current_only=False)) == 4
    history = ws.decision_history("DB-03", model_id="m")
    assert history[["besluit", "door"]].values.tolist() == [
        ["op_shortlist", "Anna"],
        ["afgevallen", "Bert"],
    ]


def test_invalid_decision_lists_the_allowed_values(ws):
    with pytest.raises(InputError) as err:
        ws.record_decision("DB-03", "m", "misschien", "", "Anna")
    assert "op_shortlist, aangehouden, afgevallen" in str(err.value)
    assert "Besluit 'misschien'" in err.value.nl


@pytest.mark.parametrize(
    "sql", ["UPDATE decisions SET decision = 'afgevallen'", "DELETE FROM decisions"]
)
def test_decisions_are_append_only_in_the_database(ws, sql):
    ws.record_decision("DB-03", "m", "op_shortlist", "", "Anna")
    conn = sqlite3.connect(ws.path)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute(sql)
    assert ws.decisions()["besluit"].tolist() == ["op_shortlist"]


# -- custom models ------------------------------------------------------------------------


def test_model_versions_lineage_and_history(ws):
    assert ws.save_model("mijn model", MODEL_YAML, "Anna", based_on="kansrijk_bouwen") == 1
    assert ws.save_model("mijn model", MODEL_YAML + "# v2\n", "Bert", expected_version=1) == 2

    saved = ws.saved_model("mijn model")
    assert (saved.version, saved.based_on, saved.who) == (2, "kansrijk_bouwen", "Bert")
    assert ws.load_model_text("mijn model").endswith("# v2\n")
    assert ws.saved_model("mijn model", version=1).yaml_text == MODEL_YAML
    assert ws.models()[["naam", "versie"]].values.tolist() == [["mijn model", 2]]
    assert ws.model_history("mijn model")["door"].tolist() == ["Anna", "Bert"]


def test_saving_over_a_changed_model_is_a_conflict(ws):
    ws.save_model("gedeeld", MODEL_YAML, "Anna")
    anna_loaded = bert_loaded = ws.saved_model("gedeeld").version
    ws.save_model("gedeeld", MODEL_YAML + "# Anna\n", "Anna", expected_version=anna_loaded)

    with pytest.raises(WorkspaceConflictError) as err:
        ws.save_model("gedeeld", MODEL_YAML + "# Bert\n", "Bert", expected_version=bert_loaded)

    assert isinstance(err.value, InputError)
    assert "now version 2, you loaded version 1" in str(err.value)
    assert "door iemand anders gewijzigd" in err.value.nl
    assert ws.load_model_text("gedeeld").endswith("# Anna\n")


@pytest.mark.parametrize(
    ("expected_version", "en", "nl"),
    [(None, "already exists", "bestaat al"), (3, "changed by someone else", "gewijzigd")],
)
def test_create_and_stale_version_conflicts(ws, expected_version, en, nl):
    ws.save_model("bestaand", MODEL_YAML, "Anna")
    with pytest.raises(WorkspaceConflictError) as err:
        ws.save_model("bestaand", MODEL_YAML, "Bert", expected_version=expected_version)
    assert en in str(err.value) and nl in err.value.nl
    assert ws.saved_model("bestaand").version == 1


def test_updating_a_model_that_does_not_exist_is_a_conflict(ws):
    with pytest.raises(WorkspaceConflictError, match="no longer exists"):
        ws.save_model("weg", MODEL_YAML, "Anna", expected_version=1)


@pytest.mark.parametrize(
    ("text", "en"), [("a: [1, 2", "not valid YAML"), ("- een\n- lijst\n", "must be a mapping")]
)
def test_model_yaml_must_be_a_mapping(ws, text, en):
    with pytest.raises(InputError, match=en):
        ws.save_model("fout", text, "Anna")
    assert ws.models().empty


def test_unknown_model_is_an_input_error(ws):
    with pytest.raises(InputError) as err:
        ws.load_model_text("onbekend")
    assert "Geen opgeslagen model 'onbekend'" in err.value.nl


# -- assessments --------------------------------------------------------------------------


def test_assessment_snapshot_round_trip(ws):
    scores = pd.DataFrame(
        {"totaal": [7.25, float("nan")], "klasse": ["A", None], "rang": [1, 2]},
        index=pd.Index(["DB-03", "KL-01"], name="id"),
    )
    explanations = pd.DataFrame(
        {"id": ["DB-03"], "criterium": ["natura2000"], "punten": [3.0], "status": ["ok"]}
    )
    number = ws.save_assessment(
        "kansrijk_bouwen",
        scores,
        "Anna",
        explanations=explanations,
        model_version=2,
        note="stuurgroep 12 mei",
    )

    listed = ws.assessments()
    assert listed[["nummer", "model", "modelversie", "aantal_locaties"]].values.tolist() == [
        [number, "kansrijk_bouwen", 2, 2]
    ]
    saved = ws.load_assessment(number)
    pd.testing.assert_frame_equal(saved.scores, scores, check_dtype=False)
    pd.testing.assert_frame_equal(saved.explanations, explanations, check_dtype=False)
    assert saved.note == "stuurgroep 12 mei"


def test_assessment_errors(ws):
    with pytest.raises(InputError, match="must be a DataFrame"):
        ws.save_assessment("m", {"totaal": 1}, "Anna")
    with pytest.raises(InputError, match="No assessment 99"):
        ws.load_assessment(99)

"""`locatiescan screen`: the console script (subprocess) and `run()` in-process for error paths."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import box

from support_cli import cli

SCRIPT = Path(sys.executable).with_name("locatiescan")
WITHHELD = "niet te bepalen: alleen de gemeente is bekend"
CONTEXT_LABEL = "context: geldt voor de hele gemeente, niet voor de locatie"


@pytest.fixture(autouse=True)
def own_workspace(tmp_path: Path, monkeypatch) -> Path:
    """Every run reads a workspace path of its own (absent unless a test makes it), never the
    developer's; the console-script subprocess inherits it through the environment."""
    path = tmp_path / "werkruimte" / "ws.sqlite"
    monkeypatch.setenv("LOCATIESCAN_WORKSPACE", str(path))
    return path


def test_console_script_json_with_provenance():
    done = subprocess.run(
        [
            str(SCRIPT),
            "screen",
            "--type",
            "koploper",
            "--layers",
            "natura2000,netcongestie",
            "--offline",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert [loc["id"] for loc in doc["locaties"]] == ["KL-01", "KL-02", "KL-03", "KL-04", "KL-05"]
    legmeer = doc["locaties"][2]
    assert legmeer["naam"] == "Legmeerplein" and legmeer["type"] == "koploper"
    assert legmeer["lagen"]["netcongestie"]["afname_code"] == 3
    assert legmeer["lagen"]["netcongestie"]["afname_rnb"] == 1
    assert legmeer["lagen"]["natura2000"]["distance_m"] is None  # farther than …
    assert legmeer["lagen"]["natura2000"]["distance_radius_m"] == 5000.0  # … 5 km
    assert doc["bronnen"]["natura2000"]["kind"] == "snapshot"
    assert doc["bronnen"]["netcongestie"]["date"] == "2026-08-21"
    assert doc["bronnen"]["netcongestie"]["attributie"] == "Capaciteitskaart Netbeheer Nederland"
    assert doc["problemen"] == {}


def test_console_script_bad_input_exits_2_in_both_languages():
    done = subprocess.run(
        [str(SCRIPT), "screen", "--layers", "natura2000", "--offline"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 2
    assert "give either a location file or --type" in done.stderr
    assert "geef een locatiebestand" in done.stderr
    assert "Traceback" not in done.stderr


def test_user_file_to_csv(monkeypatch, capsys, tmp_path):
    # one square in the IJmeer (inside Natura 2000 "Markermeer & IJmeer"), one in Almere Oosterwold
    source = tmp_path / "synthetic_plannen.geojson"
    gpd.GeoDataFrame(
        {"naam": ["IJmeer-vlak", "Oosterwold-vlak"], "woningen": [100, 200]},
        geometry=[box(138100, 489600, 138300, 489800), box(148300, 482900, 148500, 483100)],
        crs="EPSG:28992",
    ).to_file(source)
    out = tmp_path / "screening.csv"
    code, stdout, stderr = cli(
        monkeypatch,
        capsys,
        "screen",
        str(source),
        "--layers",
        "natura2000,water_bodem",
        "--offline",
        "--format",
        "csv",
        "--out",
        str(out),
    )
    assert code == 0, stderr
    assert stdout == ""
    assert "2 locaties gescreend" in stderr
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["naam"] for r in rows] == ["IJmeer-vlak", "Oosterwold-vlak"]
    assert rows[0]["type"] == "eigen"
    assert float(rows[0]["natura2000.overlap_ha"]) == pytest.approx(
        4.0
    )  # 200 m × 200 m, all inside
    assert float(rows[0]["natura2000.overlap_pct"]) == pytest.approx(100.0)
    assert float(rows[1]["natura2000.overlap_ha"]) == 0.0
    assert rows[1]["water_bodem.dijkring"] == "8"
    assert rows[1]["water_bodem.bodemdaling"] == ""  # unknown: empty cell, never a class


def test_json_to_file(monkeypatch, capsys, tmp_path):
    out = tmp_path / "screening.json"
    code, _, stderr = cli(
        monkeypatch,
        capsys,
        "screen",
        "--type",
        "doorbraak",
        "--layers",
        "water_bodem",
        "--offline",
        "--out",
        str(out),
    )
    assert code == 0, stderr
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert len(doc["locaties"]) == 23
    almere = next(loc for loc in doc["locaties"] if loc["id"] == "DB-04")["lagen"]["water_bodem"]
    assert almere["dijkring"] == "8" and almere["klasse"] in {"A", "B"}
    assert almere["klasse_volledig"] is False
    assert doc["bronnen"]["water_bodem"]["source"].startswith("afgeleid uit")
    assert set(doc["bronnen"]) == {  # the derived layer and the inputs its rule set names
        "water_bodem",
        "primaire_waterkeringen",
        "dijkringen",
        "liwo_doorbraaklocaties",
        "gemeenten",
        "bodem_zuid_holland",
        "drinkwater_zuid_holland",
        "overstromingsdiepte_zuid_holland",
        "water_zeeland",
    }


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--type", "koploper", "--layers", "bestaat_niet"], "unknown layer(s) bestaat_niet"),
        (["--type", "koploper", "--layers", " , "], "no layers requested"),
        (["--type", "onbekend"], "onbekend"),
        (["--type", "koploper", "--theme-layer", "bodemdaling"], "--theme-layer needs THEME=PATH"),
        (
            ["--type", "koploper", "--theme-layer", "hoogte=x.tif", "--layers", "water_bodem"],
            "unknown theme 'hoogte'",
        ),
        (
            ["--type", "koploper", "--out", "screening.txt"],
            "must end in .json (json) or .csv (csv)",
        ),
        (["--type", "koploper", "--format", "table", "--out", "screening.csv"], "--format table"),
        (
            ["--type", "koploper", "--out", "/bestaat/niet/screening.json"],
            "folder /bestaat/niet does not exist",
        ),
        (["missing.geojson"], "missing.geojson"),
    ],
)
def test_bad_input_exits_2(monkeypatch, capsys, args, message):
    code, stdout, stderr = cli(monkeypatch, capsys, "screen", "--offline", *args)
    assert code == 2
    assert message in stderr
    assert stdout == ""


def test_gemeente_level_site_has_no_value_of_its_own_only_labelled_context(
    monkeypatch, capsys, own_workspace: Path
) -> None:
    code, stdout, stderr = cli(
        monkeypatch, capsys, "screen", "--type", "doorbraak", "--layers", "natura2000", "--offline"
    )
    assert code == 0, stderr
    by_id = {loc["id"]: loc for loc in json.loads(stdout)["locaties"]}
    ede = by_id["DB-10"]  # Ede / Wageningen: only the gemeenten are known
    assert ede["naam"] == "Ede / Wageningen"
    assert set(ede["lagen"]["natura2000"].values()) == {None}  # no overlap % as its own value
    assert ede["niet_bepaald"] == WITHHELD
    # the 52 % of issue 9 is what holds for the two gemeenten, labelled as context
    context = ede["gemeente_context"]
    assert context["label"] == CONTEXT_LABEL
    assert context["lagen"]["natura2000"]["overlap_pct"] == pytest.approx(51.7, abs=0.05)
    assert "Veluwe" in context["lagen"]["natura2000"]["names"]
    # a site with a footprint of its own keeps its values and has neither
    pampus = by_id["DB-05"]
    assert pampus["niet_bepaald"] is None and pampus["gemeente_context"] is None
    assert pampus["lagen"]["natura2000"]["overlap_pct"] is not None
    assert not own_workspace.exists()  # screening never creates a workspace


def test_csv_carries_the_reason_and_the_context_in_columns_of_their_own(
    monkeypatch, capsys
) -> None:
    code, stdout, stderr = cli(
        monkeypatch,
        capsys,
        "screen",
        "--type",
        "doorbraak",
        "--layers",
        "natura2000",
        "--offline",
        "--format",
        "csv",
    )
    assert code == 0, stderr
    rows = {r["id"]: r for r in csv.DictReader(stdout.splitlines())}
    ede, bleizo = rows["DB-10"], rows["DB-01"]
    assert ede["natura2000.overlap_pct"] == "" and ede["niet_bepaald"] == WITHHELD
    assert ede["gemeente_context"] == CONTEXT_LABEL
    assert float(ede["gemeente_context.natura2000.overlap_pct"]) == pytest.approx(51.7, abs=0.05)
    assert bleizo["niet_bepaald"] == "" and bleizo["gemeente_context"] == ""
    assert bleizo["gemeente_context.natura2000.overlap_pct"] == ""
    assert bleizo["natura2000.overlap_pct"] != ""


def test_a_stored_outline_makes_the_gemeente_level_location_a_site(
    monkeypatch, capsys, own_workspace: Path
) -> None:
    # a 200 m x 200 m square inside Natura 2000 "Veluwe" in the gemeente Ede, drawn for DB-10
    from locatiescan.workspace import Workspace
    from locatiescan.workspace.outlines import set_outline

    set_outline(Workspace.open(own_workspace), "DB-10", box(178000, 452000, 178200, 452200), "T")
    code, stdout, stderr = cli(
        monkeypatch, capsys, "screen", "--type", "doorbraak", "--layers", "natura2000", "--offline"
    )
    assert code == 0, stderr
    ede = next(loc for loc in json.loads(stdout)["locaties"] if loc["id"] == "DB-10")
    # its own value now: 200 m x 200 m = 4 ha, all of it inside the Veluwe
    assert ede["lagen"]["natura2000"]["overlap_ha"] == pytest.approx(4.0)
    assert ede["lagen"]["natura2000"]["overlap_pct"] == pytest.approx(100.0)
    assert ede["niet_bepaald"] is None and ede["gemeente_context"] is None

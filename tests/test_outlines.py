"""Own outlines of policy locations: stored with author, date and history, used everywhere,
revertible; the CLI `locations set-geometry` validates the file through the importer."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from shapely.geometry import Point, box

from locatiescan.errors import InputError
from locatiescan.registry import load_policy_locations
from locatiescan.screening import screen_locations
from locatiescan.workspace import Workspace
from locatiescan.workspace.outlines import (
    apply_outlines,
    current_outlines,
    outline_history,
    revert_outline,
    set_outline,
)
from support_cli import cli
from support_files import RD_CRS_MEMBER, geojson

# A 1 km x 500 m rectangle in Ede (RD): 1,000 m x 500 m = 500,000 m2 = 50 ha, inside the gemeente
# and (checked with shapely against all 160 areas of the snapshot) touching no Natura 2000 area.
EDE_BLOCK = box(172_000, 448_000, 173_000, 448_500)


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return Workspace.open(tmp_path / "ws.sqlite")


def test_set_use_and_revert_an_outline_with_history(ws: Workspace) -> None:
    policy = load_policy_locations()
    before = policy.set_index("id").loc["DB-10"]
    assert before["geometrie_kwaliteit"] == "gemeente"

    first = set_outline(ws, "DB-10", EDE_BLOCK, "Anna", "plangrens uit de gebiedsvisie")
    applied = apply_outlines(policy, ws).set_index("id")
    row = applied.loc["DB-10"]
    assert row["geometrie_kwaliteit"] == "ingetekend"
    assert row.geometry.equals(EDE_BLOCK) and row["area_ha"] == pytest.approx(50.0)
    assert row["geometrie_toelichting"].startswith("eigen omtrek, ingetekend door Anna op 20")
    assert "gebiedsvisie" in row["geometrie_toelichting"]
    # other locations are untouched
    untouched = applied.drop(index="DB-10")
    assert untouched.geometry.geom_equals(policy.set_index("id").drop(index="DB-10").geometry).all()

    second = revert_outline(ws, "DB-10", "Bert", "toch niet")
    assert second > first
    reverted = apply_outlines(policy, ws).set_index("id").loc["DB-10"]
    assert reverted["geometrie_kwaliteit"] == "gemeente"
    assert reverted.geometry.equals(before.geometry)
    assert current_outlines(ws).empty

    history = outline_history(ws, "DB-10")
    assert history["actie"].tolist() == ["ingetekend", "teruggedraaid"]
    assert history["door"].tolist() == ["Anna", "Bert"]
    assert history["area_ha"].iloc[0] == pytest.approx(50.0)
    assert history.geometry.iloc[1] is None


def test_the_latest_outline_counts(ws: Workspace) -> None:
    set_outline(ws, "DB-03", box(135_000, 450_000, 136_000, 451_000), "Anna")  # 100 ha
    set_outline(ws, "DB-03", box(135_000, 450_000, 135_500, 451_000), "Anna")  # 50 ha
    current = current_outlines(ws)
    assert current["id"].tolist() == ["DB-03"]
    assert current.geometry.iloc[0].area == pytest.approx(500_000.0)


def test_outlines_are_append_only(ws: Workspace) -> None:
    set_outline(ws, "DB-03", EDE_BLOCK, "Anna")
    with sqlite3.connect(ws.path) as conn, pytest.raises(sqlite3.DatabaseError):
        conn.execute("DELETE FROM outlines")


@pytest.mark.parametrize(
    ("geometry", "expected"),
    [
        (None, "een omtrek heeft een geometrie nodig"),
        (Point(150_000, 450_000), "een omtrek moet een vlak zijn"),
        (box(5.0, 52.0, 5.1, 52.1), "buiten Nederland"),  # degrees, not RD metres
    ],
)
def test_bad_outlines_are_refused(ws: Workspace, geometry, expected: str) -> None:
    with pytest.raises(InputError) as info:
        set_outline(ws, "DB-03", geometry, "Anna")
    assert expected in info.value.nl
    assert current_outlines(ws).empty


def test_reverting_without_an_outline_is_an_input_error(ws: Workspace) -> None:
    with pytest.raises(InputError) as info:
        revert_outline(ws, "DB-03", "Anna")
    assert "geen eigen omtrek" in info.value.nl


def test_an_outline_makes_a_gemeente_level_location_a_site_in_the_screening(
    ws: Workspace,
) -> None:
    policy = load_policy_locations()
    ede = policy[policy["id"] == "DB-10"]
    withheld = screen_locations(ede, ["natura2000"], online=False)
    assert "DB-10" in withheld.niet_bepaald
    set_outline(ws, "DB-10", EDE_BLOCK, "Anna")
    outlined = screen_locations(apply_outlines(ede, ws), ["natura2000"], online=False)
    assert outlined.niet_bepaald == {}
    # the 50 ha block touches no Natura 2000 area: 0 ha, 0 %, a value of the site itself
    assert outlined.table.loc["DB-10", "natura2000.overlap_ha"] == 0.0
    assert outlined.table.loc["DB-10", "natura2000.overlap_pct"] == 0.0


def test_cli_set_geometry_history_and_revert(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    monkeypatch.setenv("LOCATIESCAN_WORKSPACE", str(tmp_path / "ws.sqlite"))
    path = geojson(tmp_path / "ede.geojson", [EDE_BLOCK], crs_member=RD_CRS_MEMBER)
    code, out, err = cli(
        monkeypatch, capsys, "locations", "set-geometry", "DB-10", str(path), "--who", "Anna"
    )
    assert code == 0, err
    assert json.loads(out) == {
        "id": "DB-10",
        "volgnummer": 1,
        "actie": "ingetekend",
        "objecten": 1,
        "area_ha": 50.0,
    }
    code, out, err = cli(monkeypatch, capsys, "locations", "--format", "json")
    ede = next(r for r in json.loads(out)["locaties"] if r["id"] == "DB-10")
    assert (ede["geometrie_kwaliteit"], ede["area_ha"]) == ("ingetekend", 50.0)

    # DB-16 is the same site as KL-01: its outline is stored under KL-01
    code, out, err = cli(
        monkeypatch, capsys, "locations", "set-geometry", "DB-16", str(path), "--who", "Anna"
    )
    assert code == 0 and json.loads(out)["id"] == "KL-01"

    code, out, err = cli(
        monkeypatch, capsys, "locations", "set-geometry", "DB-10", "--revert", "--who", "Bert"
    )
    assert code == 0 and json.loads(out)["actie"] == "teruggedraaid"
    code, out, err = cli(
        monkeypatch, capsys, "locations", "geometry-history", "DB-10", "--format", "json"
    )
    rows = json.loads(out)
    assert [(r["actie"], r["door"]) for r in rows] == [
        ("ingetekend", "Anna"),
        ("teruggedraaid", "Bert"),
    ]


@pytest.mark.parametrize(
    ("args", "expected_en", "expected_nl"),
    [
        (["XX-9", "FILE"], "is not a policy location", "is geen beleidslocatie"),
        (["DB-10", "EMPTY"], "empty", "leeg"),
        (["DB-10"], "give either FILE or --revert", "geef een bestand of --revert"),
        (["DB-10", "--revert"], "has no own outline", "geen eigen omtrek"),
    ],
)
def test_cli_bad_input_exits_2_in_both_languages(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture,
    args: list[str],
    expected_en: str,
    expected_nl: str,
) -> None:
    monkeypatch.setenv("LOCATIESCAN_WORKSPACE", str(tmp_path / "ws.sqlite"))
    good = geojson(tmp_path / "ede.geojson", [EDE_BLOCK], crs_member=RD_CRS_MEMBER)
    empty = tmp_path / "leeg.geojson"
    empty.write_bytes(b"")
    files = {"FILE": str(good), "EMPTY": str(empty)}
    argv = [files.get(a, a) for a in args]
    code, out, err = cli(monkeypatch, capsys, "locations", "set-geometry", *argv, "--who", "A")
    assert code == 2 and out == ""
    assert expected_en in err and expected_nl in err and "Traceback" not in err

"""The scoring source `voortgang.<mijlpaal>.vertraging_kwartalen`: PPM delays as a criterion,
validated against the milestone list, in the engine and through `locatiescan score`.

Hand-made PPM (milestone `start_bouw`, scoring/voortgang/mijlpalen.yaml), four own locations:

| id | peilmoment 2025-Q1 | peilmoment 2025-Q3 | woningen |
|----|--------------------|--------------------|----------|
| P1 | gepland 2025-Q2 | gepland 2025-Q4 (slipped) | 800 |
| P2 | gepland 2025-Q1, gerealiseerd 2025-Q1 | — | 200 |
| P3 | gepland 2024-Q3 | gepland 2024-Q3, still not started | 600 |
| P4 | — (not in the PPM) | — | 100 |

Delay in quarters (realised - planned; peildatum - planned when overdue; 0 when on schedule):
at 2025-Q3 P1 0 (Q4 lies ahead), P2 0 (on time), P3 2025-Q3 - 2024-Q3 = 4, P4 unknown;
at 2025-Q1 (only that peilmoment counts) P1 0, P2 0, P3 2025-Q1 - 2024-Q3 = 2.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
import yaml
from shapely.geometry import box

from locatiescan.context import ProjectContext
from locatiescan.errors import ConfigError
from locatiescan.scoring import ScoringInput, parse_model, score
from locatiescan.scoring.sources import parse_source
from locatiescan.voortgang import vertraging_per_project
from locatiescan.voortgang.config import load_config
from locatiescan.workspace import Workspace
from locatiescan.workspace.voortgang import add_ppm_rows, save_milestone_config
from support_cli import cli
from support_files import geojson

SOURCE = "voortgang.start_bouw.vertraging_kwartalen"
MODEL = {
    "naam": "Voortgang-test",
    "pijlers": {
        "voortgang": {
            "gewicht": 0.5,
            "criteria": [
                {
                    "id": "start_bouw",
                    "label": "Start bouw op schema",
                    "bron": SOURCE,
                    "regels": [
                        {"als": "<= 0", "punten": 10},
                        {"als": "<= 2", "punten": 6},
                        {"anders": 0},
                    ],
                }
            ],
        },
        "omvang": {
            "gewicht": 0.5,
            "criteria": [
                {
                    "id": "woningen",
                    "label": "Woningen",
                    "bron": "attribuut.woningen",
                    "regels": [{"als": ">= 500", "punten": 10}, {"anders": 5}],
                }
            ],
        },
    },
    "inzet": [{"anders": True, "klasse": "A", "uren_per_maand": 1}],
}
PPM = [  # peilmoment, id, mijlpaal, gepland, gerealiseerd
    ("2025-Q1", "P1", "start_bouw", "2025-Q2", None),
    ("2025-Q1", "P2", "start_bouw", "2025-Q1", "2025-Q1"),
    ("2025-Q1", "P3", "start_bouw", "2024-Q3", None),
    ("2025-Q3", "P1", "start_bouw", "2025-Q4", None),
    ("2025-Q3", "P3", "start_bouw", "2024-Q3", None),
]
HOMES = {"P1": 800, "P2": 200, "P3": 600, "P4": 100}


def ppm_rows(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "peilmoment": peil,
                "id": lid,
                "projectnaam": f"Project {lid}",
                "mijlpaal": milestone,
                "gepland": planned,
                "gerealiseerd": actual,
                "verantwoordelijke": "privaat",
                "toelichting": "",
            }
            for peil, lid, milestone, planned, actual in rows
        ]
    )


@pytest.fixture()
def workspace(tmp_path: Path, monkeypatch) -> Path:
    """A workspace with the hand-made PPM, also the default one of every CLI run."""
    path = tmp_path / "ws.sqlite"
    add_ppm_rows(Workspace.open(path), ppm_rows(PPM), "Tester", source="test")
    monkeypatch.setenv("LOCATIESCAN_WORKSPACE", str(path))
    return path


@pytest.fixture()
def files(tmp_path: Path) -> dict[str, Path]:
    model = tmp_path / "model.yaml"
    model.write_text(yaml.safe_dump(MODEL, sort_keys=False), encoding="utf-8")
    squares = [box(121000 + 300 * i, 487000, 121100 + 300 * i, 487100) for i in range(4)]
    props = [{"id": lid, "naam": f"Project {lid}", "woningen": n} for lid, n in HOMES.items()]
    crs = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::28992"}}
    return {"model": model, "locations": geojson(tmp_path / "p.geojson", squares, props, crs)}


def test_the_source_form_and_its_column() -> None:
    ref = parse_source(SOURCE)
    assert (ref.kind, ref.name, ref.metric) == ("voortgang", "start_bouw", "vertraging_kwartalen")
    assert ref.column == "start_bouw.vertraging_kwartalen" and str(ref) == SOURCE
    with pytest.raises(ConfigError, match="voortgang.<mijlpaal>.vertraging_kwartalen"):
        parse_source("voortgang.start_bouw.vertraagd")  # only the delay in quarters


def test_a_milestone_outside_the_list_is_named_with_the_valid_ones() -> None:
    model = json.loads(json.dumps(MODEL))
    model["pijlers"]["voortgang"]["criteria"][0]["bron"] = (
        "voortgang.bouwstart.vertraging_kwartalen"
    )
    with pytest.raises(ConfigError) as err:
        parse_model(yaml.safe_dump(model), "m.yaml")
    assert "unknown milestone 'bouwstart'" in err.value.en
    assert "onbekende mijlpaal 'bouwstart'" in err.value.nl
    assert "start_bouw" in err.value.nl and "eerste_oplevering" in err.value.nl


def test_the_engine_scores_the_delays_computed_by_hand(workspace: Path) -> None:
    model = parse_model(yaml.safe_dump(MODEL), "m.yaml")
    locations = pd.DataFrame({"id": list(HOMES), "naam": list(HOMES), "woningen": HOMES.values()})
    delays = vertraging_per_project(Workspace.open(workspace), "2025-Q3")
    assert delays["start_bouw.vertraging_kwartalen"].to_dict() == {"P1": 0, "P2": 0, "P3": 4}
    result = score(model, ScoringInput(locations, voortgang=delays))
    rows = result.explanation[result.explanation["criterium"] == "start_bouw"].set_index("id")
    assert rows["punten"].to_dict() == pytest.approx(
        {"P1": 10, "P2": 10, "P3": 0, "P4": float("nan")}, nan_ok=True
    )
    assert rows.at["P4", "status"] == "onbekend"
    assert rows.at["P4", "reden"] == "geen geplande datum in de PPM"
    table = result.table
    # P1 0.5 x 10/10 + 0.5 x 10/10 = 100; P2 0.5 x 1 + 0.5 x 5/10 = 75; P3 0 + 0.5 = 50;
    # P4 (herweeg) only omvang: 5/10 = 50, its bounds 0.5 x 0.5 = 25 and 25 + 50 = 75
    assert table["totaal"].to_dict() == pytest.approx({"P1": 100, "P2": 75, "P3": 50, "P4": 50})
    assert (table.at["P4", "totaal_min"], table.at["P4", "totaal_max"]) == (25, 75)
    assert table["rang"].tolist() == [1, 2, 3, 4]


def test_without_ppm_data_the_criterion_is_unknown_and_says_why() -> None:
    model = parse_model(yaml.safe_dump(MODEL), "m.yaml")
    locations = pd.DataFrame({"id": ["P1"], "naam": ["P1"], "woningen": [800]})
    rows = score(model, ScoringInput(locations)).explanation.set_index("criterium")
    row = rows.loc["start_bouw"]
    assert row["status"] == "onbekend"
    assert row["reden"] == f"bron ontbreekt: {SOURCE}"


def points(stdout: str) -> dict[str, float | None]:
    return {
        record["id"]: next(c["punten"] for c in record["criteria"] if c["id"] == "start_bouw")
        for record in json.loads(stdout)
    }


def test_score_reads_the_workspace_ppm_at_the_latest_peilmoment(
    monkeypatch, capsys, files, workspace: Path
) -> None:
    args = ["score", str(files["locations"]), "--model", str(files["model"])]
    code, stdout, stderr = cli(monkeypatch, capsys, *args)
    assert code == 0, stderr
    assert "voortgang: peildatum 2025-Q3" in stderr  # the latest peilmoment in the workspace
    assert points(stdout) == {"P1": 10, "P2": 10, "P3": 0, "P4": None}
    totals = {r["id"]: r["totaal"] for r in json.loads(stdout)}
    assert totals == {"P1": 100, "P2": 75, "P3": 50, "P4": 50}
    # at 2025-Q1 P3 is 2 quarters late (6 points); at 2026-Q2 P1 is 2 (6), P3 7 (0)
    code, stdout, stderr = cli(monkeypatch, capsys, *args, "--peildatum", "2025-Q1")
    assert code == 0 and "peildatum 2025-Q1" in stderr
    assert points(stdout) == {"P1": 10, "P2": 10, "P3": 6, "P4": None}
    code, stdout, _ = cli(monkeypatch, capsys, *args, "--peildatum", "2026-05-15")
    assert code == 0
    assert points(stdout) == {"P1": 6, "P2": 10, "P3": 0, "P4": None}


def test_score_without_a_workspace_leaves_it_uncreated(
    monkeypatch, capsys, files, tmp_path: Path
) -> None:
    absent = tmp_path / "geen" / "ws.sqlite"
    monkeypatch.setenv("LOCATIESCAN_WORKSPACE", str(absent))
    code, stdout, stderr = cli(
        monkeypatch, capsys, "score", str(files["locations"]), "--model", str(files["model"])
    )
    assert code == 0, stderr
    assert set(points(stdout).values()) == {None}
    assert not absent.exists() and not absent.parent.exists()


def test_a_merged_id_in_the_ppm_counts_for_its_site(monkeypatch, capsys, tmp_path: Path) -> None:
    # DB-16 is listed as KL-01 (one site, Purmerend-Oostflank): its delay is KL-01's
    path = tmp_path / "ws.sqlite"
    rows = ppm_rows([("2025-Q3", "DB-16", "start_bouw", "2024-Q4", None)])  # 3 quarters late
    add_ppm_rows(Workspace.open(path), rows, "Tester", source="test")
    model = tmp_path / "model.yaml"
    model.write_text(yaml.safe_dump(MODEL), encoding="utf-8")
    code, stdout, stderr = cli(
        monkeypatch,
        capsys,
        "score",
        "--type",
        "koploper",
        "--model",
        str(model),
        "--workspace",
        str(path),
    )
    assert code == 0, stderr
    record = next(r for r in json.loads(stdout) if r["id"] == "KL-01")
    row = next(c for c in record["criteria"] if c["id"] == "start_bouw")
    assert (row["waarde"], row["punten"]) == (3, 0)


@pytest.mark.parametrize("value", ["morgen", "2025-Q5", "2025-02-30"])
def test_a_bad_peildatum_exits_2_in_both_languages(monkeypatch, capsys, files, value) -> None:
    code, stdout, stderr = cli(
        monkeypatch,
        capsys,
        "score",
        str(files["locations"]),
        "--model",
        str(files["model"]),
        "--peildatum",
        value,
    )
    assert code == 2 and stdout == ""
    assert "is neither a date (2026-03-31) nor a quarter (2026-Q1)" in stderr
    assert "is geen datum (2026-03-31) en geen kwartaal (2026-Q1)" in stderr


def test_a_werkruimte_with_its_own_milestone_list_validates_models_against_it(
    monkeypatch, capsys, files, workspace: Path, tmp_path: Path
) -> None:
    own = json.loads(json.dumps(MODEL))
    own["pijlers"]["voortgang"]["criteria"][0]["bron"] = (
        "voortgang.bouwvergunning.vertraging_kwartalen"
    )
    model = tmp_path / "eigen.yaml"
    model.write_text(yaml.safe_dump(own, sort_keys=False), encoding="utf-8")
    args = ["score", str(files["locations"]), "--format", "json"]
    # the standard list has no `bouwvergunning`: refused, naming the list in force
    code, _, stderr = cli(monkeypatch, capsys, *args, "--model", str(model))
    assert code == 2 and "onbekende mijlpaal 'bouwvergunning'" in stderr
    adapted = "mijlpalen:\n  - {id: bouwvergunning, label: Bouwvergunning, partij: publiek}\n"
    save_milestone_config(Workspace.open(workspace), adapted, "Anna")
    code, stdout, stderr = cli(monkeypatch, capsys, *args, "--model", str(model))
    assert code == 0, stderr
    # no PPM rows for `bouwvergunning`: known milestone, unknown delay for every project
    assert {r["id"]: next(c["status"] for c in r["criteria"] if c["id"] == "start_bouw")
            for r in json.loads(stdout)} == dict.fromkeys(HOMES, "onbekend")  # fmt: skip
    # and `start_bouw` is no longer in this werkruimte's list
    code, _, stderr = cli(monkeypatch, capsys, *args, "--model", str(files["model"]))
    assert code == 2 and "mijlpalen: bouwvergunning" in stderr


def test_the_project_context_reads_the_milestone_list_on_every_call(workspace: Path) -> None:
    ws = Workspace.open(workspace)
    context = ProjectContext.build(workspace=ws, offline=True)
    standard = [m.id for m in load_config().mijlpalen]
    assert context.known().milestone_ids() == standard
    adapted = "mijlpalen:\n  - {id: bouwvergunning, label: Bouwvergunning, partij: publiek}\n"
    save_milestone_config(ws, adapted, "Anna")  # a page session's context outlives this
    assert context.known().milestone_ids() == ["bouwvergunning"]
    assert ProjectContext.build(offline=True).known().milestones is None  # no werkruimte

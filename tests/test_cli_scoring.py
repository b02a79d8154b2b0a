"""`locatiescan score`, `validate-model`, `compare-models`, `sensitivity`: the console script
(subprocess) for the main path and `run()` in-process for the rest (same exit-code mapping)."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from shapely.geometry import box

from locatiescan.paths import SCORING_DIR
from support_cli import cli
from support_files import geojson

SCRIPT = Path(sys.executable).with_name("locatiescan")

# attributes and answers only: no layers, no indicators, so these runs need no screening
MODEL = {
    "naam": "CLI-test",
    "pijlers": {
        "omvang": {
            "gewicht": 0.6,
            "criteria": [
                {
                    "id": "woningen",
                    "label": "Woningen",
                    "bron": "attribuut.woningen",
                    "regels": [
                        {"als": ">= 500", "punten": 10},
                        {"als": ">= 100", "punten": 5},
                        {"anders": 0},
                    ],
                }
            ],
        },
        "grond": {
            "gewicht": 0.4,
            "criteria": [
                {
                    "id": "grond",
                    "label": "Grond",
                    "bron": "vraag.grondpositie",
                    "regels": [{"als": "== gemeente", "punten": 2}, {"anders": 1}],
                }
            ],
        },
    },
    "inzet": [
        {"vanaf": 50, "klasse": "A", "uren_per_maand": 10},
        {"anders": True, "klasse": "B", "uren_per_maand": 2},
    ],
    "vragen": [
        {"id": "grondpositie", "label": "Grond", "type": "keuze", "opties": ["gemeente", "geen"]}
    ],
}


@pytest.fixture(autouse=True)
def own_workspace(tmp_path: Path, monkeypatch) -> Path:
    """Every run reads (and the dossier commands write) a workspace of its own, never the
    developer's; the console-script subprocess inherits it through the environment."""
    path = tmp_path / "werkruimte" / "ws.sqlite"
    monkeypatch.setenv("LOCATIESCAN_WORKSPACE", str(path))
    return path


@pytest.fixture()
def files(tmp_path: Path) -> dict[str, Path]:
    """A model, three locations in Amsterdam (RD squares) and answers for two of them."""
    model = tmp_path / "model.yaml"
    model.write_text(yaml.safe_dump(MODEL, sort_keys=False), encoding="utf-8")
    squares = [box(121000 + 300 * i, 487000, 121100 + 300 * i, 487100) for i in range(3)]
    props = [
        {"id": "P1", "naam": "Groot", "woningen": 800},
        {"id": "P2", "naam": "Middel", "woningen": 200},
        {"id": "P3", "naam": "Klein", "woningen": 50},
    ]
    locations = geojson(
        tmp_path / "plannen.geojson",
        squares,
        props,
        {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::28992"}},
    )
    answers = tmp_path / "antwoorden.csv"
    answers.write_text("id;grondpositie\nP1;geen\nP2;gemeente\n", encoding="utf-8")
    return {"model": model, "locations": locations, "answers": answers}


def test_console_script_scores_the_koplopers_as_json(tmp_path: Path) -> None:
    answers = tmp_path / "a.csv"
    answers.write_text(
        "id,grondpositie,planfase,extra_betaalbaar\nKL-05,gemeente,vergunning,ja\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [
            str(SCRIPT),
            "score",
            "--type",
            "koploper",
            "--model",
            str(SCORING_DIR / "kansrijk_bouwen.yaml"),
            "--answers",
            str(answers),
            "--offline",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert sorted(r["id"] for r in doc) == ["KL-01", "KL-02", "KL-03", "KL-04", "KL-05"]
    assert [r["rang"] for r in doc] == sorted(r["rang"] for r in doc)
    first = doc[0]
    assert set(first) >= {
        "id",
        "naam",
        "totaal",
        "pijlers",
        "bonus",
        "klasse",
        "uren_per_maand",
        "rang",
        "criteria",
    }
    assert set(first["pijlers"]) == {"kwaliteit", "woningbehoefte", "haalbaarheid"}
    assert set(first["criteria"][0]) >= {
        "id",
        "waarde",
        "regel",
        "punten",
        "gewicht",
        "bijdrage",
        "status",
    }
    for record in doc:
        if record["id"] == "KL-05":
            continue
        assert sum(c["bijdrage"] for c in record["criteria"]) == pytest.approx(
            record["totaal"], abs=1e-3
        )
    kl05 = next(r for r in doc if r["id"] == "KL-05")
    by_id = {c["id"]: c for c in kl05["criteria"]}
    # KL-05 is known only by its gemeente: no layer value is its own, so below the model's
    # minimale_dekking (0.35) its total is withheld, and every layer criterion says why
    assert kl05["totaal"] is None and kl05["oordeel"].startswith("onvoldoende gegevens (")
    assert kl05["dekking"] < 0.35 and kl05["rang"] == 5
    for layer_criterion in ("natura2000_overlap", "water_bodem", "netcongestie"):
        row = by_id[layer_criterion]
        assert (row["status"], row["waarde"]) == ("onbekend", None)
        assert row["reden"] == "niet te bepalen: alleen de gemeente is bekend"
    assert (by_id["grondpositie"]["regel"], by_id["grondpositie"]["punten"]) == ("== gemeente", 10)
    assert by_id["extra_betaalbaar"]["bijdrage"] == 3 and kl05["bonus"] == 3
    assert by_id["start_bouw_3jaar"]["status"] == "onbekend"


def test_score_a_file_as_csv(monkeypatch, capsys, files) -> None:
    code, out, err = cli(
        monkeypatch,
        capsys,
        "score",
        str(files["locations"]),
        "--model",
        str(files["model"]),
        "--answers",
        str(files["answers"]),
        "--format",
        "csv",
    )
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    # P1: 100*(0.6*10/10 + 0.4*1/2) = 80 (A); P2: 100*(0.6*5/10 + 0.4*2/2) = 70 (A);
    # P3: woningen 0 points, no answer -> grond left out, omvang alone: 0 (B)
    assert [(r["id"], float(r["totaal"]), r["klasse"], r["rang"]) for r in rows] == [
        ("P1", 80.0, "A", "1"),
        ("P2", 70.0, "A", "2"),
        ("P3", 0.0, "B", "3"),
    ]
    assert float(rows[2]["ontbrekend_gewicht"]) == pytest.approx(0.4)
    # the known-weight share, the bounds and the rank interval are columns too: P3's unknown
    # grond (0.4) lies between 1 and 2 points -> 100*0.4*1/2 = 20 .. 100*0.4*2/2 = 40, rank 3
    assert (float(rows[2]["dekking"]), rows[2]["ontvankelijk"], rows[2]["oordeel"]) == (
        pytest.approx(0.6),
        "ja",
        "",
    )
    assert (float(rows[2]["totaal_min"]), float(rows[2]["totaal_max"])) == (20.0, 40.0)
    assert (rows[2]["rang_min"], rows[2]["rang_max"]) == ("3", "3")


def test_validate_model(monkeypatch, capsys, files, tmp_path: Path) -> None:
    code, out, _ = cli(
        monkeypatch, capsys, "validate-model", str(SCORING_DIR / "doorbraak_shortlist.yaml")
    )
    assert code == 0
    assert out.strip() == (
        "ok: doorbraak_shortlist.yaml: Doorbraakaanpak shortlist "
        "(5 pijlers, 10 criteria, 0 bonus, 6 vragen)"
    )
    bad = dict(MODEL, pijlers=dict(MODEL["pijlers"]))
    bad["pijlers"]["omvang"] = {
        "gewicht": 0.5,
        "criteria": [
            {
                "id": "woningen",
                "label": "W",
                "bron": "laag.natura2000.afstand",
                "regels": [{"als": "=> 1", "punten": 1}],
            }
        ],
    }
    path = tmp_path / "fout.yaml"
    path.write_text(yaml.safe_dump(bad), encoding="utf-8")
    code, out, err = cli(monkeypatch, capsys, "validate-model", str(path))
    assert code == 2 and out == ""
    assert "fout.yaml: invalid scoring model (2 problems)" in err
    assert (
        "pijler omvang, criterium woningen, bron: layer 'natura2000' has no metric 'afstand'" in err
    )
    assert "pijler omvang, criterium woningen, regel 1, als: bad condition '=> 1'" in err
    assert "fout.yaml: ongeldig scoremodel" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["score", "{locations}", "--type", "koploper", "--model", "{model}"], "not both"),
        (
            ["score", "--type", "koploper", "--model", "{tmp}/ontbreekt.yaml"],
            "cannot read scoring model",
        ),
        (
            ["score", "{locations}", "--model", "{model}", "--answers", "{tmp}/fout.csv"],
            "answers do not fit",
        ),
        (["score", "{locations}"], "Missing option '--model'"),
        (
            ["sensitivity", "--model", "{model}", "--input", "{locations}", "--swap", "P1"],
            "exactly two",
        ),
        (
            ["sensitivity", "--model", "{model}", "--input", "{locations}", "--draws", "0"],
            "draws must be at least 1",
        ),
    ],
)
def test_bad_input_exits_2(
    monkeypatch, capsys, files, tmp_path: Path, args: list[str], fragment: str
) -> None:
    (tmp_path / "fout.csv").write_text("id,grondpositie\nP1,corporatie\n", encoding="utf-8")
    values = {"locations": files["locations"], "model": files["model"], "tmp": tmp_path}
    code, _, err = cli(monkeypatch, capsys, *[a.format(**values) for a in args])
    assert code == 2
    assert fragment in err
    assert "Traceback" not in err


def test_compare_models(monkeypatch, capsys, files, tmp_path: Path) -> None:
    other = dict(
        MODEL, naam="Alleen grond", pijlers={"grond": dict(MODEL["pijlers"]["grond"], gewicht=1.0)}
    )
    path_b = tmp_path / "b.yaml"
    path_b.write_text(yaml.safe_dump(other), encoding="utf-8")
    code, out, err = cli(
        monkeypatch,
        capsys,
        "compare-models",
        str(files["model"]),
        str(path_b),
        "--input",
        str(files["locations"]),
        "--answers",
        str(files["answers"]),
        "--format",
        "csv",
    )
    assert code == 0, err
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(out))}
    # model b: P2 100 (gemeente), P1 50 (geen), P3 unknown -> no total, no rank
    assert (rows["P2"]["totaal_b"], rows["P2"]["rang_b"], rows["P2"]["rang_verandering"]) == (
        "100.0",
        "1",
        "1",
    )
    assert (rows["P1"]["totaal_b"], rows["P1"]["rang_b"], rows["P1"]["rang_verandering"]) == (
        "50.0",
        "2",
        "-1",
    )
    assert rows["P3"]["totaal_b"] == "" and rows["P3"]["rang_b"] == ""
    assert list(rows) == ["P2", "P1", "P3"]


def test_sensitivity_and_swap(monkeypatch, capsys, files) -> None:
    base = [
        "sensitivity",
        "--model",
        str(files["model"]),
        "--input",
        str(files["locations"]),
        "--answers",
        str(files["answers"]),
    ]
    code, out, err = cli(
        monkeypatch, capsys, *base, "--top-k", "1", "--draws", "200", "--format", "csv"
    )
    assert code == 0, err
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(out))}
    assert set(rows) == {"P1", "P2", "P3"}
    assert rows["P3"]["rang_min"] == rows["P3"]["rang_max"] == "3"
    assert float(rows["P1"]["p_top_k"]) + float(rows["P2"]["p_top_k"]) == pytest.approx(1.0)
    code, out, err = cli(monkeypatch, capsys, *base, "--swap", "P1", "--swap", "P2")
    assert code == 0, err
    swap = json.loads(out)
    # P1 = (1, 0.5), P2 = (0.5, 1): D0 = 10; tie when omvang drops to 0.5 (grond rises to 0.5)
    assert (swap["a"], swap["b"], swap["verschil"]) == ("P1", "P2", 10.0)
    assert swap["kleinste"] == {"omvang": 0.5, "grond": 0.5}
    assert [p["nieuw_gewicht"] for p in swap["per_pijler"]] == [0.5, 0.5]


def set_cells(path: Path, edits: dict[tuple[str, str], object]) -> Path:
    """Edit the Dossier sheet of a template like a user: (location id, header) -> value."""
    from openpyxl import load_workbook

    book = load_workbook(path)
    sheet = book["Dossier"]
    header = [c.value for c in sheet[1]]
    rows = {sheet.cell(r, 1).value: r for r in range(2, sheet.max_row + 1)}
    for (location_id, column), value in edits.items():
        sheet.cell(rows[location_id], header.index(column) + 1).value = value
    book.save(path)
    return path


def criterion(doc: list[dict], location_id: str, criterion_id: str) -> dict:
    record = next(r for r in doc if r["id"] == location_id)
    return next(c for c in record["criteria"] if c["id"] == criterion_id)


def test_dossier_export_import_and_score_uses_the_dossier(
    monkeypatch, capsys, tmp_path: Path, own_workspace: Path
) -> None:
    template = tmp_path / "dossier.xlsx"
    code, out, err = cli(
        monkeypatch, capsys, "dossier", "export", "--type", "doorbraak", "--out", str(template)
    )
    assert code == 0, err
    assert "23 locations" in out and not own_workspace.exists()  # export creates nothing
    code, out, _ = cli(monkeypatch, capsys, "dossier", "import", str(template), "--who", "Anna")
    assert code == 0 and "0 feiten vastgelegd" in out  # an unchanged template writes nothing
    set_cells(
        template,
        {("DB-04", "Grondpositie"): "gemeente", ("DB-04", "Bron: Grondpositie"): "gebiedsvisie"},
    )
    code, out, err = cli(monkeypatch, capsys, "dossier", "import", str(template), "--who", "Anna")
    assert code == 0 and "1 feiten vastgelegd voor 1 locaties" in out, err

    model = str(SCORING_DIR / "doorbraak_shortlist.yaml")
    base = ["score", "--type", "doorbraak", "--model", model, "--offline"]
    code, out, err = cli(monkeypatch, capsys, *base)
    assert code == 0, err
    doc = json.loads(out)
    assert criterion(doc, "DB-04", "grondpositie")["waarde"] == "gemeente"
    # the registry layer: DB-01's status names its bestuursovereenkomst (locaties.csv line 7)
    assert criterion(doc, "DB-01", "lopende_afspraken")["waarde"] == "bestuursovereenkomst"
    code, out, _ = cli(monkeypatch, capsys, *base, "--no-dossier")
    assert criterion(json.loads(out), "DB-04", "grondpositie")["status"] == "onbekend"
    answers = tmp_path / "antwoorden.csv"
    answers.write_text("id,grondpositie\nDB-04,geen\n", encoding="utf-8")
    code, out, _ = cli(monkeypatch, capsys, *base, "--answers", str(answers))
    assert criterion(json.loads(out), "DB-04", "grondpositie")["waarde"] == "geen"  # file wins

    code, out, _ = cli(monkeypatch, capsys, "dossier", "show", "DB-04", "--format", "json")
    facts = {r["feit"]: r for r in json.loads(out)}
    assert (
        facts["grondpositie"]["bron"] == "gebiedsvisie" and facts["grondpositie"]["door"] == "Anna"
    )


def test_dossier_import_with_problems_exits_2_listing_each_and_applies_nothing(
    monkeypatch, capsys, tmp_path: Path
) -> None:
    template = tmp_path / "dossier.xlsx"
    cli(monkeypatch, capsys, "dossier", "export", "--out", str(template))
    set_cells(
        template,
        {
            ("DB-02", "Grondpositie"): "gemeente",  # valid, but must not be applied
            ("DB-03", "Planfase"): "bijna klaar",
            ("DB-05", "Aandeel betaalbaar (%)"): "veel",
        },
    )
    code, out, err = cli(monkeypatch, capsys, "dossier", "import", str(template), "--who", "Anna")
    assert code == 2 and "Traceback" not in err
    assert "2 problem(s), nothing applied" in err and "niets verwerkt" in err
    # rows: 1 header, 2 KL-01 (also doorbraak: one site with DB-16), 3 DB-01, 4 DB-02, 5 DB-03
    assert "row 5, column 'Planfase'" in err and "rij 5, kolom 'Planfase'" in err
    assert "rij 7, kolom 'Aandeel betaalbaar (%)': 'veel' is geen getal" in err
    code, out, _ = cli(monkeypatch, capsys, "dossier", "show", "DB-02", "--history")
    assert "gemeente" not in out


def test_score_uses_the_stored_outline_of_a_gemeente_level_site(
    monkeypatch, capsys, tmp_path: Path, own_workspace: Path
) -> None:
    from locatiescan.workspace import Workspace
    from locatiescan.workspace.outlines import set_outline

    model = tmp_path / "natura.yaml"
    model.write_text(
        yaml.safe_dump(
            {
                "naam": "Natura-test",
                "pijlers": {
                    "natuur": {
                        "gewicht": 1,
                        "criteria": [
                            {
                                "id": "overlap",
                                "label": "Overlap Natura 2000",
                                "bron": "laag.natura2000.overlap_pct",
                                "regels": [{"als": "== 0", "punten": 10}, {"anders": 0}],
                            }
                        ],
                    }
                },
                "inzet": [{"anders": True, "klasse": "A", "uren_per_maand": 1}],
            }
        ),
        encoding="utf-8",
    )
    args = ["score", "--type", "doorbraak", "--model", str(model), "--offline"]
    code, out, err = cli(monkeypatch, capsys, *args)
    assert code == 0, err
    ede = criterion(json.loads(out), "DB-10", "overlap")  # Ede / Wageningen: gemeente only
    assert (ede["status"], ede["waarde"]) == ("onbekend", None)
    assert ede["reden"] == "niet te bepalen: alleen de gemeente is bekend"
    assert not own_workspace.exists()  # scoring never creates the workspace
    # drawn: 200 m x 200 m inside Natura 2000 "Veluwe" in Ede -> 100 %, rule "anders": 0 points
    set_outline(Workspace.open(own_workspace), "DB-10", box(178000, 452000, 178200, 452200), "T")
    code, out, err = cli(monkeypatch, capsys, *args)
    assert code == 0, err
    ede = criterion(json.loads(out), "DB-10", "overlap")
    assert (ede["status"], ede["waarde"], ede["punten"]) == ("ok", pytest.approx(100.0), 0)

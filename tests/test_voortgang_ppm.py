"""PPM: a spreadsheet for 10 projects over 3 peilmomenten, imported through the CLI, then the
delayed milestones and their slippage in quarters as computed by hand; a bad date blocks all."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from locatiescan.voortgang import load_config, ppm_status, read_ppm, template_xlsx
from locatiescan.workspace import Workspace
from locatiescan.workspace.voortgang import ppm_records
from support_cli import cli

CONFIG = load_config()
P1, P2, P3 = "2025-Q3", "2025-Q4", "2026-Q1"
# (peilmoment, project, mijlpaal, gepland, gerealiseerd). Quarters count as year*4 + q.
ROWS = [
    # KL-01: planned 2025-Q4 at every update, never realised -> at 2026-Q1 delayed 1 quarter.
    *[(p, "KL-01", "omgevingsplan_vastgesteld", "2025-Q4", None) for p in (P1, P2, P3)],
    *[(p, "KL-01", "Start bouw", "Q3 2026", None) for p in (P1, P2, P3)],  # label + other form
    # KL-02: planned 2025-Q3, realised 2025-Q4 (reported at 2026-Q1) -> not delayed.
    (P1, "KL-02", "start_bouw", "2025-Q3", None),
    (P2, "KL-02", "start_bouw", "2025-Q3", None),
    (P3, "KL-02", "start_bouw", "2025-Q3", "2025-Q4"),
    # KL-03: replanned 2025-Q4 -> 2026-Q2: slipped 2 quarters but not yet due -> not delayed.
    (P1, "KL-03", "ontwerp_omgevingsplan", "2025-Q4", None),
    (P2, "KL-03", "ontwerp_omgevingsplan", "2026-Q2", None),
    (P3, "KL-03", "ontwerp_omgevingsplan", "2026-Q2", None),
    # KL-04: planned 2025-Q2, open -> delayed 2026-Q1 - 2025-Q2 = 3 quarters, no slippage.
    *[(p, "KL-04", "onherroepelijk", "2025-Q2", None) for p in (P1, P2, P3)],
    # KL-05: 2025-Q3, then 2025-Q4, then still 2025-Q4 open -> delayed 1; slipped 0 since the
    # previous update, 1 since the first planning.
    (P1, "KL-05", "eerste_oplevering", "2025-Q3", None),
    (P2, "KL-05", "eerste_oplevering", "2025-Q4", None),
    (P3, "KL-05", "eerste_oplevering", "2025-Q4", None),
    # DB-01: 2025-Q1 -> 2025-Q3 -> 2025-Q4, open -> delayed 1; slipped 1 since the previous
    # update, 2025-Q4 - 2025-Q1 = 3 since the first.
    (P1, "DB-01", "start_bouw", "2025-Q1", None),
    (P2, "DB-01", "start_bouw", "2025-Q3", None),
    (P3, "DB-01", "start_bouw", "2025-Q4", None),
    # DB-02: planned in the peildatum's own quarter -> not (yet) delayed.
    *[(p, "DB-02", "stedenbouwkundig_plan", "2026-Q1", None) for p in (P1, P2, P3)],
    # DB-03: realised on time; and a milestone without planning (onbekend, never delayed).
    *[(p, "DB-03", "initiatief", "2024-Q4", "2024-Q4") for p in (P1, P2, P3)],
    *[(p, "DB-03", "laatste_oplevering", None, None) for p in (P1, P2, P3)],
    # DB-04: missing from the 2026-Q1 update: its 2025-Q4 state counts. 2025-Q2 -> 2025-Q4,
    # open -> delayed 1; slipped 2 since the previous (and first) planning.
    (P1, "DB-04", "start_bouw", "2025-Q2", None),
    (P2, "DB-04", "start_bouw", "2025-Q4", None),
    # DB-05: first reported at 2026-Q1, planned 2025-Q3, open -> delayed 2; no previous update.
    (P3, "DB-05", "omgevingsplan_vastgesteld", "2025-Q3", None),
]
# At peildatum 2026-03-31 (2026-Q1), longest delay first, then by id:
# (id, mijlpaal, vertraging, verschuiving t.o.v. vorige, verschuiving t.o.v. eerste planning)
EXPECTED_2026_Q1 = [
    ("KL-04", "onherroepelijk", 3, 0, 0),
    ("DB-05", "omgevingsplan_vastgesteld", 2, None, 0),
    ("DB-01", "start_bouw", 1, 1, 3),
    ("DB-04", "start_bouw", 1, 2, 2),
    ("KL-01", "omgevingsplan_vastgesteld", 1, 0, 0),
    ("KL-05", "eerste_oplevering", 1, 0, 1),
]
# At 2025-12-31 (2025-Q4) only the first two updates count:
# KL-04 2025-Q4 - 2025-Q2 = 2; KL-02 and DB-01 planned 2025-Q3, open: 1 each.
EXPECTED_2025_Q4 = [("KL-04", 2), ("DB-01", 1), ("KL-02", 1)]


def filled_template(rows: list[tuple], path: Path) -> Path:
    """The template as a planner fills it in: rows below the Dutch header of sheet 'PPM'."""
    book = load_workbook(io.BytesIO(template_xlsx(CONFIG)))
    sheet = book["PPM"]
    for peil, project, milestone, planned, actual in rows:
        sheet.append([peil, project, f"Project {project}", milestone, planned, actual])
    book.save(path)
    return path


@pytest.fixture
def workspace_path(tmp_path: Path) -> Path:
    return tmp_path / "werkruimte.sqlite"


def status_json(monkeypatch, capsys, workspace_path: Path, peildatum: str) -> list[dict]:
    code, out, err = cli(
        monkeypatch,
        capsys,
        "voortgang",
        "status",
        "--peildatum",
        peildatum,
        "--format",
        "json",
        "--werkruimte",
        str(workspace_path),
    )
    assert code == 0, err
    return json.loads(out)


def test_import_three_peilmomenten_then_status_lists_exactly_the_hand_computed_delays(
    tmp_path, workspace_path, monkeypatch, capsys
):
    sheet = filled_template(ROWS, tmp_path / "ppm.xlsx")
    code, out, err = cli(
        monkeypatch,
        capsys,
        "voortgang",
        "import",
        str(sheet),
        "--door",
        "Anna",
        "--werkruimte",
        str(workspace_path),
    )
    assert code == 0, err
    assert json.loads(out)["ingelezen"] == len(ROWS) == 33  # 6+3+3+3+3 + 3+3+6+2+1

    listed = status_json(monkeypatch, capsys, workspace_path, "2026-03-31")
    got = [
        (
            r["id"],
            r["mijlpaal"],
            r["vertraging_kwartalen"],
            r["verschuiving_vorige_kwartalen"],
            r["verschuiving_totaal_kwartalen"],
        )
        for r in listed
    ]
    assert got == EXPECTED_2026_Q1
    assert all(r["vertraagd"] for r in listed)
    kl01 = listed[4]
    assert (kl01["projectnaam"], kl01["verantwoordelijke"], kl01["gepland"]) == (
        "Project KL-01",
        "publiek",  # the milestone's default party (scoring/voortgang/mijlpalen.yaml)
        "2025-Q4",
    )

    earlier = status_json(monkeypatch, capsys, workspace_path, "2025-Q4")
    assert [(r["id"], r["vertraging_kwartalen"]) for r in earlier] == EXPECTED_2025_Q4


def test_second_import_with_one_bad_date_applies_nothing_and_names_the_cell(
    tmp_path, workspace_path, monkeypatch, capsys
):
    good = filled_template(ROWS, tmp_path / "ppm.xlsx")
    assert (
        cli(
            monkeypatch,
            capsys,
            "voortgang",
            "import",
            str(good),
            "--door",
            "Anna",
            "--werkruimte",
            str(workspace_path),
        )[0]
        == 0
    )
    update = [
        ("2026-Q2", "KL-04", "onherroepelijk", "2025-Q2", "2026-Q2"),
        ("2026-Q2", "KL-01", "omgevingsplan_vastgesteld", "2026-Q5", None),  # row 3
        ("2026-Q2", "DB-05", "omgevingsplan_vastgesteld", "2025-Q3", "2026-Q1"),
    ]
    bad = filled_template(update, tmp_path / "ppm_update.xlsx")
    code, _, err = cli(
        monkeypatch,
        capsys,
        "voortgang",
        "import",
        str(bad),
        "--door",
        "Anna",
        "--werkruimte",
        str(workspace_path),
    )
    assert code == 2
    assert "Cel E3 (Gepland): '2026-Q5' is geen kwartaal" in err
    assert "er is niets ingelezen" in err
    assert "Traceback" not in err
    assert len(ppm_records(Workspace.open(workspace_path))) == len(ROWS)  # nothing applied


def test_every_bad_cell_is_reported_with_its_column(tmp_path):
    rows = [
        ("2025-Q3", "KL-01", "bouwvergunning", "2025-Q4", None),  # D2: unknown milestone
        ("2025-Q3", "XX-99", "start_bouw", "2025-Q4", None),  # B3: unknown location
        ("2025-Q3", "KL-02", "start_bouw", "2025-Q1", "2025-Q4"),  # F4: after the peilmoment
        ("", "KL-03", "start_bouw", "2025-Q1", None),  # A5: empty peilmoment
        ("2025-Q3", "KL-01", "omgevingsplan_vastgesteld", "2025-Q4", None),
        ("2025-Q3", "KL-01", "Omgevingsplan vastgesteld", "2025-Q4", None),  # D7: duplicate
    ]
    check = read_ppm(
        filled_template(rows, tmp_path / "ppm.xlsx"), CONFIG, {"KL-01", "KL-02", "KL-03"}
    )
    assert [(p.cel, p.kolom) for p in check.problemen] == [
        ("D2", "Mijlpaal"),
        ("B3", "Project-id"),
        ("F4", "Gerealiseerd"),
        ("A5", "Peilmoment"),
        ("D7", "Mijlpaal"),
    ]
    assert "staat al op rij 6" in check.problemen[-1].probleem
    assert not check.ok


def test_status_is_relative_to_the_peildatum_and_keeps_every_update(tmp_path):
    check = read_ppm(filled_template(ROWS, tmp_path / "ppm.xlsx"), CONFIG)
    ws = Workspace.open(tmp_path / "ws.sqlite")
    from locatiescan.workspace.voortgang import add_ppm_rows

    add_ppm_rows(ws, check.rows, "Anna", "ppm.xlsx")
    # a correction within peilmoment 2026-Q1: DB-05 was realised after all
    fix = check.rows[check.rows["id"] == "DB-05"].assign(gerealiseerd="2026-Q1")
    add_ppm_rows(ws, fix, "Bert", "correctie")
    records = ppm_records(ws)
    assert len(records) == len(ROWS) + 1  # history kept, nothing overwritten
    status = ppm_status(records, "2026-03-31", CONFIG)
    assert "DB-05" not in set(status.loc[status["vertraagd"], "id"])
    before = ppm_status(records, "2025-09-30", CONFIG)
    assert set(before.loc[before["vertraagd"], "id"]) == {"KL-04", "DB-01", "DB-04"}
    # 2025-Q3: KL-04 (2025-Q2), DB-01 (2025-Q1), DB-04 (2025-Q2) are past due.


def test_export_round_trips_and_pdf_lists_the_delays(tmp_path, workspace_path, monkeypatch, capsys):
    from pypdf import PdfReader

    sheet = filled_template(ROWS, tmp_path / "ppm.xlsx")
    args = ("--werkruimte", str(workspace_path))
    assert (
        cli(monkeypatch, capsys, "voortgang", "import", str(sheet), "--door", "Anna", *args)[0] == 0
    )
    out = tmp_path / "export.xlsx"
    assert (
        cli(monkeypatch, capsys, "voortgang", "export", str(out), "--peildatum", "2026-Q1", *args)[
            0
        ]
        == 0
    )
    book = load_workbook(out)
    assert book.sheetnames == ["PPM", "Vertraagd", "Uitleg", "Mijlpalen"]
    assert book["Vertraagd"].max_row == 1 + len(EXPECTED_2026_Q1)
    # the export is itself a valid import: the whole history again in a fresh werkruimte
    other = tmp_path / "ander.sqlite"
    assert (
        cli(
            monkeypatch,
            capsys,
            "voortgang",
            "import",
            str(out),
            "--door",
            "Bert",
            "--werkruimte",
            str(other),
        )[0]
        == 0
    )
    assert len(ppm_records(Workspace.open(other))) == len(ROWS)
    pdf = tmp_path / "voortgang.pdf"
    assert (
        cli(monkeypatch, capsys, "voortgang", "export", str(pdf), "--peildatum", "2026-Q1", *args)[
            0
        ]
        == 0
    )
    text = " ".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "Vertraagde mijlpalen (6)" in text and "KL-04" in text
    code, _, err = cli(monkeypatch, capsys, "voortgang", "status", "--peildatum", "gisteren", *args)
    assert code == 2 and "--peildatum" in err

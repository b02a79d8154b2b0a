"""Voortgang in the workspace (schema v4): append-only history, alternatives, the werkruimte's
own milestone list, realisation import, quarters, and the scoring input per project."""

from __future__ import annotations

import io
import sqlite3

import pandas as pd
import pytest
from openpyxl import Workbook

from locatiescan.errors import ConfigError, InputError
from locatiescan.voortgang import (
    delay_list,
    load_config,
    parse_kwartaal,
    ppm_status,
    read_realisatie,
    vertraging_per_project,
)
from locatiescan.voortgang.kwartaal import Kwartaal
from locatiescan.workspace import Workspace
from locatiescan.workspace.voortgang import (
    add_ppm_rows,
    add_realisation,
    alternatives,
    link_alternative,
    milestone_config,
    ppm_records,
    realisation,
    save_milestone_config,
)

ROWS = pd.DataFrame(
    [
        # peilmoment, id, projectnaam, mijlpaal, gepland, gerealiseerd, verantwoordelijke, toel.
        ("2025-Q3", "P1", "Een", "start_bouw", "2025-Q1", None, "privaat", ""),
        ("2025-Q4", "P1", "Een", "start_bouw", "2025-Q2", None, "privaat", "schuift"),
        ("2025-Q4", "P1", "Een", "onherroepelijk", "2024-Q4", "2025-Q1", "publiek", ""),
        ("2025-Q4", "P2", "Twee", "start_bouw", "2026-Q3", None, "privaat", ""),
    ],
    columns=[
        "peilmoment",
        "id",
        "projectnaam",
        "mijlpaal",
        "gepland",
        "gerealiseerd",
        "verantwoordelijke",
        "toelichting",
    ],
)


@pytest.fixture
def ws(tmp_path) -> Workspace:
    workspace = Workspace.open(tmp_path / "ws.sqlite")
    add_ppm_rows(workspace, ROWS, "Anna", "test")
    return workspace


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-Q3", (2025, 3)),
        ("Q3 2025", (2025, 3)),
        ("2025 k3", (2025, 3)),
        ("K1-2026", (2026, 1)),
        ("2025Q4", (2025, 4)),
        ("2025-08-15", (2025, 3)),
    ],
)
def test_quarter_forms(text, expected):
    assert parse_kwartaal(text) == Kwartaal(*expected)


@pytest.mark.parametrize("text", ["2025-Q5", "2025", "Q3", "2025-02-30", "1800-Q1"])
def test_bad_quarters_are_refused_in_dutch(text):
    with pytest.raises(ValueError, match="kwartaal|datum|jaar"):
        parse_kwartaal(text)


def test_history_is_append_only(ws):
    with sqlite3.connect(ws.path) as conn, pytest.raises(sqlite3.IntegrityError):
        conn.execute("UPDATE ppm_updates SET planned = '2030-Q1'")
    with sqlite3.connect(ws.path) as conn, pytest.raises(sqlite3.IntegrityError):
        conn.execute("DELETE FROM ppm_updates")
    assert len(ppm_records(ws)) == 4


def test_vertraging_per_project_is_the_scoring_input(ws):
    table = vertraging_per_project(ws, "2026-01-15")  # 2026-Q1
    assert table.index.name == "id"
    assert list(table.columns[:2]) == [
        "initiatief.vertraging_kwartalen",
        "intentieovereenkomst.vertraging_kwartalen",
    ]
    # P1 start_bouw: planned 2025-Q2, open: 2026-Q1 - 2025-Q2 = 3 quarters
    assert table.loc["P1", "start_bouw.vertraging_kwartalen"] == 3
    # P1 onherroepelijk: planned 2024-Q4, realised 2025-Q1: 1 quarter late
    assert table.loc["P1", "onherroepelijk.vertraging_kwartalen"] == 1
    # P2 start_bouw planned 2026-Q3: on schedule (0); no planning for initiatief: onbekend
    assert table.loc["P2", "start_bouw.vertraging_kwartalen"] == 0
    assert pd.isna(table.loc["P2", "initiatief.vertraging_kwartalen"])
    same = vertraging_per_project(ppm_records(ws), "2026-Q1")
    pd.testing.assert_frame_equal(table, same)


def test_alternatives_are_linked_unlinked_and_listed(ws):
    link_alternative(ws, "P1", "KL-03", "Anna", note="naar voren halen")
    link_alternative(ws, "P1", "KL-04", "Anna")
    link_alternative(ws, "P1", "KL-04", "Bert", linked=False)
    assert list(alternatives(ws)["alternatief"]) == ["KL-03"]
    listed = delay_list(ppm_status(ppm_records(ws), "2026-Q1", load_config()), alternatives(ws))
    assert list(listed["id"]) == ["P1"]
    assert listed.loc[0, "alternatieven"] == "KL-03"
    with pytest.raises(InputError):
        link_alternative(ws, "P1", "P1", "Anna")


def test_werkruimte_adapts_the_milestone_list(ws):
    assert milestone_config(ws) == load_config()
    adapted = "mijlpalen:\n  - {id: bouwvergunning, label: Bouwvergunning, partij: publiek}\n"
    save_milestone_config(ws, adapted, "Anna")
    assert [m.id for m in milestone_config(ws).mijlpalen] == ["bouwvergunning"]
    with pytest.raises(ConfigError, match=r"mijlpalen\.0\.partij"):
        save_milestone_config(ws, adapted.replace("publiek", "iedereen"), "Anna")
    save_milestone_config(ws, None, "Anna")
    assert milestone_config(ws) == load_config()


def xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Realisatie"
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_realisation_import_checks_every_cell(tmp_path):
    codes = {"GM0034", "GM0995"}
    header = ["Gemeentecode", "Jaar", "Netto toevoeging", "Bron"]
    good = read_realisatie(
        xlsx([header, ["GM0034", 2021, "1.500", "CBS"], ["gm0995", 2021, -3]]), codes
    )
    assert good.ok
    assert good.rows["netto_toevoeging"].tolist() == [1500, -3]  # '1.500' is Dutch for 1500
    bad = read_realisatie(
        xlsx(
            [
                header,
                ["GM9999", 2021, 1],
                ["GM0034", "twintig", 2],
                ["GM0034", 2022, "1.5"],
                ["GM0034", 2021, 4],
                ["GM0034", 2021, 5],
            ]
        ),
        codes,
    )
    assert [(p.cel, p.kolom) for p in bad.problemen] == [
        ("A2", "Gemeentecode"),
        ("B3", "Jaar"),
        ("C4", "Netto toevoeging"),
        ("B6", "Jaar"),  # GM0034 2021 already on row 5
    ]
    ws = Workspace.open(tmp_path / "ws.sqlite")
    add_realisation(ws, good.rows, "Anna", "realisatie.xlsx")
    stored = realisation(ws)
    assert stored[["gemeentecode", "bron"]].values.tolist() == [
        ["GM0034", "CBS"],
        ["GM0995", "realisatie.xlsx"],
    ]

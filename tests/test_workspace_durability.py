"""Workspace under stress: a writer killed mid-transaction, and sessions writing at once."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import threading

import geopandas as gpd
import shapely

from locatiescan.workspace import Workspace, WorkspaceConflictError

# Child: stores 1,000 locations in one add_locations call, but pauses inside the transaction
# after 500 rows (the row generator is wrapped) so the parent can kill it mid-write.
CRASHING_WRITER = """
import sys, time
import geopandas as gpd, shapely
from locatiescan.workspace import Workspace, store

real_rows = store.location_rows

def rows_then_hang(gdf, ids):
    for n, row in enumerate(real_rows(gdf, ids)):
        if n == 500:
            print("midden in transactie", flush=True)
            time.sleep(120)
        yield row

store.location_rows = rows_then_hang
gdf = gpd.GeoDataFrame(
    {"id": [f"GROOT-{i}" for i in range(1000)]},
    geometry=[shapely.box(i, 0, i + 1, 1) for i in range(1000)],
    crs=28992,
)
Workspace.open(sys.argv[1]).add_locations(gdf, "groot bestand", "Crash")
"""

# Child: waits for the start file, then appends decisions and upserts its own question.
CONCURRENT_WRITER = """
import pathlib, sys, time
from locatiescan.workspace import Workspace

path, who, question, start = sys.argv[1:5]
ws = Workspace.open(path)
print("klaar", flush=True)
while not pathlib.Path(start).exists():
    time.sleep(0.005)
for n in range(40):
    location = f"LOC-{n % 5}"
    ws.record_decision(location, "m", "aangehouden", f"{who} {n}", who)
    ws.set_facts(location, {question: n, "gedeeld": who}, who)
"""


def seeded_workspace(path):
    ws = Workspace.open(path)
    gdf = gpd.GeoDataFrame(
        {"id": ["VEILIG-1", "VEILIG-2"], "naam": ["Reeënveld", "Hoge Weide"]},
        geometry=[shapely.box(0, 0, 10, 10), shapely.box(20, 0, 30, 10)],
        crs=28992,
    )
    ws.add_locations(gdf, "eerder opgeslagen", "Anna")
    ws.record_decision("VEILIG-1", "m", "op_shortlist", "bewaard", "Anna")
    ws.set_facts("VEILIG-1", {"grondpositie": "ja"}, "Anna")
    ws.save_model("eigen", "a: 1\n", "Anna")
    return ws


def test_killed_writer_loses_nothing_saved_and_leaves_no_partial_rows(tmp_path):
    path = tmp_path / "ws.sqlite"
    seeded_workspace(path)
    child = subprocess.Popen(
        [sys.executable, "-c", CRASHING_WRITER, str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout.readline().strip() == "midden in transactie", child.stderr.read()
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL

    ws = Workspace.open(path)

    assert ws.locations()["id"].tolist() == ["VEILIG-1", "VEILIG-2"]
    assert ws.locations()["naam"].tolist() == ["Reeënveld", "Hoge Weide"]
    assert ws.imports()["bron"].tolist() == ["eerder opgeslagen"]
    assert ws.decisions()["notitie"].tolist() == ["bewaard"]
    assert ws.facts().loc["VEILIG-1", "grondpositie"] == "ja"
    assert ws.saved_model("eigen").version == 1
    conn = sqlite3.connect(path)
    partial = conn.execute("SELECT COUNT(*) FROM locations WHERE location_id LIKE 'GROOT-%'")
    assert partial.fetchone() == (0,)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    ws.record_decision("VEILIG-2", "m", "aangehouden", "na de crash", "Bert")  # lock released
    assert len(ws.decisions()) == 2


def test_two_processes_writing_at_once_keep_every_row(tmp_path):
    path = tmp_path / "ws.sqlite"
    Workspace.open(path)
    start = tmp_path / "start"
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", CONCURRENT_WRITER, str(path), who, question, str(start)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for who, question in (("Anna", "grondpositie_score"), ("Bert", "planfase_score"))
    ]
    for writer in writers:
        assert writer.stdout.readline().strip() == "klaar", writer.stderr.read()
    start.touch()
    for writer in writers:
        _, err = writer.communicate(timeout=120)
        assert writer.returncode == 0, err

    ws = Workspace.open(path)
    history = ws.decisions(current_only=False)
    assert len(history) == 80
    assert sorted(history["notitie"]) == sorted(
        f"{who} {n}" for who in ("Anna", "Bert") for n in range(40)
    )
    assert history["volgnummer"].is_unique
    answers = ws.facts()
    for k in range(5):  # last write of LOC-k by each writer was n = 35 + k
        assert answers.loc[f"LOC-{k}", "grondpositie_score"] == 35 + k
        assert answers.loc[f"LOC-{k}", "planfase_score"] == 35 + k
        assert answers.loc[f"LOC-{k}", "gedeeld"] in {"Anna", "Bert"}
    assert len(ws.decisions()) == 5


def test_two_threads_saving_the_same_model_version_one_wins_one_conflicts(tmp_path):
    ws = Workspace.open(tmp_path / "ws.sqlite")
    ws.save_model("gedeeld", "a: 0\n", "setup")
    barrier = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def save(who):
        barrier.wait()
        try:
            outcomes[who] = ws.save_model("gedeeld", f"door: {who}\n", who, expected_version=1)
        except WorkspaceConflictError as err:
            outcomes[who] = err

    threads = [threading.Thread(target=save, args=(who,)) for who in ("Anna", "Bert")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    winners = [who for who, result in outcomes.items() if result == 2]
    losers = [who for who, result in outcomes.items() if isinstance(result, WorkspaceConflictError)]
    assert len(winners) == 1 and len(losers) == 1
    assert ws.load_model_text("gedeeld") == f"door: {winners[0]}\n"
    assert ws.models()["versie"].tolist() == [2]


def test_threads_sharing_one_workspace_append_decisions(tmp_path):
    ws = Workspace.open(tmp_path / "ws.sqlite")
    sessions = 4

    def decide(who):
        for n in range(25):
            ws.record_decision(f"L{n}", "m", "op_shortlist", str(n), who)

    threads = [threading.Thread(target=decide, args=(f"sessie {i}",)) for i in range(sessions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    history = ws.decisions(current_only=False)
    assert len(history) == 25 * sessions
    assert history.groupby("door").size().tolist() == [25] * sessions

"""Workspace safety: a 0-byte or damaged workspace is refused with what is wrong and how to
restore; backups (SQLite online backup API) restore it; the CLI `workspace` commands."""

from __future__ import annotations

import geopandas as gpd
import pytest
from shapely.geometry import box

from locatiescan.workspace import Workspace, WorkspaceError
from locatiescan.workspace.backup import WorkspaceDamagedError, backups
from support_cli import cli


def filled(path) -> Workspace:
    ws = Workspace.open(path)
    frame = gpd.GeoDataFrame(
        {"id": ["EIGEN-A"], "naam": ["Vlak"]}, geometry=[box(0, 0, 10, 10)], crs="EPSG:28992"
    )
    ws.add_locations(frame, source="test", who="Anna")
    return ws


def test_zero_byte_workspace_is_refused_not_reopened_empty(tmp_path) -> None:
    path = tmp_path / "ws.sqlite"
    path.write_bytes(b"")
    with pytest.raises(WorkspaceDamagedError) as caught:
        Workspace.open(path)
    assert "0 bytes" in caught.value.en and "leeg (0 bytes)" in caught.value.nl
    assert path.stat().st_size == 0  # nothing written


def test_truncated_workspace_is_reported_and_the_backup_restores_it(
    monkeypatch, capsys, tmp_path
) -> None:
    path = tmp_path / "ws.sqlite"
    filled(path)
    code, out, err = cli(monkeypatch, capsys, "workspace", "backup", "--path", str(path))
    assert code == 0, err
    data = path.read_bytes()
    for suffix in ("-wal", "-shm"):
        (tmp_path / f"ws.sqlite{suffix}").unlink(missing_ok=True)
    path.write_bytes(data[: len(data) // 2])  # truncated, as after a full disk
    with pytest.raises(WorkspaceDamagedError) as caught:
        Workspace.open(path)
    assert "workspace restore" in caught.value.en and "reservekopie" in caught.value.nl
    code, out, err = cli(monkeypatch, capsys, "workspace", "check", "--path", str(path))
    assert code == 2 and "niet bruikbaar" in err
    code, out, err = cli(monkeypatch, capsys, "workspace", "restore", "--path", str(path))
    assert code == 0, err
    assert Workspace.open(path).locations()["id"].tolist() == ["EIGEN-A"]
    assert list(tmp_path.glob("ws.sqlite.beschadigd-*"))  # the damaged file is kept aside
    code, out, _ = cli(monkeypatch, capsys, "workspace", "check", "--path", str(path))
    assert code == 0 and "ok" in out


def test_backups_rotate_daily_and_before_migration(tmp_path, monkeypatch) -> None:
    path = tmp_path / "ws.sqlite"
    filled(path)
    Workspace.open(path)  # second open of the day: one daily backup
    Workspace.open(path)  # third: no new one
    assert len(backups(path)) == 1 and "dagelijks" in backups(path)[0].name
    import sqlite3

    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 2")  # an older schema: a migration will run
    conn.close()
    with pytest.raises(WorkspaceError):  # v3 tables already exist; the backup came first
        Workspace.open(path)
    assert any("voor-migratie" in b.name for b in backups(path))

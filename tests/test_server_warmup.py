"""The app server (`app/server.py`, what `make run` starts) runs the default page once before it
accepts users, so the first user does not wait for imports, snapshots and the screening."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from support_browser import APP, app_server

pytestmark = pytest.mark.browser


def test_the_server_prepares_the_stores_before_it_answers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    cache = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    with app_server(tmp_path / "workspace.sqlite") as server:
        # No user has opened a page yet: the health check answered only after the warm-up.
        snapshots = sorted((cache / "locatiescan" / "snapshots").glob("*.parquet"))
        screenings = list((cache / "locatiescan" / "screenings").iterdir())
        log = server.log()
    assert any(path.name.startswith("natura2000_nl") for path in snapshots), snapshots
    assert any(path.name.startswith("gemeenten_2022") for path in snapshots), snapshots
    assert len(screenings) == 1, screenings  # the Kaart's locations, screened and stored
    assert "Warm-up: default page ran in" in log, log


def test_a_page_that_fails_in_the_warm_up_does_not_stop_the_server(tmp_path: Path):
    app_dir = tmp_path / "app"
    app_dir.mkdir()
    shutil.copy(APP, app_dir / APP.name)
    (app_dir / "streamlit_app.py").write_text(
        'raise RuntimeError("kapotte pagina")\n', encoding="utf-8"
    )
    with app_server(tmp_path / "workspace.sqlite", app_dir / APP.name) as server:
        log = server.log()
    assert "Warm-up: default page ended with error after" in log, log

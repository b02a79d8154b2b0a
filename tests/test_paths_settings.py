"""Data root resolution, settings validation and the error family."""

from __future__ import annotations

from pathlib import Path

import pytest

from locatiescan import paths
from locatiescan.errors import ConfigError, DataRootError, InputError, LocatiescanError
from locatiescan.settings import Settings, load_settings


def test_env_var_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(paths.DATA_ENV, str(tmp_path))
    assert paths.data_root() == tmp_path.resolve()


def test_falls_back_to_shared_data(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(paths.DATA_ENV, raising=False)
    assert paths.data_root() == (paths.PROJECT_ROOT.parent / "shared" / "data").resolve()


def test_missing_env_path_falls_through_to_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(paths.DATA_ENV, str(tmp_path / "absent"))
    assert paths.data_root() == (paths.PROJECT_ROOT.parent / "shared" / "data").resolve()


def test_no_data_root_names_every_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(paths.DATA_ENV, str(tmp_path / "absent"))
    monkeypatch.setattr(paths, "PROJECT_ROOT", tmp_path / "repo")
    monkeypatch.setattr(paths, "BUNDLE_DIR", tmp_path / "bundle")
    with pytest.raises(DataRootError) as info:
        paths.data_root()
    message = str(info.value)
    assert str(tmp_path / "absent") in message
    assert str(tmp_path / "shared" / "data") in message
    assert str(tmp_path / "bundle") in message
    assert "Geen datamap gevonden" in info.value.nl


def test_embedded_bundle_is_the_last_resort(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(paths.DATA_ENV, str(tmp_path / "absent"))
    monkeypatch.setattr(paths, "PROJECT_ROOT", tmp_path / "repo")
    assert paths.data_root() == paths.BUNDLE_DIR
    with pytest.raises(DataRootError) as info:
        paths.data_file("netcongestie/capaciteitskaart_statusvlakken.geojson")
    assert "ingebouwde standaarddata" in info.value.nl


def test_data_file_missing_is_clear(data_dir: Path) -> None:
    with pytest.raises(DataRootError, match="Data file missing"):
        paths.data_file("nope/nothing.gpkg")
    assert paths.data_file("locaties/locaties.csv") == data_dir / "locaties" / "locaties.csv"


def test_workspace_path_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(paths.WORKSPACE_ENV, str(tmp_path / "ws.sqlite"))
    assert paths.workspace_path() == tmp_path / "ws.sqlite"


def test_shipped_settings_validate(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LOCATIESCAN_ONLINE", raising=False)
    loaded = load_settings()
    assert loaded.density_woningen_per_ha == 40
    assert loaded == Settings.model_validate(loaded.model_dump())


def test_settings_missing_file_gives_defaults(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("LOCATIESCAN_ONLINE", raising=False)
    assert load_settings(tmp_path / "none.yaml") == Settings()


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("density_woningen_per_ha: -1\n", "density_woningen_per_ha"),
        ("unknown_key: 1\n", "unknown_key"),
        ("max_upload_mb: [\n", "cannot read settings"),
    ],
)
def test_invalid_settings_are_reported(tmp_path: Path, text: str, fragment: str) -> None:
    path = tmp_path / "settings.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=fragment) as info:
        load_settings(path)
    assert "instellingen" in info.value.nl


def test_error_family_is_bilingual() -> None:
    err = ConfigError("bad weight", "foutief gewicht")
    assert isinstance(err, InputError) and isinstance(err, ValueError)
    assert isinstance(err, LocatiescanError)
    assert err.bilingual() == "bad weight\nfoutief gewicht"
    assert LocatiescanError("same").bilingual() == "same"


@pytest.mark.parametrize(
    ("value", "expected"), [("0", False), ("false", False), ("1", True), ("true", True)]
)
def test_online_env_overrides_file(
    value: str, expected: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LOCATIESCAN_ONLINE", value)
    assert load_settings().online is expected


def test_online_env_garbage_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOCATIESCAN_ONLINE", "misschien")
    with pytest.raises(ConfigError, match="online"):
        load_settings()

"""Werkruimtes: one SQLite file per named werkruimte, next to the default workspace file."""

from __future__ import annotations

from pathlib import Path

import pytest

from locatiescan import paths
from locatiescan.errors import InputError
from locatiescan.workspace import Workspace


@pytest.fixture
def default_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "locatiescan.sqlite"
    monkeypatch.setenv(paths.WORKSPACE_ENV, str(path))
    return path


def test_default_and_named_werkruimte_paths(default_file: Path):
    assert paths.workspace_path() == default_file
    assert paths.workspace_path("standaard") == default_file
    assert paths.workspace_path("") == default_file
    assert paths.workspace_path("Gemeente Utrecht") == default_file.with_name(
        "locatiescan-gemeente-utrecht.sqlite"
    )


@pytest.mark.parametrize("name", ["../elders", "a/b", "é-dorp", "x" * 41, "-begin"])
def test_a_name_that_could_leave_the_folder_is_refused(default_file: Path, name: str):
    with pytest.raises(InputError) as caught:
        paths.workspace_path(name)
    assert "werkruimte" in caught.value.nl


def test_werkruimtes_keep_their_own_locations_and_are_listed(default_file: Path):
    import geopandas as gpd
    from shapely.geometry import box

    project = gpd.GeoDataFrame(
        {"naam": ["Project Noord"]}, geometry=[box(150000, 450000, 150500, 450500)], crs=28992
    )
    utrecht = Workspace.open(paths.workspace_path("gemeente-utrecht"))
    utrecht.add_locations(project, source="test", who="Planner")
    team = Workspace.open(paths.workspace_path("team-b"))
    assert list(utrecht.locations()["naam"]) == ["Project Noord"]
    assert team.locations().empty  # the other werkruimte does not see it
    assert paths.werkruimtes() == ["standaard", "gemeente-utrecht", "team-b"]

"""Shared pytest configuration: every test runs against the real offline data root."""

from __future__ import annotations

from pathlib import Path

import pytest

from locatiescan.paths import data_root


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """The offline data root (fails clearly when ../shared/data is absent)."""
    return data_root()

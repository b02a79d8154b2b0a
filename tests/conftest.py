"""Shared pytest configuration.

Tests run against the real offline data root and never reach out to the internet: online
sources are switched off by default (tests that exercise a provider point it at a local
MapServer on 127.0.0.1 explicitly).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("LOCATIESCAN_ONLINE", "0")

from locatiescan.paths import data_root

pytest_plugins = ["support_mapserver", "support_browser"]


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """The offline data root (fails clearly when ../shared/data is absent)."""
    return data_root()

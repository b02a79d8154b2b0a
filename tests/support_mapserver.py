"""Pytest fixtures: the real local servers of `support_servers.py`, one per test session.

`tests/conftest.py` loads this file as a plugin (`pytest_plugins = ["support_mapserver"]`).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from support_servers import (
    MALFORMED_XML,
    FixedAnswerServer,
    MapServer,
    SilentServer,
    closed_port,
    serve,
    start_mapserver,
)


@pytest.fixture(scope="session")
def mapserver(tmp_path_factory: pytest.TempPathFactory, data_dir: Path) -> Iterator[MapServer]:
    """MapServer on a free port of 127.0.0.1 (fails, never skips, without `mapserv`)."""
    info, running = start_mapserver(tmp_path_factory.mktemp("mapserver"), data_dir)
    try:
        yield info
    finally:
        running.stop()


@pytest.fixture(scope="session")
def http500() -> Iterator[FixedAnswerServer]:
    """A server that answers every request with HTTP 500, counting them."""
    server = FixedAnswerServer(500, "text/plain", b"Internal Server Error (test)")
    running = serve(server)
    try:
        yield server
    finally:
        running.stop()


@pytest.fixture(scope="session")
def http500_url(http500: FixedAnswerServer) -> str:
    """URL of the HTTP 500 server."""
    return f"http://127.0.0.1:{http500.server_port}/wfs"


@pytest.fixture(scope="session")
def malformed_xml_url() -> Iterator[str]:
    """A server that answers 200 with XML that is not well-formed."""
    running = serve(FixedAnswerServer(200, "text/xml", MALFORMED_XML))
    try:
        yield f"{running.url}/wfs"
    finally:
        running.stop()


@pytest.fixture(scope="session")
def silent_url() -> Iterator[str]:
    """A server that accepts connections and never answers."""
    server = SilentServer()
    try:
        yield server.url
    finally:
        server.stop()


@pytest.fixture(scope="session")
def closed_port_url() -> str:
    """A URL on 127.0.0.1 where nothing listens (connection refused)."""
    return f"http://127.0.0.1:{closed_port()}/wfs"

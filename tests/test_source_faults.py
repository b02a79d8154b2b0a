"""Every fault of an online source falls back to the snapshot, within the time-out.

Real misbehaving servers on 127.0.0.1 (no mocks): one byte per second (in the headers or in the
body), an endless body, a gzip bomb, a redirect to file://. Each layer is the shipped natura2000
layer with its online sources replaced by one of these servers; the snapshot is the real one.
"""

from __future__ import annotations

import resource
import socket
import threading
import time
import zlib
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from locatiescan.errors import SourceError, SourceTimeoutError
from locatiescan.layers.cache import LayerCache
from locatiescan.layers.catalog import SourceDef
from locatiescan.layers.fetch import get_layer, resolve_layer
from locatiescan.layers.providers import HttpOptions
from locatiescan.layers.providers._http import get
from support_servers import serve

TIMEOUT_S = 3.0
MARGIN_S = 2.0
HTTP = HttpOptions(timeout_s=TIMEOUT_S, retries=0, max_body_mb=20)
SNAPSHOT_NOTE = "offline snapshot van 2026-08-04 gebruikt"
MAX_RSS_KB = 1_500 * 1024  # 1.5 GB
BOMB_MB = 1024  # unpacks to 1 GB of zeros (about 1 MB on the wire)


def _gzip_bomb() -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)  # 31: gzip container
    block = b"\0" * (1024 * 1024)
    return b"".join([*(packer.compress(block) for _ in range(BOMB_MB)), packer.flush()])


class _Hostile(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: HostileServer

    def handle(self) -> None:
        try:
            super().handle()
        except OSError:
            pass  # the client hung up: that is the point

    def do_GET(self) -> None:  # http.server's naming
        self.server.hits += 1
        try:
            getattr(self, f"_{self.path.strip('/').split('?')[0]}")()
        except OSError:
            pass  # the client hung up: that is the point

    def _slow_body(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/geo+json")
        self.send_header("Content-Length", "100000")
        self.end_headers()
        for _ in range(100_000):
            self.wfile.write(b" ")
            self.wfile.flush()
            time.sleep(1)

    def _slow_headers(self) -> None:
        self.wfile.write(b"HTTP/1.1 200 OK\r\n")
        for _ in range(100_000):
            self.wfile.write(b"X")
            self.wfile.flush()
            time.sleep(1)

    def _endless(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/geo+json")
        self.send_header("Connection", "close")
        self.end_headers()
        chunk = b"[" * 65536
        while True:
            self.wfile.write(chunk)

    def _bomb(self) -> None:
        body = self.server.bomb
        self.send_response(200)
        self.send_header("Content-Type", "application/geo+json")
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _redirect_file(self) -> None:
        self.send_response(302)
        self.send_header("Location", "file:///etc/passwd")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:  # quiet tests
        pass


class HostileServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Hostile)
        self.hits = 0
        self.bomb = _gzip_bomb()


@pytest.fixture(scope="module")
def hostile() -> Iterator[str]:
    server = HostileServer()
    running = serve(server)
    try:
        yield running.url
    finally:
        running.stop()


def _layer(url: str, kind: str = "file"):
    source = (
        SourceDef(type="wfs", url=url, typename="natura2000", beschrijving="Vijandige WFS")
        if kind == "wfs"
        else SourceDef(type="file", url=url, beschrijving="Vijandige bron")
    )
    return resolve_layer("natura2000").model_copy(update={"bronnen": [source]})


@pytest.mark.parametrize(
    ("path", "kind", "reason"),
    [
        ("slow_body", "file", "time-out"),
        ("slow_headers", "file", "time-out"),
        ("slow_body", "wfs", "time-out"),
        ("endless", "file", "groter dan 20 MB"),
        ("bomb", "file", "groter dan 20 MB"),
        ("redirect_file", "file", "doorverwijzing naar file:///etc/passwd geweigerd"),
    ],
)
def test_fault_falls_back_to_the_snapshot_in_time(hostile, tmp_path, path, kind, reason) -> None:
    started = time.monotonic()
    data = get_layer(
        _layer(f"{hostile}/{path}", kind),
        online=True,
        cache=LayerCache(tmp_path / "cache"),
        http=HTTP,
    )
    elapsed = time.monotonic() - started
    assert elapsed < TIMEOUT_S + MARGIN_S
    assert data.provenance.kind == "snapshot"
    assert len(data.gdf) == 162  # the real snapshot: 160 areas + the 2013 Wadden/Noordzeekust fill
    assert reason in data.provenance.warnings[0]
    assert data.provenance.warnings[0].endswith(SNAPSHOT_NOTE)
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss < MAX_RSS_KB


def test_slow_loris_is_a_time_out_after_one_deadline(hostile) -> None:
    started = time.monotonic()
    with pytest.raises(SourceTimeoutError) as caught:
        get(f"{hostile}/slow_body", params=None, http=HTTP, what="Test")
    assert TIMEOUT_S - 0.5 < time.monotonic() - started < TIMEOUT_S + MARGIN_S
    assert "time-out" in caught.value.nl


def test_gzip_bomb_is_refused_without_unpacking_it(hostile) -> None:
    # 1 GB of zeros packed to about 1 MB: refused once 20 MB are unpacked
    with pytest.raises(SourceError) as caught:
        get(f"{hostile}/bomb", params=None, http=HTTP, what="Test")
    assert "http_max_body_mb" in caught.value.en
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss < MAX_RSS_KB


def test_a_cached_copy_is_used_before_the_snapshot(hostile, tmp_path) -> None:
    cache = LayerCache(tmp_path / "cache")
    layer = _layer(f"{hostile}/redirect_file")
    snapshot = get_layer(layer, online=False, cache=cache, http=HTTP)
    cache.put("natura2000", f"{hostile}/redirect_file", None, snapshot.gdf.iloc[:5])
    data = get_layer(layer, online=True, cache=cache, http=HTTP)
    assert data.provenance.kind == "cache" and len(data.gdf) == 5
    assert "geweigerd" in data.provenance.warnings[0]


def test_deadline_shuts_a_socket_blocked_in_a_read() -> None:
    """The mechanism itself: a silent peer, one read, released by the deadline."""
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    held: list[socket.socket] = []
    threading.Thread(target=lambda: held.append(listener.accept()[0]), daemon=True).start()
    started = time.monotonic()
    with pytest.raises(SourceTimeoutError):
        get(f"http://127.0.0.1:{port}/", params=None, http=HTTP, what="Test")
    assert time.monotonic() - started < TIMEOUT_S + MARGIN_S
    listener.close()

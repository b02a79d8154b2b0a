"""Online calls: one total deadline, a body cap, http(s)-only redirects; every fault a SourceError.

`get` and `probe` are the only ways the providers reach the network (OWSLib only parses what
they fetched). Each attempt has ONE deadline of `http.timeout_s` for everything: connecting,
every redirect hop, every read (`http.retries` more attempts follow only transient faults:
time-outs, dropped connections, 502/503/504). A timer shuts the call's sockets when the deadline
passes, so a server that sends one byte per second (slow-loris) or never stops (endless body)
cannot hold the caller. The body is capped at `http.max_body_mb`, both as sent (compressed) and
as unpacked (gzip bombs: urllib3 unpacks in bounded steps). A redirect is followed only to http
or https. Whatever goes wrong, the caller gets a `SourceError` with an English and a Dutch
message, so the fetch chain falls back to the cache and the snapshot.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable
from types import TracebackType
from typing import Any, Self, TypeVar
from urllib.parse import urljoin, urlsplit

import requests
import urllib3
from requests.adapters import HTTPAdapter

from locatiescan.errors import (
    SourceError,
    SourceExceptionReport,
    SourceHTTPError,
    SourceParseError,
    SourceTimeoutError,
)
from locatiescan.importers import gate  # noqa: F401 - GDAL locked down before any answer is parsed
from locatiescan.layers.providers._http_options import HttpOptions
from locatiescan.layers.providers._parse import exception_report_text, raise_for_exception_report

T = TypeVar("T")
TRANSIENT_STATUS = frozenset({502, 503, 504})
ACCEPT_JSON = {"Accept": "application/geo+json, application/json;q=0.9"}
MAX_REDIRECTS = 5
CHUNK = 64 * 1024
MIB = 1024 * 1024
Params = dict[str, str] | list[tuple[str, str]] | None


class Deadline:
    """One call's deadline: when it passes, every socket the call opened is shut down."""

    def __init__(self, seconds: float) -> None:
        self.expires = time.monotonic() + seconds
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def remaining(self) -> float:
        """Seconds left (0 when passed)."""
        return max(0.0, self.expires - time.monotonic())

    def register(self, sock: socket.socket) -> None:
        """Shut `sock` down when the deadline passes (at once if it already has)."""
        with self._lock:
            self._sockets.append(sock)
            expired = self.expired
        if expired:
            _shut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            sockets = list(self._sockets)
        for sock in sockets:
            _shut(sock)

    def __enter__(self) -> Self:
        _current.deadline = self
        self._timer.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, err: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._timer.cancel()
        _current.deadline = None


def _shut(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass  # already closed


_current = threading.local()


def _register_socket(sock: socket.socket | None) -> None:
    deadline = getattr(_current, "deadline", None)
    if deadline is not None and sock is not None:
        deadline.register(sock)


class _HTTPConnection(urllib3.connection.HTTPConnection):
    def connect(self) -> None:
        super().connect()
        _register_socket(self.sock)


class _HTTPSConnection(urllib3.connection.HTTPSConnection):
    def connect(self) -> None:
        super().connect()
        _register_socket(self.sock)


class _HTTPPool(urllib3.HTTPConnectionPool):
    ConnectionCls = _HTTPConnection


class _HTTPSPool(urllib3.HTTPSConnectionPool):
    ConnectionCls = _HTTPSConnection


POOLS = {"http": _HTTPPool, "https": _HTTPSPool}


class _DeadlineAdapter(HTTPAdapter):
    """requests' adapter whose connections register their sockets with the call's deadline."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = POOLS

    def proxy_manager_for(self, *args: Any, **kwargs: Any) -> Any:
        manager = super().proxy_manager_for(*args, **kwargs)
        manager.pool_classes_by_scheme = POOLS
        return manager


def call_online(call: Callable[[], T], *, what: str, http: HttpOptions) -> T:
    """Run `call`, each attempt within its own deadline, retrying transient failures.

    Any exception (MemoryError-class faults, parser errors, ...) becomes a `SourceError`.
    """
    attempt = 1
    while True:
        with Deadline(http.timeout_s) as deadline:
            try:
                return call()
            except SourceError:
                raise
            except Exception as err:  # every fault of a source is a SourceError
                timed_out = deadline.expired or isinstance(err, requests.Timeout)
                error = (
                    _timeout(what, http, attempt)
                    if timed_out
                    else source_error(err, what=what, http=http, attempts=attempt)
                )
                if attempt > http.retries or not (timed_out or _transient(err)):
                    raise error from err
        attempt += 1


def _timeout(what: str, http: HttpOptions, attempts: int) -> SourceTimeoutError:
    msg = f"{what}: no complete answer within {http.timeout_s:g} s ({attempts} attempt(s))"
    nl = f"{what}: time-out, geen volledig antwoord binnen {http.timeout_s:g} s"
    return SourceTimeoutError(msg, f"{nl} ({attempts} poging(en))")


def _transient(err: Exception) -> bool:
    if isinstance(err, (requests.Timeout, requests.ConnectionError)):
        return True
    response = getattr(err, "response", None)
    return (
        isinstance(err, requests.HTTPError)
        and getattr(response, "status_code", 0) in TRANSIENT_STATUS
    )


def source_error(err: Exception, *, what: str, http: HttpOptions, attempts: int) -> SourceError:
    """The `SourceError` for any exception raised while asking or parsing a source."""
    # OWSLib is imported here, not at start-up: it takes a quarter of a second to import
    from owslib.feature.wfs200 import ServiceException as WFSServiceException
    from owslib.util import ServiceException as OWSServiceException

    if isinstance(err, requests.Timeout):
        return _timeout(what, http, attempts)
    if isinstance(err, requests.HTTPError) and err.response is not None:
        return http_status_error(err.response.status_code, err.response.content, what)
    if isinstance(err, requests.ConnectionError):
        msg = f"{what}: not reachable: {err}"
        return SourceError(msg, f"{what}: niet bereikbaar (geen verbinding)")
    if isinstance(err, (OWSServiceException, WFSServiceException)):
        return _service_exception(str(err), what)
    if isinstance(err, SyntaxError):  # lxml XMLSyntaxError and ElementTree ParseError
        msg = f"{what}: malformed XML: {err}"
        return SourceParseError(msg, f"{what}: XML is niet goed gevormd: {err}")
    if isinstance(err, MemoryError):
        msg = f"{what}: the answer does not fit in memory"
        return SourceError(msg, f"{what}: het antwoord past niet in het geheugen")
    msg = f"{what}: unusable answer ({type(err).__name__}: {err})"
    return SourceParseError(msg, f"{what}: onbruikbaar antwoord ({type(err).__name__}: {err})")


def http_status_error(status: int, content: bytes, what: str) -> SourceError:
    """An ExceptionReport carried by an error status, else a `SourceHTTPError`."""
    text = exception_report_text(content)
    if text is not None:
        msg = f"{what}: service exception (HTTP {status}): {text}"
        return SourceExceptionReport(
            msg, f"{what}: foutmelding van de dienst (HTTP {status}): {text}"
        )
    snippet = " ".join(content[:200].decode("utf-8", "replace").split())
    msg = f"{what}: HTTP {status}: {snippet}"
    return SourceHTTPError(msg, f"{what}: HTTP-fout {status}: {snippet}")


def _service_exception(text: str, what: str) -> SourceError:
    """OWSLib's ServiceException: the body of a 400/401/403 or an extracted exception text."""
    report = exception_report_text(text.encode("utf-8"))
    if report is not None or not text.lstrip().startswith("<"):
        message = report or " ".join(text.split())
        msg = f"{what}: service exception: {message}"
        return SourceExceptionReport(msg, f"{what}: foutmelding van de dienst: {message}")
    msg = f"{what}: HTTP client error (400/401/403)"
    return SourceHTTPError(msg, f"{what}: HTTP-fout (400/401/403)")


def _too_large(what: str, http: HttpOptions) -> SourceError:
    msg = f"{what}: the answer is larger than {http.max_body_mb:g} MB (http_max_body_mb)"
    nl = f"{what}: het antwoord is groter dan {http.max_body_mb:g} MB (http_max_body_mb)"
    return SourceError(msg, nl)


def _read_body(response: requests.Response, http: HttpOptions, what: str) -> bytes:
    """The body, unpacked, refused as soon as either size passes the cap."""
    limit = int(http.max_body_mb * MIB)
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limit:
        raise _too_large(what, http)
    chunks, size = [], 0
    for chunk in response.iter_content(CHUNK):
        size += len(chunk)
        if size > limit or response.raw.tell() > limit:
            raise _too_large(what, http)
        chunks.append(chunk)
    return b"".join(chunks)


def _open(
    session: requests.Session, url: str, params: Params, headers: dict[str, str], what: str
) -> requests.Response:
    """The response after following at most `MAX_REDIRECTS` redirects, each to http(s) only."""
    deadline: Deadline = _current.deadline
    for _hop in range(MAX_REDIRECTS + 1):
        remaining = deadline.remaining()
        if remaining <= 0:
            raise requests.Timeout("deadline passed")
        response = session.get(
            url,
            params=params,
            headers=headers,
            timeout=(remaining, remaining),
            stream=True,
            allow_redirects=False,
        )
        if not response.is_redirect:
            return response
        target = urljoin(response.url, response.headers.get("Location", ""))
        response.close()
        if urlsplit(target).scheme.casefold() not in ("http", "https"):
            msg = f"{what}: refused a redirect to {target[:200]} (only http and https)"
            nl = f"{what}: doorverwijzing naar {target[:200]} geweigerd (alleen http en https)"
            raise SourceError(msg, nl)
        url, params = target, None
    msg = f"{what}: more than {MAX_REDIRECTS} redirects"
    raise SourceError(msg, f"{what}: meer dan {MAX_REDIRECTS} doorverwijzingen")


def _request(
    url: str, params: Params, headers: dict[str, str], http: HttpOptions, what: str, *, body: bool
) -> bytes:
    with requests.Session() as session:
        adapter = _DeadlineAdapter(max_retries=0)
        session.mount("http://", adapter)
        session.mount("https://", adapter)
        with _open(session, url, params, headers, what) as response:
            if response.status_code >= 400:
                if response.status_code in TRANSIENT_STATUS:
                    response.raise_for_status()
                content = _read_body(response, http, what) if body else b""
                raise http_status_error(response.status_code, content, what)
            content = _read_body(response, http, what) if body else b""
    if _current.deadline.expired:  # a body cut short by the deadline is no answer
        raise requests.Timeout("deadline passed while reading")
    if body:
        raise_for_exception_report(content, what)
    return content


def get(
    url: str,
    *,
    params: Params,
    http: HttpOptions,
    what: str,
    headers: dict[str, str] | None = None,
) -> bytes:
    """GET `url` and return the body; status >= 400 and ExceptionReports raise."""
    return call_online(
        lambda: _request(url, params, headers or ACCEPT_JSON, http, what, body=True),
        what=what,
        http=http,
    )


def probe(url: str, *, params: Params, http: HttpOptions, what: str) -> None:
    """Check that `url` answers below status 400 without downloading the body."""
    call_online(lambda: _request(url, params, {}, http, what, body=False), what=what, http=http)

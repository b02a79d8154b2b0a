"""Online calls with time-outs and retries; every failure becomes one `SourceError`.

Providers wrap each request (their own or OWSLib's) in `call_online`, which retries time-outs,
dropped connections and 502/503/504 answers, and translates what went wrong into the
project's error family with an English and a Dutch message.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import requests
from owslib.feature.wfs200 import ServiceException as WFSServiceException
from owslib.util import ServiceException as OWSServiceException

from locatiescan.errors import (
    SourceError,
    SourceExceptionReport,
    SourceHTTPError,
    SourceParseError,
    SourceTimeoutError,
)
from locatiescan.layers.providers._parse import exception_report_text, raise_for_exception_report
from locatiescan.settings import settings

T = TypeVar("T")
TRANSIENT_STATUS = frozenset({502, 503, 504})
ACCEPT_JSON = {"Accept": "application/geo+json, application/json;q=0.9"}


@dataclass(frozen=True)
class HttpOptions:
    """Time-out per request (s) and retries after a transient failure."""

    timeout_s: float
    retries: int

    @classmethod
    def from_settings(cls) -> HttpOptions:
        """The project's settings (`http_timeout_s`, `http_retries`)."""
        current = settings()
        return cls(timeout_s=current.http_timeout_s, retries=current.http_retries)


def call_online(call: Callable[[], T], *, what: str, http: HttpOptions) -> T:
    """Run `call`, retrying transient failures up to `http.retries` times."""
    attempt = 1
    while True:
        try:
            return call()
        except SourceError:
            raise
        except Exception as err:  # translated below; unknown ones are re-raised
            error = source_error(err, what=what, http=http, attempts=attempt)
            if error is None:
                raise
            if attempt > http.retries or not _transient(err):
                raise error from err
            attempt += 1


def _transient(err: Exception) -> bool:
    if isinstance(err, (requests.Timeout, requests.ConnectionError)):
        return True
    response = getattr(err, "response", None)
    return (
        isinstance(err, requests.HTTPError)
        and getattr(response, "status_code", 0) in TRANSIENT_STATUS
    )


def source_error(
    err: Exception, *, what: str, http: HttpOptions, attempts: int
) -> SourceError | None:
    """The `SourceError` for an exception raised by requests, OWSLib or an XML parser."""
    if isinstance(err, requests.Timeout):
        msg = f"{what}: no answer within {http.timeout_s:g} s ({attempts} attempt(s))"
        nl = f"{what}: time-out, geen antwoord binnen {http.timeout_s:g} s ({attempts} poging(en))"
        return SourceTimeoutError(msg, nl)
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
    return None


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


def get(url: str, *, params: dict[str, str] | None, http: HttpOptions, what: str) -> bytes:
    """GET `url` and return the body; status >= 400 and ExceptionReports raise."""

    def request() -> bytes:
        response = requests.get(url, params=params, headers=ACCEPT_JSON, timeout=http.timeout_s)
        if response.status_code >= 400:
            if response.status_code in TRANSIENT_STATUS:
                response.raise_for_status()
            raise http_status_error(response.status_code, response.content, what)
        raise_for_exception_report(response.content, what)
        return response.content

    return call_online(request, what=what, http=http)


def probe(url: str, *, params: dict[str, str] | None, http: HttpOptions, what: str) -> None:
    """Check that `url` answers below status 400 without downloading the body."""

    def request() -> None:
        with requests.get(url, params=params, timeout=http.timeout_s, stream=True) as response:
            if response.status_code >= 400:
                if response.status_code in TRANSIENT_STATUS:
                    response.raise_for_status()
                raise http_status_error(response.status_code, b"", what)

    call_online(request, what=what, http=http)

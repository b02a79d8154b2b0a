"""How online calls are made: the deadline, the retries and the body cap (from the settings).

Apart from `_http` so that code which only passes the options on (providers reading their
offline snapshot) does not import requests and urllib3.
"""

from __future__ import annotations

from dataclasses import dataclass

from locatiescan.settings import settings


@dataclass(frozen=True)
class HttpOptions:
    """Total time per call (s), retries after a transient failure, and the body cap (MB)."""

    timeout_s: float
    retries: int
    max_body_mb: float = 200.0

    @classmethod
    def from_settings(cls) -> HttpOptions:
        """The project's settings (`http_timeout_s`, `http_retries`, `http_max_body_mb`)."""
        current = settings()
        return cls(
            timeout_s=current.http_timeout_s,
            retries=current.http_retries,
            max_body_mb=current.http_max_body_mb,
        )

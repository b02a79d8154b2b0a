"""Provenance of layer data: where it came from, live or not, and how old it is."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal

ProvenanceKind = Literal["live", "cache", "snapshot"]


@dataclass
class Provenance:
    """Source of one layer's data as shown in the 'Bronnen' panel and written to exports.

    `source` is a URL or a file path; `date` is the fetch time (live, cache) or the peildatum
    of a snapshot, as an ISO string; `warnings` are Dutch and meant for the screen.
    """

    layer_id: str
    source: str
    kind: ProvenanceKind
    date: str
    licentie: str
    attributie: str
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready copy."""
        return asdict(self)

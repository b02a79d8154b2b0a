"""Which location ids a PPM row may name: policy, plan (EIB) and the werkruimte's own."""

from __future__ import annotations

from pathlib import Path

import pyogrio

from locatiescan.paths import data_file
from locatiescan.registry import EIB_FILE, load_policy_locations
from locatiescan.workspace import Workspace


def bekende_ids(ws: Workspace, root: Path | None = None) -> set[str]:
    """Every location id known to the app: the 43 policy locations, the EIB plans (`EIB-<n>`)
    and the locations stored in the werkruimte (registry files below `root`, default: the
    data root)."""
    eib = pyogrio.read_dataframe(
        data_file(EIB_FILE, root), columns=["OBJECTID"], read_geometry=False
    )
    return (
        set(load_policy_locations(root=root)["id"])
        | {f"EIB-{n}" for n in eib["OBJECTID"]}
        | set(ws.locations()["id"])
    )

"""The workspace database: the user's own locations, facts, models, decisions and assessments.

Usage (one `Workspace` can be shared between Streamlit sessions and threads)::

    ws = Workspace.open()                     # $LOCATIESCAN_WORKSPACE or the default path
    ids = ws.add_locations(gdf, source="upload: plannen.gpkg", who="Anna", report=report)
    ws.locations()                            # GeoDataFrame, EPSG:28992
    ws.set_facts("EIGEN-0001", {"grondpositie": "ja"}, who="Anna", source="Zelfscan",
                 loaded=form_defaults)        # only changed facts are written (append-only)
    ws.facts()                                # index id, one column per fact (= vraag id)
    ws.record_decision("DB-03", "doorbraak_shortlist", "op_shortlist", "sterk plan", who="Bert")
    ws.decisions()                            # current decision per (location, model)
    ws.decision_history("DB-03")              # every decision, oldest first
    v = ws.save_model("mijn model", yaml_text, who="Anna", based_on="kansrijk_bouwen")
    ws.save_model("mijn model", edited, who="Anna", expected_version=v)  # or WorkspaceConflictError
    ws.save_assessment("kansrijk_bouwen", score_table, who="Anna", explanations=explanations)
"""

from locatiescan.workspace.errors import (
    WorkspaceBusyError,
    WorkspaceConflictError,
    WorkspaceError,
)
from locatiescan.workspace.migrations import LATEST_VERSION
from locatiescan.workspace.store import (
    DECISION_LABELS,
    DECISIONS,
    Assessment,
    SavedModel,
    Workspace,
)

__all__ = [
    "DECISIONS",
    "DECISION_LABELS",
    "LATEST_VERSION",
    "Assessment",
    "SavedModel",
    "Workspace",
    "WorkspaceBusyError",
    "WorkspaceConflictError",
    "WorkspaceError",
]

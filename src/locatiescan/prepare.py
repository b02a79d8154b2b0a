"""The one input builder for scoring: what a model needs, gathered for a location table.

`prepare_inputs(model, locations, context)` is used by the CLI (`score`, `compare-models`,
`sensitivity`) and by every app page that scores, so a location gets the same inputs, and so the
same score, wherever it is scored:

- screening of the model's layers (a screening the caller already holds is used as is);
- gemeente indicators when a criterion reads them;
- answers to the model's questions from the workspace dossier (stored facts over what the
  registry states), overridden cell by cell by answers the caller gives (an `--answers` file);
- PPM delays per site at a peildatum (default: the workspace's latest peilmoment) when a
  criterion reads `voortgang.*`.

Without a workspace the registry's statements still answer and `voortgang.*` stays unknown.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import geopandas as gpd
import pandas as pd

from locatiescan.context import ProjectContext
from locatiescan.dossier import workspace_answers
from locatiescan.indicators import indicators_for_locations
from locatiescan.scoring import ScoringInput, ScoringModel, check_answers
from locatiescan.screening import Screening, screen_locations
from locatiescan.sites import canonical_id
from locatiescan.workspace import Workspace

log = logging.getLogger(__name__)

DOSSIER_SOURCE = "werkruimte-dossier"


def prepare_inputs(
    model: ScoringModel,
    locations: gpd.GeoDataFrame,
    context: ProjectContext,
    *,
    answers: pd.DataFrame | None = None,
    dossier: bool = True,
    peildatum: str | None = None,
    screening: Screening | None = None,
    indicators_of: Callable[[gpd.GeoDataFrame], pd.DataFrame] | None = None,
) -> ScoringInput:
    """Everything `model` reads for `locations` (see the module docstring).

    `answers` are already checked against the model (`check_answers`); `dossier=False` ignores
    the dossier. A `screening` the caller holds is used instead of screening again (the app
    caches one over all layers); `indicators_of` computes the indicators when the model reads
    them (the app passes its cached version).
    """
    sources = model.sources()
    layers = list(dict.fromkeys(ref.name for ref in sources if ref.kind == "laag"))
    if layers and screening is None:
        screening = screen_locations(
            locations, layers, online=context.online, catalog=context.catalog
        )
    indicators = None
    if any(ref.kind == "indicator" for ref in sources):
        if indicators_of is None:
            indicators = indicators_for_locations(locations, context.data_root)
        else:
            indicators = indicators_of(locations)
    if dossier and model.vragen:
        answers = dossier_answers_for(model, locations, context, answers)
    voortgang = None
    if any(ref.kind == "voortgang" for ref in sources):
        voortgang = voortgang_delays(context.workspace, peildatum)
    return ScoringInput(locations, screening, indicators, answers, voortgang)


def dossier_answers_for(
    model: ScoringModel,
    locations: pd.DataFrame,
    context: ProjectContext,
    given: pd.DataFrame | None = None,
) -> pd.DataFrame | None:
    """The dossier's answers to the model's questions, overridden cell by cell by `given`."""
    stored = workspace_answers(locations, context.workspace, context.facts, context.data_root)
    asked = [q.id for q in model.vragen if q.id in stored.columns]
    dossier = check_answers(model, stored[asked], DOSSIER_SOURCE) if asked else None
    if dossier is None or dossier.empty:
        return given
    if given is None:
        return dossier
    return given.combine_first(dossier)


def voortgang_peildatum(ws: Workspace | None, peildatum: str | None) -> str | None:
    """The peildatum at which PPM delays count: `peildatum`, else the latest peilmoment in the
    workspace; None without a workspace or PPM rows (the `voortgang.*` criteria are unknown)."""
    return _at(_ppm(ws), peildatum)


def voortgang_delays(ws: Workspace | None, peildatum: str | None) -> pd.DataFrame | None:
    """PPM delays per site at `voortgang_peildatum(ws, peildatum)`; None when there is none.
    A row of a merged id (DB-16) counts for its site (KL-01)."""
    records = _ppm(ws)
    when = _at(records, peildatum)
    if ws is None or records is None or when is None:
        return None
    from locatiescan.voortgang import vertraging_per_project  # loads matplotlib: only when used
    from locatiescan.workspace.voortgang import milestone_config

    log.info("voortgang: peildatum %s", when)
    delays = vertraging_per_project(records, when, milestone_config(ws))
    aliased = delays.index.map(canonical_id) != delays.index
    merged = pd.concat([delays[~aliased], delays[aliased].rename(index=canonical_id)])
    return merged[~merged.index.duplicated()]


def _ppm(ws: Workspace | None) -> pd.DataFrame | None:
    """The workspace's PPM rows; None without a workspace or rows."""
    if ws is None:
        return None
    from locatiescan.workspace.voortgang import ppm_records

    records = ppm_records(ws)
    return None if records.empty else records


def _at(records: pd.DataFrame | None, peildatum: str | None) -> str | None:
    if records is None:
        return None
    return peildatum or str(max(records["peilmoment"]))

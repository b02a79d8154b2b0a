"""The project context and the one input builder `prepare_inputs`, shared by CLI and app.

Facts used (registry, locaties/locaties.csv): DB-01 Bleizo's status "bestuursovereenkomst
gesloten" states `lopende_afspraken = bestuursovereenkomst`; DB-03's "intentieakkoord" states
`intentieovereenkomst`; DB-04 states nothing. The PPM of tests/test_scoring_voortgang.py gives,
by hand, delays at 2025-Q3 of P1 0, P2 0, P3 4 quarters, and at 2025-Q1 P3 2 quarters.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

from locatiescan.cli.inputs import registry_locations
from locatiescan.context import ProjectContext
from locatiescan.errors import DataRootError
from locatiescan.paths import data_root
from locatiescan.prepare import prepare_inputs, voortgang_peildatum
from locatiescan.registry import load_locations
from locatiescan.scoring import check_answers, load_model, parse_model, score
from locatiescan.screening import Screening
from locatiescan.settings import settings
from locatiescan.workspace import Workspace
from locatiescan.workspace.voortgang import add_ppm_rows
from test_scoring_voortgang import HOMES, MODEL, PPM, ppm_rows

DOORBRAAK_MODEL = Path(__file__).resolve().parents[1] / "scoring" / "doorbraak_shortlist.yaml"


def refuse(_locations):
    raise AssertionError("indicators computed for a model that does not read them")


@pytest.fixture(scope="module")
def doorbraak():
    return load_locations(["doorbraak"])


def test_the_context_resolves_once_what_commands_and_pages_share() -> None:
    context = ProjectContext.build()
    assert context.online is settings().online
    assert ProjectContext.build(offline=True).online is False
    assert context.workspace is None
    assert context.data_root == data_root()
    snapshot = context.catalog["natura2000"].snapshot
    assert snapshot is not None and Path(str(snapshot.path)).is_relative_to(context.data_root)
    assert "doorbraak_shortlist" in {entry.path.stem for entry in context.models}
    assert context.facts.get("lopende_afspraken") is not None
    assert context.facts is context.facts  # parsed once per context


def test_the_loaders_read_the_context_data_root(tmp_path: Path) -> None:
    """A context on an empty folder: the registry is read from there, not from elsewhere."""
    empty = ProjectContext.build(root=tmp_path)
    assert empty.data_root == tmp_path.resolve()
    with pytest.raises(DataRootError) as err:
        registry_locations(["doorbraak"], empty)
    assert str(tmp_path) in err.value.en and "locaties.csv" in err.value.nl
    assert len(registry_locations(["doorbraak"], ProjectContext.build())) == 23


def test_dossier_answers_come_from_the_registry_and_given_cells_win(doorbraak) -> None:
    model = load_model(DOORBRAAK_MODEL)
    context = ProjectContext.build()
    held = Screening(table=pd.DataFrame(index=pd.Index(doorbraak["id"], name="id")))
    inputs = prepare_inputs(model, doorbraak, context, screening=held, indicators_of=refuse)
    assert inputs.screening is held  # a screening the caller holds is not redone
    assert inputs.indicators is None  # the doorbraak model reads no indicator
    assert inputs.answers.at["DB-01", "lopende_afspraken"] == "bestuursovereenkomst"
    assert inputs.answers.at["DB-03", "lopende_afspraken"] == "intentieovereenkomst"
    assert pd.isna(inputs.answers.at["DB-04", "lopende_afspraken"])

    given = check_answers(
        model, pd.DataFrame({"lopende_afspraken": ["geen"]}, index=["DB-01"]), "antwoorden.csv"
    )
    inputs = prepare_inputs(
        model, doorbraak, context, answers=given, screening=held, indicators_of=refuse
    )
    assert inputs.answers.at["DB-01", "lopende_afspraken"] == "geen"  # the given cell wins
    assert inputs.answers.at["DB-03", "lopende_afspraken"] == "intentieovereenkomst"

    off = prepare_inputs(
        model, doorbraak, context, dossier=False, screening=held, indicators_of=refuse
    )
    assert off.answers is None


def test_a_stored_fact_wins_over_the_registry(doorbraak, tmp_path: Path) -> None:
    ws = Workspace.open(tmp_path / "ws.sqlite")
    ws.set_facts("DB-01", {"lopende_afspraken": "geen"}, who="Tester", source="notulen")
    model = load_model(DOORBRAAK_MODEL)
    context = ProjectContext.build(workspace=ws)
    held = Screening(table=pd.DataFrame(index=pd.Index(doorbraak["id"], name="id")))
    inputs = prepare_inputs(model, doorbraak, context, screening=held)
    assert inputs.answers.at["DB-01", "lopende_afspraken"] == "geen"
    assert inputs.answers.at["DB-03", "lopende_afspraken"] == "intentieovereenkomst"


def test_ppm_delays_at_the_latest_or_a_chosen_peildatum(tmp_path: Path) -> None:
    model = parse_model(yaml.safe_dump(MODEL), "m.yaml")
    locations = pd.DataFrame({"id": list(HOMES), "naam": list(HOMES), "woningen": HOMES.values()})
    column = "start_bouw.vertraging_kwartalen"

    without = prepare_inputs(model, locations, ProjectContext.build(), indicators_of=refuse)
    assert without.voortgang is None and without.screening is None
    assert voortgang_peildatum(None, None) is None

    ws = Workspace.open(tmp_path / "ws.sqlite")
    add_ppm_rows(ws, ppm_rows(PPM), "Tester", source="test")
    context = ProjectContext.build(workspace=ws)
    assert voortgang_peildatum(ws, None) == "2025-Q3"
    latest = prepare_inputs(model, locations, context, indicators_of=refuse)
    assert latest.voortgang[column].to_dict() == {"P1": 0, "P2": 0, "P3": 4}
    earlier = prepare_inputs(model, locations, context, peildatum="2025-Q1")
    assert earlier.voortgang.at["P3", column] == 2
    # P3, 4 quarters late, gets 0 of 10 on voortgang: 0.5 x 0 + 0.5 x 10/10 (600 >= 500) = 50
    assert score(model, latest).table.at["P3", "totaal"] == pytest.approx(50)

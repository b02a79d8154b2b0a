"""Zelfscan PDF: per project and for all own projects — the model, the answers as labels
(open questions marked), explanation per criterion, class and staff hours, map, sources, date."""

from __future__ import annotations

import io
from datetime import date

import pandas as pd
import pypdf
import pytest

from export_fixtures import DRAWN_NAME, export_locations, export_provenance
from locatiescan import present
from locatiescan.errors import InputError
from locatiescan.export import zelfscan_report_pdf
from locatiescan.paths import SCORING_DIR
from locatiescan.scoring import ScoringInput, load_model, score

OWN = ["EIGEN-0001", "DB-04"]  # the drawn project and a real site, as two own projects
ANSWERS = pd.DataFrame(
    {
        "locatietype": ["uitbreiding", "inbreiding"],
        "past_in_omgevingsvisie": ["ja", "nee"],
        "past_bij_behoefte": ["grotendeels", "volledig"],
        "betaalbaar_aandeel": [66.7, None],
        "planfase": ["stedenbouwkundig_plan", None],
        "financiele_dekking": ["tekort_met_oplossing", "rond"],
    },
    index=pd.Index(OWN, name="id"),
)


@pytest.fixture(scope="module")
def scored():
    locations = export_locations()
    own = locations[locations["id"].isin(OWN)].reset_index(drop=True)
    model = load_model(SCORING_DIR / "kansrijk_bouwen.yaml")
    return own, score(model, ScoringInput(own, None, None, ANSWERS))


def text_of(data: bytes) -> str:
    pages = pypdf.PdfReader(io.BytesIO(data)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


@pytest.fixture(scope="module")
def one_project(scored):
    own, result = scored
    return text_of(
        zelfscan_report_pdf(result, own, ANSWERS, export_provenance(), project_ids=["EIGEN-0001"])
    )


def test_one_project_report_has_model_answers_and_labels(one_project, scored):
    _, result = scored
    text = one_project
    assert f"Zelfscan {DRAWN_NAME}" in text
    assert f"Datum: {present.nl_date(date.today())}" in text
    assert "model: Kansrijk Bouwen (Maasdriel-stijl) (versie 1)" in text
    assert "Ruimtelijke kwaliteit 40 %" in text  # the model's pillars with weights
    # answers as labels, not codes; unanswered questions are open
    assert "Wat voor locatie is het? uitbreiding" in text
    assert "In welke fase is de planvorming? stedenbouwkundig plan" in text
    assert "Is de financiële dekking rond? tekort met oplossing" in text
    assert "Aandeel betaalbare woningen (%) 66,7" in text
    assert "Wie heeft de grondpositie? open (nog niet beantwoord)" in text
    for code in ("stedenbouwkundig_plan", "tekort_met_oplossing", "None", "DB-04"):
        assert code not in text
    # class and staff hours as the engine computed them, in Dutch notation
    row = result.table.loc["EIGEN-0001"]
    assert f"Totaalscore (0–100) {present.nl_number(row['totaal'], 1)}" in text
    assert (
        f"Klasse {row['klasse']} Inzet (uren per maand) {present.nl_number(row['uren_per_maand'])}"
        in text
    )


def test_explanation_per_criterion_with_the_models_reasoning(one_project):
    assert "Toelichting per criterium" in one_project
    # a criterion with its toelichting from the model, its value and rule as labels
    assert "Inbreiding, transformatie of uitbreiding Bouwen binnen bestaand" in one_project
    assert "= uitbreiding" in one_project and "== uitbreiding" not in one_project
    assert "Bronnen en peildata" in one_project and "Natura 2000-gebieden" in one_project
    assert "EPSG:28992" in one_project  # the map caption
    assert "pagina 1 van" in one_project


def test_all_own_projects_in_one_report(scored):
    own, result = scored
    text = text_of(zelfscan_report_pdf(result, own, ANSWERS))
    assert "Zelfscan eigen projecten" in text and "Rangorde" in text
    assert f"{DRAWN_NAME} (EIGEN-0001)" in text and "Almere Oosterwold (DB-04)" in text
    assert text.count("Antwoorden Vraag Antwoord") == 2  # one answer table per project


def test_unknown_project_is_refused(scored):
    own, result = scored
    with pytest.raises(InputError) as err:
        zelfscan_report_pdf(result, own, ANSWERS, project_ids=["XX-1"])
    assert "XX-1" in err.value.nl

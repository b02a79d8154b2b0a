"""Location dossiers (informatieprofiel): facts with source, date, author and history.

catalogue = load_catalogue()                         # scoring/dossier/feiten.yaml
records = dossier_records(locations, stored_latest(ws), catalogue)   # stored over registry
answers = dossier_answers(records)                   # ScoringInput.answers
xlsx = template_xlsx(locations, records, catalogue)  # bulk template
changes = read_template(data, known_ids, records, catalogue, name="x.xlsx")  # or
                                                     # DossierImportError (nothing applied)
record_changes(ws, changes, who="Anna")              # one transaction
"""

from locatiescan.dossier.catalogue import (
    CATALOGUE_PATH,
    Catalogue,
    Fact,
    ValueProblem,
    check_value,
    load_catalogue,
)
from locatiescan.dossier.prefill import RECORD_COLUMNS, registry_facts
from locatiescan.dossier.programme import PROGRAMMES, in_programme
from locatiescan.dossier.records import (
    Change,
    check_changes,
    completeness,
    dossier_answers,
    dossier_records,
    edit_facts,
    open_existing_workspace,
    record_changes,
    stored_latest,
    workspace_answers,
)
from locatiescan.dossier.template import (
    CellProblem,
    DossierImportError,
    read_template,
    template_xlsx,
)

__all__ = [
    "CATALOGUE_PATH",
    "PROGRAMMES",
    "RECORD_COLUMNS",
    "Catalogue",
    "CellProblem",
    "Change",
    "DossierImportError",
    "Fact",
    "ValueProblem",
    "check_changes",
    "check_value",
    "completeness",
    "dossier_answers",
    "dossier_records",
    "edit_facts",
    "in_programme",
    "load_catalogue",
    "open_existing_workspace",
    "read_template",
    "record_changes",
    "registry_facts",
    "stored_latest",
    "template_xlsx",
    "workspace_answers",
]

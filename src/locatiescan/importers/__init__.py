"""Import of the user's own location files (see `pipeline.import_file`)."""

from locatiescan.importers.pipeline import ImportReport, ImportResult, import_file, list_layers

__all__ = ["ImportReport", "ImportResult", "import_file", "list_layers"]

"""Voortgang: the Publiek-Private Monitor (milestones per project per quarterly peilmoment,
delay signals, alternatives) and woondeal progress (target, realisation, plancapaciteit).

Scoring can read `vertraging_per_project(ws, peildatum)`: index location id, columns
`<milestone>.vertraging_kwartalen` (source `voortgang.<milestone>.vertraging_kwartalen`).
"""

from locatiescan.voortgang.config import VoortgangConfig, load_config, parse_config
from locatiescan.voortgang.export import (
    delay_table,
    ppm_export_xlsx,
    voortgang_pdf,
    woondeal_xlsx,
)
from locatiescan.voortgang.grafiek import png, tijdlijn_figuur, woondeal_figuur
from locatiescan.voortgang.kwartaal import Kwartaal, kwartaal_van, parse_kwartaal
from locatiescan.voortgang.realisatie import read_realisatie, realisatie_template_xlsx
from locatiescan.voortgang.signalen import (
    STATUS_COLUMNS,
    delay_list,
    ppm_status,
    vertraging_per_project,
)
from locatiescan.voortgang.spreadsheet import Controle, Probleem, read_ppm, template_xlsx
from locatiescan.voortgang.woondeal import (
    Doel,
    Gebied,
    WoondealVoortgang,
    gemeente_gebied,
    load_plancapaciteit,
    load_woningvoorraad,
    provincie_gebied,
    woondeal_voortgang,
)

__all__ = [
    "STATUS_COLUMNS",
    "Controle",
    "Doel",
    "Gebied",
    "Kwartaal",
    "Probleem",
    "VoortgangConfig",
    "WoondealVoortgang",
    "delay_list",
    "delay_table",
    "gemeente_gebied",
    "kwartaal_van",
    "load_config",
    "load_plancapaciteit",
    "load_woningvoorraad",
    "parse_config",
    "parse_kwartaal",
    "png",
    "ppm_export_xlsx",
    "ppm_status",
    "provincie_gebied",
    "read_ppm",
    "read_realisatie",
    "realisatie_template_xlsx",
    "template_xlsx",
    "tijdlijn_figuur",
    "vertraging_per_project",
    "voortgang_pdf",
    "woondeal_figuur",
    "woondeal_voortgang",
    "woondeal_xlsx",
]

"""Exports of the Voortgang page: PPM workbook with the delay list, woondeal numbers (XLSX),
and one PDF report (delay list, timeline, woondeal chart). Each returns bytes."""

from __future__ import annotations

import io
from datetime import date
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

import pandas as pd

from locatiescan.present import ONBEKEND, is_missing, nl_number
from locatiescan.voortgang.config import VoortgangConfig
from locatiescan.voortgang.grafiek import png, tijdlijn_figuur, woondeal_figuur
from locatiescan.voortgang.kwartaal import parse_kwartaal
from locatiescan.voortgang.spreadsheet import FIELDS, ppm_xlsx
from locatiescan.voortgang.woondeal import WoondealVoortgang
from locatiescan.workbook import keep_text, workbook_bytes

if TYPE_CHECKING:  # openpyxl and reportlab are imported where a file is written (slow imports)
    from reportlab.platypus import Image, Table

SHEET_DELAYS = "Vertraagd"
DELAY_HEADERS = {
    "id": "Project-id",
    "projectnaam": "Projectnaam",
    "mijlpaal_label": "Mijlpaal",
    "verantwoordelijke": "Verantwoordelijke",
    "gepland": "Gepland",
    "eerste_gepland": "Eerste planning",
    "vertraging_kwartalen": "Vertraging (kwartalen)",
    "verschuiving_vorige_kwartalen": "Verschoven t.o.v. vorig peilmoment (kwartalen)",
    "verschuiving_totaal_kwartalen": "Verschoven t.o.v. eerste planning (kwartalen)",
    "alternatieven": "Alternatieve projecten",
    "toelichting": "Toelichting",
}
WOONDEAL_HEADERS = {
    "netto_toevoeging": "Netto toevoeging",
    "bron": "Bron",
    "realisatie_cumulatief": "Gerealiseerd cumulatief",
    "doel_cumulatief": "Doel cumulatief",
}


def delay_table(delayed: pd.DataFrame, *, display: bool = True) -> pd.DataFrame:
    """The delay list with Dutch headers and quarters as 'Q3 2025'. With `display`, counts are
    text and a missing one reads 'onbekend' (e.g. no earlier peilmoment); otherwise numbers."""
    table = delayed.reindex(columns=list(DELAY_HEADERS)).copy()
    for column in ("gepland", "eerste_gepland"):
        table[column] = [_quarter_text(v) for v in table[column]]
    if display:
        for column in [c for c in table.columns if c.endswith("_kwartalen")]:
            table[column] = [nl_number(v) for v in table[column]]
        table["alternatieven"] = table["alternatieven"].fillna("").replace("", "geen")
    return table.rename(columns=DELAY_HEADERS)


def _quarter_text(value: object) -> str:
    return ONBEKEND if is_missing(value) else parse_kwartaal(value).tekst()


def ppm_export_xlsx(records: pd.DataFrame, delayed: pd.DataFrame, config: VoortgangConfig) -> bytes:
    """The whole PPM history in the import layout (sheet 'PPM', oldest first, so it can be
    imported elsewhere), plus the delay list ('Vertraagd'), 'Uitleg' and 'Mijlpalen'."""
    from openpyxl import load_workbook
    from openpyxl.styles import Font

    book = load_workbook(io.BytesIO(ppm_xlsx(records.reindex(columns=FIELDS), config)))
    sheet = book.create_sheet(SHEET_DELAYS, 1)
    table = delay_table(delayed, display=False)
    sheet.append(list(table.columns))
    for record in table.itertuples(index=False):
        sheet.append([None if is_missing(v) else v for v in record])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    return workbook_bytes(book)


def woondeal_xlsx(voortgang: WoondealVoortgang) -> bytes:
    """The numbers behind the woondeal chart: 'Jaren', 'Plancapaciteit', 'Samenvatting'."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        voortgang.jaren.rename(columns=WOONDEAL_HEADERS).to_excel(writer, sheet_name="Jaren")
        voortgang.capaciteit.to_excel(writer, sheet_name="Plancapaciteit", index=False)
        summary = pd.DataFrame(list(voortgang.samenvatting().items()), columns=["", "waarde"])
        summary.to_excel(writer, sheet_name="Samenvatting", index=False)
        keep_text(writer.book)
    return buffer.getvalue()


def voortgang_pdf(
    peildatum: object,
    status: pd.DataFrame,
    delayed: pd.DataFrame,
    woondeal: WoondealVoortgang | None = None,
) -> bytes:
    """A PDF: the delay list for the versnellingstafel, the timeline of the delayed projects
    (all projects when none is delayed) and, when given, the woondeal chart with its figures."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import cm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    styles = getSampleStyleSheet()
    peil = parse_kwartaal(peildatum)
    story: list = [
        Paragraph("Voortgang woningbouwprojecten (Publiek-Private Monitor)", styles["Title"]),
        Paragraph(
            f"Peildatum {peil.tekst()} · gemaakt op {date.today():%d-%m-%Y}", styles["Normal"]
        ),
        Spacer(1, 0.4 * cm),
        Paragraph(f"Vertraagde mijlpalen ({len(delayed)})", styles["Heading2"]),
    ]
    if delayed.empty:
        story.append(Paragraph("Geen vertraagde mijlpalen op deze peildatum.", styles["Normal"]))
    else:
        columns = [
            "id",
            "mijlpaal_label",
            "gepland",
            "vertraging_kwartalen",
            "verschuiving_totaal_kwartalen",
            "alternatieven",
        ]
        table = delay_table(delayed)[[DELAY_HEADERS[c] for c in columns]]
        story.append(_table(table, styles))
    projects = set(delayed["id"]) or set(status["id"])
    shown = status[status["id"].isin(projects)]
    if not shown.empty:
        story += [
            Paragraph("Tijdlijn", styles["Heading2"]),
            _image(png(tijdlijn_figuur(shown, peil)), 17 * cm),
        ]
    if woondeal is not None:
        story += [
            Paragraph(escape(f"Woondeal {woondeal.gebied.naam}"), styles["Heading2"]),
            _image(png(woondeal_figuur(woondeal)), 17 * cm),
        ]
        summary = pd.DataFrame(
            [
                (k, "" if v is None else nl_number(v) if not isinstance(v, str) else v)
                for k, v in woondeal.samenvatting().items()
            ],
            columns=["", "waarde"],
        )
        story.append(_table(summary, styles))
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, title="Voortgang").build(story)
    return buffer.getvalue()


def _table(frame: pd.DataFrame, styles) -> Table:
    from reportlab.lib import colors
    from reportlab.platypus import Paragraph, Table, TableStyle

    cell = styles["BodyText"].clone("cell", fontSize=7, leading=9)
    rows = [[Paragraph(escape(str(c)), cell) for c in frame.columns]]
    rows += [
        [Paragraph(escape(v if isinstance(v, str) else _text(v)), cell) for v in record]
        for record in frame.itertuples(index=False)
    ]
    table = Table(rows, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E8EEF4")),
                ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _text(value: object) -> str:
    return ONBEKEND if is_missing(value) else str(value)


def _image(data: bytes, width: float) -> Image:
    from reportlab.platypus import Image

    image = Image(io.BytesIO(data))
    scale = width / image.drawWidth
    image.drawWidth, image.drawHeight = width, image.drawHeight * scale
    return image

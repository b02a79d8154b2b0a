"""The PPM spreadsheet: template, cell-by-cell validation with a Dutch report, and export.

Layout (one row per project × milestone × peilmoment, sheet 'PPM', headers in row 1):

| kolom | kop                | inhoud                                                      |
|-------|--------------------|-------------------------------------------------------------|
| A     | Peilmoment         | quarter of the update, e.g. 2025-Q3 (verplicht)             |
| B     | Project-id         | location id: policy (KL-01), plan (EIB-123) or own (EIGEN-0001) |
| C     | Projectnaam        | free text (optional)                                        |
| D     | Mijlpaal           | id or label from the milestone list (verplicht)             |
| E     | Gepland            | planned quarter; empty = not yet planned (onbekend)         |
| F     | Gerealiseerd       | quarter reached; empty = not yet; not after the peilmoment  |
| G     | Verantwoordelijke  | publiek or privaat; empty = the milestone's default          |
| H     | Toelichting        | free text, at most 500 characters                           |

Every quarterly update is a new set of rows with a new peilmoment; nothing is overwritten. The
importer checks every cell and reports every problem (cel, kolom, probleem); one problem means
nothing is applied.
"""

from __future__ import annotations

import io
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from locatiescan.errors import InputError
from locatiescan.voortgang.config import PARTIJEN, VoortgangConfig
from locatiescan.voortgang.kwartaal import Kwartaal, parse_kwartaal
from locatiescan.workbook import workbook_bytes

SHEET_PPM = "PPM"
SHEET_UITLEG = "Uitleg"
SHEET_MIJLPALEN = "Mijlpalen"
MAX_NOTE = 500
MAX_ROWS = 20_000
HEADER_COLOUR = "E8EEF4"  # header cells (openpyxl PatternFill, made where a sheet is styled)

# (field, header, required, explanation): the order is the column order A..H.
COLUMNS: tuple[tuple[str, str, bool, str], ...] = (
    ("peilmoment", "Peilmoment", True, "Kwartaal van deze update, bv. 2025-Q3 (of Q3 2025)."),
    (
        "id",
        "Project-id",
        True,
        "Id van de locatie: beleidslocatie (KL-01), plan (EIB-123) of eigen project (EIGEN-0001).",
    ),
    ("projectnaam", "Projectnaam", False, "Naam van het project (ter herkenning)."),
    ("mijlpaal", "Mijlpaal", True, "Id of naam uit het blad 'Mijlpalen'."),
    ("gepland", "Gepland", False, "Gepland kwartaal; leeg = nog niet gepland (onbekend)."),
    (
        "gerealiseerd",
        "Gerealiseerd",
        False,
        "Kwartaal waarin de mijlpaal is bereikt; leeg = nog niet. Niet na het peilmoment.",
    ),
    (
        "verantwoordelijke",
        "Verantwoordelijke",
        False,
        "publiek of privaat; leeg = de standaard van de mijlpaal.",
    ),
    ("toelichting", "Toelichting", False, f"Vrije tekst, hoogstens {MAX_NOTE} tekens."),
)
FIELDS = [c[0] for c in COLUMNS]
HEADERS = {c[0]: c[1] for c in COLUMNS}


def problemen_tekst(count: int) -> str:
    """'1 probleem', '3 problemen'."""
    return f"{count} {'probleem' if count == 1 else 'problemen'}"


@dataclass(frozen=True)
class Probleem:
    """One invalid cell (or a missing column / a duplicate row)."""

    cel: str  # 'E7', or 'rij 1' for a header problem
    kolom: str
    probleem: str

    def tekst(self) -> str:
        return f"Cel {self.cel} ({self.kolom}): {self.probleem}"


@dataclass
class Controle:
    """The result of reading a spreadsheet: clean rows, or the problems that block the import."""

    rows: pd.DataFrame
    problemen: list[Probleem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problemen

    def rapport(self) -> str:
        """The Dutch report: one line per problem."""
        if self.ok:
            return f"{len(self.rows)} regels in orde."
        lines = [p.tekst() for p in self.problemen]
        head = f"{problemen_tekst(len(lines))} gevonden; er is niets ingelezen."
        return "\n".join([head, *lines])

    def raise_if_invalid(self) -> None:
        """An InputError carrying the whole Dutch report when any cell is invalid."""
        if not self.ok:
            en = f"{len(self.problemen)} invalid cell(s); nothing imported: " + "; ".join(
                f"{p.cel}: {p.probleem}" for p in self.problemen[:10]
            )
            raise InputError(en, self.rapport())


# -- template --------------------------------------------------------------------------------


def template_xlsx(config: VoortgangConfig) -> bytes:
    """An empty PPM workbook: 'PPM' with Dutch headers and drop-downs, 'Uitleg' explaining every
    column, 'Mijlpalen' listing the milestones of this werkruimte."""
    return ppm_xlsx(pd.DataFrame(columns=FIELDS), config)


def ppm_xlsx(rows: pd.DataFrame, config: VoortgangConfig) -> bytes:
    """A PPM workbook in the import layout holding `rows` (columns `FIELDS`; quarters as
    '2025-Q3'), plus the 'Uitleg' and 'Mijlpalen' sheets; it can be imported again as is."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    sheet.title = SHEET_PPM
    sheet.append([HEADERS[f] for f in FIELDS])
    for record in rows[FIELDS].itertuples(index=False):
        sheet.append([None if pd.isna(v) else v for v in record])
    _style_header(sheet, [18, 16, 30, 28, 14, 14, 18, 50])
    sheet.freeze_panes = "A2"
    last = max(MAX_ROWS, len(rows) + 1)
    milestones = DataValidation(type="list", formula1=f"={SHEET_MIJLPALEN}!$A$2:$A$200")
    parties = DataValidation(type="list", formula1=f'"{",".join(PARTIJEN)}"')
    for validation, column in ((milestones, "D"), (parties, "G")):
        validation.showErrorMessage = False  # the importer reports; Excel only suggests
        sheet.add_data_validation(validation)
        validation.add(f"{column}2:{column}{last}")

    uitleg = book.create_sheet(SHEET_UITLEG)
    uitleg.append(["Kolom", "Kop", "Verplicht", "Uitleg"])
    for i, (_, header, required, text) in enumerate(COLUMNS):
        uitleg.append([get_column_letter(i + 1), header, "ja" if required else "nee", text])
    for line in (
        "",
        (
            "Eén regel per project, mijlpaal en peilmoment. Elk kwartaal komen er regels bij met "
            "een nieuw peilmoment; eerdere regels blijven bewaard, zo is te zien hoe de planning "
            "schuift."
        ),
        (
            "Een mijlpaal is vertraagd als het geplande kwartaal voorbij is en er geen "
            "gerealiseerd kwartaal is ingevuld."
        ),
        "Kwartalen: 2025-Q3, Q3 2025, 2025-K3 of een datum (die valt in zijn kwartaal).",
        "Bij één fout in het bestand wordt niets ingelezen; het rapport noemt elke foute cel.",
    ):
        uitleg.append(["", "", "", line])
    _style_header(uitleg, [8, 20, 10, 90])

    listing = book.create_sheet(SHEET_MIJLPALEN)
    listing.append(["Mijlpaal (id)", "Naam", "Standaard verantwoordelijke"])
    for milestone in config.mijlpalen:
        listing.append([milestone.id, milestone.label, milestone.partij])
    _style_header(listing, [28, 32, 26])
    return workbook_bytes(book)


def _style_header(sheet, widths: list[int]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    for i, width in enumerate(widths):
        sheet.column_dimensions[get_column_letter(i + 1)].width = width
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=HEADER_COLOUR)
        cell.alignment = Alignment(vertical="top", wrap_text=True)


# -- import ----------------------------------------------------------------------------------


def read_ppm(
    source: Path | bytes,
    config: VoortgangConfig,
    known_ids: Collection[str] | None = None,
) -> Controle:
    """Read and check a PPM workbook cell by cell.

    Parameters
    ----------
    source
        An .xlsx path or its bytes.
    config
        The milestone list in force (`mijlpaal` must be one of its ids or labels).
    known_ids
        Location ids a `Project-id` must be one of; None accepts any id.

    Returns
    -------
    Controle
        `rows` (columns `FIELDS`, quarters as '2025-Q3', party filled from the milestone) and
        every problem; apply the rows only when `ok`.
    """
    from openpyxl.utils import get_column_letter

    cells = read_cells(source)
    problems: list[Probleem] = []
    if not cells:
        problems.append(Probleem("rij 1", SHEET_PPM, "het blad is leeg; gebruik het sjabloon"))
        return Controle(pd.DataFrame(columns=FIELDS), problems)
    positions, header_problems = _columns(cells[0])
    problems += header_problems
    if header_problems:
        return Controle(pd.DataFrame(columns=FIELDS), problems)
    clean: list[dict[str, object]] = []
    seen: dict[tuple[str, str, str], int] = {}
    for number, values in enumerate(cells[1:], start=2):
        if all(blank(v) for v in values):
            continue
        row = {f: _cell(values, positions.get(f)) for f in FIELDS}
        parsed, row_problems = _check_row(row, number, positions, config, known_ids)
        problems += row_problems
        if not row_problems:
            key = (str(parsed["peilmoment"]), str(parsed["id"]), str(parsed["mijlpaal"]))
            if key in seen:
                where = f"{get_column_letter(positions['mijlpaal'] + 1)}{number}"
                text = (
                    f"dezelfde mijlpaal voor dit project en peilmoment staat al op rij {seen[key]}"
                )
                problems.append(Probleem(where, HEADERS["mijlpaal"], text))
            seen.setdefault(key, number)
            clean.append(parsed)
    if not clean and not problems:
        problems.append(Probleem("rij 2", SHEET_PPM, "geen regels gevonden onder de kopregel"))
    if len(cells) - 1 > MAX_ROWS:
        problems.append(Probleem("rij 1", SHEET_PPM, f"meer dan {MAX_ROWS} regels"))
    return Controle(pd.DataFrame(clean, columns=FIELDS), problems)


def read_cells(source: Path | bytes, sheet_name: str = SHEET_PPM) -> list[list[object]]:
    """The values of sheet `sheet_name` (else the first sheet), row by row."""
    from openpyxl import load_workbook

    try:
        stream = io.BytesIO(source) if isinstance(source, bytes) else source
        book = load_workbook(stream, read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises many types for a bad file
        msg = f"not a readable .xlsx workbook: {err}"
        raise InputError(msg, f"Geen leesbaar Excel-bestand (.xlsx): {err}") from err
    try:
        sheet = book[sheet_name] if sheet_name in book.sheetnames else book.worksheets[0]
        return [list(r) for r in sheet.iter_rows(values_only=True)]
    finally:
        book.close()


def _normal(header: object) -> str:
    text = "" if header is None else str(header).strip().casefold()
    return text.split("(")[0].strip()


def _columns(header_row: list[object]) -> tuple[dict[str, int], list[Probleem]]:
    """Field -> column position, by header text; problems for missing or doubled headers."""
    from openpyxl.utils import get_column_letter

    wanted = {HEADERS[f].casefold(): f for f in FIELDS}
    positions: dict[str, int] = {}
    problems: list[Probleem] = []
    for i, header in enumerate(header_row):
        found = wanted.get(_normal(header))
        if found is None:
            continue
        if found in positions:
            cel = f"{get_column_letter(i + 1)}1"
            problems.append(Probleem(cel, HEADERS[found], "deze kolom staat er twee keer in"))
        positions.setdefault(found, i)
    for name, header, required, _ in COLUMNS:
        if required and name not in positions:
            problems.append(Probleem("rij 1", header, "verplichte kolom ontbreekt"))
    return positions, problems


def _cell(values: list[object], position: int | None) -> object:
    return values[position] if position is not None and position < len(values) else None


def blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _check_row(
    row: dict[str, object],
    number: int,
    positions: dict[str, int],
    config: VoortgangConfig,
    known_ids: Collection[str] | None,
) -> tuple[dict[str, object], list[Probleem]]:
    from openpyxl.utils import get_column_letter

    problems: list[Probleem] = []

    def fail(name: str, text: str) -> None:
        cel = f"{get_column_letter(positions[name] + 1)}{number}"
        problems.append(Probleem(cel, HEADERS[name], text))

    parsed: dict[str, object] = {f: None for f in FIELDS}
    for name in ("peilmoment", "gepland", "gerealiseerd"):
        value = row[name]
        if blank(value):
            if name == "peilmoment":
                fail(name, "leeg; vul het kwartaal van deze update in")
            continue
        try:
            parsed[name] = parse_kwartaal(_date_or_text(value))
        except ValueError as err:
            fail(name, str(err))
    location_id = "" if blank(row["id"]) else str(row["id"]).strip()
    if not location_id:
        fail("id", "leeg; vul de id van de locatie in")
    elif known_ids is not None and location_id not in known_ids:
        fail("id", f"onbekende locatie-id '{location_id}'")
    parsed["id"] = location_id
    milestone = None if blank(row["mijlpaal"]) else config.mijlpaal(str(row["mijlpaal"]))
    if milestone is None:
        allowed = ", ".join(m.id for m in config.mijlpalen)
        given = "leeg" if blank(row["mijlpaal"]) else f"'{row['mijlpaal']}' onbekend"
        fail("mijlpaal", f"{given}; kies uit: {allowed}")
    else:
        parsed["mijlpaal"] = milestone.id
    party = None if blank(row["verantwoordelijke"]) else str(row["verantwoordelijke"]).strip()
    if party is not None and party.casefold() not in PARTIJEN:
        fail("verantwoordelijke", f"'{party}' is niet publiek of privaat")
    parsed["verantwoordelijke"] = (
        party.casefold() if party else (milestone.partij if milestone else None)
    )
    note = "" if blank(row["toelichting"]) else str(row["toelichting"]).strip()
    if len(note) > MAX_NOTE:
        fail("toelichting", f"{len(note)} tekens; hoogstens {MAX_NOTE}")
    parsed["toelichting"] = note
    parsed["projectnaam"] = "" if blank(row["projectnaam"]) else str(row["projectnaam"]).strip()
    peil, actual = parsed["peilmoment"], parsed["gerealiseerd"]
    if isinstance(peil, Kwartaal) and isinstance(actual, Kwartaal) and actual > peil:
        fail("gerealiseerd", f"{actual} ligt na het peilmoment {peil}")
    for name in ("peilmoment", "gepland", "gerealiseerd"):
        parsed[name] = None if parsed[name] is None else str(parsed[name])
    return parsed, problems


def _date_or_text(value: object) -> object:
    """Excel dates arrive as datetime; whole numbers (e.g. 2025) are not quarters."""
    if isinstance(value, datetime | date):
        return value
    if isinstance(value, int | float):
        return f"{value:g}"
    return str(value)

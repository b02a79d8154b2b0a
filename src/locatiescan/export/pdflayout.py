"""Layout parts of the PDF reports (reportlab): fonts, styles, tables whose columns are never
narrower than their longest word, portrait and landscape pages, and a footer with
'pagina X van Y', the date, the model and the data attributions."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from PIL import Image as PILImage
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    PageTemplate,
    Paragraph,
    Table,
    TableStyle,
)

DEJAVU_DIR = Path("/usr/share/fonts/truetype/dejavu")
MARGIN = 2 * cm
PORTRAIT = "portrait"
LANDSCAPE = "landscape"
CELL_PADDING = 3.0  # points, left and right
MIN_FONT_SIZE = 6.0
UNIT_SPACE = re.compile(r"(\d) (%|ha|m|km|cm)(?!\w)")
OPERATOR_SPACE = re.compile(r"(&gt;|&lt;|[≥≤≠=]) (?=\S)")  # after XML escaping
GRID_COLOUR = colors.HexColor("#b0b0b0")
HEAD_COLOUR = colors.HexColor("#e8eef4")


def content_width(orientation: str = PORTRAIT) -> float:
    """Usable width (points) of a page in this orientation."""
    size = landscape(A4) if orientation == LANDSCAPE else A4
    return size[0] - 2 * MARGIN


@dataclass(frozen=True)
class Cell:
    """A table cell: its text and an optional smaller note below it (e.g. a reason)."""

    text: str
    note: str = ""


@lru_cache(maxsize=1)
def fonts() -> tuple[str, str]:
    """DejaVu Sans (so ë, é, ≥ and € render) when installed, else Helvetica."""
    regular, bold = DEJAVU_DIR / "DejaVuSans.ttf", DEJAVU_DIR / "DejaVuSans-Bold.ttf"
    if not (regular.exists() and bold.exists()):
        return "Helvetica", "Helvetica-Bold"
    pdfmetrics.registerFont(TTFont("DejaVuSans", str(regular)))
    pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", str(bold)))
    pdfmetrics.registerFontFamily(
        "DejaVuSans",
        normal="DejaVuSans",
        bold="DejaVuSans-Bold",
        italic="DejaVuSans",
        boldItalic="DejaVuSans-Bold",
    )
    return "DejaVuSans", "DejaVuSans-Bold"


def styles() -> dict[str, ParagraphStyle]:
    """The paragraph styles of the reports."""
    regular, bold = fonts()
    base = getSampleStyleSheet()
    return {
        "title": ParagraphStyle(
            "title", parent=base["Title"], fontName=bold, fontSize=18, alignment=TA_LEFT
        ),
        "h1": ParagraphStyle(
            "h1", parent=base["Heading1"], fontName=bold, fontSize=14, keepWithNext=1
        ),
        "h2": ParagraphStyle(
            "h2",
            parent=base["Heading2"],
            fontName=bold,
            fontSize=11,
            spaceBefore=8,
            spaceAfter=4,
            keepWithNext=1,
        ),
        "h2split": ParagraphStyle(  # a heading the table below may leave alone on its page
            "h2split",
            parent=base["Heading2"],
            fontName=bold,
            fontSize=11,
            spaceBefore=8,
            spaceAfter=4,
        ),
        "body": ParagraphStyle("body", parent=base["BodyText"], fontName=regular, fontSize=9),
        "small": ParagraphStyle(
            "small", parent=base["BodyText"], fontName=regular, fontSize=8, leading=10
        ),
    }


def _cell_style(size: float, bold: bool = False) -> ParagraphStyle:
    regular, heavy = fonts()
    return ParagraphStyle(
        f"cell{size}{bold}",
        fontName=heavy if bold else regular,
        fontSize=size,
        leading=size * 1.25,
        splitLongWords=0,
    )


def _word_width(text: str, font: str, size: float) -> float:
    return max((stringWidth(word, font, size) for word in text.split()), default=0.0)


def fitted_widths(
    header: Sequence[str],
    rows: Sequence[Sequence[Cell]],
    total: float,
    size: float,
    *,
    label_column: bool = False,
) -> list[float] | None:
    """Column widths (points) summing to `total` where no word has to break, or None when
    the longest words alone do not fit at this font size. Spare width goes to the columns
    whose text is longest."""
    regular, bold = fonts()
    minimum, preferred = [], []
    for n, head in enumerate(header):
        cells = [row[n] for row in rows]
        words = [_word_width(head, bold, size)]
        font = bold if label_column and n == 0 else regular
        words += [_word_width(c.text, font, size) for c in cells]
        words += [_word_width(c.note, regular, size * 0.85) for c in cells]
        full = [stringWidth(c.text, font, size) for c in cells] + [words[0]]
        minimum.append(max(words) + 2 * CELL_PADDING + 1)
        preferred.append(max(max(full) + 2 * CELL_PADDING + 1, minimum[-1]))
    if sum(minimum) > total:
        return None
    spare = total - sum(minimum)
    wanted = [p - m for p, m in zip(preferred, minimum, strict=True)]
    if sum(wanted) <= spare:
        extra = [
            w + (spare - sum(wanted)) * p / sum(preferred)
            for w, p in zip(wanted, preferred, strict=True)
        ]
    else:
        extra = [spare * w / sum(wanted) for w in wanted]
    return [m + e for m, e in zip(minimum, extra, strict=True)]


def grid(
    header: Sequence[str] | None,
    rows: Sequence[Sequence[Cell | str]],
    total: float,
    *,
    size: float = 8.0,
    label_column: bool = False,
) -> Table:
    """A table filling `total` points; the font shrinks (down to 6 pt) until every word fits
    its column, so no word breaks mid-word. `label_column` sets the first column in bold
    (label/value tables without header)."""
    cells = [[c if isinstance(c, Cell) else Cell(str(c)) for c in row] for row in rows]
    heads = list(header) if header is not None else [""] * (len(cells[0]) if cells else 0)
    widths = None
    while widths is None and size >= MIN_FONT_SIZE:
        widths = fitted_widths(heads, cells, total, size, label_column=label_column)
        if widths is None:
            size -= 0.5
    if widths is None:
        size = MIN_FONT_SIZE
        widths = [total / len(heads)] * len(heads)
    body, note = _cell_style(size), _cell_style(size * 0.85)
    strong = _cell_style(size, bold=True)
    data = []
    if header is not None:
        data.append([Paragraph(escape(h), strong) for h in heads])
    for row in cells:
        line = []
        for n, cell in enumerate(row):
            style = strong if label_column and n == 0 else body
            text = unbroken(escape(cell.text))
            if cell.note:
                text += (
                    f'<br/><font size="{note.fontSize:.1f}">{unbroken(escape(cell.note))}</font>'
                )
            line.append(Paragraph(text, style))
        data.append(line)
    table = Table(data, colWidths=widths, repeatRows=1 if header is not None else 0, hAlign="LEFT")
    commands = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("GRID", (0, 0), (-1, -1), 0.3, GRID_COLOUR),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
    ]
    if header is not None:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), HEAD_COLOUR))
    table.setStyle(TableStyle(commands))
    return table


def unbroken(text: str) -> str:
    """Units stay with their number ('88 %' never breaks before the '%'), comparison signs
    with their operand ('≥ 5.000')."""
    return OPERATOR_SPACE.sub("\\1\u00a0", UNIT_SPACE.sub("\\1\u00a0\\2", text))


class Picture(Flowable):
    """A PIL image drawn at a fixed size (no PNG round trip)."""

    def __init__(self, image: PILImage.Image, width: float, height: float) -> None:
        super().__init__()
        self.image, self.width, self.height = image, width, height

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        self.canv.drawImage(ImageReader(self.image), 0, 0, self.width, self.height)


def document(
    buffer, *, title: str, footer_lines: Sequence[str], first: str = PORTRAIT
) -> BaseDocTemplate:
    """A document with a portrait and a landscape page template (switch with
    `NextPageTemplate`), each with the footer; the first page is in orientation `first`."""
    doc = BaseDocTemplate(buffer, pagesize=A4, title=title, author="Locatiescan")
    templates = []
    for name, size in ((PORTRAIT, A4), (LANDSCAPE, landscape(A4))):
        frame = Frame(
            MARGIN, 2.2 * cm, size[0] - 2 * MARGIN, size[1] - 4.0 * cm, id=name, showBoundary=0
        )
        templates.append(
            PageTemplate(id=name, frames=[frame], pagesize=size, onPage=_footer(footer_lines))
        )
    doc.addPageTemplates(sorted(templates, key=lambda t: t.id != first))
    return doc


def _footer(lines: Sequence[str]):
    def draw(canvas: Canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(fonts()[0], 7)
        canvas.setFillColor(colors.HexColor("#555555"))
        for n, line in enumerate(lines):
            canvas.drawString(MARGIN, (1.3 - 0.4 * n) * cm, line)
        canvas.restoreState()

    return draw


class NumberedCanvas(Canvas):
    """A canvas that writes 'pagina X van Y' on every page once the page count is known."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        for state in self._pages:
            self.__dict__.update(state)
            width = self._pagesize[0]
            self.saveState()
            self.setFont(fonts()[0], 7)
            self.setFillColor(colors.HexColor("#555555"))
            self.drawRightString(
                width - MARGIN, 0.9 * cm, f"pagina {self._pageNumber} van {len(self._pages)}"
            )
            self.restoreState()
            Canvas.showPage(self)
        Canvas.save(self)

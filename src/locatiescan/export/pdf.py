"""PDF reports (reportlab): one location, or a shortlist with a section per location.

Each location section holds its facts and geometry quality, an offline map (see `mapimage`), its
scores (totals and per pillar), its knelpunten and the explanation per criterion. The report ends
with the sources and their dates; every page footer carries the data attributions. Returns
bytes, ready for `st.download_button`.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

import geopandas as gpd
import pandas as pd
from PIL import Image as PILImage
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    ListFlowable,
    ListItem,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from locatiescan.errors import InputError
from locatiescan.export.dossier import DossierTables, pdf_story
from locatiescan.export.mapimage import location_map_image, map_extent, scale_denominator
from locatiescan.export.sources import SHORT_ATTRIBUTION, attribution_lines, provenance_frame
from locatiescan.export.tables import GEOMETRY_QUALITY, ranked, require_locations
from locatiescan.knelpunten import nl_number

DEJAVU_DIR = Path("/usr/share/fonts/truetype/dejavu")
PAGE_WIDTH = A4[0] - 4 * cm
MAP_SIZE_CM = (17.0, 9.0)
OVERVIEW_FIRST = ("totaal", "klasse", "uren_per_maand")
MAX_OVERVIEW_PILLARS = 4
PILLAR_PREFIXES = ("pijler", "bijdrage", "ontbrekend")  # per-pillar columns of the score table
LOCAL_PATH = re.compile(r"(?<![\w:/.])/(?:[^/\s;,()]+/)+([^/\s;,()]+)")  # not inside URLs
MONTHS = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)
FACTS = (
    ("type", "Type"),
    ("gemeenten", "Gemeente(n)"),
    ("provincie", "Provincie"),
    ("woningen", "Woningen"),
    ("planstatus", "Planstatus"),
    ("status", "Status"),
)
EXPLANATION_COLUMNS = (
    ("label", "Criterium", 3.2),
    ("pijler", "Pijler", 2.5),
    ("waarde", "Waarde", 1.5),
    ("regel", "Regel", 1.5),
    ("punten", "Punten", 1.5),
    ("gewicht", "Gewicht", 1.5),
    ("bijdrage", "Bijdrage", 1.6),
    ("status", "Status", 3.7),
)
SECTIONS_SHARE = 0.8  # progress share of building the sections (maps); the rest is layout
MISSING = "–"

Progress = Callable[[float, str], None]


def location_report_pdf(
    location_id: str,
    locations: gpd.GeoDataFrame,
    scores: pd.DataFrame | None = None,
    explanations: pd.DataFrame | None = None,
    knelpunten: Mapping[str, Sequence[str]] | None = None,
    provenance: object = None,
    overlays: Mapping[str, gpd.GeoDataFrame] | None = None,
    *,
    model_name: str | None = None,
    title: str | None = None,
) -> bytes:
    """A PDF report of one location (its row in `locations`, scores indexed by id)."""
    require_locations(locations)
    if location_id not in set(locations["id"]):
        msg = f"Location {location_id!r} is not among the locations to report"
        raise InputError(msg, f"Locatie {location_id!r} staat niet tussen de locaties")
    one = locations[locations["id"] == location_id]
    heading = title or f"Locatierapport {one['naam'].iloc[0] if 'naam' in one else location_id}"
    return _build(
        one,
        scores,
        explanations,
        knelpunten,
        provenance,
        overlays,
        model_name=model_name,
        title=heading,
        overview=False,
        progress=None,
    )


def shortlist_report_pdf(
    locations: gpd.GeoDataFrame,
    scores: pd.DataFrame | None = None,
    explanations: pd.DataFrame | None = None,
    knelpunten: Mapping[str, Sequence[str]] | None = None,
    provenance: object = None,
    overlays: Mapping[str, gpd.GeoDataFrame] | None = None,
    *,
    model_name: str | None = None,
    title: str = "Shortlist woningbouwlocaties",
    progress: Progress | None = None,
    dossier: DossierTables | None = None,
) -> bytes:
    """A PDF with an overview (map, ranked table) and a section per location, best first.

    `progress(fraction, message)` is called per location (about 0.2-0.4 s each: the maps) and
    once before the layout, so a progress bar can follow (0.8 = sections done, 1.0 = ready).
    """
    require_locations(locations)
    if locations.empty:
        msg = "No locations to report"
        raise InputError(msg, "Geen locaties om te rapporteren")
    return _build(
        locations,
        scores,
        explanations,
        knelpunten,
        provenance,
        overlays,
        model_name=model_name,
        title=title,
        overview=True,
        progress=progress,
        dossier=dossier,
    )


# -- building ------------------------------------------------------------------------------


def _build(
    locations,
    scores,
    explanations,
    knelpunten,
    provenance,
    overlays,
    *,
    model_name,
    title,
    overview,
    progress,
    dossier=None,
) -> bytes:
    _require_overlays(overlays or {})
    styles = _styles()
    score_columns = [] if scores is None else [c for c in scores.columns if c != "id"]
    table = _format_numbers(ranked(locations, scores), score_columns)
    sources = provenance_frame(provenance)
    today = _dutch_date(date.today())
    story: list = [
        Paragraph(escape(title), styles["title"]),
        Paragraph(
            f"Datum: {today}" + (f" · model: {escape(model_name)}" if model_name else ""),
            styles["small"],
        ),
    ]
    if overview:
        story += _overview(table, score_columns, overlays, styles)
    for n, row in enumerate(table.to_dict(orient="records")):
        if progress is not None:
            progress(
                SECTIONS_SHARE * n / len(table),
                f"Locatie {n + 1} van {len(table)}: {row.get('naam', '')}",
            )
        if overview or n:
            story.append(PageBreak())
        story += _location_section(
            row,
            table.iloc[[n]],
            score_columns,
            explanations,
            (knelpunten or {}).get(str(row["id"])),
            overlays,
            styles,
        )
    if dossier is not None:  # decisions and dossier facts (export/dossier.py)
        story += [PageBreak(), *pdf_story(dossier, styles)]
    story += [PageBreak(), *_sources_section(sources, styles)]
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=2 * cm,
        rightMargin=2 * cm,
        topMargin=1.8 * cm,
        bottomMargin=2.2 * cm,
        title=title,
        author="Locatiescan",
    )
    footer = _footer(today, styles["footer"].fontName)
    if progress is not None:
        progress(SECTIONS_SHARE, "PDF opmaken")
    document.build(story, onFirstPage=footer, onLaterPages=footer)
    if progress is not None:
        progress(1.0, "Rapport klaar")
    return buffer.getvalue()


def _overview(table, score_columns, overlays, styles) -> list:
    pillars = [c for c in score_columns if c.startswith("pijler.")]
    shown = ["rang"] if "rang" in table.columns else []
    shown += ["naam", "gemeenten"]
    shown += [c for c in OVERVIEW_FIRST if c in score_columns]
    shown += pillars[:MAX_OVERVIEW_PILLARS]
    shown = [c for c in dict.fromkeys(shown) if c in table.columns] + ["geometrie_kwaliteit"]
    header = [_label(c) for c in shown[:-1]] + ["Geometrie"]
    rows = [
        [_cell(_display(row, c), styles) for c in shown] for row in table.to_dict(orient="records")
    ]
    return [
        Spacer(1, 0.3 * cm),
        Paragraph("Overzicht", styles["h2"]),
        *_map(table, overlays, styles),
        Spacer(1, 0.3 * cm),
        _grid([_head(header, styles)] + rows, styles),
    ]


def _location_section(
    row, frame, score_columns, explanations, knelpunten, overlays, styles
) -> list:
    name = row.get("naam") or row["id"]
    quality = row.get("geometrie_kwaliteit")
    facts = [
        [_label(label), _cell(_display(row, column), styles)]
        for column, label in FACTS
        if column in row
    ]
    facts.append(["Geometrie", _cell(GEOMETRY_QUALITY.get(quality, quality), styles)])
    section = [
        Paragraph(f"{escape(str(name))} ({escape(str(row['id']))})", styles["h1"]),
        _grid(facts, styles, header=False, widths=(3.5, PAGE_WIDTH / cm - 3.5)),
        Spacer(1, 0.3 * cm),
        *_map(frame, overlays, styles),
    ]
    section += _score_tables(row, score_columns, styles)
    points = list(knelpunten or [])
    section.append(Paragraph("Knelpunten", styles["h2"]))
    if points:
        items = [ListItem(Paragraph(escape(p), styles["body"]), leftIndent=12) for p in points]
        section.append(ListFlowable(items, bulletType="bullet", start="•", leftIndent=12))
    else:
        section.append(Paragraph("Geen knelpunten gevonden.", styles["body"]))
    section += _explanation_table(row["id"], explanations, styles)
    return section


def _score_tables(row, score_columns, styles) -> list:
    """Totals as label/value pairs, and per pillar its score, contribution and missing weight."""
    pillars = [c.split(".", 1)[1] for c in score_columns if c.startswith("pijler.")]
    per_pillar = {f"{prefix}.{p}" for prefix in PILLAR_PREFIXES for p in pillars}
    plain = [c for c in score_columns if c in row and c not in per_pillar and c != "naam"]
    story = []
    if plain:
        pairs = [[_label(c), _cell(row.get(c), styles)] for c in plain]
        story += [
            Paragraph("Score", styles["h2"]),
            _grid(pairs, styles, header=False, widths=(5, 5)),
        ]
    if pillars:
        header = ["Pijler", "Score (0-1)", "Bijdrage (punten)", "Gewicht zonder gegevens"]
        rows = [
            [_cell(p, styles)]
            + [_cell(row.get(f"{prefix}.{p}"), styles) for prefix in PILLAR_PREFIXES]
            for p in pillars
        ]
        story += [
            Spacer(1, 0.2 * cm),
            _grid([_head(header, styles)] + rows, styles, widths=(4.5, 3, 3, 4)),
        ]
    return story


def _explanation_table(location_id, explanations, styles) -> list:
    if explanations is None or explanations.empty or "id" not in explanations.columns:
        return []
    own = explanations[explanations["id"] == location_id]
    if own.empty:
        return []
    present = [
        (c, h, w)
        for c, h, w in EXPLANATION_COLUMNS
        if c in own.columns or (c == "label" and "criterium" in own.columns)
    ]
    header = _head([h for _, h, _ in present], styles)
    rows = []
    for record in own.to_dict(orient="records"):
        record.setdefault("label", record.get("criterium"))
        cells = []
        for column, _, _ in present:
            value = record.get(column)
            if column == "punten" and "max_punten" in record:
                value = f"{_text(value, MISSING)} / {_text(record['max_punten'])}"
            if column == "status" and record.get("reden") and _text(record["reden"], ""):
                reason = escape(_text(record["reden"]))
                cells.append(
                    Paragraph(
                        f"{escape(_text(value))}<br/><font size=6.5>{reason}</font>", styles["cell"]
                    )
                )
                continue
            cells.append(_cell(value, styles, MISSING))
        rows.append(cells)
    scale = (PAGE_WIDTH / cm) / sum(w for _, _, w in present)
    widths = tuple(w * scale for _, _, w in present)
    return [
        Paragraph("Toelichting per criterium", styles["h2"]),
        _grid([header] + rows, styles, widths=widths),
    ]


def _sources_section(sources: pd.DataFrame, styles) -> list:
    story = [Paragraph("Bronnen en peildata", styles["h1"])]
    if sources.empty:
        story.append(Paragraph("Geen laaggegevens gebruikt.", styles["body"]))
    else:
        rows = [_head(["Laag", "Soort", "Datum", "Bron", "Licentie"], styles)]
        for record in sources.to_dict(orient="records"):
            record["bron"] = _short_paths(record["bron"])
            rows.append(
                [_cell(record[c], styles) for c in ("laag", "soort", "datum", "bron", "licentie")]
            )
        story.append(_grid(rows, styles, widths=(2.6, 2.6, 2.4, 6.0, 3.4)))
        for layer, warning in zip(sources["laag"], sources["waarschuwingen"], strict=True):
            if warning:
                lines = "<br/>".join(escape(line) for line in warning.split("\n"))
                heading = f"<b>{escape(str(layer))}</b>"
                story.append(Paragraph(f"{heading}:<br/>{lines}", styles["small"]))
    story.append(Paragraph("Gegevens", styles["h2"]))
    items = [
        ListItem(Paragraph(escape(line), styles["body"]), leftIndent=12)
        for line in attribution_lines(sources)
    ]
    story.append(ListFlowable(items, bulletType="bullet", start="•", leftIndent=12))
    return [KeepTogether(story[:2])] + story[2:]


# -- helpers -------------------------------------------------------------------------------


def _require_overlays(overlays: Mapping[str, gpd.GeoDataFrame]) -> None:
    bad = [
        label
        for label, layer in overlays.items()
        if not isinstance(layer, gpd.GeoDataFrame) or layer.crs is None
    ]
    if bad:
        listed = ", ".join(bad)
        msg = f"Overlay layers need to be GeoDataFrames with a CRS: {listed}"
        nl = f"Kaartlagen moeten GeoDataFrames met coördinatenstelsel zijn: {listed}"
        raise InputError(msg, nl)


def _map(frame: gpd.GeoDataFrame, overlays, styles) -> list:
    """The offline map image with a caption naming scale, EPSG and the layers shown."""
    width, height = MAP_SIZE_CM
    image = location_map_image(frame, overlays, width_cm=width, height_cm=height)
    extent = map_extent(frame.to_crs("EPSG:28992"), width / height)
    layers = ", ".join(["locatie", *(overlays or {})])
    caption = (
        f"Kaart: schaal ca. 1:{nl_number(scale_denominator(extent, width))} "
        f"(afgedrukt op {nl_number(width, 0)} cm), EPSG:28992 (RD New), zonder achtergrondkaart; "
        f"lagen: {escape(layers)}."
    )
    return [_PictureFlowable(image, width * cm, height * cm), Paragraph(caption, styles["small"])]


class _PictureFlowable(Flowable):
    """A PIL image drawn at a fixed size (no PNG round trip)."""

    def __init__(self, image: PILImage.Image, width: float, height: float) -> None:
        super().__init__()
        self.image, self.width, self.height = image, width, height

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        self.canv.drawImage(ImageReader(self.image), 0, 0, self.width, self.height)


def _grid(rows, styles, *, header: bool = True, widths=None) -> Table:
    col_widths = None if widths is None else [w * cm for w in widths]
    table = Table(rows, colWidths=col_widths, repeatRows=1 if header else 0, hAlign="LEFT")
    commands = [
        ("FONTNAME", (0, 0), (-1, -1), styles["body"].fontName),
        ("FONTSIZE", (0, 0), (-1, -1), 8),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("GRID", (0, 0), (-1, -1), 0.3, colors.HexColor("#b0b0b0")),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    if header:
        commands += [
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef4")),
            ("FONTNAME", (0, 0), (-1, 0), styles["h2"].fontName),
        ]
    else:
        commands += [("FONTNAME", (0, 0), (0, -1), styles["h2"].fontName)]
    table.setStyle(TableStyle(commands))
    return table


def _label(column: str) -> str:
    text = str(column).replace("_", " ").replace(".", " ")
    return text[:1].upper() + text[1:]


def _head(labels: Sequence[str], styles) -> list[Paragraph]:
    """Header cells that wrap instead of overflowing narrow columns."""
    return [Paragraph(escape(label), styles["head"]) for label in labels]


def _format_numbers(table: gpd.GeoDataFrame, columns: Sequence[str]) -> gpd.GeoDataFrame:
    """Float score columns as Dutch text with one number of decimals per column (0 when every
    value is whole, else 2); shares without data (`ontbrekend*`, 0-1) as percentages; unknown
    values read 'onbekend'."""
    out = table.copy()
    for column in columns:
        if column not in out.columns or not pd.api.types.is_float_dtype(out[column]):
            continue
        known = out[column].dropna()
        if column.startswith("ontbrekend"):
            texts = [f"{nl_number(100 * v, 0)} %" for v in out[column].fillna(0)]
        else:
            decimals = 0 if (known == known.round()).all() else 2
            texts = [nl_number(v, decimals) for v in out[column].fillna(0)]
        out[column] = [
            "onbekend" if pd.isna(v) else t for v, t in zip(out[column], texts, strict=True)
        ]
    return out


def _short_paths(text: object) -> object:
    """Local file paths shortened to their file names (the data root differs per machine)."""
    return LOCAL_PATH.sub(r"\1", text) if isinstance(text, str) else text


def _display(row: Mapping[str, object], column: str) -> object:
    """A row's value for display; ';'-joined municipality lists get a space."""
    value = row.get(column)
    return value.replace(";", "; ") if column == "gemeenten" and isinstance(value, str) else value


def _text(value: object, missing: str = "onbekend") -> str:
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return missing
    if isinstance(value, int):
        return nl_number(value)
    if isinstance(value, float):
        return nl_number(value, 0 if value.is_integer() else 2)
    return str(value)


def _cell(value: object, styles, missing: str = "onbekend") -> Paragraph:
    return Paragraph(escape(_text(value, missing)), styles["cell"])


def _dutch_date(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def _footer(today: str, font: str):
    def draw(canvas, document) -> None:
        canvas.saveState()
        canvas.setFont(font, 7)
        canvas.setFillColor(colors.HexColor("#555555"))
        canvas.drawString(2 * cm, 1.3 * cm, SHORT_ATTRIBUTION)
        canvas.drawString(2 * cm, 0.9 * cm, f"Locatiescan · {today}")
        canvas.drawRightString(A4[0] - 2 * cm, 0.9 * cm, f"pagina {document.page}")
        canvas.restoreState()

    return draw


@lru_cache(maxsize=1)
def _fonts() -> tuple[str, str]:
    """DejaVu Sans (so ë, é and € render) when installed, else Helvetica."""
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


def _styles() -> dict[str, ParagraphStyle]:
    regular, bold = _fonts()
    base = getSampleStyleSheet()
    return {
        "title": ParagraphStyle(
            "title",
            parent=base["Title"],
            fontName=bold,
            fontSize=18,
            alignment=TA_LEFT,
            spaceAfter=4,
        ),
        "h1": ParagraphStyle("h1", parent=base["Heading1"], fontName=bold, fontSize=14),
        "h2": ParagraphStyle(
            "h2",
            parent=base["Heading2"],
            fontName=bold,
            fontSize=11,
            spaceBefore=8,
            spaceAfter=4,
            keepWithNext=1,
        ),
        "body": ParagraphStyle("body", parent=base["BodyText"], fontName=regular, fontSize=9),
        "cell": ParagraphStyle(
            "cell", parent=base["BodyText"], fontName=regular, fontSize=8, leading=10
        ),
        "head": ParagraphStyle(
            "head", parent=base["BodyText"], fontName=bold, fontSize=8, leading=10
        ),
        "small": ParagraphStyle("small", parent=base["BodyText"], fontName=regular, fontSize=8),
        "footer": ParagraphStyle("footer", fontName=regular, fontSize=7),
    }

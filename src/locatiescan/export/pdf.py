"""PDF reports (reportlab): one location, a shortlist, and the Zelfscan report of own projects.

Every text goes through `locatiescan.present` (labels, not codes; Dutch numbers; 'onbekend').
A location section holds its facts (homes as a range, parties, status, source, geometry
quality), a map with context (see `mapimage`), its scores with all pillars, its knelpunten and
the explanation per criterion, then any extra sections a caller adds (e.g. decisions). The
shortlist starts with a landscape overview (map numbered by the table, ranking with every
pillar, parties and status); the report ends with the sources. Footer: attributions, date,
model and 'pagina X van Y'. Functions return bytes, ready for `st.download_button`.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any
from xml.sax.saxutils import escape

import geopandas as gpd
import pandas as pd
from reportlab.lib.units import cm
from reportlab.platypus import (
    KeepTogether,
    ListFlowable,
    ListItem,
    NextPageTemplate,
    PageBreak,
    Paragraph,
    Spacer,
)

from locatiescan import present
from locatiescan.errors import InputError
from locatiescan.export import pdflayout
from locatiescan.export.basemap import BrtStyle
from locatiescan.export.mapimage import location_map_image, map_extent, scale_denominator
from locatiescan.export.pdflayout import LANDSCAPE, PORTRAIT, Cell, content_width, grid
from locatiescan.export.sources import (
    SHORT_ATTRIBUTION,
    attribution_lines,
    layer_titles,
    provenance_frame,
)
from locatiescan.export.tables import (
    ReportSection,
    model_text,
    ranked,
    require_locations,
    score_pillars,
    top_with_ties,
)

MAP_SIZE_CM = (17.0, 9.0)
OVERVIEW_MAP_CM = (23.0, 12.5)
SECTIONS_SHARE = 0.8  # progress share of building the sections (maps); the rest is layout
MISSING = "–"  # in explanation cells: no value because the criterion is unknown
FACTS = (
    ("type", "Programma"),
    ("gemeenten", "Gemeente(n)"),
    ("provincie", "Provincie"),
    ("woningen", "Woningen"),
    ("planstatus", "Planstatus"),
    ("partijen", "Partijen"),
    ("status", "Status"),
    ("bron", "Bron"),
    ("geometrie_kwaliteit", "Geometrie"),
    ("area_ha", "Oppervlakte"),
)
SCORE_FACTS = (
    ("totaal", "Totaalscore (0–100)"),
    ("rang", "Rang"),
    ("klasse", "Klasse"),
    ("uren_per_maand", "Inzet (uren per maand)"),
    ("bonus", "Bonus (punten)"),
    ("ontbrekend_gewicht", "Gewicht zonder gegevens"),
    ("ontvankelijk", "Ontvankelijk"),
    ("voorwaarden", "Voorwaarden niet voldaan of onbekend"),
    ("dekking", "Gewicht met gegevens"),
    ("oordeel", "Oordeel"),
)
EXPLANATION_HEADER = (
    "Criterium",
    "Pijler",
    "Waarde",
    "Regel",
    "Punten",
    "Gewicht",
    "Bijdrage",
    "Status",
)

OFFLINE_BACKGROUND = (
    "achtergrond: gemeente- en provinciegrenzen (CBS/Kadaster 2022), open water = alles binnen "
    "de kustlijn dat geen land is."
)
ONLINE_BACKGROUND = (
    "achtergrond: BRT-Achtergrondkaart (Kadaster/PDOK) als die bereikbaar was, anders de "
    "gemeente- en provinciegrenzen (CBS/Kadaster 2022); de bron staat rechtsonder op de kaart."
)
RANKING_NOTE = (
    "Gelijke totaalscores delen dezelfde rang. Pijlerscores lopen van 0 tot 1; 'onbekend' "
    "betekent dat geen enkel criterium van die pijler gegevens heeft."
)

Progress = Callable[[float, str], None]
Sections = Mapping[str, Sequence[ReportSection]]


def location_report_pdf(
    location_id: str,
    locations: gpd.GeoDataFrame,
    scores: pd.DataFrame | None = None,
    explanations: pd.DataFrame | None = None,
    knelpunten: Mapping[str, Sequence[str]] | None = None,
    provenance: object = None,
    overlays: Mapping[str, gpd.GeoDataFrame] | None = None,
    *,
    model: Any = None,
    model_name: str | None = None,
    title: str | None = None,
    extra_sections: Sections | None = None,
    basemap: BrtStyle | None = None,
) -> bytes:
    """A PDF report of one location (its row in `locations`; scores indexed by id).

    Parameters
    ----------
    model : the `ScoringModel` behind `scores` (pillar labels, version, explanations);
        without it pillar ids are made readable and `model_name` names the model.
    extra_sections : location id → extra sections (`ReportSection`) after its scores.
    basemap : a BRT style ("grijs", "standaard", "pastel", "water") to put the PDOK
        BRT-Achtergrondkaart under the maps when online; None = the offline context.
    """
    require_locations(locations)
    if location_id not in set(locations["id"]):
        msg = f"Location {location_id!r} is not among the locations to report"
        raise InputError(msg, f"Locatie {location_id!r} staat niet tussen de locaties")
    one = locations[locations["id"] == location_id]
    name = one["naam"].iloc[0] if "naam" in one else location_id
    report = _Report(
        scores,
        explanations,
        knelpunten,
        provenance,
        overlays,
        model,
        model_name,
        extra_sections,
        basemap=basemap,
    )
    table = ranked(one, scores)
    story = report.heading(title or f"Locatierapport {name}")
    story += report.location(table.iloc[0].to_dict(), table)
    return report.finish(story, title or f"Locatierapport {name}")


def shortlist_report_pdf(
    locations: gpd.GeoDataFrame,
    scores: pd.DataFrame | None = None,
    explanations: pd.DataFrame | None = None,
    knelpunten: Mapping[str, Sequence[str]] | None = None,
    provenance: object = None,
    overlays: Mapping[str, gpd.GeoDataFrame] | None = None,
    *,
    model: Any = None,
    model_name: str | None = None,
    title: str = "Shortlist woningbouwlocaties",
    top: int | None = None,
    progress: Progress | None = None,
    extra_sections: Sections | None = None,
    basemap: BrtStyle | None = None,
) -> bytes:
    """A PDF with a landscape overview (map, ranking with all pillars, parties and status) and
    a section per location, best first.

    `top` keeps the best `top` locations plus every location tied with the last of them
    (a tie is never cut). `progress(fraction, message)` is called per location (the maps)
    and before the layout (0.8 = sections done, 1.0 = ready).
    """
    require_locations(locations)
    if locations.empty:
        msg = "No locations to report"
        raise InputError(msg, "Geen locaties om te rapporteren")
    report = _Report(
        scores,
        explanations,
        knelpunten,
        provenance,
        overlays,
        model,
        model_name,
        extra_sections,
        basemap=basemap,
    )
    table = ranked(locations, scores)
    if top is not None:
        table = top_with_ties(table, top)
    heading = title
    if top is not None:
        heading = f"{title}: top {top}" + (
            f" (met gelijke scores: {len(table)} locaties)" if len(table) > top else ""
        )
    story = report.heading(heading) + report.overview(table) + report.sections(table, progress)
    return report.finish(story, heading, progress, first=LANDSCAPE)


def zelfscan_report_pdf(
    result: Any,
    locations: gpd.GeoDataFrame,
    answers: pd.DataFrame | None = None,
    provenance: object = None,
    overlays: Mapping[str, gpd.GeoDataFrame] | None = None,
    *,
    project_ids: Sequence[str] | None = None,
    knelpunten: Mapping[str, Sequence[str]] | None = None,
    title: str | None = None,
    progress: Progress | None = None,
    extra_sections: Sections | None = None,
    basemap: BrtStyle | None = None,
) -> bytes:
    """The Zelfscan report of one or more own projects, for the college.

    Parameters
    ----------
    result : the `ScoreResult` of the model over the own projects (`result.model`,
        `.table`, `.explanation`).
    locations : the own projects (GeoDataFrame with `id`).
    answers : the project facts (index location id, one column per question id, e.g.
        `Workspace.facts()`); a question without an answer is shown as open.
    project_ids : the projects to report (default: every project in `locations`).
    """
    require_locations(locations)
    chosen = list(locations["id"]) if project_ids is None else list(project_ids)
    unknown = [p for p in chosen if p not in set(locations["id"])]
    if not chosen or unknown:
        listed = ", ".join(unknown) or "geen"
        msg = f"No such projects to report: {listed}"
        raise InputError(msg, f"Geen projecten om te rapporteren: {listed}")
    model = result.model
    report = _Report(
        result.table,
        result.explanation,
        knelpunten,
        provenance,
        overlays,
        model,
        None,
        extra_sections,
        answers=answers,
        basemap=basemap,
    )
    table = ranked(locations[locations["id"].isin(chosen)], result.table)
    heading = title or (
        f"Zelfscan {table['naam'].iloc[0]}"
        if len(table) == 1 and "naam" in table
        else "Zelfscan eigen projecten"
    )
    story = report.heading(heading)
    story += report.model_summary()
    if len(table) > 1:
        story += [NextPageTemplate(LANDSCAPE), PageBreak(), *report.overview(table)]
    story += report.sections(table, progress, first_break=len(table) > 1)
    return report.finish(story, heading, progress)


class _Report:
    """The parts of a report, sharing its inputs (scores, model, sources, styles)."""

    def __init__(
        self,
        scores,
        explanations,
        knelpunten,
        provenance,
        overlays,
        model,
        model_name,
        extra_sections,
        *,
        answers: pd.DataFrame | None = None,
        basemap: BrtStyle | None = None,
    ) -> None:
        _require_overlays(overlays or {})
        self.scores = scores
        self.explanations = explanations
        self.knelpunten = knelpunten
        self.overlays = dict(overlays or {})
        self.model = model
        self.model_text = model_text(model, model_name)
        self.extra = extra_sections or {}
        self.answers = answers
        self.basemap = basemap
        self.sources = provenance_frame(provenance)
        self.styles = pdflayout.styles()
        self.pillars = score_pillars(model, scores)
        self.today = present.nl_date(date.today())

    # -- page parts ---------------------------------------------------------------------

    def heading(self, title: str) -> list:
        line = f"Datum: {self.today}" + (f" · model: {self.model_text}" if self.model_text else "")
        return [
            Paragraph(escape(title), self.styles["title"]),
            Paragraph(escape(line), self.styles["small"]),
            Spacer(1, 0.2 * cm),
        ]

    def overview(self, table: gpd.GeoDataFrame) -> list:
        """Landscape pages: the map numbered like the table, the ranking, parties and status."""
        width = content_width(LANDSCAPE)
        numbers = {lid: str(n + 1) for n, lid in enumerate(table["id"])}
        header = ["Nr.", "Rang", "Naam", "Gemeente(n)", "Woningen", "Totaal", "Klasse"]
        header += ["Uren per maand"] if "uren_per_maand" in table else []
        header += [f"{label} (0–1)" for label in self.pillars.values()]
        header += ["Oordeel"] if "oordeel" in table else []
        rows = []
        for record in table.to_dict(orient="records"):
            row = [
                numbers[record["id"]],
                present.rank_text(record),
                _plain(record.get("naam")),
                _municipalities(record.get("gemeenten")),
                present.woningen_of(record),
                _total_cell(record),
                present.label(record.get("klasse")),
            ]
            row += (
                [present.nl_number(record.get("uren_per_maand"))]
                if "uren_per_maand" in table
                else []
            )
            row += [present.nl_number(record.get(f"pijler.{p}"), 2) for p in self.pillars]
            row += [_plain(record.get("oordeel"), "")] if "oordeel" in table else []
            rows.append(row)
        parties = [
            [
                numbers[r["id"]],
                _plain(r.get("naam")),
                _plain(r.get("partijen")),
                _plain(r.get("status")),
                present.source_text(r.get("bron")),
            ]
            for r in table.to_dict(orient="records")
        ]
        story = [
            Paragraph("Overzicht", self.styles["h1"]),
            KeepTogether(self.map(table, OVERVIEW_MAP_CM, numbers)),
            PageBreak(),
            Paragraph("Rangorde", self.styles["h2"]),
            grid(header, rows, width),
            Paragraph(self._ranking_note(table), self.styles["small"]),
            Paragraph("Partijen, status en bron", self.styles["h2split"]),
            grid(["Nr.", "Naam", "Partijen", "Status", "Bron"], parties, width),
        ]
        return story

    def sections(self, table: gpd.GeoDataFrame, progress, *, first_break: bool = True) -> list:
        story: list = [NextPageTemplate(PORTRAIT)]
        for n, record in enumerate(table.to_dict(orient="records")):
            if progress is not None:
                progress(
                    SECTIONS_SHARE * n / len(table),
                    f"Locatie {n + 1} van {len(table)}: {record.get('naam', '')}",
                )
            if n or first_break:
                story.append(PageBreak())
            story += self.location(record, table.iloc[[n]])
        return story

    def location(self, record: Mapping[str, Any], frame: gpd.GeoDataFrame) -> list:
        width = content_width()
        name = _plain(record.get("naam"), str(record["id"]))
        facts = [[label, _fact(record, column)] for column, label in FACTS if column in record]
        story = [
            Spacer(1, 0.3 * cm),
            Paragraph(f"{escape(name)} ({escape(str(record['id']))})", self.styles["h1"]),
            grid(None, facts, width, label_column=True),
            Spacer(1, 0.3 * cm),
            *self.map(frame, MAP_SIZE_CM),
        ]
        story += self.answers_table(str(record["id"]))
        story += self.score_tables(record)
        story += self.knelpunten_list(str(record["id"]))
        story += self.explanation_table(str(record["id"]))
        for section in self.extra.get(str(record["id"]), []):
            story += [
                Paragraph(escape(section.title), self.styles["h2"]),
                grid(section.header, section.rows, width, label_column=section.header is None),
            ]
            if section.note:
                story.append(Paragraph(escape(section.note), self.styles["small"]))
        return story

    def map(self, frame: gpd.GeoDataFrame, size_cm, numbers=None) -> list:
        """The map image and its caption (scale, layers, attribution of the background)."""
        width, height = size_cm
        image = location_map_image(
            frame,
            self.overlays,
            width_cm=width,
            height_cm=height,
            labels=numbers,
            basemap=self.basemap,
        )
        extent = map_extent(frame.to_crs("EPSG:28992"), width / height)
        layers = ", ".join(["locatie", *self.overlays])
        caption = (
            f"Kaart: schaal ca. 1:{present.nl_number(scale_denominator(extent, width))} "
            f"(afgedrukt op {present.nl_number(width)} cm), EPSG:28992 (RD New); "
            f"lagen: {layers}; "
            + (OFFLINE_BACKGROUND if self.basemap is None else ONLINE_BACKGROUND)
        )
        if numbers:
            caption += " De nummers verwijzen naar de kolom 'Nr.' van de rangorde."
        return [
            pdflayout.Picture(image, width * cm, height * cm),
            Paragraph(escape(caption), self.styles["small"]),
        ]

    def score_tables(self, record: Mapping[str, Any]) -> list:
        """Totals as label/value pairs, then every pillar: weight, score, points, no data."""
        if self.scores is None:
            return []
        pairs = [
            [label, _score_fact(record, column)]
            for column, label in SCORE_FACTS
            if column in record and not (column == "oordeel" and present.is_missing(record[column]))
        ]
        story = [
            KeepTogether(
                [
                    Paragraph("Score", self.styles["h2"]),
                    grid(None, pairs, content_width() * 0.7, label_column=True),
                ]
            )
        ]
        if self.pillars:
            weights = _pillar_weights(self.model)
            rows = [
                [label]
                + ([present.nl_percent(weights.get(p))] if weights else [])
                + [
                    present.nl_number(record.get(f"pijler.{p}"), 2),
                    present.nl_number(record.get(f"bijdrage.{p}"), 1),
                    _share(record.get(f"ontbrekend.{p}")),
                ]
                for p, label in self.pillars.items()
            ]
            header = ["Pijler"] + (["Gewicht"] if weights else [])
            header += ["Score (0–1)", "Bijdrage (punten)", "Gewicht zonder gegevens"]
            story.append(KeepTogether([Spacer(1, 0.2 * cm), grid(header, rows, content_width())]))
        return story

    def answers_table(self, location_id: str) -> list:
        """The model's questions with this project's answers (Zelfscan); open when none."""
        if self.answers is None or self.model is None or not self.model.vragen:
            return []
        known = self.answers.loc[location_id].to_dict() if location_id in self.answers.index else {}
        rows = []
        for question in self.model.vragen:
            value = known.get(question.id)
            answer = "open (nog niet beantwoord)" if present.is_missing(value) else None
            rows.append([question.label, answer or present.answer_text(value)])
        return [
            Paragraph("Antwoorden", self.styles["h2"]),
            grid(["Vraag", "Antwoord"], rows, content_width()),
        ]

    def knelpunten_list(self, location_id: str) -> list:
        if self.knelpunten is None:
            return []
        points = list(self.knelpunten.get(location_id) or [])
        heading = Paragraph("Knelpunten", self.styles["h2"])
        if not points:
            none = Paragraph("Geen knelpunten gevonden.", self.styles["body"])
            return [KeepTogether([heading, none])]
        items = [ListItem(Paragraph(escape(p), self.styles["body"]), leftIndent=12) for p in points]
        listed = ListFlowable(items, bulletType="bullet", start="•", leftIndent=12)
        return [KeepTogether([heading, listed])]

    def explanation_table(self, location_id: str) -> list:
        frame = self.explanations
        if frame is None or frame.empty or "id" not in frame.columns:
            return []
        own = frame[frame["id"] == location_id]
        if own.empty:
            return []
        notes = _criterion_notes(self.model)
        rows: list[list[Cell | str]] = []
        for record in own.to_dict(orient="records"):
            label = _plain(record.get("label"), _plain(record.get("criterium")))
            points = record.get("punten")
            rows.append(
                [
                    Cell(label, notes.get(str(record.get("criterium")), "")),
                    present.label(record.get("pijler"), self.pillars),
                    _value(record.get("waarde")),
                    present.rule_text(record.get("regel"))
                    if not present.is_missing(record.get("regel"))
                    else MISSING,
                    f"{_number(points)} / {_number(record.get('max_punten'))}"
                    if "max_punten" in record
                    else _number(points),
                    _number(record.get("gewicht")),
                    _number(record.get("bijdrage")),
                    Cell(present.label(record.get("status")), _plain(record.get("reden"), "")),
                ]
            )
        return [
            Paragraph("Toelichting per criterium", self.styles["h2split"]),
            grid(list(EXPLANATION_HEADER), rows, content_width(), size=7.5),
        ]

    def model_summary(self) -> list:
        """The model: description, pillars with weights, classes with staff hours."""
        model = self.model
        story = [Paragraph("Het model", self.styles["h2"])]
        if model.beschrijving:
            story.append(Paragraph(escape(model.beschrijving), self.styles["body"]))
        rows = [
            [
                pillar.label or present.label(pid),
                present.nl_percent(100 * pillar.gewicht),
                "; ".join(c.label for c in pillar.criteria),
            ]
            for pid, pillar in model.pijlers.items()
        ]
        story += [
            Spacer(1, 0.2 * cm),
            grid(["Pijler", "Gewicht", "Criteria"], rows, content_width()),
        ]
        if model.inzet:
            classes = [
                [
                    rule.klasse,
                    "overige scores"
                    if rule.vanaf is None
                    else f"vanaf {present.nl_number(rule.vanaf, 1)}",
                    present.nl_number(rule.uren_per_maand),
                ]
                for rule in model.inzet
            ]
            story += [
                Spacer(1, 0.2 * cm),
                grid(["Klasse", "Totaalscore", "Inzet (uren per maand)"], classes, content_width()),
            ]
        return story

    def sources_section(self) -> list:
        story = [PageBreak(), Paragraph("Bronnen en peildata", self.styles["h1"])]
        sources = self.sources
        if sources.empty:
            story.append(Paragraph("Geen laaggegevens gebruikt.", self.styles["body"]))
        else:
            titles = layer_titles()
            rows = [
                [
                    titles.get(r["laag"], _plain(r["laag"])),
                    _plain(r["soort"]),
                    present.nl_date(r["datum"], short=True),
                    present.source_text(r["bron"]),
                    _plain(r["licentie"]),
                ]
                for r in sources.to_dict(orient="records")
            ]
            header = ["Laag", "Soort", "Peildatum", "Bron", "Licentie"]
            story.append(grid(header, rows, content_width()))
            for layer, warning in zip(sources["laag"], sources["waarschuwingen"], strict=True):
                if warning:
                    lines = "<br/>".join(escape(line) for line in warning.split("\n"))
                    text = f"<b>{escape(titles.get(layer, str(layer)))}</b>:<br/>{lines}"
                    story.append(Paragraph(text, self.styles["small"]))
        items = [
            ListItem(Paragraph(escape(line), self.styles["body"]), leftIndent=12)
            for line in attribution_lines(sources)
        ]
        list_ = ListFlowable(items, bulletType="bullet", start="•", leftIndent=12)
        return [*story, KeepTogether([Paragraph("Gegevens", self.styles["h2"]), list_])]

    def finish(
        self, story: list, title: str, progress: Progress | None = None, *, first: str = PORTRAIT
    ) -> bytes:
        story += [NextPageTemplate(PORTRAIT), *self.sources_section()]
        buffer = io.BytesIO()
        made = f"Locatiescan · {self.today}" + (
            f" · model: {self.model_text}" if self.model_text else ""
        )
        doc = pdflayout.document(
            buffer, title=title, footer_lines=[SHORT_ATTRIBUTION, made], first=first
        )
        if progress is not None:
            progress(SECTIONS_SHARE, "PDF opmaken")
        doc.build(story, canvasmaker=pdflayout.NumberedCanvas)
        if progress is not None:
            progress(1.0, "Rapport klaar")
        return buffer.getvalue()

    def _ranking_note(self, table: gpd.GeoDataFrame) -> str:
        notes = [RANKING_NOTE]
        if "ontbrekend_gewicht" in table:
            share = table["ontbrekend_gewicht"].dropna()
            if not share.empty:
                notes.append(
                    "Zonder gegevens: "
                    f"{present.nl_percent(100 * share.min())} tot "
                    f"{present.nl_percent(100 * share.max())} van het gewicht."
                )
        return pdflayout.unbroken(escape(" ".join(notes)))


# -- values ----------------------------------------------------------------------------------


def _pillar_weights(model: Any) -> dict[str, float]:
    if model is None:
        return {}
    return {pid: 100 * pillar.gewicht for pid, pillar in model.pijlers.items()}


def _criterion_notes(model: Any) -> dict[str, str]:
    if model is None:
        return {}
    items = [c for _, c in model.criteria()] + list(model.bonus)
    return {item.id: item.toelichting for item in items if item.toelichting}


def _plain(value: Any, missing: str = present.ONBEKEND) -> str:
    return missing if present.is_missing(value) else str(value)


def _municipalities(value: Any) -> str:
    return _plain(value).replace(";", "; ") if isinstance(value, str) else _plain(value)


def _fact(record: Mapping[str, Any], column: str) -> str:
    value = record.get(column)
    if column == "woningen":
        return present.woningen_of(record)
    if column == "type":
        listed = record.get("programmas")
        codes = str(listed).split(";") if not present.is_missing(listed) else [value]
        return "; ".join(present.label(code) for code in codes)
    if column == "gemeenten":
        return _municipalities(value)
    if column == "geometrie_kwaliteit":
        return present.quality_label(value)
    if column == "bron":
        return present.source_text(value)
    if column == "area_ha":
        return present.nl_number(value, 1, "ha")
    return present.label(value)


def _total_cell(record: Mapping[str, Any]) -> str:
    text = present.total_text(record)
    if str(record.get("ontvankelijk", "")) == "nee":
        return f"{text} (niet ontvankelijk)"
    return text


def _score_fact(record: Mapping[str, Any], column: str) -> str:
    value = record.get(column)
    if column == "totaal":
        return _total_cell(record)
    if column == "rang":
        return present.rank_text(record)
    if column in ("ontbrekend_gewicht", "dekking"):
        return _share(value)
    if column == "voorwaarden":
        return _plain(value, "geen")
    if column in ("bonus",):
        return present.nl_number(value, 1)
    if column == "uren_per_maand":
        return present.nl_number(value)
    return present.label(value)


def _share(value: Any) -> str:
    """A 0..1 share as a percentage."""
    return present.ONBEKEND if present.is_missing(value) else present.nl_percent(100 * value)


def _number(value: Any) -> str:
    return MISSING if present.is_missing(value) else present.nl_compact(value)


def _value(value: Any) -> str:
    """A criterion's input value: numbers in Dutch, answers and codes as labels."""
    if present.is_missing(value):
        return MISSING
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _number(value)
    if isinstance(value, str) and present.RULE_PATTERN.match(value):
        return present.rule_text(value)  # e.g. '> 5000' beyond a search radius
    return present.answer_text(value)


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

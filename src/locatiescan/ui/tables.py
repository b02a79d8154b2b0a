"""Tables for the Shortlist and Zelfscan pages, built from the engine's score table (pure)."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from locatiescan.errors import InputError
from locatiescan.layers.catalog import LayerDef
from locatiescan.present import ONBEKEND, is_missing, label, nl_number, rule_text, text
from locatiescan.scoring import ScoreResult
from locatiescan.sites import WoningenTotaal
from locatiescan.ui.labels import list_text, programme_labels, quality_label
from locatiescan.ui.mapview import woningen_texts
from locatiescan.ui.metrics import metric_label, metric_text, metric_texts, table_columns
from locatiescan.workspace import DECISION_LABELS

LAYER_SOURCE = "laag."
MIN_COMPARE = 2
MAX_COMPARE = 4


def pillar_label(result: ScoreResult, pillar: str) -> str:
    """The pillar's Dutch label (its name when it has none)."""
    found = result.model.pijlers.get(pillar)  # explanation rows may name 'bonus' too
    return (found.label if found is not None else None) or pillar.replace("_", " ").capitalize()


def ranked_table(
    result: ScoreResult, locations: pd.DataFrame, decisions: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The ranking shown to the steering group, best first; locations without a total last.

    Columns: Rang, Naam, Programma, Woningen, Geometrie, Totaal, one per pillar (score 0-100),
    Klasse, Uren/maand, Ontbrekend gewicht (%), Besluit. Index: location id. Numbers stay
    numbers (show the grid through `dutch_text`).
    """
    table = result.table
    info = locations.set_index(locations["id"].astype(str)).reindex(table.index)
    frame = pd.DataFrame(index=table.index)
    frame["Rang"] = table["rang"].astype("Int64")
    frame["Naam"] = table["naam"]
    frame["Programma"] = programme_labels(info)
    frame["Woningen"] = woningen_texts(info)
    frame["Geometrie"] = info["geometrie_kwaliteit"].map(quality_label)
    frame["Totaal"] = table["totaal"].round(1)
    for pillar in result.model.pijlers:
        frame[pillar_label(result, pillar)] = (table[f"pijler.{pillar}"] * 100).round(1)
    frame["Klasse"] = table["klasse"]
    frame["Uren/maand"] = table["uren_per_maand"]
    frame["Ontbrekend gewicht (%)"] = (table["ontbrekend_gewicht"] * 100).round(0)
    frame["Besluit"] = current_decisions(decisions, table.index)
    return frame.sort_values(["Rang", "Naam"], na_position="last", kind="stable")


def current_decisions(decisions: pd.DataFrame | None, ids: pd.Index) -> pd.Series:
    """The latest decision label per location id ('' when none)."""
    if decisions is None or decisions.empty:
        return pd.Series("", index=ids, dtype="object")
    latest = decisions.sort_values("volgnummer").groupby("id").last()["besluit"]
    return latest.map(DECISION_LABELS).reindex(ids).fillna("")


def contributions(result: ScoreResult, ids: list[str]) -> pd.DataFrame:
    """Points each pillar (and the bonus) adds to the total, per chosen location (rows: names)."""
    if not MIN_COMPARE <= len(ids) <= MAX_COMPARE:
        msg = f"compare {MIN_COMPARE} to {MAX_COMPARE} locations, not {len(ids)}"
        raise InputError(
            msg, f"vergelijk {MIN_COMPARE} tot {MAX_COMPARE} locaties, niet {len(ids)}"
        )
    table = result.table.loc[ids]
    frame = pd.DataFrame(index=table["naam"].astype(str))
    for pillar in result.model.pijlers:
        frame[pillar_label(result, pillar)] = table[f"bijdrage.{pillar}"].to_numpy()
    frame["Bonus"] = table["bonus"].to_numpy()
    return frame


def comparison_table(result: ScoreResult, ids: list[str]) -> pd.DataFrame:
    """Side-by-side facts of the chosen locations as text (rows: measures, columns: names)."""
    contrib = contributions(result, ids)
    table = result.table.loc[ids]
    rows = {
        "Totaal": [nl_number(v, 1) for v in table["totaal"]],
        "Rang": [text(v) for v in table["rang"]],
        "Klasse": [text(v) for v in table["klasse"]],
    }
    for pillar in result.model.pijlers:
        rows[f"{pillar_label(result, pillar)} (score)"] = [
            nl_number(v * 100, 1) for v in table[f"pijler.{pillar}"]
        ]
    return pd.DataFrame(rows, index=contrib.index).T


def value_text(value: object, source: object) -> str:
    """A criterion's value as text: a layer metric (`laag.<layer>.<metric>`) with its class
    label and unit from the catalog ('3: tekort, wachtrij', '12,3 %'), else Dutch text."""
    ref = "" if is_missing(source) else str(source)
    if ref.startswith(LAYER_SOURCE) and not is_missing(value):
        return metric_text(ref.removeprefix(LAYER_SOURCE), value)
    return text(value)


def explanation_table(result: ScoreResult, location_id: str) -> pd.DataFrame:
    """One location's explanation per criterion with Dutch headings."""
    rows = result.explanation[result.explanation["id"] == location_id]
    return pd.DataFrame(
        {
            "Pijler": [pillar_label(result, p) for p in rows["pijler"]],
            "Criterium": rows["label"],
            "Waarde": [value_text(v, b) for v, b in zip(rows["waarde"], rows["bron"])],
            "Regel": [rule_text(v) if not is_missing(v) else "—" for v in rows["regel"]],
            "Punten": pd.to_numeric(rows["punten"], errors="coerce"),
            "Max": rows["max_punten"],
            "Gewicht": rows["gewicht"],
            "Bijdrage": rows["bijdrage"].round(2),
            "Status": rows["status"].map(label),
            "Reden": [v if not is_missing(v) else "" for v in rows["reden"]],
        }
    ).reset_index(drop=True)


def sensitivity_table(table: pd.DataFrame, top_k: int) -> pd.DataFrame:
    """The Monte Carlo table with Dutch headings: rank interval and chance of top-k."""
    frame = pd.DataFrame(index=table.index)
    frame["Naam"] = table["naam"]
    frame["Rang"] = table["rang"].astype("Int64")
    frame["Rang 5-95%"] = [
        f"{int(a)}–{int(b)}" if pd.notna(a) and pd.notna(b) else "onbekend"
        for a, b in zip(table["rang_p05"], table["rang_p95"])
    ]
    frame["Rang min–max"] = [
        f"{int(a)}–{int(b)}" if pd.notna(a) and pd.notna(b) else "onbekend"
        for a, b in zip(table["rang_min"], table["rang_max"])
    ]
    frame[f"Kans op top {top_k} (%)"] = (table["p_top_k"] * 100).round(0)
    return frame.sort_values(["Rang", "Naam"], na_position="last", kind="stable")


def report_selection(ranking: pd.DataFrame, scope: int | str | None) -> list[str]:
    """Location ids for a report: the top `scope` of the ranking, those whose current decision
    is 'op shortlist' (scope "shortlist"), or all (None); in ranking order."""
    if scope is None:
        return list(ranking.index)
    if scope == "shortlist":
        return list(ranking.index[ranking["Besluit"] == DECISION_LABELS["op_shortlist"]])
    return list(ranking.index[: int(scope)])


def knelpunten_table(ranking: pd.DataFrame, knelpunten: dict[str, list[str]]) -> pd.DataFrame:
    """Per location (ranking order): rank, name, geometry quality and its knelpunten in one cell."""
    return pd.DataFrame(
        {
            "Rang": ranking["Rang"],
            "Naam": ranking["Naam"],
            "Geometrie": ranking["Geometrie"],
            "Knelpunten": ["; ".join(knelpunten.get(i, [])) or "geen" for i in ranking.index],
        }
    )


def kaart_table(
    locations: pd.DataFrame,
    screening: pd.DataFrame,
    catalog: Mapping[str, LayerDef],
    scores: pd.DataFrame | None = None,
    niet_bepaald: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """The Kaart's table of the shown locations (index: id): who and where, homes as a range,
    area, screening measures as text with units, and the chosen model's total and class.
    A location in `niet_bepaald` (id -> reason, `Screening.niet_bepaald`) shows the reason as
    its measures.

    Numbers stay numbers (format them with `dutch_style`); missing values are NA, shown as
    'onbekend'."""
    ids = pd.Index(locations["id"].astype(str), name="id")
    frame = pd.DataFrame(index=ids)
    frame["Naam"] = locations["naam"].astype(str).to_numpy()
    frame["Programma"] = programme_labels(locations).to_numpy()
    frame["Gemeente(n)"] = locations["gemeenten"].map(list_text).to_numpy()
    frame["Provincie"] = locations["provincie"].map(list_text).to_numpy()
    frame["Woningen"] = woningen_texts(locations).to_numpy()
    frame["Geometrie"] = locations["geometrie_kwaliteit"].map(quality_label).to_numpy()
    frame["Oppervlakte (ha)"] = pd.to_numeric(locations["area_ha"], errors="coerce").to_numpy()
    texts = metric_texts(screening.reindex(ids), table_columns(catalog), catalog)
    for location_id, reason in (niet_bepaald or {}).items():
        if location_id in texts.index:
            texts.loc[location_id] = reason
    for column in texts.columns:
        frame[metric_label(column, catalog)] = texts[column].to_numpy()
    if scores is not None:
        chosen = scores.reindex(ids)
        frame["Totaalscore"] = pd.to_numeric(chosen["totaal"], errors="coerce").to_numpy()
        frame["Klasse"] = chosen["klasse"].map(text).to_numpy()
    return frame


def dutch_text(frame: pd.DataFrame, decimals: int = 1) -> pd.DataFrame:
    """The frame as text for a grid: numbers in Dutch notation (1.234,5; whole-number columns
    without decimals), missing values 'onbekend' (Streamlit's grid shows 'None' for a missing
    cell whatever a Styler says, so the cells become text)."""
    out = pd.DataFrame(index=frame.index)
    for column in frame.columns:
        values = frame[column]
        if pd.api.types.is_bool_dtype(values):
            out[column] = values.map(
                lambda v: ONBEKEND if is_missing(v) else ("ja" if v else "nee")
            )
        elif pd.api.types.is_numeric_dtype(values):
            known = pd.to_numeric(values, errors="coerce").dropna()
            places = 0 if (known == known.round()).all() else decimals
            out[column] = values.map(lambda v, d=places: nl_number(v, d))
        else:
            out[column] = values.map(lambda v: ONBEKEND if is_missing(v) else v)
    return out


def target_text(total: WoningenTotaal, target: int) -> str:
    """The homes of the listed sites against a programme target (e.g. the doorbraak aim of at
    least 100.000 homes): only the 'at least' sum (ranges' minima, counts, thresholds) can
    show the target is met; the known counts are named beside it, never as proof."""
    floor, doel = nl_number(total.ten_minste), nl_number(target)
    if total.ten_minste >= target:
        return f"Doel van ten minste {doel} woningen gehaald: samen ten minste {floor} woningen."
    short = nl_number(target - total.ten_minste)
    return (
        f"Doel van ten minste {doel} woningen nog niet aangetoond: samen ten minste {floor} "
        f"woningen ({short} te weinig); de bekende aantallen tellen op tot "
        f"{nl_number(total.bekend)} woningen."
    )

"""Shortlist (doorbraak-stuurgroep): one programme's locations ranked with known weight, rank
interval, knock-outs, knelpunten and dossier completeness; a Dossier view per location; decisions
(explicit location, confirmation, withdrawal, history); comparison, sensitivity and exports."""

from __future__ import annotations

from datetime import date

import geopandas as gpd
import pandas as pd
import streamlit as st

import cached
from locatiescan import present
from locatiescan.dossier import (
    PROGRAMMES,
    completeness,
    dossier_records,
    edit_facts,
    stored_latest,
)
from locatiescan.dossier.overview import overview_columns
from locatiescan.errors import LocatiescanError
from locatiescan.export.dossier import DossierTables, pdf_sections, xlsx_sheets
from locatiescan.export.geo import locations_geojson, locations_gpkg
from locatiescan.export.pdf import location_report_pdf, shortlist_report_pdf
from locatiescan.export.xlsx import ranking_xlsx
from locatiescan.knelpunten import knelpunten_per_location
from locatiescan.scoring import sensitivity
from locatiescan.sites import DOORBRAAK_DOEL, in_programmes, woningen_totaal
from locatiescan.ui import model_edit, tables
from locatiescan.ui.labels import markdown_literal
from locatiescan.ui.mapview import quality_warning
from locatiescan.workspace.store import CHOOSABLE_DECISIONS, DECISION_LABELS

TOP_K_DEFAULT = 5
REPORT_SCOPES = {"Top 10": 10, "Op shortlist (besluit)": "shortlist", "Alle locaties": None}
DEFAULT_PROGRAMME = "doorbraak"
OWN_TYPE = "eigen"
TARGETS = {"doorbraak": DOORBRAAK_DOEL}  # seed 003: at least 100,000 homes on the sites
UNKNOWN_CHOICE = "onbekend"
NOTICE_KEY = "shortlist_melding"
FACT_COLUMNS = {
    "op": "Vastgelegd op",
    "feit": "Feit",
    "waarde": "Waarde",
    "bron": "Bron",
    "brondatum": "Datum bron",
    "door": "Door",
    "herkomst": "Herkomst",
}


def fact_widget(fact, current, key: str):
    """A form field for one fact, starting at its current value ('onbekend' / empty if none)."""
    if fact.type == "getal":
        return st.number_input(
            fact.label,
            value=None if current is None else float(current),
            min_value=fact.min,
            max_value=fact.max,
            step=1.0 if fact.geheel else 0.5,
            help=fact.uitleg,
            key=key,
        )
    options = [UNKNOWN_CHOICE, *(fact.opties if fact.type == "keuze" else ("ja", "nee"))]
    chosen = st.selectbox(
        fact.label,
        options,
        index=options.index(current) if current in options else 0,
        format_func=lambda code: fact.option_label(code) if code != UNKNOWN_CHOICE else code,
        help=fact.uitleg,
        key=key,
    )
    return None if chosen == UNKNOWN_CHOICE else chosen


st.session_state.setdefault("shortlist_gewichten", None)

st.title("Shortlist")
st.caption(
    "Rangorde van de locaties volgens een scoremodel, met knelpunten, vergelijking, "
    "gevoeligheid en besluiten van de stuurgroep."
)

cached.show_notice(NOTICE_KEY)
programme_col, own_col = st.columns([2, 1])
programme = programme_col.selectbox(
    "Programma",
    list(PROGRAMMES),
    index=list(PROGRAMMES).index(DEFAULT_PROGRAMME),
    format_func=PROGRAMMES.get,
    key="shortlist_programma",
)
with_own = own_col.checkbox("Eigen locaties meenemen", value=False, key="shortlist_eigen")
try:
    everything = cached.all_locations()
    member = in_programmes(everything, [programme])  # KL-01 is a doorbraak site too
    own = everything["type"].astype(str) == OWN_TYPE
    locations = everything[member | (own if with_own else False)]
    locations = gpd.GeoDataFrame(locations.reset_index(drop=True), crs=everything.crs)
    if locations.empty:
        st.warning("Geen locaties in dit programma.")
        st.stop()
    with st.spinner("Locaties screenen…"):
        screened = cached.screening(cached.frame_key(locations), locations)
    choices = cached.model_choices()
    catalogue = cached.context().facts
    ws = cached.workspace()
    records = dossier_records(locations, stored_latest(ws), catalogue, cached.data_root())
except LocatiescanError as err:
    cached.show_error(err)
    st.stop()
if not choices:
    st.error("Geen scoremodellen gevonden in scoring/.")
    st.stop()

model_key = st.selectbox(
    "Scoremodel", list(choices), format_func=lambda k: choices[k].label, key="shortlist_model"
)
choice = choices[model_key]
try:
    base = cached.parsed_model(choice.text, model_key)
except LocatiescanError as err:
    cached.show_error(err)
    st.stop()
data = model_edit.as_data(base)

with st.expander("Gewichten van de pijlers aanpassen (alleen voor deze weergave)"):
    st.caption(
        "De gewichten worden naar een som van 1 geschaald. Opslaan als eigen model kan op de pagina Zelfscan."
    )
    weight_cols = st.columns(len(data["pijlers"]))
    edited = {}
    for col, (pillar, weight) in zip(weight_cols, model_edit.pillar_weights(data).items()):
        label = data["pijlers"][pillar].get("label") or pillar
        edited[pillar] = col.number_input(
            label,
            min_value=0.0,
            max_value=1.0,
            value=float(weight),
            step=0.05,
            key=f"shortlist_w_{model_key}_{pillar}",
        )
try:
    weights = model_edit.normalised(edited)
    text = model_edit.to_yaml(model_edit.set_pillar_weights(data, weights))
    with st.spinner("Scores berekenen…"):
        result = cached.scores_for_text(text, locations, screened)
except LocatiescanError as err:
    cached.show_error(err)
    st.stop()

decisions = ws.decisions(model_id=model_key)
ranking = tables.ranked_table(result, locations, decisions)
knelpunten = knelpunten_per_location(
    screened.table, result.explanation, niet_bepaald=screened.niet_bepaald
)
ordered = locations.set_index("id").loc[ranking.index].reset_index()
asked = [q.id for q in result.model.vragen if catalogue.get(q.id)] or catalogue.ids()
done = completeness(records, ranking.index, asked)
ranking = ranking.join(overview_columns(result.table, done, knelpunten))

st.subheader("Rangorde")
st.caption(
    "Bekend gewicht: het deel van het modelgewicht waarvoor gegevens zijn. Rang-interval: de "
    "beste en slechtste rang als de onbekende criteria alle mogelijke punten krijgen. Dossier: "
    "hoeveel van de dossiervragen van dit model beantwoord zijn. Volgorde: eerst de ontvankelijke "
    "locaties, dan die met onbekende ontvankelijkheid, dan de niet-ontvankelijke; binnen elke "
    "groep op de laagst mogelijke totaalscore (onbekende criteria als het slechtste antwoord), "
    "zodat ontbrekende gegevens een locatie nooit hoger zetten. Een locatie met een hogere "
    "getoonde totaalscore kan daardoor lager staan."
)
st.dataframe(
    tables.dutch_text(ranking.reset_index(drop=True)),
    hide_index=True,
    width="stretch",
    key="shortlist_tabel",
)
st.caption(f"Woningen: {woningen_totaal(locations).text()}")
if programme in TARGETS:
    programme_sites = locations[in_programmes(locations, [programme])]
    st.caption(tables.target_text(woningen_totaal(programme_sites), TARGETS[programme]))

names = dict(zip(ranking.index, ranking["Naam"]))
with st.container(key="shortlist_top"):
    top = ranking.head(TOP_K_DEFAULT)
    st.markdown(
        f"**Top {len(top)}:** "
        + " · ".join(
            f"{'?' if pd.isna(rank) else rank}. {markdown_literal(name)}"
            for rank, name in zip(top["Rang"], top["Naam"])
        )
    )

st.subheader("Knelpunten per locatie")
st.dataframe(
    tables.knelpunten_table(ranking, knelpunten),
    hide_index=True,
    width="stretch",
    key="shortlist_knelpunten",
)
detail_id = st.selectbox(
    "Uitleg per criterium voor", list(names), format_func=names.get, key="shortlist_detail"
)
warning = quality_warning(
    locations.loc[locations["id"] == detail_id, "geometrie_kwaliteit"].iloc[0]
)
if warning:
    st.warning(warning)
for sentence in knelpunten.get(detail_id, []) or ["Geen knelpunten gevonden."]:
    st.markdown(f"- {sentence}")
st.dataframe(
    tables.explanation_table(result, detail_id),
    hide_index=True,
    width="stretch",
    key="shortlist_uitleg",
)
st.download_button(
    "PDF van deze locatie",
    file_name=f"locatie_{detail_id}.pdf",
    mime="application/pdf",
    key="shortlist_pdf_locatie",
    data=lambda: location_report_pdf(
        detail_id,
        ordered,
        result.table,
        result.explanation,
        knelpunten,
        screened.provenance,
        cached.report_overlays(),
        model_name=result.model.naam,
    ),
)

st.subheader("Vergelijken")
picked = st.multiselect(
    "Kies 2 tot 4 locaties",
    list(names),
    format_func=names.get,
    max_selections=tables.MAX_COMPARE,
    key="shortlist_vergelijk",
    placeholder="Kies locaties",
)
if len(picked) >= tables.MIN_COMPARE:
    st.bar_chart(
        tables.contributions(result, picked), horizontal=True, y_label="", x_label="Punten"
    )
    st.dataframe(tables.comparison_table(result, picked), width="stretch")
else:
    st.caption("Kies minstens twee locaties.")

st.subheader("Gevoeligheid voor de gewichten")
top_k = st.number_input(
    "Top-k",
    min_value=1,
    max_value=max(1, len(ranking)),
    value=min(TOP_K_DEFAULT, len(ranking)),
    key="shortlist_topk",
)
if st.button("Gevoeligheid berekenen", key="shortlist_gevoeligheid"):
    with st.status("Gewichten 1.000 keer variëren…", expanded=False) as status:
        try:
            analysis = sensitivity(result, top_k=int(top_k))
        except LocatiescanError as err:
            cached.show_error(err)
            status.update(label="Mislukt", state="error")
        else:
            done = f"Klaar: {analysis.draws} trekkingen, spreiding ±{analysis.spread:.0%}"
            status.update(label=done, state="complete")
            st.dataframe(
                tables.sensitivity_table(analysis.table, int(top_k)),
                hide_index=True,
                width="stretch",
            )

st.subheader("Dossier per locatie")
dossier_id = st.selectbox(
    "Dossier van",
    list(names),
    index=None,
    format_func=names.get,
    placeholder="Kies een locatie",
    key="shortlist_dossier_locatie",
)
if dossier_id is not None:
    own_records = records[records["id"] == dossier_id]
    current = dict(zip(own_records["feit"], own_records["waarde"], strict=True))
    with st.container(key="shortlist_dossier_feiten"):
        if own_records.empty:
            st.caption("Nog geen feiten bekend voor deze locatie.")
        else:
            st.table(
                own_records.assign(
                    feit=[catalogue.get(f).label for f in own_records["feit"]],
                    waarde=[
                        catalogue.get(f).option_label(v)
                        for f, v in zip(own_records["feit"], own_records["waarde"], strict=True)
                    ],
                )[["feit", "waarde", "bron", "brondatum", "door", "herkomst"]]
                .rename(columns=FACT_COLUMNS)
                .set_index("Feit")
            )
    with st.form(f"shortlist_dossier_{dossier_id}"):
        st.caption("Wijzig alleen wat u weet; 'onbekend' of leeg wist een feit.")
        grid = st.columns(2)
        values = {}
        for n, fact in enumerate(catalogue.feiten):
            with grid[n % 2]:
                values[fact.id] = fact_widget(
                    fact, current.get(fact.id), f"shortlist_feit_{dossier_id}_{fact.id}"
                )
        source = st.text_input("Bron (document, vergadering, link)", key="shortlist_feit_bron")
        source_date = st.date_input(
            "Datum van de bron", value=None, format="DD-MM-YYYY", key="shortlist_feit_datum"
        )
        saved = st.form_submit_button("Dossier opslaan")
    if saved:
        if not cached.user_name():
            st.error("Vul eerst uw naam in (zijbalk): dossierfeiten worden met naam vastgelegd.")
        elif not source.strip():
            st.error("Vul de bron in: een feit zonder bron telt niet.")
        else:
            try:
                written = edit_facts(
                    ws,
                    dossier_id,
                    values,
                    current,
                    cached.user_name(),
                    source=source,
                    source_date=source_date.isoformat() if isinstance(source_date, date) else None,
                    catalogue=catalogue,
                )
            except LocatiescanError as err:
                cached.show_error(err)
            else:
                labels = ", ".join(catalogue.get(f).label for f in written) or "niets gewijzigd"
                st.session_state[NOTICE_KEY] = f"Dossier {names[dossier_id]} opgeslagen: {labels}"
                st.rerun()
    with st.expander("Geschiedenis van het dossier"):
        fact_history = ws.fact_history(dossier_id)
        if fact_history.empty:
            st.caption("Nog niets vastgelegd (waarden uit het register staan hierboven).")
        else:
            st.dataframe(
                tables.dutch_text(
                    fact_history.assign(
                        op=fact_history["op"].map(present.nl_datetime),
                        feit=[catalogue.get(f).label for f in fact_history["feit"]],
                        waarde=[
                            catalogue.get(f).option_label(v)
                            if not present.is_missing(v)
                            else "gewist"
                            for f, v in zip(fact_history["feit"], fact_history["waarde"])
                        ],
                    )[["op", "feit", "waarde", "bron", "brondatum", "door"]].rename(
                        columns=FACT_COLUMNS
                    )
                ),
                hide_index=True,
                width="stretch",
                key="shortlist_dossier_historie",
            )

st.subheader("Besluit")
decision_id = st.selectbox(
    "Locatie",
    list(names),
    index=None,
    format_func=names.get,
    placeholder="Kies een locatie",
    key="shortlist_besluit_locatie",
)
with st.form("shortlist_besluit", clear_on_submit=True):
    decision = st.radio(
        "Besluit",
        list(CHOOSABLE_DECISIONS),
        format_func=CHOOSABLE_DECISIONS.get,
        horizontal=True,
        key="shortlist_besluit_keuze",
    )
    note = st.text_area("Notitie", key="shortlist_besluit_notitie")
    submitted = st.form_submit_button("Besluit vastleggen")
if submitted:
    if decision_id is None:
        st.error("Kies eerst de locatie waarover het besluit gaat.")
    elif not cached.user_name():
        st.error("Vul eerst uw naam in (zijbalk): een besluit wordt met naam en tijd vastgelegd.")
    else:
        try:
            ws.record_decision(decision_id, model_key, decision, note, who=cached.user_name())
        except LocatiescanError as err:
            cached.show_error(err)
        else:
            st.session_state[NOTICE_KEY] = (
                f"Vastgelegd: {names[decision_id]} ({decision_id}) — "
                f"{DECISION_LABELS[decision]}, door {cached.user_name()}"
                + (f"; notitie: {note.strip()}" if note.strip() else "")
            )
            st.rerun()
if decision_id is not None:
    history = ws.decision_history(decision_id, model_key)
    standing = not history.empty and history["besluit"].iloc[-1] in CHOOSABLE_DECISIONS
    if standing:
        reason = st.text_input("Reden van intrekken", key="shortlist_intrek_reden")
        if st.button("Besluit intrekken", key="shortlist_intrekken"):
            if not cached.user_name():
                st.error("Vul eerst uw naam in (zijbalk).")
            else:
                try:
                    ws.withdraw_decision(decision_id, model_key, reason, who=cached.user_name())
                except LocatiescanError as err:
                    cached.show_error(err)
                else:
                    st.session_state[NOTICE_KEY] = (
                        f"Ingetrokken: het besluit over {names[decision_id]} "
                        f"({DECISION_LABELS[history['besluit'].iloc[-1]]})"
                    )
                    st.rerun()
    if history.empty:
        st.caption("Nog geen besluiten voor deze locatie.")
    else:
        history = history.assign(
            besluit=history["besluit"].map(DECISION_LABELS),
            op=history["op"].map(present.nl_datetime),
        )
        with st.container(key="shortlist_historie"):
            st.table(
                history[["op", "besluit", "notitie", "door"]]
                .rename(
                    columns={
                        "op": "Tijdstip",
                        "besluit": "Besluit",
                        "notitie": "Notitie",
                        "door": "Door",
                    }
                )
                .set_index("Tijdstip")
            )

st.subheader("Exporteren")
score_table = result.table
dossier_tables = DossierTables.build(
    ws.decisions(current_only=False, model_id=model_key), records, catalogue, names
)
st.download_button(
    "Rangorde als Excel (XLSX)",
    data=lambda: ranking_xlsx(
        ordered,
        score_table,
        result.explanation,
        knelpunten,
        screened.provenance,
        model=result.model,
        screening=screened,
        extra_sheets=xlsx_sheets(dossier_tables),
    ),
    file_name="shortlist.xlsx",
    key="shortlist_xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)
st.download_button(
    "Locaties met scores (GeoPackage)",
    data=lambda: locations_gpkg(ordered, score_table, knelpunten, screened.provenance),
    file_name="shortlist.gpkg",
    key="shortlist_gpkg",
    mime="application/geopackage+sqlite3",
)
st.download_button(
    "Locaties met scores (GeoJSON)",
    data=lambda: locations_geojson(ordered, score_table, knelpunten, screened.provenance),
    file_name="shortlist.geojson",
    key="shortlist_geojson",
    mime="application/geo+json",
)
report_scope = st.radio(
    "PDF-rapport voor", list(REPORT_SCOPES), horizontal=True, key="shortlist_pdf_omvang"
)
if st.button("PDF-rapport maken", key="shortlist_pdf_maken"):
    chosen = tables.report_selection(ranking, REPORT_SCOPES[report_scope])
    if not chosen:
        st.warning("Geen locaties voor dit rapport (nog geen locaties op de shortlist gezet).")
    else:
        bar = st.progress(0.0, text="Rapport opbouwen…")
        try:
            st.session_state["shortlist_pdf_bytes"] = shortlist_report_pdf(
                ordered[ordered["id"].isin(chosen)],
                score_table,
                result.explanation,
                knelpunten,
                screened.provenance,
                cached.report_overlays(),
                model=result.model,
                progress=lambda f, msg: bar.progress(min(max(f, 0.0), 1.0), text=msg),
                extra_sections=pdf_sections(dossier_tables),
            )
        except LocatiescanError as err:
            cached.show_error(err)
        bar.empty()
if st.session_state.get("shortlist_pdf_bytes"):
    st.download_button(
        "Download PDF-rapport",
        data=st.session_state["shortlist_pdf_bytes"],
        file_name="shortlist.pdf",
        mime="application/pdf",
        key="shortlist_pdf",
    )

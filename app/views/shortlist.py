"""Shortlist (doorbraak-stuurgroep): ranked table with pillar scores and class, knelpunten,
side-by-side comparison, sensitivity, decisions with history, and exports."""

from __future__ import annotations

import pandas as pd
import streamlit as st

import cached
from locatiescan.errors import LocatiescanError
from locatiescan.export.geo import locations_geojson, locations_gpkg
from locatiescan.export.pdf import location_report_pdf, shortlist_report_pdf
from locatiescan.export.xlsx import ranking_xlsx
from locatiescan.knelpunten import knelpunten_per_location
from locatiescan.scoring import sensitivity
from locatiescan.ui import model_edit, tables
from locatiescan.ui.mapview import quality_warning
from locatiescan.workspace import DECISION_LABELS

TOP_K_DEFAULT = 5
PDF_OVERLAYS = {"natura2000": "Natura 2000-gebieden"}
REPORT_SCOPES = {"Top 10": 10, "Op shortlist (besluit)": "shortlist", "Alle locaties": None}


def pdf_overlays() -> dict:
    """Display-simplified overlay layers for the offline report maps (by Dutch label)."""
    return {label: cached.overlay(layer_id).gdf for layer_id, label in PDF_OVERLAYS.items()}


st.session_state.setdefault("shortlist_gewichten", None)

st.title("Shortlist")
st.caption(
    "Rangorde van de locaties volgens een scoremodel, met knelpunten, vergelijking, "
    "gevoeligheid en besluiten van de stuurgroep."
)

try:
    locations = cached.all_locations()
    with st.spinner("Locaties screenen…"):
        screened = cached.screening(cached.frame_key(locations), locations)
    choices = cached.model_choices()
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
        result = cached.scores_for_text(text, locations, screened, model_key)
except LocatiescanError as err:
    cached.show_error(err)
    st.stop()

ws = cached.workspace()
decisions = ws.decisions(model_id=model_key)
ranking = tables.ranked_table(result, locations, decisions)
knelpunten = knelpunten_per_location(screened.table, result.explanation)
ordered = locations.set_index("id").loc[ranking.index].reset_index()

st.subheader("Rangorde")
st.dataframe(
    ranking.reset_index(drop=True),
    hide_index=True,
    width="stretch",
    key="shortlist_tabel",
    column_config={
        "Totaal": st.column_config.ProgressColumn(
            "Totaal", min_value=0, max_value=100, format="%.1f"
        )
    },
)

names = dict(zip(ranking.index, ranking["Naam"]))
with st.container(key="shortlist_top"):
    top = ranking.head(TOP_K_DEFAULT)
    st.markdown(
        f"**Top {len(top)}:** "
        + " · ".join(
            f"{'?' if pd.isna(rank) else rank}. {name}"
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
        pdf_overlays(),
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

st.subheader("Besluit")
decision_id = st.selectbox(
    "Locatie", list(names), format_func=names.get, key="shortlist_besluit_locatie"
)
with st.form("shortlist_besluit", clear_on_submit=True):
    decision = st.radio(
        "Besluit",
        list(DECISION_LABELS),
        format_func=DECISION_LABELS.get,
        horizontal=True,
        key="shortlist_besluit_keuze",
    )
    note = st.text_area("Notitie", key="shortlist_besluit_notitie")
    submitted = st.form_submit_button("Besluit vastleggen")
if submitted:
    if not cached.user_name():
        st.error("Vul eerst uw naam in (zijbalk): een besluit wordt met naam en tijd vastgelegd.")
    else:
        try:
            ws.record_decision(decision_id, model_key, decision, note, who=cached.user_name())
        except LocatiescanError as err:
            cached.show_error(err)
        else:
            st.success(f"Vastgelegd: {names[decision_id]} — {DECISION_LABELS[decision]}")
            st.rerun()
history = ws.decision_history(decision_id, model_key)
if history.empty:
    st.caption("Nog geen besluiten voor deze locatie.")
else:
    history = history.assign(besluit=history["besluit"].map(DECISION_LABELS))
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
st.download_button(
    "Rangorde als Excel (XLSX)",
    data=lambda: ranking_xlsx(
        ordered,
        score_table,
        result.explanation,
        knelpunten,
        screened.provenance,
        model_name=result.model.naam,
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
                pdf_overlays(),
                model_name=result.model.naam,
                progress=lambda f, msg: bar.progress(min(max(f, 0.0), 1.0), text=msg),
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

"""Zelfscan (gemeente): import or draw own projects, answer the model's questions, see the score
with explanation, class and staff hours, compare projects, and adapt/save the model."""

from __future__ import annotations

import streamlit as st
from streamlit_folium import st_folium

import cached
import own_data
from locatiescan import present
from locatiescan.errors import LocatiescanError
from locatiescan.export.pdf import zelfscan_report_pdf
from locatiescan.ui import answers as answer_form
from locatiescan.ui import labels, mapview, metrics, model_edit, tables
from locatiescan.ui.locations import drawn_location

MAP_KEY = "zelfscan_map"
MAP_HEIGHT = 420
NOTICE_KEY = "zelfscan_melding"
UPLOAD_MODE = "Bestand importeren"
DRAW_MODE = "Tekenen op de kaart"
EDITOR_KEYS = ("zelfscan_criteria_", "zelfscan_regels_", "zelfscan_inzet_", "zelfscan_verwijder_")

st.session_state.setdefault("zelfscan_model_data", None)
st.session_state.setdefault("zelfscan_model_bron", None)

st.title("Zelfscan")
st.caption(
    "Voor gemeenten: voeg eigen projecten toe, beantwoord de vragen van het model en zie "
    "de score met uitleg, prioriteitsklasse en inzet in uren."
)

ws = cached.workspace()
cached.show_notice(NOTICE_KEY)


# -- own projects: import or draw ------------------------------------------------------------
st.subheader("1. Eigen projecten")
# A choice, not tabs: the map is only built when it shows (a map in a hidden tab has no size,
# which broke Leaflet: a 0-px map and "Invalid LatLng object: (NaN, NaN)").
mode = st.segmented_control(
    "Project toevoegen",
    [UPLOAD_MODE, DRAW_MODE],
    default=UPLOAD_MODE,
    key="zelfscan_toevoegen",
    label_visibility="collapsed",
)
if mode == UPLOAD_MODE:
    own_data.location_upload("zelfscan", NOTICE_KEY, "Toevoegen aan mijn projecten")
elif mode == DRAW_MODE:
    own = cached.own_locations()
    draw_map = mapview.build_map(
        cached.locations_display(cached.frame_key(own), own),
        mapview.popup_table(own),
        mapview.colour_by_type(own),
        basemap=cached.basemap(),
        draw=True,
        height_px=MAP_HEIGHT,
    )
    with st.container(key="zelfscan_tekenkaart"):
        state = st_folium(
            draw_map,
            key=MAP_KEY,
            height=MAP_HEIGHT,
            use_container_width=True,
            returned_objects=["last_active_drawing"],
            render=False,  # it renders the map's parts itself; a whole-figure render is discarded
        )
    polygon = mapview.drawn_polygon((state or {}).get("last_active_drawing"))
    if polygon is None:
        st.caption("Teken een vlak of rechthoek met de knoppen links op de kaart.")
    else:
        name = st.text_input(
            "Naam van het project", value="Mijn project", key="zelfscan_teken_naam"
        )
        woningen = st.number_input(
            "Aantal woningen", min_value=0, value=0, step=10, key="zelfscan_teken_woningen"
        )
        drawn = drawn_location(polygon, name, int(woningen) or None, cached.gemeenten())
        st.caption(
            f"{present.nl_number(drawn['area_ha'].iloc[0], 1, 'ha')} in "
            f"{present.text(drawn['gemeenten'].iloc[0])}"
        )
        if st.button("Project opslaan", key="zelfscan_teken_opslaan") and own_data.store_locations(
            drawn.drop(columns=["id"]), "getekend in de zelfscan", NOTICE_KEY
        ):
            st.rerun()

own = cached.own_locations()
if own.empty:
    st.info("Nog geen eigen projecten. Importeer een bestand of teken een project.")
    st.stop()
with st.container(key="zelfscan_projecten"):
    st.caption(f"Mijn projecten ({len(own)})")
    st.table(
        mapview.popup_table(own)[["Naam", "Gemeente(n)", "Woningen", "Geometrie"]].rename_axis(
            "Code"
        )
    )

# -- model -----------------------------------------------------------------------------------
st.subheader("2. Model")
choices = cached.model_choices()
model_key = st.selectbox(
    "Scoremodel", list(choices), format_func=lambda k: choices[k].label, key="zelfscan_model"
)
if st.session_state["zelfscan_model_bron"] != model_key:
    st.session_state["zelfscan_model_bron"] = model_key
    preset = cached.parsed_model(choices[model_key].text, model_key)
    st.session_state["zelfscan_model_data"] = model_edit.as_data(preset)
data = st.session_state["zelfscan_model_data"]

with st.expander("Model aanpassen (gewichten, drempels, criteria)"):
    weight_cols = st.columns(len(data["pijlers"]))
    pillar_weights = {
        pillar: col.number_input(
            data["pijlers"][pillar].get("label") or pillar,
            min_value=0.0,
            max_value=1.0,
            value=weight,
            step=0.05,
            key=f"zelfscan_pw_{model_key}_{pillar}",
        )
        for col, (pillar, weight) in zip(weight_cols, model_edit.pillar_weights(data).items())
    }
    st.caption("Criteria (gewicht binnen de pijler)")
    criteria = st.data_editor(
        model_edit.criteria_frame(data),
        disabled=["pijler", "id", "label", "bron"],
        hide_index=True,
        width="stretch",
        key=f"zelfscan_criteria_{model_key}",
    )
    criterion_ids = list(criteria["id"])
    rules_for = st.selectbox(
        "Drempels (regels) van criterium", criterion_ids, key=f"zelfscan_regels_keuze_{model_key}"
    )
    rules = st.data_editor(
        model_edit.rules_frame(data, rules_for),
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        key=f"zelfscan_regels_{model_key}_{rules_for}",
    )
    st.caption("Prioriteitsklassen en inzet (lege 'vanaf' = alle overige scores)")
    inzet = st.data_editor(
        model_edit.inzet_frame(data),
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        key=f"zelfscan_inzet_{model_key}",
    )
    remove = st.multiselect(
        "Criteria verwijderen",
        criterion_ids,
        key=f"zelfscan_verwijder_{model_key}",
        placeholder="Geen",
    )
    with st.form(f"zelfscan_nieuw_{model_key}", clear_on_submit=True):
        st.caption("Criterium toevoegen")
        new_pillar = st.selectbox("Pijler", list(data["pijlers"]), key="zelfscan_nieuw_pijler")
        new_id = st.text_input("Id (kleine letters, cijfers, _)", key="zelfscan_nieuw_id")
        new_label = st.text_input("Omschrijving", key="zelfscan_nieuw_label")
        example = next(iter(metrics.popup_columns(cached.catalog())), "<laag>.<maat>")
        new_source = st.text_input(
            f"Bron (bijv. laag.{example}, indicator.leegstand_pct, vraag.<id>)",
            key="zelfscan_nieuw_bron",
        )
        new_weight = st.number_input(
            "Gewicht", min_value=0.0, value=1.0, step=0.5, key="zelfscan_nieuw_gewicht"
        )
        new_rules = st.text_area(
            "Regels, één per regel: '<voorwaarde> => <punten>'",
            value="< 10 => 2\nanders => 0",
            key="zelfscan_nieuw_regels",
        )
        add = st.form_submit_button("Criterium toevoegen")

    try:
        edited = model_edit.set_pillar_weights(data, pillar_weights)
        edited = model_edit.set_criterion_weights(
            edited, dict(zip(criteria["id"], criteria["gewicht"]))
        )
        edited = model_edit.set_rules(edited, rules_for, rules)
        edited = model_edit.set_inzet(edited, inzet)
        if remove:
            edited = model_edit.remove_criteria(edited, remove)
        if add:
            edited = model_edit.add_criterion(
                edited, new_pillar, new_id, new_label, new_source, new_weight, new_rules
            )
    except LocatiescanError as err:
        cached.show_error(err)
        edited = data
    if add:  # bake every edit into the base model and start the editors afresh
        st.session_state["zelfscan_model_data"] = edited
        for key in [k for k in st.session_state if str(k).startswith(EDITOR_KEYS)]:
            del st.session_state[key]
        st.rerun()

    try:
        model = model_edit.validated(edited, "aangepast model", cached.known())
    except LocatiescanError as err:
        st.error(err.nl)
        model = None
    else:
        st.success("Het aangepaste model is geldig.")

    save_col, download_col, reset_col = st.columns(3)
    with save_col:
        new_name = st.text_input(  # keyed per model: the suggestion follows the chosen model
            "Opslaan als",
            value=f"{data['naam']} (aangepast)",
            key=f"zelfscan_opslaan_naam_{model_key}",
        )
        if st.button("Model opslaan", key="zelfscan_opslaan", disabled=model is None):
            if not cached.user_name():
                st.error("Vul eerst uw naam in (zijbalk).")
            else:
                try:
                    renamed = model_edit.renamed(edited, new_name)
                    ws.save_model(
                        new_name.strip(),
                        model_edit.to_yaml(renamed),
                        who=cached.user_name(),
                        based_on=model_key,
                    )
                except LocatiescanError as err:
                    cached.show_error(err)
                else:
                    st.session_state[NOTICE_KEY] = f"Model '{new_name.strip()}' opgeslagen."
                    st.rerun()
    with download_col:
        st.download_button(
            "YAML downloaden",
            data=model_edit.to_yaml(edited),
            file_name="scoremodel.yaml",
            mime="application/x-yaml",
            key="zelfscan_yaml",
        )
    with reset_col:
        if st.button("Terug naar het standaardmodel", key="zelfscan_reset"):
            st.session_state["zelfscan_model_bron"] = None
            for key in [
                k for k in st.session_state if str(k).startswith(("zelfscan_pw_", *EDITOR_KEYS))
            ]:
                del st.session_state[key]
            st.rerun()

if model is None:
    model = cached.parsed_model(choices[model_key].text, model_key)

# -- questions -------------------------------------------------------------------------------
st.subheader("3. Vragen per project")
names = dict(zip(own["id"], own["naam"]))
project = st.selectbox(
    "Project", list(names), format_func=lambda i: f"{names[i]} ({i})", key="zelfscan_project"
)
row = own[own["id"] == project].iloc[0]
warning = mapview.quality_warning(row["geometrie_kwaliteit"])
if warning:
    st.warning(warning)
st.caption(f"Geometrie: {labels.quality_label(row['geometrie_kwaliteit'])}")
stored = answer_form.stored_values(model, cached.answers(), project)
open_questions = answer_form.open_questions(model, stored)
if model.vragen:
    st.caption(
        "De antwoorden horen bij het project, niet bij het model: een ander of eigen model "
        "gebruikt dezelfde antwoorden. "
        + (
            f"Nog open: {len(open_questions)} van {len(model.vragen)} vragen."
            if open_questions
            else "Alle vragen van dit model zijn beantwoord."
        )
    )
    with st.form(f"zelfscan_vragen_{project}"):
        given = {}
        for question in model.vragen:
            start = answer_form.form_value(question, stored[question.id])
            options = answer_form.choices(question)
            key = f"zelfscan_vraag_{project}_{question.id}"
            if options is None:
                given[question.id] = st.number_input(
                    question.label,
                    value=start,
                    min_value=question.min,
                    max_value=question.max,
                    help=question.uitleg,
                    key=key,
                )
            else:
                given[question.id] = st.radio(
                    question.label,
                    options,
                    index=options.index(start),
                    horizontal=True,
                    help=question.uitleg,
                    key=key,
                )
        saved = st.form_submit_button("Antwoorden opslaan en scoren")
    if saved:
        if not cached.user_name():
            st.error("Vul eerst uw naam in (zijbalk).")
        else:
            values = {q.id: answer_form.answer_value(q, given[q.id]) for q in model.vragen}
            try:
                ws.set_facts(
                    project,
                    values,
                    who=cached.user_name(),
                    source=f"Zelfscan ({model_key})",
                    loaded=stored,
                )
            except LocatiescanError as err:
                cached.show_error(err)
            else:
                st.session_state[NOTICE_KEY] = "Antwoorden opgeslagen."
                st.rerun()
else:
    st.caption("Dit model heeft geen vragen.")

# -- score -----------------------------------------------------------------------------------
st.subheader("4. Score")
try:
    with st.spinner("Screenen en scoren…"):
        screened = cached.screening(cached.frame_key(own), own)
        result = cached.scores_for_text(
            model_edit.to_yaml(model_edit.as_data(model)), own, screened
        )
except LocatiescanError as err:
    cached.show_error(err)
    st.stop()
srow = result.table.loc[project].to_dict()
score_col, class_col, hours_col = st.columns(3)
score_col.metric("Totaalscore", present.total_text(srow))
class_col.metric("Prioriteitsklasse", present.text(srow["klasse"]))
hours_col.metric("Inzet (uren per maand)", present.nl_number(srow["uren_per_maand"]))
st.dataframe(
    tables.dutch_text(tables.explanation_table(result, project), 2),
    hide_index=True,
    width="stretch",
    key="zelfscan_uitleg",
)
st.caption(
    "Rapport voor het college: model, antwoorden, uitleg per criterium, klasse, inzet, kaart en bronnen."
)
report_one, report_all = st.columns(2)
report_one.download_button(
    "PDF-rapport van dit project",
    data=lambda: zelfscan_report_pdf(
        result,
        own,
        cached.answers(),
        screened.provenance,
        cached.report_overlays(),
        project_ids=[project],
    ),
    file_name=f"zelfscan_{project}.pdf",
    mime="application/pdf",
    key="zelfscan_pdf_project",
)
report_all.download_button(
    f"PDF-rapport van alle eigen projecten ({len(own)})",
    data=lambda: zelfscan_report_pdf(
        result, own, cached.answers(), screened.provenance, cached.report_overlays()
    ),
    file_name="zelfscan_eigen_projecten.pdf",
    mime="application/pdf",
    key="zelfscan_pdf_alle",
)
with st.expander("Screening van dit project"):
    st.dataframe(
        metrics.metrics_table(screened.table, project, cached.catalog()),
        hide_index=True,
        width="stretch",
    )

if len(own) >= tables.MIN_COMPARE:
    st.subheader("5. Eigen projecten vergelijken")
    st.dataframe(
        tables.dutch_text(tables.ranked_table(result, own).reset_index(drop=True)),
        hide_index=True,
        width="stretch",
        key="zelfscan_vergelijk",
    )
    compare_ids = list(result.table.sort_values("rang").index[: tables.MAX_COMPARE])
    st.bar_chart(
        tables.contributions(result, compare_ids), horizontal=True, x_label="Punten", y_label=""
    )

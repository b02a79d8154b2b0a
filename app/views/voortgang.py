"""Voortgang: the Publiek-Private Monitor (PPM) per project and woondeal progress per gemeente,
regio or provincie — import the quarterly PPM spreadsheet, see the delay list for the
versnellingstafel, the timeline, the woondeal chart, and export each."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

import cached
from locatiescan.errors import LocatiescanError
from locatiescan.present import nl_number
from locatiescan.ui.locations import option_label
from locatiescan.voortgang import (
    Doel,
    Gebied,
    delay_list,
    delay_table,
    gemeente_gebied,
    load_config,
    load_plancapaciteit,
    load_woningvoorraad,
    png,
    ppm_export_xlsx,
    ppm_status,
    provincie_gebied,
    read_ppm,
    read_realisatie,
    realisatie_template_xlsx,
    template_xlsx,
    tijdlijn_figuur,
    voortgang_pdf,
    woondeal_figuur,
    woondeal_voortgang,
    woondeal_xlsx,
)
from locatiescan.voortgang.config import CONFIG_FILE
from locatiescan.voortgang.projecten import bekende_ids
from locatiescan.voortgang.spreadsheet import problemen_tekst
from locatiescan.voortgang.woondeal import load_gemeenten
from locatiescan.workspace import voortgang as store

NOTICE_KEY = "voortgang_melding"
ROUND_KEY = "voortgang_ronde"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NO_NAME = "Vul eerst uw naam in (zijbalk)."
MAX_TIMELINE_PROJECTS = 12

st.session_state.setdefault(ROUND_KEY, 0)

st.title("Voortgang")
st.caption(
    "Publiek-Private Monitor: de mijlpalen van elk woningbouwproject, elk kwartaal bijgewerkt; "
    "vertraagde mijlpalen voor de versnellingstafel, en de voortgang van de woondeal."
)
ws = cached.workspace()
cached.show_notice(NOTICE_KEY)
try:
    config = store.milestone_config(ws)
except LocatiescanError as err:
    cached.show_error(err)
    config = load_config()


# -- 1. import -------------------------------------------------------------------------------
st.subheader("1. PPM bijwerken")
st.caption(
    "Eén regel per project, mijlpaal en peilmoment (kwartaal). Elke update komt erbij; eerdere "
    "peilmomenten blijven bewaard. Het blad 'Uitleg' in het sjabloon beschrijft elke kolom."
)
st.download_button(
    "Sjabloon downloaden (Excel)",
    template_xlsx(config),
    "ppm_sjabloon.xlsx",
    mime=XLSX,
    key="voortgang_sjabloon",
)
upload = st.file_uploader(
    "Ingevulde PPM (Excel)", type=["xlsx"], key=f"voortgang_upload_{st.session_state[ROUND_KEY]}"
)
if upload is not None:
    try:
        check = read_ppm(upload.getvalue(), config, bekende_ids(ws, cached.data_root()))
    except LocatiescanError as err:
        cached.show_error(err)
        check = None
    if check is not None and not check.ok:
        st.error(f"{problemen_tekst(len(check.problemen))} gevonden; er is niets ingelezen.")
        problems = pd.DataFrame(
            [(p.cel, p.kolom, p.probleem) for p in check.problemen],
            columns=["Cel", "Kolom", "Probleem"],
        )
        with st.container(key="voortgang_problemen"):
            st.table(problems.set_index("Cel"))
    elif check is not None:
        st.success(f"{len(check.rows)} regels in orde.")
        if st.button("Inlezen in de werkruimte", key="voortgang_inlezen"):
            if not cached.user_name():
                st.error(NO_NAME)
            else:
                written = store.add_ppm_rows(ws, check.rows, cached.user_name(), upload.name)
                st.session_state[NOTICE_KEY] = f"{written} regels ingelezen uit {upload.name}."
                st.session_state[ROUND_KEY] += 1
                st.rerun()

with st.expander("Mijlpalen van deze werkruimte aanpassen"):
    own_text = store.milestone_config_text(ws)
    st.caption(
        "Standaard geldt scoring/voortgang/mijlpalen.yaml. Een aangepaste lijst geldt alleen voor "
        "deze werkruimte; de import controleert mijlpalen tegen deze lijst."
    )
    edited = st.text_area(
        "Mijlpalenlijst (YAML)",
        own_text or CONFIG_FILE.read_text(encoding="utf-8"),
        height=280,
        key="voortgang_mijlpalen_yaml",
    )
    save_col, reset_col = st.columns(2)
    if save_col.button("Lijst opslaan", key="voortgang_mijlpalen_opslaan"):
        try:
            store.save_milestone_config(ws, edited, cached.user_name())
        except LocatiescanError as err:
            cached.show_error(err)
        else:
            st.session_state[NOTICE_KEY] = "Mijlpalenlijst van de werkruimte opgeslagen."
            st.rerun()
    if own_text and reset_col.button("Terug naar standaard", key="voortgang_mijlpalen_reset"):
        try:
            store.save_milestone_config(ws, None, cached.user_name())
        except LocatiescanError as err:
            cached.show_error(err)
        else:
            st.rerun()


# -- 2. delays -------------------------------------------------------------------------------
st.subheader("2. Vertragingen voor de versnellingstafel")
peildatum = st.date_input(
    "Peildatum", value=date.today(), format="DD-MM-YYYY", key="voortgang_peildatum"
)
records = store.ppm_records(ws)
status = ppm_status(records, peildatum, config)
delayed = delay_list(status, store.alternatives(ws))
if records.empty:
    st.info("Nog geen PPM-gegevens. Download het sjabloon, vul het in en lees het in.")
elif delayed.empty:
    st.success("Geen vertraagde mijlpalen op deze peildatum.")
else:
    st.caption(
        f"{len(delayed)} vertraagde mijlpalen bij {delayed['id'].nunique()} projecten: gepland "
        "kwartaal voorbij, nog niet gerealiseerd. Verschuiving in kwartalen."
    )
    with st.container(key="voortgang_vertragingen"):
        st.table(delay_table(delayed).set_index("Project-id"))
    with st.expander("Alternatief project koppelen"):
        late = st.selectbox(
            "Vertraagd project", sorted(set(delayed["id"])), key="voortgang_alt_project"
        )
        everything = cached.all_locations()
        names = dict(zip(everything["id"].astype(str), everything["naam"].astype(str)))
        choices = sorted(set(names) - {late})
        alternative = st.selectbox(
            "Alternatief",
            choices,
            format_func=lambda i: option_label(i, names[i]),
            key="voortgang_alt_keuze",
        )
        note = st.text_input("Toelichting", key="voortgang_alt_notitie")
        if st.button("Koppelen", key="voortgang_alt_koppelen"):
            try:
                store.link_alternative(ws, late, alternative, cached.user_name(), note=note)
            except LocatiescanError as err:
                cached.show_error(err)
            else:
                st.session_state[NOTICE_KEY] = (
                    f"{alternative} gekoppeld als alternatief voor {late}."
                )
                st.rerun()
if not records.empty:
    xlsx_col, pdf_col = st.columns(2)
    xlsx_col.download_button(
        "PPM en vertragingen (Excel)",
        ppm_export_xlsx(records, delayed, config),
        f"ppm_{peildatum:%Y%m%d}.xlsx",
        mime=XLSX,
        key="voortgang_export_xlsx",
    )
    pdf_col.download_button(
        "Vertragingen en tijdlijn (PDF)",
        voortgang_pdf(peildatum, status, delayed),
        f"voortgang_{peildatum:%Y%m%d}.pdf",
        mime="application/pdf",
        key="voortgang_export_pdf",
    )


# -- 3. timeline -----------------------------------------------------------------------------
if not status.empty:
    st.subheader("3. Tijdlijn per project")
    projects = sorted(set(status["id"]))
    default = sorted(set(delayed["id"]))[:MAX_TIMELINE_PROJECTS] or projects[:MAX_TIMELINE_PROJECTS]
    chosen = st.multiselect(
        "Projecten", projects, default=default, key="voortgang_tijdlijn_projecten"
    )
    shown = status[status["id"].isin(chosen)]
    if not shown.empty:
        st.image(png(tijdlijn_figuur(shown, peildatum)), width="stretch")
        st.caption(
            "Open rondje: eerste planning; vierkant: huidige planning (rood = vertraagd, de rode "
            "balk loopt tot de peildatum); ruit: gerealiseerd; stippellijn: de peildatum."
        )


# -- 4. woondeal -----------------------------------------------------------------------------
st.subheader("4. Woondeal: doel, realisatie en plancapaciteit")
gemeenten = load_gemeenten(cached.data_root())
targets = store.woondeal_targets(ws)
kinds = ["Gemeente", "Provincie"] + (["Woondealgebied (werkruimte)"] if not targets.empty else [])
kind = st.radio("Gebied", kinds, horizontal=True, key="voortgang_gebied_soort")
if kind == "Gemeente":
    names = gemeenten.sort_values("gemeente").set_index("gemeentecode")["gemeente"]
    code = st.selectbox(
        "Gemeente", list(names.index), format_func=names.get, key="voortgang_gemeente"
    )
    gebied = gemeente_gebied(code, cached.data_root())
elif kind == "Provincie":
    provincie = st.selectbox(
        "Provincie", sorted(set(gemeenten["provincie"])), key="voortgang_provincie"
    )
    gebied = provincie_gebied(provincie, cached.data_root())
else:
    area = st.selectbox("Woondealgebied", list(targets["gebied"]), key="voortgang_woondealgebied")
    gebied = Gebied(area, tuple(targets.set_index("gebied").loc[area, "gemeenten"]))
target = targets[targets["gebied"] == gebied.naam]
doel = None
if not target.empty:
    row = target.iloc[0]
    doel = Doel(int(row["woningen"]), int(row["jaar_van"]), int(row["jaar_tot"]), row["bron"])
    st.caption(
        f"Doel: {nl_number(doel.woningen)} woningen in {doel.jaar_van}–{doel.jaar_tot} "
        f"({row['bron'] or 'ingevoerd'}; door {row['door']})."
    )

with st.expander("Doel invoeren of overnemen"):
    columns = st.columns(3)
    homes = columns[0].number_input(
        "Woningen (netto)", min_value=0, step=100, key="voortgang_doel_woningen"
    )
    first = columns[1].number_input("Van jaar", 2000, 2100, 2022, key="voortgang_doel_van")
    last = columns[2].number_input("Tot en met jaar", 2000, 2100, 2030, key="voortgang_doel_tot")
    if st.button(f"Doel voor {gebied.naam} opslaan", key="voortgang_doel_opslaan"):
        try:
            store.set_woondeal_target(
                ws,
                gebied.naam,
                list(gebied.gemeentecodes),
                int(first),
                int(last),
                int(homes),
                cached.user_name(),
                source="ingevoerd",
            )
        except LocatiescanError as err:
            cached.show_error(err)
        else:
            st.rerun()
    st.caption("Voorbeelden uit beleidsdocumenten:")
    for i, example in enumerate(config.woondeal_voorbeelden or load_config().woondeal_voorbeelden):
        if st.button(
            f"{example.naam}: {nl_number(example.woningen)} woningen "
            f"({example.jaar_van}–{example.jaar_tot})",
            key=f"voortgang_voorbeeld_{i}",
        ):
            try:
                store.set_woondeal_target(
                    ws,
                    example.naam,
                    list(example.gemeenten),
                    example.jaar_van,
                    example.jaar_tot,
                    example.woningen,
                    cached.user_name(),
                    source=example.bron,
                )
            except LocatiescanError as err:
                cached.show_error(err)
            else:
                st.session_state[NOTICE_KEY] = (
                    f"Doel '{example.naam}' overgenomen ({example.bron})."
                )
                st.rerun()

with st.expander("Realisatie van latere jaren importeren"):
    st.caption(
        "De CBS-reeks in de data loopt t/m 2020. Voeg latere jaren toe met de kolommen "
        "Gemeentecode, Jaar, Netto toevoeging (saldo woningvoorraad) en eventueel Bron."
    )
    st.download_button(
        "Sjabloon realisatie (Excel)",
        realisatie_template_xlsx(),
        "realisatie_sjabloon.xlsx",
        mime=XLSX,
        key="voortgang_realisatie_sjabloon",
    )
    realised_upload = st.file_uploader(
        "Realisatie (Excel)",
        type=["xlsx"],
        key=f"voortgang_realisatie_{st.session_state[ROUND_KEY]}",
    )
    if realised_upload is not None:
        try:
            checked = read_realisatie(realised_upload.getvalue(), set(gemeenten["gemeentecode"]))
            checked.raise_if_invalid()
            written = store.add_realisation(
                ws, checked.rows, cached.user_name(), realised_upload.name
            )
        except LocatiescanError as err:
            cached.show_error(err)
        else:
            st.session_state[NOTICE_KEY] = f"{written} jaarcijfers ingelezen."
            st.session_state[ROUND_KEY] += 1
            st.rerun()

root = cached.data_root()
progress = woondeal_voortgang(
    gebied,
    load_woningvoorraad(root),
    load_plancapaciteit(root),
    doel,
    store.realisation(ws),
    root,
)
st.image(png(woondeal_figuur(progress)), width="stretch")
summary = progress.samenvatting()
target_text = (
    f"doel tot dan: {nl_number(summary['doel_tot_dan'])}" if doel else "geen doel ingevoerd"
)
st.caption(
    f"Gerealiseerd t/m {summary['t_m_jaar'] or 'onbekend'}: {nl_number(summary['gerealiseerd'])}"
    f" woningen; {target_text}; harde plancapaciteit {nl_number(summary['capaciteit_hard'])}, "
    f"zachte {nl_number(summary['capaciteit_zacht'])}."
)
xlsx_col, pdf_col = st.columns(2)
xlsx_col.download_button(
    "Cijfers woondeal (Excel)",
    woondeal_xlsx(progress),
    f"woondeal_{gebied.naam}.xlsx",
    mime=XLSX,
    key="voortgang_woondeal_xlsx",
)
pdf_col.download_button(
    "Woondeal en vertragingen (PDF)",
    voortgang_pdf(peildatum, status, delayed, progress),
    f"woondeal_{gebied.naam}.pdf",
    mime="application/pdf",
    key="voortgang_woondeal_pdf",
)

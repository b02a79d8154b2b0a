"""Locatiescan app entry point: page set-up, navigation and the sidebar with attributions."""

from __future__ import annotations

import json
from urllib.parse import quote, unquote

import streamlit as st

import cached
import navigation
from locatiescan.errors import LocatiescanError
from locatiescan.paths import DEFAULT_WERKRUIMTE, werkruimte_slug, werkruimtes

st.set_page_config(page_title="Locatiescan", page_icon="🏘️", layout="wide")

PAGES = [st.Page(p.path, title=p.title, icon=p.icon, default=p.default) for p in navigation.PAGES]
DATA_ATTRIBUTIONS = [
    "Gemeentegrenzen en kerncijfers: CBS/PDOK (CC BY 4.0)",
    "Plancapaciteit 2020: EIB, via followthemoney/plancapaciteit (onderzoeksgebruik)",
    "Plancapaciteit per gemeente 2021: Data Bewijst",
]

NAME_COOKIE = "locatiescan_naam"  # the user's name, remembered by this browser for a year
NAME_COOKIE_SECONDS = 365 * 24 * 3600
WERKRUIMTE_HELP = (
    "Eén werkruimte per gemeente of team: eigen locaties, antwoorden, modellen en besluiten "
    "horen bij de werkruimte. Typ een nieuwe naam om er een te beginnen; de naam staat in de "
    "link, zodat een gedeelde link dezelfde werkruimte opent."
)

if "gebruiker" not in st.session_state:
    st.session_state["gebruiker"] = unquote(st.context.cookies.get(NAME_COOKIE, ""))
    st.session_state["gebruiker_onthouden"] = st.session_state["gebruiker"]


def remember_name() -> None:
    """Store the entered name in a cookie of this browser (no login: a convenience only)."""
    name = str(st.session_state.get("gebruiker", "")).strip()
    if name == st.session_state.get("gebruiker_onthouden"):
        return
    st.session_state["gebruiker_onthouden"] = name
    cookie = json.dumps(
        f"{NAME_COOKIE}={quote(name)}; max-age={NAME_COOKIE_SECONDS}; path=/; samesite=strict"
    )
    st.html(f"<script>document.cookie = {cookie};</script>", unsafe_allow_javascript=True)


def normalise_werkruimte() -> None:
    """A typed werkruimte name becomes its file name form ('Gemeente Utrecht' -> 'gemeente-
    utrecht'); a name that cannot be one is refused with a Dutch message."""
    try:
        st.session_state["werkruimte"] = werkruimte_slug(st.session_state.get("werkruimte"))
    except LocatiescanError as err:
        st.session_state["werkruimte_fout"] = err.nl
        st.session_state["werkruimte"] = DEFAULT_WERKRUIMTE


page = st.navigation(PAGES)

with st.sidebar:
    known = werkruimtes()
    current = st.session_state.get("werkruimte")
    if current and current not in known:
        known.append(current)
    chosen = st.selectbox(
        "Werkruimte",
        known,
        on_change=normalise_werkruimte,
        key="werkruimte",
        bind="query-params",
        accept_new_options=True,
        placeholder="Kies of typ een werkruimte",
    )
    try:
        st.session_state[cached.WERKRUIMTE_KEY] = werkruimte_slug(chosen)
    except LocatiescanError as err:  # e.g. a hand-edited link
        cached.show_error(err)
        st.session_state[cached.WERKRUIMTE_KEY] = DEFAULT_WERKRUIMTE
    if st.session_state.get("werkruimte_fout"):
        st.error(st.session_state.pop("werkruimte_fout"))
    st.text_input(
        "Uw naam (voor besluiten en antwoorden)",
        key="gebruiker",
        placeholder="Voor- en achternaam",
    )
    st.caption(WERKRUIMTE_HELP + " Deze browser onthoudt uw naam; er is (nog) geen inlog.")
    remember_name()
    with st.expander("Bronnen en licenties"):
        try:
            layer_attributions = [
                f"{layer.titel}: {layer.attributie}" for layer in cached.catalog().values()
            ]
        except LocatiescanError as err:
            layer_attributions = []
            cached.show_error(err)
        for line in layer_attributions + DATA_ATTRIBUTIONS:
            st.caption(f"• {line}")
    st.caption(
        "Locatiescan — open source (EUPL-1.2). Zonder internet werkt de app met gedateerde "
        "offline snapshots; zie Bronnen."
    )

page.run()

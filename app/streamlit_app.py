"""Locatiescan app entry point: page set-up, navigation and the sidebar with attributions."""

from __future__ import annotations

import streamlit as st

import cached
from locatiescan.errors import LocatiescanError

st.set_page_config(page_title="Locatiescan", page_icon="🏘️", layout="wide")

PAGES = [
    st.Page("views/kaart.py", title="Kaart", icon=":material/map:", default=True),
    st.Page("views/shortlist.py", title="Shortlist", icon=":material/format_list_numbered:"),
    st.Page("views/zelfscan.py", title="Zelfscan", icon=":material/domain_add:"),
    st.Page("views/voortgang.py", title="Voortgang", icon=":material/timeline:"),
    st.Page("views/bronnen.py", title="Bronnen", icon=":material/menu_book:"),
]
DATA_ATTRIBUTIONS = [
    "Gemeentegrenzen en kerncijfers: CBS/PDOK (CC BY 4.0)",
    "Plancapaciteit 2020: EIB, via followthemoney/plancapaciteit (onderzoeksgebruik)",
    "Plancapaciteit per gemeente 2021: Data Bewijst",
]

if "gebruiker" not in st.session_state:
    st.session_state["gebruiker"] = ""

page = st.navigation(PAGES)

with st.sidebar:
    st.text_input("Uw naam (voor besluiten en antwoorden)", key="gebruiker")
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

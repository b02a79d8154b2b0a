"""Bronnen: every layer's source, live/snapshot/cache, date, licence and known gaps."""

from __future__ import annotations

import streamlit as st

import cached
from locatiescan.errors import LocatiescanError
from locatiescan.ui import sources
from locatiescan.ui.themes import theme_layer_lines

st.title("Bronnen")
st.caption(
    "Waar de kaartlagen vandaan komen, hoe actueel ze zijn en wat er ontbreekt. "
    "Zonder internet gebruikt de screening de gedateerde offline snapshots."
)

try:
    catalog = cached.catalog()
    locations = cached.all_locations()
    with st.spinner("Bronnen controleren…"):
        provenance = cached.screening(cached.frame_key(locations), locations).provenance
except LocatiescanError as err:
    cached.show_error(err)
    st.stop()

own_layers = theme_layer_lines(cached.theme_layers())
if own_layers:
    st.info(
        "In deze sessie gebruikt de screening eigen themalagen (water & bodem):\n"
        + "\n".join(f"- {line}" for line in own_layers)
    )

st.dataframe(
    sources.sources_table(catalog, provenance),
    hide_index=True,
    width="stretch",
    key="bronnen_tabel",
)

st.subheader("Bekende hiaten")
for layer in catalog.values():
    if layer.hiaten:
        st.markdown(f"**{layer.titel}**\n" + "\n".join(f"- {gap}" for gap in layer.hiaten))

st.subheader("Per laag")
for layer_id, layer in catalog.items():
    with st.expander(f"{layer.titel} ({layer_id})"):
        for warning in sources.warnings_of(layer, provenance):
            st.warning(warning)
        if layer.bronnen:
            st.markdown("**Online bronnen (in volgorde van voorkeur)**")
            for source in layer.bronnen:
                st.markdown(f"- {sources.source_text(source)}")
        if layer.snapshot:
            date = f", peildatum {layer.snapshot.peildatum}" if layer.snapshot.peildatum else ""
            st.markdown(f"**Offline snapshot**{date}: {sources.source_text(layer.snapshot)}")
        if layer.invoer:
            st.markdown("**Afgeleid uit**: " + ", ".join(catalog[i].titel for i in layer.invoer))
        st.caption(f"Licentie: {layer.licentie} — Attributie: {layer.attributie}")

"""Bronnen: every layer's sources and snapshots (with dates and coverage), what the screening
used, licences, known gaps and a small coverage map."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import streamlit as st

import cached
from locatiescan.errors import LocatiescanError
from locatiescan.paths import data_file
from locatiescan.ui import sources
from locatiescan.ui.labels import markdown_literal
from locatiescan.ui.themes import theme_layer_lines

PROVINCES_FILE = "cbs/provincies_2022_from_gemeenten.geojson"


@st.cache_data(show_spinner=False)
def coverage_image(layer_id: str, root: Path) -> bytes | None:
    """The small coverage map of a layer (None: the whole country)."""
    provinces = gpd.read_file(data_file(PROVINCES_FILE, root)).to_crs("EPSG:28992")
    return sources.coverage_png(cached.catalog()[layer_id], provinces)


st.title("Bronnen")
st.caption(
    "Waar de kaartlagen vandaan komen, hoe actueel ze zijn, voor welk gebied ze gelden en wat "
    "er ontbreekt. Zonder internet gebruikt de screening de gedateerde offline snapshots."
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
        + "\n".join(f"- {markdown_literal(line)}" for line in own_layers)
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
    with st.expander(layer.titel):
        for warning in sources.warnings_of(layer, provenance):
            st.warning(warning)
        text_col, map_col = st.columns([3, 1])
        with text_col:
            if layer.bronnen:
                st.markdown("**Online bronnen (in volgorde van voorkeur)**")
                for source in layer.bronnen:
                    st.markdown(f"- {sources.source_text(source)}")
            if layer.snapshots():
                st.markdown("**Offline snapshots**")
                st.dataframe(sources.snapshots_table(layer), hide_index=True, width="stretch")
            if layer.invoer:
                st.markdown(
                    "**Afgeleid uit**: " + ", ".join(catalog[i].titel for i in layer.invoer)
                )
            st.caption(f"Licentie: {layer.licentie} — Attributie: {layer.attributie}")
        with map_col:
            image = coverage_image(layer_id, cached.data_root()) if layer.snapshots() else None
            if image is not None:
                st.image(image, caption="Gebied met gegevens")
            else:
                st.caption("Dekking: heel Nederland")

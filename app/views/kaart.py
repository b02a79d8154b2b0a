"""Kaart (provinciale planner): locations by type over the overlay layers, filters, colouring,
details of a clicked or searched location (zoomed to and highlighted), a drawn polygon screened
on the spot, the user's own location files and water & bodem theme layers, and the table and
exports of exactly the locations shown.

Filters and the selected location live in the URL (widgets bound to query parameters), so a
copied link reopens the same view."""

from __future__ import annotations

import streamlit as st
from streamlit_folium import st_folium

import cached
import kansenlaag_control
import outline_editor
import own_data
from locatiescan import export, present, sitemetrics  # export loads on a download
from locatiescan.errors import LocatiescanError
from locatiescan.sitemetrics import CONTEXT_LABEL
from locatiescan.sites import woningen_totaal
from locatiescan.ui import details, filters, labels, mapview, metrics, overlays, tables
from locatiescan.ui.locations import drawn_location, option_label, selection_from_link
from locatiescan.ui.themes import theme_layer_lines

MAP_KEY = "kaart_map"
START_VIEW_KEY = "kaart_startbeeld"
NOTICE_KEY = "kaart_melding"
MAP_HEIGHT = 620
RETURNED = ["last_object_clicked", "last_active_drawing"]
COLOUR_BY_TYPE = "Type locatie"
COLOUR_BY_SCORE = "Totaalscore (gekozen model)"
SCORE_BINS = [0.0, 40.0, 55.0, 70.0]
SCORE_PALETTE = ["#d7191c", "#fdae61", "#a6d96a", "#1a9641"]

SELECTION_KEY = "locatie"  # also the query parameter
TABLE_KEY = "tabel"  # the table is open (also the query parameter)
EXPORT_NAME = "kaart_locaties"

st.session_state.setdefault("kaart_klik", None)

st.title("Kaart")
st.caption(
    "Locaties met hun beperkingen uit de kaartlagen (natuur, stroomnet, water en bodem; zie "
    "Bronnen). "
    "Klik een locatie voor de details of teken een nieuwe locatie om die meteen te screenen."
)
cached.show_notice(NOTICE_KEY)

try:
    locations = cached.all_locations()
    catalog = cached.catalog()
    with st.spinner("Locaties screenen…"):
        screening = cached.screening(cached.frame_key(locations), locations)
except LocatiescanError as err:
    cached.show_error(err)
    st.stop()
table = screening.table

upload_col, theme_col = st.columns(2, gap="medium")
with upload_col.expander("Eigen locaties toevoegen"):
    own_data.location_upload("kaart", NOTICE_KEY, "Toevoegen aan de kaart")
with theme_col.expander("Eigen themalaag (water & bodem)"):
    own_data.theme_layer_upload("kaart", NOTICE_KEY, locations)

filter_col, map_col = st.columns([1, 3], gap="medium")
with filter_col:
    st.subheader("Filters")
    types = st.multiselect(
        "Programma",
        filters.programmes_of(locations),
        format_func=labels.type_label,
        key="typen",
        bind="query-params",
        placeholder="Alle programma's",
    )
    provincies = st.multiselect(
        "Provincie",
        filters.provinces_of(locations),
        key="provincies",
        bind="query-params",
        placeholder="Alle provincies",
    )
    min_woningen = st.number_input(
        "Woningen ≥", min_value=0, value=0, step=100, key="min_woningen", bind="query-params"
    )
    conditions = [
        filter_id
        for filter_id, item in filters.catalog_filters(catalog).items()
        if st.checkbox(item.label[:1].upper() + item.label[1:], key=filter_id, bind="query-params")
    ]

    st.subheader("Weergave")
    colour_columns = metrics.colour_options(catalog)
    colour_options = [COLOUR_BY_TYPE, COLOUR_BY_SCORE] + [
        label for label, column in colour_columns.items() if column in table.columns
    ]
    colour_by = st.selectbox(
        "Kleur locaties naar", colour_options, key="kleur", bind="query-params"
    )
    choices = cached.model_choices()
    model_key = st.selectbox(
        "Scoremodel (voor scores in de details)",
        list(choices),
        format_func=lambda k: choices[k].label,
        key="model",
        bind="query-params",
    )
    chosen_overlays = st.multiselect(
        "Kaartlagen",
        overlays.overlay_choices(catalog),
        default=overlays.default_overlays(catalog),
        format_func=lambda lid: catalog[lid].titel,
        key="lagen",
        bind="query-params",
        placeholder="Geen kaartlagen",
    )
    kansen_image = kansenlaag_control.control(choices[model_key])
    show_eib = st.checkbox("Toon plancapaciteit 2020 (EIB)", key="eib", bind="query-params")

spec = filters.LocationFilter(
    types=tuple(types),
    provincies=tuple(provincies),
    min_woningen=int(min_woningen) if min_woningen else None,
    voorwaarden=tuple(conditions),
)
result = filters.apply_filter(locations, table, spec, catalog)
shown = locations[locations["id"].isin(result.ids)]

scores = None
try:
    with st.spinner("Scores berekenen…"):
        scores = cached.scores(model_key, locations, screening)
except LocatiescanError as err:
    cached.show_error(err)

if colour_by == COLOUR_BY_SCORE and scores is not None:
    colouring = mapview.colour_by_number(
        scores.table["totaal"], SCORE_BINS, SCORE_PALETTE, "Totaalscore"
    )
elif colour_by in colour_columns and colour_columns[colour_by] in table.columns:
    column = colour_columns[colour_by]
    bins = metrics.colour_bins(column, catalog)
    if bins is not None:
        colouring = mapview.colour_by_number(table[column], *bins[:2], colour_by, bins[2])
    else:
        classes = labels.legend_classes(column, catalog)
        colouring = mapview.colour_by_classes(table[column], classes, colour_by)
else:
    colouring = mapview.colour_by_type(shown)

extra = metrics.popup_metrics(table, catalog)
extra.columns = [metrics.metric_label(c, catalog) for c in extra.columns]
withheld = extra.index.isin(list(screening.niet_bepaald))
extra.loc[withheld] = sitemetrics.NIET_BEPAALD_REDEN
if scores is not None:
    extra["Totaalscore"] = [present.total_text(r) for r in scores.table.to_dict("records")]
    extra["Klasse"] = scores.table["klasse"].map(present.text)
popup = mapview.popup_table(shown, extra)

map_overlays = []
try:
    map_overlays = [cached.overlay(lid) for lid in chosen_overlays]
    if show_eib:
        map_overlays.insert(0, cached.eib_overlay())
except LocatiescanError as err:
    cached.show_error(err)

names = dict(zip(shown["id"].astype(str), shown["naam"]))
if SELECTION_KEY not in st.session_state:  # first run: a shared link names the location
    st.session_state[SELECTION_KEY] = selection_from_link(st.query_params.get(SELECTION_KEY), names)
if st.session_state.get(SELECTION_KEY) not in names:
    st.session_state[SELECTION_KEY] = None
selected = st.session_state[SELECTION_KEY]
shown_key = cached.frame_key(shown)
display = cached.locations_display(shown_key, shown)
view = mapview.selection_view(display, selected, MAP_HEIGHT)
# The first run's view opens the map (a shared link's location); later selections move the map
# without redrawing it (streamlit-folium applies centre and zoom only to a drawn map). Another
# set of shown locations redraws the map on all of them.
if START_VIEW_KEY not in st.session_state:
    st.session_state[START_VIEW_KEY] = (shown_key, view)
start_key, start_view = st.session_state[START_VIEW_KEY]

with map_col:
    if result.unknown:
        dropped = "; ".join(f"{label}: {len(ids)}" for label, ids in result.unknown.items())
        st.warning(f"Weggelaten omdat gegevens ontbreken (onbekend) — {dropped}")
    st.caption(f"{len(shown)} van {len(locations)} locaties getoond")
    own_layers = theme_layer_lines(cached.theme_layers())
    if own_layers:
        st.caption(
            labels.markdown_literal("Screening met eigen themalaag — " + "; ".join(own_layers))
        )
    fmap = mapview.build_map(
        display,
        popup,
        colouring,
        overlays=map_overlays,
        basemap=cached.basemap(),
        draw=True,
        height_px=MAP_HEIGHT,
        image=kansen_image,
        start=start_view if start_key == shown_key else None,
    )
    state = st_folium(
        fmap,
        key=MAP_KEY,
        height=MAP_HEIGHT,
        use_container_width=True,
        returned_objects=RETURNED,
        render=False,  # it renders the map's parts itself; a whole-figure render is discarded
        feature_group_to_add=mapview.selection_layer(display, selected),
        center=view[0] if view else None,
        zoom=view[1] if view else None,
    )

clicked = (state or {}).get("last_object_clicked")
if clicked and clicked != st.session_state["kaart_klik"]:
    st.session_state["kaart_klik"] = clicked
    hit = mapview.location_at(shown, clicked["lat"], clicked["lng"])
    if hit is not None and hit != selected:
        st.session_state[SELECTION_KEY] = hit
        st.rerun()  # draw the highlight and zoom to it

st.subheader("Locatie")
selected = st.selectbox(
    "Kies een locatie (of klik erop op de kaart)",
    list(names),
    index=None,
    format_func=lambda i: option_label(i, names[i]),
    key=SELECTION_KEY,
    bind="query-params",
    placeholder="Typ om te zoeken op naam of code",
)
if selected is not None:
    with st.container(key="kaart_details"):
        row = shown[shown["id"] == selected].iloc[0]
        warning = mapview.quality_warning(row["geometrie_kwaliteit"])
        if warning:
            st.warning(warning)
        info, values = st.columns([1, 2])
        with info:
            st.markdown(
                f"**{labels.markdown_literal(row['naam'])}** ({labels.markdown_literal(selected)})"
            )
            st.markdown("  \n".join(details.detail_lines(row)))
            if scores is not None and selected in scores.table.index:
                srow = scores.table.loc[selected].to_dict()
                st.metric("Totaalscore", present.total_text(srow))
                verdict = "" if present.is_missing(srow.get("oordeel")) else f" — {srow['oordeel']}"
                st.caption(
                    f"Klasse: {present.text(srow['klasse'])}{verdict}; "
                    f"rang {present.rank_text(srow)}"
                )
        with values:
            reason = screening.niet_bepaald.get(selected)
            if reason is None:
                st.dataframe(
                    metrics.metrics_table(table, selected, catalog),
                    hide_index=True,
                    width="stretch",
                )
            else:
                st.info(f"Locatiematen {reason}.")
                if selected in screening.gemeente_context.index:
                    st.caption(f"De gemeente als geheel ({CONTEXT_LABEL}):")
                    st.dataframe(
                        metrics.metrics_table(screening.gemeente_context, selected, catalog).rename(
                            columns={"Waarde": "Hele gemeente"}
                        ),
                        hide_index=True,
                        width="stretch",
                        key="kaart_gemeente_context",
                    )
        outline_editor.show(row, (state or {}).get("last_active_drawing"))

drawing = (state or {}).get("last_active_drawing")
polygon = mapview.drawn_polygon(drawing)
if polygon is not None:
    st.subheader("Getekende locatie")
    name = st.text_input("Naam", value="Getekende locatie", key="kaart_teken_naam")
    woningen = st.number_input(
        "Aantal woningen (optioneel)", min_value=0, value=0, step=10, key="kaart_teken_woningen"
    )
    drawn = drawn_location(polygon, name, int(woningen) or None, cached.gemeenten())
    try:
        with st.spinner("Getekende locatie screenen…"):
            drawn_screening = cached.screening(cached.frame_key(drawn), drawn)
    except LocatiescanError as err:
        cached.show_error(err)
    else:
        st.caption(f"Oppervlakte: {present.nl_number(drawn['area_ha'].iloc[0], 1, 'ha')}")
        st.dataframe(
            metrics.metrics_table(drawn_screening.table, drawn["id"].iloc[0], catalog),
            hide_index=True,
            width="stretch",
        )
        if st.button(
            "Opslaan als eigen locatie", key="kaart_teken_opslaan"
        ) and own_data.store_locations(
            drawn.drop(columns=["id"]), "getekend op de kaart", NOTICE_KEY
        ):
            st.rerun()

st.subheader("Tabel")
st.caption(
    f"De {len(shown)} getoonde locaties met hun screening; de downloads bevatten precies deze "
    "locaties."
)
st.caption(f"Woningen van de getoonde locaties: {woningen_totaal(shown).text()}")
# The table opens on request: drawing its grid in the browser competes with the map's first
# paint (about 0.4 s), and the downloads below do not need it.
if st.toggle(
    "Tabel tonen",
    key=TABLE_KEY,
    bind="query-params",
    help="De tabel opent op verzoek, zodat de kaart sneller verschijnt.",
):
    kaart_rows = tables.kaart_table(
        shown,
        table,
        catalog,
        scores.table if scores is not None else None,
        screening.niet_bepaald,
    )
    st.dataframe(
        tables.dutch_text(kaart_rows.reset_index().rename(columns={"id": "Code"})),
        hide_index=True,
        width="stretch",
        key="kaart_tabel",
    )
score_table = scores.table.reindex(shown["id"].astype(str)) if scores is not None else None
xlsx_col, gpkg_col, geojson_col = st.columns(3)
xlsx_col.download_button(
    "Tabel als Excel (XLSX)",
    data=lambda: export.ranking_xlsx(
        shown,
        score_table,
        scores.explanation if scores is not None else None,
        provenance=screening.provenance,
        model_name=scores.model.naam if scores is not None else None,
    ),
    file_name=f"{EXPORT_NAME}.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key="kaart_xlsx",
)
gpkg_col.download_button(
    "Locaties als GeoPackage",
    data=lambda: export.locations_gpkg(shown, score_table, provenance=screening.provenance),
    file_name=f"{EXPORT_NAME}.gpkg",
    mime="application/geopackage+sqlite3",
    key="kaart_gpkg",
)
geojson_col.download_button(
    "Locaties als GeoJSON",
    data=lambda: export.locations_geojson(shown, score_table, provenance=screening.provenance),
    file_name=f"{EXPORT_NAME}.geojson",
    mime="application/geo+json",
    key="kaart_geojson",
)

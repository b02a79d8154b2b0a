"""A layer is data: a catalog folder with a new layer reaches screening, knelpunten, the Kaart
legend, the popup and the XLSX without code; new metrics computed by hand on small polygons;
the new real sources checked at known places (Bleizo, Drenthe, Wadden coast, Almere, IJmeer)."""

from __future__ import annotations

import io

import geopandas as gpd
import numpy as np
import pytest
import yaml
from openpyxl import load_workbook
from shapely.geometry import Point, box

from locatiescan.export.xlsx import ranking_xlsx
from locatiescan.knelpunten import knelpunten_per_location
from locatiescan.layers.catalog import LayerDef, load_catalog
from locatiescan.overlay import run_metrics
from locatiescan.screening import screen_locations
from locatiescan.ui.filters import LocationFilter, apply_filter
from locatiescan.ui.metrics import metric_label, popup_metrics
from locatiescan.ui.overlays import layer_legend
from locatiescan.water_bodem import AreaLayer, WaterInputs, evaluate, load_rules

RD = "EPSG:28992"


def locs(**geoms) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"id": list(geoms)}, geometry=list(geoms.values()), crs=RD)


def test_a_new_layer_in_one_file_reaches_every_part(tmp_path):
    """Synthetic layer `synthetic_geluid` with its own theme: no Python change anywhere."""
    zones = gpd.GeoDataFrame({"zone": ["Zone 1"]}, geometry=[box(50, 0, 150, 100)], crs=RD)
    zones.to_file(tmp_path / "synthetic_geluid.geojson", driver="GeoJSON")
    (tmp_path / "_themas.yaml").write_text(yaml.safe_dump({"themas": {"geluid": "Geluid"}}))
    layer = {
        "id": "synthetic_geluid",
        "titel": "Geluidszones (synthetisch)",
        "kort": "geluidszone",
        "thema": "geluid",
        "licentie": "test",
        "attributie": "test",
        "snapshot": {
            "type": "file",
            "path": str(tmp_path / "synthetic_geluid.geojson"),
            "peildatum": "2026-01-01",
        },
        "velden": {"zone": "naam"},
        "metrics": [{"kind": "overlap", "name_field": "naam"}],
        "weergave": {"overlap_pct": {"label": "in geluidszone (%)", "popup": True}},
        "knelpunten": [
            {"als": {"overlap_ha": {"boven": 0}}, "tekst": "Ligt in geluidszone {names}"}
        ],
        "filters": [
            {
                "id": "buiten_geluid",
                "label": "buiten geluidszone",
                "metric": "overlap_pct",
                "als": {"max": 0},
            }
        ],
        "kaart": {"kleur": "#123456", "label": "Geluidszone"},
    }
    (tmp_path / "synthetic_geluid.yaml").write_text(yaml.safe_dump(layer, allow_unicode=True))
    catalog = load_catalog(tmp_path)

    # a: 1 ha, half inside the zone (x 50..100) -> 0.5 ha = 50 %; b lies 850 m away -> 0
    locations = locs(a=box(0, 0, 100, 100), b=box(1000, 0, 1100, 100))
    locations["naam"] = ["A", "B"]
    screening = screen_locations(locations, catalog=catalog, online=False)
    table = screening.table
    assert table.loc["a", "synthetic_geluid.overlap_ha"] == pytest.approx(0.5)
    assert table.loc["a", "synthetic_geluid.overlap_pct"] == pytest.approx(50.0)
    assert table.loc["b", "synthetic_geluid.overlap_pct"] == 0.0

    sentences = knelpunten_per_location(table, None, catalog)
    assert sentences == {"a": ["Ligt in geluidszone Zone 1"], "b": []}
    assert layer_legend(catalog["synthetic_geluid"]) == [("#123456", "Geluidszone")]
    popup = popup_metrics(table, catalog)
    assert popup.loc["a", "synthetic_geluid.overlap_pct"] == "50,0 %"
    assert metric_label("synthetic_geluid.overlap_pct", catalog).endswith("in geluidszone (%)")
    passed = apply_filter(locations, table, LocationFilter(buiten_geluid=True), catalog)
    assert passed.ids == ["b"]

    workbook = load_workbook(
        io.BytesIO(ranking_xlsx(locations, None, None, sentences, screening.provenance))
    )
    cells = [c.value for row in workbook["Rangorde"].iter_rows() for c in row]
    assert "Ligt in geluidszone Zone 1" in cells
    sources = [c.value for row in workbook["Bronnen"].iter_rows() for c in row]
    assert "synthetic_geluid" in sources


def test_unknown_theme_or_rule_input_column_is_a_startup_error(tmp_path):
    catalog_dir = tmp_path / "lagen"
    catalog_dir.mkdir()
    base = {"titel": "t", "licentie": "l", "attributie": "a"}
    (catalog_dir / "a.yaml").write_text(
        yaml.safe_dump(
            {**base, "id": "a", "thema": "geluid", "snapshot": {"type": "file", "path": "x.gpkg"}}
        )
    )
    from locatiescan.errors import ConfigError

    with pytest.raises(ConfigError, match="a.yaml: invalid layer definition: thema"):
        load_catalog(catalog_dir)


def _layer(**extra) -> LayerDef:
    return LayerDef.model_validate(
        {
            "id": "synthetic",
            "titel": "s",
            "thema": "netcongestie",
            "licentie": "l",
            "attributie": "a",
            "snapshot": {"type": "file", "path": "x.gpkg"},
            **extra,
        }
    )


def test_area_figures_prefer_the_polygon_else_the_worst_of_the_boxes():
    """Two bounding-box records overlap; a preferred polygon names A2 over the top half."""
    features = gpd.GeoDataFrame(
        {
            "snapshot": ["gebieden", "gebieden", "vg"],
            "area_id": ["A1", "A2", None],
            "naam": ["Gebied 1", "Gebied 2", None],
            "jaar": [2035, 2031, None],
            "mw": [3.0, 8.0, None],
            "vg_naam": [None, None, "a2"],
        },
        geometry=[box(0, 0, 200, 200), box(100, 0, 300, 200), box(100, 100, 200, 200)],
        crs=RD,
    )
    layer = _layer(
        aanvullingen=[
            {"id": "gebieden", "type": "file", "path": "y"},
            {"id": "vg", "type": "file", "path": "z"},
        ],
        metrics=[
            {
                "kind": "area_figures",
                "snapshots": ["gebieden"],
                "key": "area_id",
                "name_field": "naam",
                "preference": {"snapshots": ["vg"], "key": "vg_naam"},
                "figures": [
                    {"output": "jaar", "field": "jaar", "how": "max"},
                    {"output": "mw", "field": "mw", "how": "min"},
                ],
            }
        ],
    )
    out = run_metrics(
        locs(both=box(120, 10, 180, 80), pref=box(110, 110, 190, 190), one=box(10, 10, 80, 80)),
        layer,
        features,
    )
    # both: in A1 and A2, no polygon -> worst year max(2035, 2031), least MW min(3, 8)
    assert out.loc["both", ["synthetic.jaar", "synthetic.mw"]].tolist() == [2035.0, 3.0]
    assert out.loc["both", "synthetic.gebieden"] == "Gebied 1; Gebied 2"
    assert out.loc["both", "synthetic.gebied_keuze"].startswith("2 kandidaat-gebieden")
    # pref: the polygon (key "a2", case-insensitive) covers it fully -> only A2
    assert out.loc["pref", ["synthetic.jaar", "synthetic.mw"]].tolist() == [2031.0, 8.0]
    assert out.loc["pref", "synthetic.gebied_keuze"].startswith("voedingsgebied a2 (polygoon")
    # one: only A1's box
    assert out.loc["one", "synthetic.gebieden"] == "Gebied 1"


def test_stikstof_metrics_read_only_sensitive_areas_and_coverage_masks_outside():
    features = gpd.GeoDataFrame(
        {"naam": ["Gevoelig", "Niet"], "stikstofgevoelig": [True, False], "snapshot": "snapshot"},
        geometry=[box(0, 0, 100, 100), box(200, 0, 300, 100)],
        crs=RD,
    )
    layer = _layer(
        metrics=[
            {"kind": "overlap", "name_field": "naam"},
            {"kind": "overlap", "prefix": "stikstof_", "where": {"stikstofgevoelig": [True]}},
            {
                "kind": "distance",
                "prefix": "stikstof_",
                "radius_m": 1000,
                "where": {"stikstofgevoelig": [True]},
            },
        ]
    )
    out = run_metrics(locs(x=box(150, 0, 250, 100)), layer, features).loc["x"]
    # x (1 ha) shares x 200..250 with "Niet": 0.5 ha; none with the sensitive area, 50 m away
    assert out["synthetic.overlap_ha"] == pytest.approx(0.5)
    assert out["synthetic.stikstof_overlap_ha"] == 0.0
    assert out["synthetic.stikstof_distance_m"] == pytest.approx(50.0)

    covered = _layer(
        snapshot={
            "type": "file",
            "path": "x.gpkg",
            "dekking": {"path": "p", "beschrijving": "proefgebied"},
        },
        metrics=[{"kind": "overlap"}],
    )
    coverage = {(): (box(0, 0, 1000, 1000), 50.0)}
    out = run_metrics(
        locs(inside=box(150, 0, 250, 100), outside=box(5000, 0, 5100, 100)),
        covered,
        features,
        coverage,
    )
    assert out.loc["inside", "synthetic.overlap_ha"] == pytest.approx(0.5)  # inside: a real value
    assert out.loc["outside", "synthetic.overlap_ha"] is None  # outside: unknown, not 0
    assert out["synthetic.dekking_pct"].tolist() == [100.0, 0.0]


def test_open_water_is_never_a_and_soil_facts_need_coverage():
    rules = load_rules()
    land = gpd.GeoDataFrame(geometry=[box(0, 0, 100, 100)], crs=RD)
    soil = gpd.GeoDataFrame(
        {"klasse": ["Sterk bodemdalingsgevoelig"], "snapshot": ["snapshot"]},
        geometry=[box(0, 0, 60, 100)],
        crs=RD,
    )
    inputs = WaterInputs(
        land=land,
        vlakken={"bodemdaling_zh": AreaLayer(soil, box(-10, -10, 500, 500), 50.0)},
    )
    result = evaluate(
        locs(
            land=box(0, 0, 100, 100),  # on land: 60 % strongly subsiding -> C (rule: >= 50 %)
            half=box(50, 0, 150, 100),  # x 100..150 outside land = 50 % -> D (threshold 50)
            water=box(300, 0, 400, 100),  # all outside land -> D
            away=box(2000, 0, 2100, 100),  # outside the soil coverage -> bodemdaling unknown
        ),
        rules,
        inputs,
    )
    assert result["buiten_land_pct"].tolist() == [0.0, 50.0, 100.0, 100.0]
    assert result["waterveiligheid"].tolist() == [None, "D", "D", "D"]
    assert result.loc["water", "waterveiligheid_reden"].startswith(
        "D: nee: open water / buitendijks (100% van de locatie"
    )
    assert result.loc["land", "bodemdaling"] == "C"
    assert "60% sterk bodemdalingsgevoelig" in result.loc["land", "bodemdaling_reden"]
    # half: x 50..60 strongly subsiding = 10 % of 1 ha -> no C (< 50 %) and no other ZH fact
    assert result.loc["away", "bodemdaling"] is None
    assert result.loc["away", "bodemdaling_reden"].startswith("onbekend: geen bron voor dit gebied")
    assert result.loc["water", "klasse"] == "D"


@pytest.fixture(scope="module")
def places():
    """300 m circles at known places (WGS84 centres)."""
    centres = {
        "bleizo": (4.5295, 52.0268),  # Lansingerland, Zuid-Holland
        "drenthe": (6.56, 52.99),  # Assen
        "wadden": (5.90, 53.39),  # Holwerd, over the sea dike into the Waddenzee
        "almere": (5.22, 52.37),
        "ijmeer": (5.10, 52.345),  # open water between Almere and IJburg
    }
    frame = gpd.GeoDataFrame(
        {"id": list(centres)}, geometry=[Point(*c) for c in centres.values()], crs="EPSG:4326"
    ).to_crs(RD)
    frame["geometry"] = frame.buffer(300)
    return screen_locations(frame, ["natura2000", "netcongestie", "water_bodem"], online=False)


def test_real_places(places):
    t = places.table
    # Zuid-Holland: bodemdaling and drinkwater known, with their source in the reason
    assert t.loc["bleizo", "water_bodem.bodemdaling"] in {"A", "B", "C", "D"}
    assert "PZH gebiedsviewer" in t.loc["bleizo", "water_bodem.bodemdaling_reden"]
    assert t.loc["bleizo", "water_bodem.drinkwater"] == "A"
    assert "PZH gebiedsviewer" in t.loc["bleizo", "water_bodem.drinkwater_reden"]
    # Drenthe: no source for this area
    for theme in ("bodemdaling", "drinkwater"):
        assert t.loc["drenthe", f"water_bodem.{theme}"] is None
        reason = t.loc["drenthe", f"water_bodem.{theme}_reden"]
        assert reason.startswith("onbekend: geen bron voor dit gebied")
    # Wadden coast: overlaps the Waddenzee of the 2013 fill, labelled so
    assert "Waddenzee (begrenzing 2013)" in t.loc["wadden", "natura2000.names"]
    assert t.loc["wadden", "natura2000.overlap_ha"] > 0
    # Almere: candidates OS 'S-GRAVELAND (2029), OS ALMERE (2030), OS DRONTEN (no year) -> 2030
    assert t.loc["almere", "netcongestie.jaar_opgelost_afname"] == 2030
    assert "OS ALMERE 10-1i" in t.loc["almere", "netcongestie.gebieden"]
    assert "kandidaat-gebieden" in t.loc["almere", "netcongestie.gebied_keuze"]
    # IJmeer: open water -> D with the reason in Dutch, never A
    assert t.loc["ijmeer", "water_bodem.klasse"] == "D"
    assert "open water" in t.loc["ijmeer", "water_bodem.waterveiligheid_reden"]
    assert not np.isnan(t.loc["ijmeer", "water_bodem.buiten_land_pct"])

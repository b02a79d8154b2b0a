"""Water & bodem rule set: validation, each rule on hand-built geometry, real-data sanity checks."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import rasterio
import yaml
from rasterio.transform import from_origin
from shapely.geometry import LineString, Point, box

from locatiescan.errors import ConfigError
from locatiescan.layers.fetch import get_layer
from locatiescan.overlay import read_raster_window
from locatiescan.water_bodem import (
    RULES_FILE,
    WaterInputs,
    compute_facts,
    evaluate,
    load_rules,
)

RD = "EPSG:28992"


@pytest.fixture(scope="module")
def rules():
    return load_rules()


def locs(**geoms: object) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"id": list(geoms)}, geometry=list(geoms.values()), crs=RD)


# A synthetic world (metres, RD):
#   defence "1-1" along y = 0 (x 0..10 km), ondergrens 1/1000; "2-1" along y = 30 km, 1/10000
#   ring "1" = x 0..10 km, y 0..14 km; ring "2" = y 16..30 km;
#   Limburg ring "60" = x 20..22 km, y 0..2 km
#   LIWO buitendijks point at (5000, −3000); regional breach point at (5000, 25000)
SYNTHETIC = WaterInputs(
    keringen=gpd.GeoDataFrame(
        {"traject_id": ["1-1", "2-1"], "norm_og": [1000, 10000]},
        geometry=[LineString([(0, 0), (10000, 0)]), LineString([(0, 30000), (10000, 30000)])],
        crs=RD,
    ),
    dijkringen=gpd.GeoDataFrame(
        {"dijkring_nr": ["1", "2", "60"]},
        geometry=[box(0, 0, 10000, 14000), box(0, 16000, 10000, 30000), box(20000, 0, 22000, 2000)],
        crs=RD,
    ),
    doorbraakpunten=gpd.GeoDataFrame(
        {
            "code": ["BUIT", "REG", "PRIM"],
            "naam": ["synthetic buit", "synthetic reg", "synthetic prim"],
        },
        geometry=[Point(5000, -3000), Point(5000, 25000), Point(0, 14000)],
        crs=RD,
    ),
    land=gpd.GeoDataFrame(geometry=[box(-50000, -50000, 50000, 50000)], crs=RD),  # all land
)


@pytest.mark.parametrize(
    ("geometry", "expected", "reason_part"),
    [
        # fully within 100 m of defence 1-1 (y 10..60): zone 100 % → C (also weak-norm B)
        (box(4950, 10, 5050, 60), "C", "100% binnen 100 m van primaire kering 1-1"),
        # y 29700..29950 in ring 2: 50 of 250 m within 100 m of 2-1 (20 %) → B; strong norm → A
        (box(4950, 29700, 5050, 29950), "B", "deels binnen 100 m van primaire kering 2-1"),
        # ring 1, nearest defence 1-1 at 5 km with 1/1000 → B
        (box(4950, 5000, 5050, 5100), "B", "ondergrens 1/1000 per jaar"),
        # ring 2, nearest defence 2-1 at 9.9 km (1-1 is 20 km away) with 1/10000 → A
        (box(4950, 20000, 5050, 20100), "A", "normtraject 2-1 heeft ondergrens 1/10000"),
        # outside every ring, 400 m from the buitendijks point → D
        (box(4950, -2500, 5050, -2400), "D", "vermoedelijk buitendijks"),
        # outside every ring, far from everything → A (high ground, not buitendijks)
        (box(40000, 40000, 40100, 40100), "A", "vermoedelijk hoge grond"),
        # Limburg Maas ring 60 → B
        (box(20500, 500, 20600, 600), "B", "Maaskaden-ring 60"),
        # ring 2 with a strong norm (A) but 200 m from a regional breach point → B
        (box(4950, 24700, 5050, 24800), "B", "regionale kering (200 m)"),
    ],
)
def test_waterveiligheid_rules(rules, geometry, expected, reason_part):
    result = evaluate(locs(x=geometry), rules, SYNTHETIC)
    row = result.loc["x"]
    assert row["waterveiligheid"] == expected
    assert reason_part in row["waterveiligheid_reden"]
    assert row["waterveiligheid_reden"].startswith(f"{expected}: ")
    assert row["waterveiligheid_reden"].endswith("indicatief (offline benadering)")
    # only waterveiligheid has offline inputs: the overall class is that one, and incomplete
    assert row["klasse"] == expected
    assert not row["klasse_volledig"]
    assert row["onbekende_themas"] == "wateroverlast; bodemdaling; drinkwater"


def test_facts_and_outputs_for_one_location(rules):
    result = evaluate(locs(x=box(4950, 5000, 5050, 5100)), rules, SYNTHETIC)
    assert list(result.columns) == rules.uitvoer
    row = result.loc["x"]
    assert row["afstand_kering_m"] == pytest.approx(5000.0)
    assert (row["traject"], row["norm_og"], row["dijkring"]) == ("1-1", 1000, "1")
    assert row["binnen_dijkring_pct"] == pytest.approx(100.0)
    assert row["oordeel"] == "ja, mits"
    assert row["methode"] == "indicatief (offline benadering)"
    for theme in ("wateroverlast", "bodemdaling", "drinkwater"):
        assert row[theme] is None
        assert row[f"{theme}_reden"].startswith("onbekend: geen bron voor dit gebied")


def test_distances_beyond_radius_are_known_far_not_unknown(rules):
    facts = compute_facts(locs(far=box(40000, 40000, 40100, 40100)), rules, SYNTHETIC)
    assert facts.loc["far", "afstand_buitendijks_punt_m"] == np.inf
    out = evaluate(locs(far=box(40000, 40000, 40100, 40100)), rules, SYNTHETIC).loc["far"]
    assert np.isnan(out["afstand_kering_m"])  # output: empty = farther than the search radius
    assert out["traject"] is None


def test_no_inputs_means_unknown_never_a_class(rules):
    row = evaluate(locs(x=box(0, 0, 100, 100)), rules, WaterInputs()).loc["x"]
    assert row["waterveiligheid"] is None
    assert row["waterveiligheid_reden"] == rules.thema["waterveiligheid"].zonder_bron
    assert row["klasse"] is None and row["oordeel"] is None
    assert row["onbekende_themas"] == "waterveiligheid; wateroverlast; bodemdaling; drinkwater"


def synthetic_raster(path: Path, values: np.ndarray, origin=(0.0, 1000.0), pixel=100.0) -> Path:
    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        width=values.shape[1],
        height=values.shape[0],
        count=1,
        dtype="float32",
        crs=RD,
        transform=from_origin(*origin, pixel, pixel),
        nodata=-9999,
    ) as dst:
        dst.write(values.astype("float32"), 1)
    return path


def test_theme_layers_from_the_user(rules, tmp_path):
    # bodemdaling (cm): columns of 10 / 45 / 70 cm, 100 m pixels over x 0..300, y 0..1000
    subsidence = synthetic_raster(
        tmp_path / "synthetic_bodemdaling.tif", np.tile([10, 45, 70], (10, 1))
    )
    # drinkwater protection area over x 0..150
    drinking = gpd.GeoDataFrame(geometry=[box(0, 0, 150, 1000)], crs=RD)
    # wateroverlast with a WBS class per area
    flooding = gpd.GeoDataFrame(
        {"klasse": ["B", "D"]}, geometry=[box(0, 0, 200, 1000), box(200, 0, 300, 1000)], crs=RD
    )
    locations = locs(
        a=box(10, 5000, 90, 5090),  # synthetic ring 1 (B), outside the theme layers' extent
        low=box(10, 500, 90, 590),  # subsidence 10 → A; in the protection area → C; flooding B
        mid=box(110, 500, 190, 590),  # 45 → B; drinking overlap x 110..150 = 50 % → C; flooding B
        high=box(210, 500, 290, 590),  # 70 → C; drinking 0 % → A; flooding D
    )
    themes = {
        "bodemdaling": read_raster_window(subsidence),
        "drinkwater": drinking,
        "wateroverlast": flooding,
    }
    result = evaluate(locations, rules, SYNTHETIC, themes)
    assert result["bodemdaling"].tolist() == [None, "A", "B", "C"]
    assert "tot 45 cm" in result.loc["mid", "bodemdaling_reden"]
    assert result["drinkwater"].tolist() == ["A", "C", "C", "A"]
    assert result.loc["mid", "drinkwater_reden"].startswith("C: 50% in een grondwaterbeschermings")
    # "a" lies outside the flooding areas: known (0 % overlap) but no rule applies
    assert result["wateroverlast"].tolist() == [None, "B", "B", "D"]
    assert result.loc["a", "wateroverlast_reden"] == "geen regel van toepassing"
    # all four lie in synthetic ring 1, nearest defence 1-1 (1/1000) at 500 m or more → B
    assert result["waterveiligheid"].tolist() == ["B", "B", "B", "B"]
    assert result["klasse"].tolist() == ["B", "C", "C", "D"]
    assert result["klasse_volledig"].tolist() == [False, True, True, True]
    assert result.loc["low", "onbekende_themas"] == ""
    assert result.loc["a", "onbekende_themas"] == "wateroverlast; bodemdaling"
    assert result.loc["a", "bodemdaling_reden"].startswith("onbekend: geen bron voor dit gebied")
    assert result["methode"].iloc[0] == (
        "indicatief (offline benadering); eigen laag: bodemdaling, drinkwater, wateroverlast"
    )


@pytest.mark.parametrize(("depth", "expected"), [(0.3, "A"), (1.2, "B"), (2.5, "C")])
def test_flood_depth_raster_for_waterveiligheid(rules, tmp_path, depth, expected):
    path = synthetic_raster(
        tmp_path / "synthetic_waterdiepte.tif", np.full((10, 10), depth), origin=(40000, 41000)
    )
    location = locs(x=box(40000, 40500, 40100, 40600))  # high ground (A) in the offline rules
    row = evaluate(location, rules, SYNTHETIC, {"waterveiligheid": read_raster_window(path)}).loc[
        "x"
    ]
    assert row["waterveiligheid"] == expected
    assert f"{expected}: maximale waterdiepte {depth} m" in row["waterveiligheid_reden"]


def write_rules(tmp_path: Path, edit) -> Path:
    raw = yaml.safe_load(RULES_FILE.read_text(encoding="utf-8"))
    edit(raw)
    path = tmp_path / "synthetic_regels.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


def test_is_and_in_conditions(tmp_path):
    def edit(raw):
        raw["thema"]["drinkwater"]["regels"] = [
            {
                "id": "ring_is",
                "klasse": "D",
                "reden": "ring {dijkring}",
                "als": {"dijkring": {"is": "60"}},
            },
            {
                "id": "ring_in",
                "klasse": "B",
                "reden": "ring {dijkring}",
                "als": {"dijkring_nr": {"in": [1, 2]}},
            },
            {
                "id": "no_ring",
                "klasse": "A",
                "reden": "geen ring",
                "als": {"dijkring": {"bekend": False}},
            },
        ]

    rules = load_rules(write_rules(tmp_path, edit))
    locations = locs(
        limburg=box(20500, 500, 20600, 600),
        one=box(10, 5000, 90, 5090),
        none=box(40000, 40000, 40100, 40100),
    )
    result = evaluate(locations, rules, SYNTHETIC)
    assert result["drinkwater"].tolist() == ["D", "B", "A"]
    assert result.loc["limburg", "drinkwater_reden"].startswith("D: ring 60")


def test_shipped_rules_validate_and_cover_every_output(rules):
    # the outputs: the computed classes, each theme with its reason, and facts shown as is
    assert rules.uitvoer[:4] == ["klasse", "oordeel", "klasse_volledig", "onbekende_themas"]
    assert set(rules.uitvoer) <= rules.output_names()
    assert [c.code for c in rules.klassen] == ["A", "B", "C", "D"]
    assert [c.oordeel for c in rules.klassen] == ["ja", "ja, mits", "nee, tenzij", "nee"]
    assert rules.input_layers() == [
        "primaire_waterkeringen",
        "dijkringen",
        "liwo_doorbraaklocaties",
        "gemeenten",
        "bodem_zuid_holland",
        "drinkwater_zuid_holland",
        "overstromingsdiepte_zuid_holland",
        "water_zeeland",
    ]


def test_invalid_rules_report_every_problem_with_file_and_rule(tmp_path):
    def edit(raw):
        rules = raw["thema"]["waterveiligheid"]["regels"]
        rules[0]["als"]["hoogte_m"] = {"max": 1}  # unknown fact
        rules[1]["klasse"] = "E"  # not a class
        rules[2]["id"] = rules[3]["id"]  # duplicate id within the theme
        rules[4]["reden"] = "norm {onbekend_feit}"  # unknown placeholder
        rules[5]["klasse_uit"] = "norm_og"  # both klasse and klasse_uit, and not a *_klasse fact
        del raw["thema"]["drinkwater"]
        raw["uitvoer"] = [*raw["uitvoer"][1:], "extra"]

    with pytest.raises(ConfigError) as err:
        load_rules(write_rules(tmp_path, edit))
    text = str(err.value)
    assert text.startswith("synthetic_regels.yaml: invalid rule set")
    # field-level problems come first (pydantic stops before the cross-checks) ...
    assert "exactly one of klasse or klasse_uit" in text
    assert "ongeldige regelset" in err.value.nl


def test_invalid_rules_cross_checks_collected(tmp_path):
    def edit(raw):
        rules = raw["thema"]["waterveiligheid"]["regels"]
        rules[0]["als"]["hoogte_m"] = {"max": 1}
        rules[1]["klasse"] = "E"
        rules[2]["id"] = rules[3]["id"]
        rules[4]["reden"] = "norm {onbekend_feit}"
        rules[6]["reden"] = "kering op {afstand_kering_m:.2f} m ({norm_og!r})"  # formats
        raw["thema"]["bodemdaling"]["regels"][-1]["klasse_uit"] = "bodemdaling_max"
        del raw["thema"]["drinkwater"]
        raw["uitvoer"] = [*raw["uitvoer"][1:], "extra"]

    with pytest.raises(ConfigError) as err:
        load_rules(write_rules(tmp_path, edit))
    text = str(err.value)
    for part in (
        "uitvoer: missing klasse",
        # the removed theme's outputs are unknown too
        "uitvoer: unknown output(s) drinkwater, drinkwater_reden, extra",
        "thema: missing theme(s) drinkwater",
        # the first rules are open_water, open_water_zuid_holland, buitendijks_liwo, …
        "thema.waterveiligheid.regels.open_water: unknown fact 'hoogte_m'",
        "regels.open_water_zuid_holland: klasse 'E' not in klassen ['A', 'B', 'C', 'D']",
        "regels.beschermingszone_kering: duplicate rule id",
        "unknown fact 'onbekend_feit'",
        "klasse_uit must name a *_klasse fact, not 'bodemdaling_max'",
        "reden quotes {afstand_kering_m} with a format or conversion; write {afstand_kering_m}",
        "reden quotes {norm_og} with a format or conversion",
    ):
        assert part in text, part


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("uitvoer: [klasse\n", "cannot read rule set"),
        (
            (
                "thema: {waterveiligheid: {zonder_bron: x, "
                "regels: [{id: r, klasse: A, reden: x, als: {norm_og: {}}}]}}"
            ),
            "a condition needs at least one of",
        ),
        ("label: x", "Field required"),
    ],
)
def test_unreadable_or_incomplete_rules(tmp_path, content, message):
    path = tmp_path / "synthetic_regels.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_rules(path)
    with pytest.raises(ConfigError, match="cannot read rule set"):
        load_rules(tmp_path / "missing.yaml")


@pytest.fixture(scope="module")
def real_inputs():
    """The offline snapshots of the national input layers, via the fetch chain."""
    return WaterInputs(
        keringen=get_layer("primaire_waterkeringen", online=False).gdf,
        dijkringen=get_layer("dijkringen", online=False).gdf,
        doorbraakpunten=get_layer("liwo_doorbraaklocaties", online=False).gdf,
        land=get_layer("gemeenten", online=False).gdf,
    )


def test_real_data_sanity(rules, real_inputs):
    """SOURCES.md: Almere in ring 8, Kop van Zuid buitendijks, Amersfoort outside, high ground."""
    points = {
        "almere": (5.2147, 52.3508),
        "kop_van_zuid": (4.4925, 51.9065),
        "amersfoort": (5.3878, 52.1561),
        "venlo": (6.1720, 51.3704),
    }
    centres = gpd.GeoSeries(
        gpd.points_from_xy(*zip(*points.values(), strict=True)), crs="EPSG:4326"
    ).to_crs(RD)
    locations = gpd.GeoDataFrame(
        {"id": list(points)}, geometry=centres.buffer(50).to_numpy(), crs=RD
    )
    result = evaluate(locations, rules, real_inputs)
    almere, kop, amersfoort, venlo = (result.loc[k] for k in points)
    assert almere["dijkring"] == "8" and almere["binnen_dijkring_pct"] == pytest.approx(100.0)
    assert almere["traject"] == "8-1" and almere["norm_og"] == 10000
    assert almere["waterveiligheid"] == "A"
    assert kop["dijkring"] is None and kop["waterveiligheid"] == "D"
    assert "vermoedelijk buitendijks" in kop["waterveiligheid_reden"]
    assert amersfoort["dijkring"] is None
    assert amersfoort["waterveiligheid"] != "D"
    assert "hoge grond" in amersfoort["waterveiligheid_reden"]
    assert venlo["dijkring"] == "68" and venlo["waterveiligheid"] == "B"
    assert "Maaskaden-ring 68" in venlo["waterveiligheid_reden"]

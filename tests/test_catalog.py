"""The layer catalog: shipped files validate; bad files give a ConfigError naming file and field."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from locatiescan.errors import ConfigError
from locatiescan.layers.catalog import LayerDef, load_catalog, load_layer
from locatiescan.layers.providers import Provider, provider_class
from locatiescan.layers.providers.file import FileProvider, resolve_data_path
from locatiescan.paths import LAYERS_DIR

B_LAYERS = [
    "natura2000",
    "netcongestie",
    "gemeenten",
    "primaire_waterkeringen",
    "dijkringen",
    "liwo_doorbraaklocaties",
]

VALID = {
    "id": "proef",
    "titel": "Proeflaag",
    "thema": "natura2000",
    "licentie": "CC0",
    "attributie": "test",
    "snapshot": {"type": "file", "path": "natura2000/natura2000_nl_rd_simplified2m.gpkg"},
}


def write(tmp_path: Path, data: object, name: str = "proef.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_every_shipped_layer_file_validates() -> None:
    catalog = load_catalog()
    assert set(B_LAYERS) <= set(catalog)
    for layer_id in B_LAYERS:
        assert (LAYERS_DIR / f"{layer_id}.yaml").exists()
        assert catalog[layer_id].metric_names() is not None


@pytest.mark.parametrize("layer_id", B_LAYERS)
def test_snapshot_files_exist_below_the_data_root(layer_id: str) -> None:
    snapshot = load_catalog()[layer_id].snapshot
    assert snapshot is not None
    provider = FileProvider(snapshot)
    assert all(path.exists() for path in provider.paths())
    assert provider.snapshot_date() is not None


def test_natura2000_and_netcongestie_metrics_as_specified() -> None:
    catalog = load_catalog()
    # the first metrics keep their names (scoring presets read them); new ones follow
    assert catalog["natura2000"].metric_names()[:4] == [
        "overlap_ha",
        "overlap_pct",
        "names",
        "distance_m",
    ]
    assert "stikstof_distance_m" in catalog["natura2000"].metric_names()
    assert catalog["natura2000"].velden["naamN2K"] == "naam"
    assert catalog["natura2000"].velden["beschermin"] == "richtlijn"
    netcongestie = catalog["netcongestie"]
    assert netcongestie.metric_names()[:4] == [
        "afname_code",
        "afname_rnb",
        "afname_tennet",
        "opwek_code",
    ]
    assert {"jaar_opgelost_afname", "gebieden", "gebied_keuze"} <= set(netcongestie.metric_names())
    afname = netcongestie.metrics[0]
    assert afname.field == "color_code" and afname.order == [0, 1, 2, 3]
    assert afname.where == {"laag": ["rnb_afnamefgb", "tennet_afnamefgb"]}
    assert [k["waarde"] for k in netcongestie.kaart["klassen"]] == [0, 1, 2, 3, -1]
    assert netcongestie.snapshot.peildatum is None  # read from the file: 2026-08-21
    assert FileProvider(netcongestie.snapshot).snapshot_date() == "2026-08-21"


def test_water_inputs_have_at_most_a_distance_metric() -> None:
    catalog = load_catalog()
    for layer_id in ["primaire_waterkeringen", "dijkringen", "liwo_doorbraaklocaties"]:
        layer = catalog[layer_id]
        assert layer.thema == "water_bodem"
        assert all(m.kind == "distance" for m in layer.metrics)


def test_valid_minimal_layer(tmp_path: Path) -> None:
    layer = load_layer(write(tmp_path, VALID))
    assert isinstance(layer, LayerDef) and layer.id == "proef"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"titel": None}, "titel"),
        ({"thema": "verkeer"}, "thema"),
        ({"kleur": "rood"}, "kleur"),
        ({"bronnen": [{"type": "wfs", "url": "https://example.org/wfs"}]}, "bronnen.0"),
        ({"bronnen": [{"type": "bogus", "url": "https://example.org"}]}, "bronnen.0.type"),
        ({"snapshot": {"type": "raster", "path": ["a.tif", "b.tif"]}}, "snapshot"),
        ({"snapshot": {"type": "file"}}, "snapshot"),
        ({"metrics": [{"kind": "distance", "radius_m": -5}]}, "metrics.0.distance.radius_m"),
        ({"metrics": [{"kind": "overlap", "naam_veld": "naam"}]}, "metrics.0.overlap.naam_veld"),
        ({"snapshot": None}, "(top)"),
    ],
    ids=[
        "missing-titel",
        "bad-thema",
        "unknown-key",
        "wfs-without-typename",
        "bad-type",
        "raster-path-list",
        "file-without-path",
        "negative-radius",
        "unknown-metric-key",
        "no-source",
    ],
)
def test_invalid_layer_names_file_and_field(
    tmp_path: Path, change: dict[str, object], field: str
) -> None:
    data = {k: v for k, v in (VALID | change).items() if v is not None}
    with pytest.raises(ConfigError) as caught:
        load_layer(write(tmp_path, data))
    assert "proef.yaml" in caught.value.en and field in caught.value.en
    assert "proef.yaml" in caught.value.nl


def test_collects_every_problem_at_once(tmp_path: Path) -> None:
    data = VALID | {"thema": "verkeer", "metrics": [{"kind": "distance", "radius_m": 0}]}
    with pytest.raises(ConfigError) as caught:
        load_layer(write(tmp_path, data))
    assert "thema" in caught.value.en and "metrics.0" in caught.value.en


def test_unreadable_yaml(tmp_path: Path) -> None:
    path = tmp_path / "kapot.yaml"
    path.write_text("id: [unclosed\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_layer(path)
    assert "kapot.yaml" in caught.value.en


def test_duplicate_ids_and_unknown_inputs(tmp_path: Path) -> None:
    write(tmp_path, VALID, "a.yaml")
    write(tmp_path, VALID, "b.yaml")
    with pytest.raises(ConfigError, match="duplicate layer id 'proef'"):
        load_catalog(tmp_path)
    (tmp_path / "b.yaml").unlink()
    derived = {k: v for k, v in VALID.items() if k != "snapshot"} | {
        "id": "afgeleid",
        "invoer": ["ontbreekt"],
    }
    write(tmp_path, derived, "c.yaml")
    with pytest.raises(ConfigError, match="afgeleid -> ontbreekt"):
        load_catalog(tmp_path)


def test_dotted_provider_type_and_geojson_url_source(tmp_path: Path) -> None:
    data = VALID | {
        "bronnen": [
            {"type": "locatiescan.layers.providers.file.FileProvider", "path": "/tmp/x.geojson"},
            {"type": "file", "url": "https://example.org/data.geojson"},
        ]
    }
    layer = load_layer(write(tmp_path, data))
    assert provider_class(layer.bronnen[0].type) is FileProvider
    assert provider_class("file") is FileProvider


@pytest.mark.parametrize(
    "name", ["nosuch", "locatiescan.nosuch.Provider", "locatiescan.errors.ConfigError"]
)
def test_unknown_or_wrong_provider_class(name: str) -> None:
    with pytest.raises(ConfigError):
        provider_class(name)


def test_provider_registry_classes_subclass_provider() -> None:
    for name in ["wfs", "ogcapi", "file", "raster", "wcs"]:
        assert issubclass(provider_class(name), Provider)


def test_relative_paths_resolve_below_the_data_root(data_dir: Path) -> None:
    assert (
        resolve_data_path("cbs/gemeenten_2022.geojson") == data_dir / "cbs/gemeenten_2022.geojson"
    )
    assert resolve_data_path("/abs/file.gpkg") == Path("/abs/file.gpkg")

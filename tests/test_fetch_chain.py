"""The fetch chain online → cache → snapshot, with provenance, against real local servers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from locatiescan.errors import DataRootError, InputError, SourceError
from locatiescan.layers.cache import LayerCache
from locatiescan.layers.catalog import LayerDef, SourceDef
from locatiescan.layers.fetch import check_bbox, get_layer, layer_status, resolve_layer
from locatiescan.layers.providers import HttpOptions
from support_servers import (
    SYNTHETIC_ORIGIN,
    FixedAnswerServer,
    MapServer,
    serve,
    write_synthetic_raster,
)

QUICK = HttpOptions(timeout_s=20, retries=0)
SMALL_BBOX = (120000.0, 470000.0, 160000.0, 500000.0)  # 9 Natura 2000 areas intersect it
SNAPSHOT_NOTE = "offline snapshot van 2026-08-04 gebruikt"


def natura2000_with(*sources: SourceDef) -> LayerDef:
    """The shipped natura2000 layer with its online sources replaced by local ones."""
    return resolve_layer("natura2000").model_copy(update={"bronnen": list(sources)})


def wfs_source(url: str) -> SourceDef:
    return SourceDef(type="wfs", url=url, typename="natura2000", beschrijving="Test-WFS")


@pytest.fixture
def cache(tmp_path: Path) -> LayerCache:
    return LayerCache(tmp_path / "cache")


def test_offline_uses_snapshot_without_any_request(
    http500: FixedAnswerServer, http500_url: str, cache: LayerCache
) -> None:
    before = http500.hits
    data = get_layer(
        natura2000_with(wfs_source(http500_url)), online=False, cache=cache, http=QUICK
    )
    assert http500.hits == before
    assert data.provenance.kind == "snapshot"
    assert data.provenance.date == "2026-08-04"
    assert data.provenance.source.endswith("natura2000/natura2000_nl_rd_simplified2m.gpkg")
    assert (
        data.provenance.warnings[0]
        == f"Offline gewerkt, online bronnen niet geprobeerd; {SNAPSHOT_NOTE}"
    )
    assert any("Waddenzee" in w for w in data.provenance.warnings)  # the layer's known gaps
    # 160 areas of 2026 plus the 2013 fill of Waddenzee and Noordzeekustzone
    assert len(data.gdf) == 162 and data.gdf.crs.to_epsg() == 28992
    assert data.gdf["snapshot"].value_counts().to_dict() == {"snapshot": 160, "wadden_2013": 2}
    assert "naam" in data.gdf.columns and "naamN2K" not in data.gdf.columns  # velden applied


def test_unreachable_online_sources_fall_back_to_snapshot(
    closed_port_url: str, http500_url: str, cache: LayerCache
) -> None:
    ogcapi = SourceDef(
        type="ogcapi", url=http500_url, collection="natura2000", beschrijving="Test-OGC-API"
    )
    layer = natura2000_with(wfs_source(closed_port_url), ogcapi)
    data = get_layer(layer, SMALL_BBOX, online=True, cache=cache, http=QUICK)
    assert data.provenance.kind == "snapshot"
    warning = data.provenance.warnings[0]
    assert warning.startswith(
        "Test-WFS: niet bereikbaar (geen verbinding); Test-OGC-API: HTTP-fout 500"
    )
    assert warning.endswith(SNAPSHOT_NOTE)
    assert sorted(data.gdf["naam"]) == sorted(
        get_layer("natura2000", SMALL_BBOX, online=False, cache=cache).gdf["naam"]
    )
    assert len(data.gdf) == 9


def test_live_fetch_is_cached_and_used_offline(mapserver: MapServer, cache: LayerCache) -> None:
    layer = natura2000_with(wfs_source(mapserver.wfs_url))
    live = get_layer(layer, SMALL_BBOX, online=True, cache=cache, http=QUICK)
    assert live.provenance.kind == "live" and live.provenance.source == mapserver.wfs_url
    assert live.provenance.warnings == []
    assert len(live.gdf) == 9 and "naam" in live.gdf.columns
    [entry] = cache.entries("natura2000")
    assert entry.features == 9 and entry.bbox == SMALL_BBOX and entry.source == mapserver.wfs_url

    cached = get_layer(layer, SMALL_BBOX, online=False, cache=cache, http=QUICK)
    assert cached.provenance.kind == "cache"
    assert cached.provenance.date == entry.fetched_at
    assert cached.provenance.warnings == [
        f"Offline gewerkt, online bronnen niet geprobeerd; cache van {entry.fetched_at} gebruikt"
    ]
    assert sorted(cached.gdf["naam"]) == sorted(live.gdf["naam"])
    assert cached.gdf.crs.to_epsg() == 28992


def test_failing_source_uses_its_whole_layer_cache_clipped(
    closed_port_url: str, cache: LayerCache
) -> None:
    full = get_layer("natura2000", online=False, cache=cache).gdf.rename(
        columns={"naam": "naamN2K"}
    )
    cache.put("natura2000", closed_port_url, None, full, fetched_at="2026-09-01T10:00:00+00:00")
    data = get_layer(
        natura2000_with(wfs_source(closed_port_url)),
        SMALL_BBOX,
        online=True,
        cache=cache,
        http=QUICK,
    )
    assert data.provenance.kind == "cache"
    assert data.provenance.warnings == [
        "Test-WFS: niet bereikbaar (geen verbinding); cache van 2026-09-01T10:00:00+00:00 gebruikt"
    ]
    assert len(data.gdf) == 9


def test_explicit_url_and_typename(
    mapserver: MapServer, closed_port_url: str, cache: LayerCache
) -> None:
    data = get_layer(
        "natura2000",
        SMALL_BBOX,
        url=mapserver.wfs_url,
        typename="natura2000",
        online=True,
        cache=cache,
        http=QUICK,
    )
    assert data.provenance.kind == "live" and len(data.gdf) == 9
    assert "Eigen bron opgegeven" in data.provenance.warnings[0]
    with pytest.raises(SourceError) as caught:  # the asked-for service failed: no silent snapshot
        get_layer(
            "natura2000", url=closed_port_url, typename="x", online=True, cache=cache, http=QUICK
        )
    assert "geen enkele bron" in caught.value.nl


@pytest.mark.parametrize(
    "kwargs",
    [
        {"url": "http://127.0.0.1:1/wfs"},
        {"typename": "natura2000"},
        {"bbox": "1,2,3"},
        {"bbox": "5,0,1,10"},
        {"bbox": ["a", 1, 2, 3]},
        {"bbox": (0, 0, float("nan"), 1)},
    ],
    ids=["url-only", "typename-only", "three-numbers", "min-above-max", "text", "nan"],
)
def test_bad_arguments_are_input_errors(kwargs: dict[str, object], cache: LayerCache) -> None:
    with pytest.raises(InputError):
        get_layer("natura2000", online=False, cache=cache, **kwargs)


def test_unknown_and_derived_layers_are_input_errors(cache: LayerCache) -> None:
    with pytest.raises(InputError, match="unknown layer 'nosuch'"):
        get_layer("nosuch", online=False, cache=cache)
    derived = LayerDef(
        id="afgeleid",
        titel="A",
        thema="water_bodem",
        licentie="-",
        attributie="-",
        invoer=["dijkringen"],
    )
    with pytest.raises(InputError, match="derived"):
        get_layer(derived, online=False, cache=cache)


def test_check_bbox_accepts_text_and_sequences() -> None:
    assert check_bbox(" 1, 2,3 ,4") == (1.0, 2.0, 3.0, 4.0)
    assert check_bbox([1, 2, 3, 4]) == (1.0, 2.0, 3.0, 4.0)
    assert check_bbox(None) is None


def test_snapshot_copies_are_independent(cache: LayerCache) -> None:
    first = get_layer("netcongestie", online=False, cache=cache)
    first.gdf.loc[:, "color_code"] = 99
    second = get_layer("netcongestie", online=False, cache=cache)
    assert second.provenance.date == "2026-08-21"
    status = second.gdf[second.gdf["snapshot"] == "snapshot"]  # the status polygons
    assert set(status["color_code"]) == {-1, 0, 1, 2, 3}
    assert len(status) == 1431
    # plus the area figures (301 bounding boxes) and the 138 Zuid-Holland voedingsgebieden
    assert len(second.gdf) == 1431 + 301 + 138


def test_liwo_layer_reads_all_five_files_as_one(cache: LayerCache) -> None:
    data = get_layer(
        "liwo_doorbraaklocaties", online=True, cache=cache
    )  # no online source: no request
    counts = data.gdf["code"].value_counts().to_dict()
    assert counts == {"REG": 2750, "PRIM": 633, "REGWAT": 49, "STRESS": 37, "BUIT": 20}
    assert (
        data.provenance.warnings[0]
        == "Geen online bron ingesteld; offline snapshot van 2025-11-14 gebruikt"
    )


def test_raster_snapshot_and_wcs_cache(
    mapserver: MapServer, tmp_path: Path, cache: LayerCache
) -> None:
    tif = tmp_path / "synthetic.tif"
    write_synthetic_raster(tif)
    x0, y0 = SYNTHETIC_ORIGIN
    bbox = (x0, y0 - 300, x0 + 300, y0)
    layer = LayerDef(
        id="synthetic_raster",
        titel="Synthetisch raster",
        thema="water_bodem",
        licentie="-",
        attributie="-",
        bronnen=[
            SourceDef(
                type="wcs", url=mapserver.wcs_url, coverage="synthetic", beschrijving="Test-WCS"
            )
        ],
        snapshot=SourceDef(type="raster", path=str(tif), peildatum="2026-01-01"),
    )
    offline = get_layer(layer, bbox, online=False, cache=cache, http=QUICK)
    assert (
        offline.provenance.kind == "snapshot" and offline.raster_path == tif and offline.gdf.empty
    )
    live = get_layer(layer, bbox, online=True, cache=cache, http=QUICK)
    assert live.provenance.kind == "live"
    assert live.raster_path is not None and live.raster_path.parent == cache.directory
    again = get_layer(layer, bbox, online=False, cache=cache, http=QUICK)
    assert again.provenance.kind == "cache" and again.raster_path == live.raster_path


def test_layer_status_with_reachability(
    mapserver: MapServer, closed_port_url: str, cache: LayerCache
) -> None:
    layer = natura2000_with(wfs_source(mapserver.wfs_url), wfs_source(closed_port_url))
    status = layer_status(layer, check=True, cache=cache, http=QUICK)
    assert [s["bereikbaar"] for s in status["online"]] == [True, False]
    assert "niet bereikbaar" in status["online"][1]["fout"]
    assert status["snapshot"]["aanwezig"] and status["snapshot"]["peildatum"] == "2026-08-04"
    assert status["cache"] == []
    unchecked = layer_status("netcongestie", cache=cache)
    assert unchecked["online"][0]["bereikbaar"] is None  # no request without check
    assert unchecked["snapshot"]["peildatum"] == "2026-08-21"
    json.dumps(status)  # JSON-ready


def test_cache_ignores_incomplete_entries(cache: LayerCache) -> None:
    frame = get_layer("natura2000", SMALL_BBOX, online=False, cache=cache).gdf
    entry = cache.put("natura2000", "https://example.org/wfs", SMALL_BBOX, frame)
    (cache.directory / ".tmp-crashed.gpkg").write_bytes(b"half")
    (cache.directory / "orphan.json").write_text("{not json")
    assert [e.path for e in cache.entries()] == [entry.path]
    newer = cache.put("natura2000", "https://example.org/wfs", SMALL_BBOX, frame.iloc[:2])
    assert newer.path == entry.path and cache.entries()[0].features == 2
    entry.path.unlink()
    assert cache.get("natura2000", "https://example.org/wfs", SMALL_BBOX) is None


def test_geojson_url_source_is_live_with_its_own_peildatum(
    data_dir: Path, cache: LayerCache
) -> None:
    body = (data_dir / "netcongestie/capaciteitskaart_statusvlakken.geojson").read_bytes()
    running = serve(FixedAnswerServer(200, "application/geo+json", body))
    try:
        url = f"{running.url}/gebieden.json"
        layer = resolve_layer("netcongestie").model_copy(
            update={"bronnen": [SourceDef(type="file", url=url)]}
        )
        data = get_layer(layer, SMALL_BBOX, online=True, cache=cache, http=QUICK)
    finally:
        running.stop()
    snapshot = get_layer("netcongestie", SMALL_BBOX, online=False, cache=cache)
    assert data.provenance.kind == "live" and data.provenance.source == url
    assert data.provenance.date == "2026-08-21"  # the document's peildatum, not the fetch time
    assert len(data.gdf) == len(snapshot.gdf) > 0
    assert "netbeheerder" in data.gdf.columns
    # the cache holds what came online; the area figures are added as further snapshots
    online_rows = int((data.gdf["snapshot"] == "snapshot").sum())
    assert cache.entries("netcongestie")[0].features == online_rows < len(data.gdf)


def test_missing_snapshot_file_is_reported(tmp_path: Path, cache: LayerCache) -> None:
    snapshot = SourceDef(type="file", path=str(tmp_path / "weg.gpkg"), peildatum="2026-01-01")
    layer = resolve_layer("natura2000").model_copy(update={"bronnen": [], "snapshot": snapshot})
    with pytest.raises(DataRootError, match="weg.gpkg"):
        get_layer(layer, online=False, cache=cache)
    status = layer_status(layer, cache=cache)
    assert status["snapshot"]["aanwezig"] is False and "weg.gpkg" in status["snapshot"]["fout"]

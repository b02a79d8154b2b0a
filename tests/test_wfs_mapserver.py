"""The WFS provider against a real MapServer 8 WFS 2.0 on 127.0.0.1 (no mocked HTTP)."""

from __future__ import annotations

import time
from pathlib import Path

import geopandas as gpd
import pytest
import requests
from owslib.wfs import WebFeatureService
from shapely.geometry import box

from locatiescan.errors import (
    SourceError,
    SourceExceptionReport,
    SourceHTTPError,
    SourceParseError,
    SourceTimeoutError,
)
from locatiescan.layers.catalog import SourceDef
from locatiescan.layers.providers import Fetched, HttpOptions
from locatiescan.layers.providers._parse import RD, output_format, parse_features
from locatiescan.layers.providers.wfs import WFSProvider
from support_servers import NATURA2000, PAGE_CAP, MapServer

pytestmark = pytest.mark.mapserver

FAST = HttpOptions(timeout_s=30, retries=0)
PAGED_BBOX = (100000.0, 380000.0, 220000.0, 560000.0)  # 69 areas: more than one page
SMALL_BBOX = (120000.0, 470000.0, 160000.0, 500000.0)  # 9 areas intersect, 11 envelopes do


def wfs(url: str, typename: str = "natura2000", http: HttpOptions = FAST) -> WFSProvider:
    return WFSProvider(SourceDef(type="wfs", url=url, typename=typename), http=http)


@pytest.fixture(scope="module")
def snapshot(data_dir: Path) -> gpd.GeoDataFrame:
    return gpd.read_file(data_dir / NATURA2000)


@pytest.fixture(scope="module")
def everything(mapserver: MapServer) -> Fetched:
    return wfs(mapserver.wfs_url).fetch(None)


def test_server_caps_a_page_at_50(mapserver: MapServer) -> None:
    params = {
        "SERVICE": "WFS",
        "VERSION": "2.0.0",
        "REQUEST": "GetFeature",
        "TYPENAMES": "natura2000",
        "COUNT": "1000",
        "OUTPUTFORMAT": "geojson",
    }
    page = requests.get(mapserver.wfs_url, params=params, timeout=60).json()
    assert len(page["features"]) == PAGE_CAP  # so a single request cannot return all 160


def test_client_pages_until_all_160_features(
    everything: Fetched, snapshot: gpd.GeoDataFrame
) -> None:
    frame = everything.gdf
    assert len(snapshot) == 160
    assert len(frame) == 160
    assert sorted(frame["naamN2K"]) == sorted(snapshot["naamN2K"])
    assert frame["naamN2K"].is_unique


def test_attributes_and_geometry_equal_the_file(
    everything: Fetched, snapshot: gpd.GeoDataFrame
) -> None:
    served = everything.gdf.set_index("naamN2K").sort_index()
    original = snapshot.set_index("naamN2K").sort_index()
    assert served.crs.equals(RD)
    for column in ["nr", "richtlijn", "richtlijn_label", "status", "sitecode_HR", "wikidata"]:
        assert (
            served[column].fillna("").astype(str).tolist()
            == original[column].fillna("").astype(str).tolist()
        )
    assert served["area_ha"].tolist() == pytest.approx(original["area_ha"].tolist())
    assert served.area.tolist() == pytest.approx(original.area.tolist(), rel=1e-9)
    assert everything.source.endswith("wfs.map")


@pytest.mark.parametrize("bbox", [PAGED_BBOX, SMALL_BBOX], ids=["69-areas-paged", "9-areas"])
def test_bbox_subset_equals_geopandas_filter(
    mapserver: MapServer, snapshot: gpd.GeoDataFrame, bbox: tuple[float, float, float, float]
) -> None:
    expected = snapshot[snapshot.intersects(box(*bbox))]
    frame = wfs(mapserver.wfs_url).fetch(bbox).gdf
    assert 0 < len(expected) < len(snapshot)
    assert sorted(frame["naamN2K"]) == sorted(expected["naamN2K"])


def test_gml_only_server_pages_through_gml(
    mapserver: MapServer, snapshot: gpd.GeoDataFrame
) -> None:
    offered = WebFeatureService(mapserver.wfs_gml_url, version="2.0.0").getOperationByName(
        "GetFeature"
    )
    assert "gml" in output_format(offered.parameters)
    expected = snapshot[snapshot.intersects(box(*SMALL_BBOX))]
    frame = wfs(mapserver.wfs_gml_url).fetch(SMALL_BBOX).gdf  # 9 features, then an empty GML page
    assert frame.crs.equals(RD)
    assert sorted(frame["naamN2K"]) == sorted(expected["naamN2K"])
    assert (
        frame.set_index("naamN2K").sort_index()["nr"].tolist()
        == expected.set_index("naamN2K").sort_index()["nr"].tolist()
    )


def test_gml32_answer_parses_like_geojson(mapserver: MapServer, snapshot: gpd.GeoDataFrame) -> None:
    params = {
        "SERVICE": "WFS",
        "VERSION": "2.0.0",
        "REQUEST": "GetFeature",
        "TYPENAMES": "natura2000",
        "COUNT": "5",
        "SRSNAME": "urn:ogc:def:crs:EPSG::28992",
    }
    response = requests.get(mapserver.wfs_url, params=params, timeout=60)
    assert b"gml/3.2" in response.headers["Content-Type"].encode()
    frame = parse_features(response.content, default_crs=RD, what="test")
    assert frame.crs.equals(RD)
    expected = snapshot.set_index("naamN2K").loc[frame["naamN2K"]]
    assert frame["nr"].tolist() == expected["nr"].tolist()
    assert frame.area.tolist() == pytest.approx(expected.area.tolist(), rel=1e-6)


def test_unknown_typename_gives_the_servers_exception_report(mapserver: MapServer) -> None:
    with pytest.raises(SourceExceptionReport) as caught:
        wfs(mapserver.wfs_url, typename="bogus").fetch(None)
    assert "bogus" in caught.value.en and "doesn't exist" in caught.value.en
    assert "foutmelding van de dienst" in caught.value.nl


def test_http_500_gives_http_error(http500_url: str) -> None:
    with pytest.raises(SourceHTTPError) as caught:
        wfs(http500_url).fetch(None)
    assert "500" in caught.value.en and "500" in caught.value.nl


def test_server_that_never_answers_times_out(silent_url: str) -> None:
    started = time.monotonic()
    with pytest.raises(SourceTimeoutError) as caught:
        wfs(silent_url, http=HttpOptions(timeout_s=1, retries=1)).fetch(None)
    assert "2 attempt" in caught.value.en and "time-out" in caught.value.nl
    assert time.monotonic() - started < 30  # two 1 s attempts, not a hang


def test_malformed_xml_gives_parse_error(malformed_xml_url: str) -> None:
    with pytest.raises(SourceParseError) as caught:
        wfs(malformed_xml_url).fetch(None)
    assert "malformed XML" in caught.value.en


def test_closed_port_gives_source_error(closed_port_url: str) -> None:
    with pytest.raises(SourceError) as caught:
        wfs(closed_port_url, http=HttpOptions(timeout_s=5, retries=1)).fetch(None)
    assert type(caught.value) is SourceError
    assert "niet bereikbaar" in caught.value.nl

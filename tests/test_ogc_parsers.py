"""Pure OGC parsers against the real fixtures in data_root()/ogc_fixtures/."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from owslib.wfs import WebFeatureService
from shapely.geometry import box

from locatiescan.errors import SourceExceptionReport, SourceParseError
from locatiescan.layers.providers._parse import (
    CRS84,
    RD,
    RD_URI,
    exception_report_text,
    geojson_document_frame,
    next_link,
    output_format,
    parse_features,
    supports_crs,
    to_rd,
    with_missing_params,
)
from locatiescan.layers.providers.ogcapi import encoded, items_params

SAMPLE_NAMES = ["Lepelaarplassen", "Naardermeer", "Oostvaardersplassen"]


@pytest.fixture(scope="module")
def fixtures(data_dir: Path) -> Path:
    return data_dir / "ogc_fixtures"


def test_gml32_sample_reads_in_rd(fixtures: Path) -> None:
    frame = parse_features(
        (fixtures / "wfs/natura2000_sample_gml32_GENERATED.gml").read_bytes(),
        default_crs=CRS84,
        what="gml",
    )
    assert frame.crs.equals(RD)  # from the document's srsName, not the default
    assert sorted(frame["naamN2K"]) == SAMPLE_NAMES
    assert "lowerCorner" not in frame.columns
    assert frame.loc[frame["naamN2K"] == "Naardermeer", "nr"].item() == 94


def test_geojson_sample_matches_the_gml_sample(fixtures: Path) -> None:
    gml = (
        parse_features(
            (fixtures / "wfs/natura2000_sample_gml32_GENERATED.gml").read_bytes(),
            default_crs=CRS84,
            what="gml",
        )
        .set_index("naamN2K")
        .sort_index()
    )
    geojson = parse_features(
        (fixtures / "wfs/natura2000_sample_GENERATED.geojson").read_bytes(),
        default_crs=RD,
        what="geojson",
    )
    assert geojson.crs.equals(CRS84)  # the crs member wins over the default
    in_rd = to_rd(geojson).set_index("naamN2K").sort_index()
    assert in_rd.index.tolist() == SAMPLE_NAMES
    assert in_rd["richtlijn"].tolist() == gml["richtlijn"].tolist()
    assert in_rd.area.to_numpy() == pytest.approx(gml.area.to_numpy(), rel=1e-3)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("owslib_wfs_dov_getcapabilities_200.xml", "application/json"),  # GeoJSON offered
        ("owslib_wfs_CUZK_GetCapabilities_2_0_0.xml", None),  # no list: server default
    ],
)
def test_output_format_from_real_capabilities(
    fixtures: Path, name: str, expected: str | None
) -> None:
    service = WebFeatureService(
        "http://127.0.0.1:9/wfs", version="2.0.0", xml=(fixtures / "wfs" / name).read_bytes()
    )
    assert output_format(service.getOperationByName("GetFeature").parameters) == expected


def test_output_format_prefers_gml32_without_json() -> None:
    offered = {
        "outputFormat": {
            "values": ["text/xml; subtype=gml/2.1.2", "application/gml+xml; version=3.2"]
        }
    }
    assert output_format(offered) == "application/gml+xml; version=3.2"


def test_gokoala_items_page_and_next_cursor(fixtures: Path) -> None:
    document = json.loads(
        (fixtures / "ogcapi/gokoala_expected_features_properties_order.json").read_text()
    )
    frame = geojson_document_frame(document, default_crs=CRS84, what="gokoala")
    assert len(frame) == 10
    assert frame.crs.equals(CRS84)
    assert {"building", "validfrom"} <= set(frame.columns)
    assert (
        next_link(document)
        == "http://localhost:8080/collections/dutch-addresses/items?cursor=Cw%7C&f=json"
    )


def test_gokoala_empty_collection_has_no_next(fixtures: Path) -> None:
    document = json.loads(
        (fixtures / "ogcapi/gokoala_expected_empty_feature_collection.json").read_text()
    )
    frame = geojson_document_frame(document, default_crs=RD, what="gokoala")
    assert frame.empty and frame.crs.equals(RD)
    assert next_link(document) is None


def test_gokoala_collection_lists_rd(fixtures: Path) -> None:
    collection = json.loads(
        (fixtures / "ogcapi/gokoala_expected_multiple_ogc_apis_single_collection.json").read_text()
    )
    assert supports_crs(collection, RD_URI)
    assert not supports_crs({"crs": ["http://www.opengis.net/def/crs/OGC/1.3/CRS84"]}, RD_URI)
    assert not supports_crs({}, RD_URI)


def test_items_params_native_rd_or_crs84_envelope() -> None:
    bbox = (120000.0, 480000.0, 125000.0, 485000.0)
    native = encoded(items_params(bbox, native=True, limit=500))
    assert native == {
        "limit": "500",
        "crs": RD_URI,
        "bbox": "120000.0,480000.0,125000.0,485000.0",
        "bbox-crs": RD_URI,
    }
    lonlat = items_params(bbox, native=False, limit=500)
    assert set(lonlat) == {"limit", "bbox"}
    # the RD corners in CRS84 (pyproj): (4.874016, 52.306852) (4.946881, 52.352085)
    # (4.873496, 52.351789) (4.947326, 52.307147); the envelope holds all four, rounded outward
    envelope = box(*lonlat["bbox"])
    assert lonlat["bbox"] == [4.8734961, 52.3068520, 4.9473261, 52.3520846]
    assert envelope.bounds[0] <= 4.873496124994134 and envelope.bounds[2] >= 4.947326023302006


def test_next_link_keeps_dropped_bbox() -> None:
    href = "http://127.0.0.1:1/mapserv/N2K/ogcapi/collections/x/items?f=json&limit=50&offset=50"
    url = with_missing_params(href, {"bbox": "4.5,51.4,6.3,53.0", "limit": "1000"})
    assert url.endswith("f=json&limit=50&offset=50&bbox=4.5%2C51.4%2C6.3%2C53.0")


def test_exception_report_text_and_error() -> None:
    report = (
        b'<?xml version="1.0"?><ows:ExceptionReport xmlns:ows="http://www.opengis.net/ows/1.1">'
        b'<ows:Exception exceptionCode="InvalidParameterValue" locator="typename">'
        b"<ows:ExceptionText>TYPENAME 'x' doesn't exist</ows:ExceptionText></ows:Exception>"
        b"</ows:ExceptionReport>"
    )
    assert exception_report_text(report) == "InvalidParameterValue: TYPENAME 'x' doesn't exist"
    assert exception_report_text(b"<wfs:FeatureCollection xmlns:wfs='x'/>") is None
    with pytest.raises(SourceExceptionReport) as caught:
        parse_features(report, default_crs=RD, what="wfs")
    assert "doesn't exist" in caught.value.nl


def test_empty_gml_page_is_an_empty_frame(fixtures: Path) -> None:
    empty = (
        b'<?xml version="1.0"?><wfs:FeatureCollection xmlns:wfs="http://www.opengis.net/wfs/2.0" '
        b'numberMatched="unknown" numberReturned="0"></wfs:FeatureCollection>'
    )
    frame = parse_features(empty, default_crs=RD, what="wfs")
    assert frame.empty and frame.crs.equals(RD)


@pytest.mark.parametrize(
    "content",
    [
        b"<wfs:FeatureCollection><unclosed>",
        b"<html><body>Bad gateway</body></html>",
        b"not a document",
        b'{"type": "FeatureCollection"}',
        b'{"features": [{"geometry": {"type": "Point"}}]}',
        b"{broken json",
    ],
    ids=["malformed-xml", "html", "text", "no-features", "bad-geometry", "bad-json"],
)
def test_unparsable_answers_give_parse_error(content: bytes) -> None:
    with pytest.raises(SourceParseError):
        parse_features(content, default_crs=RD, what="test")

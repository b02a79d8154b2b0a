"""Pure parsers for OGC responses: GeoJSON / GML 3.2 features, ExceptionReports, paging links.

No I/O here: every function takes the bytes or the decoded document a provider received.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import geopandas as gpd
import pandas as pd
import pyogrio
from lxml import etree

from locatiescan.errors import SourceExceptionReport, SourceParseError

RD = "EPSG:28992"
RD_URN = "urn:ogc:def:crs:EPSG::28992"
RD_URI = "http://www.opengis.net/def/crs/EPSG/0/28992"
CRS84 = "OGC:CRS84"
CRS84_URI = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"

_EXCEPTION_ROOTS = {"ExceptionReport", "ServiceExceptionReport"}
_EXCEPTION_TEXTS = {"ExceptionText", "ServiceException"}
_GML_MEMBERS = {"member", "featureMember", "featureMembers"}
# GDAL's GML driver exposes each feature's gml:boundedBy as two text columns.
_GML_ENVELOPE_COLUMNS = ["lowerCorner", "upperCorner"]


def _xml_root(content: bytes) -> etree._Element | None:
    """The root element when `content` is well-formed XML, else None."""
    if not content.lstrip().startswith(b"<"):
        return None
    try:
        return etree.fromstring(content.strip(), parser=etree.XMLParser(resolve_entities=False))
    except etree.XMLSyntaxError:
        return None


def exception_report_text(content: bytes) -> str | None:
    """The server's message when `content` is an OWS/OGC ExceptionReport, else None."""
    root = _xml_root(content)
    if root is None or etree.QName(root).localname not in _EXCEPTION_ROOTS:
        return None
    texts = [
        " ".join(el.text.split())
        for el in root.iter()
        if isinstance(el.tag, str) and etree.QName(el).localname in _EXCEPTION_TEXTS and el.text
    ]
    codes = [el.get("exceptionCode") for el in root.iter() if el.get("exceptionCode")]
    message = "; ".join(texts) or "(no exception text)"
    return f"{codes[0]}: {message}" if codes else message


def raise_for_exception_report(content: bytes, what: str) -> None:
    """Raise `SourceExceptionReport` with the server's text when `content` is one."""
    text = exception_report_text(content)
    if text is not None:
        msg = f"{what}: service exception: {text}"
        raise SourceExceptionReport(msg, f"{what}: foutmelding van de dienst: {text}")


def features_frame(features: list[dict[str, Any]], crs: str) -> gpd.GeoDataFrame:
    """GeoJSON feature dicts as a GeoDataFrame in `crs`; nested values become JSON text."""
    if not features:
        return gpd.GeoDataFrame({"geometry": gpd.GeoSeries([], crs=crs)}, crs=crs)
    frame = gpd.GeoDataFrame.from_features(features, crs=crs)
    for column in frame.columns.drop(frame.geometry.name):
        if frame[column].map(lambda v: isinstance(v, (dict, list))).any():
            frame[column] = frame[column].map(
                lambda v: json.dumps(v, ensure_ascii=False) if isinstance(v, (dict, list)) else v
            )
    return frame


def geojson_crs(document: dict[str, Any], default: str) -> str:
    """The CRS named by a (pre-RFC 7946) `crs` member, else `default`."""
    name = (document.get("crs") or {}).get("properties", {}).get("name")
    return str(name) if name else default


def parse_features(content: bytes, *, default_crs: str, what: str) -> gpd.GeoDataFrame:
    """Features from a GeoJSON or GML 3.2 response, in the CRS the document declares.

    `default_crs` applies when the document names none (a WFS answers in the requested
    srsName). ExceptionReports raise `SourceExceptionReport`, anything else unreadable
    `SourceParseError`.
    """
    raise_for_exception_report(content, what)
    head = content.lstrip()[:1]
    if head == b"{":
        return _parse_geojson(content, default_crs=default_crs, what=what)
    if head == b"<":
        return _parse_gml(content, default_crs=default_crs, what=what)
    msg = f"{what}: response is neither GeoJSON nor GML: {content[:80]!r}"
    raise SourceParseError(msg, f"{what}: antwoord is geen GeoJSON of GML: {content[:80]!r}")


def json_object(content: bytes, what: str) -> dict[str, Any]:
    """A JSON object from bytes; anything else raises `SourceParseError`."""
    try:
        document = json.loads(content)
    except ValueError as err:
        msg = f"{what}: invalid JSON: {err}"
        raise SourceParseError(msg, f"{what}: ongeldige JSON: {err}") from err
    if not isinstance(document, dict):
        msg = f"{what}: expected a JSON object"
        raise SourceParseError(msg, f"{what}: JSON-object verwacht")
    return document


def _parse_geojson(content: bytes, *, default_crs: str, what: str) -> gpd.GeoDataFrame:
    document = json_object(content, what)
    return geojson_document_frame(document, default_crs=default_crs, what=what)


def geojson_document_frame(document: Any, *, default_crs: str, what: str) -> gpd.GeoDataFrame:
    """A decoded GeoJSON FeatureCollection as a GeoDataFrame."""
    features = document.get("features") if isinstance(document, dict) else None
    if not isinstance(features, list):
        msg = f"{what}: JSON without a 'features' list"
        raise SourceParseError(msg, f"{what}: JSON zonder lijst 'features'")
    try:
        return features_frame(features, geojson_crs(document, default_crs))
    except (TypeError, ValueError, AttributeError, KeyError) as err:
        msg = f"{what}: invalid GeoJSON features: {err}"
        raise SourceParseError(msg, f"{what}: ongeldige GeoJSON-objecten: {err}") from err


def _parse_gml(content: bytes, *, default_crs: str, what: str) -> gpd.GeoDataFrame:
    root = _xml_root(content)
    if root is None:
        msg = f"{what}: malformed XML: {content[:80]!r}"
        raise SourceParseError(msg, f"{what}: XML is niet goed gevormd: {content[:80]!r}")
    if etree.QName(root).localname != "FeatureCollection":
        msg = f"{what}: XML is not a feature collection: <{root.tag}>"
        raise SourceParseError(msg, f"{what}: XML is geen FeatureCollection: <{root.tag}>")
    if not any(
        isinstance(el.tag, str) and etree.QName(el).localname in _GML_MEMBERS for el in root
    ):
        return features_frame([], default_crs)  # an empty page (GDAL finds no layer in it)
    try:
        frame = pyogrio.read_dataframe(content, DOWNLOAD_SCHEMA="NO")
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as err:
        msg = f"{what}: cannot read GML: {err}"
        raise SourceParseError(msg, f"{what}: GML niet leesbaar: {err}") from err
    frame = frame.drop(columns=[c for c in _GML_ENVELOPE_COLUMNS if c in frame.columns])
    return frame if frame.crs is not None else frame.set_crs(default_crs)


def to_rd(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The frame in EPSG:28992."""
    return frame.to_crs(RD) if frame.crs is not None and not frame.crs.equals(RD) else frame


def concat_pages(pages: list[gpd.GeoDataFrame], crs: str) -> gpd.GeoDataFrame:
    """Pages as one frame with a fresh RangeIndex (an empty frame when there are none)."""
    if not pages:
        return features_frame([], crs)
    frame = pd.concat(pages, ignore_index=True)
    return gpd.GeoDataFrame(frame, geometry=pages[0].geometry.name, crs=pages[0].crs)


def output_format(operation_parameters: dict[str, dict[str, list[str]]]) -> str | None:
    """The GetFeature outputFormat to ask for: GeoJSON when offered, else GML 3.2, else default."""
    values = [v for v in operation_parameters.get("outputFormat", {}).get("values", []) if v]
    json_formats = [v for v in values if "json" in v.lower()]
    gml32 = [v for v in values if "3.2" in v and "gml" in v.lower()]
    return (json_formats or gml32 or [None])[0]


def next_link(document: dict[str, Any]) -> str | None:
    """The href of the `next` link of an OGC API items page (JSON variant first)."""
    links = [link for link in document.get("links", []) if link.get("rel") == "next"]
    json_links = [link for link in links if "json" in str(link.get("type", "json"))]
    chosen = (json_links or links or [{}])[0]
    return chosen.get("href")


def with_missing_params(href: str, params: dict[str, str]) -> str:
    """`href` with each of `params` added when absent (some servers drop bbox from `next`)."""
    parts = urlsplit(href)
    query = parse_qsl(parts.query, keep_blank_values=True)
    present = {key for key, _ in query}
    query += [(key, value) for key, value in params.items() if key not in present]
    return urlunsplit(parts._replace(query=urlencode(query)))


def supports_crs(collection: dict[str, Any], crs_uri: str) -> bool:
    """Whether an OGC API collection lists `crs_uri` (OGC API Features part 2)."""
    listed = [str(c) for c in collection.get("crs", [])]
    code = crs_uri.rstrip("/").rsplit("/", 1)[-1]
    return any(c.rstrip("/").rsplit("/", 1)[-1] == code and "EPSG" in c for c in listed)

"""WFS 2.0.0 through OWSLib: BBOX and srsName in EPSG:28992, paging with STARTINDEX/COUNT.

Paging never trusts `numberMatched` (MapServer reports its page cap there): it asks page after
page until one comes back empty or shorter than the longest page so far (the server's cap).

OWSLib parses the capabilities and encodes each GetFeature request; every request itself goes
through `_http.get` (one deadline, body cap, http(s)-only redirects, retries), which turns an
ExceptionReport in any HTTP status into a clear error. (OWSLib's own `getfeature` looks the typename up in the
capabilities before sending srsName, so an unlisted or unprefixed typename would fail in the
client instead of reaching the server.)
"""

from __future__ import annotations

import geopandas as gpd
from owslib.wfs import WebFeatureService

from locatiescan.errors import SourceParseError
from locatiescan.layers.providers._http import get, probe
from locatiescan.layers.providers._parse import (
    RD,
    RD_URN,
    concat_pages,
    output_format,
    parse_features,
    to_rd,
    with_missing_params,
)
from locatiescan.layers.providers.base import BBox, Fetched, Provider

WFS_VERSION = "2.0.0"


class WFSProvider(Provider):
    """Features of one WFS feature type (`source.url`, `source.typename`)."""

    page_size = 1000  # COUNT asked per page; servers may cap it lower

    def fetch(self, bbox: BBox | None) -> Fetched:
        """All features of the type (within `bbox`), over as many pages as the server needs."""
        service = self._service()
        fmt = output_format(service.getOperationByName("GetFeature").parameters)
        pages: list[gpd.GeoDataFrame] = []
        start, longest = 0, 0
        while True:
            page = self._page(service, bbox, start, fmt)
            if page.empty:
                break
            if pages and _first_row(page) == _first_row(pages[-1]):
                msg = f"{self.label}: server ignores STARTINDEX (page {start} repeats the last)"
                nl = f"{self.label}: dienst negeert STARTINDEX (pagina's herhalen zich)"
                raise SourceParseError(msg, nl)
            pages.append(page)
            start += len(page)
            longest = max(longest, len(page))
            if len(page) < longest:
                break
        return Fetched(source=self.location, gdf=concat_pages(pages, RD))

    def probe(self) -> None:
        """GetCapabilities answers."""
        params = {"service": "WFS", "request": "GetCapabilities", "version": WFS_VERSION}
        probe(self.source.url or "", params=params, http=self.http, what=self.label)

    def _service(self) -> WebFeatureService:
        """The capabilities, with GetFeature pinned to the configured URL.

        Servers behind proxies often advertise an internal host in their capabilities; the
        URL in the catalog is the one known to work.
        """

        params = {"service": "WFS", "request": "GetCapabilities", "version": WFS_VERSION}
        content = get(self.source.url or "", params=params, http=self.http, what=self.label)
        try:
            service = WebFeatureService(self.source.url, version=WFS_VERSION, xml=content)
        except SyntaxError as err:  # lxml XMLSyntaxError
            msg = f"{self.label}: malformed XML: {err}"
            raise SourceParseError(msg, f"{self.label}: XML is niet goed gevormd: {err}") from err
        except Exception as err:  # any other parser fault of the answer is a source fault
            msg = f"{self.label}: not a WFS 2.0 capabilities document: {err}"
            raise SourceParseError(msg, f"{self.label}: geen WFS 2.0-capabilities: {err}") from err
        try:
            operation = service.getOperationByName("GetFeature")
        except KeyError as err:
            msg = f"{self.label}: capabilities list no GetFeature operation"
            raise SourceParseError(msg, f"{self.label}: capabilities zonder GetFeature") from err
        for method in operation.methods:
            method["url"] = self.source.url
        return service

    def _page(
        self, service: WebFeatureService, bbox: BBox | None, start: int, fmt: str | None
    ) -> gpd.GeoDataFrame:
        """One GetFeature page in EPSG:28992."""
        url = service.getGETGetFeatureRequest(
            typename=[self.source.typename],
            bbox=(*bbox, RD_URN) if bbox else None,
            maxfeatures=self.page_size,
            startindex=start,
            outputFormat=fmt,
        )
        url = with_missing_params(url, {"srsname": RD_URN})
        content = get(url, params=None, http=self.http, what=self.label)
        return to_rd(parse_features(content, default_crs=RD, what=self.label))


def _first_row(frame: gpd.GeoDataFrame) -> list[str]:
    """The first feature as text (attributes and WKB), to detect a repeated page."""
    return [str(v) for v in frame.iloc[:1].to_wkb().to_numpy().ravel()]

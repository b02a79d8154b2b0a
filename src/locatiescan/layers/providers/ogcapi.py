"""OGC API Features through OWSLib: bbox (+ bbox-crs when offered), following `next` links.

When the collection lists EPSG:28992 (OGC API Features part 2) the bbox and the features are in
RD; otherwise the bbox is sent as a CRS84 envelope and the features are reprojected and clipped
to the RD bbox here. `next` links are followed until there is none; parameters a server drops
from its `next` link (MapServer 8.0 drops bbox) are added back.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import geopandas as gpd
from owslib.ogcapi.features import Features
from pyproj import Transformer

from locatiescan.errors import SourceParseError
from locatiescan.layers.providers._http import ACCEPT_JSON, HttpOptions, get, probe
from locatiescan.layers.providers._parse import (
    CRS84,
    RD,
    RD_URI,
    concat_pages,
    geojson_document_frame,
    json_object,
    next_link,
    supports_crs,
    to_rd,
    with_missing_params,
)
from locatiescan.layers.providers.base import BBox, Fetched, Provider, clip_to_bbox

_RD_TO_CRS84 = Transformer.from_crs(RD, CRS84, always_xy=True)


class _TimedFeatures(Features):
    """OWSLib `Features` whose requests honour our time-out and retries.

    OWSLib 0.35 stores `timeout` but its `_request` calls `requests.get` without it, so a
    server that never answers would hang the caller; only the transport is replaced.
    """

    def __init__(self, url: str, http: HttpOptions, what: str) -> None:
        # `json_` skips the constructor's landing-page request (it has no time-out either).
        super().__init__(url, json_="{}", timeout=int(http.timeout_s), headers=ACCEPT_JSON)
        self._http = http
        self._what = what

    def _request(
        self,
        method: str = "GET",
        path: str | None = None,
        data: Any = None,
        as_dict: bool = True,
        kwargs: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        return self.fetch_json(self._build_url(path), kwargs)

    def fetch_json(self, url: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        """GET a JSON document with time-out, retries and error translation."""
        content = get(url, params=params or None, http=self._http, what=self._what)
        return json_object(content, self._what)


class OGCAPIProvider(Provider):
    """Features of one OGC API collection (`source.url`, `source.collection`)."""

    page_size = 1000  # `limit` asked per page; servers may cap it lower

    def fetch(self, bbox: BBox | None) -> Fetched:
        """All features of the collection (within `bbox`), following `next` links."""
        api = _TimedFeatures(self.source.url or "", self.http, self.label)
        collection_id = self.source.collection or ""
        native = supports_crs(api.collection(collection_id), RD_URI)
        params = items_params(bbox, native=native, limit=self.page_size)
        crs = RD if native else CRS84
        document = api.collection_items(collection_id, **params)
        pages = [self._page(document, crs)]
        seen: set[str] = set()
        href = next_link(document)
        while href and not pages[-1].empty:
            url = with_missing_params(href, encoded(params))
            if url in seen:
                msg = f"{self.label}: 'next' links loop back to {url}"
                raise SourceParseError(msg, f"{self.label}: 'next'-links lopen in een kring")
            seen.add(url)
            document = api.fetch_json(url)
            pages.append(self._page(document, crs))
            href = next_link(document)
        frame = to_rd(concat_pages(pages, crs))
        return Fetched(source=self.location, gdf=frame if native else clip_to_bbox(frame, bbox))

    def probe(self) -> None:
        """The landing page answers."""
        probe(self.source.url or "", params=None, http=self.http, what=self.label)

    def _page(self, document: dict[str, Any], crs: str) -> gpd.GeoDataFrame:
        return geojson_document_frame(document, default_crs=crs, what=self.label)


def items_params(bbox: BBox | None, *, native: bool, limit: int) -> dict[str, Any]:
    """Query parameters of the first items request: limit, and bbox in RD or as CRS84 envelope."""
    params: dict[str, Any] = {"limit": limit}
    if native:
        params["crs"] = RD_URI
    if bbox is not None:
        if native:
            params["bbox"] = list(bbox)
            params["bbox-crs"] = RD_URI
        else:
            west, south, east, north = _RD_TO_CRS84.transform_bounds(*bbox, densify_pts=21)
            params["bbox"] = [
                _outward(west, math.floor),
                _outward(south, math.floor),
                _outward(east, math.ceil),
                _outward(north, math.ceil),
            ]
    return params


def _outward(value: float, rounding: Callable[[float], int]) -> float:
    """`value` rounded to 1e-7 degree (~1 cm) away from the bbox centre."""
    return rounding(value * 1e7) / 1e7


def encoded(params: dict[str, Any]) -> dict[str, str]:
    """Query parameters as strings (a bbox list as comma-separated numbers)."""
    return {k: ",".join(map(str, v)) if isinstance(v, list) else str(v) for k, v in params.items()}

"""Providers: the I/O for one catalog source each (wfs, ogcapi, file, raster, wcs)."""

from locatiescan.layers.providers._http_options import HttpOptions
from locatiescan.layers.providers.base import (
    PROVIDERS,
    BBox,
    Fetched,
    Provider,
    clip_to_bbox,
    make_provider,
    provider_class,
)

__all__ = [
    "PROVIDERS",
    "BBox",
    "Fetched",
    "HttpOptions",
    "Provider",
    "clip_to_bbox",
    "make_provider",
    "provider_class",
]

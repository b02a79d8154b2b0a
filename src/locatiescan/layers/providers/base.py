"""The provider interface and the registry of provider types.

A provider reads one `SourceDef` of the catalog. Built-in types have short names (`wfs`,
`ogcapi`, `file`, `raster`, `wcs`); any `package.module.Class` that subclasses `Provider`
works too, so a new kind of source needs no change here (pygeoapi's plugin pattern).
"""

from __future__ import annotations

import importlib
from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import geopandas as gpd
from shapely.geometry import box

from locatiescan.errors import ConfigError
from locatiescan.layers.catalog import SourceDef
from locatiescan.layers.providers._http_options import HttpOptions

BBox = tuple[float, float, float, float]  # minx, miny, maxx, maxy in EPSG:28992

PROVIDERS: dict[str, str] = {
    "wfs": "locatiescan.layers.providers.wfs.WFSProvider",
    "ogcapi": "locatiescan.layers.providers.ogcapi.OGCAPIProvider",
    "file": "locatiescan.layers.providers.file.FileProvider",
    "raster": "locatiescan.layers.providers.raster.RasterFileProvider",
    "wcs": "locatiescan.layers.providers.raster.WCSProvider",
}


@dataclass
class Fetched:
    """What a provider read: features in EPSG:28992 or a raster file, and where from.

    `date` is the data date the source itself carries (a snapshot's peildatum); None means
    "as fetched now".
    """

    source: str
    gdf: gpd.GeoDataFrame | None = None
    raster_path: Path | None = None
    date: str | None = None


class Provider(ABC):
    """Reads one source. `fetch` does the I/O; parsing lives in pure helpers."""

    def __init__(
        self, source: SourceDef, *, http: HttpOptions | None = None, workdir: Path | None = None
    ) -> None:
        self.source = source
        self.http = http or HttpOptions.from_settings()
        self.workdir = workdir  # where downloaded rasters are written

    @property
    def online(self) -> bool:
        """Whether reading needs the network (skipped when working offline)."""
        return True

    @property
    def label(self) -> str:
        """Short Dutch-friendly name for messages: the description, else type and host."""
        if self.source.beschrijving:
            return self.source.beschrijving
        host = urlsplit(self.source.url or "").netloc
        return f"{self.source.type.upper()} {host}" if host else str(self.source.path)

    @property
    def location(self) -> str:
        """The URL or path recorded as provenance."""
        return self.source.url or str(self.source.path)

    @abstractmethod
    def fetch(self, bbox: BBox | None) -> Fetched:
        """Read the source, limited to `bbox` (EPSG:28992) when given."""

    @abstractmethod
    def probe(self) -> None:
        """Raise a `LocatiescanError` when the source cannot be reached; cheap, no data read."""


def clip_to_bbox(frame: gpd.GeoDataFrame, bbox: BBox | None) -> gpd.GeoDataFrame:
    """Features intersecting `bbox`, in their original order (all when `bbox` is None)."""
    if bbox is None or frame.empty:
        return frame
    hits = frame.sindex.query(box(*bbox), predicate="intersects")
    return frame.iloc[sorted(hits)].reset_index(drop=True)


def provider_class(name: str) -> type[Provider]:
    """The provider class for a short name or a dotted path; a clear error otherwise."""
    dotted = PROVIDERS.get(name, name)
    module_name, _, class_name = dotted.rpartition(".")
    try:
        found = getattr(importlib.import_module(module_name), class_name)
    except (ImportError, AttributeError, ValueError) as err:
        msg = f"unknown provider {name!r} (built in: {', '.join(PROVIDERS)}): {err}"
        raise ConfigError(
            msg, f"onbekende brontype {name!r} (ingebouwd: {', '.join(PROVIDERS)})"
        ) from err
    if not (isinstance(found, type) and issubclass(found, Provider)):
        msg = f"provider {name!r} is not a subclass of locatiescan Provider"
        raise ConfigError(msg, f"brontype {name!r} is geen Provider-klasse")
    return found


def make_provider(
    source: SourceDef, *, http: HttpOptions | None = None, workdir: Path | None = None
) -> Provider:
    """An instance of the provider for `source.type`."""
    return provider_class(source.type)(source, http=http, workdir=workdir)

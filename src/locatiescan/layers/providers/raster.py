"""Rasters: a local GeoTIFF, or a WCS 2.0.1 GetCoverage result saved as a GeoTIFF.

Both hand back a file path; zonal statistics read it with rasterio (`locatiescan.overlay`).
Every WCS request goes through `_http.get` (OWSLib only parses); a downloaded coverage must be
a GeoTIFF that opens with the GTiff driver alone (`gate.check_geotiff`).
"""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

from lxml import etree
from owslib.wcs import WebCoverageService

from locatiescan.atomic import atomic_write
from locatiescan.errors import DataRootError, InputError, SourceParseError
from locatiescan.importers.gate import check_geotiff
from locatiescan.layers.providers._http import get, probe
from locatiescan.layers.providers.base import BBox, Fetched, Provider
from locatiescan.layers.providers.file import resolve_data_path

WCS_VERSION = "2.0.1"
GEOTIFF = "image/tiff"


SAFE_XML = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def check_raster(path: Path, what: str) -> None:
    """Raise `SourceParseError` unless `path` is a GeoTIFF that opens with the GTiff driver."""
    try:
        check_geotiff(path, path.name)
    except InputError as err:
        msg = f"{what}: not a readable GeoTIFF: {err.en}"
        raise SourceParseError(msg, f"{what}: geen leesbaar GeoTIFF-bestand: {err.nl}") from err


class RasterFileProvider(Provider):
    """A local GeoTIFF (`source.path`, below the data root or absolute)."""

    @property
    def online(self) -> bool:
        """Local files need no network."""
        return False

    @property
    def location(self) -> str:
        """The absolute path."""
        return str(resolve_data_path(str(self.source.path)))

    def fetch(self, bbox: BBox | None) -> Fetched:
        """The file path after checking that it opens; `bbox` is applied when reading."""
        self.probe()
        path = resolve_data_path(str(self.source.path))
        check_raster(path, self.label)
        peildatum = self.source.peildatum.isoformat() if self.source.peildatum else None
        return Fetched(source=str(path), raster_path=path, date=peildatum)

    def probe(self) -> None:
        """The file exists."""
        path = resolve_data_path(str(self.source.path))
        if not path.exists():
            msg = f"raster file missing: {path}"
            raise DataRootError(msg, f"rasterbestand ontbreekt: {path}")


class WCSProvider(Provider):
    """A WCS 2.0.1 coverage (`source.url`, `source.coverage`), cut to the bbox."""

    def fetch(self, bbox: BBox | None) -> Fetched:
        """GetCoverage for `bbox` as GeoTIFF, written to the work directory."""
        if bbox is None:
            msg = f"{self.label}: a WCS coverage is only fetched for a bbox"
            raise InputError(
                msg, f"{self.label}: een WCS-raster wordt alleen voor een bbox opgehaald"
            )
        url, coverage = self.source.url or "", self.source.coverage or ""
        base = {"service": "WCS", "version": WCS_VERSION}
        capabilities = get(
            url, params={**base, "request": "GetCapabilities"}, http=self.http, what=self.label
        )
        described = get(
            url,
            params={**base, "request": "DescribeCoverage", "CoverageID": coverage},
            http=self.http,
            what=self.label,
        )
        try:
            service = WebCoverageService(url, version=WCS_VERSION, xml=capabilities)
            service._describeCoverage[coverage] = etree.fromstring(described, SAFE_XML)
            labels = self._axis_labels(service)
        except Exception as err:  # any parser fault of the answer is a source fault
            msg = f"{self.label}: unusable WCS capabilities or coverage description: {err}"
            raise SourceParseError(
                msg, f"{self.label}: onbruikbare WCS-beschrijving: {err}"
            ) from err
        params = [
            *base.items(),
            ("request", "GetCoverage"),
            ("CoverageID", coverage),
            ("format", GEOTIFF),
            ("subset", f"{labels[0]}({bbox[0]},{bbox[2]})"),
            ("subset", f"{labels[1]}({bbox[1]},{bbox[3]})"),
        ]
        content = get(url, params=params, http=self.http, what=self.label)
        path = self._save(content, bbox)
        check_raster(path, self.label)
        return Fetched(source=self.location, raster_path=path)

    def probe(self) -> None:
        """GetCapabilities answers."""
        params = {"service": "WCS", "request": "GetCapabilities", "version": WCS_VERSION}
        probe(self.source.url or "", params=params, http=self.http, what=self.label)

    def _axis_labels(self, service: WebCoverageService) -> list[str]:
        """The coverage's axis labels (x/easting first) from DescribeCoverage, else x and y.

        A coverage missing from the capabilities is still requested, so the server's own
        ExceptionReport explains the problem.
        """
        content = service.contents.get(self.source.coverage)
        try:
            labels = list(content.grid.axislabels) if content is not None else []
        except (AttributeError, TypeError, IndexError):
            labels = []
        return labels if len(labels) >= 2 else ["x", "y"]

    def _save(self, content: bytes, bbox: BBox) -> Path:
        """Write the GeoTIFF atomically under the work directory, named by request."""
        directory = self.workdir or Path(tempfile.gettempdir()) / "locatiescan_rasters"
        directory.mkdir(parents=True, exist_ok=True)
        key = hashlib.sha1(f"{self.source.url}|{self.source.coverage}|{bbox}".encode()).hexdigest()[
            :20
        ]
        target = directory / f"wcs_{key}.tif"
        with atomic_write(target) as out:
            out.write(content)
        return target

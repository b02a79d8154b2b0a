"""Real servers on 127.0.0.1 for the provider tests: MapServer 8 (WFS 2.0, OGC API, WCS 2.0.1)
behind a small CGI runner, and misbehaving servers (HTTP 500, silence, malformed XML). The
pytest fixtures that start them live in `support_mapserver.py`.

MapServer serves the real Natura 2000 snapshot as WFS with a page cap of 50 (the snapshot has
160 features), a shapefile of its areas' convex hulls as OGC API Features with `oga_max_limit`
50 (see `ogcapi_features`; a shapefile because MapServer 8.0.0 ignores `offset` for OGR
layers, MapServer issue #6613), and a small synthetic GeoTIFF as WCS coverage.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import rasterio
import requests
from affine import Affine

NATURA2000 = "natura2000/natura2000_nl_rd_simplified2m.gpkg"
SCRIPT = "/mapserv"
PAGE_CAP = 50
SYNTHETIC_ORIGIN = (150000.0, 461000.0)  # upper-left corner of the synthetic raster, RD
SYNTHETIC_PIXEL = 10.0
SYNTHETIC_SIZE = 100
SHAPEFILE_COLUMNS = ["naamN2K", "nr", "richtlijn", "status", "area_ha", "geometry"]


def mapserv_binary() -> str:
    """Path of Debian's `mapserv`; fails (never skips) when it is missing."""
    found = shutil.which("mapserv") or next(
        (p for p in ("/usr/bin/mapserv", "/usr/lib/cgi-bin/mapserv") if Path(p).exists()), None
    )
    if found is None:
        pytest.fail("mapserv not found: install Debian package cgi-mapserver (`make test-deps`)")
    return found


@dataclass(frozen=True)
class MapServer:
    """URLs of the running MapServer."""

    base_url: str
    wfs_mapfile: Path
    wcs_mapfile: Path

    @property
    def wfs_url(self) -> str:
        """WFS 2.0 endpoint serving `natura2000` (page cap 50, GeoJSON and GML 3.2)."""
        return f"{self.base_url}?map={self.wfs_mapfile}"

    @property
    def wfs_gml_url(self) -> str:
        """The same WFS offering only GML output formats."""
        return f"{self.base_url}?map={self.wfs_mapfile.with_name('wfs_gml.map')}"

    @property
    def ogcapi_url(self) -> str:
        """OGC API Features landing page with collection `natura2000` (max limit 50)."""
        return f"{self.base_url}/N2K/ogcapi"

    @property
    def wcs_url(self) -> str:
        """WCS 2.0.1 endpoint serving coverage `synthetic`."""
        return f"{self.base_url}?map={self.wcs_mapfile}"


class _MapservHandler(BaseHTTPRequestHandler):
    """Runs `mapserv` as a CGI program for each GET below /mapserv."""

    server: _MapservServer

    def do_GET(self) -> None:  # http.server's naming
        path, _, query = self.path.partition("?")
        if not path.startswith(SCRIPT):
            self.send_error(404)
            return
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "MAPSERVER_CONFIG_FILE": str(self.server.config_file),
            "GATEWAY_INTERFACE": "CGI/1.1",
            "REQUEST_METHOD": "GET",
            "QUERY_STRING": query,
            "SCRIPT_NAME": SCRIPT,
            "PATH_INFO": path[len(SCRIPT) :],
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": str(self.server.server_port),
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_ACCEPT": self.headers.get("Accept", "*/*"),
        }
        result = subprocess.run(
            [self.server.mapserv], env=env, capture_output=True, timeout=120, check=False
        )
        status, headers, body = _split_cgi_output(result.stdout)
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # quiet tests
        pass


def _split_cgi_output(output: bytes) -> tuple[int, list[tuple[str, str]], bytes]:
    """Status, headers and body of a CGI program's output."""
    separator = b"\r\n\r\n" if b"\r\n\r\n" in output else b"\n\n"
    head, _, body = output.partition(separator)
    status, headers = 200, []
    for line in head.decode("latin-1").splitlines():
        name, _, value = line.partition(":")
        if name.strip().lower() == "status":
            status = int(value.split()[0])
        elif name.strip():
            headers.append((name.strip(), value.strip()))
    return status, headers, body


class _MapservServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, mapserv: str, config_file: Path) -> None:
        super().__init__(("127.0.0.1", 0), _MapservHandler)
        self.mapserv = mapserv
        self.config_file = config_file


@dataclass
class Running:
    server: ThreadingHTTPServer
    thread: threading.Thread

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)


def serve(server: ThreadingHTTPServer) -> Running:
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return Running(server, thread)


def _wait_until_answers(url: str, deadline_s: float = 60) -> None:
    """Wait for `url` to answer 200; fail with the last answer otherwise."""
    deadline = time.monotonic() + deadline_s
    last = "no answer"
    while time.monotonic() < deadline:
        try:
            response = requests.get(url, timeout=30)
            if response.status_code == 200 and b"Capabilities" in response.content:
                return
            last = f"HTTP {response.status_code}: {response.text[:300]}"
        except requests.RequestException as err:
            last = str(err)
        time.sleep(0.2)
    pytest.fail(f"MapServer did not answer at {url}: {last}")


def _extent(frame: gpd.GeoDataFrame, margin: float = 1000) -> str:
    minx, miny, maxx, maxy = frame.total_bounds
    return f"{minx - margin:.0f} {miny - margin:.0f} {maxx + margin:.0f} {maxy + margin:.0f}"


def ogcapi_features(snapshot: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """What the OGC API serves: the snapshot with one convex hull per area.

    MapServer 8.0.0's OGC API writer mis-nests the rings of multi-part polygons with holes
    (77 of the 160 areas came back with wrong areas), and the full outlines make each page
    slow; simple hulls keep the test about paging, bbox and attributes. Column names fit the
    shapefile limit of 10 characters.
    """
    served = snapshot[SHAPEFILE_COLUMNS].copy()
    served["geometry"] = served.convex_hull
    return served


def write_synthetic_raster(path: Path) -> None:
    """A synthetic 100x100 float32 GeoTIFF in RD: value = row * 100 + column."""
    values = np.arange(SYNTHETIC_SIZE * SYNTHETIC_SIZE, dtype="float32").reshape(
        SYNTHETIC_SIZE, SYNTHETIC_SIZE
    )
    profile = {
        "driver": "GTiff",
        "width": SYNTHETIC_SIZE,
        "height": SYNTHETIC_SIZE,
        "count": 1,
        "dtype": "float32",
        "crs": "EPSG:28992",
        "transform": Affine(
            SYNTHETIC_PIXEL, 0, SYNTHETIC_ORIGIN[0], 0, -SYNTHETIC_PIXEL, SYNTHETIC_ORIGIN[1]
        ),
        "nodata": -9999.0,
    }
    with rasterio.open(path, "w", **profile) as dataset:
        dataset.write(values, 1)


def _wfs_mapfile(path: Path, base: str, gpkg: Path, extent: str, *, geojson: bool) -> None:
    """WFS serving the snapshot; without `geojson` only MapServer's GML formats are offered."""
    geojson_format = (
        """OUTPUTFORMAT
    NAME "geojson"
    DRIVER "OGR/GEOJSON"
    MIMETYPE "application/json; subtype=geojson"
    FORMATOPTION "STORAGE=stream"
    FORMATOPTION "FORM=SIMPLE"
  END"""
        if geojson
        else ""
    )
    formatlist = '"wfs_getfeature_formatlist" "geojson"' if geojson else ""
    path.write_text(
        f"""MAP
  NAME "locatiescan_wfs"
  EXTENT {extent}
  SIZE 400 400
  PROJECTION "EPSG:28992" END
  {geojson_format}
  WEB
    METADATA
      "ows_title" "Locatiescan test WFS"
      "ows_onlineresource" "{base}?map={path}&"
      "ows_srs" "EPSG:28992 EPSG:4326"
      "ows_enable_request" "*"
      {formatlist}
      "wfs_maxfeatures" "{PAGE_CAP}"
    END
  END
  LAYER
    NAME "natura2000"
    TYPE POLYGON
    STATUS ON
    CONNECTIONTYPE OGR
    CONNECTION "{gpkg}"
    DATA "natura2000"
    PROJECTION "EPSG:28992" END
    METADATA
      "wfs_title" "natura2000"
      "wfs_featureid" "nr"
      "gml_include_items" "all"
      "gml_types" "auto"
    END
  END
END
""",
        encoding="utf-8",
    )


def _ogcapi_mapfile(path: Path, base: str, shapefile: Path, extent: str) -> None:
    path.write_text(
        f"""MAP
  NAME "locatiescan_ogcapi"
  EXTENT {extent}
  SIZE 400 400
  PROJECTION "EPSG:28992" END
  WEB
    METADATA
      "ows_title" "Locatiescan test OGC API"
      "ows_srs" "EPSG:28992 EPSG:4326"
      "oga_enable_request" "*"
      "oga_onlineresource" "{base}/N2K/ogcapi"
      "oga_max_limit" "{PAGE_CAP}"
    END
  END
  LAYER
    NAME "natura2000"
    TYPE POLYGON
    STATUS ON
    DATA "{shapefile}"
    TEMPLATE "void"
    PROJECTION "EPSG:28992" END
    METADATA
      "oga_title" "natura2000"
      "gml_featureid" "nr"
      "gml_include_items" "all"
      "gml_types" "auto"
    END
  END
END
""",
        encoding="utf-8",
    )


def _wcs_mapfile(path: Path, base: str, raster: Path) -> None:
    minx, maxy = SYNTHETIC_ORIGIN
    maxx, miny = minx + SYNTHETIC_PIXEL * SYNTHETIC_SIZE, maxy - SYNTHETIC_PIXEL * SYNTHETIC_SIZE
    path.write_text(
        f"""MAP
  NAME "locatiescan_wcs"
  EXTENT {minx:.0f} {miny:.0f} {maxx:.0f} {maxy:.0f}
  SIZE {SYNTHETIC_SIZE} {SYNTHETIC_SIZE}
  PROJECTION "EPSG:28992" END
  OUTPUTFORMAT
    NAME "GEOTIFF"
    DRIVER "GDAL/GTiff"
    MIMETYPE "image/tiff"
    IMAGEMODE FLOAT32
    EXTENSION "tif"
  END
  WEB
    METADATA
      "ows_title" "Locatiescan test WCS"
      "ows_onlineresource" "{base}?map={path}&"
      "ows_srs" "EPSG:28992"
      "ows_enable_request" "*"
    END
  END
  LAYER
    NAME "synthetic"
    TYPE RASTER
    STATUS ON
    DATA "{raster}"
    PROJECTION "EPSG:28992" END
    METADATA
      "wcs_label" "synthetic"
      "wcs_rangeset_name" "band"
      "wcs_rangeset_label" "value"
      "wcs_bandcount" "1"
      "wcs_formats" "GEOTIFF"
      "wcs_nativeformat" "GTiff"
    END
  END
END
""",
        encoding="utf-8",
    )


def start_mapserver(folder: Path, data_dir: Path) -> tuple[MapServer, Running]:
    """Write the data, mapfiles and config into `folder` and serve them; waits until ready."""
    mapserv = mapserv_binary()
    folder.chmod(0o755)  # readable when a CGI runner drops privileges (see mapserver-wfs.md)
    gpkg = data_dir / NATURA2000
    snapshot = gpd.read_file(gpkg)
    shapefile = folder / "natura2000.shp"
    ogcapi_features(snapshot).to_file(shapefile)
    raster = folder / "synthetic.tif"
    write_synthetic_raster(raster)

    config = folder / "mapserver.conf"
    server = _MapservServer(mapserv, config)
    base = f"http://127.0.0.1:{server.server_port}{SCRIPT}"
    info = MapServer(base, folder / "wfs.map", folder / "wcs.map")
    _wfs_mapfile(info.wfs_mapfile, base, gpkg, _extent(snapshot), geojson=True)
    _wfs_mapfile(folder / "wfs_gml.map", base, gpkg, _extent(snapshot), geojson=False)
    _ogcapi_mapfile(folder / "ogcapi.map", base, shapefile, _extent(snapshot))
    _wcs_mapfile(info.wcs_mapfile, base, raster)
    config.write_text(
        f"""CONFIG
  ENV
    MS_MAP_PATTERN "^{folder}/"
  END
  MAPS
    N2K "{folder / "ogcapi.map"}"
  END
END
""",
        encoding="utf-8",
    )
    for path in folder.iterdir():
        path.chmod(0o755)
    running = serve(server)
    try:
        _wait_until_answers(f"{info.wfs_url}&SERVICE=WFS&REQUEST=GetCapabilities&VERSION=2.0.0")
    except BaseException:
        running.stop()
        raise
    return info, running


class _FixedAnswer(BaseHTTPRequestHandler):
    """Answers every GET with the server's fixed status, content type and body."""

    server: FixedAnswerServer

    def do_GET(self) -> None:  # http.server's naming
        self.server.hits += 1
        self.send_response(self.server.status)
        self.send_header("Content-Type", self.server.content_type)
        self.send_header("Content-Length", str(len(self.server.body)))
        self.end_headers()
        self.wfile.write(self.server.body)

    def log_message(self, format: str, *args: object) -> None:  # quiet tests
        pass


class FixedAnswerServer(ThreadingHTTPServer):
    """Answers every GET alike and counts the requests (to prove that offline work sends none)."""

    daemon_threads = True

    def __init__(self, status: int, content_type: str, body: bytes) -> None:
        super().__init__(("127.0.0.1", 0), _FixedAnswer)
        self.status, self.content_type, self.body = status, content_type, body
        self.hits = 0


MALFORMED_XML = (
    b'<?xml version="1.0"?>\n'
    b'<wfs:WFS_Capabilities xmlns:wfs="http://www.opengis.net/wfs/2.0"><unclosed>'
)


class SilentServer:
    """Accepts connections on 127.0.0.1 and never answers."""

    def __init__(self) -> None:
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(16)
        self._listener.settimeout(0.2)
        self._held: list[socket.socket] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept_and_hold, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._listener.getsockname()[1]}/wfs"

    def _accept_and_hold(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self._listener.accept()
                self._held.append(connection)
            except OSError:
                continue

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        for connection in self._held:
            connection.close()
        self._listener.close()


def closed_port() -> int:
    """A port on 127.0.0.1 where nothing listens (connection refused)."""
    probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return port

"""Report map backgrounds: the offline context from the data root, and the BRT-Achtergrondkaart
from a WMS when asked for (a real HTTP server on 127.0.0.1 stands in for PDOK), falling back
to the offline context when the service fails."""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar
from urllib.parse import parse_qs, urlparse

import numpy as np
import pytest
from PIL import Image
from shapely import Point

from export_fixtures import export_locations
from locatiescan.export.basemap import brt_image, context
from locatiescan.export.mapimage import LAND_COLOUR, location_map_image, map_extent

MAGENTA = (255, 0, 255)  # the test server's "basemap": a colour no map layer uses


class _Wms(BaseHTTPRequestHandler):
    """GetMap answers a magenta PNG of the requested size; path /kapot answers HTTP 500."""

    requests: ClassVar[list[dict[str, str]]] = []

    def do_GET(self) -> None:
        url = urlparse(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        type(self).requests.append(query)
        if url.path == "/kapot":
            self.send_response(500)
            self.end_headers()
            return
        buffer = io.BytesIO()
        size = (int(query["WIDTH"]), int(query["HEIGHT"]))
        Image.new("RGB", size, MAGENTA).save(buffer, format="PNG")
        body = buffer.getvalue()
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:  # keep test output clean
        pass


@pytest.fixture(scope="module")
def wms() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Wms)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def colour_share(image: Image.Image, colour: tuple[int, int, int]) -> float:
    pixels = np.asarray(image.convert("RGB")).reshape(-1, 3)
    return float((np.abs(pixels - np.array(colour)).sum(axis=1) < 12).mean())


@pytest.fixture(scope="module")
def drawn():
    locations = export_locations()
    return locations[locations["id"] == "EIGEN-0001"]  # 400 m x 600 m in Utrecht


def test_brt_background_from_the_wms(wms, drawn):
    _Wms.requests.clear()
    image = location_map_image(
        drawn, width_cm=10.16, height_cm=5.08, dpi=100, basemap="grijs", basemap_url=f"{wms}/wms"
    )
    request = _Wms.requests[-1]
    assert request["LAYERS"] == "grijs" and request["CRS"] == "EPSG:28992"
    assert (request["WIDTH"], request["HEIGHT"]) == ("400", "200")  # 4 x 2 inch at 100 dpi
    minx, miny, maxx, maxy = map_extent(drawn, 2.0)  # 2 km x 1 km around the box
    assert request["BBOX"] == f"{minx:.2f},{miny:.2f},{maxx:.2f},{maxy:.2f}"
    assert colour_share(image, MAGENTA) > 0.5  # the background shows (location, legend on top)


def test_failing_wms_falls_back_to_the_offline_context(wms, drawn):
    image = location_map_image(drawn, basemap="grijs", basemap_url=f"{wms}/kapot")
    assert colour_share(image, MAGENTA) == 0
    land = tuple(int(LAND_COLOUR[i : i + 2], 16) for i in (1, 3, 5))
    assert colour_share(image, land) > 0.3  # Utrecht is land


def test_offline_without_a_url_asks_no_server(wms, drawn):
    _Wms.requests.clear()
    assert brt_image((0, 0, 1, 1), (10, 10)) is None  # conftest sets LOCATIESCAN_ONLINE=0
    assert _Wms.requests == []


def test_offline_context_has_land_water_and_names():
    layers = context()
    assert len(layers.provinces) == 12 and len(layers.gemeenten) == 345  # SOURCES.md, cbs/
    # IJsselmeer lies in the open water, not on land (point near Stavoren-Enkhuizen)
    ijsselmeer = Point(150_000, 540_000)
    assert layers.water.contains(ijsselmeer) and not layers.land.contains(ijsselmeer)
    assert "Utrecht" in set(layers.provinces["naam"]) and "Maasdriel" in set(
        layers.gemeenten["naam"]
    )

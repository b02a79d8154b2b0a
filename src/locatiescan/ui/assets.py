"""Offline map assets: folium's CDN links replaced by the copies vendored in `app/static/vendor`.

The app runs without internet, so the browser must load Leaflet (and Leaflet.draw) from the
Streamlit server itself (static serving, `/app/static/...`). The URLs are relative to the
streamlit-folium component iframe (`<base>/component/<name>/index.html`), so they also work when
the app is served under a base URL path.
"""

from __future__ import annotations

from collections.abc import Iterator

from branca.element import Element
from folium import Map

VENDOR_URL = "../../app/static/vendor"
LOCAL_ASSETS: dict[str, str] = {
    "leaflet": f"{VENDOR_URL}/leaflet-1.9.4/leaflet.js",
    "leaflet_css": f"{VENDOR_URL}/leaflet-1.9.4/leaflet.css",
    "leaflet_draw_js": f"{VENDOR_URL}/leaflet-draw-1.0.4/leaflet.draw.js",
    "leaflet_draw_css": f"{VENDOR_URL}/leaflet-draw-1.0.4/leaflet.draw.css",
}
# Libraries folium links by default that none of our map elements needs.
UNUSED_ASSETS = frozenset(
    {
        "jquery",
        "bootstrap",
        "awesome_markers",
        "bootstrap_css",
        "glyphicons_css",
        "awesome_markers_font_css",
        "awesome_markers_css",
        "awesome_rotate_css",
    }
)


class UnvendoredAssetError(ValueError):
    """A map element needs a browser library that is not vendored in app/static/vendor."""


def _elements(element: Element) -> Iterator[Element]:
    yield element
    for child in element._children.values():
        yield from _elements(child)


def _localize(links: list[tuple[str, str]]) -> list[tuple[str, str]]:
    unknown = [name for name, _ in links if name not in LOCAL_ASSETS and name not in UNUSED_ASSETS]
    if unknown:
        msg = f"map uses browser libraries that are not vendored: {', '.join(unknown)}"
        raise UnvendoredAssetError(msg)
    return [(name, LOCAL_ASSETS[name]) for name, _ in links if name in LOCAL_ASSETS]


def localize_assets(fmap: Map) -> Map:
    """Point every element's JS/CSS links at the vendored copies; refuse unknown libraries."""
    for element in _elements(fmap):
        if hasattr(element, "default_js"):
            element.default_js = _localize(element.default_js)
        if hasattr(element, "default_css"):
            element.default_css = _localize(element.default_css)
    return fmap


def asset_links(fmap: Map) -> list[str]:
    """Every JS/CSS URL the map's elements will load (what the browser fetches)."""
    links: list[str] = []
    for element in _elements(fmap):
        for attr in ("default_js", "default_css"):
            links += [url for _, url in getattr(element, attr, [])]
    return list(dict.fromkeys(links))

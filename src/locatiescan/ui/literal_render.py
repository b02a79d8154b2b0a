"""Folium elements render their output as text, never as a template again.

branca's `MacroElement.render` renders an element's macros, then wraps each result in an
`Element`, which compiles that *output* as a Jinja template; rendering the figure evaluates it
a second time. Text that came from data therefore runs as Jinja on the server: a location named
`{{ 7*7 }}` in an uploaded file shows as "49", Jinja expressions can reach Python objects
(server-side template injection), and an unbalanced `{{` stops the map. Compiling every script,
the GeoJSON data included, is also most of the time a Kaart rerun spends in folium.

`install()` (called when `locatiescan.ui.mapview` is imported) replaces `MacroElement.render`
by `render_literally`, which does the same with the macros' output kept as literal text. That
output is made when the figure part renders: streamlit-folium renders the map for its side
effects and then builds the script itself, so the scripts (the GeoJSON data) are serialised only
when used. The one folium feature that relied on the second pass, element references inside a
GeoJSON style map (fill patterns), is not used here; streamlit-folium resolves those itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from branca.element import Element, Figure, MacroElement

PARTS = ("header", "html", "script")


class MacroOutput(Element):
    """One macro's output in a figure part: the macro's text, unchanged, made on render."""

    def __init__(
        self, macro: Callable[[MacroElement, dict], str], element: MacroElement, kwargs: dict
    ) -> None:
        super().__init__()
        self.macro, self.element, self.kwargs = macro, element, kwargs

    def render(self, **kwargs: Any) -> str:
        """The macro's output for its element, as literal text."""
        return self.macro(self.element, self.kwargs)


def render_literally(self: MacroElement, **kwargs: Any) -> None:
    """`MacroElement.render` with each macro's output added to the figure as literal text."""
    figure = self.get_root()
    if not isinstance(figure, Figure):
        raise TypeError("You cannot render this Element if it is not in a Figure.")
    macros = self._template.module.__dict__
    for part in PARTS:
        macro = macros.get(part)
        if macro is not None:
            getattr(figure, part).add_child(MacroOutput(macro, self, kwargs), name=self.get_name())
    for element in self._children.values():
        element.render(**kwargs)


def install() -> None:
    """Make every folium element in this process render literally (idempotent)."""
    MacroElement.render = render_literally  # type: ignore[method-assign]

"""Dutch labels: text that Streamlit renders as markdown is shown as written."""

from __future__ import annotations

import pytest

from locatiescan.ui.labels import markdown_literal


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("Plan_Noord_2", r"Plan\_Noord\_2"),  # no italics
        ("[klik](https://x.nl)", r"\[klik\](https://x.nl)"),  # no disguised link
        ("![beeld](https://x.nl/p.png)", r"!\[beeld\](https://x.nl/p.png)"),  # no image
        (":red[rood] en $x^2$", r":red\[rood\] en \$x^2\$"),  # no colour, no formula
        (
            "<b>vet</b> **ook** `code` ~~weg~~ a|b",
            r"\<b\>vet\</b\> \*\*ook\*\* \`code\` \~\~weg\~\~ a\|b",
        ),
        ("C:\\data\\plan.gpkg", r"C:\\data\\plan.gpkg"),  # a backslash stays one
        ("Oosterwold (fase 2): 1.000 woningen", "Oosterwold (fase 2): 1.000 woningen"),
    ],
)
def test_markdown_literal_escapes_what_markdown_would_act_on(text, escaped):
    assert markdown_literal(text) == escaped


def test_markdown_literal_takes_any_value():
    assert markdown_literal(12) == "12"

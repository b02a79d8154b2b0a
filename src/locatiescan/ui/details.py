"""The facts of one location for its detail panel on the Kaart (pure): programmes, gemeenten,
homes (the policy number beside the EIB plan polygons' number), geometry, nesting."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from locatiescan.present import is_missing, label, nl_number, woningen_of
from locatiescan.sites import programmes
from locatiescan.ui.labels import quality_label, type_label

MAX_PLAN_NAMES = 3


def _names(cell: Any) -> list[str]:
    """Distinct names of a '; '-joined cell, in order."""
    if is_missing(cell):
        return []
    return list(dict.fromkeys(n.strip() for n in str(cell).split(";") if n.strip()))


def eib_text(row: Mapping[str, Any]) -> str | None:
    """'2.900 woningen in 2 EIB-plannen (2020): A, B; koppeling zekerheid hoog' ('89 EIB-plannen
    (2020; 44 plannamen)' when plans share a name), or None when the location has no linked EIB
    plan polygons."""
    homes = row.get("eib_woningen")
    if is_missing(homes):
        return None
    plans = _names(row.get("eib_plannamen"))
    polygons = len(_names(row.get("eib_ids"))) or len(plans)  # plans split in several polygons
    shown = ", ".join(plans[:MAX_PLAN_NAMES]) + (" …" if len(plans) > MAX_PLAN_NAMES else "")
    count = f"{polygons} EIB-plan" + ("nen" if polygons != 1 else "")
    named = f"; {len(plans)} plannamen" if 0 < len(plans) < polygons else ""
    text = f"{nl_number(homes)} woningen in {count} (2020{named})" + (f": {shown}" if shown else "")
    certainty = row.get("eib_zekerheid")
    return text + (f"; koppeling zekerheid {label(certainty)}" if not is_missing(certainty) else "")


def detail_lines(row: Mapping[str, Any]) -> list[str]:
    """Markdown lines 'Naam: waarde' for a location row of the Location table."""
    names = programmes(row.get("programmas")) or [str(row.get("type"))]
    heading = "Programma's" if len(names) > 1 else "Programma"
    lines = [
        f"{heading}: {', '.join(type_label(n) for n in names)}",
        f"Gemeente(n): {', '.join(_names(row.get('gemeenten'))) or 'onbekend'}",
        f"Woningen (beleid): {woningen_of(row)}",
    ]
    eib = eib_text(row)
    if eib is not None:
        lines.append(f"Woningen volgens de plancapaciteit: {eib}")
    lines.append(f"Geometrie: {quality_label(row.get('geometrie_kwaliteit'))}")
    if not is_missing(row.get("binnen")):
        lines.append(f"Ligt binnen {row['binnen']} (de woningen tellen daar mee)")
    if not is_missing(row.get("zelfde_site_als")):
        merged = ", ".join(programmes(row["zelfde_site_als"]))
        lines.append(f"Zelfde locatie als {merged} (één keer geteld)")
    return lines

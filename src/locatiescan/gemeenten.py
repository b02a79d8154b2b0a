"""The 2022 gemeente division: polygons, names and codes, and how older codes and names map onto it.

The sources use different divisions: `nl_data.json` (2021 codes for a few merged gemeenten), the
CBS woningvoorraad (2020 codes) and the Data Bewijst plancapaciteit (2021 names, no codes).
`GEMEENTE_MERGERS` lists the 2021-2022 mergers; a merged gemeente gets a value only when *every*
predecessor is present in a source (the values are then added up), never a partial sum. A gemeente
that was split over several others (Haaren, 2021) cannot be attributed and is reported as unjoined.

Names are compared by `name_key`: accents, case, punctuation and spaces removed, so
"'s-Gravenhage", "Súdwest Fryslân" and "NederBetuwe" match their 2022 spelling. `NAME_ALIASES`
adds the colloquial names ("Den Haag") and absorbed gemeenten ("Leeuwarderadeel"). A name that
matches several gemeenten ("Bergen") is resolved by provincie.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from locatiescan.paths import data_file

RD = "EPSG:28992"
GEMEENTEN_FILE = "cbs/gemeenten_2022.geojson"
PROVINCIES_FILE = "cbs/gemeente_provincie_2022.csv"

# 2022 gemeentecode -> {predecessor code: predecessor name} (CBS gemeentelijke indeling 2021, 2022).
GEMEENTE_MERGERS: dict[str, dict[str, str]] = {
    "GM1979": {"GM0003": "Appingedam", "GM0010": "Delfzijl", "GM0024": "Loppersum"},
    "GM1980": {"GM0398": "Heerhugowaard", "GM0416": "Langedijk"},
    "GM1982": {
        "GM0756": "Boxmeer",
        "GM0786": "Grave",
        "GM0815": "Mill en Sint Hubert",
        "GM1684": "Cuijk",
        "GM1702": "Sint Anthonis",
    },
    "GM1991": {"GM0856": "Uden", "GM1685": "Landerd"},
    "GM0439": {"GM0439": "Purmerend", "GM0370": "Beemster"},
}

# name_key of an alternative spelling -> name_key of the 2022 gemeente.
NAME_ALIASES: dict[str, str] = {
    "denhaag": "sgravenhage",
    "denbosch": "shertogenbosch",
    "nuenenca": "nuenengerwenennederwetten",
    "nuenen": "nuenengerwenennederwetten",
    "leeuwarderadeel": "leeuwarden",
}

PROVINCIE_ALIASES: dict[str, str] = {"friesland": "fryslan"}


def name_key(name: str) -> str:
    """Comparable form of a gemeente name: no accents, case, punctuation or spaces."""
    decomposed = unicodedata.normalize("NFKD", str(name))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    key = re.sub(r"[\W_]+", "", plain.casefold())
    return NAME_ALIASES.get(key, key)


def base_name_key(name: str) -> str:
    """`name_key` without a parenthesised suffix: "Bergen (NH.)" -> "bergen"."""
    return name_key(re.sub(r"\(.*?\)", "", str(name)))


def provincie_key(name: str) -> str:
    """Comparable form of a provincie name ("Friesland", "Fryslân", "Limburg  ")."""
    key = name_key(name)
    return PROVINCIE_ALIASES.get(key, key)


def predecessor_of() -> dict[str, str]:
    """Predecessor code -> 2022 code, from `GEMEENTE_MERGERS`."""
    return {old: new for new, olds in GEMEENTE_MERGERS.items() for old in olds}


@lru_cache(maxsize=4)
def _read_gemeenten(geojson: Path, provincies_csv: Path) -> gpd.GeoDataFrame:
    shapes = gpd.read_file(geojson)[["statcode", "statnaam", "geometry"]].to_crs(RD)
    provincies = pd.read_csv(provincies_csv, dtype=str)[["statcode", "provincie"]]
    frame = shapes.merge(provincies, on="statcode", how="left")
    frame = frame.rename(columns={"statcode": "gemeentecode", "statnaam": "gemeente"})
    return frame[["gemeentecode", "gemeente", "provincie", "geometry"]]


def load_gemeenten(root: Path | None = None) -> gpd.GeoDataFrame:
    """The 345 gemeenten of 2022 in EPSG:28992: gemeentecode, gemeente, provincie, geometry
    (from `root`, default: the data root)."""
    return _read_gemeenten(data_file(GEMEENTEN_FILE, root), data_file(PROVINCIES_FILE, root)).copy()


def match_codes(codes: pd.Series, gemeenten: pd.DataFrame) -> pd.DataFrame:
    """Per source code (same index): 2022 `gemeentecode`, `via` ("direct"/"fusie") or `reden`."""
    known = set(gemeenten["gemeentecode"])
    merged = predecessor_of()
    rows = []
    for code in codes.astype(str).str.strip():
        if code in merged:
            rows.append((merged[code], "fusie", None))
        elif code in known:
            rows.append((code, "direct", None))
        else:
            rows.append((None, None, f"code {code} bestaat niet in de indeling van 2022"))
    return pd.DataFrame(rows, index=codes.index, columns=["gemeentecode", "via", "reden"])


def match_names(
    names: pd.Series, gemeenten: pd.DataFrame, provincies: pd.Series | None = None
) -> pd.DataFrame:
    """Per source name (same index): the 2022 `gemeentecode`, `via` ("direct"/"fusie") or a `reden`.

    A predecessor name of a merger maps with via "fusie"; a name shared by several gemeenten is
    resolved by the matching entry of `provincies`.
    """
    by_key = {
        name_key(n): c
        for n, c in zip(gemeenten["gemeente"], gemeenten["gemeentecode"], strict=True)
    }
    by_base: dict[str, list[tuple[str, str]]] = {}
    for n, c, p in zip(
        gemeenten["gemeente"], gemeenten["gemeentecode"], gemeenten["provincie"], strict=True
    ):
        by_base.setdefault(base_name_key(n), []).append((c, provincie_key(p or "")))
    predecessors = {
        name_key(old_name): new
        for new, olds in GEMEENTE_MERGERS.items()
        for old_name in olds.values()
    }
    rows = []
    for idx, name in names.items():
        key = name_key(name)
        prov = provincie_key(provincies[idx]) if provincies is not None else None
        candidates = by_base.get(base_name_key(name), [])
        if prov is not None and len(candidates) > 1:
            candidates = [c for c in candidates if c[1] == prov]
        if key in predecessors:
            rows.append((predecessors[key], "fusie", None))
        elif key in by_key:
            rows.append((by_key[key], "direct", None))
        elif len(candidates) == 1:
            rows.append((candidates[0][0], "direct", None))
        elif candidates:
            rows.append((None, None, f"naam {name!r} past bij meerdere gemeenten"))
        else:
            rows.append((None, None, f"naam {name!r} bestaat niet in de indeling van 2022"))
    return pd.DataFrame(rows, index=names.index, columns=["gemeentecode", "via", "reden"])


def complete_mergers(matches: pd.DataFrame, source_keys: pd.Series) -> pd.DataFrame:
    """Undo the "fusie" matches of a 2022 gemeente whose predecessors are not all present.

    `source_keys` (same index as `matches`) holds each row's code or `name_key`. When the 2022
    gemeente is also present as a direct row, that row wins and the predecessors are undone.
    """
    result = matches.copy()
    direct = set(result.loc[result["via"] == "direct", "gemeentecode"])
    for new, olds in GEMEENTE_MERGERS.items():
        rows = result.index[(result["via"] == "fusie") & (result["gemeentecode"] == new)]
        if rows.empty:
            continue
        predecessor = {code: code for code in olds} | {name_key(n): c for c, n in olds.items()}
        found = {predecessor.get(str(key)) for key in source_keys[rows]}
        if new in direct:
            reason = f"{new} staat al als geheel in de bron"
        elif found != set(olds):
            missing = sorted(name for code, name in olds.items() if code not in found)
            reason = f"fusie {new} onvolledig: ontbreekt {', '.join(missing)}"
        else:
            continue
        result.loc[rows, ["gemeentecode", "via", "reden"]] = [None, None, reason]
    return result


MIN_SHARE = 0.01


def gemeenten_for_areas(geometries: gpd.GeoSeries, gemeenten: gpd.GeoDataFrame) -> pd.DataFrame:
    """Pure: per geometry (same index) the gemeenten it lies in, largest overlap first.

    A gemeente counts when it holds at least `MIN_SHARE` of the geometry's area (slivers along
    generalised borders are ignored), or when it is the only one touched. Columns `gemeenten`,
    `gemeentecodes`, `provincie` (";"-joined, NA outside every gemeente).
    """
    left = gpd.GeoDataFrame(
        {"_row": range(len(geometries))}, geometry=geometries.to_numpy(), crs=geometries.crs
    )
    pairs = gpd.sjoin(left, gemeenten, predicate="intersects", how="inner")
    shapes = gemeenten.geometry.loc[pairs["index_right"]].to_numpy()
    overlap = shapely.area(shapely.intersection(pairs.geometry.to_numpy(), shapes))
    pairs = pairs.assign(_overlap=overlap, _share=overlap / pairs.geometry.area.to_numpy())
    pairs = pairs.sort_values(["_row", "_overlap"], ascending=[True, False])
    rank = pairs.groupby("_row").cumcount()
    pairs = pairs[(pairs["_share"] >= MIN_SHARE) | (rank == 0)]

    def joined(column: str) -> pd.Series:
        return pairs.groupby("_row")[column].agg(lambda v: ";".join(dict.fromkeys(v)))

    result = pd.DataFrame(
        {
            c: joined(k)
            for c, k in (
                ("gemeenten", "gemeente"),
                ("gemeentecodes", "gemeentecode"),
                ("provincie", "provincie"),
            )
        }
    )
    result = result.reindex(range(len(geometries))).astype("string")
    result.index = geometries.index
    return result

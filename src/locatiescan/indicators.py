"""Gemeente indicators (CBS, plancapaciteit, woningvoorraad) and their values per location.

Sources (below the data root), all mapped onto the 2022 gemeente division (see `gemeenten`):

- `cbs/nl_data.json` (CBS 85039NED, kerncijfers 2022): inwoners and the housing/density figures.
- `woningbouw/plancapaciteit_gemeenten_databewijst_2021.csv` (Data Bewijst 2021): joined by name.
  plancap_hard = `htotaal`, plancap_zacht = `ztotaal`, plancap_totaal = `totaal`. Zuid-Holland
  reported only per region (the per-gemeente rows are not reliable, per the file's own checks), so
  its gemeenten are unknown. Rows without any period figure and a total of 0 (three Flevoland
  gemeenten) are missing, not zero.
- `woningbouw/cbs_woningvoorraad_gemeenten_2012-2020.csv` (CBS 81955NED): woningvoorraad =
  `EindstandVoorraad_8` of 2020, nieuwbouw_per_jaar = mean `Nieuwbouw_2` over 2016-2020, unknown
  for gemeenten created after 2016 (their code has no earlier years).

Merged gemeenten add up their predecessors: counts are summed, percentages and means are weighted
by inwoners. The same rule combines a location's gemeenten, except bevolkingsdichtheid, which is
total inwoners over total area. A value that needs a missing part is unknown (NaN), never partial.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from locatiescan.errors import DataRootError, InputError
from locatiescan.gemeenten import (
    complete_mergers,
    load_gemeenten,
    match_codes,
    match_names,
    name_key,
)
from locatiescan.paths import data_file, data_root

NL_DATA_FILE = "cbs/nl_data.json"
PLANCAP_FILE = "woningbouw/plancapaciteit_gemeenten_databewijst_2021.csv"
VOORRAAD_FILE = "woningbouw/cbs_woningvoorraad_gemeenten_2012-2020.csv"

INDICATORS: dict[str, str] = {
    "inwoners": "Inwoners",
    "huishoudgrootte": "Gemiddelde huishoudgrootte",
    "leegstand_pct": "Leegstand (%)",
    "sociale_huur_pct": "Sociale huurwoningen (%)",
    "koop_pct": "Koopwoningen (%)",
    "huur_pct": "Huurwoningen (%)",
    "woz_gemiddeld": "Gemiddelde WOZ-waarde (x €1.000)",
    "bevolkingsdichtheid": "Bevolkingsdichtheid (inwoners per km²)",
    "plancap_hard": "Harde plancapaciteit (woningen)",
    "plancap_zacht": "Zachte plancapaciteit (woningen)",
    "plancap_totaal": "Totale plancapaciteit (woningen)",
    "woningvoorraad": "Woningvoorraad 2020",
    "nieuwbouw_per_jaar": "Nieuwbouw per jaar (gemiddeld 2016-2020)",
    "aandeel_plancap_pct": "Woningen van de locatie als deel van de plancapaciteit (%)",
}
COUNTS = [
    "inwoners",
    "plancap_hard",
    "plancap_zacht",
    "plancap_totaal",
    "woningvoorraad",
    "nieuwbouw_per_jaar",
]
WEIGHTED = [
    "huishoudgrootte",
    "leegstand_pct",
    "sociale_huur_pct",
    "koop_pct",
    "huur_pct",
    "woz_gemiddeld",
]

NL_DATA_FIELDS: dict[str, tuple[str, ...]] = {
    "inwoners": ("Population",),
    "huishoudgrootte": ("Housing", "Avg household size"),
    "leegstand_pct": ("Housing", "Vacancy rate (%)"),
    "sociale_huur_pct": ("Housing", "Social housing (%)"),
    "koop_pct": ("Housing", "Owner-occupied (%)"),
    "huur_pct": ("Housing", "Rental homes (%)"),
    "woz_gemiddeld": ("Housing", "Avg WOZ value (x€1k)"),
    "bevolkingsdichtheid": ("Demographics", "Population density (per km²)"),
}
PLANCAP_FIELDS = {"htotaal": "plancap_hard", "ztotaal": "plancap_zacht", "totaal": "plancap_totaal"}
PLANCAP_PERIODS = ["h2020-2024", "h2025-2029", "h2030+", "z2021-2024", "z2025-2029", "z2030+"]
REGIONAL_ONLY_PROVINCIE = "zuidholland"
NIEUWBOUW_YEARS = range(2016, 2021)


def _nested(entry: dict[str, Any], path: tuple[str, ...]) -> float:
    value: Any = entry
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    return float(value) if isinstance(value, (int, float)) else np.nan


def combine(frame: pd.DataFrame, by: pd.Series) -> pd.DataFrame:
    """Pure: rows grouped by `by` (aligned labels); counts summed, percentages weighted by inwoners.

    A group with a missing value (or missing inwoners for a weighted column) is NaN for that column.
    """
    # grouped by integer codes: each of the groupbys below would otherwise sort the text keys
    keys, labels = pd.factorize(by.to_numpy(), sort=True)
    columns = [c for c in INDICATORS if c in frame.columns]
    weights = (
        frame["inwoners"] if "inwoners" in frame.columns else pd.Series(np.nan, index=frame.index)
    )

    def strict(values: pd.Series, needs: pd.Series) -> pd.Series:
        gaps = (values.isna() | needs.isna()).groupby(keys).any()
        return values.groupby(keys).sum().where(~gaps)

    result = {}
    for col in columns:
        values = frame[col]
        if col in COUNTS:
            result[col] = strict(values, values)
        elif col in WEIGHTED:
            total = strict(values * weights, weights) / weights.groupby(keys).sum()
            result[col] = total.where(np.isfinite(total))
        elif col == "bevolkingsdichtheid":
            area = weights / values.where(values > 0)
            result[col] = strict(weights, area) / area.groupby(keys).sum()
    frame = pd.DataFrame(result, index=pd.RangeIndex(len(labels)))
    return frame.set_axis(pd.Index(labels)).astype(float)


def _to_2022(
    frame: pd.DataFrame, matches: pd.DataFrame, keys: pd.Series, labels: pd.Series
) -> tuple[pd.DataFrame, list[dict]]:
    """Rows matched onto 2022 codes (incomplete mergers undone) and the rows that failed."""
    matches = complete_mergers(matches, keys)
    ok = matches["gemeentecode"].notna()
    failed = [{"bron": str(labels[i]), "reden": matches.at[i, "reden"]} for i in matches.index[~ok]]
    return combine(frame.loc[ok], matches.loc[ok, "gemeentecode"]), failed


@lru_cache(maxsize=4)
def _read_nl_data(path: Path) -> pd.DataFrame:
    try:
        gemeenten = json.loads(path.read_text(encoding="utf-8"))["Gemeente"]
    except (json.JSONDecodeError, KeyError) as err:
        msg = f"{path}: not the expected nl_data.json layout: {err}"
        raise DataRootError(
            msg, f"{path}: niet de verwachte indeling van nl_data.json: {err}"
        ) from err
    rows = {
        code: {name: _nested(entry, p) for name, p in NL_DATA_FIELDS.items()}
        for code, entry in gemeenten.items()
    }
    return pd.DataFrame.from_dict(rows, orient="index")


@lru_cache(maxsize=4)
def _read_plancap(path: Path) -> pd.DataFrame:
    return pd.read_csv(path)


@lru_cache(maxsize=4)
def _read_voorraad(path: Path) -> pd.DataFrame:
    frame = pd.read_csv(path, sep=";", dtype={"RegioS": str, "Perioden": str})
    frame["RegioS"] = frame["RegioS"].str.strip()
    return frame


def nl_data_table(raw: pd.DataFrame, gemeenten: pd.DataFrame) -> tuple[pd.DataFrame, list[dict]]:
    """Pure: nl_data indicators per 2022 gemeentecode, and the codes that failed to join."""
    keys = pd.Series(raw.index, index=raw.index)
    return _to_2022(raw, match_codes(keys, gemeenten), keys, keys)


def plancap_table(
    raw: pd.DataFrame, gemeenten: pd.DataFrame
) -> tuple[pd.DataFrame, list[dict], list[str]]:
    """Pure: plancapaciteit per 2022 gemeentecode, failed rows, and the regional-only gemeenten."""
    frame = raw.rename(columns=PLANCAP_FIELDS).reset_index(drop=True)
    no_data = frame[PLANCAP_PERIODS].isna().all(axis=1) & (frame["plancap_totaal"] == 0)
    frame.loc[no_data, list(PLANCAP_FIELDS.values())] = np.nan
    matches = match_names(frame["gemeente"], gemeenten, frame["provincie"])
    keys = frame["gemeente"].map(name_key)
    table, failed = _to_2022(frame[list(PLANCAP_FIELDS.values())], matches, keys, frame["gemeente"])
    regional = gemeenten.loc[
        gemeenten["provincie"].map(name_key) == REGIONAL_ONLY_PROVINCIE, "gemeentecode"
    ]
    table.loc[table.index.isin(regional), list(PLANCAP_FIELDS.values())] = np.nan
    return table, failed, sorted(regional)


def voorraad_table(raw: pd.DataFrame, gemeenten: pd.DataFrame) -> tuple[pd.DataFrame, list[dict]]:
    """Pure: woningvoorraad 2020 and mean nieuwbouw 2016-2020 per 2022 gemeentecode."""
    year = raw["Perioden"].str[:4].astype(int)
    stock = raw.loc[year == 2020].set_index("RegioS")["EindstandVoorraad_8"]
    recent = raw.loc[year.isin(NIEUWBOUW_YEARS)]
    counts = recent.groupby("RegioS")["Nieuwbouw_2"].agg(["count", "mean"])
    nieuwbouw = counts["mean"].where(counts["count"] == len(NIEUWBOUW_YEARS))
    frame = pd.DataFrame({"woningvoorraad": stock, "nieuwbouw_per_jaar": nieuwbouw}).dropna(
        how="all"
    )
    keys = pd.Series(frame.index, index=frame.index)
    return _to_2022(frame, match_codes(keys, gemeenten), keys, keys)


NOTE_LABELS = {
    "inwoners": "CBS-kerncijfers onbekend",
    "plancap_totaal": "plancapaciteit onbekend",
    "plancap_hard": "verdeling hard/zacht onbekend",
    "woningvoorraad": "woningvoorraad onbekend",
    "nieuwbouw_per_jaar": "nieuwbouw 2016-2020 onvolledig (gemeente later ontstaan)",
}
REGIONAL_ONLY_NOTE = "plancapaciteit Zuid-Holland alleen per regio bekend"


def _notes(table: pd.DataFrame, regional: list[str]) -> pd.Series:
    """Dutch note per gemeente naming its unknown indicators and why."""
    notes = pd.Series([[] for _ in table.index], index=table.index)
    for code in table.index:
        if code in regional:
            notes[code].append(REGIONAL_ONLY_NOTE)
        notes[code].extend(
            label
            for col, label in NOTE_LABELS.items()
            if pd.isna(table.at[code, col])
            and not (col.startswith("plancap") and code in regional)
            and not (col == "plancap_hard" and pd.isna(table.at[code, "plancap_totaal"]))
        )
    return notes.map("; ".join)


def _indicators_and_report(root: Path | None) -> tuple[pd.DataFrame, dict[str, Any]]:
    return _gemeente_indicators_and_report(data_root() if root is None else root)


@lru_cache(maxsize=4)
def _gemeente_indicators_and_report(root: Path) -> tuple[pd.DataFrame, dict[str, Any]]:
    gemeenten = load_gemeenten(root).drop(columns="geometry")
    nl, nl_failed = nl_data_table(_read_nl_data(data_file(NL_DATA_FILE, root)), gemeenten)
    plancap, plancap_failed, regional = plancap_table(
        _read_plancap(data_file(PLANCAP_FILE, root)), gemeenten
    )
    voorraad, voorraad_failed = voorraad_table(
        _read_voorraad(data_file(VOORRAAD_FILE, root)), gemeenten
    )
    table = gemeenten.set_index("gemeentecode")[["gemeente", "provincie"]].join(
        [nl, plancap, voorraad]
    )
    table.index.name = "gemeentecode"
    table["toelichting"] = _notes(table, regional)
    report = {
        "nl_data": {"joined": int(nl.index.isin(table.index).sum()), "unjoined": nl_failed},
        "plancapaciteit": {
            "joined": int(plancap["plancap_totaal"].notna().sum()),
            "unjoined": plancap_failed,
            "regional_only": regional,
        },
        "woningvoorraad": {
            "joined": int(voorraad.index.isin(table.index).sum()),
            "unjoined": voorraad_failed,
        },
        "missing": {
            col: sorted(table.index[table[col].isna()]) for col in INDICATORS if col in table
        },
    }
    return table, report


def gemeente_indicators(root: Path | None = None) -> pd.DataFrame:
    """Indicators per 2022 gemeentecode: gemeente, provincie, indicators, toelichting (notes)."""
    return _indicators_and_report(root)[0].copy()


def join_report(root: Path | None = None) -> dict[str, Any]:
    """How each source joined onto the 2022 gemeenten: counts, failed rows with reasons, gaps."""
    return json.loads(json.dumps(_indicators_and_report(root)[1]))


def location_indicators(locations: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """Pure: the indicators per location id from a gemeente table (module rules for combining)."""
    missing = [c for c in ("id", "gemeentecodes", "woningen") if c not in locations.columns]
    if missing:
        msg = f"locations lack column(s) {', '.join(missing)}"
        raise InputError(msg, f"locaties missen kolom(men) {', '.join(missing)}")
    # split each distinct text once (many locations name the same gemeenten), then repeat
    text, distinct = pd.factorize(locations["gemeentecodes"].fillna("").astype(str).to_numpy())
    parts = [[c.strip() for c in d.split(";") if c.strip()] for d in distinct]
    sizes = np.array([len(p) for p in parts], dtype=int)
    flat = np.array([c for p in parts for c in p], dtype=object)
    counts = sizes[text]
    first = np.repeat((np.cumsum(sizes) - sizes)[text], counts)
    offset = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    codes = pd.Series(
        flat[first + offset],
        index=pd.Index(np.repeat(locations["id"].to_numpy(), counts), name="id"),
        dtype=object,
    )
    known = codes[codes.isin(table.index)]
    unknown_ids = set(codes.index[~codes.isin(table.index)])
    rows = table.loc[known.to_numpy()].set_axis(known.index)
    result = combine(rows, pd.Series(rows.index, index=rows.index))
    result.loc[result.index.isin(unknown_ids)] = np.nan
    result = result.reindex(locations["id"]).reindex(columns=list(INDICATORS))
    woningen = pd.to_numeric(locations.set_index("id")["woningen"], errors="coerce").astype(float)
    plancap = result["plancap_totaal"].where(result["plancap_totaal"] > 0)
    result["aandeel_plancap_pct"] = woningen.reindex(result.index) / plancap * 100.0
    result.index.name = "id"
    return result.astype(float)


def indicators_for_locations(locations: pd.DataFrame, root: Path | None = None) -> pd.DataFrame:
    """Indicators per location (index: location id; columns: `INDICATORS`; NaN = unknown), from
    the files below `root` (default: the data root)."""
    return location_indicators(locations, _indicators_and_report(root)[0])

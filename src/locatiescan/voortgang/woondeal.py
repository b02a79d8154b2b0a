"""Woondeal progress per gemeente, regio or provincie: target, realised net additions and
plancapaciteit, as the numbers behind a chart like Flevoland's "Figuur 4" (seed 004, lines
163-179).

- Realisation is the net growth of the housing stock ("saldo woningvoorraad", seed 004 lines
  112-115): CBS `SaldoVoorraad_7` per gemeente and year 2012-2020 from the data root, plus years
  a werkruimte imported (an imported year replaces the CBS figure of that gemeente and year).
- A target (woningen over jaar_van..jaar_tot) is spread evenly over its years ("ambitie gedeeld
  door negen jaren", seed 004 line 121) and shown cumulatively.
- Plancapaciteit is Data Bewijst 2021 per gemeente, hard / zacht / onbekend per period of the
  provinces; a gemeente without figures is onbekend (never 0), and a sum over an area names the
  gemeenten it lacks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd

from locatiescan.paths import data_file

VOORRAAD_FILE = "woningbouw/cbs_woningvoorraad_gemeenten_2012-2020.csv"
CAPACITEIT_FILE = "woningbouw/plancapaciteit_gemeenten_databewijst_2021.csv"
GEMEENTEN_FILE = "cbs/gemeente_provincie_2022.csv"
CBS_SOURCE = "CBS 81955NED (saldo woningvoorraad)"
# Periods of the plancapaciteit file: label, first and last year, and its columns.
PERIODS: tuple[tuple[str, int, int | None, dict[str, str | None]], ...] = (
    (
        "2020–2024",
        2020,
        2024,
        {"hard": "h2020-2024", "zacht": "z2021-2024", "onbekend": "onbekend_2021-2024"},
    ),
    (
        "2025–2029",
        2025,
        2029,
        {"hard": "h2025-2029", "zacht": "z2025-2029", "onbekend": "onbekend_2025-2029"},
    ),
    ("2030 en later", 2030, None, {"hard": "h2030+", "zacht": "z2030+", "onbekend": None}),
)
STATUSES = ("hard", "zacht", "onbekend")


@dataclass(frozen=True)
class Gebied:
    """An area: one gemeente, a woondeal regio or a provincie (a named set of gemeentecodes)."""

    naam: str
    gemeentecodes: tuple[str, ...]


@dataclass(frozen=True)
class Doel:
    """A woondeal target: `woningen` net additions over the years jaar_van..jaar_tot."""

    woningen: int
    jaar_van: int
    jaar_tot: int
    bron: str = ""

    @property
    def per_jaar(self) -> float:
        return self.woningen / (self.jaar_tot - self.jaar_van + 1)


@dataclass
class WoondealVoortgang:
    """The numbers behind the chart.

    `jaren`: index jaar; netto_toevoeging (NA = onbekend), bron, realisatie_cumulatief (from
    `start_jaar`; NA from the first unknown year on), doel_cumulatief (NA outside the target).
    `capaciteit`: one row per period: periode, van, tot, hard, zacht, onbekend (NA = no figures
    for any gemeente of the area), basis (realised from start_jaar up to the year before the
    first period, 2019: where the stacked capacity bars start; the bar at a period's end adds
    the capacity of that period and the ones before).
    """

    gebied: Gebied
    doel: Doel | None
    start_jaar: int
    jaren: pd.DataFrame
    capaciteit: pd.DataFrame
    capaciteit_ontbreekt: list[str] = field(default_factory=list)  # gemeente names
    realisatie_ontbreekt: list[str] = field(default_factory=list)  # gemeente names

    def samenvatting(self) -> dict[str, object]:
        """Key figures as in seed 004 lines 121-124: realised, target so far, behind, remaining."""
        known = self.jaren["realisatie_cumulatief"].dropna()
        last = int(known.index.max()) if len(known) else None
        realised = None if last is None else int(known.loc[last])
        target_so_far = None
        if self.doel is not None and last is not None:
            target_so_far = self.jaren.loc[last, "doel_cumulatief"]
            target_so_far = None if pd.isna(target_so_far) else round(float(target_so_far))
        hard = self.capaciteit["hard"].sum(min_count=1)
        zacht = self.capaciteit["zacht"].sum(min_count=1)
        return {
            "gebied": self.gebied.naam,
            "t_m_jaar": last,
            "gerealiseerd": realised,
            "doel_tot_dan": target_so_far,
            "achterstand": (
                None if target_so_far is None or realised is None else target_so_far - realised
            ),
            "doel_totaal": None if self.doel is None else self.doel.woningen,
            "resterend": (
                None if self.doel is None or realised is None else self.doel.woningen - realised
            ),
            "capaciteit_hard": None if pd.isna(hard) else int(hard),
            "capaciteit_zacht": None if pd.isna(zacht) else int(zacht),
        }


def load_gemeenten(root: Path | None = None) -> pd.DataFrame:
    """Gemeenten 2022: gemeentecode, gemeente, provincie (below `root`, default: the data
    root; read once per file)."""
    return _gemeenten(data_file(GEMEENTEN_FILE, root))


@lru_cache(maxsize=4)
def _gemeenten(path: Path) -> pd.DataFrame:
    frame = pd.read_csv(path, dtype=str)
    return frame.rename(columns={"statcode": "gemeentecode", "statnaam": "gemeente"})[
        ["gemeentecode", "gemeente", "provincie"]
    ]


def load_woningvoorraad(root: Path | None = None) -> pd.DataFrame:
    """CBS net additions: gemeentecode, jaar, netto_toevoeging, eindstand (2012-2020)."""
    return _woningvoorraad(data_file(VOORRAAD_FILE, root))


@lru_cache(maxsize=4)
def _woningvoorraad(path: Path) -> pd.DataFrame:
    raw = pd.read_csv(path, sep=";", dtype={"RegioS": str, "Perioden": str})
    return pd.DataFrame(
        {
            "gemeentecode": raw["RegioS"].str.strip(),
            "jaar": raw["Perioden"].str[:4].astype(int),
            "netto_toevoeging": pd.array(raw["SaldoVoorraad_7"], dtype="Int64"),
            "eindstand": pd.array(raw["EindstandVoorraad_8"], dtype="Int64"),
        }
    )


def load_plancapaciteit(root: Path | None = None) -> pd.DataFrame:
    """Plancapaciteit 2021 per gemeentecode: one row per gemeente × period, columns
    gemeentecode, periode, van, tot, hard, zacht, onbekend (NA = not reported). Rows the file
    leaves empty (three Flevoland gemeenten) are onbekend, not 0; names join on 2022 names."""
    return _plancapaciteit(data_file(CAPACITEIT_FILE, root), data_file(GEMEENTEN_FILE, root))


@lru_cache(maxsize=4)
def _plancapaciteit(path: Path, gemeenten_path: Path) -> pd.DataFrame:
    raw = pd.read_csv(path)
    raw["provincie"] = raw["provincie"].str.strip()
    codes = _gemeenten(gemeenten_path).set_index("gemeente")["gemeentecode"]
    raw["gemeentecode"] = raw["gemeente"].str.strip().map(codes)
    period_columns = [c for *_, cols in PERIODS for c in cols.values() if c]
    reported = raw[period_columns].notna().any(axis=1)
    rows = []
    for _, row in raw[reported & raw["gemeentecode"].notna()].iterrows():
        for label, start, end, columns in PERIODS:
            values = {s: (row[c] if c else float("nan")) for s, c in columns.items()}
            rows.append(
                {
                    "gemeentecode": row["gemeentecode"],
                    "periode": label,
                    "van": start,
                    "tot": end,
                    **values,
                }
            )
    frame = pd.DataFrame(rows)
    for status in STATUSES:
        frame[status] = pd.array(pd.to_numeric(frame[status]).round(), dtype="Int64")
    frame["tot"] = pd.array(frame["tot"], dtype="Int64")
    return frame


def provincie_gebied(provincie: str, root: Path | None = None) -> Gebied:
    """A provincie as the set of its 2022 gemeenten."""
    gemeenten = load_gemeenten(root)
    codes = gemeenten.loc[gemeenten["provincie"] == provincie, "gemeentecode"]
    return Gebied(provincie, tuple(codes))


def gemeente_gebied(gemeentecode: str, root: Path | None = None) -> Gebied:
    """One gemeente as an area."""
    names = load_gemeenten(root).set_index("gemeentecode")["gemeente"]
    return Gebied(str(names.get(gemeentecode, gemeentecode)), (gemeentecode,))


def woondeal_voortgang(
    gebied: Gebied,
    voorraad: pd.DataFrame,
    capaciteit: pd.DataFrame,
    doel: Doel | None = None,
    imported: pd.DataFrame | None = None,
    root: Path | None = None,
) -> WoondealVoortgang:
    """The chart's numbers for an area (gemeente names from the data root `root`).

    Parameters
    ----------
    gebied
        The area; its sums cover its gemeentecodes.
    voorraad
        CBS net additions (`load_woningvoorraad`).
    capaciteit
        Plancapaciteit per gemeente and period (`load_plancapaciteit`).
    doel
        The area's target, or None (then the years start at the first CBS year).
    imported
        The werkruimte's net additions (gemeentecode, jaar, netto_toevoeging), replacing the CBS
        figure for the same gemeente and year.
    """
    codes = list(gebied.gemeentecodes)
    names = load_gemeenten(root).set_index("gemeentecode")["gemeente"]
    series = voorraad.loc[
        voorraad["gemeentecode"].isin(codes), ["gemeentecode", "jaar", "netto_toevoeging"]
    ]
    series = series.assign(bron=CBS_SOURCE)
    if imported is not None and not imported.empty:
        own = imported.loc[
            imported["gemeentecode"].isin(codes), ["gemeentecode", "jaar", "netto_toevoeging"]
        ]
        own = own.assign(bron="import werkruimte")
        series = pd.concat([series, own]).drop_duplicates(["gemeentecode", "jaar"], keep="last")
    start = doel.jaar_van if doel is not None else int(voorraad["jaar"].min())
    has_capacity = capaciteit["gemeentecode"].isin(codes).any()
    end = max(
        [int(series["jaar"].max()) if len(series) else start, start]
        + ([doel.jaar_tot] if doel is not None else [])
        + ([int(capaciteit["tot"].max())] if has_capacity else [])
    )
    years = pd.RangeIndex(start, end + 1, name="jaar")
    per_year = series.pivot(index="jaar", columns="gemeentecode", values="netto_toevoeging")
    per_year = per_year.reindex(index=years, columns=codes)
    complete = per_year.notna().all(axis=1)
    net = per_year.sum(axis=1, min_count=1).where(complete).astype("Int64")
    sources = series.groupby("jaar")["bron"].agg(lambda b: "; ".join(sorted(set(b))))
    cumulative = net.cumsum().where(net.notna().cumprod().astype(bool))
    jaren = pd.DataFrame(
        {
            "netto_toevoeging": net,
            "bron": sources.reindex(years).fillna(""),
            "realisatie_cumulatief": cumulative.astype("Int64"),
            "doel_cumulatief": [
                doel.per_jaar * (y - doel.jaar_van + 1)
                if doel is not None and doel.jaar_van <= y <= doel.jaar_tot
                else float("nan")
                for y in years
            ],
        },
        index=years,
    )
    capacity, lacking = _capacity(capaciteit, codes, jaren, start)
    realisatie_ontbreekt = [
        str(names.get(c, c)) for c in codes if c not in set(series["gemeentecode"])
    ]
    return WoondealVoortgang(
        gebied,
        doel,
        start,
        jaren,
        capacity,
        [str(names.get(c, c)) for c in lacking],
        realisatie_ontbreekt,
    )


def _capacity(
    capaciteit: pd.DataFrame, codes: list[str], jaren: pd.DataFrame, start: int
) -> tuple[pd.DataFrame, list[str]]:
    """Per period: the area's hard/zacht/onbekend (sum of known gemeenten) and the bar's base."""
    own = capaciteit[capaciteit["gemeentecode"].isin(codes)]
    lacking = [c for c in codes if c not in set(own["gemeentecode"])]
    first_year = PERIODS[0][1]
    before = jaren["realisatie_cumulatief"].loc[: first_year - 1].dropna()
    base = int(before.iloc[-1]) if len(before) and first_year > start else 0
    rows = []
    for label, first, last, _ in PERIODS:
        part = own[own["periode"] == label]
        rows.append(
            {
                "periode": label,
                "van": first,
                "tot": last,
                **{s: part[s].sum(min_count=1) if len(part) else pd.NA for s in STATUSES},
                "basis": base,
            }
        )
    frame = pd.DataFrame(rows)
    for status in STATUSES:
        frame[status] = pd.array(frame[status], dtype="Int64")
    frame["tot"] = pd.array(frame["tot"], dtype="Int64")
    return frame, lacking

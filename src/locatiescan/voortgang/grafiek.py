"""Charts (matplotlib, no pyplot state, so safe in Streamlit threads): the woondeal chart after
Flevoland's "Figuur 4" (seed 004 lines 173-179) and the project timeline (planned vs actual)."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import pandas as pd

from locatiescan.present import nl_number
from locatiescan.voortgang.kwartaal import parse_kwartaal
from locatiescan.voortgang.woondeal import WoondealVoortgang

if TYPE_CHECKING:  # matplotlib is imported where a chart is drawn: it is slow to import
    from matplotlib.figure import Figure

REALISED = "#1f4e79"
BASE = "#9fb7cc"
CAPACITY = {"hard": "#2e7d32", "zacht": "#f2b632", "onbekend": "#b0b0b0"}
TARGET = "#c62828"
PLANNED, ACTUAL, LATE = "#6b7b8c", "#2e7d32", "#c62828"
DPI = 110


def _dutch_axis(axis) -> None:
    from matplotlib.ticker import FuncFormatter

    axis.set_major_formatter(FuncFormatter(lambda value, _: nl_number(value)))


def woondeal_figuur(voortgang: WoondealVoortgang) -> Figure:
    """Cumulative target line, cumulative realised net additions per year, and per planning
    period a stacked bar: realised before the period + hard, zacht and onbekend capacity."""
    from matplotlib.artist import Artist
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    figure = Figure(figsize=(9, 5), dpi=DPI)
    ax = figure.add_subplot()
    years = voortgang.jaren
    realised = years["realisatie_cumulatief"].dropna()
    ax.bar(realised.index, realised.astype(float), width=0.6, color=REALISED)
    target = years["doel_cumulatief"].dropna()
    if len(target):
        ax.plot(target.index, target.values, color=TARGET, marker="o", linewidth=2)
    capacity = voortgang.capaciteit[voortgang.capaciteit["tot"].notna()]
    running = {status: 0 for status in CAPACITY}
    for row in capacity.itertuples(index=False):
        x = int(row.tot) + 0.5
        bottom = float(row.basis)
        ax.bar(x, bottom, width=0.5, color=BASE)
        for status, colour in CAPACITY.items():
            value = getattr(row, status)
            running[status] += 0 if pd.isna(value) else int(value)
            ax.bar(x, running[status], width=0.5, bottom=bottom, color=colour)
            bottom += running[status]
    ax.set_title(
        f"Woondeal {voortgang.gebied.naam}: doel, realisatie en plancapaciteit", parse_math=False
    )
    ax.set_ylabel("woningen (cumulatief)")
    ax.set_xlabel("jaar")
    _dutch_axis(ax.yaxis)
    ax.set_xticks(list(years.index))
    ax.tick_params(axis="x", labelrotation=45)
    ax.grid(axis="y", alpha=0.3)
    handles: list[Artist] = [
        Patch(color=REALISED, label=f"netto toevoeging vanaf {voortgang.start_jaar}"),
        Patch(color=BASE, label="gerealiseerd vóór de planperiode"),
        *(Patch(color=c, label=f"plancapaciteit {s} (2021)") for s, c in CAPACITY.items()),
    ]
    if len(target):
        handles.insert(0, Line2D([], [], color=TARGET, marker="o", label="doel (cumulatief)"))
    ax.legend(handles=handles, loc="upper left", fontsize=8)
    notes = []
    if voortgang.capaciteit_ontbreekt:
        notes.append("geen plancapaciteit bekend: " + ", ".join(voortgang.capaciteit_ontbreekt))
    if voortgang.realisatie_ontbreekt:
        notes.append("geen realisatie bekend: " + ", ".join(voortgang.realisatie_ontbreekt))
    first_period = int(voortgang.capaciteit["van"].min())
    if voortgang.start_jaar > first_period:
        notes.append(
            f"plancapaciteit telt vanaf {first_period}, de grafiek vanaf {voortgang.start_jaar}"
        )
    notes.append("Bronnen: CBS 81955NED; plancapaciteit Data Bewijst 2021; doel: werkruimte")
    figure.text(0.01, 0.01, "; ".join(notes), fontsize=7, color="#555555", parse_math=False)
    figure.subplots_adjust(bottom=0.2)
    return figure


def tijdlijn_figuur(status: pd.DataFrame, peildatum: object) -> Figure:
    """Gantt-like timeline: one line per project × milestone; hollow marker = first planning,
    grey = current planning, green = realised; red when delayed; the peildatum as a line."""
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.ticker import FuncFormatter, MultipleLocator

    rows = status.sort_values(["id", "volgorde"], ascending=[False, False]).reset_index(drop=True)
    figure = Figure(figsize=(9, max(2.5, 0.28 * len(rows) + 1.2)), dpi=DPI)
    ax = figure.add_subplot()
    peil = parse_kwartaal(peildatum)

    def x(value: object) -> float | None:
        return None if value is None or pd.isna(value) else parse_kwartaal(value).index / 4

    for y, row in rows.iterrows():
        first, planned, actual = x(row["eerste_gepland"]), x(row["gepland"]), x(row["gerealiseerd"])
        colour = LATE if row["vertraagd"] else PLANNED
        if first is not None and planned is not None and first != planned:
            ax.plot([first, planned], [y, y], color=colour, linewidth=1, linestyle=":")
            ax.plot(first, y, marker="o", mfc="white", mec=colour, linestyle="")
        if planned is not None:
            ax.plot(planned, y, marker="s", color=colour, linestyle="")
        if row["vertraagd"] and planned is not None:
            ax.plot([planned, peil.index / 4], [y, y], color=LATE, linewidth=3, alpha=0.5)
        if actual is not None:
            ax.plot(actual, y, marker="D", color=ACTUAL, linestyle="")
    ax.axvline(peil.index / 4, color="#333333", linestyle="--", linewidth=1)
    ax.set_yticks(range(len(rows)))
    ticks = [f"{r.id} · {r.mijlpaal_label}" for r in rows.itertuples()]
    ax.set_yticklabels(ticks, fontsize=7, parse_math=False)  # project ids are text, not formulas
    ax.xaxis.set_major_locator(MultipleLocator(1.0))  # a tick at the start of every year
    ax.xaxis.set_minor_locator(MultipleLocator(0.25))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.0f}"))
    ax.set_title(f"Planning per mijlpaal (peildatum {peil.tekst()})")
    ax.legend(
        handles=[
            Line2D(
                [], [], marker="o", mfc="white", mec=PLANNED, linestyle="", label="eerste planning"
            ),
            Line2D([], [], marker="s", color=PLANNED, linestyle="", label="planning"),
            Line2D([], [], marker="s", color=LATE, linestyle="", label="vertraagd"),
            Line2D([], [], marker="D", color=ACTUAL, linestyle="", label="gerealiseerd"),
        ],
        loc="lower right",
        fontsize=7,
    )
    ax.grid(axis="x", alpha=0.3)
    figure.tight_layout()
    return figure


def png(figure: Figure) -> bytes:
    """A figure as PNG bytes."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()

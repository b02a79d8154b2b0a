"""Delay signals from the PPM history, relative to a given peildatum (never the wall clock).

For each project × milestone the state at the peildatum is its row from the latest peilmoment
up to the peildatum's quarter (a correction within one peilmoment supersedes the earlier row).

- `vertraagd`: a planned quarter that lies before the peildatum's quarter, and no realised one.
- `vertraging_kwartalen`: realised − planned when realised (negative = early); peildatum −
  planned when overdue; 0 when still on schedule; onbekend (NA) when nothing is planned.
- `verschuiving_vorige_kwartalen`: planned now − planned at the previous peilmoment (slippage
  between two quarterly updates); `verschuiving_totaal_kwartalen`: against the first planning.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import pandas as pd

from locatiescan.voortgang.config import VoortgangConfig, load_config
from locatiescan.voortgang.kwartaal import Kwartaal, parse_kwartaal

if TYPE_CHECKING:
    from locatiescan.workspace import Workspace

STATUS_COLUMNS = [
    "id",
    "projectnaam",
    "mijlpaal",
    "mijlpaal_label",
    "volgorde",
    "verantwoordelijke",
    "peilmoment",
    "gepland",
    "gerealiseerd",
    "eerste_gepland",
    "vorige_gepland",
    "vertraagd",
    "vertraging_kwartalen",
    "verschuiving_vorige_kwartalen",
    "verschuiving_totaal_kwartalen",
    "toelichting",
]
INT_COLUMNS = [c for c in STATUS_COLUMNS if c.endswith("_kwartalen")]
DELAY_SUFFIX = "vertraging_kwartalen"


def _quarters(later: object, earlier: object) -> int | None:
    if later is None or earlier is None or pd.isna(later) or pd.isna(earlier):
        return None
    return parse_kwartaal(later) - parse_kwartaal(earlier)


def _delay(planned: object, actual: object, peil: Kwartaal) -> int | None:
    if planned is None or pd.isna(planned):
        return None
    if actual is not None and not pd.isna(actual):
        return _quarters(actual, planned)
    return max(0, peil - parse_kwartaal(planned))


def ppm_status(
    records: pd.DataFrame, peildatum: date | str | Kwartaal, config: VoortgangConfig
) -> pd.DataFrame:
    """The state of every project × milestone at `peildatum` (`STATUS_COLUMNS`), in project
    and milestone order. `records` is the PPM history (`workspace.voortgang.ppm_records`)."""
    peil = parse_kwartaal(peildatum)
    known = records[records["peilmoment"] <= str(peil)]
    if known.empty:
        return _typed(pd.DataFrame(columns=STATUS_COLUMNS))
    ordered = known.sort_values(["id", "mijlpaal", "peilmoment", "volgnummer"])
    per_peilmoment = ordered.drop_duplicates(["id", "mijlpaal", "peilmoment"], keep="last")
    names = (
        ordered[ordered["projectnaam"].fillna("") != ""]
        .drop_duplicates("id", keep="last")
        .set_index("id")["projectnaam"]
    )
    order, labels = config.volgorde, config.labels
    rows = []
    for (location_id, milestone), states in per_peilmoment.groupby(["id", "mijlpaal"], sort=False):
        current = states.iloc[-1]
        previous = states.iloc[-2] if len(states) > 1 else None
        planned_ever = states["gepland"].dropna()
        first = planned_ever.iloc[0] if len(planned_ever) else None
        planned, actual = current["gepland"], current["gerealiseerd"]
        overdue = not pd.isna(planned) and pd.isna(actual) and parse_kwartaal(planned) < peil
        rows.append(
            {
                "id": location_id,
                "projectnaam": names.get(location_id, ""),
                "mijlpaal": milestone,
                "mijlpaal_label": labels.get(milestone, milestone),
                "volgorde": order.get(milestone, len(order)),
                "verantwoordelijke": current["verantwoordelijke"],
                "peilmoment": current["peilmoment"],
                "gepland": planned,
                "gerealiseerd": actual,
                "eerste_gepland": first,
                "vorige_gepland": None if previous is None else previous["gepland"],
                "vertraagd": bool(overdue),
                "vertraging_kwartalen": _delay(planned, actual, peil),
                "verschuiving_vorige_kwartalen": (
                    None if previous is None else _quarters(planned, previous["gepland"])
                ),
                "verschuiving_totaal_kwartalen": _quarters(planned, first),
                "toelichting": current["toelichting"] or "",
            }
        )
    status = pd.DataFrame(rows, columns=STATUS_COLUMNS)
    return _typed(status.sort_values(["id", "volgorde"], ignore_index=True))


def _typed(status: pd.DataFrame) -> pd.DataFrame:
    status = status.copy()
    for column in INT_COLUMNS:
        status[column] = pd.array(status[column], dtype="Int64")
    status["vertraagd"] = status["vertraagd"].astype(bool)
    return status


def delay_list(
    status: pd.DataFrame, alternatives: pd.DataFrame | None = None, *, delayed_only: bool = True
) -> pd.DataFrame:
    """The delay list for the versnellingstafel: (delayed) milestones, longest delay first, with
    the alternatives linked to each project in `alternatieven` ('; '-joined ids, '' when none)."""
    chosen = status[status["vertraagd"]] if delayed_only else status
    ordered = chosen.sort_values(
        ["vertraging_kwartalen", "id", "volgorde"],
        ascending=[False, True, True],
        na_position="last",
    )
    linked: dict[str, str] = {}
    if alternatives is not None and not alternatives.empty:
        linked = alternatives.groupby("id")["alternatief"].agg("; ".join).to_dict()
    ordered = ordered.assign(alternatieven=[linked.get(i, "") for i in ordered["id"]])
    return ordered.reset_index(drop=True)


def vertraging_per_project(
    ws_or_frames: Workspace | pd.DataFrame,
    peildatum: date | str | Kwartaal,
    config: VoortgangConfig | None = None,
) -> pd.DataFrame:
    """Delay per project and milestone as scoring input: index location id (`id`), one column
    `<milestone>.vertraging_kwartalen` per milestone of the list (NA = onbekend).

    `ws_or_frames` is a Workspace (its PPM history and milestone list are used) or the PPM
    history frame itself (then `config` or the standard list)."""
    if isinstance(ws_or_frames, pd.DataFrame):
        records, config = ws_or_frames, config or load_config()
    else:
        from locatiescan.workspace.voortgang import milestone_config, ppm_records

        records, config = ppm_records(ws_or_frames), config or milestone_config(ws_or_frames)
    status = ppm_status(records, peildatum, config)
    wide = status.pivot(index="id", columns="mijlpaal", values=DELAY_SUFFIX)
    milestones = [m.id for m in config.mijlpalen]
    extra = [m for m in wide.columns if m not in milestones]
    wide = wide.reindex(columns=milestones + extra)
    wide.columns = [f"{m}.{DELAY_SUFFIX}" for m in wide.columns]
    wide.index.name = "id"
    return wide.astype("Int64")

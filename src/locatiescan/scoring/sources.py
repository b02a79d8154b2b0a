"""Where a criterion takes its value from: `bron:` references and the checks on them.

laag.<layer>.<metric>   a screening column `<layer>.<metric>` (layer catalog, layers/*.yaml)
attribuut.<column>      a column of the location table: the contract's columns (id, naam,
                        woningen, planstatus, ...) or any column an import kept; only the form
                        is checked, and an absent column makes the criterion unknown
indicator.<name>        a gemeente indicator (`locatiescan.indicators.INDICATORS`)
vraag.<id>              an answer to a self-assessment question defined under `vragen:`
voortgang.<mijlpaal>.vertraging_kwartalen
                        the delay in quarters of a PPM milestone at the peildatum
                        (`locatiescan.voortgang.vertraging_per_project`); the milestone must
                        be in the werkruimte's milestone list (`Known.milestones`, set by
                        `ProjectContext.known()`), by default scoring/voortgang/mijlpalen.yaml
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from locatiescan.errors import ConfigError
from locatiescan.layers.catalog import LayerDef

Kind = Literal["laag", "attribuut", "indicator", "vraag", "voortgang"]

_NAME = r"[a-z_][a-z0-9_]*"
_FORMS: dict[str, re.Pattern[str]] = {
    "laag": re.compile(rf"^laag\.({_NAME})\.({_NAME})$"),
    "attribuut": re.compile(rf"^attribuut\.({_NAME})$"),
    "indicator": re.compile(rf"^indicator\.({_NAME})$"),
    "vraag": re.compile(rf"^vraag\.({_NAME})$"),
    "voortgang": re.compile(rf"^voortgang\.({_NAME})\.(vertraging_kwartalen)$"),
}
_WITH_METRIC = ("laag", "voortgang")  # kinds whose reference names a column `<name>.<metric>`
FORMS = (
    "laag.<laag>.<maat>, attribuut.<kolom>, indicator.<naam>, vraag.<id>, "
    "voortgang.<mijlpaal>.vertraging_kwartalen"
)


@dataclass(frozen=True)
class SourceRef:
    """A parsed `bron:` reference."""

    kind: Kind
    name: str  # layer id, column, indicator, question id or milestone id
    metric: str | None = None  # laag and voortgang only

    @property
    def column(self) -> str:
        """The column holding the value in its input table."""
        return f"{self.name}.{self.metric}" if self.kind in _WITH_METRIC else self.name

    def __str__(self) -> str:
        return f"{self.kind}.{self.column}"


@dataclass(frozen=True)
class Known:
    """What `laag.*`, `indicator.*` and `voortgang.*` may refer to (questions are checked by
    the model itself). `milestones` None: the standard list (`voortgang.load_config()`)."""

    metrics: Mapping[str, Collection[str]]  # layer id -> metric names
    indicators: Collection[str]
    milestones: Collection[str] | None = None

    def milestone_ids(self) -> list[str]:
        """The milestone ids a `voortgang.<mijlpaal>.*` reference may name."""
        if self.milestones is not None:
            return list(self.milestones)
        from locatiescan.voortgang.config import load_config  # only when a model uses voortgang

        return [m.id for m in load_config().mijlpalen]


def parse_source(text: str) -> SourceRef:
    """Check the form of a reference; `ConfigError` naming the allowed forms otherwise."""
    kind = text.split(".", 1)[0] if isinstance(text, str) else ""
    pattern = _FORMS.get(kind)
    match = pattern.match(text) if pattern else None
    if match is None:
        msg = f"bad source {text!r}: use one of {FORMS} (lower case, digits, underscores)"
        nl = f"ongeldige bron {text!r}: gebruik {FORMS} (kleine letters, cijfers, underscores)"
        raise ConfigError(msg, nl)
    if kind in _WITH_METRIC:
        return SourceRef(kind, match.group(1), match.group(2))  # type: ignore[arg-type]
    return SourceRef(kind, match.group(1))  # type: ignore[arg-type]


def source_problem(ref: SourceRef, known: Known) -> ConfigError | None:
    """Why a `laag`/`indicator`/`voortgang` reference points at nothing (an error to collect),
    or None."""
    if ref.kind == "laag":
        if ref.name not in known.metrics:
            layers = ", ".join(sorted(known.metrics)) or "(none)"
            msg = f"unknown layer {ref.name!r} in {ref}; layers: {layers}"
            return ConfigError(msg, f"onbekende laag {ref.name!r} in {ref}; lagen: {layers}")
        if ref.metric not in known.metrics[ref.name]:
            metrics = ", ".join(known.metrics[ref.name]) or "(none)"
            msg = f"layer {ref.name!r} has no metric {ref.metric!r}; metrics: {metrics}"
            nl = f"laag {ref.name!r} heeft geen maat {ref.metric!r}; maten: {metrics}"
            return ConfigError(msg, nl)
    elif ref.kind == "indicator" and ref.name not in known.indicators:
        names = ", ".join(sorted(known.indicators))
        msg = f"unknown indicator {ref.name!r}; indicators: {names}"
        return ConfigError(msg, f"onbekende indicator {ref.name!r}; indicatoren: {names}")
    elif ref.kind == "voortgang":
        milestones = known.milestone_ids()
        if ref.name not in milestones:
            names = ", ".join(milestones)
            msg = f"unknown milestone {ref.name!r} in {ref}; milestones: {names}"
            return ConfigError(msg, f"onbekende mijlpaal {ref.name!r} in {ref}; mijlpalen: {names}")
    return None


def layer_metrics(catalog: Mapping[str, LayerDef], layers_dir: Path) -> dict[str, list[str]]:
    """Metric names per layer id, as `laag.<layer>.<metric>` may use them."""
    return {lid: layer.metric_names(layers_dir) for lid, layer in catalog.items()}

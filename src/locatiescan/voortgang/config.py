"""The milestone list and example woondeal targets (`scoring/voortgang/mijlpalen.yaml`),
validated."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from locatiescan.errors import ConfigError
from locatiescan.paths import SCORING_DIR
from locatiescan.yamlconfig import load_validated, validate

# In a subfolder: every scoring/*.yaml is listed as a scoring model (scoring.io.list_models).
CONFIG_FILE = SCORING_DIR / "voortgang" / "mijlpalen.yaml"
WHAT, WAT = "voortgang configuration", "voortgangsconfiguratie"
Partij = Literal["publiek", "privaat"]
PARTIJEN: tuple[str, ...] = ("publiek", "privaat")
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_GEMEENTECODE = re.compile(r"^GM\d{4}$")


class Mijlpaal(BaseModel):
    """One standard milestone of a housing project."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=_ID.pattern, max_length=40)
    label: str = Field(min_length=1, max_length=80)
    partij: Partij


class WoondealVoorbeeld(BaseModel):
    """A woondeal target from a policy text that a werkruimte can take over."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    naam: str = Field(min_length=1, max_length=100)
    gemeenten: tuple[str, ...] = Field(min_length=1)
    jaar_van: int = Field(ge=2000, le=2100)
    jaar_tot: int = Field(ge=2000, le=2100)
    woningen: int = Field(gt=0)
    bron: str = Field(min_length=1)

    @field_validator("gemeenten")
    @classmethod
    def _codes(cls, codes: tuple[str, ...]) -> tuple[str, ...]:
        bad = [c for c in codes if not _GEMEENTECODE.match(c)]
        if bad:
            msg = f"gemeentecodes have the form GM0034: {', '.join(bad)}"
            raise ValueError(msg)
        return codes

    @model_validator(mode="after")
    def _period(self) -> WoondealVoorbeeld:
        if self.jaar_tot < self.jaar_van:
            msg = f"jaar_tot {self.jaar_tot} is before jaar_van {self.jaar_van}"
            raise ValueError(msg)
        return self


class VoortgangConfig(BaseModel):
    """The whole file: milestones in order, and example woondeal targets."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    mijlpalen: tuple[Mijlpaal, ...] = Field(min_length=1)
    woondeal_voorbeelden: tuple[WoondealVoorbeeld, ...] = ()

    @model_validator(mode="after")
    def _unique(self) -> VoortgangConfig:
        for attribute in ("id", "label"):
            values = [getattr(m, attribute).casefold() for m in self.mijlpalen]
            doubles = sorted({v for v in values if values.count(v) > 1})
            if doubles:
                msg = f"mijlpalen: duplicate {attribute}: {', '.join(doubles)}"
                raise ValueError(msg)
        return self

    def mijlpaal(self, text: str) -> Mijlpaal | None:
        """The milestone whose id or label is `text` (case-insensitive), else None."""
        key = text.strip().casefold()
        return next(
            (m for m in self.mijlpalen if key in (m.id.casefold(), m.label.casefold())), None
        )

    @property
    def volgorde(self) -> dict[str, int]:
        """Milestone id -> position (0 = first)."""
        return {m.id: i for i, m in enumerate(self.mijlpalen)}

    @property
    def labels(self) -> dict[str, str]:
        """Milestone id -> Dutch label."""
        return {m.id: m.label for m in self.mijlpalen}


def load_config(path: Path = CONFIG_FILE) -> VoortgangConfig:
    """The standard configuration file, validated (errors name the file and field)."""
    return load_validated(path, VoortgangConfig, what=WHAT, wat=WAT)


def parse_config(text: str, where: str = "werkruimte") -> VoortgangConfig:
    """A configuration given as YAML text (a werkruimte's adapted copy), validated."""
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as err:
        msg = f"{where}: not valid YAML: {err}"
        raise ConfigError(msg, f"{where}: geen geldige YAML: {err}") from err
    return validate(VoortgangConfig, raw, where=where, what=WHAT, wat=WAT)

"""The fact catalogue (`scoring/dossier/feiten.yaml`): which facts a dossier holds, validated.

Each fact has an id (the contract's fact ids; a model's `vraag.<id>` reads fact `<id>`), a Dutch
label (the column header of the XLSX template), a type (`keuze` with `opties` code -> Dutch
label, `ja_nee`, or `getal` with optional `min`/`max`/`geheel`), help text, the selection factor
it serves and the policy text (seed file + line) it comes from. `check_value` turns a raw value
(a form field or a spreadsheet cell) into the stored value, or says in English and Dutch why not.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from locatiescan.errors import ConfigError
from locatiescan.paths import SCORING_DIR
from locatiescan.yamlconfig import SAFE_LOADER

CATALOGUE_PATH = SCORING_DIR / "dossier" / "feiten.yaml"
UNKNOWN_WORDS = ("onbekend",)  # a cell or field that says the fact is no longer known
YES_NO = {"ja": "ja", "nee": "nee", "yes": "ja", "no": "nee", "j": "ja", "n": "nee"}


class ValueProblem(ValueError):
    """A value that does not fit its fact; `en` and `nl` say why."""

    def __init__(self, en: str, nl: str) -> None:
        super().__init__(en)
        self.en = en
        self.nl = nl


class Fact(BaseModel):
    """One fact of the dossier."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z_][a-z0-9_]*$")
    label: str = Field(min_length=1)
    type: Literal["keuze", "ja_nee", "getal"]
    opties: dict[str, str] = Field(default_factory=dict)
    min: float | None = None
    max: float | None = None
    geheel: bool = False
    eenheid: str | None = None
    uitleg: str = ""
    selectiefactor: str | None = None
    beleidsbron: str | None = None

    @model_validator(mode="after")
    def _shape(self) -> Fact:
        if (self.type == "keuze") != bool(self.opties):
            msg = "a 'keuze' fact needs opties, other types have none"
            raise ValueError(msg)
        if self.type != "getal" and (self.min is not None or self.max is not None or self.geheel):
            msg = "only a 'getal' fact has min, max or geheel"
            raise ValueError(msg)
        if self.min is not None and self.max is not None and self.min > self.max:
            msg = "min is above max"
            raise ValueError(msg)
        return self

    def allowed_text(self) -> str:
        """The allowed values in Dutch, for help text and error messages."""
        if self.type == "keuze":
            return ", ".join(self.opties)
        if self.type == "ja_nee":
            return "ja, nee"
        low = "" if self.min is None else f"{self.min:g}"
        high = "" if self.max is None else f"{self.max:g}"
        kind = "een geheel getal" if self.geheel else "een getal"
        if low and high:
            return f"{kind} van {low} tot en met {high}"
        return f"{kind} vanaf {low}" if low else kind

    def option_label(self, value: Any) -> str:
        """The Dutch label of a stored value (the value itself when it has none)."""
        return self.opties.get(str(value), str(value)) if self.type == "keuze" else str(value)


class Catalogue(BaseModel):
    """Every fact of the dossier, in display order."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    feiten: list[Fact] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> Catalogue:
        for what, values in (("id", [f.id for f in self.feiten]), ("label", self.labels())):
            doubles = sorted({v for v in values if values.count(v) > 1})
            if doubles:
                msg = f"duplicate fact {what}(s): {', '.join(doubles)}"
                raise ValueError(msg)
        return self

    def labels(self) -> list[str]:
        """The facts' labels in order."""
        return [f.label for f in self.feiten]

    def ids(self) -> list[str]:
        """The facts' ids in order."""
        return [f.id for f in self.feiten]

    def get(self, fact_id: str) -> Fact | None:
        """The fact with this id, if any."""
        return next((f for f in self.feiten if f.id == fact_id), None)


@lru_cache(maxsize=4)
def load_catalogue(path: Path = CATALOGUE_PATH) -> Catalogue:
    """Read and validate the catalogue; one `ConfigError` naming the file and every field."""
    try:
        raw = yaml.load(Path(path).read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    except (OSError, yaml.YAMLError) as err:
        msg = f"{path}: cannot read the fact catalogue: {err}"
        raise ConfigError(msg, f"{path}: feitencatalogus niet leesbaar: {err}") from err
    try:
        return Catalogue.model_validate(raw)
    except ValidationError as err:
        lines = [
            f"  {'.'.join(str(p) for p in e['loc']) or '(catalogus)'}: {e['msg']}"
            for e in err.errors()
        ]
        msg = f"{path}: invalid fact catalogue:\n" + "\n".join(lines)
        raise ConfigError(msg, f"{path}: ongeldige feitencatalogus:\n" + "\n".join(lines)) from err


def is_blank(value: Any) -> bool:
    """An empty cell or field: None, NaN or only spaces."""
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def says_unknown(value: Any) -> bool:
    """The value 'onbekend': the fact is no longer known."""
    return isinstance(value, str) and value.strip().casefold() in UNKNOWN_WORDS


def check_value(fact: Fact, value: Any) -> str | float | int:
    """The stored form of a non-blank value, or `ValueProblem` (English, Dutch) why it does not
    fit: a keuze code or its label (case and spaces ignored), ja/nee, or a number (a Dutch
    decimal comma is read) within min..max."""
    if fact.type == "keuze":
        key = _key(value)
        by_key = {_key(code): code for code in fact.opties}
        by_key.update({_key(label): code for code, label in fact.opties.items()})
        if key in by_key:
            return by_key[key]
        raise ValueProblem(
            f"{value!r} is not allowed; allowed: {fact.allowed_text()}",
            f"waarde {value!r} is niet toegestaan; toegestaan: {fact.allowed_text()}",
        )
    if fact.type == "ja_nee":
        if isinstance(value, bool):
            return "ja" if value else "nee"
        answer = YES_NO.get(_key(value))
        if answer is None:
            raise ValueProblem(
                f"{value!r} is not allowed; allowed: ja, nee",
                f"waarde {value!r} is niet toegestaan; toegestaan: ja, nee",
            )
        return answer
    return _number(fact, value)


def _number(fact: Fact, value: Any) -> float | int:
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int | float):
        number = float(value)
    else:
        text = str(value).strip().replace(" ", "")
        if re.fullmatch(r"-?\d{1,3}(\.\d{3})+", text):  # Dutch thousands: 1.200
            text = text.replace(".", "")
        try:
            number = float(text.replace(",", "."))
        except ValueError:
            number = None
    if number is None or math.isnan(number) or math.isinf(number):
        raise ValueProblem(f"{value!r} is not a number", f"{value!r} is geen getal")
    low = -math.inf if fact.min is None else fact.min
    high = math.inf if fact.max is None else fact.max
    if not low <= number <= high:
        raise ValueProblem(
            f"{number:g} is out of range ({fact.allowed_text()})",
            f"{number:g} valt buiten het bereik ({fact.allowed_text()})",
        )
    if fact.geheel:
        if number != round(number):
            raise ValueProblem(
                f"{number:g} is not a whole number", f"{number:g} is geen geheel getal"
            )
        return int(number)
    return number


def _key(value: Any) -> str:
    return re.sub(r"[\s_\-]+", "_", str(value).strip().casefold())

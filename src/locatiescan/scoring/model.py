"""A scoring model as data (`scoring/*.yaml`), validated with pydantic.

Validation happens in two passes. Pydantic checks every field and every criterion on its own
(unknown keys, conditions, the form of `bron:`, and with a `Known` in the validation context also
layers and indicators; every number must be finite, so `.inf` and `.nan` are refused) and reports
all problems at once. Checks that span the model run once the parts are valid: pillar weights
summing to 1, unique ids, questions referred to by `vraag.<id>` (in criteria, bonus items and
`voorwaarden`) being defined and matching their type, bonus without `bonus_max`.
See `scoring/README.md`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from itertools import pairwise
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from locatiescan.errors import ConfigError
from locatiescan.scoring.conditions import Condition, Otherwise, operands, parse_condition
from locatiescan.scoring.sources import Known, SourceRef, parse_source, source_problem

WEIGHT_TOLERANCE = 1e-6
ID_PATTERN = r"^[a-z_][a-z0-9_]*$"

Points = Annotated[float, Field(ge=0, strict=True, allow_inf_nan=False)]
Number = Annotated[float, Field(allow_inf_nan=False)]
Name = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
Policy = Literal["herweeg", "nul", "minimum"]
POLICIES: tuple[Policy, ...] = ("herweeg", "nul", "minimum")


@dataclass(frozen=True)
class Problem:
    """One validation problem: where in the model (Dutch terms), English and Dutch text."""

    where: str
    en: str
    nl: str


def custom_error(error: ConfigError) -> PydanticCustomError:
    """A pydantic error carrying our English text as message and the Dutch text in its context."""
    return PydanticCustomError("locatiescan", "{en}", {"en": error.en, "nl": error.nl})


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


def checked_source(text: str, info: ValidationInfo) -> str:
    """A `bron:` of valid form that, with a `Known` in the context, points at something."""
    try:
        ref = parse_source(text)
    except ConfigError as err:
        raise custom_error(err) from err
    known = info.context.get("known") if isinstance(info.context, dict) else None
    problem = source_problem(ref, known) if isinstance(known, Known) else None
    if problem is not None:
        raise custom_error(problem)
    return text


def checked_condition(text: str | None) -> str | None:
    """A condition text that parses (None passes)."""
    if text is not None:
        try:
            parse_condition(text)
        except ConfigError as err:
            raise custom_error(err) from err
    return text


class Rule(_Strict):
    """`{als: "<condition>", punten: N}` or the catch-all `{anders: N}`."""

    als: str | None = None
    punten: Points | None = None
    anders: Points | None = None

    @field_validator("als")
    @classmethod
    def _parse(cls, text: str | None) -> str | None:
        return checked_condition(text)

    @model_validator(mode="after")
    def _shape(self) -> Rule:
        if self.anders is not None and (self.als is not None or self.punten is not None):
            msg = "a rule is either {als, punten} or {anders: punten}, not both"
            nl = "een regel is {als, punten} of {anders: punten}, niet beide"
            raise custom_error(ConfigError(msg, nl))
        if self.anders is None and (self.als is None or self.punten is None):
            msg = "a rule needs 'als' and 'punten' (or is {anders: punten})"
            raise custom_error(
                ConfigError(msg, "een regel heeft 'als' en 'punten' nodig (of is {anders: punten})")
            )
        return self

    @cached_property
    def condition(self) -> Condition:
        """The parsed condition (`Otherwise` for `anders`)."""
        return Otherwise() if self.als is None else parse_condition(self.als)

    @property
    def points(self) -> float:
        """The points this rule gives."""
        return float(self.anders if self.anders is not None else self.punten)  # type: ignore[arg-type]

    @property
    def text(self) -> str:
        """The rule as shown in an explanation: the condition text or 'anders'."""
        return "anders" if self.anders is not None else str(self.als)


class BonusItem(_Strict):
    """A bonus: points on top of the weighted total (capped by `bonus_max`)."""

    id: Name
    label: str | None = None
    bron: str
    regels: list[Rule] = Field(min_length=1)
    toelichting: str | None = None

    @field_validator("bron")
    @classmethod
    def _source(cls, text: str, info: ValidationInfo) -> str:
        return checked_source(text, info)

    @field_validator("regels")
    @classmethod
    def _rule_order(cls, rules: list[Rule]) -> list[Rule]:
        catch_all = [i for i, rule in enumerate(rules) if rule.anders is not None]
        if len(catch_all) > 1 or (catch_all and catch_all[0] != len(rules) - 1):
            msg = "'anders' must be the last rule and appear once (rules after it never apply)"
            nl = "'anders' moet de laatste regel zijn en één keer voorkomen"
            raise custom_error(ConfigError(msg, nl))
        if max(rule.points for rule in rules) <= 0:
            msg = "at least one rule must give more than 0 points"
            raise custom_error(ConfigError(msg, "minstens één regel moet meer dan 0 punten geven"))
        return rules

    @property
    def source(self) -> SourceRef:
        """The parsed `bron`."""
        return parse_source(self.bron)

    @property
    def max_points(self) -> float:
        """Highest points among the rules (a criterion's score is points / max_points)."""
        return max(rule.points for rule in self.regels)

    @property
    def min_points(self) -> float:
        """Lowest points among the rules (used by `onbekend: minimum`)."""
        return min(rule.points for rule in self.regels)


class Criterion(BonusItem):
    """A scored criterion inside a pillar."""

    label: str  # type: ignore[assignment]  # required for criteria
    gewicht: float = Field(1.0, gt=0, allow_inf_nan=False)


class Voorwaarde(_Strict):
    """A knock-out condition: a location whose value fails `als` is *niet ontvankelijk*.

    `label` says in Dutch words what is required ("minimaal 200 woningen"), `niet_voldaan`
    what a failing location lacks ("minder dan 200 woningen"); a missing value leaves the
    ontvankelijkheid *onbekend* (never eligible by default).
    """

    id: Name
    label: str = Field(min_length=1)
    niet_voldaan: str = Field(min_length=1)
    bron: str
    als: str
    toelichting: str | None = None

    @field_validator("bron")
    @classmethod
    def _source(cls, text: str, info: ValidationInfo) -> str:
        return checked_source(text, info)

    @field_validator("als")
    @classmethod
    def _parse(cls, text: str) -> str:
        return str(checked_condition(text))

    @cached_property
    def condition(self) -> Condition:
        """The parsed condition that must hold."""
        return parse_condition(self.als)

    @property
    def source(self) -> SourceRef:
        """The parsed `bron`."""
        return parse_source(self.bron)


class Pillar(_Strict):
    """A pillar: weight in the total and the criteria whose weighted mean is its score."""

    gewicht: float = Field(ge=0, allow_inf_nan=False)
    label: str | None = None
    toelichting: str | None = None
    criteria: list[Criterion] = Field(min_length=1)


class InzetRule(_Strict):
    """Score -> class -> staff hours: `{vanaf: N, ...}` or the final `{anders: true, ...}`."""

    vanaf: Number | None = None
    anders: Literal[True] | None = None
    klasse: str
    uren_per_maand: float = Field(ge=0, allow_inf_nan=False)

    @model_validator(mode="after")
    def _shape(self) -> InzetRule:
        if (self.vanaf is None) == (self.anders is None):
            msg = "an inzet rule has either 'vanaf' or 'anders: true'"
            raise custom_error(ConfigError(msg, "een inzetregel heeft 'vanaf' of 'anders: true'"))
        return self


class Question(_Strict):
    """A self-assessment question; answers arrive per location as `vraag.<id>`."""

    id: Name
    label: str
    type: Literal["ja_nee", "keuze", "getal"]
    opties: list[str] = Field(default_factory=list)
    min: Number | None = None
    max: Number | None = None
    uitleg: str | None = None

    @model_validator(mode="after")
    def _shape(self) -> Question:
        if self.type == "keuze" and len(self.opties) < 2:
            msg = "a 'keuze' question needs at least two opties"
            raise custom_error(
                ConfigError(msg, "een 'keuze'-vraag heeft minstens twee opties nodig")
            )
        if self.type != "keuze" and self.opties:
            msg = "only a 'keuze' question has opties"
            raise custom_error(ConfigError(msg, "alleen een 'keuze'-vraag heeft opties"))
        if self.type != "getal" and (self.min is not None or self.max is not None):
            msg = "only a 'getal' question has min/max"
            raise custom_error(ConfigError(msg, "alleen een 'getal'-vraag heeft min/max"))
        if self.min is not None and self.max is not None and self.min > self.max:
            raise custom_error(ConfigError("min is above max", "min is groter dan max"))
        return self

    def allowed(self) -> list[str] | None:
        """Allowed text answers (normalised), or None for a number."""
        if self.type == "ja_nee":
            return ["ja", "nee"]
        if self.type == "keuze":
            return [o.strip().casefold() for o in self.opties]
        return None


class ScoringModel(_Strict):
    """A complete scoring model (see scoring/README.md for the exact semantics)."""

    naam: str
    versie: int | str = 1
    beschrijving: str | None = None
    onbekend: Policy = "herweeg"
    minimale_dekking: float = Field(0.0, ge=0, le=1, allow_inf_nan=False)
    voorwaarden: list[Voorwaarde] = Field(default_factory=list)
    pijlers: dict[Name, Pillar] = Field(min_length=1)
    bonus: list[BonusItem] = Field(default_factory=list)
    bonus_max: float = Field(0.0, ge=0, allow_inf_nan=False)
    inzet: list[InzetRule] = Field(default_factory=list)
    vragen: list[Question] = Field(default_factory=list)

    @model_validator(mode="after")
    def _whole_model(self) -> ScoringModel:
        problems = model_problems(self)
        if problems:
            raise PydanticCustomError(
                "locatiescan_model",
                "{en}",
                {"en": "; ".join(f"{p.where}: {p.en}" for p in problems), "problems": problems},
            )
        return self

    def criteria(self) -> list[tuple[str, Criterion]]:
        """Every (pillar, criterion) pair in model order."""
        return [(name, c) for name, pillar in self.pijlers.items() for c in pillar.criteria]

    def question(self, qid: str) -> Question | None:
        """The question with this id, if defined."""
        return next((q for q in self.vragen if q.id == qid), None)

    def sources(self) -> list[SourceRef]:
        """Every source used by voorwaarden, criteria and bonus items, once, in model order."""
        refs = [v.source for v in self.voorwaarden]
        refs += [c.source for _, c in self.criteria()] + [b.source for b in self.bonus]
        return list(dict.fromkeys(refs))


def model_problems(model: ScoringModel) -> list[Problem]:
    """Problems that span the model; each criterion on its own is already valid."""
    problems: list[Problem] = []
    total = sum(p.gewicht for p in model.pijlers.values())
    if abs(total - 1.0) > WEIGHT_TOLERANCE:
        weights = ", ".join(f"{n}={p.gewicht:g}" for n, p in model.pijlers.items())
        problems.append(
            Problem(
                "pijlers",
                f"pillar weights sum to {total:.6g}, not 1 ({weights})",
                f"pijlergewichten tellen op tot {total:.6g}, niet 1 ({weights})",
            )
        )
    if "bonus" in model.pijlers:
        problems.append(
            Problem(
                "pijler bonus",
                "'bonus' is reserved, rename the pillar",
                "'bonus' is gereserveerd, geef de pijler een andere naam",
            )
        )
    items: list[tuple[str, BonusItem | Voorwaarde]] = [
        (f"voorwaarde {v.id}", v) for v in model.voorwaarden
    ]
    items += [(f"pijler {p}, criterium {c.id}", c) for p, c in model.criteria()]
    items += [(f"bonus {b.id}", b) for b in model.bonus]
    seen: set[str] = set()
    for where, item in items:
        if item.id in seen:
            problems.append(
                Problem(where, f"duplicate id {item.id!r}", f"id {item.id!r} komt dubbel voor")
            )
        seen.add(item.id)
        problems += _question_problems(model, where, item)
    question_ids = [q.id for q in model.vragen]
    for qid in sorted({q for q in question_ids if question_ids.count(q) > 1}):
        problems.append(
            Problem(
                f"vraag {qid}",
                f"duplicate question id {qid!r}",
                f"vraag-id {qid!r} komt dubbel voor",
            )
        )
    if model.bonus and model.bonus_max <= 0:
        problems.append(
            Problem(
                "bonus_max",
                "bonus items need a bonus_max above 0",
                "bonuspunten vragen een bonus_max boven 0",
            )
        )
    problems += _inzet_problems(model.inzet)
    return problems


def _question_problems(
    model: ScoringModel, where: str, item: BonusItem | Voorwaarde
) -> list[Problem]:
    """A `vraag.<id>` source must be defined and its conditions must fit the question's type."""
    ref = item.source
    if ref.kind != "vraag":
        return []
    question = model.question(ref.name)
    if question is None:
        return [
            Problem(
                where,
                f"question {ref.name!r} is not defined under 'vragen'",
                f"vraag {ref.name!r} staat niet onder 'vragen'",
            )
        ]
    allowed = question.allowed()
    if isinstance(item, Voorwaarde):
        conditions = [("als", "als", item.condition)]
    else:
        conditions = [
            (f"rule {n}", f"regel {n}", rule.condition) for n, rule in enumerate(item.regels, 1)
        ]
    problems = []
    for place, place_nl, condition in conditions:
        for operand in operands(condition):
            if allowed is None and not isinstance(operand, float):
                en = f"{place}: question {question.id!r} is a number, {operand!r} is not"
                nl = f"{place_nl}: vraag {question.id!r} is een getal, {operand!r} niet"
                problems.append(Problem(where, en, nl))
            elif allowed is not None and (isinstance(operand, float) or operand not in allowed):
                options = ", ".join(allowed)
                en = f"{place}: {operand!r} is not an answer to {question.id!r} ({options})"
                nl = f"{place_nl}: {operand!r} is geen antwoord op {question.id!r} ({options})"
                problems.append(Problem(where, en, nl))
    return problems


def _inzet_problems(rules: list[InzetRule]) -> list[Problem]:
    """`vanaf` strictly descending, one final `anders`."""
    if not rules:
        return []
    problems = []
    thresholds = [r.vanaf for r in rules if r.vanaf is not None]
    if any(a <= b for a, b in pairwise(thresholds)):
        problems.append(
            Problem(
                "inzet",
                "'vanaf' must go from high to low (first match wins)",
                "'vanaf' moet van hoog naar laag lopen (eerste treffer telt)",
            )
        )
    if rules[-1].anders is None or sum(r.anders is not None for r in rules) != 1:
        problems.append(
            Problem(
                "inzet",
                "the last inzet rule, and only that one, is {anders: true}",
                "de laatste inzetregel, en alleen die, is {anders: true}",
            )
        )
    return problems

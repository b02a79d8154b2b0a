"""The layer catalog: one YAML file per layer in `layers/`, validated with pydantic.

A layer file is the single description of a layer: online sources in priority order, an offline
snapshot plus further snapshots (`aanvullingen`, each with its own date and coverage), a mapping
of source attributes to canonical names, the metrics the overlay computes, and how people see
it: metric labels and value classes (`weergave`), knelpunt sentences (`knelpunten`), filters
(`filters`) and map hints (`kaart`). Themes come from an open vocabulary (`_themas.yaml`).
A *derived* layer (water & bodem) has no source of its own: it applies a rule set, which names
its input layers once; the catalog checks the rule set against those layers when it loads.
"""

from __future__ import annotations

import functools
import math
import operator
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Annotated, Literal, TypeVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from locatiescan.errors import ConfigError
from locatiescan.paths import LAYERS_DIR
from locatiescan.yamlconfig import load_validated, problems_text, read_yaml

THEMES_FILE = "_themas.yaml"
PRIMARY_SNAPSHOT = "snapshot"  # id of the `snapshot` (the offline fallback of the online sources)
SNAPSHOT_COLUMN = "snapshot"  # column naming the snapshot a feature came from
NOT_COVERED = "onbekend: geen bron voor dit gebied"
DEFAULT_RULES_FILE = "water_bodem_regels.yaml"  # the shipped rule set of the derived layer


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


ProviderName = Literal["wfs", "ogcapi", "wcs", "file", "raster"]
DottedPath = Annotated[str, Field(pattern=r"^[A-Za-z_]\w*(\.[A-Za-z_]\w*)+$")]
Value = int | float | str | bool


class SourceDef(_Strict):
    """Where features or a coverage come from."""

    type: ProviderName | DottedPath  # a built-in provider, or `package.module.Class`
    url: str | None = None  # wfs / ogcapi / wcs; file: a GeoJSON URL instead of `path`
    typename: str | None = None  # wfs
    collection: str | None = None  # ogcapi
    coverage: str | None = None  # wcs
    path: str | list[str] | None = None  # below the data root or absolute; file: a list = one layer
    layer: str | None = None  # layer inside a multi-layer file
    srs: str = "EPSG:28992"
    peildatum: date | None = None  # date of a snapshot
    beschrijving: str | None = None

    @model_validator(mode="after")
    def _required_per_type(self) -> SourceDef:
        required = {
            "wfs": ("url", "typename"),
            "ogcapi": ("url", "collection"),
            "wcs": ("url", "coverage"),
            "raster": ("path",),
        }.get(self.type, ())
        missing = [name for name in required if not getattr(self, name)]
        if self.type == "file" and not (self.path or self.url):
            missing.append("path or url")
        problems = [f"source of type {self.type!r} needs {', '.join(missing)}"] if missing else []
        if isinstance(self.path, list) and self.type != "file":
            problems.append(f"source of type {self.type!r} takes one path, not a list")
        if problems:
            msg = "; ".join(problems)
            raise ValueError(msg)
        return self


class Coverage(_Strict):
    """The area where a snapshot has data: features of a file below the data root, filtered.

    A location is covered when at least `min_pct` of its area lies inside; outside, the
    snapshot's metrics are "onbekend: geen bron voor dit gebied", never a "nee".
    """

    path: str
    layer: str | None = None
    waar: dict[str, list[Value]] = Field(default_factory=dict)
    beschrijving: str
    min_pct: float = Field(50.0, ge=0, le=100)


class SnapshotDef(SourceDef):
    """An offline snapshot with its own id, date, label and coverage."""

    id: str | None = Field(None, pattern=r"^[a-z][a-z0-9_]*$")
    label: str | None = None  # shown with values from this snapshot, e.g. "begrenzing 2013"
    naam_toevoeging: str | None = None  # appended to the canonical `naam`: "Waddenzee (…)"
    dekking: Coverage | None = None  # None = all of the Netherlands
    ook_online: bool = False  # also added when an online source delivered the layer
    velden: dict[str, str] = Field(
        default_factory=dict
    )  # per-snapshot renames (before the layer's)


class Condition(_Strict):
    """A test on one value; every given key must hold. Unknown values fail all but `bekend: false`."""

    min: float | None = None  # >=
    max: float | None = None  # <=
    boven: float | None = None  # >
    onder: float | None = None  # <
    is_: Value | None = Field(None, alias="is")
    in_: list[Value] | None = Field(None, alias="in")
    niet_in: list[Value] | None = None
    bekend: bool | None = None

    def holds(self, value: object) -> bool:
        """Whether one value passes (numbers compared as numbers, classes as their keys)."""
        known = value is not None and not (isinstance(value, float) and math.isnan(value))
        if self.bekend is not None and known != self.bekend:
            return False
        if not known:
            return self.bekend is False
        bounds = [
            (self.min, operator.ge),
            (self.max, operator.le),
            (self.boven, operator.gt),
            (self.onder, operator.lt),
        ]
        if any(bound is not None for bound, _ in bounds):
            try:
                number = float(value)  # type: ignore[arg-type]
            except (TypeError, ValueError):
                return False
            if not all(test(number, bound) for bound, test in bounds if bound is not None):
                return False
        key = _key(value)
        if self.is_ is not None and key != _key(self.is_):
            return False
        if self.in_ is not None and key not in {_key(v) for v in self.in_}:
            return False
        return not (self.niet_in is not None and key in {_key(v) for v in self.niet_in})

    @model_validator(mode="after")
    def _not_empty(self) -> Condition:
        if all(v is None for v in self.model_dump().values()):
            msg = (
                "a condition needs at least one of min, max, boven, onder, is, in, niet_in, bekend"
            )
            raise ValueError(msg)
        return self


def _key(value: object) -> object:
    """Comparable key: integral numbers and numeric text match (3.0, "3" and 3)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return int(value) if float(value).is_integer() else float(value)
    if isinstance(value, str):
        try:
            return _key(float(value.strip()))
        except ValueError:
            return value.strip()
    item = getattr(value, "item", None)  # numpy scalars
    return _key(item()) if callable(item) else value


class _FeatureFilter(_Strict):
    """Which features a metric reads: snapshot ids, and attribute values kept or excluded."""

    snapshots: list[str] = Field(default_factory=list)  # empty = all snapshots
    where: dict[str, list[Value]] = Field(default_factory=dict)
    zonder: dict[str, list[Value]] = Field(default_factory=dict)


class OverlapMetric(_FeatureFilter):
    """Overlap of the location with the layer: `<prefix>overlap_ha`, `_pct`, `<prefix>names`."""

    kind: Literal["overlap"]
    name_field: str | None = None  # canonical attribute listed in `names`
    prefix: str = ""

    def outputs(self) -> list[str]:
        return [f"{self.prefix}{n}" for n in ("overlap_ha", "overlap_pct", "names")]


class DistanceMetric(_FeatureFilter):
    """Distance (m) to the nearest feature within `radius_m`: `<prefix>distance_m` (None beyond)."""

    kind: Literal["distance"]
    radius_m: float = Field(gt=0)
    prefix: str = ""

    def outputs(self) -> list[str]:
        return [f"{self.prefix}distance_m"]


class WorstClassMetric(_FeatureFilter):
    """Worst value of `field` among overlapping features, in `order` (best first)."""

    kind: Literal["worst_class"]
    output: str
    field: str
    order: list[int | str] = Field(min_length=1)

    def outputs(self) -> list[str]:
        return [self.output]


class ValueMetric(_FeatureFilter):
    """One number (or the names) of the overlapping features' `field`: max, min, sum or list."""

    kind: Literal["value"]
    output: str
    field: str
    how: Literal["max", "min", "sum", "list"] = "max"

    def outputs(self) -> list[str]:
        return [self.output]


class FigureDef(_Strict):
    output: str
    field: str
    how: Literal["max", "min"] = "max"  # the worst of several candidate areas


class Preference(_Strict):
    """Polygons preferred over bounding boxes: where they cover a location, their key picks it."""

    snapshots: list[str] = Field(min_length=1)
    key: str  # canonical attribute whose value equals a record's key
    min_pct: float = Field(50.0, ge=0, le=100)


class AreaFiguresMetric(_FeatureFilter):
    """Figures of the area(s) a location lies in, when areas are only known as bounding boxes.

    Candidates are the records whose box overlaps the location. Where `preference` polygons
    cover the location and one's key equals a candidate's `key` or name, those records count;
    otherwise every candidate counts and each figure takes the worst (`how`) over them. Outputs:
    the figures, `<prefix>gebieden` (names used) and `<prefix>gebied_keuze` (how, in Dutch).
    """

    kind: Literal["area_figures"]
    key: str
    name_field: str
    figures: list[FigureDef] = Field(min_length=1)
    preference: Preference | None = None
    prefix: str = ""

    def outputs(self) -> list[str]:
        names = [f.output for f in self.figures]
        return [*names, f"{self.prefix}gebieden", f"{self.prefix}gebied_keuze"]


class ZonalMetric(_Strict):
    """Raster zonal statistics: `<output>_min`, `_mean`, `_max`, `_pct_above`."""

    kind: Literal["zonal"]
    output: str
    threshold: float | None = None
    band: int = 1

    def outputs(self) -> list[str]:
        return [f"{self.output}_{s}" for s in ("min", "mean", "max", "pct_above")]


class RuleSetMetric(_Strict):
    """Derived classes from a rule set (water & bodem): outputs are named by the rules file."""

    kind: Literal["ruleset"]
    rules: str  # file name in the catalog folder


VectorMetric = OverlapMetric | DistanceMetric | WorstClassMetric | ValueMetric | AreaFiguresMetric
Metric = Annotated[
    VectorMetric | ZonalMetric | RuleSetMetric,
    Field(discriminator="kind"),
]


class ValueClass(_Strict):
    """One value of a metric with its colour and Dutch label (legend, tables, colouring)."""

    waarde: int | str
    kleur: str = "#9e9e9e"
    label: str
    legenda: str | None = None  # legend text when it differs from the label ("D: nee")


class MetricView(_Strict):
    """How people see one metric: label, unit, value classes or number bins, where it shows."""

    label: str | None = None
    eenheid: Literal["ha", "pct", "m", "mw", "jaar", "tekst"] | None = None
    klassen: list[ValueClass] = Field(default_factory=list)
    grenzen: list[float] = Field(default_factory=list)  # colour bins (lower bounds)
    kleuren: list[str] = Field(default_factory=list)
    popup: bool = False  # in the map popup of a location
    kleur_optie: str | None = None  # "colour locations by" option label on the Kaart

    @model_validator(mode="after")
    def _bins_have_colours(self) -> MetricView:
        if len(self.grenzen) != len(self.kleuren):
            msg = "grenzen and kleuren need the same length"
            raise ValueError(msg)
        return self


class KnelpuntDef(_Strict):
    """A knelpunt sentence: `tekst` with `{metric}` or `{metric:ha|pct|m|mw|jaar|reden}` fields,
    written when every condition in `als` holds. In a `groep` only the first match counts."""

    tekst: str
    als: dict[str, Condition] = Field(min_length=1)
    groep: str | None = None
    anders_dan: str | None = None  # skip when this metric has the same value as the first in `als`


class UnknownDef(_Strict):
    """What "Geen gegevens: …" lists: a key metric's label, or the items of a list metric."""

    metric: str
    label: str | None = None  # None: the metric's value is itself a "; "-joined list of labels


class FilterDef(_Strict):
    """A location filter on a metric; locations whose value is unknown are left out and listed."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str
    metric: str
    als: Condition
    onbekend: Condition | None = None  # values that count as unknown (e.g. code -1)


class LayerDef(_Strict):
    """One layer of the catalog."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    titel: str
    kort: str | None = None  # short Dutch name in sentences ("Natura 2000")
    thema: str = Field(pattern=r"^[a-z][a-z0-9_]*$")  # from the vocabulary in _themas.yaml
    licentie: str
    attributie: str
    bronnen: list[SourceDef] = Field(default_factory=list)  # online, in priority order
    snapshot: SnapshotDef | None = None  # offline fallback below the data root
    aanvullingen: list[SnapshotDef] = Field(default_factory=list)  # further snapshots, added
    invoer: list[str] = Field(default_factory=list)  # derived layers: filled from the rule set
    velden: dict[str, str] = Field(default_factory=dict)  # source attribute -> canonical name
    kolommen: list[str] = Field(default_factory=list)  # further canonical columns it delivers
    metrics: list[Metric] = Field(default_factory=list)
    weergave: dict[str, MetricView] = Field(default_factory=dict)  # metric -> presentation
    knelpunten: list[KnelpuntDef] = Field(default_factory=list)
    onbekend: list[UnknownDef] = Field(default_factory=list)
    filters: list[FilterDef] = Field(default_factory=list)
    hiaten: list[str] = Field(default_factory=list)  # known gaps, shown in the UI (Dutch)
    kaart: dict[str, object] = Field(default_factory=dict)  # display hints (colours, legend)

    @field_validator("snapshot", mode="before")
    @classmethod
    def _as_snapshot(cls, value: object) -> object:
        if isinstance(value, SourceDef) and not isinstance(value, SnapshotDef):
            return SnapshotDef(**value.model_dump())
        return value

    @field_validator("thema")
    @classmethod
    def _known_theme(cls, value: str, info: ValidationInfo) -> str:
        themes = (info.context or {}).get("themas")
        if themes is not None and value not in themes:
            msg = f"unknown theme {value!r} (known: {', '.join(themes)}; add it to {THEMES_FILE})"
            raise ValueError(msg)
        return value

    @property
    def naam(self) -> str:
        """The short name used in sentences."""
        return self.kort or self.titel

    def snapshots(self) -> list[SnapshotDef]:
        """Every snapshot, the primary first; each with its id."""
        primary = self.snapshot
        if primary is not None and not isinstance(primary, SnapshotDef):  # set by model_copy
            primary = SnapshotDef(**primary.model_dump(), id=PRIMARY_SNAPSHOT)
        return ([primary] if primary else []) + self.aanvullingen

    def snapshot_by_id(self, snapshot_id: str) -> SnapshotDef | None:
        return next((s for s in self.snapshots() if s.id == snapshot_id), None)

    def columns(self) -> set[str]:
        """The canonical columns the layer is declared to deliver."""
        return set(self.velden.values()) | set(self.kolommen)

    def metric_names(self, directory: Path = LAYERS_DIR) -> list[str]:
        """Output names of this layer's metrics (the `<metric>` in `laag.<layer>.<metric>`)."""
        names: list[str] = []
        for metric in self.metrics:
            if isinstance(metric, RuleSetMetric):
                names += ruleset_outputs(directory / metric.rules)
            else:
                names += metric.outputs()
        if self.limited():
            names.append("dekking_pct")
        return names

    def limited(self) -> bool:
        """Whether every snapshot has a limited coverage (then `dekking_pct` is reported)."""
        return bool(self.snapshots()) and all(s.dekking is not None for s in self.snapshots())

    def metric_of(self, output: str) -> Metric | None:
        """The metric that yields `output`."""
        return next(
            (m for m in self.metrics if not isinstance(m, RuleSetMetric) and output in m.outputs()),
            None,
        )

    def metric_snapshots(self, output: str) -> list[SnapshotDef]:
        """The snapshots an output is computed from (all when the metric names none)."""
        metric = self.metric_of(output)
        wanted = getattr(metric, "snapshots", None) or []
        return [s for s in self.snapshots() if not wanted or s.id in wanted]

    @model_validator(mode="after")
    def _consistent(self) -> LayerDef:
        problems = []
        if not (self.bronnen or self.snapshot or self.invoer or self._rulesets()):
            problems.append("layer needs at least one of bronnen, snapshot or a ruleset metric")
        if self.aanvullingen and self.snapshot is None:
            problems.append("aanvullingen need a snapshot")
        if self.snapshot is not None and self.snapshot.id is None:
            self.snapshot.id = PRIMARY_SNAPSHOT
        ids = [s.id for s in self.snapshots()]
        problems += [
            f"aanvullingen.{i}: needs an id" for i, s in enumerate(self.aanvullingen) if not s.id
        ]
        if len(set(ids)) != len(ids):
            problems.append(f"snapshot ids must be unique: {ids}")
        for i, metric in enumerate(self.metrics):
            unknown = [s for s in getattr(metric, "snapshots", []) if s not in ids]
            pref = getattr(metric, "preference", None)
            unknown += [s for s in (pref.snapshots if pref else []) if s not in ids]
            if unknown:
                problems.append(f"metrics.{i}: unknown snapshot(s) {', '.join(unknown)}")
        problems += self._presentation_problems()
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def _rulesets(self) -> list[RuleSetMetric]:
        return [m for m in self.metrics if isinstance(m, RuleSetMetric)]

    def _presentation_problems(self) -> list[str]:
        """Presentation fields must name this layer's metrics (rule-set outputs: at load)."""
        if self._rulesets():
            return []
        plain = [m for m in self.metrics if not isinstance(m, RuleSetMetric)]
        known = {n for m in plain for n in m.outputs()} | {"dekking_pct"}
        used = [(f"weergave.{n}", n) for n in self.weergave]
        used += [(f"knelpunten.{i}.als", n) for i, k in enumerate(self.knelpunten) for n in k.als]
        used += [(f"onbekend.{i}", u.metric) for i, u in enumerate(self.onbekend)]
        used += [(f"filters.{f.id}", f.metric) for f in self.filters]
        return [f"{where}: unknown metric {name!r}" for where, name in used if name not in known]


def ruleset_outputs(path: Path) -> list[str]:
    """The output names a rules file declares under its top-level key `uitvoer` (read again
    only when the file changes: pages ask on every run)."""
    try:
        status = path.stat()
        stamp: tuple[int, int] | None = (status.st_mtime_ns, status.st_size)
    except OSError:
        stamp = None  # read_yaml reports the missing file
    return list(_ruleset_outputs(path, stamp))


@functools.lru_cache(maxsize=64)
def _ruleset_outputs(path: Path, stamp: tuple[int, int] | None) -> tuple[str, ...]:
    raw = read_yaml(path, what="rule set", wat="regelset") or {}
    outputs = raw.get("uitvoer") if isinstance(raw, dict) else None
    if not isinstance(outputs, list) or not all(isinstance(o, str) for o in outputs):
        msg = f"{path.name}: rule set needs a list of output names under 'uitvoer'"
        raise ConfigError(msg, f"{path.name}: regelset mist een lijst 'uitvoer'")
    return tuple(outputs)


class ThemeVocabulary(_Strict):
    """`_themas.yaml`: theme id -> Dutch label. Adding a theme is adding a line."""

    themas: dict[Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")], str] = Field(min_length=1)


def load_themes(directory: Path = LAYERS_DIR) -> dict[str, str]:
    """The theme vocabulary of a catalog folder (the shipped one when the folder has none)."""
    path = directory / THEMES_FILE
    if not path.exists():
        path = LAYERS_DIR / THEMES_FILE
    vocabulary = load_validated(path, ThemeVocabulary, what="theme list", wat="themalijst")
    return vocabulary.themas


def load_layer(path: Path) -> LayerDef:
    """Read and validate one layer file (theme against the folder's vocabulary); errors name the
    file and every field."""
    raw = read_yaml(path, what="layer definition", wat="laagdefinitie")
    try:
        return LayerDef.model_validate(raw, context={"themas": load_themes(path.parent)})
    except ValidationError as err:
        problems = problems_text(err)
        msg = f"{path.name}: invalid layer definition: {problems}"
        raise ConfigError(msg, f"{path.name}: ongeldige laagdefinitie: {problems}") from err


def load_catalog(directory: Path = LAYERS_DIR) -> dict[str, LayerDef]:
    """All layer definitions in `directory` (`*.yaml`, not `*_regels.yaml` or `_*.yaml`), by id.

    Derived layers get their inputs from their rule set, which is checked against the catalog:
    an unknown input layer or a column the input does not deliver is a ConfigError naming the
    rules file and the field.
    """
    catalog: dict[str, LayerDef] = {}
    for path in sorted(directory.glob("*.yaml")):
        if path.stem.endswith("_regels") or path.name.startswith("_"):
            continue
        layer = load_layer(path)
        if layer.id in catalog:
            msg = f"{path.name}: duplicate layer id {layer.id!r}"
            raise ConfigError(msg, f"{path.name}: laag-id {layer.id!r} komt dubbel voor")
        catalog[layer.id] = layer
    for layer in catalog.values():
        for metric in layer._rulesets():
            _link_ruleset(layer, directory / metric.rules, catalog)
    unknown = {
        f"{lid} -> {ref}"
        for lid, layer in catalog.items()
        for ref in layer.invoer
        if ref not in catalog
    }
    if unknown:
        msg = f"derived layers refer to unknown layers: {', '.join(sorted(unknown))}"
        raise ConfigError(
            msg, f"afgeleide lagen verwijzen naar onbekende lagen: {', '.join(sorted(unknown))}"
        )
    return catalog


def _link_ruleset(layer: LayerDef, rules_path: Path, catalog: dict[str, LayerDef]) -> None:
    """Fill `layer.invoer` from the rule set and check its input columns and presentation."""
    from locatiescan.water_bodem import load_rules  # the rule engine imports this module

    rules = load_rules(rules_path)
    problems = []
    for where, layer_id, column in rules.input_columns():
        if layer_id not in catalog:
            problems.append(f"{where}.laag: unknown layer {layer_id!r}")
        elif column is not None and column not in catalog[layer_id].columns():
            have = ", ".join(sorted(catalog[layer_id].columns())) or "none declared"
            problems.append(
                f"{where}: column {column!r} is not delivered by layer {layer_id} (has: {have})"
            )
    outputs = set(rules.uitvoer)
    used = [(f"weergave.{n}", n) for n in layer.weergave]
    used += [(f"knelpunten.{i}.als", n) for i, k in enumerate(layer.knelpunten) for n in k.als]
    used += [(f"onbekend.{i}", u.metric) for i, u in enumerate(layer.onbekend)]
    used += [(f"filters.{f.id}", f.metric) for f in layer.filters]
    problems += [
        f"{layer.id}.yaml {where}: {name!r} is not an output of {rules_path.name}"
        for where, name in used
        if name not in outputs
    ]
    if problems:
        text = "; ".join(problems)
        raise ConfigError(f"{rules_path.name}: {text}", f"{rules_path.name}: {text}")
    layer.invoer = list(dict.fromkeys([*layer.invoer, *rules.input_layers()]))


_Source = TypeVar("_Source", bound=SourceDef)


def rooted(catalog: Mapping[str, LayerDef], root: Path) -> dict[str, LayerDef]:
    """The catalog with every relative data path (snapshots, their coverage, file sources)
    made absolute below `root`, so fetching a layer never resolves the data root itself."""

    def path_of(raw: str | list[str] | None) -> str | list[str] | None:
        if isinstance(raw, list):
            return [str(path_of(p)) for p in raw]
        if raw is None or Path(raw).expanduser().is_absolute():
            return raw
        return str(root / raw)

    def source(item: _Source) -> _Source:
        update: dict[str, object] = {"path": path_of(item.path)}
        if isinstance(item, SnapshotDef) and item.dekking is not None:
            dekking = item.dekking.model_copy(update={"path": path_of(item.dekking.path)})
            update["dekking"] = dekking
        return item.model_copy(update=update)

    return {
        layer_id: layer.model_copy(
            update={
                "bronnen": [source(s) for s in layer.bronnen],
                "snapshot": source(layer.snapshot) if layer.snapshot else None,
                "aanvullingen": [source(s) for s in layer.aanvullingen],
            }
        )
        for layer_id, layer in catalog.items()
    }

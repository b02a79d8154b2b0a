"""Water & bodem sturend (WBS): an indicative A–D class per location from a YAML rule set.

No national, machine-readable source of the *ruimtelijk afwegingskader* classes exists, so
the class is derived (the rule set in `layers/`) from offline inputs: the primary flood
defences (NBPW normtrajecten with their norms), the dike-ring areas (2002) and the LIWO breach
locations. Classes, best first: A = "ja" (the framework's 0 and A), B = "ja, mits",
C = "nee, tenzij", D = "nee". The scoring engine compares them in that order.

Evaluation is two pure steps. `compute_facts` measures per location what the rules may test
(distance to the nearest defence and its norm, share inside a dike ring, distance to breach
points, and statistics of user-supplied theme layers). `classify` applies every rule of each
theme; a theme's class is the worst class among the rules that hold, its reason lists them.
A theme no rule applies to is unknown (None) with a reason — for themes without any offline
source that reason is the theme's `zonder_bron` text, never a made-up class. The overall
`klasse` is the worst *known* theme class, with `klasse_volledig` false while themes are unknown.
"""

from __future__ import annotations

import math
import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pydantic import BaseModel, ConfigDict, Field, model_validator
from shapely.geometry.base import BaseGeometry

from locatiescan.errors import ConfigError
from locatiescan.layers.catalog import DEFAULT_RULES_FILE, SNAPSHOT_COLUMN, Condition, SourceDef
from locatiescan.location_table import id_index
from locatiescan.overlay import (
    STATISTICS,
    CoverageShares,
    LayerPairs,
    RasterWindow,
    class_key,
    dissolved_area,
    distance,
    intersection_pairs,
    nearest_feature,
    overlap,
    prepare_features,
    share_pct,
    union_area,
    worst_class,
    zonal_stats,
)
from locatiescan.paths import LAYERS_DIR
from locatiescan.yamlconfig import load_validated

RULES_FILE = LAYERS_DIR / DEFAULT_RULES_FILE
THEMES = ("waterveiligheid", "wateroverlast", "bodemdaling", "drinkwater")
Theme = Literal["waterveiligheid", "wateroverlast", "bodemdaling", "drinkwater"]

BASE_FACTS = (
    "afstand_kering_m",
    "kering_zone_pct",
    "traject",
    "norm_og",
    "binnen_dijkring_pct",
    "dijkring",
    "dijkring_nr",
)
RASTER_FACTS = tuple(f"_{s}" for s in STATISTICS)  # suffixes after the theme name
VECTOR_FACTS = ("_overlap_pct", "_afstand_m", "_klasse")
COMPUTED = ("klasse", "oordeel", "klasse_volledig", "onbekende_themas", "methode")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Rule(_Strict):
    """If every condition in `als` holds, the theme gets `klasse` (or the class in `klasse_uit`)."""

    id: str
    klasse: str | None = None
    klasse_uit: str | None = None
    reden: str
    als: dict[str, Condition] = Field(min_length=1)

    @model_validator(mode="after")
    def _one_class_source(self) -> Rule:
        if (self.klasse is None) == (self.klasse_uit is None):
            msg = "a rule needs exactly one of klasse or klasse_uit"
            raise ValueError(msg)
        return self


class ThemeRules(_Strict):
    """Rules of one theme, the reason used while it has no source, and optional online sources."""

    zonder_bron: str
    drempel: float | None = None  # threshold for `<theme>_pct_above` of a raster layer
    klasse_veld: str = "klasse"  # class field (A–D) of a vector layer for `<theme>_klasse`
    bronnen: list[SourceDef] = Field(default_factory=list)  # online, tried when online
    regels: list[Rule] = Field(default_factory=list)


class ClassDef(_Strict):
    code: str
    oordeel: str
    toelichting: str = ""


class KeringInput(_Strict):
    laag: str
    traject: str
    norm: str


class DijkringInput(_Strict):
    laag: str
    nummer: str


class BreachInput(_Strict):
    laag: str
    soort: str
    groepen: dict[str, list[str]] = Field(min_length=1)  # fact afstand_<groep>_punt_m: codes


class LandInput(_Strict):
    """Polygons of land (gemeenten): fact `buiten_land_pct`, the share outside all of them."""

    laag: str


class AreaInput(_Strict):
    """Polygons of a catalog layer as facts: `<naam>_pct` (share of the location in any kept
    feature) and `<naam>_<groep>_pct` per group of `veld` values; with `volgorde` (best first)
    also `<naam>` = the worst value present. Unknown outside the layer's coverage."""

    laag: str
    snapshots: list[str] = Field(default_factory=list)  # empty = all snapshots of the layer
    veld: str | None = None
    groepen: dict[str, list[str]] = Field(default_factory=dict)
    volgorde: list[str] = Field(default_factory=list)

    def facts(self, name: str) -> list[str]:
        found = [f"{name}_pct", *(f"{name}_{g}_pct" for g in self.groepen)]
        return found + ([name] if self.volgorde else [])


class Inputs(_Strict):
    keringen: KeringInput
    dijkringen: DijkringInput
    doorbraakpunten: BreachInput
    land: LandInput | None = None
    vlakken: dict[str, AreaInput] = Field(default_factory=dict)


class Distances(_Strict):
    zoekstraal_kering_m: float = Field(20_000, gt=0)
    zoekstraal_punten_m: float = Field(5_000, gt=0)
    beschermingszone_m: float = Field(100, gt=0)


class RuleSet(_Strict):
    """The whole rules file (the derived layer's rule set in `layers/`)."""

    uitvoer: list[str]
    label: str
    klassen: list[ClassDef] = Field(min_length=2)  # best first
    invoer: Inputs
    afstanden: Distances = Field(default_factory=Distances)
    thema: dict[Theme, ThemeRules]

    def fact_names(self) -> set[str]:
        """Every fact a rule may test."""
        groups = {f"afstand_{g}_punt_m" for g in self.invoer.doorbraakpunten.groepen}
        per_theme = {f"{t}{suffix}" for t in THEMES for suffix in (*RASTER_FACTS, *VECTOR_FACTS)}
        areas = {f for name, area in self.invoer.vlakken.items() for f in area.facts(name)}
        land = {"buiten_land_pct"} if self.invoer.land else set()
        return set(BASE_FACTS) | groups | per_theme | areas | land

    def output_names(self) -> set[str]:
        """What `uitvoer` may list: the computed classes and reasons, and any fact."""
        themes = {n for t in self.thema for n in (t, f"{t}_reden")}
        return set(COMPUTED) | themes | self.fact_names()

    def input_layers(self) -> list[str]:
        """Catalog layer ids the rules read, each once."""
        spec = self.invoer
        ids = [spec.keringen.laag, spec.dijkringen.laag, spec.doorbraakpunten.laag]
        ids += [spec.land.laag] if spec.land else []
        ids += [area.laag for area in spec.vlakken.values()]
        return list(dict.fromkeys(ids))

    def input_columns(self) -> list[tuple[str, str, str | None]]:
        """(place in the file, layer id, canonical column or None) for every input the rules read."""
        spec = self.invoer
        found: list[tuple[str, str, str | None]] = [
            ("invoer.keringen.traject", spec.keringen.laag, spec.keringen.traject),
            ("invoer.keringen.norm", spec.keringen.laag, spec.keringen.norm),
            ("invoer.dijkringen.nummer", spec.dijkringen.laag, spec.dijkringen.nummer),
            ("invoer.doorbraakpunten.soort", spec.doorbraakpunten.laag, spec.doorbraakpunten.soort),
        ]
        found += [("invoer.land", spec.land.laag, None)] if spec.land else []
        found += [
            (f"invoer.vlakken.{name}.veld", area.laag, area.veld)
            for name, area in spec.vlakken.items()
        ]
        return found

    @model_validator(mode="after")
    def _consistent(self) -> RuleSet:
        problems = _problems(self)
        if problems:
            raise ValueError("; ".join(problems))
        return self


def _problems(rules: RuleSet) -> list[str]:
    """Every inconsistency in a rule set (collected, then raised once)."""
    problems = []
    allowed = rules.output_names()
    unknown = [o for o in rules.uitvoer if o not in allowed]
    if unknown:
        problems.append(f"uitvoer: unknown output(s) {', '.join(unknown)}")
    missing = [o for o in (*COMPUTED, *THEMES) if o not in rules.uitvoer]
    if missing:
        problems.append(f"uitvoer: missing {', '.join(missing)}")
    absent = [t for t in THEMES if t not in rules.thema]
    if absent:
        problems.append(f"thema: missing theme(s) {', '.join(absent)}")
    codes = [c.code for c in rules.klassen]
    facts = rules.fact_names()
    for theme, spec in rules.thema.items():
        seen: set[str] = set()
        for rule in spec.regels:
            where = f"thema.{theme}.regels.{rule.id}"
            if rule.id in seen:
                problems.append(f"{where}: duplicate rule id")
            seen.add(rule.id)
            if rule.klasse is not None and rule.klasse not in codes:
                problems.append(f"{where}: klasse {rule.klasse!r} not in klassen {codes}")
            if rule.klasse_uit is not None and not rule.klasse_uit.endswith("_klasse"):
                problems.append(
                    f"{where}: klasse_uit must name a *_klasse fact, not {rule.klasse_uit!r}"
                )
            used = [*rule.als, *([rule.klasse_uit] if rule.klasse_uit else [])]
            quoted = [part for part in string.Formatter().parse(rule.reden) if part[1]]
            used += [name for _, name, _, _ in quoted]
            problems += [
                f"{where}: reden quotes {{{name}}} with a format or conversion; "
                f"write {{{name}}} (facts are shown rounded)"
                for _, name, spec, conversion in quoted
                if spec or conversion
            ]
            problems += [
                f"{where}: unknown fact {name!r}"
                for name in dict.fromkeys(used)
                if name not in facts
            ]
    return problems


def load_rules(path: Path = RULES_FILE) -> RuleSet:
    """Read and validate a rules file; one ConfigError naming the file and every problem.

    The result is cached per file and modification time, so an edited file is read again.
    """
    try:
        stamp = path.stat().st_mtime_ns
    except OSError as err:
        msg = f"{path.name}: cannot read rule set: {err}"
        raise ConfigError(msg, f"{path.name}: regelset niet leesbaar: {err}") from err
    return _load_rules(path, stamp)


@lru_cache(maxsize=8)
def _load_rules(path: Path, stamp: int) -> RuleSet:
    """`load_rules` behind a cache keyed by path and `stamp` (the modification time)."""
    del stamp  # part of the cache key only
    return load_validated(path, RuleSet, what="rule set", wat="regelset")


@dataclass(frozen=True)
class AreaLayer:
    """Features of an area input (EPSG:28992) and the coverage of the snapshots it reads."""

    features: gpd.GeoDataFrame
    coverage: BaseGeometry | None = None  # None: all of the Netherlands
    min_pct: float = 50.0


@dataclass(frozen=True)
class WaterInputs:
    """Features of the input layers (EPSG:28992, canonical field names); None = not available."""

    keringen: gpd.GeoDataFrame | None = None
    dijkringen: gpd.GeoDataFrame | None = None
    doorbraakpunten: gpd.GeoDataFrame | None = None
    land: gpd.GeoDataFrame | None = None
    vlakken: Mapping[str, AreaLayer] = field(default_factory=dict)


ThemeLayer = gpd.GeoDataFrame | RasterWindow


def compute_facts(
    locations: gpd.GeoDataFrame,
    rules: RuleSet,
    inputs: WaterInputs,
    themes: Mapping[str, ThemeLayer] | None = None,
    covered: CoverageShares | None = None,
) -> pd.DataFrame:
    """The facts the rules test, per location (index = id). Unavailable inputs give NaN facts.

    A distance beyond its search radius is +inf here (known: "farther"), unlike NaN (unknown).
    `covered` gives the locations' shares in a coverage (shared with the rest of a screening).
    """
    parts = [pd.DataFrame(index=id_index(locations))]
    if inputs.keringen is not None:
        parts.append(_kering_facts(locations, inputs.keringen, rules))
    if inputs.dijkringen is not None:
        parts.append(_dijkring_facts(locations, inputs.dijkringen, rules))
    if inputs.doorbraakpunten is not None:
        parts.append(_breach_facts(locations, inputs.doorbraakpunten, rules))
    if inputs.land is not None:
        parts.append(_land_facts(locations, inputs.land))
    prepared: dict[int, tuple[gpd.GeoDataFrame, LayerPairs]] = {}  # per input layer, once
    covered = covered or CoverageShares(locations)
    for name, layer in inputs.vlakken.items():
        if name not in rules.invoer.vlakken:
            continue
        if id(layer.features) not in prepared:
            features = prepare_features(locations, layer.features)
            pairs = LayerPairs(locations, features, covered.location_m2())
            prepared[id(layer.features)] = (features, pairs)
        features, pairs = prepared[id(layer.features)]
        parts.append(
            _area_facts(
                locations, name, rules.invoer.vlakken[name], layer, features, pairs, covered
            )
        )
    parts += [
        _theme_facts(locations, theme, layer, rules) for theme, layer in (themes or {}).items()
    ]
    return pd.concat(parts, axis=1).reindex(columns=sorted(rules.fact_names()))


def _beyond_is_inf(series: pd.Series) -> pd.Series:
    return series.fillna(math.inf)


def _kering_facts(
    locations: gpd.GeoDataFrame, keringen: gpd.GeoDataFrame, rules: RuleSet
) -> pd.DataFrame:
    spec, radius = rules.invoer.keringen, rules.afstanden.zoekstraal_kering_m
    keringen = prepare_features(locations, keringen)
    nearest = nearest_feature(locations, keringen, radius, prepared=True)
    found = nearest["feat"].notna().to_numpy()
    labels = nearest["feat"].dropna().astype(int).to_numpy()
    traject = pd.Series(None, index=nearest.index, dtype=object)
    norm = pd.Series(np.nan, index=nearest.index)
    traject[found] = keringen.loc[labels, spec.traject].astype(str).to_numpy()
    norm[found] = pd.to_numeric(keringen.loc[labels, spec.norm], errors="coerce").to_numpy()
    return pd.DataFrame(
        {
            "afstand_kering_m": _beyond_is_inf(nearest["distance_m"]),
            "kering_zone_pct": _zone_pct(locations, keringen, rules.afstanden.beschermingszone_m),
            "traject": traject,
            "norm_og": norm,
        }
    )


def _zone_pct(locations: gpd.GeoDataFrame, lines: gpd.GeoDataFrame, width_m: float) -> pd.Series:
    """% of each location's area within `width_m` of a line (lines clipped near the location)."""
    loc_geoms = locations.geometry.to_numpy()
    feat_pos, loc_pos = locations.sindex.query(
        lines.geometry.to_numpy(), predicate="dwithin", distance=width_m
    )
    share = np.zeros(len(locations))
    if len(loc_pos):
        bounds = shapely.bounds(loc_geoms[loc_pos]) + np.array(
            [-width_m, -width_m, width_m, width_m]
        )
        clipped = shapely.intersection(lines.geometry.to_numpy()[feat_pos], shapely.box(*bounds.T))
        zones = shapely.intersection(shapely.buffer(clipped, width_m), loc_geoms[loc_pos])
        share = union_area(loc_pos, zones, len(locations))
    return pd.Series(share_pct(locations, share), index=id_index(locations))


def _dijkring_facts(
    locations: gpd.GeoDataFrame, rings: gpd.GeoDataFrame, rules: RuleSet
) -> pd.DataFrame:
    rings = prepare_features(locations, rings)
    pairs = intersection_pairs(locations, rings, prepared=True)
    largest = pairs.sort_values(["loc", "area_m2"], ascending=[True, False]).drop_duplicates("loc")
    index = id_index(locations)
    ring = pd.Series(None, index=index, dtype=object)
    numbers = rings[rules.invoer.dijkringen.nummer].astype(str)
    ring.iloc[largest["loc"].to_numpy()] = numbers.loc[largest["feat"].to_numpy()].to_numpy()
    return pd.DataFrame(
        {
            "binnen_dijkring_pct": share_pct(locations, dissolved_area(pairs, len(locations))),
            "dijkring": ring,
            "dijkring_nr": pd.to_numeric(
                ring.str.extract(r"^(\d+)", expand=False), errors="coerce"
            ),
        },
        index=index,
    )


def _breach_facts(
    locations: gpd.GeoDataFrame, points: gpd.GeoDataFrame, rules: RuleSet
) -> pd.DataFrame:
    spec, radius = rules.invoer.doorbraakpunten, rules.afstanden.zoekstraal_punten_m
    points = prepare_features(locations, points)
    kind = points[spec.soort].astype(str)
    return pd.DataFrame(
        {
            f"afstand_{group}_punt_m": _beyond_is_inf(
                distance(locations, points[kind.isin(codes)], radius, prepared=True)
            )
            for group, codes in spec.groepen.items()
        }
    )


def _land_facts(locations: gpd.GeoDataFrame, land: gpd.GeoDataFrame) -> pd.DataFrame:
    """`buiten_land_pct`: the share of each location outside every land polygon (open water)."""
    inside = overlap(locations, land)["overlap_pct"]
    return pd.DataFrame({"buiten_land_pct": (100.0 - inside).clip(lower=0.0)})


def _area_facts(
    locations: gpd.GeoDataFrame,
    name: str,
    spec: AreaInput,
    layer: AreaLayer,
    features: gpd.GeoDataFrame,
    pairs: LayerPairs,
    covered: CoverageShares,
) -> pd.DataFrame:
    """Shares of the location in the input's features (per group) and its worst class; NaN for
    locations outside the input's coverage. `features` are the layer's, prepared once, with
    their shared candidate `pairs`; `covered` gives the locations' shares in a coverage."""
    if spec.snapshots and SNAPSHOT_COLUMN in features.columns:
        features = features[features[SNAPSHOT_COLUMN].isin(spec.snapshots)]
    index = id_index(locations)
    facts = {f"{name}_pct": overlap(locations, features, pairs=pairs)["overlap_pct"]}
    values = features[spec.veld].astype(str) if spec.veld else None
    for group, members in spec.groepen.items():
        kept = features[values.isin(members).to_numpy()] if values is not None else features
        facts[f"{name}_{group}_pct"] = overlap(locations, kept, pairs=pairs)["overlap_pct"]
    if spec.volgorde and spec.veld:
        facts[name] = worst_class(locations, features, spec.veld, spec.volgorde, pairs=pairs)
    frame = pd.DataFrame(facts, index=index)
    outside = covered(layer.coverage) < layer.min_pct
    frame.loc[outside] = None
    return frame.astype({c: float for c in frame.columns if c.endswith("_pct")})


def _theme_facts(
    locations: gpd.GeoDataFrame, theme: str, layer: ThemeLayer, rules: RuleSet
) -> pd.DataFrame:
    spec = rules.thema[theme]  # type: ignore[index]
    if isinstance(layer, RasterWindow):
        stats = zonal_stats(locations, layer, spec.drempel)
        return stats.rename(columns=lambda s: f"{theme}_{s}")
    codes = [c.code for c in rules.klassen]
    features = prepare_features(locations, layer)
    pairs = LayerPairs(locations, features)
    facts = {
        f"{theme}_overlap_pct": overlap(locations, features, pairs=pairs)["overlap_pct"],
        f"{theme}_afstand_m": _beyond_is_inf(
            distance(
                locations, features, rules.afstanden.zoekstraal_punten_m, prepared=True, pairs=pairs
            )
        ),
    }
    if spec.klasse_veld in features.columns:
        facts[f"{theme}_klasse"] = worst_class(
            locations, features, spec.klasse_veld, codes, pairs=pairs
        )
    return pd.DataFrame(facts)


def _per_distinct(values: pd.Series, function: Callable[[object], object]) -> np.ndarray:
    """`function` of each value, called once per distinct value (facts repeat a few classes)."""
    codes, uniques = pd.factorize(values.to_numpy(dtype=object), use_na_sentinel=False)
    return np.array([function(v) for v in uniques] or [None], dtype=object)[codes]


def _holds(values: pd.Series, condition: Condition) -> np.ndarray:
    """Where `condition` holds for the fact `values` (unknown values fail every numeric test)."""
    known = values.notna().to_numpy()
    ok = np.ones(len(values), dtype=bool)
    if condition.bekend is not None:
        ok &= known == condition.bekend
    numeric = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)
    with np.errstate(invalid="ignore"):
        for bound, test in (
            (condition.min, np.greater_equal),
            (condition.max, np.less_equal),
            (condition.boven, np.greater),
            (condition.onder, np.less),
        ):
            if bound is not None:
                ok &= test(numeric, bound)
    if condition.is_ is None and condition.in_ is None and condition.niet_in is None:
        return ok
    keys = pd.Series(_per_distinct(values, class_key))
    wanted = [condition.is_] if condition.is_ is not None else []
    for allowed in (wanted, condition.in_):
        if allowed:
            ok &= keys.isin([class_key(v) for v in allowed]).to_numpy(dtype=bool) & known
    if condition.niet_in is not None:
        excluded = keys.isin([class_key(v) for v in condition.niet_in])
        ok &= ~excluded.to_numpy(dtype=bool) & known
    return ok


def _display(value: object) -> str:
    """A fact as shown in a reason: integral numbers without decimals, inf as 'onbekend'."""
    if isinstance(value, (float, np.floating)):
        if not math.isfinite(value):
            return "onbekend"
        return f"{value:.0f}" if float(value).is_integer() or abs(value) >= 100 else f"{value:.1f}"
    return "onbekend" if value is None else str(value)


def classify(facts: pd.DataFrame, rules: RuleSet, overridden: tuple[str, ...] = ()) -> pd.DataFrame:
    """The outputs (`uitvoer`) per location from its facts; `overridden`: themes with own layers."""
    codes = [c.code for c in rules.klassen]
    position = {code: rank for rank, code in enumerate(codes)}  # a class code's rank
    verdict = {c.code: c.oordeel for c in rules.klassen}
    n = len(facts)
    out: dict[str, object] = {}
    worst = np.full(n, -1)
    unknown: list[list[str]] = [[] for _ in range(n)]
    shown: dict[str, np.ndarray] = {}  # the facts the reasons quote, as shown, by name
    for theme in THEMES:
        spec = rules.thema[theme]
        rank = np.full(n, -1)
        spoken: list[tuple[np.ndarray, np.ndarray]] = []  # per rule: its rank, its text per row
        for rule in spec.regels:
            holds = np.ones(n, dtype=bool)
            for fact, condition in rule.als.items():
                holds &= _holds(facts[fact], condition)
            if rule.klasse is not None:
                rule_rank = np.where(holds, codes.index(rule.klasse), -1)
            else:
                rule_rank = facts[rule.klasse_uit].map(position).fillna(-1).to_numpy(dtype=int)
                rule_rank = np.where(holds, rule_rank, -1)
            spoken.append((rule_rank, _rule_texts(rule.reden, rule_rank, codes, facts, shown)))
            rank = np.maximum(rank, rule_rank)
        used = {f for rule in spec.regels for f in rule.als}
        has_source = (
            facts[sorted(used)].notna().any(axis=1).to_numpy() if used else np.zeros(n, dtype=bool)
        )
        out[theme] = [codes[r] if r >= 0 else None for r in rank]
        out[f"{theme}_reden"] = _theme_reasons(spoken, has_source, spec.zonder_bron, rules.label)
        for i in np.flatnonzero(rank < 0):
            unknown[i].append(theme)
        worst = np.maximum(worst, rank)
    out["klasse"] = [codes[r] if r >= 0 else None for r in worst]
    out["oordeel"] = [verdict[codes[r]] if r >= 0 else None for r in worst]
    out["klasse_volledig"] = [not u for u in unknown]
    out["onbekende_themas"] = ["; ".join(u) for u in unknown]
    own = f"; eigen laag: {', '.join(overridden)}" if overridden else ""
    out["methode"] = [rules.label + own] * n
    for name in rules.uitvoer:
        if name not in out:
            out[name] = _fact_output(facts[name])
    columns = {
        name: out[name]
        if isinstance(out[name], pd.Series)
        else pd.Series(
            out[name], index=facts.index, dtype=bool if name == "klasse_volledig" else object
        )
        for name in rules.uitvoer
    }
    return pd.DataFrame(columns, index=facts.index)


def _fact_output(values: pd.Series) -> pd.Series:
    """A fact as an output column: numbers with +inf ("beyond the radius") as NaN, text or None."""
    if pd.api.types.is_numeric_dtype(values):
        numbers = values.astype(float)
        return numbers.where(np.isfinite(numbers))
    return values.astype(object).where(values.notna(), None)


def _rule_texts(
    template: str,
    rule_rank: np.ndarray,
    codes: list[str],
    facts: pd.DataFrame,
    shown: dict[str, np.ndarray],
) -> np.ndarray:
    """A rule's reason where it speaks ("B: " + its text with the facts filled in), else None.

    Built column-wise from the template's parts; `shown` keeps each quoted fact as shown."""
    texts = np.full(len(rule_rank), None, dtype=object)
    where = np.flatnonzero(rule_rank >= 0)  # facts shown only where a rule speaks
    if not len(where):
        return texts
    text = np.array([f"{code}: " for code in codes], dtype=object)[rule_rank[where]]
    for literal, name, _, _ in string.Formatter().parse(template):  # plain {fact} fields
        text = text + literal
        if name is None:
            continue
        if name not in shown:
            shown[name] = _per_distinct(facts[name], _display)
        text = text + shown[name][where]
    texts[where] = text
    return texts


def _theme_reasons(
    spoken: list[tuple[np.ndarray, np.ndarray]], has_source: np.ndarray, no_source: str, label: str
) -> list[str]:
    """Per row the matched rules' texts worst first (rule order within a class), labelled; or
    why the theme is unknown."""
    joined = np.full(len(has_source), "", dtype=object)
    top = max((int(r.max()) for r, _ in spoken if len(r)), default=-1)
    for level in range(top, -1, -1):
        for rule_rank, texts in spoken:
            at = np.flatnonzero(rule_rank == level)
            if len(at):
                first = joined[at] == ""
                joined[at] = np.where(first, texts[at], joined[at] + "; " + texts[at])
    found = joined != ""
    joined[found] = joined[found] + f" — {label}"
    fallback = np.where(has_source, "geen regel van toepassing", no_source)
    joined[~found] = fallback[~found]
    return joined.tolist()


def evaluate(
    locations: gpd.GeoDataFrame,
    rules: RuleSet,
    inputs: WaterInputs,
    themes: Mapping[str, ThemeLayer] | None = None,
    covered: CoverageShares | None = None,
) -> pd.DataFrame:
    """Facts, then classes: the water & bodem outputs per location (index = id)."""
    facts = compute_facts(locations, rules, inputs, themes, covered)
    return classify(facts, rules, tuple(sorted(themes or {})))

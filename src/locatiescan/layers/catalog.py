"""The layer catalog: one YAML file per layer in `layers/`, validated with pydantic.

A layer has online sources in priority order, an offline snapshot below the data root, a
mapping of source attributes to canonical names, and the metrics the overlay computes.
A *derived* layer (water & bodem) has no source of its own: it applies a rule set to the
layers listed in `invoer`.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from locatiescan.errors import ConfigError
from locatiescan.paths import LAYERS_DIR
from locatiescan.yamlconfig import load_validated, read_yaml


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


ProviderName = Literal["wfs", "ogcapi", "wcs", "file", "raster"]
DottedPath = Annotated[str, Field(pattern=r"^[A-Za-z_]\w*(\.[A-Za-z_]\w*)+$")]


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


class OverlapMetric(_Strict):
    """Overlap of the location with the layer: `overlap_ha`, `overlap_pct`, `names`."""

    kind: Literal["overlap"]
    name_field: str | None = None  # canonical attribute listed in `names`


class DistanceMetric(_Strict):
    """Distance (m) to the nearest feature within `radius_m`: `distance_m` (None beyond)."""

    kind: Literal["distance"]
    radius_m: float = Field(gt=0)


class WorstClassMetric(_Strict):
    """Worst value of `field` among overlapping features, in `order` (best first)."""

    kind: Literal["worst_class"]
    output: str
    field: str
    order: list[int | str] = Field(min_length=1)
    where: dict[str, list[int | str]] = Field(default_factory=dict)


class ZonalMetric(_Strict):
    """Raster zonal statistics: `<output>_min`, `_mean`, `_max`, `_pct_above`."""

    kind: Literal["zonal"]
    output: str
    threshold: float | None = None
    band: int = 1


class RuleSetMetric(_Strict):
    """Derived classes from a rule set (water & bodem): outputs are named by the rules file."""

    kind: Literal["ruleset"]
    rules: str  # file name in layers/


Metric = Annotated[
    OverlapMetric | DistanceMetric | WorstClassMetric | ZonalMetric | RuleSetMetric,
    Field(discriminator="kind"),
]


class LayerDef(_Strict):
    """One layer of the catalog."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    titel: str
    thema: Literal["natura2000", "netcongestie", "water_bodem", "gebiedsindeling"]
    licentie: str
    attributie: str
    bronnen: list[SourceDef] = Field(default_factory=list)  # online, in priority order
    snapshot: SourceDef | None = None  # offline fallback below the data root
    invoer: list[str] = Field(default_factory=list)  # derived layers: input layer ids
    velden: dict[str, str] = Field(default_factory=dict)  # source attribute -> canonical name
    metrics: list[Metric] = Field(default_factory=list)
    hiaten: list[str] = Field(default_factory=list)  # known gaps, shown in the UI (Dutch)
    kaart: dict[str, object] = Field(default_factory=dict)  # display hints (colours, legend)

    def metric_names(self, directory: Path = LAYERS_DIR) -> list[str]:
        """Output names of this layer's metrics (the `<metric>` in `laag.<layer>.<metric>`)."""
        names: list[str] = []
        for metric in self.metrics:
            if isinstance(metric, OverlapMetric):
                names += ["overlap_ha", "overlap_pct", "names"]
            elif isinstance(metric, DistanceMetric):
                names.append("distance_m")
            elif isinstance(metric, WorstClassMetric):
                names.append(metric.output)
            elif isinstance(metric, ZonalMetric):
                names += [f"{metric.output}_{s}" for s in ("min", "mean", "max", "pct_above")]
            else:
                names += ruleset_outputs(directory / metric.rules)
        return names

    @model_validator(mode="after")
    def _has_a_source(self) -> LayerDef:
        if not (self.bronnen or self.snapshot or self.invoer):
            msg = "layer needs at least one of bronnen, snapshot or invoer"
            raise ValueError(msg)
        return self


def ruleset_outputs(path: Path) -> list[str]:
    """The output names a rules file declares under its top-level key `uitvoer`."""
    raw = read_yaml(path, what="rule set", wat="regelset") or {}
    outputs = raw.get("uitvoer") if isinstance(raw, dict) else None
    if not isinstance(outputs, list) or not all(isinstance(o, str) for o in outputs):
        msg = f"{path.name}: rule set needs a list of output names under 'uitvoer'"
        raise ConfigError(msg, f"{path.name}: regelset mist een lijst 'uitvoer'")
    return outputs


def load_layer(path: Path) -> LayerDef:
    """Read and validate one layer file; errors name the file and the field."""
    return load_validated(path, LayerDef, what="layer definition", wat="laagdefinitie")


def load_catalog(directory: Path = LAYERS_DIR) -> dict[str, LayerDef]:
    """All layer definitions in `directory` (files `*.yaml` except `*_regels.yaml`), by id."""
    catalog: dict[str, LayerDef] = {}
    for path in sorted(directory.glob("*.yaml")):
        if path.stem.endswith("_regels"):
            continue
        layer = load_layer(path)
        if layer.id in catalog:
            msg = f"{path.name}: duplicate layer id {layer.id!r}"
            raise ConfigError(msg, f"{path.name}: laag-id {layer.id!r} komt dubbel voor")
        catalog[layer.id] = layer
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

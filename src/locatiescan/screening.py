"""Screen locations against the catalog's layers: one wide table of metrics plus provenance.

I/O lives here (fetching layers through `locatiescan.layers.fetch.get_layer`, reading a user's
theme layers); the computation is `locatiescan.overlay` and `locatiescan.water_bodem`.
Each layer is fetched once for the bounding box of all locations, widened by the layer's
search radius so that nearest distances near the edge are right. Derived layers (water &
bodem) run after their inputs. A layer that no source can deliver (a missing snapshot file
included) leaves its columns unknown (None/NaN) and a reason in `Screening.problemen`; it never
becomes zero.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
from pyogrio.errors import DataSourceError

from locatiescan.errors import InputError, SourceError
from locatiescan.importers.gate import raster_env, read_vector
from locatiescan.importers.safety import theme_layer_kind
from locatiescan.layers.catalog import DistanceMetric, LayerDef, RuleSetMetric, ZonalMetric
from locatiescan.layers.coverage import layer_coverage
from locatiescan.layers.fetch import get_layer, shipped_catalog
from locatiescan.layers.provenance import Provenance
from locatiescan.location_table import id_index
from locatiescan.overlay import (
    OVERLAY_CRS,
    CoverageShares,
    check_locations,
    read_raster_window,
    run_metrics,
)
from locatiescan.paths import LAYERS_DIR
from locatiescan.settings import settings
from locatiescan.sitemetrics import withhold_gemeente_level
from locatiescan.water_bodem import (
    THEMES,
    AreaLayer,
    RuleSet,
    ThemeLayer,
    WaterInputs,
    evaluate,
    load_rules,
)

RASTER_SUFFIXES = (".tif", ".tiff")
BBox = tuple[float, float, float, float]


@dataclass
class Screening:
    """Metrics per location (index id, columns `<layer>.<metric>`) and each layer's provenance."""

    table: pd.DataFrame
    provenance: dict[str, Provenance] = field(default_factory=dict)
    problemen: dict[str, str] = field(default_factory=dict)  # layer id -> Dutch reason (unknown)
    niet_bepaald: dict[str, str] = field(default_factory=dict)  # id -> why no site value (Dutch)
    gemeente_context: pd.DataFrame = field(default_factory=pd.DataFrame)  # whole-gemeente values


def available_metrics(catalog: Mapping[str, LayerDef] | None = None) -> dict[str, list[str]]:
    """Layer id → metric names (the `<metric>` of `<layer>.<metric>`), for layers with metrics."""
    catalog = shipped_catalog() if catalog is None else catalog
    return {lid: layer.metric_names() for lid, layer in catalog.items() if layer.metrics}


def screening_long(table: pd.DataFrame) -> pd.DataFrame:
    """The wide table in tidy form: one row per location × metric (`id, laag, metric, waarde`)."""
    long = (
        table.astype(object)
        .rename_axis("id")
        .reset_index()
        .melt(id_vars="id", var_name="kolom", value_name="waarde")
    )
    parts = long["kolom"].str.split(".", n=1, expand=True)
    return pd.DataFrame(
        {"id": long["id"], "laag": parts[0], "metric": parts[1], "waarde": long["waarde"]}
    ).reset_index(drop=True)


def _check_request(
    locations: gpd.GeoDataFrame,
    layer_ids: Iterable[str] | None,
    overrides: Mapping[str, str | Path] | None,
    catalog: Mapping[str, LayerDef],
) -> list[str]:
    """Validate everything up front (one InputError listing every problem); the layer ids to run."""
    problems, nl = [], []
    if not isinstance(locations, gpd.GeoDataFrame) or locations.crs is None:
        problems.append("locations need a GeoDataFrame with a CRS")
        nl.append("locaties moeten een GeoDataFrame met CRS zijn")
    elif locations.empty:
        problems.append("there are no locations to screen")
        nl.append("er zijn geen locaties om te screenen")
    wanted = (
        list(available_metrics(catalog)) if layer_ids is None else list(dict.fromkeys(layer_ids))
    )
    if not wanted:
        problems.append("no layers requested")
        nl.append("geen lagen gevraagd")
    unknown = [lid for lid in wanted if lid not in catalog]
    if unknown:
        known = ", ".join(sorted(available_metrics(catalog)))
        problems.append(f"unknown layer(s) {', '.join(unknown)}; layers with metrics: {known}")
        nl.append(f"onbekende laag/lagen {', '.join(unknown)}; lagen met maten: {known}")
    for theme, path in (overrides or {}).items():
        if theme not in THEMES:
            problems.append(
                f"unknown theme {theme!r} for an own layer; themes: {', '.join(THEMES)}"
            )
            nl.append(f"onbekend thema {theme!r} voor een eigen laag; thema's: {', '.join(THEMES)}")
        if not Path(path).is_file():
            problems.append(f"own layer for {theme} not found: {path}")
            nl.append(f"eigen laag voor {theme} niet gevonden: {path}")
    derived = [lid for lid in wanted if lid in catalog and catalog[lid].invoer]
    if overrides and not derived:
        names = ", ".join(lid for lid, layer in catalog.items() if layer.invoer) or "-"
        problems.append(f"own theme layers need a derived layer ({names}) in --layers")
        nl.append(f"eigen themalagen vragen een afgeleide laag ({names}) in --layers")
    if problems:
        raise InputError("; ".join(problems), "; ".join(nl))
    return [lid for lid in wanted if not catalog[lid].invoer] + derived


def screen_locations(
    locations: gpd.GeoDataFrame,
    layer_ids: Iterable[str] | None = None,
    *,
    online: bool | None = None,
    overrides: Mapping[str, str | Path] | None = None,
    catalog: Mapping[str, LayerDef] | None = None,
) -> Screening:
    """Metrics of `layer_ids` (default: every layer with metrics) for each location.

    `online=None` follows settings.online. `overrides` maps a water & bodem theme to a user
    GeoTIFF (zonal statistics) or vector file that replaces "unknown" for that theme.
    """
    catalog = shipped_catalog() if catalog is None else catalog
    wanted = _check_request(locations, layer_ids, overrides, catalog)
    locations = locations.to_crs(OVERLAY_CRS).reset_index(drop=True)
    check_locations(locations)
    online = settings().online if online is None else online
    result = Screening(table=pd.DataFrame(index=id_index(locations)))
    run = _Pass(locations, online, result)
    frames = [
        _derived(run, catalog[lid], catalog, overrides or {})
        if catalog[lid].invoer
        else _plain(run, catalog[lid])
        for lid in wanted
    ]
    table = pd.concat([result.table, *frames], axis=1)
    table, result.gemeente_context, result.niet_bepaald = withhold_gemeente_level(table, locations)
    result.table = share_repeated_values(table)
    return result


def share_repeated_values(table: pd.DataFrame) -> pd.DataFrame:
    """`table` with each repeated text in an object column held by one shared str object.

    Screening text repeats (classes, reasons, names of the few areas nearby), but every metric
    makes its own string objects: at 40,000 locations 38 MB of strings hold 4 MB of distinct
    text. Only texts are shared (1, 1.0 and True are equal keys, but not the same value; a text
    held as a str subclass such as numpy.str_ becomes the equal str); values, missing values and
    dtypes stay the same. A pickled chunk (the process pool, Dask) keeps the sharing.
    """
    shared = {}
    for column in table.columns:
        if table[column].dtype != object:
            continue
        values = table[column].to_numpy()
        codes, uniques = pd.factorize(values)  # a str only ever equals a str
        uniques = np.asarray(uniques, dtype=object)
        text = np.fromiter((type(u) is str for u in uniques), bool, len(uniques))
        take = codes >= 0
        take[take] = text[codes[take]]
        out = values.copy()
        out[take] = uniques[codes[take]]
        shared[column] = pd.Series(out, index=table.index, dtype=object)
    return table.assign(**shared) if shared else table


class _Pass:
    """What the layers of one screening share: the locations (EPSG:28992), their extent and
    their shares in each coverage (layers share coverages, a province), and the result."""

    def __init__(self, locations: gpd.GeoDataFrame, online: bool, result: Screening) -> None:
        self.locations, self.online, self.result = locations, online, result
        self.bounds = locations.total_bounds
        self.covered = CoverageShares(locations)

    def bbox(self, margin_m: float = 0.0) -> BBox:
        """The locations' extent widened by `margin_m`."""
        minx, miny, maxx, maxy = self.bounds
        return (minx - margin_m, miny - margin_m, maxx + margin_m, maxy + margin_m)


def _margin(layer: LayerDef) -> float:
    """How far beyond the locations a layer's features still matter (largest search radius)."""
    return max((m.radius_m for m in layer.metrics if isinstance(m, DistanceMetric)), default=0.0)


def _unknown_columns(locations: gpd.GeoDataFrame, layer: LayerDef) -> pd.DataFrame:
    names = [f"{layer.id}.{name}" for name in layer.metric_names()]
    return pd.DataFrame(None, index=id_index(locations), columns=names, dtype=object)


def _fetch(
    layer: LayerDef, bbox: BBox, online: bool, result: Screening
) -> tuple[gpd.GeoDataFrame | None, Path | None]:
    """A layer's features (EPSG:28992) or raster path; None plus a reason when nothing delivers."""
    try:
        data = get_layer(layer, bbox, online=online)
    except SourceError as err:
        result.problemen[layer.id] = err.nl
        return None, None
    result.provenance[layer.id] = data.provenance
    if data.raster_path is not None:
        return None, data.raster_path
    if data.gdf.crs is None:
        msg = f"layer {layer.id}: features came without a CRS"
        raise SourceError(msg, f"laag {layer.id}: objecten zonder CRS ontvangen")
    return data.gdf.to_crs(OVERLAY_CRS), None


def _plain(run: _Pass, layer: LayerDef) -> pd.DataFrame:
    locations, result = run.locations, run.result
    bbox = run.bbox(_margin(layer))
    features, raster_path = _fetch(layer, bbox, run.online, result)
    if raster_path is not None:
        band = next((m.band for m in layer.metrics if isinstance(m, ZonalMetric)), 1)
        return run_metrics(locations, layer, read_raster_window(raster_path, bbox, band))
    if features is None:
        return _unknown_columns(locations, layer)
    try:
        coverages = _coverages(layer)
    except SourceError as err:  # a coverage file is missing: where the data holds is unknown
        result.problemen[layer.id] = err.nl
        result.provenance.pop(layer.id, None)
        return _unknown_columns(locations, layer)
    return run_metrics(locations, layer, features, coverages, run.covered)


def _coverages(layer: LayerDef) -> dict[tuple[str, ...], tuple[object, float]]:
    """Coverage per snapshot selection of the layer's metrics (and `()` for the whole layer)."""
    keys = {(), *(tuple(getattr(m, "snapshots", [])) for m in layer.metrics)}
    return {key: layer_coverage(layer, key) for key in keys}


def _rules(layer: LayerDef, directory: Path = LAYERS_DIR) -> RuleSet:
    metric = next(m for m in layer.metrics if isinstance(m, RuleSetMetric))
    return load_rules(directory / metric.rules)


def _derived(
    run: _Pass,
    layer: LayerDef,
    catalog: Mapping[str, LayerDef],
    overrides: Mapping[str, str | Path],
) -> pd.DataFrame:
    """The water & bodem rule set over its input layers and any theme layers."""
    result = run.result
    rules = _rules(layer)
    spec = rules.invoer
    margins = dict.fromkeys(rules.input_layers(), 0.0)
    margins[spec.keringen.laag] = rules.afstanden.zoekstraal_kering_m
    margins[spec.doorbraakpunten.laag] = max(
        margins[spec.doorbraakpunten.laag], rules.afstanden.zoekstraal_punten_m
    )
    fetched = {
        lid: _fetch(catalog[lid], run.bbox(margin), run.online, result)[0]
        for lid, margin in margins.items()
    }
    areas = {}
    warnings: list[str] = []
    for name, area in spec.vlakken.items():
        if fetched[area.laag] is None:
            continue
        try:
            coverage, min_pct = layer_coverage(catalog[area.laag], area.snapshots)
        except SourceError as err:  # its facts stay unknown
            warnings.append(f"{name}: dekking niet beschikbaar ({err.nl})")
            continue
        areas[name] = AreaLayer(fetched[area.laag], coverage, min_pct)
    inputs = WaterInputs(
        keringen=fetched[spec.keringen.laag],
        dijkringen=fetched[spec.dijkringen.laag],
        doorbraakpunten=fetched[spec.doorbraakpunten.laag],
        land=fetched[spec.land.laag] if spec.land else None,
        vlakken=areas,
    )
    bbox = run.bbox(rules.afstanden.zoekstraal_punten_m)
    themes = {theme: read_theme_layer(path, bbox) for theme, path in overrides.items()}
    warnings += [f"{theme}: eigen laag {Path(path).name}" for theme, path in overrides.items()]
    if run.online:
        themes.update(_online_themes(layer, rules, bbox, set(themes), warnings))
    result.provenance[layer.id] = _derived_provenance(layer, rules, result, warnings)
    table = evaluate(run.locations, rules, inputs, themes, run.covered)
    return table.rename(columns=lambda name: f"{layer.id}.{name}")


def _online_themes(
    layer: LayerDef, rules: RuleSet, bbox: BBox, skip: set[str], warnings: list[str]
) -> dict[str, ThemeLayer]:
    """Theme rasters from the rules file's online sources; failures become warnings."""
    themes: dict[str, ThemeLayer] = {}
    for theme, spec in rules.thema.items():
        if theme in skip or not spec.bronnen:
            continue
        source_layer = LayerDef(
            id=f"{layer.id}_{theme}",
            titel=f"{layer.titel}: {theme}",
            thema=layer.thema,
            licentie=layer.licentie,
            attributie=layer.attributie,
            bronnen=spec.bronnen,
        )
        try:
            data = get_layer(source_layer, bbox, online=True)
        except SourceError as err:
            warnings.append(f"{theme}: online bron niet bruikbaar ({err.nl})")
            continue
        if data.raster_path is not None:
            themes[theme] = read_raster_window(data.raster_path, bbox)
        else:
            themes[theme] = data.gdf.to_crs(OVERLAY_CRS)
        warnings.append(f"{theme}: online bron {data.provenance.source} ({data.provenance.date})")
    return themes


def _derived_provenance(
    layer: LayerDef, rules: RuleSet, result: Screening, warnings: list[str]
) -> Provenance:
    """Provenance of a derived layer: its inputs' sources, the oldest date, the weakest kind."""
    inputs = [result.provenance[lid] for lid in rules.input_layers() if lid in result.provenance]
    missing = [lid for lid in rules.input_layers() if lid not in result.provenance]
    kinds = [p.kind for p in inputs]
    kind = next((k for k in ("snapshot", "cache", "live") if k in kinds), "snapshot")
    notes = [f"invoer {lid} ontbreekt: {result.problemen[lid]}" for lid in missing]
    return Provenance(
        layer_id=layer.id,
        source="afgeleid uit " + ", ".join(f"{p.layer_id} ({p.source})" for p in inputs),
        kind=kind,
        date=min((p.date for p in inputs), default="onbekend"),
        licentie=layer.licentie,
        attributie=layer.attributie,
        warnings=[rules.label, *notes, *warnings, *layer.hiaten],
    )


def read_theme_layer(path: str | Path, bbox: BBox) -> ThemeLayer:
    """A user's layer for a water & bodem theme: GeoTIFF → raster window, else vector features."""
    path = Path(path)
    try:  # the gate: extension and content checked, one GDAL driver
        kind = theme_layer_kind(path)
        frame = None if kind == "geotiff" else read_vector(path, kind, None, path.name)
    except (DataSourceError, OSError, ValueError) as err:
        msg = f"cannot read own layer {path.name}: {err}"
        nl = f"eigen laag {path.name} niet leesbaar: {getattr(err, 'nl', err)}"
        raise InputError(msg, nl) from err
    if frame is None:
        with raster_env():
            return read_raster_window(path, bbox)
    if frame.crs is None:
        msg = f"own layer {path.name} has no CRS"
        raise InputError(msg, f"eigen laag {path.name} heeft geen CRS")
    return frame.to_crs(OVERLAY_CRS)

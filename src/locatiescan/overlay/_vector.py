"""Vector overlay of locations × features: overlap, nearest distance and worst class.

Pure computation in EPSG:28992. Candidate pairs come from the spatial index of the
*locations*, queried with the (prepared) feature geometries: a few large, detailed polygons
(Natura 2000 areas, grid-congestion zones) are then prepared once instead of being tested
against every location. Exact geometry work is done only for the candidate pairs, with
vectorised shapely calls. Results are indexed by the location `id`.
"""

from __future__ import annotations

import itertools
import operator
import weakref
from collections.abc import Hashable, Mapping, Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from locatiescan.errors import InputError
from locatiescan.location_table import id_index
from locatiescan.overlay._checks import check_crs, check_locations, valid_geometries

M2_PER_HA = 10_000.0
SHARE_DECIMALS = 9  # percentage points: far below any threshold, far above rounding error


def prepare_features(locations: gpd.GeoDataFrame, features: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Validate both inputs; the features with usable, prepared geometries, labelled by position.

    The public functions call this themselves; call it once and pass `prepared=True` to run
    several metrics on the same features without repeating the checks and repairs.
    """
    check_locations(locations)
    check_crs(features, "layer features")
    features = valid_geometries(features.reset_index(drop=True))
    shapely.prepare(features.geometry.to_numpy())
    return features


def _pairs(
    locations: gpd.GeoDataFrame,
    features: gpd.GeoDataFrame,
    predicate: str,
    distance_m: float | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Candidate (location position, feature position) pairs, sorted by location."""
    feat_pos, loc_pos = locations.sindex.query(
        features.geometry.values, predicate=predicate, distance=distance_m
    )
    order = np.lexsort((feat_pos, loc_pos))
    return loc_pos[order], features.index.to_numpy()[feat_pos[order]]


def _require_columns(features: gpd.GeoDataFrame, columns: Sequence[str]) -> None:
    missing = [c for c in columns if c not in features.columns]
    if missing:
        have = ", ".join(map(str, features.columns.drop(features.geometry.name)))
        msg = f"layer features lack column(s) {', '.join(missing)} (have: {have})"
        nl = f"laagobjecten missen kolom(men) {', '.join(missing)} (aanwezig: {have})"
        raise InputError(msg, nl)


def intersection_pairs(
    locations: gpd.GeoDataFrame,
    features: gpd.GeoDataFrame,
    *,
    prepared: bool = False,
    candidates: tuple[np.ndarray, np.ndarray] | None = None,
    contained: np.ndarray | None = None,
    location_m2: np.ndarray | None = None,
) -> pd.DataFrame:
    """Location × feature pairs that share area: positions `loc`, `feat`, `geometry`, `area_m2`.

    `loc` and `feat` are row positions in `locations` and `features`.

    Pairs come from the spatial index (`intersects`, or the `candidates` already found that
    way); the intersection is computed only for them. Pairs that only touch (zero shared
    area) are dropped. A large feature that cuts many locations is cut into tiles first
    (`_tiled_intersection`); a pair's `geometry` is then the collection of its pieces.
    Known facts save work: `contained` (per candidate, does its feature contain its location)
    and `location_m2` (the locations' own areas).
    """
    features = features if prepared else prepare_features(locations, features)
    loc_pos, feat_pos = candidates or _pairs(locations, features, "intersects")
    feat_geoms = features.geometry.loc[feat_pos].to_numpy()
    pieces = locations.geometry.to_numpy()[loc_pos]
    # a location inside the (prepared) feature is its own intersection: skip the overlay there
    partial = ~(shapely.contains(feat_geoms, pieces) if contained is None else contained)
    cut = partial & _worth_tiling(feat_pos, partial, feat_geoms)
    whole = partial & ~cut
    pieces[whole] = shapely.intersection(feat_geoms[whole], pieces[whole])
    pieces[cut] = _tiled_intersection(feat_geoms[cut], feat_pos[cut], pieces[cut])
    if location_m2 is None:
        area = shapely.area(pieces)
    else:  # a contained location's piece is the location itself
        area = location_m2[loc_pos]
        area[partial] = shapely.area(pieces[partial])
    keep = area > 0
    return pd.DataFrame(
        {
            "loc": loc_pos[keep],
            "feat": feat_pos[keep],
            "geometry": pieces[keep],
            "area_m2": area[keep],
        }
    )


TILE_VERTICES = 256  # a large feature is cut into tiles of at most this many vertices...
TILE_MIN_PAIRS = 32  # ...when it cuts at least this many locations
TILE_MIN_SIDE_M = 1.0  # a tile this small is not cut further, whatever its vertices


def _worth_tiling(feat_pos: np.ndarray, partial: np.ndarray, feat_geoms: np.ndarray) -> np.ndarray:
    """Per pair: is its feature large and cut by enough locations to be tiled first?

    Intersecting a location with a feature costs time in proportion to the feature's
    vertices; tiling it once costs about as much as a few hundred such intersections."""
    labels, first, counts = np.unique(feat_pos[partial], return_index=True, return_counts=True)
    vertices = shapely.get_num_coordinates(feat_geoms[partial][first])
    large = labels[(vertices > TILE_VERTICES) & (counts >= TILE_MIN_PAIRS)]
    return np.isin(feat_pos, large)


def _tiles(geometry: shapely.Geometry) -> list[shapely.Geometry]:
    """The polygons of `geometry` cut into quadrants until each has at most `TILE_VERTICES`
    vertices (or a side under `TILE_MIN_SIDE_M`); the tiles' interiors do not overlap."""
    done, todo = [], [geometry]
    while todo:
        part = todo.pop()
        x0, y0, x1, y1 = part.bounds
        if shapely.get_num_coordinates(part) <= TILE_VERTICES or max(x1 - x0, y1 - y0) < (
            TILE_MIN_SIDE_M
        ):
            done.append(part)
            continue
        xm, ym = (x0 + x1) / 2, (y0 + y1) / 2
        quadrants = shapely.box(
            [x0, xm, x0, xm], [y0, y0, ym, ym], [xm, x1, xm, x1], [ym, ym, y1, y1]
        )
        cut = shapely.get_parts(shapely.intersection(part, quadrants))
        polygonal = shapely.get_type_id(cut) == shapely.GeometryType.POLYGON
        todo.extend(cut[polygonal & ~shapely.is_empty(cut)])
    return done


_TILES: dict[int, tuple[weakref.ref, list[shapely.Geometry]]] = {}  # id(geometry) -> its tiles


def _tiles_of(geometry: shapely.Geometry) -> list[shapely.Geometry]:
    """`_tiles(geometry)`, kept while the geometry object lives: a layer's features are the same
    objects in every chunk a process screens, so each large feature is cut once per process."""
    key = id(geometry)
    held = _TILES.get(key)
    if held is not None and held[0]() is geometry:
        return held[1]
    tiles = _tiles(geometry)

    def forget(_: weakref.ref) -> None:
        _TILES.pop(key, None)

    _TILES[key] = (weakref.ref(geometry, forget), tiles)
    return tiles


def _tiled_intersection(
    feat_geoms: np.ndarray, feat_pos: np.ndarray, locations: np.ndarray
) -> np.ndarray:
    """`intersection(feat_geoms, locations)` per pair, computed on tiles of each feature: the
    piece of one tile, or the collection of the pieces of several (their areas add up)."""
    labels, first = np.unique(feat_pos, return_index=True)
    tiles, owner = [], []
    for label, geometry in zip(labels, feat_geoms[first], strict=True):
        cut = _tiles_of(geometry)
        tiles += cut
        owner += [label] * len(cut)
    tile_geoms, tile_owner = np.array(tiles, dtype=object), np.array(owner)
    shapely.prepare(tile_geoms)
    pair, tile = shapely.STRtree(tile_geoms).query(locations, predicate="intersects")
    own = tile_owner[tile] == feat_pos[pair]  # only the tiles of the pair's own feature
    pair, tile = pair[own], tile[own]
    inside = shapely.contains(tile_geoms[tile], locations[pair])
    pieces = locations[pair]
    pieces[~inside] = shapely.intersection(tile_geoms[tile[~inside]], pieces[~inside])
    shared = shapely.area(pieces) > 0
    pair, pieces = pair[shared], pieces[shared]
    result = np.full(len(locations), shapely.Polygon(), dtype=object)
    count = np.bincount(pair, minlength=len(locations))
    single = count[pair] == 1
    result[pair[single]] = pieces[single]
    several = pair[~single]
    if len(several):
        order = np.argsort(several, kind="stable")
        groups, group_index = np.unique(several[order], return_inverse=True)
        result[groups] = shapely.geometrycollections(pieces[~single][order], indices=group_index)
    return result


def _restrict(pairs: pd.DataFrame, features: gpd.GeoDataFrame, full: int) -> pd.DataFrame:
    """The pairs whose feature is among `features` (a selection of the prepared features)."""
    if len(features) == full:
        return pairs
    keep = np.isin(pairs["feat"].to_numpy(), features.index.to_numpy())
    return pairs.loc[keep].reset_index(drop=True)


class LayerPairs:
    """Candidate pairs of locations × one layer's prepared features, found once (lazily) and
    shared by every metric that reads a selection of those features (same pairs, same order)."""

    def __init__(
        self,
        locations: gpd.GeoDataFrame,
        features: gpd.GeoDataFrame,
        location_m2: np.ndarray | None = None,
    ) -> None:
        self.locations, self.features = locations, features
        self._location_m2 = location_m2
        self._meeting: tuple[np.ndarray, np.ndarray] | None = None
        self._contained: np.ndarray | None = None
        self._shared_area = pd.DataFrame(
            {"loc": np.empty(0, int), "feat": np.empty(0, int), "geometry": [], "area_m2": []}
        )
        self._area_done = np.zeros(len(features), dtype=bool)  # features whose pairs are in it
        self._interior: pd.DataFrame | None = None

    def _candidates(self) -> tuple[np.ndarray, np.ndarray]:
        """(location position, feature label) of every pair that intersects, found once."""
        if self._meeting is None:
            self._meeting = _pairs(self.locations, self.features, "intersects")
        return self._meeting

    def location_m2(self) -> np.ndarray:
        """The locations' own areas (m²), as given or computed once."""
        if self._location_m2 is None:
            self._location_m2 = shapely.area(self.locations.geometry.to_numpy())
        return self._location_m2

    def _contains(self) -> np.ndarray:
        """Per candidate pair: does the feature contain the location? Computed once."""
        if self._contained is None:
            loc_pos, feat_pos = self._candidates()
            self._contained = shapely.contains(
                self.features.geometry.loc[feat_pos].to_numpy(),
                self.locations.geometry.to_numpy()[loc_pos],
            )
        return self._contained

    def intersecting(self, features: gpd.GeoDataFrame) -> pd.DataFrame:
        """Pairs (`loc`, `feat`) that intersect (touching included), for a selection."""
        loc_pos, feat_pos = self._candidates()
        return _restrict(
            pd.DataFrame({"loc": loc_pos, "feat": feat_pos}), features, len(self.features)
        )

    def shared_area(self, features: gpd.GeoDataFrame) -> pd.DataFrame:
        """`intersection_pairs` for a selection of the features, each feature's pairs computed
        once, when a selection first needs them (a layer's metrics may never need the shared
        area of most of its features)."""
        loc_pos, feat_pos = self._candidates()
        todo = features.index.to_numpy()[~self._area_done[features.index.to_numpy()]]
        if len(todo):
            take = np.isin(feat_pos, todo)
            found = intersection_pairs(
                self.locations,
                self.features,
                prepared=True,
                candidates=(loc_pos[take], feat_pos[take]),
                contained=self._contains()[take],
                location_m2=self.location_m2(),
            )
            self._area_done[todo] = True
            merged = pd.concat([self._shared_area, found], ignore_index=True)
            self._shared_area = merged.sort_values(
                ["loc", "feat"], kind="stable", ignore_index=True
            )
        return _restrict(self._shared_area, features, len(self.features))

    def interior(self, features: gpd.GeoDataFrame) -> pd.DataFrame:
        """Pairs (`loc`, `feat`) that intersect more than at the boundary, for a selection."""
        if self._interior is None:
            loc_pos, feat_pos = self._candidates()
            # "contains" means the interiors meet (DE-9IM), so only the rest can merely touch
            touching = np.zeros(len(loc_pos), dtype=bool)
            rest = ~self._contains()
            touching[rest] = shapely.touches(
                self.features.geometry.loc[feat_pos[rest]].to_numpy(),
                self.locations.geometry.to_numpy()[loc_pos[rest]],
            )
            self._interior = pd.DataFrame({"loc": loc_pos[~touching], "feat": feat_pos[~touching]})
        return _restrict(self._interior, features, len(self.features))


def share_pct(
    locations: gpd.GeoDataFrame, area_m2: np.ndarray, location_m2: np.ndarray | None = None
) -> np.ndarray:
    """`area_m2` per location as % of the location's area (at most 100); NaN without area.
    `location_m2`, the locations' own areas, saves computing them again.

    Rounded to `SHARE_DECIMALS`: an area summed or dissolved from several pieces differs from
    the location's own area by rounding error, and a fully covered location reads 100 %."""
    if location_m2 is None:
        location_m2 = shapely.area(locations.geometry.to_numpy())
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.minimum(area_m2 / location_m2 * 100.0, 100.0)
    return np.where(location_m2 > 0, np.round(share, SHARE_DECIMALS), np.nan)


def dissolved_area(pairs: pd.DataFrame, n_locations: int) -> np.ndarray:
    """Area (m²) per location of the union of its `intersection_pairs` pieces (no double count)."""
    return union_area(
        pairs["loc"].to_numpy(), pairs["geometry"].to_numpy(), n_locations, pairs["area_m2"]
    )


def union_area(
    loc: np.ndarray, pieces: np.ndarray, n_locations: int, areas: pd.Series | None = None
) -> np.ndarray:
    """Area (m²) per location position of the union of its `pieces` (`loc` gives each piece's
    location); 0 without pieces. `areas`, the pieces' own areas, saves computing them again."""
    area = np.zeros(n_locations)
    if not len(loc):
        return area
    counts = np.bincount(loc, minlength=n_locations)
    single = counts[loc] == 1
    own = shapely.area(pieces[single]) if areas is None else areas.to_numpy()[single]
    area[loc[single]] = own
    if single.all():
        return area
    # the pieces of each location with several, one row per location (padded with None, which
    # union_all skips), unioned row by row in one call
    order = np.argsort(loc[~single], kind="stable")
    multi_loc, multi = loc[~single][order], pieces[~single][order]
    rows, row = np.unique(multi_loc, return_inverse=True)
    column = np.arange(len(row)) - np.searchsorted(row, row)
    grid = np.full((len(rows), int(column.max()) + 1), None, dtype=object)
    grid[row, column] = multi
    area[rows] = shapely.area(shapely.union_all(grid, axis=1))
    return area


def overlap(
    locations: gpd.GeoDataFrame,
    features: gpd.GeoDataFrame,
    name_field: str | None = None,
    *,
    prepared: bool = False,
    pairs: LayerPairs | None = None,
) -> pd.DataFrame:
    """Per location: `overlap_ha`, `overlap_pct` (of the location area) and `names`.

    Overlapping features are dissolved per location before the area is taken, so an area
    covered twice counts once. With `pairs` (of the prepared layer that `features` selects
    from), the candidate pairs found once for the layer are reused. `names` lists the sorted names (from `name_field`) of the
    features that share area with the location, joined by "; " ("" when none); it is None
    when the layer has no name field. A location without area has `overlap_pct` NaN.
    """
    if name_field is not None:
        _require_columns(features, [name_field])
    if pairs is not None:
        found = pairs.shared_area(features)
    else:
        features = features if prepared else prepare_features(locations, features)
        found = intersection_pairs(locations, features, prepared=True)
    overlap_m2 = dissolved_area(found, len(locations))
    result = pd.DataFrame(
        {
            "overlap_ha": overlap_m2 / M2_PER_HA,
            "overlap_pct": share_pct(
                locations, overlap_m2, None if pairs is None else pairs.location_m2()
            ),
        },
        index=id_index(locations),
    )
    result["names"] = _names(found, features, name_field, result.index)
    return result


def _names(
    pairs: pd.DataFrame, features: gpd.GeoDataFrame, name_field: str | None, ids: pd.Index
) -> pd.Series:
    """Sorted, "; "-joined feature names per location; None when there is no name field."""
    if name_field is None:
        return pd.Series([None] * len(ids), index=ids, dtype=object)
    names = features[name_field].loc[pairs["feat"].to_numpy()]
    known = names.notna().to_numpy()
    texts = names[known].astype(str).tolist()
    found = sorted(set(zip(pairs["loc"].to_numpy()[known].tolist(), texts)))
    out = np.full(len(ids), "", dtype=object)
    for loc, group in itertools.groupby(found, key=operator.itemgetter(0)):
        out[loc] = "; ".join(name for _, name in group)
    return pd.Series(out, index=ids, dtype=object)


def _check_radius(radius_m: float) -> None:
    if not radius_m > 0:
        msg = f"search radius must be positive, got {radius_m}"
        raise InputError(msg, f"zoekstraal moet positief zijn, niet {radius_m}")


def distance(
    locations: gpd.GeoDataFrame,
    features: gpd.GeoDataFrame,
    radius_m: float,
    *,
    prepared: bool = False,
    pairs: LayerPairs | None = None,
) -> pd.Series:
    """Distance (m) from each location to the nearest feature, 0 when they intersect.

    Only features within `radius_m` are considered; a location with none gets NaN, meaning
    "more than radius_m". A location that does not meet a polygon is as far from it as from
    its outline, so one nearest search over short pieces of the features' outlines, lines and
    points (`NearestIndex`) gives every distance; the locations' index marks the intersecting
    ones 0. Large detailed polygons are then never measured whole per location.
    With `pairs` (of the prepared layer that `features` selects from) the layer's
    intersecting pairs are reused.
    """
    _check_radius(radius_m)
    if pairs is None:
        features = features if prepared else prepare_features(locations, features)
        pairs = LayerPairs(locations, features)
    nearest = np.full(len(locations), np.nan)
    if len(features):
        inside = pairs.intersecting(features)["loc"].to_numpy()
        nearest[inside] = 0.0
        apart = np.flatnonzero(np.isnan(nearest))  # only these need a distance
        outlines = features.geometry.to_numpy().copy()
        polygonal = np.isin(
            shapely.get_type_id(outlines),
            [shapely.GeometryType.POLYGON, shapely.GeometryType.MULTIPOLYGON],
        )
        outlines[polygonal] = shapely.boundary(outlines[polygonal])
        found, _, dist = NearestIndex(outlines, features.index.to_numpy()).within(
            locations.geometry.to_numpy()[apart], radius_m
        )
        nearest[apart[found]] = dist
    nearest[nearest > radius_m] = np.nan
    return pd.Series(nearest, index=id_index(locations), name="distance_m")


CHUNK_VERTICES = 8  # shorter pieces: tighter boxes, fewer exact distances (40k: 30-45 % less)
POINT_SPACING_M = 100.0  # points along the pieces for the k-d tree: at most this far apart


class NearestIndex:
    """Features split into short pieces for nearest-distance searches, with each piece's label.

    A location's nearest pieces are found in two steps that give exactly the distances of a
    nearest-neighbour search of the pieces' tree, but 2-3x faster for many locations: a k-d
    tree of points along the pieces (at most `POINT_SPACING_M` apart) finds, from the centre of
    the location's bounding box, a nearby piece whose exact distance bounds the answer from above;
    the pieces' STRtree then lists every piece within that bound, and the exact distances of
    those few give the nearest (ties all kept).
    """

    def __init__(self, geometries: np.ndarray, labels: np.ndarray) -> None:
        from scipy.spatial import cKDTree  # 0.3 s to import: only when a screening runs

        self.pieces, self.labels = _nearest_pieces(geometries, labels)
        self.tree = shapely.STRtree(self.pieces)
        points, self._piece_of_point = shapely.get_coordinates(
            shapely.segmentize(self.pieces, POINT_SPACING_M), return_index=True
        )
        self._points = cKDTree(points) if len(points) else None

    def within(
        self, geometries: np.ndarray, radius_m: float
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(position in `geometries`, label, distance) of each geometry's nearest pieces no
        farther than `radius_m`; a geometry with none is absent, one with ties appears once
        per tied piece."""
        none = np.empty(0, dtype=int)
        if self._points is None or not len(geometries):
            return none, none, np.empty(0)
        box = shapely.bounds(geometries)
        centre = (box[:, :2] + box[:, 2:]) / 2  # of the bounding box: any point would do
        coords, owner = shapely.get_coordinates(geometries, return_index=True)
        starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])  # owners come in order
        reach = np.zeros(len(geometries))  # every point of a geometry is this close to its centre
        reach[owner[starts]] = np.maximum.reduceat(np.hypot(*(coords - centre[owner]).T), starts)
        # no point within this bound: no piece within radius_m (pieces lie within half a spacing)
        bound = radius_m + reach + POINT_SPACING_M / 2
        gap, point = self._points.query(centre, distance_upper_bound=float(bound.max()))
        near = np.flatnonzero(gap <= bound)
        upper = shapely.distance(geometries[near], self.pieces[self._piece_of_point[point[near]]])
        window = np.minimum(upper, radius_m)
        # `dwithin` decides with another algorithm than `distance`: widen by rounding error
        loc, piece = self.tree.query(
            geometries[near], predicate="dwithin", distance=window + 1e-6 + window * 1e-9
        )
        dist = shapely.distance(geometries[near][loc], self.pieces[piece])
        ok = dist <= radius_m
        loc, piece, dist = near[loc[ok]], piece[ok], dist[ok]
        best = np.full(len(geometries), np.inf)
        np.minimum.at(best, loc, dist)
        tie = dist == best[loc]
        return loc[tie], self.labels[piece[tie]], dist[tie]


def _nearest_pieces(geometries: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Geometries split for a nearest-neighbour tree, with the label of each piece.

    Multi-part geometries become their parts and lines become chunks of at most
    `CHUNK_VERTICES` vertices, so each distance computed during the tree search is cheap.
    """
    parts, part_of = shapely.get_parts(geometries, return_index=True)
    part_labels = labels[part_of]
    is_line = np.isin(
        shapely.get_type_id(parts),
        [shapely.GeometryType.LINESTRING, shapely.GeometryType.LINEARRING],
    )
    lines = parts[is_line]
    counts = shapely.get_num_coordinates(lines)
    chunks = np.maximum(np.ceil((counts - 1) / CHUNK_VERTICES).astype(int), 1)
    line_of = np.repeat(np.arange(len(lines)), chunks)
    first = np.arange(len(line_of)) - np.repeat(np.cumsum(chunks) - chunks, chunks)
    first *= CHUNK_VERTICES  # first vertex of each chunk within its line
    sizes = np.minimum(CHUNK_VERTICES + 1, counts[line_of] - first)
    starts = np.repeat((np.cumsum(counts) - counts)[line_of] + first, sizes)
    vertex = starts + np.arange(sizes.sum()) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    coords = shapely.get_coordinates(lines)[vertex]
    chunked = shapely.linestrings(coords, indices=np.repeat(np.arange(len(sizes)), sizes))
    pieces = np.concatenate([parts[~is_line], chunked])
    return pieces, np.concatenate([part_labels[~is_line], part_labels[is_line][line_of]]).astype(
        int
    )


def nearest_feature(
    locations: gpd.GeoDataFrame,
    features: gpd.GeoDataFrame,
    radius_m: float,
    *,
    prepared: bool = False,
) -> pd.DataFrame:
    """Per location the row position (`feat`) and distance (`distance_m`) of the nearest feature.

    Like `distance`, limited to `radius_m`: beyond it `feat` is NA and `distance_m` NaN.
    Ties go to the feature that comes first in `features`. Searches the features' parts (lines
    in short chunks, `NearestIndex`), which suits long lines such as flood defences; for a few
    huge polygons `distance` is faster.
    """
    _check_radius(radius_m)
    features = features if prepared else prepare_features(locations, features)
    loc_pos, labels, dist = NearestIndex(
        features.geometry.to_numpy(), features.index.to_numpy()
    ).within(locations.geometry.to_numpy(), radius_m)
    pairs = pd.DataFrame({"loc": loc_pos, "feat": labels, "d": dist})
    best = pairs.sort_values(["loc", "d", "feat"], kind="stable").drop_duplicates("loc")
    feat = pd.array([pd.NA] * len(locations), dtype="Int64")
    nearest = np.full(len(locations), np.nan)
    feat[best["loc"].to_numpy()] = best["feat"].to_numpy()
    nearest[best["loc"].to_numpy()] = best["d"].to_numpy()
    return pd.DataFrame({"feat": feat, "distance_m": nearest}, index=id_index(locations))


def class_key(value: object) -> Hashable:
    """Comparable key for a class value: integral floats and numeric text match ints (3.0, "3")."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return int(value) if float(value).is_integer() else float(value)
    if isinstance(value, str):
        text = value.strip()
        try:
            return int(text)
        except ValueError:
            return text
    return value


def worst_class(
    locations: gpd.GeoDataFrame,
    features: gpd.GeoDataFrame,
    field: str,
    order: Sequence[object],
    where: Mapping[str, Sequence[object]] | None = None,
    *,
    prepared: bool = False,
    pairs: LayerPairs | None = None,
) -> pd.Series:
    """Worst value of `field` among features sharing more than a boundary with each location.

    `order` lists the classes best first; feature values not in `order` are ignored (e.g. −1
    "not yet assigned"). `where` keeps only features whose column value is in the given list.
    A location without any matching feature gets None: unknown, not "best". With `pairs` (of the
    prepared layer that `features` selects from) the layer's candidate pairs are reused.
    """
    if not order:
        msg = "worst_class needs a non-empty class order"
        raise InputError(msg, "worst_class vraagt een niet-lege klassenvolgorde")
    where = dict(where or {})
    _require_columns(features, [field, *where])
    if pairs is None:
        features = features if prepared else prepare_features(locations, features)
        pairs = LayerPairs(locations, features)
    rank_of = {class_key(v): i for i, v in enumerate(order)}
    keep = np.ones(len(features), dtype=bool)
    for column, allowed in where.items():
        allowed_keys = {class_key(v) for v in allowed}
        keep &= (
            features[column].map(lambda v, a=allowed_keys: class_key(v) in a).to_numpy(dtype=bool)
        )
    ranks = features[field].map(lambda v: rank_of.get(class_key(v), -1)).to_numpy(dtype=int)
    keep &= ranks >= 0
    candidates = features.loc[keep]
    rank_by_label = pd.Series(ranks[keep], index=candidates.index)
    inside = pairs.interior(candidates)
    worst = np.full(len(locations), -1)
    np.maximum.at(
        worst, inside["loc"].to_numpy(), rank_by_label.loc[inside["feat"].to_numpy()].to_numpy()
    )
    values = np.array([order[r] if r >= 0 else None for r in worst], dtype=object)
    return pd.Series(values, index=id_index(locations), dtype=object)

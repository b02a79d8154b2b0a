"""The DuckDB spatial peer of `locatiescan screen`: 11 of its columns, in SQL, for the same locations.

    python bench/peer_duckdb.py LOCATIONS.gpkg DATA_ROOT OUT.csv

Reads the same source files as the screening (`ST_Read`, GDAL), reprojects the WGS84 ones to
EPSG:28992 and writes, per location: the gemeenten it overlaps (ha, %, names), the distance to
the nearest LIWO breach location (5 km), Natura 2000 overlap (ha, %, names; the areas unioned per
location, the 2013 Wadden boundary included), the distance to Natura 2000 (5 km) and to its
nitrogen-sensitive areas (10 km), the worst netcongestie offtake colour of the areas whose
interior it meets, and the distance to the primary flood defences (1 km). Column names are the
screening's, so `bench_screen.py` compares the numbers. DuckDB's spatial extension comes from
PyPI (`duckdb-ext-spatial`, see ../shared/docs/benchmark-peers.md): no internet needed.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import duckdb

RD = "'EPSG:4326', 'EPSG:28992', always_xy := true"
LIWO = ["primair", "buitendijks", "regionaal", "regionaalwatersysteem", "bovenregiostress"]


def spatial_extension() -> Path:
    """The spatial extension file that the `duckdb-ext-spatial` wheel installs."""
    spec = importlib.util.find_spec("duckdb_ext")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("duckdb-ext-spatial is not installed: pip install -e '.[bench]'")
    folder = Path(next(iter(spec.submodule_search_locations)))
    return next(folder.rglob("spatial.duckdb_extension"))


def _distance(name: str, table: str, radius_m: int, where: str = "") -> str:
    return f"""{name} AS (SELECT l.id, MIN(ST_Distance(l.geom, f.geom)) AS d FROM loc l
        JOIN {table} f ON ST_DWithin(l.geom, f.geom, {radius_m}) {where} GROUP BY l.id)"""


def script(locations: str, data: Path, out: str) -> str:
    """The SQL: read every input, one aggregate per metric, one CSV."""
    liwo = " UNION ALL ".join(
        f"SELECT ST_Transform(geom, {RD}) AS geom "
        f"FROM ST_Read('{data}/water_bodem/liwo/liwo_doorbraaklocaties_{kind}.geojson')"
        for kind in LIWO
    )
    return f"""
CREATE TABLE loc AS SELECT id, geom, ST_Area(geom) AS m2 FROM ST_Read('{locations}');
CREATE TABLE n2k AS
  SELECT naamN2K AS naam, stikstofgevoelig AS stikstof, geom
  FROM ST_Read('{data}/natura2000/natura2000_nl_rd_simplified2m.gpkg', layer = 'natura2000')
  UNION ALL SELECT naam, NULL, geom
  FROM ST_Read('{data}/natura2000/natura2000_waddenzee_noordzeekustzone_2013_rd.gpkg');
CREATE TABLE gem AS SELECT statnaam AS naam, ST_Transform(geom, {RD}) AS geom
  FROM ST_Read('{data}/cbs/gemeenten_2022.geojson');
CREATE TABLE net AS SELECT color_code, ST_Transform(geom, {RD}) AS geom
  FROM ST_Read('{data}/netcongestie/capaciteitskaart_statusvlakken.geojson')
  WHERE laag IN ('rnb_afnamefgb', 'tennet_afnamefgb') AND color_code >= 0;
CREATE TABLE ker AS SELECT geom
  FROM ST_Read('{data}/water_bodem/primaire_waterkeringen/dijktrajecten_nbpw_2022_rd_simpl1m.gpkg');
CREATE TABLE liwo AS {liwo};
CREATE TABLE uit AS WITH
  g AS (SELECT l.id, SUM(ST_Area(ST_Intersection(l.geom, f.geom))) AS a,
        string_agg(DISTINCT f.naam, '; ' ORDER BY f.naam) AS names
        FROM loc l JOIN gem f ON ST_Intersects(l.geom, f.geom) GROUP BY l.id),
  n AS (SELECT l.id, ST_Area(ST_Union_Agg(ST_Intersection(l.geom, f.geom))) AS a,
        string_agg(DISTINCT f.naam, '; ' ORDER BY f.naam) AS names
        FROM loc l JOIN n2k f ON ST_Intersects(l.geom, f.geom) GROUP BY l.id),
  {_distance("nd", "n2k", 5000)},
  {_distance("sd", "n2k", 10000, "AND f.stikstof")},
  {_distance("kd", "ker", 1000)},
  {_distance("ld", "liwo", 5000)},
  nc AS (SELECT l.id, MAX(f.color_code) AS code FROM loc l JOIN net f
         ON ST_Intersects(l.geom, f.geom) AND NOT ST_Touches(l.geom, f.geom) GROUP BY l.id)
SELECT loc.id,
  COALESCE(g.a, 0) / 1e4 AS "gemeenten.overlap_ha",
  100 * COALESCE(g.a, 0) / loc.m2 AS "gemeenten.overlap_pct",
  g.names AS "gemeenten.names",
  ld.d AS "liwo_doorbraaklocaties.distance_m",
  COALESCE(n.a, 0) / 1e4 AS "natura2000.overlap_ha",
  100 * COALESCE(n.a, 0) / loc.m2 AS "natura2000.overlap_pct",
  n.names AS "natura2000.names",
  nd.d AS "natura2000.distance_m",
  sd.d AS "natura2000.stikstof_distance_m",
  nc.code AS "netcongestie.afname_code",
  kd.d AS "primaire_waterkeringen.distance_m"
FROM loc LEFT JOIN g USING (id) LEFT JOIN n USING (id) LEFT JOIN nd USING (id)
  LEFT JOIN sd USING (id) LEFT JOIN kd USING (id) LEFT JOIN ld USING (id) LEFT JOIN nc USING (id);
COPY uit TO '{out}' (HEADER);
"""


def main() -> None:
    locations, data, out = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
    con = duckdb.connect(config={"allow_unsigned_extensions": "true"})
    con.execute(f"LOAD '{spatial_extension()}'")
    con.execute(script(locations, data, out))


if __name__ == "__main__":
    main()

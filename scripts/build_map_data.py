"""Build the England district map geometry that inspections/charts.py draws.

Reads the ONS 2023 local authority district boundaries (GeoJSON, WGS84) and the
district-to-council lookup, keeps England's districts, projects them, simplifies
the shared borders once each (so neighbouring districts never gap or overlap),
drops tiny islands and writes ``inspections/mapdata/england_lad_2023.json``.

The app reads only the generated JSON; run this again only when the boundaries
or the lookup change::

    .venv/bin/python scripts/build_map_data.py \
        --boundaries ../shared/data/lad_boundaries_2023.geojson \
        --lookup ../shared/data/lad_to_council_2023.csv \
        --councils ../shared/data/la_lookup.csv

Why our own code: the job is ~150 lines of arithmetic (a spherical transverse
Mercator, Douglas-Peucker on shared arcs); shapely/pyproj would be heavy
dependencies for a script that runs once a year.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import math
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data"
DEFAULT_OUT = ROOT / "inspections" / "mapdata" / "england_lad_2023.json"

EARTH_RADIUS_M = 6_371_000.0
# Central meridian and origin latitude of the British National Grid.
LON0 = math.radians(-2.0)
LAT0 = math.radians(49.0)

ATTRIBUTION = (
    "Source: Office for National Statistics licensed under the Open Government "
    "Licence v.3.0. Contains OS data © Crown copyright and database right 2023."
)

Point = tuple[float, float]


def project(lon: float, lat: float, unit_m: float) -> Point:
    """Project WGS84 degrees to a BNG-like grid (spherical transverse Mercator).

    Returns (x, y) in ``unit_m`` metres with y growing northwards.
    """
    lam = math.radians(lon) - LON0
    phi = math.radians(lat)
    b = math.cos(phi) * math.sin(lam)
    x = 0.5 * math.log((1 + b) / (1 - b))
    y = math.atan2(math.tan(phi), math.cos(lam)) - LAT0
    return x * EARTH_RADIUS_M / unit_m, y * EARTH_RADIUS_M / unit_m


def _segment_distance(p: Point, a: Point, b: Point) -> float:
    """Distance from point p to the segment a-b."""
    ax, ay = a
    dx, dy = b[0] - ax, b[1] - ay
    if dx == 0 and dy == 0:
        return math.hypot(p[0] - ax, p[1] - ay)
    t = ((p[0] - ax) * dx + (p[1] - ay) * dy) / (dx * dx + dy * dy)
    t = max(0.0, min(1.0, t))
    return math.hypot(p[0] - ax - t * dx, p[1] - ay - t * dy)


def douglas_peucker(points: list[Point], tolerance: float) -> list[Point]:
    """Simplify an open polyline, always keeping both ends (iterative, no recursion limit)."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        worst, worst_i = -1.0, -1
        for i in range(first + 1, last):
            d = _segment_distance(points[i], points[first], points[last])
            if d > worst:
                worst, worst_i = d, i
        if worst > tolerance:
            keep[worst_i] = True
            stack.append((first, worst_i))
            stack.append((worst_i, last))
    return [p for p, k in zip(points, keep) if k]


def simplify_closed(ring: list[Point], tolerance: float) -> list[Point]:
    """Simplify a closed ring (without the repeated last point) anchored at its
    first point and the point farthest from it."""
    if len(ring) < 4:
        return list(ring)
    start = ring[0]
    far = max(range(len(ring)), key=lambda i: math.dist(start, ring[i]))
    first_half = douglas_peucker(ring[: far + 1], tolerance)
    second_half = douglas_peucker(ring[far:] + [start], tolerance)
    return first_half[:-1] + second_half[:-1]


def ring_area(ring: list[tuple[int, int]]) -> float:
    """Absolute shoelace area of a closed ring (repeated last point not needed)."""
    total = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]):
        total += x1 * y2 - x2 * y1
    return abs(total) / 2


def _open_ring(ring: list[list[float]]) -> list[Point]:
    """Turn a GeoJSON ring into a list of distinct consecutive points, unclosed."""
    out: list[Point] = []
    for lon, lat in ring:
        pt = (lon, lat)
        if not out or out[-1] != pt:
            out.append(pt)
    if len(out) > 1 and out[0] == out[-1]:
        out.pop()
    return out


def load_england(boundaries: Path) -> dict[str, list[list[list[Point]]]]:
    """Read the GeoJSON and return England's districts as code -> polygons -> rings."""
    data = json.loads(boundaries.read_text(encoding="utf-8"))
    districts: dict[str, list[list[list[Point]]]] = {}
    for feature in data["features"]:
        code = feature["properties"]["LAD23CD"]
        if not code.startswith("E"):
            continue
        geometry = feature["geometry"]
        polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        districts[code] = [[_open_ring(r) for r in polygon] for polygon in polygons]
    return districts


def find_junctions(districts: dict[str, list[list[list[Point]]]]) -> set[Point]:
    """Vertices where the set of districts sharing a border changes.

    Cutting every ring at these points splits the map into arcs that each
    belong to the same one or two districts, so each arc is simplified once
    and both neighbours use the identical result.
    """
    owners: dict[Point, set[str]] = {}
    for code, polygons in districts.items():
        for polygon in polygons:
            for ring in polygon:
                for pt in ring:
                    owners.setdefault(pt, set()).add(code)
    junctions: set[Point] = set()
    for polygons in districts.values():
        for polygon in polygons:
            for ring in polygon:
                n = len(ring)
                for i, pt in enumerate(ring):
                    here = owners[pt]
                    if here != owners[ring[i - 1]] or here != owners[ring[(i + 1) % n]]:
                        junctions.add(pt)
    return junctions


class ArcSimplifier:
    """Simplifies rings arc by arc, caching each arc under a direction-free key."""

    def __init__(self, junctions: set[Point], tolerance: float, unit_m: float):
        self.junctions = junctions
        self.tolerance = tolerance
        self.unit_m = unit_m
        self.cache: dict[tuple[Point, ...], list[Point]] = {}

    def _arc(self, arc: list[Point], closed: bool) -> list[Point]:
        forward = tuple(arc)
        backward = tuple(reversed(arc))
        if closed:
            # A ring with no junctions (an island, or a district enclosed by one
            # other): rotate to its smallest point so both users agree.
            start = arc.index(min(arc))
            forward = tuple(arc[start:] + arc[:start])
            backward = (forward[0],) + tuple(reversed(forward[1:]))
        key = min(forward, backward)
        if key not in self.cache:
            projected = [project(lon, lat, self.unit_m) for lon, lat in key]
            simplified = (
                simplify_closed(projected, self.tolerance) if closed else douglas_peucker(projected, self.tolerance)
            )
            self.cache[key] = simplified
        result = self.cache[key]
        if key == forward:
            return result
        if closed:
            return [result[0]] + list(reversed(result[1:]))
        return list(reversed(result))

    def ring(self, ring: list[Point]) -> list[Point]:
        """Return the simplified, projected ring (unclosed)."""
        cuts = [i for i, pt in enumerate(ring) if pt in self.junctions]
        if not cuts:
            return self._arc(ring, closed=True)
        rotated = ring[cuts[0] :] + ring[: cuts[0]]
        offsets = [c - cuts[0] for c in cuts] + [len(ring)]
        rotated.append(rotated[0])
        out: list[Point] = []
        for a, b in itertools.pairwise(offsets):
            out.extend(self._arc(rotated[a : b + 1], closed=False)[:-1])
        return out


def _round_ring(ring: list[Point], origin: Point, height: float) -> list[tuple[int, int]]:
    """Snap a projected ring to the integer grid, y flipped so north is up."""
    out: list[tuple[int, int]] = []
    for x, y in ring:
        pt = (round(x - origin[0]), round(height - (y - origin[1])))
        if not out or out[-1] != pt:
            out.append(pt)
    if len(out) > 1 and out[0] == out[-1]:
        out.pop()
    return out


def _numbers(values: list[int]) -> str:
    """Join numbers for an SVG path, letting a minus sign act as the separator."""
    parts = [str(values[0])]
    for v in values[1:]:
        parts.append(str(v) if v < 0 else " " + str(v))
    return "".join(parts)


def path_data(rings: list[list[tuple[int, int]]]) -> str:
    """SVG path data: absolute move to each ring's start, then relative lines."""
    chunks = []
    for ring in rings:
        x0, y0 = ring[0]
        deltas: list[int] = []
        px, py = x0, y0
        for x, y in ring[1:]:
            deltas += [x - px, y - py]
            px, py = x, y
        chunks.append(f"M{_numbers([x0, y0])}l{_numbers(deltas)}z")
    return "".join(chunks)


def build(
    boundaries: Path,
    lookup: Path,
    councils: Path,
    *,
    unit_m: float = 100.0,
    tolerance_m: float = 200.0,
    min_island_km2: float = 2.0,
    margin: int = 20,
) -> dict:
    """Return the map data document (see inspections/mapdata/README.md)."""
    districts = load_england(boundaries)
    with lookup.open(encoding="utf-8") as f:
        lad_rows = {row["lad23cd"]: row for row in csv.DictReader(f)}
    with councils.open(encoding="utf-8") as f:
        council_rows = {row["urn"]: row for row in csv.DictReader(f)}
    missing = sorted(set(districts) - set(lad_rows))
    if missing:
        raise SystemExit(f"No council in {lookup} for districts: {', '.join(missing)}")

    simplifier = ArcSimplifier(find_junctions(districts), tolerance_m / unit_m, unit_m)
    projected = {
        code: [[simplifier.ring(r) for r in polygon] for polygon in polygons] for code, polygons in districts.items()
    }
    xs = [x for ps in projected.values() for p in ps for r in p for x, _ in r]
    ys = [y for ps in projected.values() for p in ps for r in p for _, y in r]
    origin = (min(xs) - margin, min(ys) - margin)
    height = max(ys) - min(ys) + 2 * margin
    width = max(xs) - min(xs) + 2 * margin
    min_area = min_island_km2 * 1_000_000 / (unit_m * unit_m)

    out_districts = {}
    regions: dict[str, str] = {}
    for code in sorted(projected):
        polygons = []
        for polygon in projected[code]:
            rings = [_round_ring(r, origin, height) for r in polygon]
            rings = [r for r in rings if len(r) >= 3]
            if rings:
                polygons.append(rings)
        polygons.sort(key=lambda p: ring_area(p[0]), reverse=True)
        # Always keep a district's largest piece (the Isles of Scilly are all island).
        kept = polygons[:1] + [p for p in polygons[1:] if ring_area(p[0]) >= min_area]
        rings = [r for p in kept for r in p]
        all_x = [x for r in rings for x, _ in r]
        all_y = [y for r in rings for _, y in r]
        lad = lad_rows[code]
        council = council_rows[lad["urn"]]
        regions[council["rgn22cd"]] = council["rgn22nm"]
        out_districts[code] = {
            "name": lad["lad23nm"],
            "region_gss": council["rgn22cd"],
            "council_urn": lad["urn"],
            "council": lad["council"],
            "la_code": lad["la_code"],
            "bbox": [min(all_x), min(all_y), max(all_x), max(all_y)],
            "path": path_data(rings),
        }
    return {
        "meta": {
            "description": "England local authority districts (ONS, December 2023)",
            "attribution": ATTRIBUTION,
            "projection": "spherical transverse Mercator, central meridian 2°W",
            "unit_m": unit_m,
            "tolerance_m": tolerance_m,
            "min_island_km2": min_island_km2,
            "view_box": [0, 0, math.ceil(width), math.ceil(height)],
            "generated_by": "scripts/build_map_data.py",
        },
        "regions": dict(sorted(regions.items())),
        "districts": out_districts,
    }


def main() -> None:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--boundaries", type=Path, default=DEFAULT_DATA / "lad_boundaries_2023.geojson")
    parser.add_argument("--lookup", type=Path, default=DEFAULT_DATA / "lad_to_council_2023.csv")
    parser.add_argument("--councils", type=Path, default=DEFAULT_DATA / "la_lookup.csv")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--tolerance-m", type=float, default=200.0)
    parser.add_argument("--min-island-km2", type=float, default=2.0)
    args = parser.parse_args()
    doc = build(
        args.boundaries,
        args.lookup,
        args.councils,
        tolerance_m=args.tolerance_m,
        min_island_km2=args.min_island_km2,
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(doc, ensure_ascii=False, separators=(",", ":"), indent=None)
    # One district per line keeps diffs readable when boundaries change.
    text = text.replace(',"E0', ',\n"E0').replace('{"E0', '{\n"E0')
    args.out.write_text(text + "\n", encoding="utf-8")
    paths = sum(len(d["path"]) for d in doc["districts"].values())
    print(f"wrote {args.out} ({len(doc['districts'])} districts, {paths:,} bytes of path data)")


if __name__ == "__main__":
    main()

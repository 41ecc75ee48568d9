"""Map of France's régions shaded by number of signatories, drawn as SVG on the server.

Geometry: `data/regions.geojson` (see data/README.md). Projected once per process with an
equirectangular projection corrected by cos(latitude), metropolitan France in the main frame
and each overseas région in its own inset (each at its own scale).
"""

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from flask_babel import gettext as _
from markupsafe import Markup, escape

from ...organisations import geo
from ...paths import PACKAGE_DIR
from .charts import GRID, MUTED, nice_step, number, open_svg, signatories

GEOMETRY_FILE = PACKAGE_DIR / "data" / "regions.geojson"
WIDTH, HEIGHT = 720, 700
MAIN_BOX = (10, 10, 520, 520)  # x, y, width, height
INSET_Y, INSET_W, INSET_H, INSET_GAP = 560, 128, 96, 12
OVERSEAS = ("01", "02", "03", "04", "06")  # Guadeloupe, Martinique, Guyane, La Réunion, Mayotte
ZERO = "#f1f2f5"
# Sequential blues (ColorBrewer), light to dark, by number of classes.
PALETTES = {
    1: ("#2171b5",),
    2: ("#6baed6", "#08306b"),
    3: ("#c6dbef", "#4292c6", "#08306b"),
    4: ("#c6dbef", "#6baed6", "#2171b5", "#08306b"),
}


@dataclass(frozen=True)
class Inset:
    code: str
    x: float
    y: float
    width: float
    height: float


@cache
def _polygons() -> dict[str, list[list[list[tuple[float, float]]]]]:
    """Région code -> polygons -> rings -> (longitude, latitude)."""
    data = json.loads(GEOMETRY_FILE.read_text(encoding="utf-8"))
    shapes = {}
    for feature in data["features"]:
        geometry = feature["geometry"]
        polygons = geometry["coordinates"]
        if geometry["type"] == "Polygon":
            polygons = [polygons]
        shapes[feature["properties"]["code"]] = [
            [[(lon, lat) for lon, lat in ring] for ring in polygon] for polygon in polygons]
    return shapes


def _fit(codes: list[str], box: tuple[float, float, float, float]) -> dict[str, str]:
    """SVG path data of these régions, projected together to fit the box, centred."""
    shapes = {code: _polygons()[code] for code in codes}
    points = [p for polygons in shapes.values() for polygon in polygons
              for ring in polygon for p in ring]
    lats = [lat for _, lat in points]
    k = math.cos(math.radians((min(lats) + max(lats)) / 2))
    xs, ys = [lon * k for lon, _ in points], [-lat for lat in lats]
    min_x, min_y = min(xs), min(ys)
    span_x, span_y = max(xs) - min_x, max(ys) - min_y
    x0, y0, width, height = box
    scale = min(width / span_x, height / span_y)
    dx = x0 + (width - span_x * scale) / 2
    dy = y0 + (height - span_y * scale) / 2

    def ring_path(ring) -> str:
        coords = [f"{(lon * k - min_x) * scale + dx:.1f} {(-lat - min_y) * scale + dy:.1f}"
                  for lon, lat in ring]
        return "M" + "L".join(coords) + "Z"

    return {code: "".join(ring_path(ring) for polygon in polygons for ring in polygon)
            for code, polygons in shapes.items()}


@cache
def layout() -> tuple[dict[str, str], tuple[Inset, ...]]:
    """Path data for every région in the geometry file, and the overseas insets' frames."""
    codes = list(_polygons())
    paths = _fit([c for c in codes if c not in OVERSEAS], MAIN_BOX)
    insets = []
    overseas = [c for c in OVERSEAS if c in codes]
    start = (WIDTH - len(overseas) * INSET_W - (len(overseas) - 1) * INSET_GAP) / 2
    for i, code in enumerate(overseas):
        inset = Inset(code, start + i * (INSET_W + INSET_GAP), INSET_Y, INSET_W, INSET_H)
        paths |= _fit([code], (inset.x + 6, inset.y + 6, inset.width - 12, inset.height - 12))
        insets.append(inset)
    return paths, tuple(insets)


def classes(maximum: int) -> list[tuple[int, int, str]]:
    """Colour classes (low, high, colour) covering 1..maximum with round bounds, at most 4."""
    if maximum <= 0:
        return []
    step = nice_step(maximum, 4)
    count = math.ceil(maximum / step)
    palette = PALETTES[count]
    return [(i * step + 1, (i + 1) * step, palette[i]) for i in range(count)]


def class_label(low: int, high: int) -> str:
    return number(low) if low == high else f"{number(low)} – {number(high)}"


def region_map(counts: Mapping[str, int], *, prefix: str, title: str) -> Markup:
    paths, insets = layout()
    bins = classes(max(counts.values(), default=0))

    def colour(value: int) -> str:
        return next((c for low, high, c in bins if low <= value <= high), ZERO)

    parts = [open_svg(prefix, WIDTH, HEIGHT, title, _describe(counts))]
    parts.append(f'<g stroke="{MUTED}" stroke-width="0.8" stroke-linejoin="round">')
    for code, d in paths.items():
        value = counts.get(code, 0)
        label = _("%(label)s : %(message)s", label=geo.region_name(code) or code,
                  message=signatories(value))
        parts.append(f'<path d="{d}" fill="{colour(value)}" data-region="{escape(code)}" '
                     f'data-count="{value}"><title>{escape(label)}</title></path>')
    parts.append("</g>")
    for inset in insets:
        parts.append(
            f'<rect x="{inset.x}" y="{inset.y}" width="{inset.width}" height="{inset.height}" '
            f'fill="none" stroke="{GRID}"/><text x="{inset.x + inset.width / 2}" '
            f'y="{inset.y + inset.height + 20}" text-anchor="middle" font-size="13">'
            f'{escape(geo.region_name(inset.code))}</text>')
    parts.append(_legend(bins))
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 (every text above is escaped)


def _legend(bins: list[tuple[int, int, str]]) -> str:
    x, y = 556, 40
    parts = [f'<text x="{x}" y="{y}" font-weight="bold">{escape(_("Signataires"))}</text>']
    for i, (label, fill) in enumerate([("0", ZERO)] + [
            (class_label(low, high), c) for low, high, c in bins]):
        top = y + 16 + i * 30
        parts.append(f'<rect x="{x}" y="{top}" width="22" height="22" fill="{fill}" '
                     f'stroke="{MUTED}" stroke-width="0.8"/>'
                     f'<text x="{x + 32}" y="{top + 16}">{escape(label)}</text>')
    note = _("Outre-mer : encarts à des échelles différentes.")
    parts.append(f'<text x="{WIDTH / 2}" y="{INSET_Y - 12}" text-anchor="middle" '
                 f'font-size="13" fill="{MUTED}">{escape(note)}</text>')
    return "".join(parts)


def _describe(counts: Mapping[str, int]) -> str:
    represented = [(n, geo.region_name(code)) for code, n in counts.items() if n]
    empty = sum(1 for code in geo.regions() if not counts.get(code))
    if not represented:
        return _("Carte des régions de France : aucune région ne compte encore de signataire.")
    top_count, top_name = max(represented, key=lambda item: item[0])
    return _("Carte des régions de France, colorées selon le nombre de signataires. "
             "Régions représentées : %(regions)s, la première étant %(name)s (%(count)s). "
             "Régions sans signataire : %(empty)s. Les données figurent dans le tableau qui "
             "suit.",
             regions=number(len(represented)), name=top_name, count=number(top_count),
             empty=number(empty))

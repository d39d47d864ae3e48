"""The map of England's council areas (ONS December 2023 districts) filled by grade."""

from __future__ import annotations

import base64
import functools
import json
from collections.abc import Mapping, Sequence
from pathlib import Path

from .base import (
    CONTEXT_FILL,
    DARK,
    LINE_GREY,
    WHITE,
    Chart,
    GradeStyle,
    MapDistrict,
    Table,
    _chart_id,
    _e,
    _fill,
    _legend,
    _lookup,
    _n,
    _ordered_styles,
    _pattern_defs,
    _plural,
    _style_index,
    _svg,
    _text_width,
)

MAP_DATA = Path(__file__).resolve().parent.parent / "mapdata" / "england_lad_2023.json"
# The same districts simplified at 1.5 km: the whole of England on an A4 page, where a kilometre
# is a quarter of a millimetre. Half the points of the 200 m map, and the points are most of what
# a PDF renderer spends on a printed map.
OVERVIEW_DATA = MAP_DATA.with_name("england_lad_2023_overview.json")


@functools.cache
def _map_data() -> dict:
    """The generated district geometry (see mapdata/README.md), read once per process."""
    return json.loads(MAP_DATA.read_text(encoding="utf-8"))


@functools.cache
def _overview_paths() -> dict[str, str]:
    """lad23cd -> the district's path in the overview geometry (see OVERVIEW_DATA)."""
    data = json.loads(OVERVIEW_DATA.read_text(encoding="utf-8"))
    return {code: district["path"] for code, district in data["districts"].items()}


def map_regions() -> dict[str, str]:
    """Region GSS code -> region name, for the nine English regions on the map."""
    return dict(_map_data()["regions"])


def council_districts() -> dict[str, list[str]]:
    """Council URN -> the lad23cd codes of its districts (one for a unitary council)."""
    out: dict[str, list[str]] = {}
    for code, district in _map_data()["districts"].items():
        out.setdefault(district["council_urn"], []).append(code)
    return out


def expand_council_values(
    by_council: Mapping[str | int, MapDistrict],
) -> dict[str, MapDistrict]:
    """Turn ``{council URN: MapDistrict}`` into the per-district input of ``england_map``.

    Every district of a county takes the county council's value. URNs with no
    district on the 2023 map (abolished councils) are ignored.
    """
    lookup = council_districts()
    return {code: value for urn, value in by_council.items() for code in lookup.get(str(urn), ())}


def england_map(
    district_values: Mapping[str, MapDistrict],
    styles: Sequence[GradeStyle],
    title: str = "Latest overall effectiveness grade by council",
    region_gss: str | None = None,
    highlight: str | int | None = None,
    *,
    context: bool = True,
    legend: bool = True,
    labels: bool = False,
    for_print: bool = False,
    chart_id: str | None = None,
) -> Chart:
    """Map of England's council areas (ONS December 2023 districts) filled by grade.

    ``district_values`` maps lad23cd -> ``MapDistrict``; districts of a county
    share the county council's value (``expand_council_values`` builds this from
    council URNs). A district with no value, or a None grade, is drawn "not
    judged" without a link. The districts of one council are grouped in one
    ``<a href>`` (or ``<g>`` with no href) whose ``<title>`` is the tooltip and
    accessible name; each district ``<path>`` carries ``data-lad``.

    ``region_gss`` (e.g. "E12000002") zooms the view to that region; with
    ``context`` the neighbouring districts in view are drawn faint, without
    links. ``highlight`` (a council URN or one of its lad23cd codes) outlines
    that council. The legend shows each grade with its count of councils.
    ``for_print`` draws one path per grade, without links or tooltips: the same picture for a
    PDF, at a fraction of the cost to print (the whole of England from the overview geometry).
    With ``labels`` each council is named on the map (short forms, at least 12 px when the map
    is drawn 375 px wide); the names are decoration for sighted readers (the links carry them).
    Raises ValueError for an unknown region or a grade with no style.
    The table lists each council in view with its grade, by name.
    """
    data = _map_data()
    districts: dict[str, dict] = data["districts"]
    index = _style_index(styles)
    if region_gss is not None and region_gss not in data["regions"]:
        raise ValueError(f"Unknown region {region_gss!r}; known: {', '.join(data['regions'])}")

    in_view = [code for code, d in districts.items() if region_gss is None or d["region_gss"] == region_gss]
    if region_gss is None:
        vx, vy, vw, vh = data["meta"]["view_box"]
    else:
        boxes = [districts[c]["bbox"] for c in in_view]
        x0, y0 = min(b[0] for b in boxes), min(b[1] for b in boxes)
        x1, y1 = max(b[2] for b in boxes), max(b[3] for b in boxes)
        margin = max(x1 - x0, y1 - y0) * 0.03
        vx, vy, vw, vh = (
            x0 - margin,
            y0 - margin,
            x1 - x0 + 2 * margin,
            y1 - y0 + 2 * margin,
        )

    # Design unit: one "pixel" when the map is drawn 520 units tall.
    px = vh / 520
    highlight_urn = None
    if highlight is not None:
        highlight = str(highlight)
        highlight_urn = districts[highlight]["council_urn"] if highlight in districts else highlight

    councils: dict[str, list[str]] = {}
    for code in in_view:
        councils.setdefault(districts[code]["council_urn"], []).append(code)

    def value_for(code: str) -> MapDistrict:
        value = district_values.get(code)
        if value is None:
            return MapDistrict(None, districts[code]["council"])
        return value

    groups = []
    for urn, codes in councils.items():
        values = [value_for(c) for c in codes]
        first = next((v for v in values if v.href), values[0])
        groups.append((first.council_name, urn, codes, values, first))
    groups.sort(key=lambda g: (g[0].casefold(), g[1]))

    counts: dict[str, int] = {}
    rows = []
    for name, _urn, _codes, _values, first in groups:
        style = _lookup(index, first.grade)
        counts[style.key] = counts.get(style.key, 0) + 1
        rows.append([name, style.label])
    prefix = chart_id or _chart_id(
        "map",
        title,
        region_gss,
        highlight_urn,
        sorted((c, v.grade, v.council_name, v.href, v.title) for c, v in district_values.items()),
        styles,
    )
    out = []
    if context and region_gss is not None:
        faint = []
        for code, d in districts.items():
            if d["region_gss"] == region_gss:
                continue
            b = d["bbox"]
            if b[2] < vx or b[0] > vx + vw or b[3] < vy or b[1] > vy + vh:
                continue
            faint.append(d["path"])
        if faint:
            # Clipped: a standalone SVG shows what lies outside its viewBox.
            out.append(
                f'<clipPath id="{prefix}-view"><rect x="{_n(vx)}" y="{_n(vy)}"'
                f' width="{_n(vw)}" height="{_n(vh)}"/></clipPath>'
                f'<path class="app-map__context" d="{"".join(faint)}" fill="{CONTEXT_FILL}"'
                f' stroke="{LINE_GREY}" stroke-width="{_n(px)}" fill-rule="evenodd"'
                f' clip-path="url(#{prefix}-view)" aria-hidden="true"/>'
            )
    out.append(
        f'<g class="app-map__councils" stroke="{WHITE}" stroke-width="{_n(px * 0.6)}"'
        ' stroke-linejoin="round" fill-rule="evenodd">'
    )
    if for_print:
        # One path per fill: a PDF renderer pays per element and per pattern use, and a printed
        # map has no links or tooltips to keep (about a third of the cost in WeasyPrint).
        paths = _overview_paths() if region_gss is None else {code: districts[code]["path"] for code in in_view}
        by_fill: dict[str, list[str]] = {}
        for _name, _urn, codes, values, _first in groups:
            for code, value in zip(codes, values):
                by_fill.setdefault(_fill(_lookup(index, value.grade), prefix), []).append(paths[code])
        out.extend(f'<path d="{"".join(paths)}" fill="{fill}"/>' for fill, paths in by_fill.items())
    for name, urn, codes, values, first in [] if for_print else groups:
        tip = first.title or f"{name} — {_lookup(index, first.grade).label}"
        paths = "".join(
            f'<path data-lad="{code}" d="{districts[code]["path"]}"'
            f' fill="{_fill(_lookup(index, value.grade), prefix)}"/>'
            for code, value in zip(codes, values)
        )
        if first.href:
            href = _e(first.href)
            out.append(f'<a href="{href}" xlink:href="{href}" data-urn="{_e(urn)}"><title>{_e(tip)}</title>{paths}</a>')
        else:
            out.append(f'<g data-urn="{_e(urn)}"><title>{_e(tip)}</title>{paths}</g>')
    out.append("</g>")
    if labels:
        out.append(_council_labels(groups, districts, vw))
    if highlight_urn is not None and highlight_urn in councils:
        outline = "".join(districts[c]["path"] for c in councils[highlight_urn])
        out.append(
            f'<path class="app-map__highlight" d="{outline}" fill="none" stroke="{DARK}"'
            f' stroke-width="{_n(px * 2.5)}" stroke-linejoin="round" aria-hidden="true"/>'
        )

    used = _ordered_styles(index, styles, counts)
    total_w = vw
    if legend:
        size = 13 * px
        items = [(s, f"{s.label} ({counts[s.key]})") for s in used]
        legend_w = max((_text_width(t, size) for _, t in items), default=0) + size * 4
        legend_svg, _ = _legend(
            items,
            prefix=prefix,
            x=vx + vw + size,
            y=vy + size,
            max_width=legend_w,
            size=size,
            column=True,
        )
        # Cover faint neighbours that spill into the legend's column.
        out.append(
            f'<rect x="{_n(vx + vw)}" y="{_n(vy)}" width="{_n(legend_w + size)}" height="{_n(vh)}" fill="{WHITE}"/>'
        )
        out.append(legend_svg)
        total_w = vw + legend_w + size

    n_councils = len(groups)
    where = data["regions"][region_gss] if region_gss else "England"
    summary = ", ".join(f"{s.label} {counts[s.key]}" for s in used)
    desc = (
        f"Map of {where} showing {_plural(n_councils, 'council')} by grade: {summary}. "
        "Each council area links to its page; the same figures are in the table with this map."
    )
    linked = not for_print and any(g[4].href for g in groups)
    svg = _svg(
        prefix=prefix,
        width=total_w,
        height=vh,
        view_origin=(vx, vy),
        title=title,
        desc=desc,
        body=_pattern_defs(used, prefix, 7 * px) + "".join(out),
        role="group" if linked else "img",
        font_size=13 * px,
    )
    return Chart(svg, Table(title, ["Council", "Grade"], rows))


# Text on a map must stay readable on a phone: at least this many pixels when the whole SVG is
# drawn this many pixels wide (WCAG reflow at 320 px aside, 375 px is the common phone width).
MIN_TEXT_PX, PHONE_PX = 12, 345  # a 375 px phone less GOV.UK's 15 px page margins


def short_council_name(name: str) -> list[str]:
    """A council's name as the lines of a map label: "Kensington and Chelsea" -> ["K & C"]."""
    if " and " in name:
        return [" & ".join(part.strip()[:1] for part in name.split(" and "))]
    for long, short in (("City of London", "City"), (" upon Thames", "")):
        name = name.replace(long, short)
    return name.split()


def _council_labels(groups, districts, view_width: float) -> str:
    """Each council's short name at the centre of its districts' box, on a white halo."""
    size = view_width * MIN_TEXT_PX / PHONE_PX
    out = []
    for name, _urn, codes, _values, _first in groups:
        boxes = [districts[c]["bbox"] for c in codes]
        cx = (min(b[0] for b in boxes) + max(b[2] for b in boxes)) / 2
        cy = (min(b[1] for b in boxes) + max(b[3] for b in boxes)) / 2
        lines = short_council_name(name)
        top = cy - (len(lines) - 1) * size * 0.55
        spans = "".join(
            f'<tspan x="{_n(cx)}" y="{_n(top + i * size * 1.1 + size * 0.35)}">{_e(line)}</tspan>'
            for i, line in enumerate(lines)
        )
        out.append(f'<text text-anchor="middle">{spans}</text>')
    return (
        f'<g class="app-map__labels" font-size="{_n(size)}" font-weight="bold" fill="{DARK}" stroke="{WHITE}"'
        f' stroke-width="{_n(size / 4)}" paint-order="stroke" stroke-linejoin="round" pointer-events="none"'
        f' aria-hidden="true">{"".join(out)}</g>'
    )


def swatch(style: GradeStyle, *, size: int = 20) -> str:
    """A small standalone SVG square of a grade's fill (colour and pattern), for an HTML legend.

    Use it as an image (``swatch_uri``): inline, the same grade's swatch twice on a page would
    define its pattern id twice.
    """
    prefix = _chart_id("swatch", style)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" width="{size}" height="{size}"'
        f' aria-hidden="true" focusable="false" class="app-map__swatch">{_pattern_defs([style], prefix, size / 2.5)}'
        f'<rect x="0.5" y="0.5" width="{size - 1}" height="{size - 1}" fill="{_fill(style, prefix)}"'
        f' stroke="{DARK}"/></svg>'
    )


def swatch_uri(style: GradeStyle) -> str:
    """``swatch`` as a data: URI for an ``<img>`` (its ids stay inside the image)."""
    return "data:image/svg+xml;base64," + base64.b64encode(swatch(style).encode()).decode()

"""Accessible SVG charts and the England map, drawn from plain values.

Pure module: no Django, no database. Every public function takes plain values
(tuples, dicts, dataclasses) plus the grade styling, and returns a ``Chart``:
the SVG markup (plain SVG 1.1 so WeasyPrint draws the same picture as the
browser) and a ``Table`` with the same figures for a visually hidden table.

Rules every chart follows:

* ``role="img"`` (``role="group"`` for a map with links, so its links stay
  reachable by screen readers), ``<title>`` and ``<desc>`` referenced by
  ``aria-labelledby``, a ``viewBox`` and no fixed width, so it scales to its
  container;
* colour is never the only cue: each grade has a fill pattern and a text label;
  text sits on a solid chip of the grade colour in whichever of near-black or
  white passes WCAG contrast;
* all text is escaped: council names come from the database;
* element ids start with ``chart_id`` (derived from the inputs when not given)
  so several charts can share a page.

In a template ``{{ chart }}`` renders the SVG (``Chart`` implements
``__html__``); ``chart.table`` feeds the table alternative.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from html import escape
from pathlib import Path

__all__ = [
    "DEFAULT_GRADE_STYLES",
    "NOT_JUDGED",
    "PATTERNS",
    "Chart",
    "GradeStyle",
    "MapDistrict",
    "Table",
    "council_districts",
    "england_map",
    "expand_council_values",
    "grade_mix_by_group",
    "grade_mix_over_time",
    "map_regions",
    "trajectory",
]

MAP_DATA = Path(__file__).resolve().parent / "mapdata" / "england_lad_2023.json"

NOT_JUDGED = "not_judged"
PATTERNS = (
    "solid",
    "hatch",
    "backhatch",
    "crosshatch",
    "dots",
    "horizontal",
    "vertical",
)

FONT = "GDS Transport, Arial, sans-serif"
DARK = "#0b0c0c"  # GOV.UK text colour
WHITE = "#ffffff"
MID_GREY = "#505a5f"  # GOV.UK secondary text, 7:1 on white
LINE_GREY = "#b1b4b6"
CONTEXT_FILL = "#f3f2f1"


# --------------------------------------------------------------------------- data types


@dataclass(frozen=True)
class GradeStyle:
    """How one grade is drawn.

    ``key`` matches the grade's key in the app's data; ``label`` is shown to
    users; ``colour`` is ``#rrggbb``; ``pattern`` is one of ``PATTERNS`` and is
    what tells grades apart in greyscale print and for colour-blind users.
    """

    key: str
    label: str
    colour: str
    pattern: str = "solid"

    def __post_init__(self):
        if not re.fullmatch(r"#[0-9a-fA-F]{6}", self.colour):
            raise ValueError(f"Grade colour must be #rrggbb, not {self.colour!r}")
        if self.pattern not in PATTERNS:
            raise ValueError(f"Grade pattern must be one of {PATTERNS}, not {self.pattern!r}")

    @property
    def ink(self) -> str:
        """Near-black or white, whichever contrasts more with ``colour``."""
        return _best_ink(self.colour)


DEFAULT_GRADE_STYLES: tuple[GradeStyle, ...] = (
    GradeStyle("outstanding", "Outstanding", "#00703c", "solid"),
    GradeStyle("good", "Good", "#1d70b8", "hatch"),
    GradeStyle("requires_improvement", "Requires improvement to be good", "#f47738", "dots"),
    GradeStyle("adequate", "Adequate", "#ffdd00", "vertical"),
    GradeStyle("inadequate", "Inadequate", "#d4351c", "crosshatch"),
    GradeStyle(NOT_JUDGED, "Not judged", "#b1b4b6", "horizontal"),
)
"""GOV.UK palette, best to worst, then "not judged". Greyscale tells them apart
by pattern: solid, diagonal hatch, dots, vertical lines, cross-hatch, horizontal."""

_FALLBACK_NOT_JUDGED = DEFAULT_GRADE_STYLES[-1]


@dataclass(frozen=True)
class Table:
    """The figures behind a chart, for a visually hidden (or visible) table."""

    caption: str
    headers: list[str]
    rows: list[list[str]]


@dataclass(frozen=True)
class Chart:
    """An SVG string and its table alternative."""

    svg: str
    table: Table

    def __html__(self) -> str:
        """Let template engines (Django, Jinja) insert the SVG without escaping it."""
        return self.svg

    def __str__(self) -> str:
        return self.svg


@dataclass(frozen=True)
class MapDistrict:
    """What the map shows for one district (districts of a county repeat the county).

    ``grade`` is a grade key or None (drawn as "not judged"); ``href`` links the
    shape to the council's page; ``title`` replaces the default tooltip
    "<council> — <grade label>".
    """

    grade: str | None
    council_name: str
    href: str | None = None
    title: str | None = None


# --------------------------------------------------------------------------- helpers


def _luminance(colour: str) -> float:
    """WCAG relative luminance of #rrggbb."""
    channels = []
    for i in (1, 3, 5):
        c = int(colour[i : i + 2], 16) / 255
        channels.append(c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4)
    r, g, b = channels
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: str, b: str) -> float:
    """WCAG contrast ratio between two #rrggbb colours (1 to 21)."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _best_ink(colour: str) -> str:
    return DARK if contrast_ratio(colour, DARK) >= contrast_ratio(colour, WHITE) else WHITE


def _e(text: object) -> str:
    """Escape text or an attribute value for XML."""
    return escape(str(text), quote=True)


def _n(value: float) -> str:
    """Compact number for SVG attributes."""
    text = f"{value:.1f}"
    text = text.removesuffix(".0")
    return "0" if text == "-0" else text


def _text_width(text: str, size: float) -> float:
    """Rough rendered width of text in Arial; generous so labels do not collide."""
    return len(text) * size * 0.56


def _wrap(text: str, size: float, max_width: float, max_lines: int = 2) -> list[str]:
    """Split text on spaces into at most ``max_lines`` lines that fit ``max_width``."""
    words, lines, line = text.split(), [], ""
    for word in words:
        candidate = f"{line} {word}".strip()
        if line and _text_width(candidate, size) > max_width and len(lines) < max_lines - 1:
            lines.append(line)
            line = word
        else:
            line = candidate
    lines.append(line)
    return lines


def _slug(text: str) -> str:
    return re.sub(r"[^a-zA-Z0-9_-]+", "-", text).strip("-") or "x"


def _chart_id(kind: str, *parts: object) -> str:
    """A short id that is stable for the same inputs, so output is deterministic."""
    digest = hashlib.sha1(repr((kind, parts)).encode()).hexdigest()[:8]
    return f"{kind}-{digest}"


def _style_index(styles: Sequence[GradeStyle]) -> dict[str | None, GradeStyle]:
    index: dict[str | None, GradeStyle] = {s.key: s for s in styles}
    index[None] = index.get(NOT_JUDGED, _FALLBACK_NOT_JUDGED)
    return index


def _lookup(index: Mapping[str | None, GradeStyle], key: str | None) -> GradeStyle:
    try:
        return index[key]
    except KeyError:
        known = ", ".join(k for k in index if k)
        raise ValueError(f"No style for grade {key!r}; known grades: {known}") from None


def _ordered_styles(
    index: Mapping[str | None, GradeStyle], styles: Sequence[GradeStyle], used: Iterable
) -> list[GradeStyle]:
    """Styles that appear in ``used`` keys, in the styles' order, not judged last."""
    used_styles = {_lookup(index, key).key for key in used}
    ordered = [s for s in styles if s.key in used_styles]
    missing = index[None]
    if missing.key in used_styles and missing not in ordered:
        ordered.append(missing)
    return ordered


def _fill(style: GradeStyle, prefix: str) -> str:
    if style.pattern == "solid":
        return style.colour
    return f"url(#{prefix}-p-{_slug(style.key)})"


def _pattern_defs(styles: Iterable[GradeStyle], prefix: str, size: float) -> str:
    """``<pattern>`` elements in user space: a grade colour with marks in its ink."""
    out = []
    s, w = size, size * 0.16
    seen = set()
    for style in styles:
        if style.pattern == "solid" or style.key in seen:
            continue
        seen.add(style.key)
        ink = style.ink
        marks = {
            "hatch": f'<path d="M0 {_n(s)}L{_n(s)} 0M{_n(-s / 4)} {_n(s / 4)}L{_n(s / 4)} '
            f'{_n(-s / 4)}M{_n(s * 3 / 4)} {_n(s * 5 / 4)}L{_n(s * 5 / 4)} {_n(s * 3 / 4)}" '
            f'stroke="{ink}" stroke-width="{_n(w)}"/>',
            "backhatch": f'<path d="M0 0L{_n(s)} {_n(s)}M{_n(-s / 4)} {_n(s * 3 / 4)}L{_n(s / 4)} '
            f'{_n(s * 5 / 4)}M{_n(s * 3 / 4)} {_n(-s / 4)}L{_n(s * 5 / 4)} {_n(s / 4)}" '
            f'stroke="{ink}" stroke-width="{_n(w)}"/>',
            "crosshatch": f'<path d="M0 {_n(s)}L{_n(s)} 0M0 0L{_n(s)} {_n(s)}" stroke="{ink}" stroke-width="{_n(w)}"/>',
            "dots": f'<circle cx="{_n(s / 4)}" cy="{_n(s / 4)}" r="{_n(s * 0.17)}" fill="{ink}"/>'
            f'<circle cx="{_n(s * 3 / 4)}" cy="{_n(s * 3 / 4)}" r="{_n(s * 0.17)}" fill="{ink}"/>',
            "horizontal": f'<path d="M0 {_n(s / 2)}H{_n(s)}" stroke="{ink}" stroke-width="{_n(w)}"/>',
            "vertical": f'<path d="M{_n(s / 2)} 0V{_n(s)}" stroke="{ink}" stroke-width="{_n(w)}"/>',
        }[style.pattern]
        out.append(
            f'<pattern id="{prefix}-p-{_slug(style.key)}" patternUnits="userSpaceOnUse" '
            f'width="{_n(s)}" height="{_n(s)}"><rect width="{_n(s)}" height="{_n(s)}" '
            f'fill="{style.colour}"/>{marks}</pattern>'
        )
    return f"<defs>{''.join(out)}</defs>" if out else ""


def _svg(
    *,
    prefix: str,
    width: float,
    height: float,
    title: str,
    desc: str,
    body: str,
    role: str = "img",
    view_origin: tuple[float, float] = (0, 0),
    font_size: float = 14,
) -> str:
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
        f' version="1.1" viewBox="{_n(view_origin[0])} {_n(view_origin[1])} {_n(width)}'
        f' {_n(height)}" role="{role}" aria-labelledby="{prefix}-title {prefix}-desc"'
        f' class="app-chart" font-family="{FONT}" font-size="{_n(font_size)}" fill="{DARK}">'
        f'<title id="{prefix}-title">{_e(title)}</title>'
        f'<desc id="{prefix}-desc">{_e(desc)}</desc>{body}</svg>'
    )


def _legend(
    items: Sequence[tuple[GradeStyle, str]],
    *,
    prefix: str,
    x: float,
    y: float,
    max_width: float,
    size: float,
    column: bool = False,
) -> tuple[str, float]:
    """Flow legend items left to right, wrapping at ``max_width``.

    With ``column`` every item starts a new line. Returns the markup and the
    height used. ``size`` is the font size; the
    swatch is a little larger so its pattern shows.
    """
    swatch, gap, line_h = size * 1.3, size * 0.5, size * 1.9
    out = []
    cx, cy = x, y
    for style, text in items:
        item_w = swatch + gap + _text_width(text, size) + size * 1.5
        if cx > x and (column or cx + item_w > x + max_width):
            cx, cy = x, cy + line_h
        out.append(
            f'<rect x="{_n(cx)}" y="{_n(cy)}" width="{_n(swatch)}" height="{_n(swatch)}"'
            f' fill="{_fill(style, prefix)}" stroke="{DARK}" stroke-width="{_n(size / 14)}"/>'
            f'<text x="{_n(cx + swatch + gap)}" y="{_n(cy + swatch * 0.8)}">{_e(text)}</text>'
        )
        cx += item_w
    return f'<g class="app-chart__legend">{"".join(out)}</g>', cy - y + line_h


def _chip(x: float, y: float, text: str, style: GradeStyle, size: float) -> str:
    """Text centred at (x, y) on a solid chip of the grade colour (contrast-safe)."""
    w = _text_width(text, size) + size * 0.5
    h = size * 1.3
    return (
        f'<rect x="{_n(x - w / 2)}" y="{_n(y - h / 2)}" width="{_n(w)}" height="{_n(h)}"'
        f' rx="{_n(size / 5)}" fill="{style.colour}"/>'
        f'<text x="{_n(x)}" y="{_n(y + size * 0.35)}" text-anchor="middle"'
        f' fill="{style.ink}">{_e(text)}</text>'
    )


def _nice_ticks(top: int, target: int = 5) -> list[int]:
    """Whole-number axis ticks from 0 covering ``top``."""
    if top <= 0:
        return [0, 1]
    raw = top / target
    magnitude = 10 ** math.floor(math.log10(raw))
    step = max(1, next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw))
    step = int(step)
    return list(range(0, math.ceil(top / step) * step + 1, step))


def _long_date(d: date) -> str:
    """GOV.UK date style: 20 September 2016."""
    return f"{d.day} {d.strftime('%B')} {d.year}"


def _percent(count: int, total: int) -> str:
    return f"{round(100 * count / total)}%" if total else "0%"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


# --------------------------------------------------------------------------- bar charts


def grade_mix_by_group(
    groups: Sequence[tuple[str, Mapping[str | None, int]]],
    styles: Sequence[GradeStyle] = DEFAULT_GRADE_STYLES,
    title: str = "Grades by region",
    *,
    group_label: str = "Region",
    unit: str = "council",
    chart_id: str | None = None,
) -> Chart:
    """Horizontal 100% stacked bars, one per group (region, neighbour set...).

    ``groups`` is ``[(group name, {grade key or None: count})]`` in display
    order; None counts as "not judged". Segments run best to worst in
    ``styles`` order and carry their count. ``unit`` names what is counted
    ("council" -> "24 councils"). Raises ValueError for a grade with no style.
    The table has one row per group: name, a count per grade shown, total.
    """
    index = _style_index(styles)
    shown = _ordered_styles(index, styles, (k for _, c in groups for k, n in c.items() if n))
    prefix = chart_id or _chart_id("mix", title, groups, styles)

    width, pad, size = 640.0, 4.0, 14.0
    legend, legend_h = _legend(
        [(s, s.label) for s in shown],
        prefix=prefix,
        x=pad,
        y=pad,
        max_width=width - 2 * pad,
        size=size,
    )
    bar_h, label_h, gap = 26.0, 20.0, 14.0
    y = pad + legend_h + 6
    body, rows = [legend], []
    bar_w = width - 2 * pad
    for name, counts in groups:
        by_style: dict[str, int] = {}
        for key, n in counts.items():
            if n:
                style = _lookup(index, key)
                by_style[style.key] = by_style.get(style.key, 0) + n
        total = sum(by_style.values())
        body.append(
            f'<text x="{_n(pad)}" y="{_n(y + 15)}" font-weight="bold">{_e(name)}'
            f'<tspan font-weight="normal" fill="{MID_GREY}"> ({_e(_plural(total, unit))})'
            "</tspan></text>"
        )
        y += label_h
        body.append(
            f'<rect x="{_n(pad)}" y="{_n(y)}" width="{_n(bar_w)}" height="{_n(bar_h)}"'
            f' fill="{WHITE}" stroke="{LINE_GREY}"/>'
        )
        x = pad
        for style in shown:
            n = by_style.get(style.key, 0)
            if not n:
                continue
            w = bar_w * n / total
            tip = f"{name}: {style.label} {n} of {total} ({_percent(n, total)})"
            body.append(
                f'<g><title>{_e(tip)}</title><rect x="{_n(x)}" y="{_n(y)}" width="{_n(w)}"'
                f' height="{_n(bar_h)}" fill="{_fill(style, prefix)}" stroke="{WHITE}"/>'
            )
            if _text_width(str(n), 12) + 8 <= w:
                body.append(_chip(x + w / 2, y + bar_h / 2, str(n), style, 12))
            body.append("</g>")
            x += w
        if not total:
            body.append(f'<text x="{_n(pad + 8)}" y="{_n(y + 18)}" fill="{MID_GREY}">No judgements</text>')
        rows.append([name, *(str(by_style.get(s.key, 0)) for s in shown), str(total)])
        y += bar_h + gap
    height = y - gap + pad
    desc = (
        f"Horizontal bars, one for each of {_plural(len(groups), group_label.lower())}, "
        "each split into the share at each grade from best to worst. "
        "The same figures are in the table with this chart."
    )
    svg = _svg(
        prefix=prefix,
        width=width,
        height=height,
        title=title,
        desc=desc,
        body=_pattern_defs(shown, prefix, 8) + "".join(body),
    )
    return Chart(svg, Table(title, [group_label, *(s.label for s in shown), "Total"], rows))


def grade_mix_over_time(
    years: Sequence[tuple[int, Mapping[str | None, int]]],
    styles: Sequence[GradeStyle] = DEFAULT_GRADE_STYLES,
    title: str = "Grades by year of publication",
    *,
    value_label: str = "Number of judgements",
    chart_id: str | None = None,
) -> Chart:
    """Stacked columns of grade counts, one per year of publication.

    ``years`` is ``[(year, {grade key or None: count})]``; years missing
    between the first and last are shown as empty columns (and zero rows), so
    the time axis is even. Best grade at the bottom of each column. Raises
    ValueError for a grade with no style. The table has one row per year.
    """
    index = _style_index(styles)
    data: dict[int, dict[str, int]] = {}
    for year, counts in years:
        row = data.setdefault(int(year), {})
        for key, n in counts.items():
            if n:
                style = _lookup(index, key)
                row[style.key] = row.get(style.key, 0) + n
    if data:
        all_years = list(range(min(data), max(data) + 1))
    else:
        all_years = []
    shown = _ordered_styles(index, styles, (k for c in data.values() for k in c))
    prefix = chart_id or _chart_id("years", title, years, styles)

    width, pad, size = 640.0, 4.0, 14.0
    legend, legend_h = _legend(
        [(s, s.label) for s in shown],
        prefix=prefix,
        x=pad,
        y=pad,
        max_width=width - 2 * pad,
        size=size,
    )
    totals = {y: sum(data.get(y, {}).values()) for y in all_years}
    ticks = _nice_ticks(max(totals.values(), default=0))
    axis_w = max(_text_width(str(ticks[-1]), 12) + 10, 30)
    top = pad + legend_h + 30
    plot_h, plot_x = 260.0, pad + axis_w
    plot_w = width - plot_x - pad
    bottom = top + plot_h
    body = [legend]
    body.append(f'<text x="{_n(pad)}" y="{_n(top - 14)}" font-size="12" fill="{MID_GREY}">{_e(value_label)}</text>')
    for t in ticks:
        ty = bottom - plot_h * t / ticks[-1]
        body.append(
            f'<path d="M{_n(plot_x)} {_n(ty)}H{_n(width - pad)}" stroke="{LINE_GREY}"'
            f' stroke-width="{1 if t == 0 else 0.5}"/>'
            f'<text x="{_n(plot_x - 6)}" y="{_n(ty + 4)}" text-anchor="end" font-size="12">'
            f"{t}</text>"
        )
    slot = plot_w / max(len(all_years), 1)
    col_w = min(slot * 0.7, 60)
    label_every = 1 if slot >= 34 else 2 if slot >= 17 else 5
    rows = []
    for i, year in enumerate(all_years):
        cx = plot_x + slot * (i + 0.5)
        y = bottom
        body.append("<g>")
        for style in shown:
            n = data.get(year, {}).get(style.key, 0)
            if not n:
                continue
            h = plot_h * n / ticks[-1]
            tip = f"{year}: {style.label} {n} of {totals[year]}"
            body.append(
                f'<g><title>{_e(tip)}</title><rect x="{_n(cx - col_w / 2)}" y="{_n(y - h)}"'
                f' width="{_n(col_w)}" height="{_n(h)}" fill="{_fill(style, prefix)}"'
                f' stroke="{WHITE}"/>'
            )
            if h >= 17 and _text_width(str(n), 11) + 6 <= col_w:
                body.append(_chip(cx, y - h / 2, str(n), style, 11))
            body.append("</g>")
            y -= h
        if totals[year]:
            body.append(
                f'<text x="{_n(cx)}" y="{_n(y - 5)}" text-anchor="middle" font-size="12"'
                f' font-weight="bold">{totals[year]}</text>'
            )
        if i % label_every == 0:
            body.append(f'<text x="{_n(cx)}" y="{_n(bottom + 18)}" text-anchor="middle" font-size="12">{year}</text>')
        body.append("</g>")
        rows.append(
            [
                str(year),
                *(str(data.get(year, {}).get(s.key, 0)) for s in shown),
                str(totals[year]),
            ]
        )
    height = bottom + 26 + pad
    span = f"from {all_years[0]} to {all_years[-1]}" if all_years else "with no years"
    desc = (
        f"Columns for each year of publication {span}, each stacked by grade with the "
        "best grade at the bottom. The same figures are in the table with this chart."
    )
    svg = _svg(
        prefix=prefix,
        width=width,
        height=height,
        title=title,
        desc=desc,
        body=_pattern_defs(shown, prefix, 8) + "".join(body),
    )
    return Chart(svg, Table(title, ["Year", *(s.label for s in shown), "Total"], rows))


# --------------------------------------------------------------------------- trajectory


def trajectory(
    points: Sequence[tuple[date, str | None, str]],
    styles: Sequence[GradeStyle] = DEFAULT_GRADE_STYLES,
    title: str = "Grades over time",
    scale_keys: Sequence[str | Sequence[str]] | None = None,
    *,
    chart_id: str | None = None,
    date_label: str = "Date",
) -> Chart:
    """A council's grade over the years: a step line on an ordinal axis, best at top.

    ``date_label`` heads the table's date column (say which date the points are, e.g. "Published").

    ``points`` is ``[(date, grade key or None, label)]`` (e.g. the publication
    date, the overall effectiveness grade and "ILACS standard inspection").
    The grade holds until the next graded point. A None grade is drawn as a
    marker in a separate "Not judged" row and does not break the line.

    ``scale_keys`` lists the axis rows best first; an entry may be a tuple of
    keys that share a row (e.g. ``("requires_improvement", "adequate")`` across
    the 2009 and 2013 scales). Default: one row per style except not judged.
    Raises ValueError for a grade that is not on the scale.
    The table has one row per point in date order: date, event, grade.
    """
    index = _style_index(styles)
    if scale_keys is None:
        scale_keys = [s.key for s in styles if s.key != NOT_JUDGED]
    levels: list[tuple[str, ...]] = [(k,) if isinstance(k, str) else tuple(k) for k in scale_keys]
    row_of = {key: i for i, keys in enumerate(levels) for key in keys}
    ordered = sorted(points, key=lambda p: p[0])
    for _, key, label in ordered:
        if key is not None and key not in row_of:
            raise ValueError(f"Grade {key!r} of {label!r} is not on the scale {list(row_of)}")
        _lookup(index, key)
    has_missing = any(key is None for _, key, _ in ordered)
    row_labels = [" / ".join(_lookup(index, k).label for k in keys) for keys in levels]
    if has_missing:
        row_labels.append(index[None].label)
    prefix = chart_id or _chart_id("trajectory", title, points, styles, levels)

    width, pad, size = 640.0, 4.0, 13.0
    label_w = (
        min(
            max(
                (_text_width(w, size) for r in row_labels for w in _wrap(r, size, 150)),
                default=0,
            ),
            150,
        )
        + 12
    )
    plot_x, plot_w = pad + label_w + 10, width - pad - label_w - 30
    row_h, top = 44.0, pad + 16
    n_rows = len(row_labels)
    plot_h = row_h * max(n_rows, 1)
    bottom = top + plot_h

    if ordered:
        first_year, last_year = ordered[0][0].year, ordered[-1][0].year
    else:
        first_year = last_year = date.today().year
    start, end = date(first_year, 1, 1), date(last_year + 1, 1, 1)
    days = (end - start).days

    def x_of(d: date) -> float:
        return plot_x + plot_w * (d - start).days / days

    def y_of(row: int) -> float:
        return top + row_h * (row + 0.5)

    body = []
    for i, label in enumerate(row_labels):
        lines = _wrap(label, size, 150)
        cy = y_of(i) - (len(lines) - 1) * size * 0.6
        for j, line in enumerate(lines):
            body.append(
                f'<text x="{_n(plot_x - 10)}" y="{_n(cy + j * size * 1.2 + size * 0.35)}"'
                f' text-anchor="end">{_e(line)}</text>'
            )
        dash = ' stroke-dasharray="4 3"' if has_missing and i == n_rows - 1 else ""
        body.append(
            f'<path d="M{_n(plot_x)} {_n(y_of(i))}H{_n(plot_x + plot_w)}" stroke="{LINE_GREY}"'
            f' stroke-width="0.75"{dash}/>'
        )
    years = list(range(first_year, last_year + 2))
    every = 1 if len(years) <= 16 else 2 if len(years) <= 30 else 5
    for year in years:
        x = x_of(date(year, 1, 1))
        body.append(f'<path d="M{_n(x)} {_n(top)}V{_n(bottom + 4)}" stroke="{LINE_GREY}" stroke-width="0.5"/>')
        if year % every == 0 and year <= last_year:
            mid = x_of(date(year, 7, 1))
            body.append(f'<text x="{_n(mid)}" y="{_n(bottom + 18)}" text-anchor="middle" font-size="12">{year}</text>')
    body.append(f'<path d="M{_n(plot_x)} {_n(bottom)}H{_n(plot_x + plot_w)}" stroke="{DARK}"/>')

    graded = [(d, key) for d, key, _ in ordered if key is not None]
    if graded:
        d0, k0 = graded[0]
        line = [f"M{_n(x_of(d0))} {_n(y_of(row_of[k0]))}"]
        for d, key in graded[1:]:
            line.append(f"H{_n(x_of(d))}V{_n(y_of(row_of[key]))}")
        body.append(
            f'<path d="{"".join(line)}" fill="none" stroke="{DARK}" stroke-width="2.5" stroke-linejoin="round"/>'
        )
    rows = []
    used = []
    for d, key, label in ordered:
        style = _lookup(index, key)
        used.append(style)
        row = row_of[key] if key is not None else n_rows - 1
        tip = f"{_long_date(d)}: {label}: {style.label}" if label else f"{_long_date(d)}: {style.label}"
        body.append(
            f'<g><title>{_e(tip)}</title><circle cx="{_n(x_of(d))}" cy="{_n(y_of(row))}" r="9"'
            f' fill="{_fill(style, prefix)}" stroke="{DARK}" stroke-width="2"/></g>'
        )
        rows.append([_long_date(d), label, style.label])
    height = bottom + 26 + pad
    if ordered:
        desc = (
            f"Step chart of {_plural(len(ordered), 'judgement')} from {_long_date(ordered[0][0])}"
            f" to {_long_date(ordered[-1][0])}, best grade at the top; latest: "
            f"{_lookup(index, ordered[-1][1]).label}. The same figures are in the table with"
            " this chart."
        )
    else:
        desc = "No judgements to show."
    svg = _svg(
        prefix=prefix,
        width=width,
        height=height,
        title=title,
        desc=desc,
        body=_pattern_defs(used, prefix, 6) + "".join(body),
        font_size=size,
    )
    return Chart(svg, Table(title, [date_label, "Event", "Grade"], rows))


# --------------------------------------------------------------------------- map


@functools.cache
def _map_data() -> dict:
    """The generated district geometry (see mapdata/README.md), read once per process."""
    return json.loads(MAP_DATA.read_text(encoding="utf-8"))


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
    styles: Sequence[GradeStyle] = DEFAULT_GRADE_STYLES,
    title: str = "Latest overall effectiveness grade by council",
    region_gss: str | None = None,
    highlight: str | int | None = None,
    *,
    context: bool = True,
    legend: bool = True,
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
    for name, urn, codes, values, first in groups:
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
    linked = any(g[4].href for g in groups)
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

"""What every chart shares: grade styles, the Chart and Table it returns, and SVG helpers.

Pure module: no Django, no database (see the package docstring for the rules every chart follows).
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from html import escape

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


@dataclass(frozen=True)
class Table:
    """The figures behind a chart, for a visually hidden (or visible) table."""

    caption: str
    headers: list[str]
    rows: list[list[str]]


@dataclass(frozen=True)
class Chart:
    """An SVG string and its table alternative.

    ``keys`` are the grade styles shown, best first, when the chart leaves its legend to the page
    (``legend=False``): page text is cheaper to print and stays readable at any width.
    """

    svg: str
    table: Table
    keys: tuple = ()

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
    """{key: style}; a None grade draws as the ``NOT_JUDGED`` style, when the caller gives one."""
    index: dict[str | None, GradeStyle] = {s.key: s for s in styles}
    if NOT_JUDGED in index:
        index[None] = index[NOT_JUDGED]
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
    missing = index.get(None)
    if missing is not None and missing.key in used_styles and missing not in ordered:
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


class Shapes:
    """A chart's marks in drawing order, for the screen or for print.

    On screen each mark is its own element with its tooltip. In print (``for_print``) there are
    no tooltips, and the shapes of one patterned fill are drawn through one clip path: a PDF
    renderer such as WeasyPrint draws a pattern afresh for every element that uses it (about
    3,000 Python calls each), so a column chart of forty patterned segments drew forty patterns
    where the print form draws one per grade. The picture is the same (patterns are in user space).
    """

    def __init__(self, prefix: str, *, for_print: bool = False):
        self.prefix, self.for_print = prefix, for_print
        self.under: list[str] = []  # in order; in print, what lies below every patterned fill
        self.over: list[str] = []  # print: marks' outlines and labels, above every patterned fill
        self.clips: dict[str, list[str]] = {}  # print: patterned fill -> its shapes

    def add(self, markup: str) -> None:
        """Axes, labels, backgrounds: anything that is not a grade's mark."""
        self.under.append(markup)

    def mark(self, shape: str, style: GradeStyle, tip: str, extra: str = "", outline: str = "") -> None:
        """A shape (an element name and its geometry, e.g. 'rect x="1" y="2" width="3" height="4"')
        filled with a grade's fill, with ``outline`` attributes (e.g. a stroke), its tooltip on
        screen, and ``extra`` markup (a label) drawn over it."""
        fill = _fill(style, self.prefix)
        if not self.for_print:
            self.under.append(f'<g><title>{_e(tip)}</title><{shape} fill="{fill}"{outline}/>{extra}</g>')
        elif style.pattern == "solid":
            self.over.append(f'<{shape} fill="{fill}"{outline}/>{extra}')
        else:
            self.clips.setdefault(fill, []).append(f"<{shape}/>")
            self.over.append(f'<{shape} fill="none"{outline}/>{extra}' if outline else extra)

    def svg(self, width: float, height: float, origin: tuple[float, float] = (0, 0)) -> str:
        overlays = []
        for i, (fill, shapes) in enumerate(self.clips.items()):
            clip = f"{self.prefix}-clip-{i}"
            overlays.append(
                f'<clipPath id="{clip}">{"".join(shapes)}</clipPath><rect x="{_n(origin[0])}" y="{_n(origin[1])}"'
                f' width="{_n(width)}" height="{_n(height)}" fill="{fill}" clip-path="url(#{clip})"/>'
            )
        return "".join(self.under) + "".join(overlays) + "".join(self.over)


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


class KnownDate(date):
    """A date that prints as far as it is known ("March 2011"): it sorts and spaces as the date it
    stands for, but no chart text shows a day (or month) the source did not give."""

    def __new__(cls, year: int, month: int, day: int, label: str = "") -> KnownDate:
        value = super().__new__(cls, year, month, day)
        value.label = label
        return value


def _long_date(d: date) -> str:
    """GOV.UK date style: 20 September 2016 (or a KnownDate's own words, e.g. March 2011)."""
    return getattr(d, "label", "") or f"{d.day} {d.strftime('%B')} {d.year}"


def _percent(count: int, total: int) -> str:
    return f"{round(100 * count / total)}%" if total else "0%"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"

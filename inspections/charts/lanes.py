"""Several councils' grades in one judgement area over the years: one lane per council.

Each lane is filled, from the date of each judgement to the next one (or to ``until``), with the
grade then held, so a reader sees who held which grade when; a dark tick marks each judgement.
Narrower than the other charts (360 units) so its text stays legible on a 320 px screen.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from .base import (
    DARK,
    LINE_GREY,
    MID_GREY,
    WHITE,
    Chart,
    GradeStyle,
    Shapes,
    Table,
    _chart_id,
    _chip,
    _e,
    _long_date,
    _lookup,
    _n,
    _ordered_styles,
    _pattern_defs,
    _plural,
    _style_index,
    _svg,
    _text_width,
    _wrap,
)

BEFORE_FIRST = "no_inspection"  # the style (when given) of a lane before its first judgement


def grade_lanes(
    series: Sequence[tuple[str, Sequence[tuple[date, str | None, str]]]],
    styles: Sequence[GradeStyle],
    title: str,
    *,
    until: date,
    chart_id: str | None = None,
    date_label: str = "Date",
    for_print: bool = False,
) -> Chart:
    """One lane per council, each filled with the grade held from each judgement to the next.

    ``series`` is ``[(council name, [(date, grade key or None, event label)])]`` in display order;
    a None grade draws as "not judged". ``until`` ends the last grade (today, or the as-at date).
    The lane before a council's first judgement takes the ``no_inspection`` style when ``styles``
    has one. The key is left to the page (``Chart.keys``). Raises ValueError for a grade with no
    style. The table has one row per judgement: council, ``date_label``, event, grade. ``for_print``:
    the same lanes without tooltips, each patterned grade drawn once (see ``Shapes``), and without
    the grade's name on each stretch: on paper the grades are in the table printed beneath.
    """
    index = _style_index(styles)
    ordered = [(name, sorted(points, key=lambda p: p[0])) for name, points in series]
    used = [key for _name, points in ordered for _d, key, _label in points]
    before = index.get(BEFORE_FIRST)
    if before is not None and any(points for _name, points in ordered):
        used.append(BEFORE_FIRST)
    shown = _ordered_styles(index, styles, used)
    prefix = chart_id or _chart_id("lanes", title, ordered, styles, until)

    dates = [d for _name, points in ordered for d, _key, _label in points]
    first_year = min(dates).year if dates else until.year
    last_year = max(until.year, max(dates).year if dates else until.year)
    start, end = date(first_year, 1, 1), date(last_year + 1, 1, 1)

    width, pad, size = 360.0, 4.0, 12.0
    plot_x, plot_w = pad, width - 2 * pad
    name_h, lane_h, gap = 16.0, 22.0, 10.0

    def x_of(d: date) -> float:
        return plot_x + plot_w * (d - start).days / (end - start).days

    shapes, rows, y = Shapes(prefix, for_print=for_print), [], pad
    for name, points in ordered:
        for line in _wrap(name, size, plot_w, max_lines=2):
            shapes.add(f'<text x="{_n(plot_x)}" y="{_n(y + size)}" font-weight="bold">{_e(line)}</text>')
            y += name_h
        shapes.add(
            f'<rect x="{_n(plot_x)}" y="{_n(y)}" width="{_n(plot_w)}" height="{_n(lane_h)}"'
            f' fill="{before.colour if before and points else WHITE}" stroke="{LINE_GREY}"/>'
        )
        for i, (d, key, label) in enumerate(points):
            style = _lookup(index, key)
            x0 = x_of(d)
            x1 = x_of(points[i + 1][0]) if i + 1 < len(points) else x_of(until)
            tip = f"{name}: {style.label} from {_long_date(d)} ({label})" if label else f"{name}: {style.label}"
            tick = f'<path d="M{_n(x0)} {_n(y - 3)}V{_n(y + lane_h + 3)}" stroke="{DARK}" stroke-width="2"/>'
            fits = not for_print and _text_width(style.label, 10) + 10 <= x1 - x0
            chip = _chip((x0 + x1) / 2, y + lane_h / 2, style.label, style, 10) if fits else ""
            shape = f'rect x="{_n(x0)}" y="{_n(y)}" width="{_n(max(x1 - x0, 2))}" height="{_n(lane_h)}"'
            shapes.mark(shape, style, tip, tick + chip, outline=f' stroke="{WHITE}"')
            rows.append([name, _long_date(d), label, style.label])
        if not points:
            note = "No judgement recorded"
            shapes.add(f'<text x="{_n(plot_x + 6)}" y="{_n(y + lane_h / 2 + 4)}" fill="{MID_GREY}">{note}</text>')
        y += lane_h + gap

    years = list(range(first_year, last_year + 1))
    slot = plot_w / max(len(years), 1)
    every = next(n for n in (1, 2, 5, 10, 20) if slot * n >= 34)
    axis_y = y - gap + 4
    shapes.add(f'<path d="M{_n(plot_x)} {_n(axis_y)}H{_n(plot_x + plot_w)}" stroke="{DARK}"/>')
    for year in years:
        x = x_of(date(year, 1, 1))
        shapes.add(f'<path d="M{_n(x)} {_n(axis_y)}v4" stroke="{DARK}"/>')
        if year % every == 0:
            shapes.add(f'<text x="{_n(x + 2)}" y="{_n(axis_y + 16)}" font-size="11">{year}</text>')
    height = axis_y + 20 + pad
    count = sum(len(points) for _name, points in ordered)
    desc = (
        f"One lane for each of {_plural(len(ordered), 'council')}, from {first_year} to {_long_date(until)}: "
        f"each lane is filled with the grade held from each of its {_plural(count, 'judgement')} to the next, "
        "a dark tick marking each judgement. The same figures are in the table with this chart."
    )
    svg = _svg(
        prefix=prefix,
        width=width,
        height=height,
        title=title,
        desc=desc,
        body=_pattern_defs(shown, prefix, 6) + shapes.svg(width, height),
        font_size=size,
    )
    return Chart(svg, Table(title, ["Council", date_label, "Event", "Grade"], rows), tuple(shown))

"""A council's grade over the years: a step line on an ordinal axis, best grade at the top."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from .base import (
    DARK,
    LINE_GREY,
    NOT_JUDGED,
    Chart,
    GradeStyle,
    Shapes,
    Table,
    _chart_id,
    _e,
    _long_date,
    _lookup,
    _n,
    _pattern_defs,
    _plural,
    _style_index,
    _svg,
    _text_width,
    _wrap,
)


def trajectory(
    points: Sequence[tuple[date, str | None, str]],
    styles: Sequence[GradeStyle],
    title: str = "Grades over time",
    scale_keys: Sequence[str | Sequence[str]] | None = None,
    *,
    chart_id: str | None = None,
    date_label: str = "Date",
    for_print: bool = False,
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
    The table has one row per point in date order: date, event, grade. ``for_print``: the same
    picture without tooltips, cheaper for a PDF renderer (see ``Shapes``).
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

    shapes = Shapes(prefix, for_print=for_print)
    for i, label in enumerate(row_labels):
        lines = _wrap(label, size, 150)
        cy = y_of(i) - (len(lines) - 1) * size * 0.6
        for j, line in enumerate(lines):
            shapes.add(
                f'<text x="{_n(plot_x - 10)}" y="{_n(cy + j * size * 1.2 + size * 0.35)}"'
                f' text-anchor="end">{_e(line)}</text>'
            )
        dash = ' stroke-dasharray="4 3"' if has_missing and i == n_rows - 1 else ""
        shapes.add(
            f'<path d="M{_n(plot_x)} {_n(y_of(i))}H{_n(plot_x + plot_w)}" stroke="{LINE_GREY}"'
            f' stroke-width="0.75"{dash}/>'
        )
    years = list(range(first_year, last_year + 2))
    every = 1 if len(years) <= 16 else 2 if len(years) <= 30 else 5
    for year in years:
        x = x_of(date(year, 1, 1))
        shapes.add(f'<path d="M{_n(x)} {_n(top)}V{_n(bottom + 4)}" stroke="{LINE_GREY}" stroke-width="0.5"/>')
        if year % every == 0 and year <= last_year:
            mid = x_of(date(year, 7, 1))
            shapes.add(f'<text x="{_n(mid)}" y="{_n(bottom + 18)}" text-anchor="middle" font-size="12">{year}</text>')
    shapes.add(f'<path d="M{_n(plot_x)} {_n(bottom)}H{_n(plot_x + plot_w)}" stroke="{DARK}"/>')

    graded = [(d, key) for d, key, _ in ordered if key is not None]
    if graded:
        d0, k0 = graded[0]
        line = [f"M{_n(x_of(d0))} {_n(y_of(row_of[k0]))}"]
        for d, key in graded[1:]:
            line.append(f"H{_n(x_of(d))}V{_n(y_of(row_of[key]))}")
        shapes.add(
            f'<path d="{"".join(line)}" fill="none" stroke="{DARK}" stroke-width="2.5" stroke-linejoin="round"/>'
        )
    rows = []
    used = []
    for d, key, label in ordered:
        style = _lookup(index, key)
        used.append(style)
        row = row_of[key] if key is not None else n_rows - 1
        tip = f"{_long_date(d)}: {label}: {style.label}" if label else f"{_long_date(d)}: {style.label}"
        point = f'circle cx="{_n(x_of(d))}" cy="{_n(y_of(row))}" r="9"'
        shapes.mark(point, style, tip, outline=f' stroke="{DARK}" stroke-width="2"')
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
        body=_pattern_defs(used, prefix, 6) + shapes.svg(width, height),
        font_size=size,
    )
    return Chart(svg, Table(title, [date_label, "Event", "Grade"], rows))

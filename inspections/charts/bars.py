"""Stacked bar charts of grade counts: by group (region, neighbours, judgement) and by year."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .base import (
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
    _legend,
    _lookup,
    _n,
    _nice_ticks,
    _ordered_styles,
    _pattern_defs,
    _percent,
    _plural,
    _style_index,
    _svg,
    _text_width,
)


def grade_mix_by_group(
    groups: Sequence[tuple[str, Mapping[str | None, int]]],
    styles: Sequence[GradeStyle],
    title: str = "Grades by region",
    *,
    group_label: str = "Region",
    unit: str = "council",
    legend: bool = True,
    chart_id: str | None = None,
    for_print: bool = False,
) -> Chart:
    """Horizontal 100% stacked bars, one per group (region, neighbour set...).

    ``groups`` is ``[(group name, {grade key or None: count})]`` in display
    order; None counts as "not judged". Segments run best to worst in
    ``styles`` order and carry their count. ``unit`` names what is counted
    ("council" -> "24 councils"). Raises ValueError for a grade with no style.
    The table has one row per group: name, a count per grade shown, total. ``for_print``: the
    same picture without tooltips, cheaper for a PDF renderer (see ``Shapes``), and
    without a count on each segment: on paper the figures are the table printed beneath.
    """
    index = _style_index(styles)
    shown = _ordered_styles(index, styles, (k for _, c in groups for k, n in c.items() if n))
    prefix = chart_id or _chart_id("mix", title, groups, styles)

    width, pad, size = 640.0, 4.0, 14.0
    key, legend_h = _bar_legend(shown, prefix=prefix, legend=legend, width=width, pad=pad, size=size)
    bar_h, label_h, gap = 26.0, 20.0, 14.0
    y = pad + legend_h + 6
    shapes, rows = Shapes(prefix, for_print=for_print), []
    shapes.add(key)
    bar_w = width - 2 * pad
    for name, counts in groups:
        by_style: dict[str, int] = {}
        for key, n in counts.items():
            if n:
                style = _lookup(index, key)
                by_style[style.key] = by_style.get(style.key, 0) + n
        total = sum(by_style.values())
        shapes.add(
            f'<text x="{_n(pad)}" y="{_n(y + 15)}" font-weight="bold">{_e(name)}'
            f'<tspan font-weight="normal" fill="{MID_GREY}"> ({_e(_plural(total, unit))})'
            "</tspan></text>"
        )
        y += label_h
        shapes.add(
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
            fits = not for_print and _text_width(str(n), 12) + 8 <= w
            chip = _chip(x + w / 2, y + bar_h / 2, str(n), style, 12) if fits else ""
            shape = f'rect x="{_n(x)}" y="{_n(y)}" width="{_n(w)}" height="{_n(bar_h)}"'
            shapes.mark(shape, style, tip, chip, outline=f' stroke="{WHITE}"')
            x += w
        if not total:
            shapes.add(f'<text x="{_n(pad + 8)}" y="{_n(y + 18)}" fill="{MID_GREY}">No judgements</text>')
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
        body=_pattern_defs(shown, prefix, 8) + shapes.svg(width, height),
    )
    keys = () if legend else tuple(shown)
    return Chart(svg, Table(title, [group_label, *(s.label for s in shown), "Total"], rows), keys)


def grade_mix_over_time(
    years: Sequence[tuple[int, Mapping[str | None, int]]],
    styles: Sequence[GradeStyle],
    title: str = "Grades by year of publication",
    *,
    value_label: str = "Number of judgements",
    legend: bool = True,
    chart_id: str | None = None,
    for_print: bool = False,
) -> Chart:
    """Stacked columns of grade counts, one per year of publication.

    ``years`` is ``[(year, {grade key or None: count})]``; years missing
    between the first and last are shown as empty columns (and zero rows), so
    the time axis is even. Best grade at the bottom of each column. Raises
    ValueError for a grade with no style. The table has one row per year. ``for_print``: the
    same picture without tooltips, cheaper for a PDF renderer (see ``Shapes``), and
    without a count on each segment: on paper the figures are the table printed beneath.
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
    key, legend_h = _bar_legend(shown, prefix=prefix, legend=legend, width=width, pad=pad, size=size)
    totals = {y: sum(data.get(y, {}).values()) for y in all_years}
    ticks = _nice_ticks(max(totals.values(), default=0))
    axis_w = max(_text_width(str(ticks[-1]), 12) + 10, 30)
    top = pad + legend_h + 30
    plot_h, plot_x = 260.0, pad + axis_w
    plot_w = width - plot_x - pad
    bottom = top + plot_h
    shapes = Shapes(prefix, for_print=for_print)
    shapes.add(key)
    shapes.add(f'<text x="{_n(pad)}" y="{_n(top - 14)}" font-size="12" fill="{MID_GREY}">{_e(value_label)}</text>')
    for t in ticks:
        ty = bottom - plot_h * t / ticks[-1]
        shapes.add(
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
        if not for_print:
            shapes.add("<g>")
        for style in shown:
            n = data.get(year, {}).get(style.key, 0)
            if not n:
                continue
            h = plot_h * n / ticks[-1]
            tip = f"{year}: {style.label} {n} of {totals[year]}"
            fits = not for_print and h >= 17 and _text_width(str(n), 11) + 6 <= col_w
            chip = _chip(cx, y - h / 2, str(n), style, 11) if fits else ""
            shape = f'rect x="{_n(cx - col_w / 2)}" y="{_n(y - h)}" width="{_n(col_w)}" height="{_n(h)}"'
            shapes.mark(shape, style, tip, chip, outline=f' stroke="{WHITE}"')
            y -= h
        if totals[year]:
            shapes.add(
                f'<text x="{_n(cx)}" y="{_n(y - 5)}" text-anchor="middle" font-size="12"'
                f' font-weight="bold">{totals[year]}</text>'
            )
        if i % label_every == 0:
            shapes.add(f'<text x="{_n(cx)}" y="{_n(bottom + 18)}" text-anchor="middle" font-size="12">{year}</text>')
        if not for_print:
            shapes.add("</g>")
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
        body=_pattern_defs(shown, prefix, 8) + shapes.svg(width, height),
    )
    keys = () if legend else tuple(shown)
    return Chart(svg, Table(title, ["Year", *(s.label for s in shown), "Total"], rows), keys)


def _bar_legend(shown, *, prefix, legend, width, pad, size):
    """(legend SVG, its height) across the top of a bar chart; no legend takes no room."""
    key, height = _legend(
        [(s, s.label) for s in shown] if legend else [],
        prefix=prefix,
        x=pad,
        y=pad,
        max_width=width - 2 * pad,
        size=size,
    )
    return key, height if legend else 0

"""The councils table (django-tables2): one row per council, sortable by every column, exportable."""

from dataclasses import dataclass

import django_tables2 as tables
from django.utils.formats import localize
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django_tables2 import utils as tables_utils

from analysis.timing import timing_of

from .states import NO_INSPECTION, NOT_JUDGED

_signature = tables_utils.signature
_method_signatures = {}  # {function: its signature as a bound method}; methods are few and fixed


def _signature_once(fn):
    """django-tables2 inspects the signature of a column's render method for every cell (~1,800 on
    the councils table, a third of its cold render); a method's signature never changes, so it is
    worked out once per function, as Django does for its own (django.utils.inspect)."""
    function = getattr(fn, "__func__", None)
    if function is None:
        return _signature(fn)
    if function not in _method_signatures:
        _method_signatures[function] = _signature(fn)
    return _method_signatures[function]


tables_utils.signature = _signature_once


def grade_tag(grade, missing=NOT_JUDGED.label):
    """The same markup as includes/grade_tag.html, without a template render per cell."""
    if grade is None:
        return format_html('<span class="app-grade app-grade--none">{}</span>', missing)
    return format_html('<strong class="govuk-tag app-grade app-grade--{}">{}</strong>', grade.key, grade.short_label)


def _date_range(start, end):
    if start and end and start != end:
        if (start.year, start.month) == (end.year, end.month):
            return f"{start:%-d}–{end:%-d %b %Y}"
        return f"{start:%-d %b %Y} – {end:%-d %b %Y}"
    return f"{start:%-d %b %Y}" if start else ""


@dataclass
class RenderedRow:
    """A table row whose cells are already HTML: the first a row header, the rest cells."""

    record: object
    html: str


class GradeColumn(tables.Column):
    """A grade, shown as a tag and exported as its label; sorted by rank (best first)."""

    def __init__(self, *args, missing=NOT_JUDGED.label, **kwargs):
        self.missing = missing
        kwargs.setdefault("default", None)
        kwargs.setdefault("empty_values", ())
        super().__init__(*args, **kwargs)

    def render(self, value):
        return grade_tag(value, self.missing)

    def value(self, value):
        return value.label if value else ""


class CouncilsTable(tables.Table):
    """Rows are selectors.CouncilRow. Theme columns are added per table from the data's themes."""

    council = tables.Column(
        verbose_name="Council", accessor="council__name", order_by=("council__name",), attrs={"th": {"scope": "row"}}
    )
    urn = tables.Column(verbose_name="URN", accessor="council__urn", visible=False)
    la_code = tables.Column(verbose_name="LA code", accessor="council__la_code", visible=False)
    gss_code = tables.Column(verbose_name="GSS code", accessor="council__gss_code", visible=False)
    region = tables.Column(verbose_name="Region", accessor="council__region__name")
    council_type = tables.Column(verbose_name="Type", accessor="council__council_type", default="")
    overall = GradeColumn(verbose_name="Overall effectiveness", accessor="headline", order_by=("headline_rank",))
    published = tables.Column(
        verbose_name="Published", accessor="latest__published_date", default="", empty_values=(None, "")
    )
    inspected = tables.Column(verbose_name="Inspection started", accessor="latest__start_date", visible=False)
    inspection_end = tables.Column(verbose_name="Inspection ended", accessor="latest__end_date", visible=False)
    framework = tables.Column(verbose_name="Framework", accessor="latest__framework__short_name", default="")
    inspection_type = tables.Column(
        verbose_name="Inspection type", accessor="latest__get_inspection_type_display", visible=False
    )
    direction = tables.Column(
        verbose_name="Direction of travel", accessor="direction", order_by=("direction__sort_key", "council__name")
    )
    intervention = tables.Column(
        verbose_name="Intervention",
        accessor="interventions",
        order_by=("intervention_sort", "council__name"),
        empty_values=(),
    )
    # From analysis.timing's one rule; `timing` is set on each row by __init__ (no query: the latest
    # inspection's day is annotated on the councils, the latest graded inspection is the row's).
    days_since = tables.Column(
        verbose_name="Days since last inspection",
        accessor="timing__days_since",
        order_by=("timing__days_since_sort", "council__name"),
        default="",
        empty_values=(None,),
    )
    next_due = tables.Column(
        verbose_name="Next inspection due",
        accessor="timing",
        order_by=("timing__due_sort", "council__name"),
        empty_values=(),
    )

    class Meta:
        orderable = True
        order_by = ("council",)
        attrs = {"class": "govuk-table app-table app-councils-table"}

    def __init__(self, data, *, themes=(), caption="", today, **kwargs):
        for row in data:
            row.timing = timing_of(
                row.council,
                last_graded=row.latest,
                last_inspected_on=getattr(row.council, "last_inspected_on", None),
                today=today,
            )
        extra = [
            (
                f"theme_{theme}",
                GradeColumn(
                    verbose_name=label, accessor=f"grades__{theme}", order_by=(f"ranks__{theme}", "council__name")
                ),
            )
            for theme, label in themes
        ]
        self.caption = caption
        # Theme columns sit beside the overall grade, not at the end.
        names = list(self.base_columns)
        at = names.index("overall") + 1
        sequence = [*names[:at], *(name for name, _column in extra), *names[at:]]
        super().__init__(data, extra_columns=extra, sequence=sequence, **kwargs)

    @property
    def paginated_rows(self):
        """This page's rows, each rendered to HTML here: the template's loop over every cell (~2,000
        on the councils table) cost as much as working out the cells. The same markup, and the same
        escaping and localisation, as `{{ cell }}` in includes/govuk_table.html."""
        columns = list(self.columns)
        rendered = []
        for row in super().paginated_rows:
            # BoundRow.get_cell less its search of the columns by name (every column, every cell).
            cells = [
                conditional_escape(localize(row._get_and_render_with(column, row._call_render, column.default)))
                for column in columns
            ]
            html = "".join(
                f'<th scope="row" class="govuk-table__header">{cell}</th>'
                if at == 0
                else f'<td class="govuk-table__cell">{cell}</td>'
                for at, cell in enumerate(cells)
            )
            rendered.append(RenderedRow(row.record, mark_safe(html)))  # noqa: S308 (every cell escaped above)
        return rendered

    def render_council(self, value, record):
        return format_html(
            '<a class="govuk-link" href="{}">{}</a>', record.council.get_absolute_url(), record.council.name
        )

    def value_council(self, value):
        return value

    def render_overall(self, value, record):
        if value is None and record.latest is not None:
            return grade_tag(None, NOT_JUDGED.label)
        return grade_tag(value, NO_INSPECTION.label)

    def value_overall(self, value, record):
        if value is None:
            return NOT_JUDGED.label if record.latest else NO_INSPECTION.label
        return value.label

    def render_published(self, value, record):
        return format_html(
            '<span class="app-nowrap">{}</span><span class="app-table__secondary app-nowrap">inspected {}</span>',
            f"{value:%-d %b %Y}",
            _date_range(record.latest.start_date, record.latest.end_date),
        )

    def render_framework(self, value, record):
        kind = record.latest.get_inspection_type_display()
        if not kind:
            return value
        return format_html('{}<span class="app-table__secondary">{}</span>', value, kind.lower())

    def value_framework(self, value):
        return value

    def value_published(self, value):
        return value or ""  # a date: ISO text in CSV, a real date in Excel (inspections/exports.py)

    def value_inspected(self, value):
        return value or ""  # a date: ISO text in CSV, a real date in Excel (inspections/exports.py)

    def value_inspection_end(self, value):
        return value or ""  # a date: ISO text in CSV, a real date in Excel (inspections/exports.py)

    def render_direction(self, value):
        return format_html(
            '<span class="app-direction app-direction--{}">{}</span><span class="govuk-visually-hidden">: {}</span>',
            value.key,
            value.label,
            value.basis,
        )

    def value_direction(self, value):
        return f"{value.label}: {value.basis}"

    def render_intervention(self, value):
        if not value:
            return "None"
        return format_html_join(
            "",
            '<span class="app-intervention">{} since {}</span>',
            ((e.get_intervention_type_display(), f"{e.start_date:%b %Y}") for e in value),
        )

    def value_intervention(self, value):
        return (
            "; ".join(f"{e.get_intervention_type_display()} since {e.start_date.isoformat()}" for e in value) or "None"
        )

    def render_days_since(self, value):
        return f"{value:,}"

    def render_next_due(self, value):
        if value.window_opens:
            tag = {"open": ("yellow", "Window open"), "past": ("grey", "Past window")}.get(value.status)
            return format_html(
                '<span class="app-nowrap">{} to {}</span><span class="app-table__secondary">{}</span>{}',
                f"{value.window_opens:%b %Y}",
                f"{value.window_closes:%b %Y}",
                value.interval.next_inspection.lower(),
                format_html(' <strong class="govuk-tag govuk-tag--{}">{}</strong>', *tag) if tag else "",
            )
        if value.interval:
            words = value.interval.next_inspection
            return format_html('{}<span class="app-table__secondary">no fixed date</span>', words)
        return "Not known"

    def value_next_due(self, value):
        if value.window_opens:
            return f"{value.window_opens.isoformat()} to {value.window_closes.isoformat()}"
        return f"{value.interval.next_inspection}: no fixed date" if value.interval else "Not known"

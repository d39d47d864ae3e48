"""What a briefing is: its sections, the options chosen (sections, period), and the shaped result."""

import base64
import functools
import hashlib
import html
import re
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone
from django.utils.dateformat import format as format_date

# Sections, in the order a briefing prints them: {key: label}. The builder offers them as
# checkboxes; the PDF addresses take them as repeated `sections=` parameters.
COUNCIL_SECTIONS = {
    "headline": "Latest judgements",
    "journey": "Improvement journey",
    "grid": "Judgements across inspections",
    "trajectory": "Overall effectiveness over time",
    "recommendations": "Recommendations",
    "comparison": "Statistical neighbours and region",
    "sources": "Sources",
}
AREA_SECTIONS = {
    "headline": "Latest overall effectiveness",
    "mix": "Grade mix by judgement and region",
    "map": "Map",
    "changes": "Changes over the period",
    "concerns": "Councils judged inadequate or in intervention",
    "recent": "Recent publications",
    "councils": "Every council's latest judgements",
}
KINDS = {"council": COUNCIL_SECTIONS, "region": AREA_SECTIONS, "national": AREA_SECTIONS}

RECENT_LIMIT = 25  # publications listed in an area briefing; the count says how many there were


def long_date(value):
    """GOV.UK style: 20 September 2016."""
    return format_date(value, "j F Y") if value else ""


@dataclass(frozen=True)
class BriefingOptions:
    """What to include: section keys (in print order) and the period (either end may be open)."""

    sections: tuple
    date_from: date | None = None
    date_to: date | None = None

    @property
    def as_at(self):
        """The date the briefing describes: the end of the period, or today."""
        return self.date_to or timezone.localdate()

    def key(self):
        """A short stable string for cache keys and file names."""
        text = f"{','.join(self.sections)}|{self.date_from}|{self.date_to}|{self.as_at}"
        return hashlib.sha1(text.encode()).hexdigest()[:16]

    def includes(self, start, end=None):
        """Whether an event dated `start` (to `end`) falls in the period."""
        end = end or start
        if start is None:
            return False
        if self.date_from and end < self.date_from:
            return False
        return not (self.date_to and start > self.date_to)

    def period_words(self):
        """ "1 April 2016 to 31 March 2024", "up to 31 March 2024", "since 1 April 2016" or ""."""
        if self.date_from and self.date_to:
            return f"{long_date(self.date_from)} to {long_date(self.date_to)}"
        if self.date_to:
            return f"up to {long_date(self.date_to)}"
        if self.date_from:
            return f"since {long_date(self.date_from)}"
        return ""


def one_year_before(value):
    """The same day a year earlier (28 February for 29 February)."""
    try:
        return value.replace(year=value.year - 1)
    except ValueError:
        return value.replace(year=value.year - 1, day=28)


def default_options(kind):
    """Every section of a `kind` ("council", "region", "national"), whole history, as at today."""
    return BriefingOptions(sections=tuple(KINDS[kind]))


@dataclass
class Briefing:
    """A briefing ready to render: which template, its words for the PDF metadata, and its data."""

    kind: str
    title: str
    subject: str
    options: BriefingOptions
    template: str
    context: dict
    produced: date = field(default_factory=timezone.localdate)
    keywords: tuple = ()

    @property
    def as_at(self):
        return self.options.as_at

    @property
    def filename(self):
        slug = self.context.get("slug") or "england"
        return f"briefing-{slug}-{self.as_at.isoformat()}.pdf"

    def has(self, section):
        return section in self.options.sections


class PrintChart:
    """A charts.Chart (or maps.MapChart) that can also go into a PDF as an image: `data_uri`, `alt`."""

    def __init__(self, chart):
        self.chart = chart

    def __getattr__(self, name):
        return getattr(self.chart, name)

    def __html__(self):
        return self.chart.svg

    @functools.cached_property
    def data_uri(self):
        svg = getattr(self.chart, "print_svg", "") or self.chart.svg  # a map has a cheaper print form
        return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()

    @property
    def key(self):
        """[(grade key, label)] for a key printed as page text (swatches from the grade CSS) beside a chart."""
        return [(style.key, style.label) for style in getattr(self.chart, "keys", ())]

    @property
    def alt(self):
        match = re.search(r"<title[^>]*>(.*?)</title>", self.chart.svg, flags=re.S)
        return html.unescape(match.group(1)) if match else self.chart.table.caption


def printable(chart):
    return PrintChart(chart) if chart is not None else None

"""When each council was last inspected, how long its report took, and when the next ILACS inspection is due.

The intervals are data (`data/next_inspection_intervals.csv`), taken from Ofsted's framework
"Inspecting local authority children's services" (ILACS, from January 2018, revised 2023;
https://www.gov.uk/government/publications/inspecting-local-authority-childrens-services-from-2018):
councils judged good or outstanding get a short inspection and those judged requires improvement
a standard one, "usually between six months before and six months after the three-year
anniversary of the previous inspection"; councils judged inadequate get monitoring visits and are
re-inspected when Ofsted judges they are ready, with no fixed interval. The grade that decides is
the overall effectiveness judgement; where a framework makes none (April 2026 on), the worst grade.
"""

import csv
import datetime
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.db.models import OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce

from inspections.models import Council, Event, EventKind, Judgement
from inspections.selectors import headline_judgement

INTERVALS_FILE = Path(__file__).parent / "data" / "next_inspection_intervals.csv"
HORIZONS = (3, 6, 12)  # months ahead the national summary counts councils due in


@dataclass(frozen=True)
class Interval:
    grade: str
    next_inspection: str
    earliest_months: int | None
    latest_months: int | None
    note: str


@cache
def intervals():
    """{grade key: Interval} from the data file."""
    with INTERVALS_FILE.open(encoding="utf-8") as handle:
        return {
            row["grade"]: Interval(
                row["grade"],
                row["next_inspection"],
                int(row["earliest_months"]) if row["earliest_months"] else None,
                int(row["latest_months"]) if row["latest_months"] else None,
                row["note"],
            )
            for row in csv.DictReader(handle)
        }


def add_months(day, months):
    """`day` plus whole months (the last day of a shorter month if needed)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def deciding_grade(event):
    """The grade that sets the next inspection: overall effectiveness, else the worst grade."""
    headline = headline_judgement(event)
    if headline:
        return headline.grade
    grades = [j.grade for j in event.judgements.all()]
    return max(grades, key=lambda g: g.rank) if grades else None


def inspected_on(event):
    """The day an inspection counts from: its last day, else its first, else its publication."""
    return event.end_date or event.start_date or event.published_date


# The same day in SQL, for annotating many councils at once (see with_last_inspection).
INSPECTED_ON = Coalesce("end_date", "start_date", "published_date")


def with_last_inspection(councils):
    """`councils` (a Council queryset) annotated with `last_inspected_on`: the day its latest inspection
    of any kind of record, graded or not, counts from. No extra query: a subquery in the same SELECT."""
    latest = (
        Event.objects.inspections()
        .filter(council=OuterRef("pk"))
        .newest_first()
        .annotate(counts_from=INSPECTED_ON)
        .values("counts_from")[:1]
    )
    return councils.annotate(last_inspected_on=Subquery(latest))


@dataclass
class CouncilTiming:
    council: Council
    last_inspection: Event | None  # the latest inspection of any kind of record, graded or not
    last_graded: Event | None
    grade: object  # Grade or None
    interval: Interval | None
    today: datetime.date
    inspected_on: datetime.date | None = None  # the day the last inspection counts from

    @property
    def days_since(self):
        return (self.today - self.inspected_on).days if self.inspected_on else None

    @property
    def days_to_publish(self):
        event = self.last_inspection
        if event is None or not event.published_date or not (event.end_date or event.start_date):
            return None
        return (event.published_date - (event.end_date or event.start_date)).days

    @property
    def _anchor(self):
        return inspected_on(self.last_graded) if self.last_graded else None

    @property
    def window_opens(self):
        if self.interval is None or self.interval.earliest_months is None or self._anchor is None:
            return None
        return add_months(self._anchor, self.interval.earliest_months)

    @property
    def window_closes(self):
        if self.interval is None or self.interval.latest_months is None or self._anchor is None:
            return None
        return add_months(self._anchor, self.interval.latest_months)

    @property
    def status(self):
        """A word for where the council stands against its window (for sorting and the table)."""
        if self.window_opens is None:
            return "no_window"
        if self.window_closes < self.today:
            return "past"
        if self.window_opens <= self.today:
            return "open"
        return "upcoming"

    @property
    def days_since_sort(self):
        """Days since, for sorting a table: councils never inspected after every other."""
        return self.days_since if self.days_since is not None else 10**6

    @property
    def due_sort(self):
        """The window's opening, for sorting a table: no fixed window (inadequate), then no grade, last."""
        if self.window_opens is not None:
            return (0, self.window_opens)
        return (1 if self.interval else 2, self.today)

    def due_within(self, months):
        """Whether the window is open now or opens within `months` months."""
        return self.status in ("open", "upcoming") and self.window_opens <= add_months(self.today, months)


def timing_of(council, *, last_graded, today, last_inspection=None, last_inspected_on=None):
    """The CouncilTiming of a council from its latest graded inspection (judgements prefetched) and its
    latest inspection of any kind (or, without that event, the day it counts from). No queries."""
    grade = deciding_grade(last_graded) if last_graded else None
    return CouncilTiming(
        council=council,
        last_inspection=last_inspection,
        last_graded=last_graded,
        grade=grade,
        interval=intervals().get(grade.key) if grade else None,
        today=today,
        inspected_on=inspected_on(last_inspection) if last_inspection else last_inspected_on,
    )


def timing_from_timeline(council, timeline, *, today):
    """The CouncilTiming of a council from its events oldest first (judgements prefetched), as the
    council page holds them. No queries."""
    inspections = [e for e in timeline if e.kind == EventKind.INSPECTION]
    graded = [e for e in inspections if e.judgements.all()]
    return timing_of(
        council,
        last_graded=graded[-1] if graded else None,
        last_inspection=inspections[-1] if inspections else None,
        today=today,
    )


def council_timings(*, today):
    """A CouncilTiming for every active council, by name. Three queries."""
    latest_any = Event.objects.inspections().filter(council=OuterRef("pk")).newest_first().values("pk")[:1]
    councils = list(
        Council.objects.active()
        .with_region()
        .with_latest_graded_id()
        .annotate(latest_inspection_id=Subquery(latest_any))
        .order_by("name")
    )
    ids = {c.latest_graded_id for c in councils} | {c.latest_inspection_id for c in councils}
    events = Event.objects.filter(pk__in=ids - {None}).select_related("framework")
    events = {
        e.pk: e
        for e in events.prefetch_related(Prefetch("judgements", Judgement.objects.select_related("area", "grade")))
    }
    return [
        timing_of(
            council,
            last_graded=events.get(council.latest_graded_id),
            last_inspection=events.get(council.latest_inspection_id),
            today=today,
        )
        for council in councils
    ]


def due_counts(timings):
    """[(months, number of councils due within that many months)] for the national summary."""
    return [(months, sum(1 for t in timings if t.due_within(months))) for months in HORIZONS]

"""The councils table: each council's latest two graded inspections, grades by theme and direction of travel."""

from dataclasses import dataclass

from ..models import Council, Event, Grade
from .judgements import Direction, direction_of_travel, headline_judgement, read_judgements, worst_by_theme
from .national import _standing


@dataclass
class CouncilRow:
    """One row of the councils table: a council, its latest two graded inspections and where it stands."""

    council: object
    latest: object  # Event or None
    previous: object  # Event or None
    headline: object  # Grade or None
    bucket: str  # grade key; states.NOT_JUDGED.key or NO_INSPECTION.key
    grades: dict  # {theme: Grade} of the latest graded inspection (worst if a theme is judged twice)
    direction: Direction
    interventions: list  # intervention Events in force

    @property
    def ranks(self):
        """{theme: grade rank} for sorting; themes not judged sort after every grade."""
        from collections import defaultdict

        return defaultdict(lambda: 9, {theme: grade.rank for theme, grade in self.grades.items()})

    @property
    def intervention_sort(self):
        return 0 if self.interventions else 1

    @property
    def headline_rank(self):
        return self.headline.rank if self.headline else 90 if self.latest else 99


@dataclass
class CouncilTable:
    """Rows of the councils table and the themes (beyond the headline) that their latest inspections judged."""

    rows: list  # [CouncilRow] by council name
    themes: list  # [(theme, label)] in theme order, excluding the headline judgement's theme


def council_table(*, councils, as_at=None):
    """Rows for the councils table: every council of `councils` (a Council queryset, e.g. filtered).

    For each: latest and previous graded inspections, grades by theme, direction of travel and the
    government interventions in force on `as_at` (default today). Four queries whatever the data.
    """
    from django.utils import timezone

    as_at = as_at or timezone.localdate()
    council_rows = list(councils.with_region().with_latest_and_previous_graded_ids().order_by("name"))
    ids = {i for c in council_rows for i in (c.latest_graded_id, c.previous_graded_id) if i}
    events = {e.pk: e for e in read_judgements(Event.objects.filter(pk__in=ids).select_related("framework"))}
    by_pk = {c.pk: c for c in council_rows}
    for event in events.values():
        event.council = by_pk[event.council_id]  # the row's council, not a second copy of each
    in_force = {}
    for event in Event.objects.filter(council__in=councils).interventions_in_force(as_at).order_by("start_date"):
        in_force.setdefault(event.council_id, []).append(event)

    rows, themes, headline_themes = [], {}, set()
    for council in council_rows:
        latest, previous = events.get(council.latest_graded_id), events.get(council.previous_graded_id)
        standing = _standing(council, latest)
        grades = worst_by_theme(latest) if latest else {}
        headline = headline_judgement(latest)
        if headline:
            headline_themes.add(headline.area.theme)
        for j in latest.judgements.all() if latest else ():
            themes.setdefault(j.area.theme, (j.area.theme_order, j.area.theme_label))
        rows.append(
            CouncilRow(
                council=council,
                latest=latest,
                previous=previous,
                headline=standing.headline,
                bucket=standing.bucket,
                grades=grades,
                direction=direction_of_travel(latest, previous),
                interventions=in_force.get(council.pk, []),
            )
        )
    shown = sorted((order, theme, label) for theme, (order, label) in themes.items() if theme not in headline_themes)
    return CouncilTable(rows=rows, themes=[(theme, label) for _order, theme, label in shown])


def filter_vocabulary():
    """Choices for the councils table filters, as plain lists (cacheable). Four queries.

    {"regions": [(slug, name)], "council_types": [str], "frameworks": [(key, short name)],
    "grades": [(key, label)] best first}.
    """
    from ..models import Framework, Region

    types = Council.objects.active().exclude(council_type="").values_list("council_type", flat=True).distinct()
    return {
        "regions": list(Region.objects.order_by("name").values_list("slug", "name")),
        "council_types": sorted(set(types)),
        "frameworks": list(Framework.objects.order_by("applies_from", "key").values_list("key", "short_name")),
        "grades": list(Grade.objects.order_by("rank", "key").values_list("key", "label")),
    }

"""Read methods that name the domain's questions, with their joins and prefetches inside."""

import datetime
import re

from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce

# Words people add to a council's name that our names may not carry.
SEARCH_IGNORED_WORDS = {"and", "the", "of", "county", "council", "borough", "metropolitan", "district", "city", "royal"}


class CouncilQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def with_region(self):
        return self.select_related("region")

    def search(self, term):
        """Councils whose name, URN, LA code or GSS code matches what a user typed.

        Names match loosely: every word typed must appear in the name, ignoring punctuation, "&"/"and"
        and words such as "County Council" ("St Helens" finds "St. Helens", "Durham County" Durham).
        """
        term = (term or "").strip()
        if not term:
            return self
        words = [w for w in re.findall(r"\w+", term.casefold()) if w not in SEARCH_IGNORED_WORDS]
        by_name = Q(name__icontains=term)
        if words:
            loose = Q()
            for word in words:
                loose &= Q(name__icontains=word)
            by_name |= loose
        match = by_name | Q(gss_code__iexact=term) | Q(la_code=term)
        if term.isdigit():
            match |= Q(urn=int(term))
        return self.filter(match)

    def with_latest_graded_id(self):
        """Annotate `latest_graded_id`: the council's most recent inspection that has judgements."""
        from .models import Event

        latest = Event.objects.graded().filter(council=OuterRef("pk")).newest_first().values("pk")[:1]
        return self.annotate(latest_graded_id=Subquery(latest))

    def with_latest_and_previous_graded_ids(self):
        """Annotate `latest_graded_id` and `previous_graded_id` (the graded inspection before it)."""
        from .models import Event

        graded = Event.objects.graded().filter(council=OuterRef("pk")).newest_first().values("pk")
        return self.annotate(latest_graded_id=Subquery(graded[:1]), previous_graded_id=Subquery(graded[1:2]))

    def whose_latest_graded(self, events):
        """Councils whose most recent graded inspection is one of `events` (an Event queryset)."""
        from .models import Event

        return self.filter(pk__in=Event.objects.latest_graded_per_council().filter(pk__in=events).values("council_id"))

    def never_graded(self):
        from .models import Event

        return self.exclude(pk__in=Event.objects.graded().values("council_id"))

    def in_intervention(self, as_at):
        """Councils with a government intervention in force on `as_at`."""
        from .models import Event

        return self.filter(pk__in=Event.objects.interventions_in_force(as_at).values("council_id"))


class EventQuerySet(models.QuerySet):
    def inspections(self):
        from .models import EventKind

        return self.filter(kind=EventKind.INSPECTION)

    def graded(self):
        """Inspections that gave at least one grade (history rows with unreadable grades are not);
        `Event.is_graded` is the same rule for an event already read."""
        from .models import Judgement

        return self.inspections().filter(Exists(Judgement.objects.filter(event=OuterRef("pk"))))

    def with_sort_date(self):
        return self.annotate(sort_date=Coalesce("start_date", "published_date"))

    def chronological(self):
        """Oldest first. A date known only to the month or year comes after the events dated within
        that month or year ("2018" after "4 September 2018"): it may be any day of it, and the
        sources place such events after what they follow."""
        from django.db.models import Case, IntegerField, Value, When
        from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear

        from .models import DatePrecision

        return (
            self.with_sort_date()
            .annotate(
                _year=ExtractYear("sort_date"),
                _month=Case(
                    When(date_precision=DatePrecision.YEAR, then=Value(13)),
                    default=ExtractMonth("sort_date"),
                    output_field=IntegerField(),
                ),
                _day=Case(
                    When(date_precision__in=[DatePrecision.YEAR, DatePrecision.MONTH], then=Value(32)),
                    default=ExtractDay("sort_date"),
                    output_field=IntegerField(),
                ),
            )
            .order_by("_year", "_month", "_day", "sort_date", "kind", "pk")
        )

    def newest_first(self):
        return self.with_sort_date().order_by("-sort_date", "-pk")

    def latest_graded_per_council(self):
        """Each council's most recent graded inspection (one per council that has any)."""
        from .models import Event

        latest = Event.objects.graded().filter(council=OuterRef("council")).newest_first().values("pk")[:1]
        return self.graded().filter(pk=Subquery(latest))

    def with_headline_grade(self, grade_key):
        """Inspections whose headline (overall) judgement is `grade_key`."""
        from .models import Judgement

        return self.filter(
            Exists(
                Judgement.objects.filter(
                    event=OuterRef("pk"), area_id=OuterRef("framework__headline_area_id"), grade__key=grade_key
                )
            )
        )

    def without_headline_grade(self):
        """Inspections with no headline judgement (their framework makes none, or it was not recorded)."""
        from .models import Judgement

        return self.exclude(
            Exists(Judgement.objects.filter(event=OuterRef("pk"), area_id=OuterRef("framework__headline_area_id")))
        )

    def with_any_grade(self, grade_key):
        """Inspections that gave `grade_key` in at least one area."""
        from .models import Judgement

        return self.filter(Exists(Judgement.objects.filter(event=OuterRef("pk"), grade__key=grade_key)))

    def interventions_in_force(self, as_at):
        """Government interventions started on or before `as_at` and not ended before it;
        `Event.is_in_force` is the same rule for an event already read."""
        from .models import EventKind

        return self.filter(kind=EventKind.INTERVENTION, start_date__lte=as_at).exclude(end_date__lt=as_at)

    def published_between(self, start, end):
        return self.filter(published_date__gte=start, published_date__lte=end)

    def with_judgements(self):
        from .models import Judgement

        return self.select_related("council", "framework").prefetch_related(
            Prefetch("judgements", Judgement.objects.select_related("area", "grade").order_by("area__theme_order"))
        )

    def with_details(self):
        """Everything a timeline shows: framework, judgements, recommendations and their updates."""
        from .models import Recommendation, RecommendationUpdate

        return self.with_judgements().prefetch_related(
            Prefetch(
                "recommendations",
                Recommendation.objects.with_standing()
                .order_by("addressed_to", "number")
                .prefetch_related(Prefetch("updates", RecommendationUpdate.objects.select_related("created_by"))),
            )
        )


# Local Safeguarding Children Boards were replaced by safeguarding partnerships by this date, so none
# of their recommendations is open after it.
LSCBS_ENDED = datetime.date(2019, 9, 29)


class RecommendationQuerySet(models.QuerySet):
    """Where each recommendation stands: the one definition of "open" that pages, the API, exports
    and briefings share."""

    def with_standing(self, as_at=None):
        """Annotate `standing` and `is_open` as at `as_at` (default today).

        `standing`: "met" once an editor records it met; for an LSCB's recommendation, "lscb_ended"
        from 29 September 2019; "superseded" once the council's next inspection is published (the
        new report re-judges everything and sets its own list), unless an editor recorded a status
        on or after that day; otherwise the status an editor recorded ("open" until then).
        `is_open`: open or in progress, and addressed to the council (an LSCB's never counts as
        the council's).
        """
        from django.db.models import BooleanField, Case, CharField, F, Min, OuterRef, Q, Subquery, Value, When
        from django.utils import timezone

        from .models import AddressedTo, Event, EventKind, RecommendationStatus, RecommendationUpdate

        as_at = as_at or timezone.localdate()
        superseded_on = (
            Event.objects.filter(council_id=OuterRef("event__council_id"), kind=EventKind.INSPECTION)
            .with_sort_date()
            .annotate(public_on=Coalesce("published_date", "start_date"))
            .filter(sort_date__gt=OuterRef("_event_date"), public_on__lte=as_at)
            .values("council_id")
            .annotate(first=Min("public_on"))
            .values("first")[:1]
        )
        last_update = (
            RecommendationUpdate.objects.filter(recommendation=OuterRef("pk")).order_by("-date").values("date")[:1]
        )
        rules = [When(status=RecommendationStatus.MET, then=Value(RecommendationStatus.MET))]
        if as_at >= LSCBS_ENDED:
            rules.append(When(addressed_to=AddressedTo.LSCB, then=Value(STANDING_LSCB_ENDED)))
        rules.append(
            When(
                Q(_superseded_on__isnull=False)
                & (Q(_last_update__isnull=True) | Q(_last_update__lt=F("_superseded_on"))),
                then=Value(RecommendationStatus.SUPERSEDED),
            )
        )
        open_standings = [RecommendationStatus.OPEN, RecommendationStatus.IN_PROGRESS]
        return (
            self.annotate(
                _event_date=Coalesce("event__start_date", "event__published_date"),
                _superseded_on=Subquery(superseded_on),
                _last_update=Subquery(last_update),
            )
            .annotate(standing=Case(*rules, default=F("status"), output_field=CharField()))
            .annotate(
                is_open=Case(
                    When(Q(standing__in=open_standings) & Q(addressed_to=AddressedTo.COUNCIL), then=Value(True)),
                    default=Value(False),
                    output_field=BooleanField(),
                )
            )
        )

    def still_open(self, as_at=None):
        """The council's recommendations still open (or in progress) on `as_at` (default today)."""
        return self.with_standing(as_at).filter(is_open=True)


# The standing of an LSCB's recommendation once LSCBs were abolished; not a status an editor records.
STANDING_LSCB_ENDED = "lscb_ended"

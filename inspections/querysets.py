"""Read methods that name the domain's questions, with their joins and prefetches inside."""

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
        """Inspections that gave at least one grade (history rows with unreadable grades are not)."""
        from .models import Judgement

        return self.inspections().filter(Exists(Judgement.objects.filter(event=OuterRef("pk"))))

    def with_sort_date(self):
        return self.annotate(sort_date=Coalesce("start_date", "published_date"))

    def chronological(self):
        return self.with_sort_date().order_by("sort_date", "kind", "pk")

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
        """Government interventions started on or before `as_at` and not ended before it."""
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
                Recommendation.objects.order_by("addressed_to", "number").prefetch_related(
                    Prefetch("updates", RecommendationUpdate.objects.select_related("created_by"))
                ),
            )
        )


class RecommendationQuerySet(models.QuerySet):
    def still_open(self):
        from .models import RecommendationStatus

        return self.filter(status__in=[RecommendationStatus.OPEN, RecommendationStatus.IN_PROGRESS])

"""Read methods that name the domain's questions, with their joins and prefetches inside."""

from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce


class CouncilQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def with_region(self):
        return self.select_related("region")

    def search(self, term):
        """Councils whose name, URN, LA code or GSS code matches what a user typed."""
        term = (term or "").strip()
        if not term:
            return self
        match = Q(name__icontains=term) | Q(gss_code__iexact=term) | Q(la_code=term)
        if term.isdigit():
            match |= Q(urn=int(term))
        return self.filter(match)

    def with_latest_graded_id(self):
        """Annotate `latest_graded_id`: the council's most recent inspection that has judgements."""
        from .models import Event

        latest = Event.objects.graded().filter(council=OuterRef("pk")).newest_first().values("pk")[:1]
        return self.annotate(latest_graded_id=Subquery(latest))


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

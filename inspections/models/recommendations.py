"""Recommendations of an inspection and their dated status updates."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from ..querysets import STANDING_LSCB_ENDED, RecommendationQuerySet
from .events import Event


class AddressedTo(models.TextChoices):
    COUNCIL = "council", "Council"
    LSCB = "lscb", "Local Safeguarding Children Board"


class RecommendationStatus(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    MET = "met", "Met"
    SUPERSEDED = "superseded", "Superseded"


class Recommendation(models.Model):
    """Something an inspection said must improve, and where the council has got to with it."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="recommendations")
    addressed_to = models.CharField(max_length=10, choices=AddressedTo.choices, default=AddressedTo.COUNCIL)
    number = models.PositiveSmallIntegerField(help_text="Order within its list, from 1.")
    text = models.TextField()
    priority = models.BooleanField(
        default=False, help_text="A focused visit's area for priority action (earlier letters mark these)."
    )
    status = models.CharField(max_length=12, choices=RecommendationStatus.choices, default=RecommendationStatus.OPEN)
    history = HistoricalRecords()

    objects = RecommendationQuerySet.as_manager()

    class Meta:
        ordering = ["event", "addressed_to", "number"]
        constraints = [
            models.UniqueConstraint(fields=["event", "addressed_to", "number"], name="recommendation_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="recommendation_number_positive"),
            models.CheckConstraint(
                condition=Q(status__in=RecommendationStatus.values), name="recommendation_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(addressed_to__in=AddressedTo.values), name="recommendation_addressed_to_valid"
            ),
        ]

    def __str__(self):
        return f"{self.number}. {self.text[:80]}"

    @property
    def standing_label(self):
        """The words for where it stands (`standing`, annotated by RecommendationQuerySet.with_standing)."""
        return STANDING_LABELS.get(self.standing, self.standing)


STANDING_LABELS = {
    **dict(RecommendationStatus.choices),
    STANDING_LSCB_ENDED: "Closed: LSCBs were replaced in September 2019",
}


class RecommendationUpdate(models.Model):
    """A dated change of a recommendation's status, with a note and optional evidence."""

    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="updates")
    date = models.DateField()
    status = models.CharField(max_length=12, choices=RecommendationStatus.choices)
    note = models.TextField(blank=True)
    evidence_url = models.URLField("evidence link", max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["recommendation", "date", "created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=RecommendationStatus.values), name="update_status_valid"),
        ]

    def __str__(self):
        return f"{self.date}: {self.get_status_display()}"

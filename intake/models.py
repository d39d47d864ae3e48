"""Reports on their way in (waiting for review, confirmed or rejected), every file link seen on
Ofsted's site, and each run of the daily sync."""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse


class Source(models.TextChoices):
    UPLOAD = "upload", "Uploaded"
    COMMAND = "command", "Imported"
    SYNC = "sync", "Fetched from Ofsted"


class Status(models.TextChoices):
    PENDING = "pending", "Waiting for review"
    CONFIRMED = "confirmed", "Confirmed"
    REJECTED = "rejected", "Rejected"


class IntakeReportQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=Status.PENDING)

    def for_review(self):
        return self.pending().select_related("council", "duplicate_of", "duplicate_of__council", "uploaded_by")


class IntakeReport(models.Model):
    """A report file and what the reader found in it, kept until an editor confirms or rejects it."""

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    source = models.CharField(max_length=10, choices=Source.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    filename = models.CharField(max_length=300)
    file = models.FileField(upload_to="pending/", blank=True, max_length=200)
    sha256 = models.CharField(max_length=64, blank=True)
    reading = models.JSONField(null=True, blank=True, help_text="What the reader found (its to_dict()).")
    error = models.TextField(blank=True, help_text="Why the file could not be read, if it could not.")
    flags = models.JSONField(default=list, blank=True, help_text="What an editor should check, as sentences.")
    council = models.ForeignKey(
        "inspections.Council", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    duplicate_of = models.ForeignKey(
        "inspections.Event", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    event = models.ForeignKey("inspections.Event", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    source_url = models.URLField(max_length=500, blank=True)
    label = models.CharField(max_length=300, blank=True, help_text="The link's label on Ofsted's site.")
    listed_published_date = models.DateField(null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = IntakeReportQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["status", "source", "created_at"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(source__in=Source.values), name="intake_source_valid"),
            models.CheckConstraint(condition=models.Q(status__in=Status.values), name="intake_status_valid"),
        ]

    def __str__(self):
        return f"{self.filename} ({self.get_status_display().lower()})"

    def get_absolute_url(self):
        return reverse("intake:review_check", args=[self.token])


class LinkStatus(models.TextChoices):
    NEW = "new", "New"
    KNOWN = "known", "Known"
    UPDATED = "updated", "Updated"
    FAILED = "failed", "Failed"
    SKIPPED = "skipped", "Skipped"


# A link in one of these states has been dealt with: the next run does not fetch it again.
DONE_LINK_STATUSES = [LinkStatus.NEW, LinkStatus.KNOWN, LinkStatus.UPDATED]


class OfstedLink(models.Model):
    """A report's file link seen on a council's page on Ofsted's site, and what became of it."""

    url = models.CharField(max_length=500, unique=True)
    urn = models.PositiveIntegerField("URN", db_index=True)
    label = models.CharField(max_length=300, blank=True)
    kind = models.CharField(max_length=20, blank=True)
    published_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=LinkStatus.choices)
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    intake_report = models.ForeignKey(IntakeReport, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    event = models.ForeignKey("inspections.Event", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    first_seen = models.DateTimeField(auto_now_add=True)
    last_checked = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["urn", "published_date"]

    def __str__(self):
        return self.url


class RunStatus(models.TextChoices):
    RUNNING = "running", "Running"
    FINISHED = "finished", "Finished"
    FINISHED_WITH_FAILURES = "failures", "Finished with failures"
    FAILED = "failed", "Failed"
    INTERRUPTED = "interrupted", "Interrupted"


class SyncRun(models.Model):
    """One run of the sync with Ofsted's site: when, where, what it found and what went wrong."""

    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    host = models.CharField(max_length=200)
    pid = models.PositiveIntegerField()
    status = models.CharField(max_length=12, choices=RunStatus.choices, default=RunStatus.RUNNING)
    options = models.JSONField(default=dict, blank=True)
    councils = models.PositiveIntegerField(default=0)
    counts = models.JSONField(default=dict, blank=True, help_text="Reports found, by status.")
    failures = models.JSONField(default=list, blank=True, help_text="[{urn, url, error}]")
    unknown_labels = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]

    def __str__(self):
        return f"Sync of {self.started_at:%Y-%m-%d %H:%M} on {self.host}: {self.get_status_display()}"

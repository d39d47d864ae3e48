"""Timeline events (inspections, visits, interventions, milestones) and their judgements."""

from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from ..querysets import EventQuerySet
from .councils import OFSTED_REPORT_LINK, Council
from .vocabulary import Framework, FrameworkArea, Grade, JudgementArea


class EventKind(models.TextChoices):
    INSPECTION = "inspection", "Inspection"
    MONITORING_VISIT = "monitoring_visit", "Monitoring visit"
    FOCUSED_VISIT = "focused_visit", "Focused visit"
    JTAI = "jtai", "Joint targeted area inspection"
    INTERVENTION = "intervention", "Government intervention"
    MILESTONE = "milestone", "Milestone"


class InspectionType(models.TextChoices):
    STANDARD = "standard", "Standard"
    SHORT = "short", "Short"


class InterventionType(models.TextChoices):
    IMPROVEMENT_NOTICE = "improvement_notice", "Improvement notice"
    STATUTORY_DIRECTION = "statutory_direction", "Statutory direction"
    COMMISSIONER = "commissioner", "Commissioner appointed"
    IMPROVEMENT_BOARD = "improvement_board", "Improvement board"
    TRUST = "trust", "Children's trust"


class MilestoneType(models.TextChoices):
    LEADERSHIP_CHANGE = "leadership_change", "Leadership change"
    FUNDING_DECISION = "funding_decision", "Funding decision"
    ADVISER_LETTER = "adviser_letter", "Adviser's letter"
    OTHER = "other", "Other"


# Kinds that Ofsted publishes a report or letter for; one per council and start date.
REPORTED_KINDS = [EventKind.INSPECTION, EventKind.MONITORING_VISIT, EventKind.FOCUSED_VISIT, EventKind.JTAI]


class DatePrecision(models.TextChoices):
    DAY = "day", "Day"
    MONTH = "month", "Month"
    YEAR = "year", "Year"


class DocumentLink(NamedTuple):
    """A copy of an event's report or letter: its address and the words its link says."""

    href: str
    words: str
    ofsted: bool = False  # Ofsted's own copy


class Event(models.Model):
    """Anything on a council's timeline: an inspection, a visit, an intervention or a milestone."""

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    title = models.CharField(max_length=300, blank=True)
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, null=True, blank=True, related_name="events")
    inspection_type = models.CharField(max_length=10, choices=InspectionType.choices, blank=True)
    intervention_type = models.CharField(max_length=30, choices=InterventionType.choices, blank=True)
    milestone_type = models.CharField(max_length=30, choices=MilestoneType.choices, blank=True)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    published_date = models.DateField(null=True, blank=True)
    date_precision = models.CharField(max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY)
    lead_inspector = models.CharField(max_length=200, blank=True)
    inspectors = models.JSONField(
        default=list, blank=True, help_text="Every inspector the report names, the lead inspector first."
    )
    focus_key = models.SlugField(
        "focus", max_length=40, blank=True, help_text="The visit's focus as a short key (the reader's vocabulary)."
    )
    focus = models.CharField("focus area", max_length=300, blank=True)
    summary = models.TextField(blank=True)
    source_url = models.URLField("source link", max_length=500, blank=True)
    source_name = models.CharField(
        max_length=300, blank=True, help_text="Where the facts came from, e.g. the report's file name."
    )
    report_file = models.FileField(upload_to="reports/%Y/", blank=True)
    version = models.PositiveIntegerField(
        default=1, editable=False, help_text="Bumped on every save (optimistic locking)."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["council", "start_date"]
        indexes = [
            models.Index(fields=["council", "kind", "start_date"]),
            models.Index(fields=["kind", "published_date"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__isnull=False) | Q(published_date__isnull=False),
                name="event_has_a_date",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(start_date__isnull=False) & Q(end_date__gte=F("start_date")),
                name="event_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(published_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(published_date__gte=F("start_date")),
                name="event_published_after_start",
            ),
            models.CheckConstraint(
                condition=Q(published_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(published_date__gte=F("end_date")),
                name="event_published_after_end",
            ),
            models.CheckConstraint(
                condition=Q(kind=EventKind.INSPECTION) | Q(framework__isnull=True, inspection_type=""),
                name="event_framework_only_on_inspections",
            ),
            models.CheckConstraint(
                condition=Q(kind=EventKind.INTERVENTION) & ~Q(intervention_type="")
                | ~Q(kind=EventKind.INTERVENTION) & Q(intervention_type=""),
                name="event_intervention_type_matches_kind",
            ),
            models.CheckConstraint(
                condition=Q(kind=EventKind.MILESTONE) & ~Q(milestone_type="")
                | ~Q(kind=EventKind.MILESTONE) & Q(milestone_type=""),
                name="event_milestone_type_matches_kind",
            ),
            models.CheckConstraint(
                condition=~Q(kind=EventKind.INTERVENTION) | Q(published_date__isnull=True),
                name="event_intervention_not_published",
            ),
            models.CheckConstraint(condition=Q(kind__in=EventKind.values), name="event_kind_valid"),
            models.UniqueConstraint(
                fields=["council", "kind", "start_date"],
                condition=Q(start_date__isnull=False) & Q(kind__in=REPORTED_KINDS),
                name="event_once_per_council_kind_start",
            ),
        ]

    def __str__(self):
        return f"{self.council} — {self.display_title} ({self.date})"

    def get_absolute_url(self):
        return reverse("inspections:event_detail", args=[self.pk])

    @property
    def date(self):
        """The date the timeline sorts by: when it started, or failing that when it was published."""
        return self.start_date or self.published_date

    @property
    def when(self):
        """Its date as far as it is known: "4 July 2016", "March 2011" or "2017" (never a made-up day)."""
        return _known(self.date, self.date_precision, day="j F Y", month="F Y")

    @property
    def published_when(self):
        """When it was published, as far as known ("2 February 2024", or "March 2012" for an undated
        event known only by its month of publication); "" if not published."""
        if self.published_date is None:
            return ""
        precision = DatePrecision.DAY if self.start_date else self.date_precision
        return _known(self.published_date, precision, day="j F Y", month="F Y")

    @property
    def chart_date(self):
        """The date a chart places it at (published, else its date), printing only what is known."""
        from ..charts import KnownDate

        value = self.published_date or self.date
        return KnownDate(value.year, value.month, value.day, label=self.published_when or self.when)

    @property
    def when_short(self):
        """The same, short: "Jul 2016", "Mar 2011" or "2017"."""
        return _known(self.date, self.date_precision, day="M Y", month="M Y")

    @property
    def is_graded(self):
        """An inspection that gave at least one grade: `EventQuerySet.graded()` for an event already
        read (uses its prefetched judgements)."""
        return self.kind == EventKind.INSPECTION and bool(self.judgements.all())

    def is_in_force(self, as_at):
        """A government intervention started on or before `as_at` and not ended before it:
        `EventQuerySet.interventions_in_force()` for an event already read."""
        return (
            self.kind == EventKind.INTERVENTION
            and self.start_date is not None
            and self.start_date <= as_at
            and (self.end_date is None or self.end_date >= as_at)
        )

    @property
    def ofsted_report_url(self):
        """The link to Ofsted's own copy of the report or letter, when we hold one."""
        return self.source_url if self.source_url.startswith(OFSTED_REPORT_LINK) else ""

    @property
    def document_links(self):
        """[DocumentLink] the copies of its report or letter a reader can open, in the words every page
        and briefing uses: Ofsted's own copy (else any other source, unless Ofsted lists a dated report
        the source would stand in for), then the copy held in the tracker."""
        links = []
        if self.ofsted_report_url:
            links.append(DocumentLink(self.ofsted_report_url, f"Ofsted {self.document_word} (PDF)", ofsted=True))
        elif self.source_url and not (self.is_published_by_ofsted and self.published_date):
            links.append(DocumentLink(self.source_url, "Source"))
        if self.report_file:
            href = reverse("inspections:event_report_file", args=[self.pk])
            links.append(DocumentLink(href, f"Copy of the {self.document_word} held in the tracker (PDF)"))
        return links

    @property
    def is_published_by_ofsted(self):
        """Whether Ofsted publishes a report or letter for events of this kind."""
        return self.kind in REPORTED_KINDS

    @property
    def document_word(self):
        """What Ofsted published for it: a report (inspections) or a letter (visits, JTAIs)."""
        return "report" if self.kind == EventKind.INSPECTION else "letter"

    @property
    def display_title(self):
        if self.title:
            return self.title
        if self.kind == EventKind.INSPECTION:
            return (
                f"{self.framework.short_name} inspection"
                if self.framework_id
                else "Inspection (framework not recorded)"
            )
        if self.kind == EventKind.INTERVENTION:
            return self.get_intervention_type_display()
        if self.kind == EventKind.MILESTONE:
            return self.get_milestone_type_display()
        return self.get_kind_display()

    def validate_constraints(self, exclude=None):
        """Check only the uniqueness constraint here: clean() states every check constraint's rule
        in a sentence an editor understands (and the database enforces them all), so asking the
        database to evaluate each one again costs ten queries a save for nothing."""
        from django.db.models import UniqueConstraint

        errors = {}
        for constraint in self._meta.constraints:
            if isinstance(constraint, UniqueConstraint):
                try:
                    constraint.validate(type(self), self, exclude=exclude)
                except ValidationError as error:
                    errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def clean(self):
        errors = {}
        if self.start_date is None and self.published_date is None:
            errors["start_date"] = "Give a start date (or, if it is not known, the date it was published)."
        if self.end_date and not self.start_date:
            errors["start_date"] = "Give the start date as well as the end date."
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = "The end date must be on or after the start date."
        if self.published_date:
            latest = self.end_date or self.start_date
            if latest and self.published_date < latest:
                errors["published_date"] = "The published date must be on or after the inspection ended."
        if self.kind != EventKind.INSPECTION:
            if self.framework_id:
                errors["framework"] = "Only inspections have a framework."
            if self.inspection_type:
                errors["inspection_type"] = "Only inspections are standard or short."
        if self.kind == EventKind.INTERVENTION and not self.intervention_type:
            errors["intervention_type"] = "Choose the kind of intervention."
        if self.kind != EventKind.INTERVENTION and self.intervention_type:
            errors["intervention_type"] = "Only interventions have an intervention type."
        if self.kind == EventKind.INTERVENTION and self.published_date:
            errors["published_date"] = "Interventions are not published; give their start and end dates."
        if self.kind == EventKind.MILESTONE and not self.milestone_type:
            errors["milestone_type"] = "Choose the kind of milestone."
        if self.kind != EventKind.MILESTONE and self.milestone_type:
            errors["milestone_type"] = "Only milestones have a milestone type."
        if errors:
            raise ValidationError(errors)


def _known(value, precision, *, day, month):
    from django.utils.dateformat import format as format_date

    if value is None:
        return ""
    if precision == DatePrecision.YEAR:
        return str(value.year)
    return format_date(value, month if precision == DatePrecision.MONTH else day)


class Judgement(models.Model):
    """The grade an inspection gave one area."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="judgements")
    area = models.ForeignKey(JudgementArea, on_delete=models.PROTECT, related_name="judgements")
    grade = models.ForeignKey(Grade, on_delete=models.PROTECT, related_name="judgements")
    history = HistoricalRecords()

    class Meta:
        ordering = ["event", "area__theme_order"]
        constraints = [models.UniqueConstraint(fields=["event", "area"], name="judgement_once_per_area")]

    def __str__(self):
        return f"{self.area}: {self.grade}"

    def clean(self):
        event = self.event
        if event.kind != EventKind.INSPECTION:
            raise ValidationError("Only inspections have judgements.")
        framework = event.framework
        if framework is None:
            raise ValidationError("Record the inspection's framework before its judgements.")
        if self.area_id and not FrameworkArea.objects.filter(framework=framework, area_id=self.area_id).exists():
            raise ValidationError({"area": f"{framework.short_name} does not judge this area."})
        if self.grade_id and not framework.scale.grades.filter(pk=self.grade_id).exists():
            raise ValidationError({"grade": f"{framework.short_name} does not use this grade."})

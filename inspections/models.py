"""Councils, the inspection vocabulary (frameworks, areas, grades) as data, and timeline events."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from .querysets import STANDING_LSCB_ENDED, CouncilQuerySet, EventQuerySet, RecommendationQuerySet

# Ofsted's addresses: a report's own file, and a council's page listing all its reports and letters.
OFSTED_REPORT_LINK = "https://files.ofsted.gov.uk/"
OFSTED_COUNCIL_PAGE = "https://reports.ofsted.gov.uk/provider/44/{urn}"


class Region(models.Model):
    """One of England's nine regions."""

    code = models.CharField("GSS code", max_length=9, unique=True)
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("inspections:region_detail", args=[self.slug])


class Council(models.Model):
    """A local authority with children's services duties, current or abolished."""

    urn = models.PositiveIntegerField("URN", unique=True, help_text="Ofsted's unique reference number.")
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    la_code = models.CharField("LA code", max_length=3, unique=True)
    gss_code = models.CharField("GSS code", max_length=9, unique=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="councils")
    council_type = models.CharField(max_length=60, blank=True)
    is_active = models.BooleanField(
        "still active", default=True, help_text="False once the council has been abolished or merged."
    )
    population_0_25 = models.PositiveIntegerField("population aged 0 to 25", null=True, blank=True)
    predecessors = models.ManyToManyField(
        "self", symmetrical=False, related_name="successors", blank=True, help_text="Councils this one replaced."
    )
    history = HistoricalRecords()

    objects = CouncilQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        permissions = [
            ("export_data", "Can export tables, CSV, Excel and PDF briefings"),
            ("enter_results", "Can enter and correct results, upload reports and update recommendations"),
            ("manage_users", "Can manage users and their roles"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(la_code__regex=r"^[0-9]{3}$"), name="council_la_code_three_digits"),
            models.CheckConstraint(condition=Q(gss_code__regex=r"^E[0-9]{8}$"), name="council_gss_code_format"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("inspections:council_detail", args=[self.slug])

    @property
    def ofsted_url(self):
        """The council's page on Ofsted's reports site: every report and letter it has published."""
        return OFSTED_COUNCIL_PAGE.format(urn=self.urn)


class StatisticalNeighbour(models.Model):
    """The DfE's ordered list of the councils most similar to a council."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="neighbour_links")
    neighbour = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["council", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["council", "rank"], name="neighbour_rank_unique"),
            models.UniqueConstraint(fields=["council", "neighbour"], name="neighbour_once"),
            models.CheckConstraint(condition=~Q(council=F("neighbour")), name="neighbour_not_self"),
            models.CheckConstraint(condition=Q(rank__gte=1), name="neighbour_rank_positive"),
        ]

    def __str__(self):
        return f"{self.council} → {self.neighbour} ({self.rank})"


class Grade(models.Model):
    """A grade word; `rank` orders grades from best (1) to worst across every scale."""

    key = models.SlugField(max_length=40, unique=True)
    label = models.CharField(max_length=60)
    short_label = models.CharField(max_length=30)
    rank = models.PositiveSmallIntegerField(help_text="1 is best. Grades of equal standing share a rank.")
    colour = models.CharField(max_length=7, help_text="Hex colour for tags, charts and the map.")
    text_colour = models.CharField(max_length=7, default="#ffffff")
    pattern = models.CharField(
        max_length=20, default="solid", help_text="Fill pattern so colour is never the only cue."
    )

    class Meta:
        ordering = ["rank", "key"]
        constraints = [models.CheckConstraint(condition=Q(rank__gte=1), name="grade_rank_positive")]

    def __str__(self):
        return self.label


class GradeScale(models.Model):
    """The grades one framework may award, e.g. outstanding / good / adequate / inadequate."""

    key = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=100)
    grades = models.ManyToManyField(Grade, related_name="scales")

    def __str__(self):
        return self.name


class JudgementArea(models.Model):
    """Something a framework judges. `theme` lines up corresponding areas across frameworks."""

    key = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=60)
    theme = models.SlugField(max_length=60, help_text="Areas with the same theme share a row in the judgements grid.")
    theme_label = models.CharField(max_length=100)
    theme_order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["theme_order", "key"]

    def __str__(self):
        return self.name


class Framework(models.Model):
    """An Ofsted inspection framework: the period it applies to, what it judges and on which scale."""

    key = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=250)
    short_name = models.CharField(max_length=60)
    applies_from = models.DateField(help_text="First inspection start date under this framework.")
    applies_until = models.DateField(null=True, blank=True)
    scale = models.ForeignKey(GradeScale, on_delete=models.PROTECT, related_name="frameworks")
    areas = models.ManyToManyField(JudgementArea, through="FrameworkArea", related_name="frameworks")
    headline_area = models.ForeignKey(
        JudgementArea,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The single overall judgement, if the framework makes one.",
    )
    infer_from_dates = models.BooleanField(
        default=True, help_text="Whether an undated source may be assigned to this framework by its dates alone."
    )

    class Meta:
        ordering = ["applies_from", "key"]
        constraints = [
            models.CheckConstraint(
                condition=Q(applies_until__isnull=True) | Q(applies_until__gte=F("applies_from")),
                name="framework_period_ordered",
            )
        ]

    def __str__(self):
        return self.short_name


class FrameworkArea(models.Model):
    """An area judged by a framework, in the order the framework's reports list it."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="framework_areas")
    area = models.ForeignKey(JudgementArea, on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField()
    label = models.CharField(max_length=250, blank=True, help_text="The framework's own wording, if different.")

    class Meta:
        ordering = ["framework", "order"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "area"], name="framework_area_once"),
            models.UniqueConstraint(fields=["framework", "order"], name="framework_area_order_unique"),
        ]

    def __str__(self):
        return f"{self.framework}: {self.area}"


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
        from .charts import KnownDate

        value = self.published_date or self.date
        return KnownDate(value.year, value.month, value.day, label=self.published_when or self.when)

    @property
    def when_short(self):
        """The same, short: "Jul 2016", "Mar 2011" or "2017"."""
        return _known(self.date, self.date_precision, day="M Y", month="M Y")

    @property
    def ofsted_report_url(self):
        """The link to Ofsted's own copy of the report or letter, when we hold one."""
        return self.source_url if self.source_url.startswith(OFSTED_REPORT_LINK) else ""

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

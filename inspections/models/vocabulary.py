"""The inspection vocabulary as data: grades and their scales, judgement areas and frameworks."""

from django.db import models
from django.db.models import F, Q


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

"""Councils, their regions and statistical neighbours, and Ofsted's addresses for them."""

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from ..querysets import CouncilQuerySet

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

"""Filters of the councils table (django-filter): region, type, latest grades, framework, intervention, search."""

import django_filters
from django.utils import timezone

from .models import Council, Event
from .states import NO_INSPECTION, NOT_JUDGED

INTERVENTION_NOW, NO_INTERVENTION = "now", "none"
NO_FRAMEWORK = "none"


class CouncilFilter(django_filters.FilterSet):
    """Filters over active councils; grade and framework filters look at each council's latest graded inspection.

    `vocabulary` (selectors.filter_vocabulary) supplies the choices, so building the form makes no query.
    """

    q = django_filters.CharFilter(label="Name, URN or code", method="filter_search")
    region = django_filters.ChoiceFilter(label="Region", method="filter_region", empty_label="All regions")
    council_type = django_filters.ChoiceFilter(
        label="Type of council", method="filter_council_type", empty_label="All types"
    )
    grade = django_filters.ChoiceFilter(
        label="Latest overall effectiveness", method="filter_grade", empty_label="Any grade"
    )
    any_grade = django_filters.ChoiceFilter(
        label="Any judgement in the latest inspection", method="filter_any_grade", empty_label="Any grade"
    )
    framework = django_filters.ChoiceFilter(
        label="Framework of the latest inspection", method="filter_framework", empty_label="Any framework"
    )
    intervention = django_filters.ChoiceFilter(
        label="Government intervention",
        method="filter_intervention",
        empty_label="Either",
        choices=[(INTERVENTION_NOW, "Under intervention now"), (NO_INTERVENTION, "Not under intervention")],
    )

    class Meta:
        model = Council
        fields = []

    def __init__(self, data=None, *args, vocabulary, **kwargs):
        super().__init__(data, *args, **kwargs)
        grades = vocabulary["grades"]
        fields = self.form.fields
        # django-filter adds each field's empty_label as the blank option: none here, or it shows twice.
        fields["region"].choices = list(vocabulary["regions"])
        fields["council_type"].choices = [(t, t) for t in vocabulary["council_types"]]
        fields["grade"].choices = [
            *grades,
            (NOT_JUDGED.key, NOT_JUDGED.label),
            (NO_INSPECTION.key, NO_INSPECTION.label),
        ]
        fields["any_grade"].choices = list(grades)
        fields["framework"].choices = [
            *vocabulary["frameworks"],
            (NO_FRAMEWORK, "Framework not recorded"),
        ]
        for name, field in fields.items():
            css = "govuk-input" if name == "q" else "govuk-select"
            if self.is_bound and name in self.form.errors:
                css += " govuk-input--error" if name == "q" else " govuk-select--error"
                field.widget.attrs["aria-describedby"] = f"id_{name}-error"
            field.widget.attrs["class"] = css
        fields["q"].widget.attrs.update({"spellcheck": "false", "autocomplete": "off"})

    @property
    def active_filters(self):
        """[(label, value shown)] of the filters applied, for the summary above the table."""
        if not self.is_bound or not self.form.is_valid():
            return []
        applied = []
        for name, value in self.form.cleaned_data.items():
            if value in (None, ""):
                continue
            field = self.form.fields[name]
            shown = dict(field.choices).get(value, value) if hasattr(field, "choices") else value
            applied.append((field.label, shown))
        return applied

    def filter_search(self, queryset, name, value):
        return queryset.search(value)

    def filter_region(self, queryset, name, value):
        return queryset.filter(region__slug=value)

    def filter_council_type(self, queryset, name, value):
        return queryset.filter(council_type=value)

    def filter_grade(self, queryset, name, value):
        if value == NO_INSPECTION.key:
            return queryset.never_graded()
        if value == NOT_JUDGED.key:
            return queryset.whose_latest_graded(Event.objects.without_headline_grade())
        return queryset.whose_latest_graded(Event.objects.with_headline_grade(value))

    def filter_any_grade(self, queryset, name, value):
        return queryset.whose_latest_graded(Event.objects.with_any_grade(value))

    def filter_framework(self, queryset, name, value):
        if value == NO_FRAMEWORK:
            return queryset.whose_latest_graded(Event.objects.filter(framework__isnull=True))
        return queryset.whose_latest_graded(Event.objects.filter(framework__key=value))

    def filter_intervention(self, queryset, name, value):
        in_force = queryset.in_intervention(timezone.localdate()).values("pk")
        if value == INTERVENTION_NOW:
            return queryset.filter(pk__in=in_force)
        return queryset.exclude(pk__in=in_force)

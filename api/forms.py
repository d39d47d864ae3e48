"""The API lists' query parameters, checked: each wrong one gets a sentence naming it."""

from django import forms
from django.db.models import Q

from analysis.forms import SinceForm
from inspections.models import Council, Framework, Region

from .listings import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE


class ListingQueryForm(SinceForm):
    """`region`, `framework`, `since`, `council`, `page`, `page_size`; each cleaned to the Region,
    Framework, Council, date or number it names. One query for each of region, framework, council given."""

    region = forms.CharField(required=False)
    framework = forms.CharField(required=False)
    council = forms.CharField(required=False)
    page = forms.IntegerField(
        required=False, min_value=1, error_messages={"invalid": "Give the page as a whole number from 1"}
    )
    page_size = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_PAGE_SIZE,
        error_messages={"invalid": f"Give the page size as a whole number from 1 to {MAX_PAGE_SIZE}"},
    )

    def clean_region(self):
        value = self.cleaned_data["region"].strip()
        if not value:
            return None
        region = Region.objects.filter(Q(slug=value.lower()) | Q(name__iexact=value)).first()
        if region is None:
            raise forms.ValidationError(
                f"There is no region '{value}': give its slug (north-west) or name (North West)"
            )
        return region

    def clean_framework(self):
        value = self.cleaned_data["framework"].strip()
        if not value:
            return None
        framework = Framework.objects.filter(key=value).first()
        if framework is None:
            raise forms.ValidationError(f"There is no framework with the key '{value}' (for example ilacs_2023)")
        return framework

    def clean_council(self):
        value = self.cleaned_data["council"].strip()
        if not value:
            return None
        found = Council.objects.filter(**({"urn": int(value)} if value.isdigit() else {"slug": value.lower()})).first()
        if found is None:
            raise forms.ValidationError(f"There is no council '{value}': give its slug (wirral) or URN (80581)")
        return found

    def clean_page(self):
        return self.cleaned_data["page"] or 1

    def clean_page_size(self):
        return self.cleaned_data["page_size"] or DEFAULT_PAGE_SIZE

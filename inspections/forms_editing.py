"""Forms for editors' annotations: a recommendation's status update (GOV.UK date input, radios)."""

from django import forms
from django.core.validators import URLValidator
from django.utils import timezone

from .forms import GovukDateField, GovukForm
from .models import RecommendationStatus

NOTE_MAX_LENGTH = 5000


class HistoryFilterForm(GovukForm):
    """Narrow a history page to one person's changes and one kind of record (GET, never saved)."""

    who = forms.ChoiceField(label="Changed by", required=False)
    what = forms.ChoiceField(label="What changed", required=False)

    def __init__(self, data=None, *, people, kinds):
        super().__init__(data)
        self.fields["who"].choices = [("", "Anyone"), *((name, name) for name in people)]
        self.fields["what"].choices = [("", "Anything"), *((key, label) for key, label in kinds)]

    @property
    def chosen(self):
        """(who, what) chosen, "" for any; an unknown value counts as any."""
        if not self.is_valid():
            return "", ""
        return self.cleaned_data.get("who") or "", self.cleaned_data.get("what") or ""


class WebAddressField(forms.URLField):
    """A link to a web page: http or https only (never javascript:, data: or file:)."""

    default_validators = [URLValidator(schemes=["http", "https"])]


class RecommendationUpdateForm(GovukForm):
    """A dated status change with a note and an optional evidence link.

    `seen` carries the version of the recommendation's event when the page was drawn
    (services.event_lock), so a second editor's update, a change in the Django admin, or a
    replayed post is refused rather than silently applied over it.
    """

    status = forms.ChoiceField(
        choices=RecommendationStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the recommendation's status", "invalid_choice": "Select a status"},
    )
    date = GovukDateField(
        label="Date of the update",
        help_text="When the status changed, for example the date of the monitoring visit letter that found it met. "
        "For example, 27 3 2025",
    )
    note = forms.CharField(
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"max_length": f"The note must be {NOTE_MAX_LENGTH} characters or fewer"},
    )
    evidence_url = WebAddressField(
        required=False,
        max_length=500,
        assume_scheme="https",
        error_messages={
            "invalid": "Enter the evidence link as a web address, like https://reports.ofsted.gov.uk/…",
            "max_length": "The evidence link must be 500 characters or fewer",
        },
    )
    seen = forms.IntegerField(widget=forms.HiddenInput, required=False)  # checked by the service

    def __init__(self, *args, recommendation, **kwargs):
        self.recommendation = recommendation
        super().__init__(*args, **kwargs)

    def clean_date(self):
        value = self.cleaned_data["date"]
        if value and value > timezone.localdate():
            raise forms.ValidationError("The date of the update must be today or in the past")
        event_date = self.recommendation.event.date
        if value and event_date and value < event_date:
            raise forms.ValidationError(
                f"The date of the update must be on or after the inspection ({event_date:%-d %B %Y})"
            )
        return value

    @property
    def error_summary(self):
        """A refused update (someone else's came first) points at the updates shown below the form."""
        top = set(self.non_field_errors())
        return [(message, "updates" if message in top else anchor) for message, anchor in super().error_summary]

"""Forms for editors' annotations: a recommendation's status update (GOV.UK date input, radios)."""

import datetime

from django import forms
from django.core.validators import URLValidator
from django.utils import timezone

from .models import RecommendationStatus

NOTE_MAX_LENGTH = 5000


class GovukDateWidget(forms.MultiWidget):
    """Day, month and year boxes named `<name>_day`, `<name>_month`, `<name>_year` (GOV.UK date input)."""

    def __init__(self, attrs=None):
        super().__init__({"day": forms.TextInput(), "month": forms.TextInput(), "year": forms.TextInput()}, attrs)

    def decompress(self, value):
        if value:
            return [value.day, value.month, value.year]
        return [None, None, None]


class GovukDateField(forms.MultiValueField):
    """A date typed as day, month and year, with GOV.UK's error messages."""

    widget = GovukDateWidget

    def __init__(self, *, label_for_errors="The date", **kwargs):
        self.label_for_errors = label_for_errors
        parts = (forms.CharField(required=False), forms.CharField(required=False), forms.CharField(required=False))
        super().__init__(fields=parts, require_all_fields=False, **kwargs)
        self.error_messages["required"] = f"Enter {label_for_errors.lower()}"
        self.error_messages["incomplete"] = f"Enter {label_for_errors.lower()}"

    def compress(self, data_list):
        if not data_list or not any(part.strip() for part in data_list if part):
            return None
        day, month, year = (str(part or "").strip() for part in data_list)
        missing = [name for name, part in (("day", day), ("month", month), ("year", year)) if not part]
        if missing:
            raise forms.ValidationError(f"{self.label_for_errors} must include a {' and '.join(missing)}")
        if not (day.isdigit() and month.isdigit() and year.isdigit()):
            raise forms.ValidationError(f"{self.label_for_errors} must be a real date, in numbers")
        if len(year) != 4:
            raise forms.ValidationError("Year must include 4 numbers")
        try:
            return datetime.date(int(year), int(month), int(day))
        except ValueError:
            raise forms.ValidationError(f"{self.label_for_errors} must be a real date")


class WebAddressField(forms.URLField):
    """A link to a web page: http or https only (never javascript:, data: or file:)."""

    default_validators = [URLValidator(schemes=["http", "https"])]


class RecommendationUpdateForm(forms.Form):
    """A dated status change with a note and an optional evidence link.

    `seen` carries recommendation_state() from when the page was drawn, so a second editor's
    update (or a replayed post) is refused rather than silently overwritten.
    """

    status = forms.ChoiceField(
        choices=RecommendationStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the recommendation's status", "invalid_choice": "Select a status"},
    )
    date = GovukDateField(label_for_errors="The date of the update")
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
    seen = forms.CharField(widget=forms.HiddenInput, required=False)

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

    def date_values(self):
        """What to show in the day, month and year boxes: what was typed, else the initial date."""
        if self.is_bound:
            return self.fields["date"].widget.value_from_datadict(self.data, self.files, self.add_prefix("date"))
        initial = self.get_initial_for_field(self.fields["date"], "date")
        return self.fields["date"].widget.decompress(initial)

    def error_list(self):
        """(anchor, message) pairs for the GOV.UK error summary, in the order of the fields."""
        anchors = {"status": "id_status_0", "date": "id_date_day", "note": "id_note", "evidence_url": "id_evidence_url"}
        out = [("", error) for error in self.non_field_errors()]
        for name in ("status", "date", "note", "evidence_url"):
            for error in self.errors.get(name, []):
                out.append((anchors[name], error))
        return out

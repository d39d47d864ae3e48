"""Recommendation forms: the repeatable list on an inspection's page, and a dated status update."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from ..models import AddressedTo, Event, RecommendationStatus
from ..services import recommendation_status_change
from .govuk import GovukDateField, GovukForm, WebAddressField, apply_service_errors

NOTE_MAX_LENGTH = 5000

# Recommendations ------------------------------------------------------------------------------


class RecommendationForm(GovukForm):
    """One recommendation: its text and who it is addressed to. An empty row is ignored."""

    text = forms.CharField(
        label="Recommendation",
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        max_length=5000,
    )
    addressed_to = forms.ChoiceField(
        label="Addressed to",
        choices=[(AddressedTo.COUNCIL, "The council"), (AddressedTo.LSCB, "The Local Safeguarding Children Board")],
        initial=AddressedTo.COUNCIL,
        required=False,
    )


class BaseRecommendationFormSet(forms.BaseFormSet):
    def __init__(self, *args, allow_lscb=False, **kwargs):
        self.allow_lscb = allow_lscb
        super().__init__(*args, **kwargs)

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if not self.allow_lscb:
            form.fields["addressed_to"].widget = forms.HiddenInput()


RecommendationFormSet = forms.formset_factory(
    RecommendationForm, formset=BaseRecommendationFormSet, extra=0, max_num=200, absolute_max=200
)

BLANK_ROWS = 2


def recommendation_formset(data=None, *, initial=None, allow_lscb=False, add_row=False):
    """The recommendations list: the given rows plus blank ones to type into (one more when the
    editor pressed "Add another recommendation" without JavaScript)."""
    prefix = "recommendations"
    if data is not None:
        data = data.copy()
        key = f"{prefix}-TOTAL_FORMS"
        try:
            total = int(data.get(key, 0))
        except ValueError:
            total = 0
        if add_row:
            data[key] = str(min(total + 1, 200))
        return RecommendationFormSet(data, prefix=prefix, allow_lscb=allow_lscb)
    initial = list(initial or [])
    formset = forms.formset_factory(
        RecommendationForm,
        formset=BaseRecommendationFormSet,
        extra=BLANK_ROWS if len(initial) < 200 else 0,
        max_num=200,
        absolute_max=200,
    )
    return formset(initial=initial, prefix=prefix, allow_lscb=allow_lscb)


def recommendation_items(formset):
    """[{"text", "addressed_to"}] in order, empty rows left out (for `event_save`)."""
    items = []
    for form in formset.forms:
        text = (form.cleaned_data.get("text") or "").strip() if form.cleaned_data else ""
        if text:
            addressed_to = form.cleaned_data.get("addressed_to") or AddressedTo.COUNCIL
            items.append({"text": text, "addressed_to": addressed_to if formset.allow_lscb else AddressedTo.COUNCIL})
    return items


def recommendation_initial(event):
    return [{"text": r.text, "addressed_to": r.addressed_to} for r in event.recommendations.all()]


class RecommendationUpdateForm(GovukForm):
    """A dated status change with a note and an optional evidence link.

    `seen` carries the version of the recommendation's event when the page was drawn
    (services.event_lock), so a second editor's update, a change in the Django admin, or a
    replayed post is refused rather than silently applied over it.
    """

    status = forms.ChoiceField(
        label="Status",
        choices=RecommendationStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the recommendation's status", "invalid_choice": "Select a status"},
    )
    status.govuk = {"legend_class": "govuk-fieldset__legend--m", "heading": True}
    date = GovukDateField(
        label="Date of the update",
        help_text="When the status changed, for example the date of the monitoring visit letter that found it met. "
        "For example, 27 3 2025",
    )
    date.govuk = {"legend_class": "govuk-fieldset__legend--m"}
    note = forms.CharField(
        label="Note (optional)",
        help_text="What changed and why, in a sentence or two.",
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"max_length": f"The note must be {NOTE_MAX_LENGTH} characters or fewer"},
    )
    note.govuk = {"label_class": "govuk-label--m", "heading": True}
    evidence_url = WebAddressField(
        label="Evidence link (optional)",
        help_text="A web address, for example of the monitoring visit letter that found it met.",
        required=False,
        max_length=500,
        assume_scheme="https",
        error_messages={
            "invalid": "Enter the evidence link as a web address, like https://reports.ofsted.gov.uk/…",
            "max_length": "The evidence link must be 500 characters or fewer",
        },
    )
    evidence_url.govuk = {"label_class": "govuk-label--m", "heading": True}
    seen = forms.IntegerField(widget=forms.HiddenInput, required=False)  # checked by the service

    def __init__(self, data=None, *, recommendation):
        self.recommendation = recommendation
        initial = {"status": recommendation.status, "date": timezone.localdate(), "seen": recommendation.event.version}
        super().__init__(data, initial=initial)

    def save(self, *, user):
        """Record the update through `services.recommendation_status_change`. True if saved; else
        False, with the service's refusal on the form."""
        if not self.is_valid():
            return False
        data = self.cleaned_data
        try:
            recommendation_status_change(
                recommendation=self.recommendation,
                expected_version=data["seen"],
                status=data["status"],
                date=data["date"],
                note=data["note"],
                evidence_url=data["evidence_url"],
                user=user,
            )
        except ValidationError as error:
            current = Event.objects.values_list("version", flat=True).get(pk=self.recommendation.event_id)
            self.add_service_error(error, current_version=current)
            return False
        return True

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

    def add_service_error(self, error, *, current_version):
        """Show the service's refusal. One overtaken by another change (or a page without a
        version) carries the event's `current_version` from now on: saving again, having seen the
        other change listed below, is deliberate."""
        if getattr(error, "code", None) in ("conflict", "stale_form"):
            self.add_error(None, error)
            self.data = self.data.copy()
            self.data["seen"] = current_version
            return
        apply_service_errors(error, self)

    @property
    def error_summary(self):
        """A refused update (someone else's came first) points at the updates shown below the form."""
        top = set(self.non_field_errors())
        return [(message, "updates" if message in top else anchor) for message, anchor in super().error_summary]

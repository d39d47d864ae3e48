"""The forms of an event page: what is being entered (council, kind, framework), its details and
grades, and the three bound together (`EventEntry`) with its recommendations list. Forms validate
input; `services.event_save` decides."""

import datetime

from django import forms
from django.forms.utils import ErrorDict

from ..models import (
    Council,
    DatePrecision,
    EventKind,
    Framework,
    FrameworkArea,
    Grade,
    InspectionType,
    InterventionType,
    MilestoneType,
)
from ..selectors.matching import event_matching_values
from ..states import NOT_JUDGED
from .govuk import GovukDateField, GovukForm, apply_service_errors, error_summary
from .recommendations import recommendation_formset, recommendation_items

VISIT_KINDS = (EventKind.MONITORING_VISIT, EventKind.FOCUSED_VISIT, EventKind.JTAI)
KIND_NOUNS = {
    EventKind.INSPECTION: "an inspection",
    EventKind.MONITORING_VISIT: "a monitoring visit",
    EventKind.FOCUSED_VISIT: "a focused visit",
    EventKind.JTAI: "a joint targeted area inspection",
    EventKind.INTERVENTION: "a government intervention",
    EventKind.MILESTONE: "a milestone",
}

# What each date and link means for events that are not inspections: {kind: {field: (label, hint)}}.
_VISIT_WORDING = {
    "end_date": ("End date", "The last day on site, if known."),
    "published_date": ("Date published", "The date of the letter, when Ofsted published it."),
    "source_url": ("Link to the letter (optional)", ""),
}
KIND_WORDING = {
    EventKind.MONITORING_VISIT: _VISIT_WORDING,
    EventKind.FOCUSED_VISIT: _VISIT_WORDING,
    EventKind.JTAI: _VISIT_WORDING,
    EventKind.INTERVENTION: {
        "start_date": (
            "Date it began",
            "When the notice or direction was issued, or the appointment made. For example, 3 10 2016",
        ),
        "end_date": ("Date it was lifted", "Leave empty while it is still in force."),
        "source_url": ("Link to the notice or announcement (optional)", ""),
        "summary": ("What it requires (optional)", ""),
    },
    EventKind.MILESTONE: {
        "start_date": ("Date", "For example, 14 11 2017"),
        "end_date": ("End date", "Only for a milestone that lasted some time, for example a funding period."),
        "source_url": ("Link to the source (optional)", "For example, the council's announcement or a news article."),
        "summary": ("What happened (optional)", ""),
    },
}

# Ofsted has inspected in two types (standard and short) since ILACS began in January 2018; the
# frameworks before it had one kind of inspection, so asking for (or flagging) a type there is noise.
INSPECTION_TYPES_FROM = datetime.date(2018, 1, 1)


def has_inspection_types(framework):
    """Whether inspections under `framework` come as standard or short (None: not known, so ask)."""
    return framework is None or framework.applies_from >= INSPECTION_TYPES_FROM


# What is being entered ------------------------------------------------------------------------


class CouncilChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, council):
        return council.name if council.is_active else f"{council.name} (abolished)"


class FrameworkChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, framework):
        until = f" to {framework.applies_until:%B %Y}" if framework.applies_until else " onwards"
        return f"{framework.short_name} ({framework.applies_from:%B %Y}{until})"


class EventTypeForm(GovukForm):
    """Step 1: whose event, what kind, and for an inspection its framework (which decides the judgements)."""

    council = CouncilChoiceField(
        queryset=Council.objects.order_by("-is_active", "name"),
        to_field_name="slug",
        empty_label="Choose a council",
        error_messages={"required": "Choose the council", "invalid_choice": "Choose a council from the list"},
    )
    kind = forms.ChoiceField(
        label="What are you entering?",
        choices=EventKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what you are entering", "invalid_choice": "Choose one of the options"},
    )
    framework = FrameworkChoiceField(
        label="Inspection framework",
        queryset=Framework.objects.all(),
        to_field_name="key",
        required=False,
        empty_label="Not recorded",
        help_text="Inspections only. The framework decides which judgements the inspection made and on which scale.",
        error_messages={"invalid_choice": "Choose a framework from the list"},
    )

    def __init__(self, *args, require_framework=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.require_framework = require_framework
        if require_framework:
            self.fields["framework"].empty_label = "Choose a framework"

    def clean(self):
        data = super().clean()
        if data.get("kind") == EventKind.INSPECTION:
            if self.require_framework and not data.get("framework") and "framework" not in self.errors:
                self.add_error("framework", "Choose the framework the inspection was carried out under")
        elif "kind" in data:
            data["framework"] = None
        return data

    def as_query(self):
        """The choice as query parameters for step 2 (council slug, kind, framework key)."""
        data = self.cleaned_data
        query = {"council": data["council"].slug, "kind": data["kind"]}
        if data.get("framework"):
            query["framework"] = data["framework"].key
        return query


# The event's details --------------------------------------------------------------------------


def framework_areas(framework):
    """The framework's areas in report order, with the grades its scale allows (best first)."""
    if framework is None:
        return [], []
    areas = list(FrameworkArea.objects.filter(framework=framework).select_related("area").order_by("order"))
    grades = list(Grade.objects.filter(scales__frameworks=framework).order_by("rank", "key"))
    return areas, grades


class EventDetailsForm(GovukForm):
    """Step 2: dates, people and links, and the judgements the chosen framework makes."""

    title = forms.CharField(
        label="Title (optional)",
        max_length=300,
        required=False,
        help_text="Leave empty to use the usual name, for example “ILACS 2023 inspection”.",
    )
    inspection_type = forms.ChoiceField(
        label="Type of inspection",
        choices=[(InspectionType.STANDARD, "Standard"), (InspectionType.SHORT, "Short"), ("", "Not recorded")],
        widget=forms.RadioSelect,
        required=False,
    )
    intervention_type = forms.ChoiceField(
        label="Type of intervention",
        choices=InterventionType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the type of intervention"},
    )
    milestone_type = forms.ChoiceField(
        label="Type of milestone",
        choices=MilestoneType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the type of milestone"},
    )
    start_date = GovukDateField(label="Start date", required=False, help_text="For example, 17 6 2019")
    end_date = GovukDateField(label="End date", required=False, help_text="The last day on site, if known.")
    published_date = GovukDateField(label="Date published", required=False, help_text="When Ofsted published it.")
    date_precision = forms.ChoiceField(
        label="How exact are the dates?",
        choices=[
            (DatePrecision.DAY, "To the day"),
            (DatePrecision.MONTH, "Only the month is known"),
            (DatePrecision.YEAR, "Only the year is known"),
        ],
        widget=forms.RadioSelect,
        initial=DatePrecision.DAY,
        error_messages={"required": "Choose how exact the dates are"},
    )
    lead_inspector = forms.CharField(label="Lead inspector", max_length=200, required=False)
    focus = forms.CharField(
        label="Focus area",
        max_length=300,
        required=False,
        help_text="What the visit looked at, for example “children in need of help and protection”.",
    )
    summary = forms.CharField(label="Summary (optional)", widget=forms.Textarea(attrs={"rows": 4}), required=False)
    source_url = forms.URLField(
        label="Link to the report (optional)",
        max_length=500,
        required=False,
        assume_scheme="https",
        error_messages={"invalid": "Enter a link in the right format, like https://reports.ofsted.gov.uk/…"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    field_order = [
        "inspection_type",
        "intervention_type",
        "milestone_type",
        "start_date",
        "end_date",
        "published_date",
        "date_precision",
        "lead_inspector",
        "focus",
        "title",
        "summary",
        "source_url",
    ]
    DATE_FIELDS = ("start_date", "end_date", "published_date", "date_precision")

    def __init__(self, *args, kind, framework=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.framework = framework if kind == EventKind.INSPECTION else None
        keep = {"title", "start_date", "end_date", "date_precision", "summary", "source_url", "version"}
        if kind == EventKind.INSPECTION:
            keep |= {"inspection_type", "published_date", "lead_inspector"}
        elif kind in VISIT_KINDS:
            keep |= {"published_date", "lead_inspector", "focus"}
        elif kind == EventKind.INTERVENTION:
            keep |= {"intervention_type"}
        elif kind == EventKind.MILESTONE:
            keep |= {"milestone_type"}
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        for name, (label, help_text) in KIND_WORDING.get(kind, {}).items():
            if name in self.fields:
                self.fields[name].label, self.fields[name].help_text = label, help_text
                if isinstance(self.fields[name], GovukDateField):
                    self.fields[name].error_messages["required"] = f"Enter the {label.lower()}"
        if self.framework is not None and not has_inspection_types(self.framework):
            del self.fields["inspection_type"]
        self.areas, self.grades = framework_areas(self.framework)
        choices = [("", NOT_JUDGED.label)] + [(g.key, g.label) for g in self.grades]
        for fa in self.areas:
            self.fields[f"grade_{fa.area.key}"] = forms.ChoiceField(
                label=fa.label or fa.area.name,
                choices=choices,
                required=False,
                error_messages={"invalid_choice": f"Choose a grade that {self.framework.short_name} uses"},
            )
        self.flags = {}

    @property
    def kind_label(self):
        """The kind as a noun phrase: "an inspection", "a monitoring visit"."""
        return KIND_NOUNS.get(self.kind, "an event")

    @property
    def type_fields(self):
        names = ("inspection_type", "intervention_type", "milestone_type")
        return [self[name] for name in names if name in self.fields]

    @property
    def date_fields(self):
        return [self[name] for name in self.DATE_FIELDS if name in self.fields]

    @property
    def other_fields(self):
        names = ("lead_inspector", "focus", "title", "summary", "source_url")
        return [self[name] for name in names if name in self.fields]

    @property
    def grade_fields(self):
        return [self[f"grade_{fa.area.key}"] for fa in self.areas]

    @property
    def shows_recommendations(self):
        return self.kind == EventKind.INSPECTION

    @property
    def allows_lscb(self):
        return any(fa.area.key == "lscb" for fa in self.areas)

    def flag(self, name, message):
        """Mark a field as uncertain (shown as "Check" with the message beside it)."""
        if name in self.fields:
            self.fields[name].flag = message
            self.flags[name] = message

    def clean(self):
        data = super().clean()
        start, end, published = data.get("start_date"), data.get("end_date"), data.get("published_date")
        if not start and not published and "start_date" not in self.errors and "published_date" not in self.errors:
            if "published_date" in self.fields:
                self.add_error("start_date", "Enter the start date, or if it is not known, the date published")
            else:
                self.add_error("start_date", f"Enter the {self.fields['start_date'].label.lower()}")
        if end and not start and "start_date" not in self.errors:
            self.add_error("start_date", "Enter the start date as well as the end date")
        if start and end and end < start and "end_date" not in self.errors:
            self.add_error("end_date", "End date must be the same as or after the start date")
        if published and (end or start) and published < (end or start) and "published_date" not in self.errors:
            self.add_error("published_date", "Date published must be the same as or after the inspection ended")
        return data

    def event_values(self):
        """Model field values for `event_save` (fields this kind does not use are cleared)."""
        data = self.cleaned_data
        text = lambda name: (data.get(name) or "").strip()  # noqa: E731
        return {
            "title": text("title"),
            "framework": self.framework,
            "inspection_type": text("inspection_type"),
            "intervention_type": text("intervention_type"),
            "milestone_type": text("milestone_type"),
            "start_date": data.get("start_date"),
            "end_date": data.get("end_date"),
            "published_date": data.get("published_date"),
            "date_precision": data.get("date_precision") or DatePrecision.DAY,
            "lead_inspector": " ".join(text("lead_inspector").split()),
            "focus": text("focus"),
            "summary": text("summary"),
            "source_url": text("source_url"),
        }

    def judgements(self):
        """{area key: grade key} for the areas given a grade; None when the kind makes no judgements."""
        if self.kind != EventKind.INSPECTION:
            return {}
        data = self.cleaned_data
        return {fa.area.key: data[f"grade_{fa.area.key}"] for fa in self.areas if data.get(f"grade_{fa.area.key}")}

    @staticmethod
    def initial_for(event):
        """Initial values for editing `event`, judgements included."""
        # Every model field the form edits is in field_order; the version rides along hidden.
        initial = {name: getattr(event, name) for name in (*EventDetailsForm.field_order, "version")}
        for judgement in event.judgements.all():
            initial[f"grade_{judgement.area.key}"] = judgement.grade.key
        return initial


# The three forms of an event page, bound together ---------------------------------------------


def _quiet(form):
    """Render a bound form without validating it (after "Add another" or a change of framework)."""
    if form is None:
        return
    if isinstance(form, forms.BaseFormSet):
        form._errors, form._non_form_errors = [], form.error_class()
        for row in form.forms:
            _quiet(row)
        return
    form._errors = ErrorDict()


class EventEntry:
    """An event page's forms: what it is (`type_form`), its details and grades (`details`) and its
    recommendations (`recommendations`, inspections only).

    `data`: the POST (None to show the page); `type_data`: where council/kind/framework come from
    (the POST, or step 1's query); `type_initial`: {"council", "kind", "framework"} objects when
    unbound; `initial`/`recommendations_initial`: the details and the list to start from.
    When the posted kind or framework differs from the one the grades were shown for
    (`areas_for`), or the editor asked for another recommendation row, nothing is validated:
    the page is shown again with the right judgement areas and everything typed kept.
    """

    def __init__(
        self,
        data=None,
        *,
        type_data=None,
        type_initial=None,
        initial=None,
        recommendations_initial=None,
        require_framework=True,
    ):
        type_initial = type_initial or {}
        self.type_form = EventTypeForm(
            type_data,
            initial={
                "council": type_initial["council"].slug if type_initial.get("council") else None,
                "kind": type_initial.get("kind"),
                "framework": type_initial["framework"].key if type_initial.get("framework") else None,
            },
            require_framework=require_framework,
        )
        if type_data is not None and self.type_form.is_valid():
            self.council = self.type_form.cleaned_data["council"]
            self.kind = self.type_form.cleaned_data["kind"]
            self.framework = self.type_form.cleaned_data.get("framework")
        else:
            self.council = type_initial.get("council")
            self.kind = type_initial.get("kind") or (
                type_data.get("kind") if type_data is not None and type_data.get("kind") in EventKind.values else None
            )
            self.kind = self.kind or EventKind.INSPECTION
            self.framework = type_initial.get("framework") if self.kind == EventKind.INSPECTION else None
        shown_for = data.get("areas_for") if data is not None else None
        # "Show the fields for this choice", or a save after changing the kind or framework: show the
        # fields of the new choice with everything typed kept, and save nothing yet.
        self.type_changed = data is not None and (
            "show_fields" in data or (shown_for is not None and shown_for != self.areas_for)
        )
        self.adding_row = data is not None and "add_recommendation" in data
        self.details = EventDetailsForm(data, kind=self.kind, framework=self.framework, initial=initial)
        self.duplicate = None  # the event we already hold, when a save was refused for it
        self.recommendations = None
        if self.details.shows_recommendations:
            self.recommendations = recommendation_formset(
                data if data is not None and "recommendations-TOTAL_FORMS" in data else None,
                initial=recommendations_initial,
                allow_lscb=self.details.allows_lscb,
                add_row=self.adding_row,
            )
        if self.type_changed or self.adding_row:
            _quiet(self.details)
            _quiet(self.recommendations)

    @property
    def kind_display(self):
        return EventKind(self.kind).label

    @property
    def areas_for(self):
        """Which judgement areas the page shows: kind and framework key."""
        return f"{self.kind}:{self.framework.key if self.framework else ''}"

    def is_valid(self):
        if self.type_changed or self.adding_row:
            return False
        valid = self.type_form.is_valid()
        valid = self.details.is_valid() and valid
        if self.recommendations is not None:
            valid = self.recommendations.is_valid() and valid
        return valid

    @property
    def errors(self):
        if self.type_changed or self.adding_row:
            return error_summary(self.type_form)
        return error_summary(self.type_form, self.details, self.recommendations)

    def save_arguments(self):
        """`event_save` keyword arguments (council, kind, values, judgements, recommendations)."""
        return {
            "council": self.council,
            "kind": self.kind,
            "values": self.details.event_values(),
            "judgements": self.details.judgements(),
            "recommendations": recommendation_items(self.recommendations) if self.recommendations is not None else None,
        }

    def add_service_errors(self, error):
        """A service's ValidationError beside the fields it names. An event we already hold (code
        "already_held") is named at its date, and kept as `duplicate` for the page to link to."""
        if getattr(error, "code", None) == "already_held":
            values = self.details.event_values()
            self.duplicate = event_matching_values(council=self.council, kind=self.kind, values=values)
            self.details.add_error("start_date" if values.get("start_date") else "published_date", error.messages)
            return
        apply_service_errors(error, self.details, self.type_form)

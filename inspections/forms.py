"""GOV.UK forms for entering and correcting results: what is being entered, its details, its
recommendations, and report uploads. Forms validate input; `services.event_save` decides.

Shared contract (the entry pages, the upload confirmation and the editing pages use these):
- `EventTypeForm`: council, kind and (for inspections) framework.
- `EventDetailsForm(kind=..., framework=...)`: dates, people, links and one grade field per area
  the framework judges (`grade_<area key>`); `event_values()` and `judgements()` give `event_save`
  arguments. `flag(name, message)` marks a value the reader was unsure of.
- `recommendation_formset(...)`: the repeatable list; `recommendation_items(formset)`.
- `GovukDateField`: a GOV.UK date input (day, month, year) giving a `datetime.date`.
- `error_summary(*forms)`: (message, anchor) pairs for `includes/govuk_error_summary.html`.

One GOV.UK form path: every form here is a `GovukForm`, so `{{ form.field }}` renders the whole
GOV.UK component (label, hint, error message, input) from `includes/govuk_field.html`, and
`{% include "includes/govuk_error_summary.html" with form=form %}` lists its errors, each linked
to its field; views pass the form, never a list of errors. A field may carry `govuk = {...}`
(e.g. {"width": "govuk-input--width-10"}) for what the component needs beyond the field.
"""

import datetime

from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates
from django.forms.utils import ErrorDict
from django.template.loader import get_template
from django.utils import timezone

from .models import (
    AddressedTo,
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
from .states import NOT_JUDGED

# Dates typed as text (briefing periods, the map's "as it stood on"), in any of these forms.
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d %m %Y", "%d %B %Y", "%d %b %Y"]
EARLIEST_YEAR = 2009  # the tracker holds inspections from 2009
DATE_HINT = "For example, 2016-04-01 or 1/4/2016."


def parse_date(text, label):
    """A date typed by a person in one of DATE_FORMATS; raises ValidationError naming the field."""
    text = (text or "").strip()
    if not text:
        return None
    for fmt in DATE_FORMATS:
        try:
            value = datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        break
    else:
        raise forms.ValidationError(f"{label} must be a real date, for example 2016-04-01.")
    if value > timezone.localdate():
        raise forms.ValidationError(f"{label} must be today or in the past.")
    if value.year < EARLIEST_YEAR:
        raise forms.ValidationError(
            f"{label} must be in {EARLIEST_YEAR} or later: the tracker holds inspections from then."
        )
    return value


VISIT_KINDS = (EventKind.MONITORING_VISIT, EventKind.FOCUSED_VISIT, EventKind.JTAI)
KIND_NOUNS = {
    EventKind.INSPECTION: "an inspection",
    EventKind.MONITORING_VISIT: "a monitoring visit",
    EventKind.FOCUSED_VISIT: "a focused visit",
    EventKind.JTAI: "a joint targeted area inspection",
    EventKind.INTERVENTION: "a government intervention",
    EventKind.MILESTONE: "a milestone",
}
REPORTED_KINDS = (EventKind.INSPECTION, *VISIT_KINDS)

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


# One GOV.UK form path ---------------------------------------------------------------------------


class GovukFormRenderer(DjangoTemplates):
    """Django's widget templates, with each field drawn by our GOV.UK component template.

    Only our forms use it (GovukForm), so the Django admin keeps its own look."""

    field_template_name = "includes/govuk_field.html"

    def get_template(self, template_name):
        if template_name.startswith("includes/"):
            return get_template(template_name)  # the project's templates, not Django's form ones
        return super().get_template(template_name)


class GovukBoundField(BoundField):
    """`{{ field }}` is the whole GOV.UK component; `{{ field.as_widget }}` the bare input."""

    def __str__(self):
        if self.is_hidden:
            return self.as_widget()
        return self.as_field_group()

    __html__ = __str__

    def get_context(self):
        return {"field": self, **getattr(self.field, "govuk", {})}


class GovukForm(forms.Form):
    """A form drawn with GOV.UK Frontend components, with its own error summary."""

    default_renderer = GovukFormRenderer
    bound_field_class = GovukBoundField

    @property
    def error_summary(self):
        """[(message, anchor id)] for includes/govuk_error_summary.html."""
        return error_summary(self)


# GOV.UK date input ----------------------------------------------------------------------------


class GovukDateWidget(forms.MultiWidget):
    """Three text boxes (day, month, year); named <name>_day, <name>_month, <name>_year."""

    def __init__(self, attrs=None):
        box = {"inputmode": "numeric"}
        super().__init__({"day": forms.TextInput(box), "month": forms.TextInput(box), "year": forms.TextInput(box)})

    def decompress(self, value):
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        return [None, None, None]


class DateBoundField(GovukBoundField):
    """A date field's three boxes for the template: id, name, label, value and width of each."""

    @property
    def parts(self):
        value = self.value()
        if not isinstance(value, (list, tuple)):
            value = self.field.widget.decompress(value)
        parts = []
        for (suffix, label, width), part in zip((("day", "Day", 2), ("month", "Month", 2), ("year", "Year", 4)), value):
            parts.append(
                {
                    "id": f"{self.auto_id}_{suffix}",
                    "name": f"{self.html_name}_{suffix}",
                    "label": label,
                    "width": width,
                    "value": "" if part is None else str(part).strip(),
                }
            )
        return parts


class GovukDateField(forms.MultiValueField):
    """A date typed as day, month and year, with GOV.UK's error messages."""

    widget = GovukDateWidget
    bound_field_class = DateBoundField

    def __init__(self, **kwargs):
        parts = (forms.CharField(required=False), forms.CharField(required=False), forms.CharField(required=False))
        kwargs.setdefault("error_messages", {})
        kwargs["error_messages"].setdefault("required", f"Enter the {kwargs.get('label', 'date').lower()}")
        super().__init__(parts, require_all_fields=False, **kwargs)

    def compress(self, data_list):
        if not data_list or not any((p or "").strip() for p in data_list):
            return None
        day, month, year = ((p or "").strip() for p in data_list)
        name = (self.label or "The date").capitalize()
        missing = [word for word, part in (("day", day), ("month", month), ("year", year)) if not part]
        if missing:
            raise forms.ValidationError(f"{name} must include a {' and a '.join(missing)}")
        if not (day.isdigit() and month.isdigit() and year.isdigit()):
            raise forms.ValidationError(f"{name} must be a real date, in numbers, for example 27 3 2024")
        if len(year) != 4:
            raise forms.ValidationError(f"{name} must include a year with four digits, for example 2024")
        try:
            value = datetime.date(int(year), int(month), int(day))
        except ValueError:
            raise forms.ValidationError(f"{name} must be a real date") from None
        if not 2000 <= value.year <= 2100:
            raise forms.ValidationError(f"{name} must be between 2000 and 2100")
        return value


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
        apply_service_errors(error, self.details, self.type_form)


# Uploads --------------------------------------------------------------------------------------


# Error summary --------------------------------------------------------------------------------


def _anchor(bound):
    widget = bound.field.widget
    if isinstance(widget, GovukDateWidget):
        return f"{bound.auto_id}_day"
    if isinstance(widget, forms.RadioSelect):
        return f"{bound.auto_id}_0"
    return bound.auto_id


def error_summary(*forms_or_formsets):
    """[(message, anchor id)] for every error, fields in page order, for the GOV.UK error summary."""
    items = []
    for form in forms_or_formsets:
        if form is None or not form.is_bound:
            continue
        if isinstance(form, forms.BaseFormSet):
            items += [(str(e), "recommendations") for e in form.non_form_errors()]
            for row in form.forms:
                items += error_summary(row)
            continue
        first = next((name for name in form.fields if name in form.errors), None)
        for message in form.non_field_errors():
            items.append((message, _anchor(form[first]) if first else "main-content"))
        for name in form.fields:
            for message in form.errors.get(name, []):
                items.append((message, _anchor(form[name])))
    return items


def apply_service_errors(error, *forms_in_order):
    """Show a service's ValidationError beside the fields it names (or at the top of the first form)."""
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            target = next((f for f in forms_in_order if name in f.fields), None)
            for message in messages:
                if target is not None:
                    target.add_error(name, message)
                else:
                    forms_in_order[0].add_error(None, message)
    else:
        for message in error.messages:
            forms_in_order[0].add_error(None, message)


__all__ = [
    "EventDetailsForm",
    "EventEntry",
    "EventTypeForm",
    "GovukDateField",
    "RecommendationForm",
    "apply_service_errors",
    "error_summary",
    "recommendation_formset",
    "recommendation_initial",
    "recommendation_items",
]


# From a report to the confirmation form -------------------------------------------------------


def report_initial(result, *, council, framework):
    """Initial values for confirming a report the reader read: (type_initial, initial, recommendations)."""
    initial = {
        "inspection_type": result.inspection_type or "",
        "start_date": result.start_date,
        "end_date": result.end_date,
        "published_date": result.published_date,
        "date_precision": DatePrecision.DAY,
        "lead_inspector": result.lead_inspector or "",
        "focus": result.focus or "",
    }
    for area, grade in result.judgements.items():
        initial[f"grade_{area}"] = grade
    type_initial = {"council": council, "kind": result.kind, "framework": framework}
    return type_initial, initial, [r.to_dict() for r in result.recommendations]


def flag_uncertain(entry, result, *, council_matched):
    """Mark what the reader could not find, so the editor checks it before saving."""
    if not council_matched:
        entry.type_form.fields["council"].flag = (
            f"The report names “{result.council_name}”, which is not a council we know: choose it"
            if result.council_name
            else "The report does not say which council: choose it"
        )
    if result.kind == EventKind.INSPECTION and not result.framework:
        entry.type_form.fields["framework"].flag = "The report does not make its framework clear: choose it"
    details = entry.details
    missing = {
        "start_date": "Not found in the report: enter it",
        "end_date": "Not found in the report: enter it if known",
        "published_date": "Not printed in the report: enter the date Ofsted published it, if known",
        "lead_inspector": "Not found in the report: enter it if known",
        "inspection_type": "Not stated in the report: choose it if known",
    }
    for name, message in missing.items():
        if not getattr(result, name, None):
            details.flag(name, message)
    if result.kind in VISIT_KINDS and not result.focus:
        details.flag("focus", "Not found in the letter: enter it if known")
    if entry.framework is not None and entry.framework.key == result.framework:
        for fa in details.areas:
            if fa.area.key not in result.judgements:
                details.flag(f"grade_{fa.area.key}", "No grade found in the report: check it")

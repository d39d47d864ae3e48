"""The one GOV.UK form path: a renderer and bound field so `{{ form.field }}` renders the whole GOV.UK
component (label, hint, error message, input) from `includes/govuk_field.html`; the GOV.UK date
input; dates typed as text; and the error summary (`includes/govuk_error_summary.html` with
`form=form`, or `errors=error_summary(*forms)` for a page of several forms), each error linked to
its field. Views pass the form, never a list of errors; a service's ValidationError goes beside
the fields it names with `apply_service_errors`. A field may carry `govuk = {...}` (e.g.
{"width": "govuk-input--width-10"}) for what the component needs beyond the field.
"""

import datetime

from django import forms
from django.core.validators import URLValidator
from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates
from django.template.loader import get_template
from django.utils import timezone

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


class ErrorSummaryMixin:
    """`form.error_summary` for includes/govuk_error_summary.html, for forms whose templates draw
    their own fields (GovukForm has it too)."""

    @property
    def error_summary(self):
        """[(message, anchor id)], each linked to its field."""
        return error_summary(self)


class GovukForm(ErrorSummaryMixin, forms.Form):
    """A form drawn with GOV.UK Frontend components, with its own error summary."""

    default_renderer = GovukFormRenderer
    bound_field_class = GovukBoundField


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


class WebAddressField(forms.URLField):
    """A link to a web page: http or https only (never javascript:, data: or file:)."""

    default_validators = [URLValidator(schemes=["http", "https"])]


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

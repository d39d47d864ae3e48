"""Forms for briefings: the options a PDF address takes, and the builder page's choices."""

from django import forms

from inspections.forms import DATE_HINT, ErrorSummaryMixin, parse_date

from .document import AREA_SECTIONS, COUNCIL_SECTIONS, KINDS, BriefingOptions


class PeriodMixin:
    """`date_from` and `date_to` fields: real dates, not in the future, in order."""

    def clean_date_from(self):
        return parse_date(self.cleaned_data.get("date_from"), "The start of the period")

    def clean_date_to(self):
        return parse_date(self.cleaned_data.get("date_to"), "The end of the period")

    def check_period(self, data):
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The end of the period must be on or after its start.")


class BriefingOptionsForm(PeriodMixin, forms.Form):
    """The query string of a briefing PDF: `sections` (repeated; none means all), `from` and `to`."""

    sections = forms.MultipleChoiceField(required=False)
    date_from = forms.CharField(required=False)
    date_to = forms.CharField(required=False)

    def __init__(self, params, *, kind):
        data = {
            "sections": params.getlist("sections"),
            "date_from": params.get("from", ""),
            "date_to": params.get("to", ""),
        }
        super().__init__(data)
        self.kind = kind
        self.fields["sections"].choices = list(KINDS[kind].items())
        self.fields["sections"].error_messages["invalid_choice"] = (
            f"“%(value)s” is not a section of a {kind} briefing. Sections: {', '.join(KINDS[kind])}."
        )

    def clean(self):
        data = super().clean()
        self.check_period(data)
        return data

    def options(self):
        """BriefingOptions from the valid form, sections in print order."""
        chosen = set(self.cleaned_data["sections"]) or set(KINDS[self.kind])
        return BriefingOptions(
            sections=tuple(key for key in KINDS[self.kind] if key in chosen),
            date_from=self.cleaned_data["date_from"],
            date_to=self.cleaned_data["date_to"],
        )

    def error_text(self):
        """Every error as one sentence per line, for an error page."""
        return [message for errors in self.errors.values() for message in errors]


SCOPES = [("national", "England"), ("region", "A region"), ("council", "A council")]
# Each scope's own fields: the builder shows only these for the chosen scope (all of them without
# JavaScript) and reads only these. {scope: (place field or None, sections field)}
SCOPE_FIELDS = {
    "national": (None, "national_sections"),
    "region": ("region", "region_sections"),
    "council": ("council", "council_sections"),
}
SUBMITTED = "builder"  # a hidden field sent by the form, not by a link: see BriefingBuilderForm


class BriefingBuilderForm(ErrorSummaryMixin, PeriodMixin, forms.Form):
    """What the builder asks: England, a region or a council; which sections; which period.

    A link that names no sections (``?scope=region&region=north-west``) means every section, as
    the PDF address does; the form itself sends ``builder=1``, so a user who unticks every box is
    asked to choose one instead.
    """

    scope = forms.ChoiceField(
        label="What is the briefing about?",
        choices=SCOPES,
        error_messages={
            "required": "Choose England, a region or a council.",
            "invalid_choice": "Choose England, a region or a council.",
        },
    )
    region = forms.ChoiceField(label="Region", required=False)
    council = forms.ChoiceField(label="Council", required=False)
    national_sections = forms.MultipleChoiceField(label="Sections", choices=list(AREA_SECTIONS.items()), required=False)
    region_sections = forms.MultipleChoiceField(label="Sections", choices=list(AREA_SECTIONS.items()), required=False)
    council_sections = forms.MultipleChoiceField(
        label="Sections", choices=list(COUNCIL_SECTIONS.items()), required=False
    )
    date_from = forms.CharField(label="From", required=False, help_text=DATE_HINT + " Leave blank for the start.")
    date_to = forms.CharField(
        label="To (the date the briefing is as at)", required=False, help_text=DATE_HINT + " Leave blank for today."
    )

    def __init__(self, data=None, *, councils, regions):
        if data is not None and SUBMITTED not in data:
            data = self._every_section_unless_named(data)
        super().__init__(data)
        self.fields["council"].choices = [("", "Choose a council")] + [(c.slug, c.name) for c in councils]
        self.fields["region"].choices = [("", "Choose a region")] + [(r.slug, r.name) for r in regions]
        self.fields["council"].error_messages["invalid_choice"] = "Choose a council from the list."
        self.fields["region"].error_messages["invalid_choice"] = "Choose a region from the list."
        self.councils = {c.slug: c for c in councils}
        self.regions = {r.slug: r for r in regions}
        if data is None:
            self.initial = {"scope": "council"} | {
                field: list(KINDS[scope]) for scope, (_place, field) in SCOPE_FIELDS.items()
            }

    @staticmethod
    def _every_section_unless_named(data):
        """A link's query: the chosen scope with no sections named gets all of them."""
        scope = data.get("scope")
        if scope not in SCOPE_FIELDS:
            return data
        field = SCOPE_FIELDS[scope][1]
        if data.getlist(field):
            return data
        data = data.copy()
        data.setlist(field, list(KINDS[scope]))
        return data

    def clean(self):
        data = super().clean()
        self.check_period(data)
        scope = data.get("scope")
        if scope not in SCOPE_FIELDS:
            return data
        place, sections = SCOPE_FIELDS[scope]
        if place == "council" and not data.get("council") and not self.has_error("council"):
            self.add_error("council", "Choose the council the briefing is about.")
        if place == "region" and not data.get("region") and not self.has_error("region"):
            self.add_error("region", "Choose the region the briefing is about.")
        if not data.get(sections):
            self.add_error(sections, "Choose at least one section to include.")
        # Another scope's fields are not this briefing's: their errors (a stale choice) do not count.
        for other, (other_place, other_sections) in SCOPE_FIELDS.items():
            if other != scope:
                for name in (other_place, other_sections):
                    if name and name != place and name in self._errors:
                        del self._errors[name]
        return data

    @property
    def kind(self):
        return self.cleaned_data["scope"]

    @property
    def target(self):
        """The chosen Council (scope council), Region (scope region) or None (England)."""
        if self.kind == "council":
            return self.councils[self.cleaned_data["council"]]
        if self.kind == "region":
            return self.regions[self.cleaned_data["region"]]
        return None

    def options(self):
        chosen = set(self.cleaned_data[SCOPE_FIELDS[self.kind][1]])
        return BriefingOptions(
            sections=tuple(key for key in KINDS[self.kind] if key in chosen),
            date_from=self.cleaned_data["date_from"],
            date_to=self.cleaned_data["date_to"],
        )

    def pdf_query(self):
        """The PDF address's query string for these choices."""
        from urllib.parse import urlencode

        options = self.options()
        params = [("sections", key) for key in options.sections]
        if options.date_from:
            params.append(("from", options.date_from.isoformat()))
        if options.date_to:
            params.append(("to", options.date_to.isoformat()))
        return urlencode(params)

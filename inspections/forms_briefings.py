"""Forms for briefings: the options a PDF address takes, and the builder page's choices."""

from django import forms

from .briefings import AREA_SECTIONS, COUNCIL_SECTIONS, KINDS, BriefingOptions
from .forms import DATE_HINT, parse_date


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


class BriefingBuilderForm(PeriodMixin, forms.Form):
    """What the builder asks: England, a region or a council; which sections; which period."""

    scope = forms.ChoiceField(label="What is the briefing about?", choices=SCOPES)
    region = forms.ChoiceField(label="Region", required=False)
    council = forms.ChoiceField(label="Council", required=False)
    council_sections = forms.MultipleChoiceField(
        label="Sections of a council briefing", choices=list(COUNCIL_SECTIONS.items()), required=False
    )
    area_sections = forms.MultipleChoiceField(
        label="Sections of a region or national briefing", choices=list(AREA_SECTIONS.items()), required=False
    )
    date_from = forms.CharField(label="From", required=False, help_text=DATE_HINT + " Leave blank for the start.")
    date_to = forms.CharField(
        label="To (the date the briefing is as at)", required=False, help_text=DATE_HINT + " Leave blank for today."
    )

    def __init__(self, data=None, *, councils, regions):
        super().__init__(data)
        self.fields["council"].choices = [("", "Choose a council")] + [(c.slug, c.name) for c in councils]
        self.fields["region"].choices = [("", "Choose a region")] + [(r.slug, r.name) for r in regions]
        self.councils = {c.slug: c for c in councils}
        self.regions = {r.slug: r for r in regions}
        if data is None:
            self.initial = {
                "scope": "council",
                "council_sections": list(COUNCIL_SECTIONS),
                "area_sections": list(AREA_SECTIONS),
            }

    def clean(self):
        data = super().clean()
        self.check_period(data)
        scope = data.get("scope")
        if scope == "council" and not data.get("council"):
            self.add_error("council", "Choose the council the briefing is about.")
        if scope == "region" and not data.get("region"):
            self.add_error("region", "Choose the region the briefing is about.")
        field = "council_sections" if scope == "council" else "area_sections"
        if scope and not data.get(field):
            self.add_error(field, "Choose at least one section to include.")
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
        field = "council_sections" if self.kind == "council" else "area_sections"
        chosen = set(self.cleaned_data[field])
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

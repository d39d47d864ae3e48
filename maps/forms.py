"""The /map/ form: which theme, where (England or a region), as at which date, and today beside it."""

from datetime import date

from django import forms

from inspections.forms import ErrorSummaryMixin, parse_date

from .selectors import DEFAULT_THEME, theme_of_area

COMPARE_DEFAULT = date(2016, 12, 31)


class MapForm(ErrorSummaryMixin, forms.Form):
    """What to map: a theme, a region (or England), a date, and whether to show today beside it.

    ``?area=<judgement area key>`` (the old addresses) still works: it means that area's theme.
    """

    theme = forms.ChoiceField(
        label="Judgement", required=False, error_messages={"invalid_choice": "Choose a judgement from the list."}
    )
    region = forms.ChoiceField(
        label="Where", required=False, error_messages={"invalid_choice": "Choose England or a region from the list."}
    )
    as_at = forms.CharField(
        label="As it stood on",
        required=False,
        help_text="For example, 2016-12-31 or 31/12/2016. Leave blank for today.",
    )
    compare = forms.BooleanField(label="Show today’s map beside it", required=False)

    def __init__(self, data=None, *, themes, regions):
        if data is not None and "area" in data and not data.get("theme"):
            old = theme_of_area(themes, data.get("area"))
            data = data.copy()
            data["theme"] = old.key if old else data.get("area")
        super().__init__(data)
        self.fields["theme"].choices = [(t.key, t.label) for t in themes]
        self.fields["region"].choices = [("", "England")] + [(r.slug, r.name) for r in regions]
        self.regions = {r.slug: r for r in regions}

    def clean_theme(self):
        return self.cleaned_data.get("theme") or DEFAULT_THEME

    def clean_region(self):
        slug = self.cleaned_data.get("region")
        return self.regions.get(slug) if slug else None

    def clean_as_at(self):
        return parse_date(self.cleaned_data.get("as_at"), "The date")

    def clean(self):
        data = super().clean()
        if data.get("compare") and "as_at" in data and data.get("as_at") is None and not self.has_error("as_at"):
            data["as_at"] = COMPARE_DEFAULT
        return data

"""The who/what filter of a history page (GET, never saved)."""

from django import forms

from .govuk import GovukForm


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

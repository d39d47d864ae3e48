"""The analysts' pages' query-string forms: what a user typed, checked, with GOV.UK error messages."""

import datetime

from django import forms
from django.utils import timezone


class SinceForm(forms.Form):
    """`since=YYYY-MM-DD`, default a month ago; not in the future."""

    since = forms.DateField(
        required=False,
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": "Enter the date as year-month-day, for example 2026-10-31"},
    )

    @staticmethod
    def default():
        today = timezone.localdate()
        return today - datetime.timedelta(days=30)

    def clean_since(self):
        since = self.cleaned_data.get("since")
        if since and since > timezone.localdate():
            raise forms.ValidationError("The date must be today or in the past")
        return since

    def since_or_default(self):
        """The checked date, or a month ago when none (or a wrong one) was given."""
        if self.is_valid() and self.cleaned_data.get("since"):
            return self.cleaned_data["since"]
        return self.default()

"""The form for a new API token."""

from django import forms

from inspections.forms import ErrorSummaryMixin


class ApiTokenForm(ErrorSummaryMixin, forms.Form):
    name = forms.CharField(
        label="What is the token for?",
        help_text="For example, the name of the script or report that will use it",
        max_length=100,
        error_messages={"required": "Enter what the token is for", "max_length": "Use 100 characters or fewer"},
    )

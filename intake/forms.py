"""The upload form: a report PDF checked by its content and size before anything reads it."""

from django import forms
from django.conf import settings

from .reports import looks_like_pdf


class ReportUploadForm(forms.Form):
    """A report PDF: checked by its content (the %PDF- header) and size, never by its name."""

    report = forms.FileField(
        label="Upload the report",
        help_text="The PDF as published by Ofsted.",
        error_messages={"required": "Select a report PDF", "empty": "The selected file is empty"},
    )

    def clean_report(self):
        upload = self.cleaned_data["report"]
        limit = settings.REPORT_UPLOAD_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(f"The selected file must be smaller than {_size(limit)}")
        upload.seek(0)
        head = upload.read(1024)
        upload.seek(0)
        if not looks_like_pdf(head):
            raise forms.ValidationError("The selected file must be a PDF (this file is not a PDF, whatever its name)")
        return upload


def _size(limit):
    return f"{limit / (1024 * 1024):g} MB" if limit >= 1024 * 1024 else f"{limit // 1024} KB"

"""The intake's forms: the upload (a report PDF checked by its content and size before anything
reads it) and the page that checks what was read (`ReportCheck`: the event forms started from the
reading, on top of the event we already hold)."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from inspections.forms import VISIT_KINDS, EventDetailsForm, EventEntry, GovukForm
from inspections.models import DatePrecision, EventKind, Framework
from reportreader import ReportResult

from .ofsted import kind_from_label
from .pipeline import reading_of
from .reports import find_duplicate, looks_like_pdf
from .services import intake_save


class ReportUploadForm(GovukForm):
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


class ReportCheck:
    """Checking a waiting report: the event forms filled from what was read (never read again), on
    top of the event we already hold for it, if any, so nothing is blanked by accident.

    `data`: the POST, or None to show the page. After `save()` returns None, `notice` says why
    nothing was saved: "changed" (the values now match another held event, or none), "conflict"
    (someone changed the held event meanwhile), or None (errors on the form).
    """

    def __init__(self, report, data=None):
        self.report, self.data, self.notice = report, data, None
        self.result = reading_of(report) or ReportResult(kind=kind_from_label(report.label) or "inspection")
        result, council = self.result, report.council
        framework = Framework.objects.filter(key=result.framework).first() if result.framework else None
        type_initial, initial, recommendations = report_initial(result, council=council, framework=framework)
        self.duplicate = None
        if council is not None:
            self.duplicate = find_duplicate(
                council=council, kind=result.kind, start_date=result.start_date, published_date=result.published_date
            )
        if self.duplicate is not None:
            merged = EventDetailsForm.initial_for(self.duplicate)
            merged.update({k: v for k, v in initial.items() if v not in (None, "")})
            initial = merged
            recommendations = recommendations or [
                {"text": r.text, "addressed_to": r.addressed_to} for r in self.duplicate.recommendations.all()
            ]
        self.entry = EventEntry(
            data, type_data=data, type_initial=type_initial, initial=initial, recommendations_initial=recommendations
        )
        flag_uncertain(self.entry, result, council_matched=council is not None)

    def save(self, *, user):
        """Save what the editor confirmed: (event, status), or None with the reason on the page.
        The held event the page showed (`duplicate_of`, `duplicate_version`) is updated only if it
        is still the one the values match and nobody changed it since."""
        if self.data is None or not self.entry.is_valid():
            return None
        arguments = self.entry.save_arguments()
        arguments["values"]["source_name"] = self.report.filename
        values = arguments["values"]
        duplicate = find_duplicate(
            council=self.entry.council,
            kind=self.entry.kind,
            start_date=values["start_date"],
            published_date=values["published_date"],
        )
        if str(duplicate.pk if duplicate else "") != self.data.get("duplicate_of", ""):
            self.duplicate, self.notice = duplicate, "changed"
            return None
        self.duplicate = duplicate
        expected = _int(self.data.get("duplicate_version")) if duplicate else None
        try:
            return intake_save(
                report=self.report, user=user, arguments=arguments, event=duplicate, expected_version=expected
            )
        except ValidationError as error:
            if duplicate is not None and getattr(error, "code", None) in ("conflict", "stale_form"):
                duplicate.refresh_from_db()
                self.notice = "conflict"
            else:
                self.entry.add_service_errors(error)
            return None

    @property
    def errors(self):
        """[(message, anchor)] for the error summary, a conflict first."""
        errors = self.entry.errors
        if self.notice == "conflict":
            errors = [("Someone else changed this inspection while you were checking the report", "duplicate")]
            errors += self.entry.errors
        return errors


def _int(text):
    try:
        return int(text)
    except (TypeError, ValueError):
        return None


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

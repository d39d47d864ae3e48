"""Uploading a report: /reports/upload/ checks and reads the PDF, /reports/upload/<token>/ shows what
was read in the entry form to correct and confirm. Editors only."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from reportreader import ReportError, read_report

from ..forms import EventDetailsForm, EventEntry, ReportUploadForm, error_summary, flag_uncertain, report_initial
from ..models import Framework
from ..reports import (
    council_index,
    find_duplicate,
    match_council,
    pending_clean_up,
    pending_discard,
    pending_read,
    pending_store,
    report_event_save,
    safe_report_name,
)
from ..roles import ENTER, permission_required

SESSION_KEY = "pending_reports"


@require_http_methods(["GET", "POST"])
@permission_required(ENTER)
def report_upload(request):
    """Check the file (PDF by content, size limit) and read it; keep it until confirmed."""
    if request.method == "POST":
        form = ReportUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["report"]
            filename = safe_report_name(upload.name)
            data = upload.read()
            try:
                read_report(data, filename=filename)
            except ReportError as error:
                form.add_error("report", f"The selected file could not be read as an Ofsted report: {error.reason}")
            else:
                pending_clean_up()
                token = pending_store(data=data)
                pending = request.session.get(SESSION_KEY, {})
                pending[token] = filename
                request.session[SESSION_KEY] = pending
                return redirect("inspections:report_confirm", token=token)
    else:
        form = ReportUploadForm()
    return render(request, "reports/upload.html", {"form": form, "errors": error_summary(form)})


@require_http_methods(["GET", "POST"])
@permission_required(ENTER)
def report_confirm(request, token):
    """What the reader found, editable; saved (or, for a report we hold, updated) on confirm."""
    token = str(token)
    filename = request.session.get(SESSION_KEY, {}).get(token)
    try:
        if filename is None:
            raise ValidationError("That upload has expired or was already saved. Upload the report again.")
        data = pending_read(token)
        result = read_report(data, filename=filename)
    except (ValidationError, ReportError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        return redirect("inspections:report_upload")

    council = match_council(name=result.council_name, urn=result.council_urn, index=council_index())
    framework = Framework.objects.filter(key=result.framework).first() if result.framework else None
    type_initial, initial, recommendations = report_initial(result, council=council, framework=framework)
    duplicate = None
    if council is not None:
        duplicate = find_duplicate(
            council=council, kind=result.kind, start_date=result.start_date, published_date=result.published_date
        )
    if duplicate is not None:
        # Start from what we hold, with the report's values on top, so nothing is blanked by accident.
        merged = EventDetailsForm.initial_for(duplicate)
        merged.update({k: v for k, v in initial.items() if v not in (None, "")})
        initial = merged
        recommendations = recommendations or [
            {"text": r.text, "addressed_to": r.addressed_to} for r in duplicate.recommendations.all()
        ]

    data_post = request.POST if request.method == "POST" else None
    entry = EventEntry(
        data_post,
        type_data=data_post,
        type_initial=type_initial,
        initial=initial,
        recommendations_initial=recommendations,
    )
    flag_uncertain(entry, result, council_matched=council is not None)
    notice = None
    if data_post is not None and entry.is_valid():
        arguments = entry.save_arguments()
        values = arguments["values"]
        values["source_name"] = filename
        duplicate = find_duplicate(
            council=entry.council,
            kind=entry.kind,
            start_date=values["start_date"],
            published_date=values["published_date"],
        )
        offered = data_post.get("duplicate_of", "")
        if str(duplicate.pk if duplicate else "") != offered:
            notice = "changed"
        else:
            expected = _int(data_post.get("duplicate_version")) if duplicate else None
            try:
                event, status = report_event_save(
                    **arguments, data=data, filename=filename, event=duplicate, expected_version=expected
                )
            except ValidationError as error:
                if duplicate is not None and type(duplicate).objects.get(pk=duplicate.pk).version != expected:
                    duplicate.refresh_from_db()
                    notice = "conflict"
                else:
                    entry.add_service_errors(error)
            else:
                pending_discard(token)
                pending = request.session.get(SESSION_KEY, {})
                pending.pop(token, None)
                request.session[SESSION_KEY] = pending
                verb = "saved" if status == "created" else "updated" if status == "updated" else "already up to date"
                messages.success(request, f"{event.display_title} for {event.council.name} {verb}.")
                return redirect(event)
    errors = entry.errors
    if notice == "conflict":
        errors = [("Someone else changed this inspection while you were checking the report", "duplicate")] + errors
    return render(
        request,
        "reports/confirm.html",
        {
            "entry": entry,
            "errors": errors,
            "result": result,
            "filename": filename,
            "duplicate": duplicate,
            "notice": notice,
        },
    )


def _int(text):
    try:
        return int(text)
    except (TypeError, ValueError):
        return None

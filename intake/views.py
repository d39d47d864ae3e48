"""Pages of the intake: upload a report (/reports/upload/), check and confirm what was read
(/reports/upload/<token>/), the review queue of fetched and uploaded reports (/reports/review/,
editors) and the record of the daily sync (/reports/sync/, admins)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from inspections.forms import EventDetailsForm, EventEntry, error_summary, flag_uncertain, report_initial
from inspections.models import Framework
from inspections.roles import ENTER, MANAGE_USERS, permission_required
from reportreader import ReportResult

from . import selectors
from .forms import ReportUploadForm
from .models import IntakeReport, Source, Status
from .ofsted import kind_from_label
from .pipeline import (
    QUEUE,
    check_upload_quota,
    intake_file,
    intake_reject,
    intake_save,
    one_click_arguments,
    reading_of,
)
from .reports import find_duplicate, safe_report_name

GONE = "That upload has expired or was already saved. Upload the report again."


@require_http_methods(["GET", "POST"])
@permission_required(ENTER)
def report_upload(request):
    """Check the file (PDF by content, size limit, the editor's quota), read it in the sandbox and
    keep it with what was read until the editor confirms it."""
    if request.method == "POST":
        form = ReportUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["report"]
            try:
                check_upload_quota(request.user)
                arrival = intake_file(
                    data=upload.read(),
                    filename=safe_report_name(upload.name),
                    source=Source.UPLOAD,
                    mode=QUEUE,
                    user=request.user,
                )
            except ValidationError as error:
                form.add_error("report", " ".join(error.messages))
            else:
                if arrival.report is not None:
                    return redirect("intake:report_confirm", token=arrival.report.token)
                form.add_error("report", f"The selected file could not be read as an Ofsted report: {arrival.error}")
    else:
        form = ReportUploadForm()
    return render(request, "intake/upload.html", {"form": form, "errors": error_summary(form)})


@require_http_methods(["GET", "POST"])
@permission_required(ENTER)
def report_confirm(request, token):
    """An editor's own upload: what was read, editable; saved (or, for a report we hold, updated)."""
    report = selectors.waiting_report(token=token)
    if report is None or report.uploaded_by_id != request.user.pk:
        messages.error(request, GONE)
        return redirect("intake:report_upload")
    return _check(request, report)


@require_http_methods(["GET", "POST"])
@permission_required(ENTER)
def review_check(request, token):
    """Any waiting report, fetched or uploaded, in the same form to check and correct."""
    report = selectors.waiting_report(token=token)
    if report is None:
        messages.error(request, "That report was already confirmed or rejected.")
        return redirect("intake:review_list")
    return _check(request, report)


def _check(request, report):
    result = reading_of(report) or ReportResult(kind=kind_from_label(report.label) or "inspection")
    council = report.council
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
        arguments["values"]["source_name"] = report.filename
        values = arguments["values"]
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
                event, status = intake_save(
                    report=report, user=request.user, arguments=arguments, event=duplicate, expected_version=expected
                )
            except ValidationError as error:
                if duplicate is not None and type(duplicate).objects.get(pk=duplicate.pk).version != expected:
                    duplicate.refresh_from_db()
                    notice = "conflict"
                else:
                    entry.add_service_errors(error)
            else:
                verb = "saved" if status == "created" else "updated" if status == "updated" else "already up to date"
                messages.success(request, f"{event.display_title} for {event.council.name} {verb}.")
                return redirect(event)
    errors = entry.errors
    if notice == "conflict":
        errors = [("Someone else changed this inspection while you were checking the report", "duplicate")] + errors
    return render(
        request,
        "intake/confirm.html",
        {
            "entry": entry,
            "errors": errors,
            "result": result,
            "report": report,
            "filename": report.filename,
            "duplicate": duplicate,
            "notice": notice,
        },
    )


@permission_required(ENTER)
@require_http_methods(["GET"])
def review_list(request):
    """Reports waiting for review, oldest first, with what was read and the flags; admins also see
    how the last sync went."""
    page = Paginator(selectors.reports_for_review(), 25).get_page(request.GET.get("page"))
    last_run = selectors.last_sync_run() if request.user.has_perm(MANAGE_USERS) else None
    return render(request, "intake/review_list.html", {"page": page, "items": page.object_list, "last_run": last_run})


@permission_required(ENTER)
@require_POST
def review_confirm(request, token):
    """One click: save what was read as it is (or update the event it matches)."""
    report = get_object_or_404(IntakeReport.objects.select_related("council"), token=token)
    try:
        event, status = intake_save(report=report, user=request.user, arguments=one_click_arguments(report))
    except ValidationError as error:
        messages.error(request, f"{report.filename}: {' '.join(error.messages)}")
    else:
        verb = "saved" if status == "created" else "updated" if status == "updated" else "already up to date"
        messages.success(request, f"{event.display_title} for {event.council.name} {verb}.")
    return redirect("intake:review_list")


@permission_required(ENTER)
@require_POST
def review_reject(request, token):
    """One click: the report never counts; its file is removed."""
    report = get_object_or_404(IntakeReport, token=token)
    try:
        intake_reject(report=report, user=request.user)
    except ValidationError as error:
        messages.error(request, f"{report.filename}: {' '.join(error.messages)}")
    else:
        messages.success(request, f"{report.filename} was rejected; it will not be recorded.")
    return redirect("intake:review_list")


@permission_required(ENTER)
@require_http_methods(["GET"])
def review_file(request, token):
    """The PDF of a waiting report, to editors only."""
    report = get_object_or_404(IntakeReport, token=token, status=Status.PENDING)
    if not report.file:
        raise Http404("This report has no file.")
    try:
        handle = report.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404("The report's file has gone from storage.") from None
    return FileResponse(handle, content_type="application/pdf", filename=report.filename)


@permission_required(MANAGE_USERS)
@require_http_methods(["GET"])
def sync_runs(request):
    """When the sync ran, what it found and what failed (admins)."""
    page = Paginator(selectors.sync_runs(), 20).get_page(request.GET.get("page"))
    return render(request, "intake/sync_runs.html", {"page": page, "runs": page.object_list})


def _int(text):
    try:
        return int(text)
    except (TypeError, ValueError):
        return None

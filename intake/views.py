"""Pages of the intake: upload a report (/reports/upload/), check and confirm what was read
(/reports/upload/<token>/), the review queue of fetched and uploaded reports (/reports/review/,
editors) and the record of the daily sync (/reports/sync/, admins)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from inspections.roles import ENTER, MANAGE_USERS, permission_required
from inspections.services import CREATED, UPDATED

from . import selectors
from .forms import ReportCheck, ReportUploadForm
from .models import IntakeReport, Source, Status
from .pipeline import QUEUE, intake_file, one_click_arguments
from .reports import safe_report_name
from .services import intake_reject, intake_save

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
                selectors.check_upload_quota(request.user)
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
    return render(request, "intake/upload.html", {"form": form})


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
    check = ReportCheck(report, request.POST if request.method == "POST" else None)
    saved = check.save(user=request.user)
    if saved is not None:
        event, status = saved
        messages.success(request, f"{event.display_title} for {event.council.name} {_verb(status)}.")
        return redirect(event)
    context = {"entry": check.entry, "errors": check.errors, "result": check.result, "report": report}
    context |= {"filename": report.filename, "duplicate": check.duplicate, "notice": check.notice}
    return render(request, "intake/confirm.html", context)


def _verb(status):
    return {CREATED: "saved", UPDATED: "updated"}.get(status, "already up to date")


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
        event, status = intake_save(report=report, user=request.user, arguments=one_click_arguments(report), merge=True)
    except ValidationError as error:
        messages.error(request, f"{report.filename}: {' '.join(error.messages)}")
    else:
        messages.success(request, f"{event.display_title} for {event.council.name} {_verb(status)}.")
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

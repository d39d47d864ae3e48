"""Reads for the intake's pages, each a fixed number of queries."""

from .models import IntakeReport, Status, SyncRun


def waiting_report(*, token):
    """The waiting report with this token (with its council), or None."""
    return IntakeReport.objects.select_related("council").filter(token=token, status=Status.PENDING).first()


def reports_for_review():
    """Every waiting report, oldest first, with its council, the event it would update and its uploader."""
    return IntakeReport.objects.for_review().order_by("created_at", "pk")


def last_sync_run():
    """The latest run of the sync, or None."""
    return SyncRun.objects.order_by("-started_at", "-pk").first()


def sync_runs():
    return SyncRun.objects.order_by("-started_at", "-pk")

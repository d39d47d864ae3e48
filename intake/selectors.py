"""Reads for the intake's pages, each a fixed number of queries."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from .models import IntakeReport, Source, Status, SyncRun


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


def upload_cutoff(now=None):
    """Uploads older than this (INTAKE_PENDING_UPLOAD_HOURS) count as abandoned."""
    return (now or timezone.now()) - timedelta(hours=settings.INTAKE_PENDING_UPLOAD_HOURS)


def uploads_waiting(user):
    """How many of `user`'s uploads wait to be confirmed (not counting abandoned ones)."""
    return IntakeReport.objects.filter(
        source=Source.UPLOAD, status=Status.PENDING, uploaded_by=user, created_at__gte=upload_cutoff()
    ).count()


def check_upload_quota(user):
    """Raise ValidationError when `user` already has INTAKE_UPLOADS_PER_EDITOR uploads waiting."""
    limit = settings.INTAKE_UPLOADS_PER_EDITOR
    if uploads_waiting(user) >= limit:
        raise ValidationError(
            f"You have {limit} uploaded reports waiting to be checked. Save or reject some of them "
            "(under Reports to review) before uploading more."
        )

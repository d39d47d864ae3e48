"""Telling editors that reports arrived: one email per sync run (Django's email settings, with
EMAIL_TIMEOUT), to every active editor and admin who has an email address."""

import logging
import smtplib

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.urls import reverse

from inspections.roles import ADMIN, EDITOR

log = logging.getLogger(__name__)


def editor_addresses():
    """Email addresses of active editors and admins (one query)."""
    users = get_user_model().objects.filter(is_active=True, groups__name__in=[EDITOR, ADMIN]).exclude(email="")
    return sorted(set(users.values_list("email", flat=True)))


def notify_arrivals(*, waiting, accepted):
    """Email editors about reports waiting for review and reports saved straight in. Returns an
    error sentence if the email could not be sent (the sync records it), else None."""
    if not waiting and not accepted:
        return None
    recipients = editor_addresses()
    if not recipients:
        return None
    lines = []
    if waiting:
        lines.append(f"{len(waiting)} report(s) from Ofsted's site wait for review:")
        lines += [f"- {_describe(report)}" for report in waiting]
        lines += ["", f"Review them at {settings.SITE_URL}{reverse('intake:review_list')}", ""]
    if accepted:
        lines.append(f"{len(accepted)} report(s) the reader had no doubt about were recorded straight away:")
        lines += [f"- {_describe(report)}" for report in accepted]
    subject = f"{len(waiting) + len(accepted)} new Ofsted report(s) for the tracker"
    message = EmailMessage(subject=subject, body="\n".join(lines), bcc=recipients)
    try:
        message.send()
    except (OSError, smtplib.SMTPException) as error:
        log.warning("Could not email editors about new reports: %s", error)
        return f"The email to editors could not be sent ({type(error).__name__}: {error})."
    return None


def _describe(report):
    where = report.council.name if report.council else (report.reading or {}).get("council_name") or "council not known"
    what = report.label or report.filename
    return f"{where}: {what}"

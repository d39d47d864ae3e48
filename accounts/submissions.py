"""One-use submit tokens for create forms: a replayed, refreshed or double-clicked post saves once.

The form carries a token made when the page was drawn (`submission_token`). The view claims it
(`submission_claim`) inside the transaction that saves, so a save that fails frees it again, and
two posts of one page racing each other meet at the token's unique index: the second waits for
the first and is then told what the first one made (`AlreadySubmitted.result_url`).
"""

import re
import uuid

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from .models import FormSubmission

TOKEN = re.compile(r"[0-9a-f]{32}")


class AlreadySubmitted(Exception):
    """This page was submitted before; `result_url` is what it made ("" if unknown)."""

    def __init__(self, result_url):
        super().__init__(result_url)
        self.result_url = result_url


def submission_token():
    return uuid.uuid4().hex


def submission_result(token):
    """Raise AlreadySubmitted when `token` was used already (a cheap check before validating)."""
    found = FormSubmission.objects.filter(token=token or "").values_list("result_url", flat=True).first()
    if found is not None:
        raise AlreadySubmitted(found)


def submission_claim(*, token, user):
    """Claim `token` for `user` within the caller's transaction.

    Raises ValidationError (code "stale_form") for a missing or malformed token, AlreadySubmitted
    when it was used already.
    """
    if not token or not TOKEN.fullmatch(token):
        raise ValidationError(
            "This page is out of date. Nothing has been saved: check your answers and save again.", code="stale_form"
        )
    try:
        with transaction.atomic():
            FormSubmission.objects.create(token=token, user=user)
    except IntegrityError:
        raise AlreadySubmitted(
            FormSubmission.objects.filter(token=token).values_list("result_url", flat=True).first() or ""
        ) from None


def submission_done(*, token, result_url):
    """Record what the claimed `token` made, for a replay to be shown."""
    FormSubmission.objects.filter(token=token).update(result_url=result_url)

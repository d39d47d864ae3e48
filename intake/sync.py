"""The daily sync with Ofsted's site: find every council's published reports and bring the new
ones in through the intake pipeline.

A report is new when its file link has not been seen before; every link is remembered
(`OfstedLink`) as soon as it is dealt with, each in its own transaction, so a run killed half
way loses nothing and the next run carries on. Links the tracker already holds as an event's
source are known without fetching them. A republished report (a new link, the same council,
kind and dates) matches the event we hold and is offered as an update of it. Councils that no
longer exist are not in the search listing: they are looked up by their own URNs.
"""

import os
import socket
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from inspections.models import Council, Event, Framework

from .locks import sync_lock
from .models import DONE_LINK_STATUSES, LinkStatus, OfstedLink, RunStatus, Source, Status, SyncRun
from .notify import notify_arrivals
from .ofsted import COUNCIL_PATH, FetchError, LayoutChanged, OfstedSite
from .pipeline import AUTO, intake_file
from .reports import council_index, looks_like_pdf, safe_report_name

NEW, KNOWN, UPDATED, FAILED, SKIPPED = "new", "known", "updated", "failed", "skipped"


class AlreadyRunning(Exception):
    """Another sync holds the lock; the message says where and since when."""


def user_agent():
    """An honest User-Agent: who we are, why we call, and how to reach us when configured."""
    contact = f"; contact: {settings.OFSTED_CONTACT}" if settings.OFSTED_CONTACT else ""
    return f"OfstedJudgementTracker/1.0 (daily check for new children's services reports{contact})"


def site_from_settings(base_url=None):
    """An OfstedSite with the OFSTED_* settings (delay, timeout, retries, back-off)."""
    return OfstedSite(
        base_url or settings.OFSTED_BASE_URL,
        delay=settings.OFSTED_DELAY_SECONDS,
        timeout=settings.OFSTED_TIMEOUT_SECONDS,
        retries=settings.OFSTED_RETRIES,
        backoff=settings.OFSTED_BACKOFF_SECONDS,
        user_agent=user_agent(),
        max_bytes=settings.REPORT_UPLOAD_MAX_BYTES,
    )


@dataclass
class SyncSummary:
    """What a run found: counts by status, failures [{urn, url, error}], labels not recognised."""

    councils: int = 0
    counts: dict = field(default_factory=lambda: dict.fromkeys((NEW, UPDATED, KNOWN, FAILED, SKIPPED), 0))
    failures: list = field(default_factory=list)
    unknown_labels: list = field(default_factory=list)
    requests: int = 0
    run: SyncRun | None = None

    def describe(self):
        c = self.counts
        unknown = f" ({len(self.unknown_labels)} label(s) not recognised)" if self.unknown_labels else ""
        return (
            f"Checked {self.councils} council(s): {c[NEW]} new, {c[UPDATED]} updated, {c[KNOWN]} already held, "
            f"{c[FAILED]} failed, {c[SKIPPED]} skipped{unknown}; {self.requests} request(s) to the site."
        )


def holder_description():
    """Where and since when the running sync runs, from its SyncRun row."""
    running = SyncRun.objects.filter(status=RunStatus.RUNNING).order_by("-started_at").first()
    if running is None:
        return "already running on another server"
    since = timezone.localtime(running.started_at).strftime("%-d %B %Y %H:%M:%S %Z")
    return f"already running on {running.host} since {since}"


def sync_ofsted(*, site, urns=None, since=None, dry_run=False, on_record=None, on_progress=None):
    """Check councils' pages on `site` and bring new reports in.

    `urns`: only these councils (else every council in the search listing, plus every council we
    hold that it does not list); `since`: skip reports published before this date; `dry_run`:
    fetch no report files and write nothing. `on_record(dict)` gets one record per report found
    (urn, label, published_date, url, status, kind, event_id, error); `on_progress(str)` a line
    per council. Raises AlreadyRunning (another sync holds the lock), LayoutChanged (the site's
    structure no longer matches; recorded on the run) and FetchError (the listing could not be
    fetched). Returns a SyncSummary.
    """
    on_record = on_record or (lambda record: None)
    on_progress = on_progress or (lambda line: None)
    summary = SyncSummary()
    if dry_run:
        _sync(site, summary, urns=urns, since=since, dry_run=True, on_record=on_record, on_progress=on_progress)
        summary.requests = site.requests
        return summary
    with sync_lock() as held:
        if not held:
            raise AlreadyRunning(holder_description())
        SyncRun.objects.filter(status=RunStatus.RUNNING).update(
            status=RunStatus.INTERRUPTED, error="This run stopped before it finished (the next run carried on)."
        )
        run = summary.run = SyncRun.objects.create(
            host=socket.gethostname()[:200],
            pid=os.getpid(),
            options={"base_url": site.base_url, "councils": urns or [], "since": since.isoformat() if since else None},
        )
        try:
            waiting, accepted = _sync(
                site, summary, urns=urns, since=since, dry_run=False, on_record=on_record, on_progress=on_progress
            )
        except (LayoutChanged, FetchError) as error:
            _finish(run, summary, site, status=RunStatus.FAILED, error=str(error))
            raise
        except BaseException:
            _finish(run, summary, site, status=RunStatus.INTERRUPTED, error="This run was stopped before it finished.")
            raise
        mail_error = notify_arrivals(waiting=waiting, accepted=accepted)
        status = RunStatus.FINISHED_WITH_FAILURES if summary.failures else RunStatus.FINISHED
        _finish(run, summary, site, status=status, error=mail_error or "")
    return summary


def _finish(run, summary, site, *, status, error):
    summary.requests = site.requests
    run.status, run.error, run.finished_at = status, error, timezone.now()
    run.councils, run.counts = summary.councils, summary.counts
    run.failures, run.unknown_labels = summary.failures[:500], summary.unknown_labels[:200]
    run.save()


def _sync(site, summary, *, urns, since, dry_run, on_record, on_progress):
    index = council_index()
    frameworks = {f.key: f for f in Framework.objects.all()}
    # A link's event: set when it went straight in, else the one its report became when confirmed.
    done = {
        url: event_id or confirmed_id
        for url, event_id, confirmed_id in OfstedLink.objects.filter(status__in=DONE_LINK_STATUSES).values_list(
            "url", "event_id", "intake_report__event_id"
        )
    }
    held = dict(Event.objects.exclude(source_url="").values_list("source_url", "pk"))
    if urns:
        councils = list(dict.fromkeys(int(u) for u in urns))
    else:
        listed = site.council_urns(on_progress=on_progress)
        councils = listed + [
            urn for urn in Council.objects.order_by("urn").values_list("urn", flat=True) if urn not in listed
        ]
    summary.councils = len(councils)
    waiting, accepted = [], []

    def emit(record):
        summary.counts[record["status"]] += 1
        if record["status"] == FAILED:
            summary.failures.append({"urn": record["urn"], "url": record["url"], "error": record["error"]})
        on_record(record)

    for number, urn in enumerate(councils, start=1):
        try:
            page_url, found = site.council_page(urn)
        except FetchError as error:
            emit(_record(urn=urn, url=site.url(COUNCIL_PATH.format(urn=urn)), status=FAILED, error=str(error)))
            on_progress(f"[{number}/{len(councils)}] URN {urn}: the council's page could not be fetched")
            continue
        on_progress(f"[{number}/{len(councils)}] URN {urn}: {len(found)} report(s) listed")
        for item in found:
            record = _record(
                urn=urn, url=item.url, label=item.label, published_date=item.published_date, kind=item.kind
            )
            if not item.label:
                record.update(status=FAILED, error="a report link with no label, so what it is cannot be told")
            elif item.url in done or item.url in held:
                record.update(status=KNOWN, event_id=done.get(item.url) or held.get(item.url))
            elif since and item.published_date and item.published_date < since:
                record.update(status=SKIPPED, error=f"published before {since:%-d %B %Y}")
            elif item.kind is None:
                record.update(status=SKIPPED, error=f"label not recognised: “{item.label}”")
                summary.unknown_labels.append(item.label)
            elif dry_run:
                record.update(status=NEW)
            else:
                if _bring_in(
                    site, item, record, index=index, frameworks=frameworks, waiting=waiting, accepted=accepted
                ):
                    done[item.url] = record["event_id"]
            if not dry_run and record["status"] in (FAILED, SKIPPED) and item.url not in done:
                _remember(item, status=record["status"], error=record["error"] or "")  # tried again next run
            emit(record)
    return waiting, accepted


def _record(*, urn, url, label=None, published_date=None, kind=None, status=None, error=None):
    return {
        "urn": urn,
        "label": label,
        "published_date": published_date.isoformat() if published_date else None,
        "url": url,
        "status": status,
        "kind": kind,
        "event_id": None,
        "error": error,
    }


def _bring_in(site, item, record, *, index, frameworks, waiting, accepted):
    """Fetch one new report and take it through the pipeline; the link is remembered in the same
    transaction as what became of it. Returns False when the file could not be fetched (the link
    is then tried again next run)."""
    try:
        data = site.file(item.url)
        if not looks_like_pdf(data):
            raise FetchError(f"{item.url}: the link did not give a PDF")
    except FetchError as error:
        record.update(status=FAILED, error=str(error))
        return False
    date = f"-{item.published_date:%Y-%m-%d}" if item.published_date else ""
    filename = safe_report_name(f"{item.urn}-{item.kind.replace('_', '-')}{date}.pdf")
    with transaction.atomic():
        arrival = intake_file(
            data=data,
            filename=filename,
            source=Source.SYNC,
            mode=AUTO,
            source_url=item.url,
            label=item.label,
            listed_urn=item.urn,
            listed_published=item.published_date,
            index=index,
            frameworks=frameworks,
        )
        status = UPDATED if arrival.duplicate is not None else NEW
        event = arrival.event or arrival.duplicate
        _remember(item, status=status, error=arrival.error or "", report=arrival.report, event=arrival.event)
    record.update(status=FAILED if arrival.error else status, event_id=event.pk if event else None, error=arrival.error)
    if arrival.error and arrival.report is not None:
        record["error"] = f"{arrival.error} (kept for review)"
    if arrival.report is not None:
        (accepted if arrival.report.status == Status.CONFIRMED else waiting).append(arrival.report)
    return True


def _remember(item, *, status, error, report=None, event=None):
    link, created = OfstedLink.objects.get_or_create(
        url=item.url,
        defaults={"urn": item.urn, "label": item.label or "", "kind": item.kind or "", "status": status},
    )
    link.urn, link.label, link.kind, link.published_date = (
        item.urn,
        item.label or "",
        item.kind or "",
        item.published_date,
    )
    link.status, link.error, link.attempts = status, error, link.attempts + 1
    link.intake_report, link.event = report, event
    link.save()


__all__ = ["AlreadyRunning", "LinkStatus", "SyncSummary", "site_from_settings", "sync_ofsted"]

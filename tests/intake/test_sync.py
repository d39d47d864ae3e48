"""`sync_ofsted` against a real HTTP server serving the structure of Ofsted's site: paging, every
label variant, councils that no longer exist, failures, resuming, republished reports, the lock."""

import datetime
import json

import pytest
from django.core import mail

from inspections.models import Council, Event
from intake.locks import sync_lock
from intake.models import IntakeReport, OfstedLink, RunStatus, Status, SyncRun
from intake.ofsted import kind_from_label, parse_label
from intake.sync import site_from_settings, sync_ofsted
from tests.intake import hostile
from tests.intake.conftest import CORPUS, run_command, sample
from tests.intake.fake_ofsted import Link

pytestmark = pytest.mark.django_db

RECORD_KEYS = {"urn", "label", "published_date", "url", "status", "kind", "event_id", "error"}
WIRRAL, DORSET, NORFOLK, BARNSLEY, BEDFORD, LONDON, NORTHAMPTONSHIRE = (
    80581,
    2532283,
    80418,
    80426,
    80428,
    80450,
    121939,
)


@pytest.mark.parametrize(
    ("label", "title", "published", "kind"),
    [
        (
            "children's services inspection, pdf - 09 May 2025",
            "children's services inspection",
            "2025-05-09",
            "inspection",
        ),
        (
            "children's services focused visit, pdf - 01 August 2024",
            "children's services focused visit",
            "2024-08-01",
            "focused_visit",
        ),
        (
            "joint area child protection inspection, pdf - 30 January 2024",
            "joint area child protection inspection",
            "2024-01-30",
            "jtai",
        ),
        (
            "children's services inspection,  pdf - 16 August 2013",
            "children's services inspection",
            "2013-08-16",
            "inspection",
        ),
        (
            "single inspection of la children's services as pdf - 10 February 2015",
            "single inspection of la children's services",
            "2015-02-10",
            "inspection",
        ),
        (
            "Monitoring visit of local authority children’s services, pdf - 3 March 2020",
            "Monitoring visit of local authority children’s services",
            "2020-03-03",
            "monitoring_visit",
        ),
        ("joint targeted area inspection, pdf - 1 June 2023", "joint targeted area inspection", "2023-06-01", "jtai"),
        ("annual conversation letter, pdf - 01 May 2020", "annual conversation letter", "2020-05-01", None),
    ],
)
def test_every_label_variant_gives_its_publication_date_and_kind(label, title, published, kind):
    assert parse_label(label) == (title, datetime.date.fromisoformat(published))
    assert kind_from_label(label) == kind


def wirral_2024_event():
    return Event.objects.get(council__urn=WIRRAL, kind="inspection", start_date=datetime.date(2023, 9, 18))


def full_site(fake_site):
    """The listing (every active council: two pages of 100) and six councils' pages with reports."""
    site = fake_site.site
    site.listed = list(Council.objects.filter(is_active=True).order_by("name").values_list("urn", flat=True))
    assert len(site.listed) > 100
    site.pages = {
        DORSET: [Link("d1", "children's services inspection, pdf - 09 May 2025", sample("2532283-dorset-2025-05-09"))],
        NORFOLK: [
            Link("n1", "children's services inspection,  pdf - 16 August 2013", sample("80418-norfolk-2013-08-16"))
        ],
        BARNSLEY: [
            Link(
                "b1",
                "single inspection of la children's services as pdf - 08 August 2014",
                sample("80426-barnsley-2014-08-08"),
            ),
            Link(
                "b2",
                "joint area child protection inspection, pdf - 19 November 2018",
                sample("80426-barnsley-2018-11-19"),
            ),
        ],
        BEDFORD: [
            Link("bd1", "children's services inspection, pdf - 07 April 2017", sample("80428-bedford-2017-04-07")),
            Link("bd2", None, sample("80428-bedford-2017-04-07")),
        ],
        WIRRAL: [
            Link("w1", "children's services inspection, pdf - 02 February 2024", sample("80581-wirral-2024-02-02")),
            Link("w2", "annual conversation letter, pdf - 01 May 2020", b"%PDF-1.4 not fetched"),
        ],
        NORTHAMPTONSHIRE: [],
    }
    site.always = {f"/provider/44/{LONDON}": "404"}
    return site


def records(stdout):
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


def test_a_first_run_pages_the_listing_and_brings_in_every_labelled_report_for_review(fake_site, make_user):
    full_site(fake_site)
    wirral_2024_event().delete()
    editor = make_user("editor", username="editor-with-mail")
    editor.email = "editor@example.org"
    editor.save()
    events_before = Event.objects.count()

    code, stdout, stderr = run_command("sync_ofsted", "--base-url", fake_site.base_url, "--json")

    assert code == 1, "a council page that 404s and a link with no label are failures"
    found = records(stdout)
    assert all(set(record) == RECORD_KEYS for record in found)
    by_url = {record["url"].rsplit("/", 1)[-1]: record for record in found if "/v1/file/" in record["url"]}
    assert {k: r["status"] for k, r in by_url.items()} == {
        "d1": "updated",
        "n1": "updated",
        "b1": "updated",
        "b2": "updated",
        "bd1": "updated",
        "bd2": "failed",
        "w1": "new",
        "w2": "skipped",
    }
    assert by_url["n1"]["published_date"] == "2013-08-16" and by_url["n1"]["kind"] == "inspection"
    assert by_url["b2"]["kind"] == "jtai"
    assert "no label" in by_url["bd2"]["error"]
    assert "annual conversation letter" in by_url["w2"]["error"]
    assert "Label not recognised: annual conversation letter, pdf - 01 May 2020" in stderr
    (london,) = [r for r in found if r["urn"] == LONDON]
    assert london["status"] == "failed" and "404" in london["error"]

    listing = fake_site.paths("/search")
    assert [p.split("&start=")[1] for p in listing] == ["0&rows=100", "100&rows=100"], "the listing is paged by 100"
    assert f"/provider/44/{NORTHAMPTONSHIRE}" in fake_site.paths("/provider/"), "an abolished council by its own URN"
    assert all(agent.startswith("OfstedJudgementTracker/1.0") for _path, agent in fake_site.site.requests)
    assert "[1/" in stderr and "report(s) listed" in stderr, "progress goes to standard error"
    assert "Search listing, page 2 (100 councils so far)" in stderr

    assert Event.objects.count() == events_before, "nothing counts before review"
    waiting = IntakeReport.objects.filter(status=Status.PENDING)
    assert waiting.count() == 6
    wirral = waiting.get(council__urn=WIRRAL)
    assert wirral.listed_published_date == datetime.date(2024, 2, 2) and wirral.duplicate_of is None
    dorset = waiting.get(council__urn=DORSET)
    assert dorset.duplicate_of is not None and by_url["d1"]["event_id"] == dorset.duplicate_of_id
    assert OfstedLink.objects.count() == 8
    run = SyncRun.objects.get()
    assert run.status == RunStatus.FINISHED_WITH_FAILURES
    assert run.counts["new"] == 1 and run.counts["updated"] == 5 and run.counts["failed"] == 2
    assert len(mail.outbox) == 1 and mail.outbox[0].bcc == ["editor@example.org"]
    assert "6 report(s) from Ofsted's site wait for review" in mail.outbox[0].body


def test_a_second_run_fetches_nothing(fake_site):
    site = full_site(fake_site)
    site.always = {}
    del site.pages[BEDFORD]
    code, _, _ = run_command("sync_ofsted", "--base-url", fake_site.base_url)
    assert code == 0
    reports = IntakeReport.objects.count()
    site.requests.clear()
    code, stdout, stderr = run_command("sync_ofsted", "--base-url", fake_site.base_url, "--json")
    assert code == 0
    assert fake_site.paths("/v1/file/") == [], "no report file is fetched twice"
    assert {r["status"] for r in records(stdout)} == {"known", "skipped"}
    assert IntakeReport.objects.count() == reports
    assert "0 new, 0 updated" in stderr


def test_links_of_reports_already_held_are_known_without_fetching(fake_site):
    site = fake_site.site
    site.listed = [WIRRAL]
    held = Event.objects.filter(council__urn=WIRRAL).exclude(source_url="").first()
    assert held is not None, "the demo history carries Ofsted's file links"
    site.pages = {WIRRAL: [Link("x", "children's services inspection, pdf - 01 January 2020", b"")]}
    fake_site.site.raw_pages = {}
    # The held event's link is the one listed.
    held.source_url = f"{fake_site.base_url}/v1/file/x"
    held.save()
    code, stdout, _ = run_command("sync_ofsted", "--base-url", fake_site.base_url, "--council", WIRRAL, "--json")
    assert code == 0
    (record,) = records(stdout)
    assert record["status"] == "known" and record["event_id"] == held.pk
    assert fake_site.paths("/v1/file/") == []


def test_a_run_killed_half_way_loses_nothing_and_the_next_carries_on(fake_site):
    site = full_site(fake_site)
    site.always = {}
    wirral_2024_event().delete()
    seen = []

    def killed_after_two(record):
        if record["status"] in ("new", "updated"):
            seen.append(record["url"])
            if len(seen) == 2:
                raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        sync_ofsted(site=site_from_settings(fake_site.base_url), on_record=killed_after_two)
    assert IntakeReport.objects.count() == 2
    assert SyncRun.objects.get().status == RunStatus.INTERRUPTED
    site.requests.clear()
    code, stdout, _ = run_command("sync_ofsted", "--base-url", fake_site.base_url, "--json")
    fetched = fake_site.paths("/v1/file/")
    assert not any(url.endswith(path) for path in fetched for url in seen), "what was done is not fetched again"
    assert IntakeReport.objects.count() == 6, "every recognised report once: two before the kill, four after"
    urls = list(IntakeReport.objects.values_list("source_url", flat=True))
    assert len(urls) == len(set(urls))
    assert SyncRun.objects.order_by("started_at", "pk").first().status == RunStatus.INTERRUPTED


def test_confirmed_reports_become_events_in_the_feed_and_a_republished_one_is_an_update(fake_site, client_for):
    site = fake_site.site
    site.listed = [WIRRAL]
    wirral_2024_event().delete()
    site.pages = {
        WIRRAL: [
            Link("w1", "children's services inspection, pdf - 02 February 2024", sample("80581-wirral-2024-02-02"))
        ]
    }
    assert run_command("sync_ofsted", "--base-url", fake_site.base_url)[0] == 0
    report = IntakeReport.objects.get()
    editor = client_for("editor")
    page = editor.get("/reports/review/").content.decode()
    assert "Wirral" in page and "Open the PDF" in page and "Confirm" in page
    assert editor.get(f"/reports/review/{report.token}/file/").status_code == 200
    response = editor.post(f"/reports/review/{report.token}/confirm/")
    assert response.status_code == 302
    event = wirral_2024_event()
    assert event.published_date == datetime.date(2024, 2, 2), "the listing's date: ILACS reports print none"
    assert event.source_url == f"{fake_site.base_url}/v1/file/w1"
    assert event.report_file.read() == sample("80581-wirral-2024-02-02")
    assert event.get_absolute_url() in client_for("viewer").get("/councils/wirral/feed/").content.decode()
    assert editor.post(f"/reports/review/{report.token}/confirm/").status_code == 302
    assert Event.objects.filter(council__urn=WIRRAL, start_date=datetime.date(2023, 9, 18)).count() == 1

    # Republished: a new link to the same report.
    site.pages[WIRRAL].append(
        Link("w1-again", "children's services inspection, pdf - 05 February 2024", sample("80581-wirral-2024-02-02"))
    )
    code, stdout, _ = run_command("sync_ofsted", "--base-url", fake_site.base_url, "--json")
    assert code == 0
    again = {r["url"].rsplit("/", 1)[-1]: r for r in records(stdout)}
    assert again["w1"]["status"] == "known" and again["w1"]["event_id"] == event.pk
    assert again["w1-again"]["status"] == "updated" and again["w1-again"]["event_id"] == event.pk
    republished = IntakeReport.objects.get(status=Status.PENDING)
    assert republished.duplicate_of_id == event.pk
    assert editor.post(f"/reports/review/{republished.token}/confirm/").status_code == 302
    assert Event.objects.filter(council__urn=WIRRAL, start_date=datetime.date(2023, 9, 18)).count() == 1


def test_a_rejected_report_never_counts_and_is_not_fetched_again(fake_site, client_for):
    site = fake_site.site
    site.listed = [DORSET]
    site.pages = {
        DORSET: [Link("d1", "children's services inspection, pdf - 09 May 2025", sample("2532283-dorset-2025-05-09"))]
    }
    run_command("sync_ofsted", "--base-url", fake_site.base_url)
    report = IntakeReport.objects.get()
    history = Event.history.count()
    assert client_for("editor").post(f"/reports/review/{report.token}/reject/").status_code == 302
    report.refresh_from_db()
    assert report.status == Status.REJECTED and not report.file
    assert Event.history.count() == history
    site.requests.clear()
    run_command("sync_ofsted", "--base-url", fake_site.base_url)
    assert fake_site.paths("/v1/file/") == []


def test_reports_the_reader_had_no_doubt_about_go_straight_in_when_allowed(fake_site, settings):
    settings.INTAKE_AUTO_ACCEPT = True
    site = fake_site.site
    site.listed = [DORSET]
    site.pages = {
        DORSET: [Link("d1", "children's services inspection, pdf - 09 May 2025", sample("2532283-dorset-2025-05-09"))]
    }
    code, stdout, _ = run_command("sync_ofsted", "--base-url", fake_site.base_url, "--json")
    (record,) = records(stdout)
    report = IntakeReport.objects.get()
    if report.flags:
        assert report.status == Status.PENDING, "a report with doubts still waits"
    else:
        assert report.status == Status.CONFIRMED and record["event_id"] == report.event_id
        assert Event.objects.get(pk=record["event_id"]).source_url.endswith("/v1/file/d1")


@pytest.mark.parametrize(
    ("faults", "expected"),
    [
        (["reset", "500", "slim"], None),
        (["timeout"] * 4, "timed out"),
        (["500"] * 4, "answered 500"),
        (["slim"] * 4, "Slim Application Error"),
        (["reset"] * 4, "reset"),
    ],
)
def test_timeouts_resets_5xx_and_the_error_page_are_retried_then_reported(fake_site, settings, faults, expected):
    settings.OFSTED_RETRIES = 3
    settings.OFSTED_TIMEOUT_SECONDS = 0.5
    fake_site.site.timeout_sleep = 1.5
    site = fake_site.site
    site.listed = [DORSET]
    site.pages = {
        DORSET: [Link("d1", "children's services inspection, pdf - 09 May 2025", sample("2532283-dorset-2025-05-09"))]
    }
    site.faults = {"/v1/file/d1": list(faults)}
    code, stdout, _ = run_command("sync_ofsted", "--base-url", fake_site.base_url, "--json")
    (record,) = records(stdout)
    if expected is None:
        assert code == 0 and record["status"] == "updated", "three faults, three retries: it got through"
    else:
        assert code == 1 and record["status"] == "failed"
        assert expected in record["error"]
        assert not OfstedLink.objects.filter(status__in=["new", "updated"]).exists(), (
            "a failure is tried again next run"
        )
        site.faults = {}
        code, stdout, _ = run_command("sync_ofsted", "--base-url", fake_site.base_url, "--json")
        assert records(stdout)[0]["status"] == "updated"


def test_a_changed_layout_fails_loudly_with_what_was_expected(fake_site):
    site = fake_site.site
    site.listed = [WIRRAL]
    site.raw_pages = {
        WIRRAL: '<html><body><ul><li><a class="report-link" href="/v1/file/1">Inspection, 2 February 2024</a></li></ul></body></html>'
    }
    code, stdout, stderr = run_command("sync_ofsted", "--base-url", fake_site.base_url, "--json")
    assert code == 1
    assert "Ofsted's site has changed" in stderr and "publication-link" in stderr
    assert "0 new" not in stdout + stderr
    run = SyncRun.objects.get()
    assert run.status == RunStatus.FAILED and "publication-link" in run.error


def test_links_without_any_readable_label_fail_loudly(fake_site):
    site = fake_site.site
    site.listed = [WIRRAL]
    site.pages = {WIRRAL: [Link("1", None, b""), Link("2", "   ", b"")]}
    code, _, stderr = run_command("sync_ofsted", "--base-url", fake_site.base_url)
    assert code == 1 and "none with a readable" in stderr


def test_an_empty_listing_fails_loudly(fake_site):
    fake_site.site.listing_html = "<html><body><p>Search results</p></body></html>"
    code, stdout, stderr = run_command("sync_ofsted", "--base-url", fake_site.base_url)
    assert code == 1
    assert "links to no council pages" in stderr and "/provider/" in stderr
    assert "0 new" not in stdout


def test_a_dry_run_fetches_no_reports_and_saves_nothing(fake_site):
    full_site(fake_site).always = {}
    code, stdout, stderr = run_command("sync_ofsted", "--base-url", fake_site.base_url, "--dry-run", "--json")
    assert fake_site.paths("/v1/file/") == []
    assert {r["status"] for r in records(stdout)} >= {"new", "skipped"}
    assert not IntakeReport.objects.exists() and not OfstedLink.objects.exists() and not SyncRun.objects.exists()
    assert "Dry run, nothing saved" in stderr


def test_since_and_council_limit_what_is_checked(fake_site):
    full_site(fake_site)
    code, stdout, _ = run_command(
        "sync_ofsted", "--base-url", fake_site.base_url, "--council", BARNSLEY, "--since", "2015-01-01", "--json"
    )
    statuses = {r["url"].rsplit("/", 1)[-1]: r["status"] for r in records(stdout)}
    assert statuses == {"b1": "skipped", "b2": "updated"}
    assert fake_site.paths("/search") == [] and fake_site.paths("/provider/") == [f"/provider/44/{BARNSLEY}"]


def test_a_second_sync_started_while_one_runs_says_where_and_exits_0(fake_site, django_db_blocker):
    from django.db import connection

    fake_site.site.listed = [WIRRAL]
    SyncRun.objects.create(host="app-server-2", pid=4242)
    if connection.vendor == "postgresql":
        import psycopg2

        from intake.locks import SYNC_LOCK_KEY

        params = connection.get_connection_params()
        other = psycopg2.connect(**params)  # another server's sync, on its own connection
        other.autocommit = True
        other.cursor().execute("SELECT pg_advisory_lock(%s)", [SYNC_LOCK_KEY])
        try:
            code, stdout, _ = run_command("sync_ofsted", "--base-url", fake_site.base_url)
        finally:
            other.cursor().execute("SELECT pg_advisory_unlock(%s)", [SYNC_LOCK_KEY])
            other.close()
    else:
        with sync_lock() as held:
            assert held
            code, stdout, _ = run_command("sync_ofsted", "--base-url", fake_site.base_url)
    assert code == 0
    assert "already running on app-server-2 since" in stdout
    assert fake_site.site.requests == [], "the second start asks the site nothing"
    code, _, _ = run_command("sync_ofsted", "--base-url", fake_site.base_url)
    assert code == 0, "once the first has finished, the next one runs"
    assert SyncRun.objects.filter(host="app-server-2").get().status == RunStatus.INTERRUPTED


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda: hostile.deflate_bomb(1024), "512 MB"),
        (lambda: hostile.operator_heavy(3_000_000), "512 MB"),
        (hostile.page_tree_loop, "damaged"),
    ],
    ids=["deflate bomb", "operator-heavy page", "page-tree loop"],
)
def test_a_hostile_pdf_fetched_from_the_site_fails_within_the_limits_and_the_run_goes_on(fake_site, make, reason):
    import time

    site = fake_site.site
    site.listed = [DORSET, NORFOLK]
    site.pages = {
        DORSET: [Link("bad", "children's services inspection, pdf - 09 May 2025", make())],
        NORFOLK: [
            Link("n1", "children's services inspection,  pdf - 16 August 2013", sample("80418-norfolk-2013-08-16"))
        ],
    }
    started = time.monotonic()
    code, stdout, _ = run_command("sync_ofsted", "--base-url", fake_site.base_url, "--json")
    elapsed = time.monotonic() - started
    by_url = {r["url"].rsplit("/", 1)[-1]: r for r in records(stdout)}
    assert by_url["bad"]["status"] == "failed" and reason in by_url["bad"]["error"]
    assert "kept for review" in by_url["bad"]["error"]
    assert by_url["n1"]["status"] == "updated", "the reader survived and read the next report"
    assert elapsed < 8 + 10
    kept = IntakeReport.objects.get(source_url__endswith="/v1/file/bad")
    assert kept.status == Status.PENDING and kept.reading is None and reason in kept.error


@pytest.mark.skipif(not CORPUS.exists(), reason="the corpus of real reports is not on this machine")
def test_a_focused_visit_letter_from_the_corpus_is_brought_in(fake_site):
    letter = CORPUS / "focused_visits" / "80581_wirral" / "children's services focused visit - 17 october 2024.pdf"
    if not letter.exists():
        pytest.skip("the Wirral focused visit is not in this corpus")
    site = fake_site.site
    site.listed = [WIRRAL]
    site.pages = {WIRRAL: [Link("fv", "children's services focused visit, pdf - 17 October 2024", letter.read_bytes())]}
    code, stdout, _ = run_command("sync_ofsted", "--base-url", fake_site.base_url, "--json")
    (record,) = records(stdout)
    assert record["kind"] == "focused_visit" and record["status"] in ("new", "updated")
    report = IntakeReport.objects.get()
    assert report.reading["kind"] == "focused_visit" and report.council.urn == WIRRAL


def test_the_lock_is_held_across_connections_until_released():
    """Two holders on two connections (threads get their own): only one at a time."""
    import threading

    from django.db import connection

    held, release, done = threading.Event(), threading.Event(), []

    def other_server():
        try:
            with sync_lock() as got:
                done.append(got)
                held.set()
                release.wait(10)
        finally:
            connection.close()

    thread = threading.Thread(target=other_server)
    thread.start()
    assert held.wait(10) and done == [True]
    with sync_lock() as got:
        assert got is False, "a second holder is refused while the first holds the lock"
    release.set()
    thread.join(10)
    with sync_lock() as got:
        assert got is True, "and gets it once the first has let go"


def test_an_email_that_cannot_be_sent_is_recorded_and_the_sync_still_succeeds(fake_site, settings, make_user):
    import socket

    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()  # nothing listens there now
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS, settings.EMAIL_TIMEOUT = (
        "127.0.0.1",
        port,
        False,
        2,
    )
    editor = make_user("editor", username="mailed-editor")
    editor.email = "editor@example.org"
    editor.save()
    site = fake_site.site
    site.listed = [DORSET]
    site.pages = {
        DORSET: [Link("d1", "children's services inspection, pdf - 09 May 2025", sample("2532283-dorset-2025-05-09"))]
    }
    code, _, _ = run_command("sync_ofsted", "--base-url", fake_site.base_url)
    assert code == 0
    run = SyncRun.objects.get()
    assert run.status == RunStatus.FINISHED and "The email to editors could not be sent" in run.error
    assert IntakeReport.objects.filter(status=Status.PENDING).count() == 1

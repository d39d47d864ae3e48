"""Uploads and the review queue: hostile PDFs get a clear error within the limits and the service
still answers; a full disk leaves nothing behind; each editor has a quota; abandoned uploads are
removed on a schedule; what was read is stored, never read again; who may see what."""

import datetime
import resource
import signal
import time
import uuid
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from inspections.models import Event
from intake.models import IntakeReport, Source, Status, SyncRun
from tests.inspections.test_entry import error_summary, form_data
from tests.intake import hostile
from tests.intake.conftest import REPORTS, run_command, sample

pytestmark = pytest.mark.django_db

GOOD = "80581-wirral-2019-07-29"


def upload(client, data, name="report.pdf"):
    return client.post("/reports/upload/", {"report": SimpleUploadedFile(name, data, content_type="application/pdf")})


def files_under(media):
    return sorted(p for p in Path(media).rglob("*") if p.is_file()) if Path(media).exists() else []


@pytest.fixture(scope="module")
def hostile_files():
    return {
        "deflate bomb": hostile.deflate_bomb(1024),
        "operator-heavy page": hostile.operator_heavy(3_000_000),
        "page-tree loop": hostile.page_tree_loop(),
    }


@pytest.mark.parametrize("kind", ["deflate bomb", "operator-heavy page", "page-tree loop"])
def test_a_hostile_upload_gets_a_clear_error_within_the_limits_and_the_service_still_answers(
    editor_client, hostile_files, kind, _intake_settings
):
    started = time.monotonic()
    response = upload(editor_client, hostile_files[kind], "hostile.pdf")
    elapsed = time.monotonic() - started
    assert response.status_code == 200
    (message,) = error_summary(response)
    assert message.startswith("The selected file could not be read as an Ofsted report: ")
    if kind != "page-tree loop":
        assert "512 MB" in message or "seconds" in message or "second of" in message, message
    assert elapsed < _intake_settings.READER_WALL_SECONDS + 5
    assert not IntakeReport.objects.exists() and files_under(_intake_settings.MEDIA_ROOT) == []
    assert editor_client.get("/").status_code == 200
    assert upload(editor_client, sample(GOOD), f"{GOOD}.pdf").status_code == 302, "the next upload is read"


def test_hostile_files_through_import_reports_fail_one_by_one_and_the_run_goes_on(tmp_path, hostile_files):
    folder = tmp_path / "in"
    folder.mkdir()
    for number, data in enumerate(hostile_files.values()):
        (folder / f"{number}-hostile.pdf").write_bytes(data)
    (folder / f"9-{GOOD}.pdf").write_bytes(sample(GOOD))
    code, stdout, stderr = run_command("import_reports", folder, "--json")
    import json

    found = [json.loads(line) for line in stdout.splitlines()]
    assert [r["ok"] for r in found] == [False, False, False, True]
    assert "512 MB" in found[0]["error"]
    assert "1 of 4" not in stderr and "3 of 4 file(s) could not be imported" in stderr


def test_a_full_disk_gives_a_friendly_error_and_leaves_no_partial_file(editor_client, _intake_settings):
    previous_handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    previous = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (40 * 1024, previous[1]))  # the sample is 165 KB
    try:
        response = upload(editor_client, sample(GOOD), f"{GOOD}.pdf")
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, previous)
        signal.signal(signal.SIGXFSZ, previous_handler)
    assert response.status_code == 200
    assert error_summary(response) == [
        "There is no room to store the report on the server just now, so nothing was saved. "
        "Try again later, and tell an administrator if it keeps happening."
    ]
    assert files_under(_intake_settings.MEDIA_ROOT) == [], "the partly written file was removed"
    assert not IntakeReport.objects.exists()


def test_each_editor_has_a_quota_of_uploads_waiting(editor_client, client_for, _intake_settings):
    _intake_settings.INTAKE_UPLOADS_PER_EDITOR = 2
    assert upload(editor_client, sample(GOOD)).status_code == 302
    assert upload(editor_client, sample(GOOD)).status_code == 302
    response = upload(editor_client, sample(GOOD))
    assert error_summary(response) == [
        "You have 2 uploaded reports waiting to be checked. Save or reject some of them "
        "(under Reports to review) before uploading more."
    ]
    assert IntakeReport.objects.count() == 2
    assert upload(client_for("admin"), sample(GOOD)).status_code == 302, "the quota is each editor's own"


def test_abandoned_uploads_are_removed_on_a_schedule_and_fetched_reports_stay(editor_client, _intake_settings):
    url = upload(editor_client, sample(GOOD))["Location"]
    fresh = upload(editor_client, sample(GOOD))
    old = IntakeReport.objects.get(token=url.strip("/").rsplit("/", 1)[-1])
    IntakeReport.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(hours=25))
    fetched = IntakeReport.objects.create(source=Source.SYNC, filename="x.pdf", flags=[])
    IntakeReport.objects.filter(pk=fetched.pk).update(created_at=timezone.now() - datetime.timedelta(days=30))
    stray = Path(_intake_settings.MEDIA_ROOT) / "pending" / "left-by-a-crash.pdf"
    stray.write_bytes(b"%PDF-partial")
    import os

    os.utime(stray, (time.time() - 90000, time.time() - 90000))
    code, stdout, _ = run_command("clean_pending_uploads")
    assert code == 0 and "Removed 2 abandoned upload(s)" in stdout
    assert not IntakeReport.objects.filter(pk=old.pk).exists()
    assert not Path(old.file.path).exists() and not stray.exists()
    assert IntakeReport.objects.filter(pk=fetched.pk).exists(), "reports from Ofsted's site wait for review"
    assert editor_client.get(fresh["Location"]).status_code == 200, "a fresh upload is kept"
    assert editor_client.get(url).status_code == 302


def test_the_confirm_page_uses_what_was_read_and_never_reads_again(editor_client, monkeypatch, wirral):
    url = upload(editor_client, sample(GOOD), f"{GOOD}.pdf")["Location"]
    monkeypatch.setattr("intake.pipeline.read_limited", lambda *a, **k: pytest.fail("read the file again"))
    monkeypatch.setattr("intake.sandbox.ReaderPool.read", lambda *a, **k: pytest.fail("read the file again"))
    page = editor_client.get(url)
    assert page.status_code == 200
    response = editor_client.post(url, form_data(page.content.decode()))
    assert response.status_code == 302
    report = IntakeReport.objects.get()
    assert report.status == Status.CONFIRMED and report.event is not None and not report.file


def test_two_confirms_of_one_upload_save_once_and_the_second_is_told(editor_client, wirral):
    url = upload(editor_client, sample(GOOD), f"{GOOD}.pdf")["Location"]
    data = form_data(editor_client.get(url).content.decode())
    history = Event.history.count()
    assert editor_client.post(url, data).status_code == 302
    saved_history = Event.history.count()
    second = editor_client.post(url, data, follow=True)
    assert "expired or was already saved" in second.content.decode()
    assert Event.history.count() == saved_history >= history


def waiting_report(**changes):
    values = {
        "source": Source.SYNC,
        "filename": "80581-inspection-2019-07-29.pdf",
        "reading": {"kind": "inspection", "council_name": "Wirral", "framework": "ilacs_2018"},
        "flags": ["No start date was found in the report."],
        "label": "children's services inspection, pdf - 29 July 2019",
    }
    values.update(changes)
    return IntakeReport.objects.create(**values)


def test_the_review_queue_shows_what_was_read_and_the_flags_in_a_fixed_number_of_queries(
    editor_client, wirral, django_assert_max_num_queries
):
    for number in range(30):
        waiting_report(council=wirral, filename=f"report-{number}.pdf")
    with django_assert_max_num_queries(12):
        response = editor_client.get("/reports/review/")
    content = response.content.decode()
    assert response.status_code == 200
    assert content.count("No start date was found in the report.") == 25, "25 a page"
    assert "Open the PDF" in content and 'action="/reports/review/' in content and "csrfmiddlewaretoken" in content
    assert "Pages of reports to review" in content
    assert "Daily check" not in content, "the sync's record is for admins"


def test_admins_see_when_the_sync_last_ran_what_it_found_and_any_failure(client_for):
    SyncRun.objects.create(
        host="app-1",
        pid=1,
        status="failures",
        councils=156,
        counts={"new": 3, "updated": 1, "known": 2400, "failed": 1, "skipped": 2},
        failures=[{"urn": 80450, "url": "https://example.org/provider/44/80450", "error": "answered 404"}],
    )
    admin = client_for("admin")
    review = admin.get("/reports/review/").content.decode()
    assert "Last ran" in review and "app-1" in review and "Found 3 new, 1 updated" in review
    page = admin.get("/reports/sync/").content.decode()
    assert "URN 80450: answered 404" in page and "Finished with failures" in page
    assert client_for("editor").get("/reports/sync/").status_code == 403


def test_an_empty_queue_says_so(editor_client):
    assert "No reports are waiting for review." in editor_client.get("/reports/review/").content.decode()


def test_a_report_without_a_council_cannot_be_confirmed_in_one_click(editor_client):
    report = waiting_report(council=None)
    response = editor_client.post(f"/reports/review/{report.token}/confirm/", follow=True)
    assert "Choose the council first" in response.content.decode()
    report.refresh_from_db()
    assert report.status == Status.PENDING


def test_viewers_and_analysts_cannot_review_or_decide(client_for, wirral):
    report = waiting_report(council=wirral)
    for role in ("viewer", "analyst"):
        client = client_for(role)
        assert client.get("/reports/review/").status_code == 403
        assert client.post(f"/reports/review/{report.token}/confirm/").status_code == 403
        assert client.post(f"/reports/review/{report.token}/reject/").status_code == 403
        assert client.get(f"/reports/review/{report.token}/file/").status_code == 403
    report.refresh_from_db()
    assert report.status == Status.PENDING


def test_confirm_and_reject_need_a_post_with_a_csrf_token(make_user, wirral):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user("editor", username="csrf-editor"))
    report = waiting_report(council=wirral)
    assert client.get(f"/reports/review/{report.token}/reject/").status_code == 405
    assert client.post(f"/reports/review/{report.token}/reject/").status_code == 403
    report.refresh_from_db()
    assert report.status == Status.PENDING


def test_unknown_tokens_are_not_found(editor_client):
    assert editor_client.post(f"/reports/review/{uuid.uuid4()}/confirm/").status_code == 404
    assert editor_client.get(f"/reports/review/{uuid.uuid4()}/", follow=True).status_code == 200
    assert REPORTS.exists()


def test_a_fetched_file_that_could_not_be_read_can_be_entered_by_hand_from_its_pdf(editor_client, wirral):
    from intake.files import store_bytes

    name = store_bytes("pending/unreadable.pdf", b"%PDF-1.7 broken")
    report = waiting_report(
        council=wirral,
        reading=None,
        file=name,
        error="the file is damaged or is not a valid PDF",
        flags=[
            "The file could not be read: the file is damaged or is not a valid PDF. Enter its results by hand, or reject it."
        ],
    )
    queue = editor_client.get("/reports/review/").content.decode()
    assert f"/reports/review/{report.token}/confirm/" not in queue, "nothing read, nothing to confirm in one click"
    assert f"/reports/review/{report.token}/reject/" in queue
    page = editor_client.get(f"/reports/review/{report.token}/")
    content = page.content.decode()
    assert page.status_code == 200
    assert "The file could not be read (the file is damaged or is not a valid PDF)" in content
    assert 'value="inspection" checked' in content, "the kind from the link's label"
    assert editor_client.get(f"/reports/review/{report.token}/file/").getvalue() == b"%PDF-1.7 broken"

"""Files in the database: an upload confirmed on another server, the attached report served from
the database, and files from an earlier single-machine run moved in by a command."""

import io
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from dbstorage.models import StoredFile
from inspections.models import Event, EventKind
from intake.models import IntakeReport, Status
from tests.dbstorage.conftest import files_under
from tests.inspections.test_entry import error_summary, form_data

pytestmark = pytest.mark.django_db

REPORTS = Path(__file__).resolve().parent.parent / "reportreader" / "reports"
STEM = "80581-wirral-2019-07-29"


def test_an_upload_on_one_server_is_confirmed_on_another_whose_disk_never_saw_it(db_files, editor_client, tmp_path):
    data = (REPORTS / f"{STEM}.pdf").read_bytes()
    response = editor_client.post(
        "/reports/upload/", {"report": SimpleUploadedFile(f"{STEM}.pdf", data, content_type="application/pdf")}
    )
    assert response.status_code == 302, error_summary(response)
    pending = IntakeReport.objects.get(status=Status.PENDING)
    assert pending.file.name.startswith("pending/") and default_storage.open(pending.file.name).read() == data

    db_files.MEDIA_ROOT = tmp_path / "server-b"  # the confirm lands on a second machine
    page = editor_client.get(response["Location"])
    assert page.status_code == 200
    confirmed = editor_client.post(response["Location"], form_data(page.content.decode()))
    assert confirmed.status_code == 302, error_summary(confirmed)

    event = Event.objects.get(pk=int(confirmed["Location"].strip("/").split("/")[-1]))
    assert event.kind == EventKind.INSPECTION and event.council.urn == 80581
    assert event.report_file.name.startswith("reports/") and event.report_file.read() == data
    assert StoredFile.objects.filter(name=event.report_file.name).exists()
    assert not default_storage.exists(pending.file.name), "the pending copy is removed once saved"
    assert files_under(tmp_path / "server-a") == [] and files_under(tmp_path / "server-b") == []


def test_the_attached_report_is_streamed_from_the_database_with_its_headers(db_files, client_for, client):
    data = (REPORTS / f"{STEM}.pdf").read_bytes()
    event = Event.objects.filter(kind=EventKind.INSPECTION).first()
    event.report_file.save("wirral-inspection.pdf", ContentFile(data), save=True)
    url = f"/events/{event.pk}/report/"

    response = client_for("viewer").get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Length"] == str(len(data))
    assert response["Content-Disposition"] == 'inline; filename="wirral-inspection.pdf"'
    assert b"".join(response.streaming_content) == data

    signed_out = client.get(url)
    assert signed_out.status_code == 302 and "/accounts/login/" in signed_out["Location"]


def test_an_attached_report_missing_from_the_database_is_not_found(db_files, client_for):
    event = Event.objects.filter(kind=EventKind.INSPECTION).first()
    Event.objects.filter(pk=event.pk).update(report_file="reports/2024/gone.pdf")
    assert client_for("viewer").get(f"/events/{event.pk}/report/").status_code == 404


def test_files_on_local_disk_move_into_the_database_once_and_a_rerun_changes_nothing(db_files, tmp_path):
    old_disk = tmp_path / "old-media"
    (old_disk / "reports" / "2023").mkdir(parents=True)
    events = list(Event.objects.filter(kind=EventKind.INSPECTION)[:3])
    for number, event in enumerate(events[:2]):
        name = f"reports/2023/report-{number}.pdf"
        (old_disk / name).write_bytes(f"%PDF-1.4 report {number}".encode())
        Event.objects.filter(pk=event.pk).update(report_file=name)
    Event.objects.filter(pk=events[2].pk).update(report_file="reports/2023/lost.pdf")

    out, err = io.StringIO(), io.StringIO()
    call_command("move_files_to_storage", "--source", str(old_disk), stdout=out, stderr=err)
    assert "Moved 2 file(s); 0 already in storage; 1 missing" in out.getvalue()
    assert "reports/2023/lost.pdf" in err.getvalue()
    for number, event in enumerate(events[:2]):
        event.refresh_from_db()
        assert event.report_file.read() == f"%PDF-1.4 report {number}".encode()

    out = io.StringIO()
    call_command("move_files_to_storage", "--source", str(old_disk), stdout=out, stderr=io.StringIO())
    assert "Moved 0 file(s); 2 already in storage; 1 missing" in out.getvalue()
    assert StoredFile.objects.count() == 2
    assert len(files_under(old_disk)) == 2, "the files on disk are kept until someone removes them"

"""Uploading a report: checked by content and size, read, shown to correct, saved once with its file."""

import datetime
import re
import uuid
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from inspections.models import Event, EventKind
from reportreader import Recommendation, ReportResult
from tests.inspections.test_entry import error_summary, form_data
from tests.reportreader.test_samples import EXPECTED

pytestmark = pytest.mark.django_db

REPORTS = Path(__file__).resolve().parent.parent / "reportreader" / "reports"
HTML_SAMPLE = "80429-birmingham-2012-10-19"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def upload(client, stem=None, *, content=None, name=None):
    data = content if content is not None else (REPORTS / f"{stem}.pdf").read_bytes()
    return client.post(
        "/reports/upload/",
        {"report": SimpleUploadedFile(name or f"{stem}.pdf", data, content_type="application/pdf")},
    )


def pending_files(media):
    return sorted((Path(media) / "pending").glob("*")) if (Path(media) / "pending").exists() else []


# Who may upload ------------------------------------------------------------------------------------


def test_anonymous_users_are_sent_to_sign_in(client):
    for url in ("/reports/upload/", f"/reports/upload/{uuid.uuid4()}/"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("role", ["viewer", "analyst", None])
def test_viewers_and_analysts_may_not_upload_even_by_post(client_for, role, _media):
    client = client_for(role)
    assert client.get("/reports/upload/").status_code == 403
    assert upload(client, "80581-wirral-2019-07-29").status_code == 403
    assert client.post(f"/reports/upload/{uuid.uuid4()}/", {}).status_code == 403
    assert pending_files(_media) == []


def test_editors_see_the_upload_form(editor_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(15):
        response = editor_client.get("/reports/upload/")
    content = response.content.decode()
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in content and 'type="file"' in content


# Checking the file ----------------------------------------------------------------------------------


def test_an_html_page_named_pdf_is_refused_with_a_clear_message(editor_client, _media):
    response = upload(editor_client, HTML_SAMPLE)
    assert response.status_code == 200
    assert error_summary(response) == ["The selected file must be a PDF (this file is not a PDF, whatever its name)"]
    assert 'class="govuk-error-message"' in response.content.decode()
    assert pending_files(_media) == []


def test_the_type_is_checked_by_content_not_by_name(editor_client):
    response = upload(editor_client, content=(REPORTS / "80581-wirral-2019-07-29.pdf").read_bytes(), name="x.txt")
    assert response.status_code == 302, "a real PDF with another name is still a PDF"
    response = upload(editor_client, content=b"GIF89a not a pdf", name="report.pdf")
    assert error_summary(response)[0].startswith("The selected file must be a PDF")


def test_an_oversize_file_is_refused_before_it_is_read(editor_client, settings, monkeypatch, _media):
    settings.REPORT_UPLOAD_MAX_BYTES = 150 * 1024  # the sample is 165 KB: over the limit, within the body allowance
    monkeypatch.setattr("intake.pipeline.read_limited", lambda *a, **k: pytest.fail("read an oversize file"))
    response = upload(editor_client, "80581-wirral-2019-07-29")
    assert error_summary(response) == ["The selected file must be smaller than 150 KB"]
    assert pending_files(_media) == []


def test_a_far_oversize_upload_is_refused_unread(editor_client, settings, monkeypatch, _media):
    settings.REPORT_UPLOAD_MAX_BYTES = 10 * 1024
    monkeypatch.setattr("intake.pipeline.read_limited", lambda *a, **k: pytest.fail("read an oversize file"))
    response = upload(editor_client, "80581-wirral-2019-07-29")
    assert response.status_code == 413
    assert "too large" in response.content.decode()
    assert pending_files(_media) == []


def test_no_file_and_an_empty_file_are_refused(editor_client):
    assert error_summary(editor_client.post("/reports/upload/", {})) == ["Select a report PDF"]
    assert error_summary(upload(editor_client, content=b"", name="empty.pdf")) == ["The selected file is empty"]


@pytest.mark.parametrize(
    "content",
    [b"%PDF-1.4\n%%EOF", b"%PDF-1.7\n" + b"\x00" * 5000, (REPORTS / "80581-wirral-2019-07-29.pdf").read_bytes()[:3000]],
)
def test_a_damaged_pdf_is_refused_with_the_readers_reason(editor_client, content, _media):
    response = upload(editor_client, content=content, name="damaged.pdf")
    assert response.status_code == 200
    (message,) = error_summary(response)
    assert message.startswith("The selected file could not be read as an Ofsted report: ")
    assert pending_files(_media) == []


# Confirming what was read, for every real sample -----------------------------------------------------


def selected(content, name):
    match = re.search(rf'<select[^>]*name="{name}".*?</select>', content, re.S)
    chosen = re.search(r'<option value="([^"]*)" selected>', match[0]) if match else None
    return chosen[1] if chosen else None


def date_inputs(content, name):
    return tuple(
        re.search(rf'name="{name}_{part}"[^>]*value="([^"]*)"', content)[1] for part in ("day", "month", "year")
    )


def as_parts(iso):
    if not iso:
        return ("", "", "")
    d = datetime.date.fromisoformat(iso)
    return (str(d.day), str(d.month), str(d.year))


@pytest.mark.parametrize("stem", sorted(EXPECTED))
def test_each_sample_is_read_shown_for_checking_and_saved_as_confirmed(editor_client, stem, _media):
    framework, _council, start, end, published, lead, judgements, council_recs, lscb_recs = EXPECTED[stem]
    urn = int(stem.split("-", 1)[0])
    response = upload(editor_client, stem)
    assert response.status_code == 302
    confirm_url = response["Location"]
    assert re.fullmatch(r"/reports/upload/[0-9a-f-]{36}/", confirm_url)
    assert len(pending_files(_media)) == 1

    page = editor_client.get(confirm_url)
    content = page.content.decode()
    assert page.status_code == 200
    council_slug = selected(content, "council")
    assert selected(content, "framework") == framework
    assert 'value="inspection" checked' in content
    assert date_inputs(content, "start_date") == as_parts(start)
    assert date_inputs(content, "end_date") == as_parts(end)
    if published:
        assert date_inputs(content, "published_date") == as_parts(published)
    else:
        assert "Not printed in the report" in content, "a missing published date is flagged, not guessed"
    assert f'value="{lead}"' in content
    for area, grade in judgements.items():
        assert selected(content, f"grade_{area}") == grade, area
    texts = re.findall(r'name="recommendations-\d+-text"', content)
    assert len(texts) >= council_recs + lscb_recs

    before = Event.objects.count()
    response = editor_client.post(confirm_url, form_data(content))
    assert response.status_code == 302, error_summary(response)
    event = Event.objects.get(pk=int(response["Location"].strip("/").split("/")[-1]))
    assert Event.objects.count() == before, "every sample is already held (history rows), so it is updated"
    assert event.council.urn == urn and event.council.slug == council_slug
    assert event.kind == EventKind.INSPECTION and event.framework.key == framework
    assert event.start_date == datetime.date.fromisoformat(start)
    assert event.end_date == datetime.date.fromisoformat(end)
    if published:
        assert event.published_date == datetime.date.fromisoformat(published)
    assert event.lead_inspector == lead
    assert {j.area.key: j.grade.key for j in event.judgements.all()} == judgements
    recs = list(event.recommendations.all())
    assert (sum(r.addressed_to == "council" for r in recs), sum(r.addressed_to == "lscb" for r in recs)) == (
        council_recs,
        lscb_recs,
    )
    assert event.source_name == f"{stem}.pdf"
    assert event.report_file.read() == (REPORTS / f"{stem}.pdf").read_bytes()
    assert pending_files(_media) == [], "the pending copy is removed once saved"
    follow = editor_client.get(response["Location"]).content.decode()
    assert "updated" in follow or "already up to date" in follow
    assert event.get_absolute_url() in editor_client.get(event.council.get_absolute_url()).content.decode()


def test_a_report_we_hold_is_offered_as_an_update_not_a_second_copy(editor_client, wirral):
    held = Event.objects.get(council=wirral, kind=EventKind.INSPECTION, start_date=datetime.date(2019, 6, 17))
    held_summary = held.summary
    content = editor_client.get(upload(editor_client, "80581-wirral-2019-07-29")["Location"]).content.decode()
    assert "Wirral already has this inspection" in content
    assert held.get_absolute_url() in content
    assert "Update the recorded inspection" in content
    assert f'name="duplicate_of" value="{held.pk}"' in content
    assert held_summary and held_summary[:40] in content, "what we hold is kept, not blanked"


def test_a_new_report_is_created_and_appears_on_the_timeline(editor_client, wirral, client_for):
    Event.objects.get(council=wirral, start_date=datetime.date(2023, 9, 18)).delete()
    response = upload(editor_client, "80581-wirral-2024-02-02")
    content = editor_client.get(response["Location"]).content.decode()
    assert "already has" not in content
    saved = editor_client.post(response["Location"], form_data(content))
    assert saved.status_code == 302
    event = Event.objects.get(council=wirral, start_date=datetime.date(2023, 9, 18))
    assert saved["Location"] == event.get_absolute_url()
    assert "saved" in editor_client.get(saved["Location"]).content.decode()
    assert event.get_absolute_url() in client_for("viewer").get("/councils/wirral/").content.decode()


def test_corrections_typed_on_the_confirm_page_are_what_is_saved(editor_client, wirral):
    url = upload(editor_client, "80581-wirral-2019-07-29")["Location"]
    data = form_data(
        editor_client.get(url),
        lead_inspector="Corrected Person",
        published_date_day="29",
        published_date_month="7",
        published_date_year="2019",
        **{"recommendations-0-text": "A corrected recommendation."},
    )
    assert editor_client.post(url, data).status_code == 302
    event = Event.objects.get(council=wirral, kind=EventKind.INSPECTION, start_date=datetime.date(2019, 6, 17))
    assert event.lead_inspector == "Corrected Person"
    assert event.published_date == datetime.date(2019, 7, 29)
    assert event.recommendations.get(number=1).text == "A corrected recommendation."


def test_invalid_corrections_are_shown_with_the_input_kept_and_nothing_saved(editor_client, wirral, _media):
    url = upload(editor_client, "80581-wirral-2019-07-29")["Location"]
    history = Event.history.count()
    data = form_data(editor_client.get(url), end_date_day="1", end_date_month="1", end_date_year="2019")
    response = editor_client.post(url, data)
    assert error_summary(response) == ["End date must be the same as or after the start date"]
    assert 'name="end_date_year" type="text" inputmode="numeric" value="2019"' in response.content.decode()
    assert Event.history.count() == history
    assert len(pending_files(_media)) == 1, "the upload waits for a corrected confirm"


def test_a_change_by_someone_else_while_checking_is_not_overwritten(editor_client, wirral):
    url = upload(editor_client, "80581-wirral-2019-07-29")["Location"]
    data = form_data(editor_client.get(url), lead_inspector="From the report")
    held = Event.objects.get(council=wirral, kind=EventKind.INSPECTION, start_date=datetime.date(2019, 6, 17))
    from inspections.services import event_save

    event_save(
        council=wirral,
        kind=held.kind,
        values={"lead_inspector": "Someone else"},
        event=held,
        expected_version=held.version,
    )
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "Someone else changed" in response.content.decode()
    held.refresh_from_db()
    assert held.lead_inspector == "Someone else"
    assert editor_client.post(url, form_data(response.content.decode())).status_code == 302
    held.refresh_from_db()
    assert held.lead_inspector == "From the report"


def test_changing_the_dates_onto_another_held_inspection_asks_again_before_updating_it(editor_client, wirral):
    Event.objects.get(council=wirral, start_date=datetime.date(2023, 9, 18)).delete()
    url = upload(editor_client, "80581-wirral-2024-02-02")["Location"]
    count = Event.objects.count()
    data = form_data(
        editor_client.get(url),
        framework="ilacs_2018",
        start_date_day="17",
        start_date_month="6",
        start_date_year="2019",
        end_date_day="28",
        end_date_month="6",
        end_date_year="2019",
    )
    data["areas_for"] = "inspection:ilacs_2018"
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "which is already recorded" in response.content.decode()
    assert Event.objects.count() == count


def test_an_unknown_or_foreign_upload_token_goes_back_to_the_upload_page(editor_client, make_user):
    response = editor_client.get(f"/reports/upload/{uuid.uuid4()}/", follow=True)
    assert "expired or was already saved" in response.content.decode()
    url = upload(editor_client, "80581-wirral-2019-07-29")["Location"]
    other = Client()
    other.force_login(make_user("editor", username="other-editor"))
    assert other.get(url)["Location"] == "/reports/upload/", "an upload belongs to the editor who made it"
    assert editor_client.get("/reports/upload/not-a-uuid/").status_code == 404


def test_an_unmatched_council_is_flagged_and_must_be_chosen(editor_client, monkeypatch):
    result = ReportResult(
        kind="inspection",
        council_name="Atlantis Borough Council",
        framework="ilacs_2023",
        start_date=datetime.date(2031, 1, 6),
        end_date=datetime.date(2031, 1, 17),
        judgements={"overall_effectiveness": "good"},
        recommendations=[Recommendation("Do better.")],
    )
    monkeypatch.setattr("intake.pipeline.read_limited", lambda *a, **k: result)
    url = upload(editor_client, "80581-wirral-2019-07-29")["Location"]
    content = editor_client.get(url).content.decode()
    assert "The report names “Atlantis Borough Council”, which is not a council we know" in content
    assert "No grade found in the report" in content, "areas the reader found no grade for are flagged"
    response = editor_client.post(url, form_data(content))
    assert error_summary(response) == ["Choose the council"]
    response = editor_client.post(url, form_data(content, council="wirral"))
    assert response.status_code == 302
    event = Event.objects.get(council__slug="wirral", start_date=datetime.date(2031, 1, 6))
    assert event.judgements.get().grade.key == "good"


def test_confirm_page_query_count(editor_client, django_assert_max_num_queries):
    url = upload(editor_client, "80426-barnsley-2014-08-08")["Location"]
    with django_assert_max_num_queries(15):
        assert editor_client.get(url).status_code == 200

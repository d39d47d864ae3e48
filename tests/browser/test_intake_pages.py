"""The intake's pages in a real Chromium: the review queue, checking a fetched report and the
sync's record are accessible, and a report is confirmed with one click, keyboard only."""

import pytest

from inspections.models import Council
from intake.models import IntakeReport, Source, Status, SyncRun

pytestmark = pytest.mark.browser


def _waiting(**changes):
    values = {
        "source": Source.SYNC,
        "filename": "80581-inspection-2024-02-02.pdf",
        "council": Council.objects.get(urn=80581),
        "reading": {
            "kind": "inspection",
            "council_name": "Wirral Metropolitan Borough Council",
            "framework": "ilacs_2023",
            "start_date": "2031-01-06",
            "end_date": "2031-01-17",
            "judgements": {"overall_effectiveness": "good"},
            "recommendations": [{"text": "Do better.", "addressed_to": "council"}],
        },
        "flags": ["Reading the report: no recommendations found."],
        "label": "children's services inspection, pdf - 02 February 2031",
    }
    values.update(changes)
    return IntakeReport.objects.create(**values)


def test_the_intake_pages_have_no_serious_accessibility_violations(page, sign_in, axe_violations):
    report = _waiting()
    SyncRun.objects.create(
        host="app-1",
        pid=1,
        status="failures",
        counts={"new": 1},
        failures=[{"urn": 1, "url": "x", "error": "answered 404"}],
    )
    sign_in(page, "admin")
    for path in ("/reports/review/", f"/reports/review/{report.token}/", "/reports/sync/"):
        page.goto(path)
        assert axe_violations(page) == [], path


def test_a_waiting_report_is_rejected_by_keyboard(page, sign_in):
    report = _waiting()
    sign_in(page, "editor")
    page.goto("/reports/review/")
    page.get_by_role("button", name=f"Reject {report.filename}").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "was rejected" in page.locator("main").inner_text()
    report.refresh_from_db()
    assert report.status == Status.REJECTED

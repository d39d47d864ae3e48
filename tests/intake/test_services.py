"""The intake's write services on their own, with factories: a report saved over a newer version of
the event is refused and leaves the report, its file and the event as they were; a merge attaches
the file once; deciding a report twice is refused."""

import datetime
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from inspections.models import Event, EventKind
from intake import services
from intake.models import IntakeReport, Source, Status
from tests.factories import InspectionFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% a report\n"


def files_under(media):
    return sorted(str(p.relative_to(media)) for p in Path(media).rglob("*") if p.is_file())


@pytest.fixture
def held():
    return InspectionFactory(lead_inspector="Held Inspector", start_date=datetime.date(2024, 3, 4))


@pytest.fixture
def waiting(held):
    return services.intake_report_keep(
        data=PDF,
        fields={"source": Source.UPLOAD, "filename": "report.pdf", "council": held.council, "uploaded_by": None},
    )


def _arguments(event, **values):
    return {
        "council": event.council,
        "kind": EventKind.INSPECTION,
        "values": {"start_date": event.start_date, **values},
    }


def test_a_checked_report_saved_over_a_newer_version_is_refused_and_nothing_changes(
    held, waiting, make_user, _intake_settings
):
    shown = held.version
    Event.objects.filter(pk=held.pk).update(version=shown + 1)  # someone saved it meanwhile
    kept = files_under(_intake_settings.MEDIA_ROOT)

    with pytest.raises(ValidationError) as refused:
        services.intake_save(
            report=waiting,
            user=make_user("editor"),
            arguments=_arguments(held, lead_inspector="From the report"),
            event=held,
            expected_version=shown,
        )

    assert refused.value.code == "conflict"
    saved = Event.objects.get(pk=held.pk)
    assert (saved.lead_inspector, saved.report_file.name) == ("Held Inspector", "")
    assert IntakeReport.objects.get(pk=waiting.pk).status == Status.PENDING
    assert files_under(_intake_settings.MEDIA_ROOT) == kept, "the waiting file stays for another try; none added"


def test_a_one_click_confirm_merges_into_the_event_we_hold_and_attaches_the_file(
    held, waiting, make_user, _intake_settings
):
    event, status = services.intake_save(
        report=waiting,
        user=make_user("editor"),
        arguments=_arguments(held, lead_inspector="From the report"),
        merge=True,
    )
    assert (event.pk, status) == (held.pk, "updated")
    saved = Event.objects.get(pk=held.pk)
    assert saved.lead_inspector == "From the report"
    assert saved.report_file.read() == PDF
    report = IntakeReport.objects.get(pk=waiting.pk)
    assert (report.status, report.event_id, report.file.name) == (Status.CONFIRMED, held.pk, "")
    assert not any(name.startswith("pending/") for name in files_under(_intake_settings.MEDIA_ROOT))


def test_the_same_file_merged_again_is_not_stored_twice(held, _intake_settings):
    arguments = _arguments(held)
    services.report_event_save(**arguments, data=PDF, filename="a.pdf", merge=True)
    before = files_under(_intake_settings.MEDIA_ROOT)
    _event, status = services.report_event_save(**arguments, data=PDF, filename="a.pdf", merge=True)
    assert status == "unchanged"
    assert files_under(_intake_settings.MEDIA_ROOT) == before


def test_a_report_cannot_be_decided_twice(waiting, make_user):
    editor = make_user("editor")
    rejected = services.intake_reject(report=waiting, user=editor)
    assert (rejected.status, rejected.decided_by, rejected.file.name) == (Status.REJECTED, editor, "")
    with pytest.raises(ValidationError, match="already rejected"):
        services.intake_reject(report=waiting, user=editor)

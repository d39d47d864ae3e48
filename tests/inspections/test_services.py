"""The write services on their own, with factories: a stale form is refused and changes nothing, a
loader says it merges, and every write leaves its entry in the audit trail."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from inspections import audit, services
from inspections.models import Council, Event, EventKind, Framework, Recommendation, RecommendationUpdate
from tests.factories import CouncilFactory, InspectionFactory, RecommendationFactory

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def inspection():
    return InspectionFactory(lead_inspector="Ann Original", start_date=D(2024, 3, 4), published_date=D(2024, 5, 1))


def _saved(event):
    return Event.objects.get(pk=event.pk)


# One locking scheme: Event.version ----------------------------------------------------------------


def test_a_form_save_over_a_newer_version_is_refused_and_changes_nothing(inspection):
    shown = inspection.version
    services.event_save(
        council=inspection.council,
        kind=inspection.kind,
        values={"lead_inspector": "Bo First"},
        event=inspection,
        expected_version=shown,
    )
    history_rows = Event.history.filter(id=inspection.pk).count()

    with pytest.raises(ValidationError) as refused:
        services.event_save(
            council=inspection.council,
            kind=inspection.kind,
            values={"lead_inspector": "Cy Stale", "summary": "Typed over an old page."},
            event=inspection,
            expected_version=shown,
        )

    assert refused.value.code == "conflict"
    assert "Someone else changed this event" in refused.value.messages[0]
    saved = _saved(inspection)
    assert (saved.lead_inspector, saved.summary, saved.version) == ("Bo First", "", shown + 1)
    assert Event.history.filter(id=inspection.pk).count() == history_rows


def test_a_status_change_without_the_version_its_form_showed_is_refused_and_saves_nothing():
    rec = RecommendationFactory()
    for version in (None, rec.event.version - 1):
        with pytest.raises(ValidationError) as refused:
            services.recommendation_status_change(
                recommendation=rec, status="met", date=D(2024, 6, 1), note="Done.", expected_version=version
            )
        assert refused.value.code in ("stale_form", "conflict")
    assert not RecommendationUpdate.objects.filter(recommendation=rec).exists()
    assert Recommendation.objects.get(pk=rec.pk).status == "open"


def test_a_restore_outdates_a_form_loaded_before_it(inspection):
    rec = RecommendationFactory(event=inspection)
    shown = _saved(inspection).version
    rec_pk = rec.pk
    rec.delete()
    services.record_restore(kind="recommendation", object_id=rec_pk)
    with pytest.raises(ValidationError) as refused:
        services.event_save(
            council=inspection.council,
            kind=inspection.kind,
            values={"lead_inspector": "Old page"},
            event=inspection,
            expected_version=shown,
        )
    assert refused.value.code == "conflict"
    assert _saved(inspection).lead_inspector == "Ann Original"


# Forms create; loaders merge ------------------------------------------------------------------------


def test_a_new_event_we_already_hold_is_refused_with_its_title_and_nothing_is_added(inspection):
    before = Event.objects.count()
    with pytest.raises(ValidationError) as refused:
        services.event_save(
            council=inspection.council,
            kind=EventKind.INSPECTION,
            values={"start_date": D(2024, 3, 4), "lead_inspector": "Someone New"},
        )
    assert refused.value.code == "already_held"
    assert refused.value.messages[0] == (
        f"{inspection.council.name} already has this inspection (ILACS 2023 inspection, 4 March 2024): "
        "change that one instead"
    )
    assert Event.objects.count() == before
    assert _saved(inspection).lead_inspector == "Ann Original"


def test_a_loader_that_merges_updates_the_event_we_hold_without_a_version(inspection):
    before = Event.objects.count()
    event, status = services.event_save(
        council=inspection.council,
        kind=EventKind.INSPECTION,
        values={"start_date": D(2024, 3, 4), "lead_inspector": "Dee Loaded"},
        merge=True,
    )
    assert (event.pk, status) == (inspection.pk, services.UPDATED)
    assert Event.objects.count() == before
    saved = _saved(inspection)
    assert (saved.lead_inspector, saved.version) == ("Dee Loaded", inspection.version + 1)


def test_a_merge_of_lower_trust_data_only_fills_what_is_empty(inspection):
    _event, status = services.event_save(
        council=inspection.council,
        kind=EventKind.INSPECTION,
        values={"start_date": D(2024, 3, 4), "lead_inspector": "Third Party", "focus": "Care leavers"},
        fill_only=True,
        event=inspection,
        merge=True,
    )
    saved = _saved(inspection)
    assert status == services.UPDATED
    assert (saved.lead_inspector, saved.focus) == ("Ann Original", "Care leavers")


def test_a_merge_that_changes_nothing_keeps_the_version(inspection):
    _event, status = services.event_save(
        council=inspection.council,
        kind=EventKind.INSPECTION,
        values={"start_date": D(2024, 3, 4), "lead_inspector": "Ann Original"},
        merge=True,
    )
    assert status == services.UNCHANGED
    assert _saved(inspection).version == inspection.version


def test_a_merge_never_also_carries_a_form_version(inspection):
    with pytest.raises(TypeError):
        services.event_save(
            council=inspection.council,
            kind=inspection.kind,
            values={},
            event=inspection,
            expected_version=inspection.version,
            merge=True,
        )


# Every write leaves its audit entry --------------------------------------------------------------


def test_creating_an_event_records_it_and_its_judgements_and_recommendations_in_the_history():
    council = CouncilFactory()
    event, status = services.event_save(
        council=council,
        kind=EventKind.INSPECTION,
        values={"framework": Framework.objects.get(key="ilacs_2023"), "start_date": D(2025, 1, 13)},
        judgements={"overall_effectiveness": "good"},
        recommendations=[{"text": "Improve supervision."}],
    )
    assert status == services.CREATED
    history = audit.event_history(event_id=event.pk)
    created = sorted((e.kind, e.action) for e in history.entries)
    assert created == [("event", "Created"), ("judgement", "Created"), ("recommendation", "Created")]
    judgement = next(e for e in history.entries if e.kind == "judgement")
    assert [(c.label, c.after) for c in judgement.changes if c.label == "Grade"] == [("Grade", "Good")]


def test_changing_an_event_records_the_field_before_and_after(inspection):
    services.event_save(
        council=inspection.council,
        kind=inspection.kind,
        values={"lead_inspector": "Bo Changed"},
        event=inspection,
        expected_version=inspection.version,
    )
    changed = [e for e in audit.event_history(event_id=inspection.pk).entries if e.action == "Changed"]
    assert [(c.label, c.before, c.after) for c in changed[0].changes] == [
        ("Lead inspector", "Ann Original", "Bo Changed")
    ]


def test_a_status_change_records_the_update_and_the_recommendations_new_status(make_user):
    rec = RecommendationFactory()
    editor = make_user("editor", username="jo.editor")
    update = services.recommendation_status_change(
        recommendation=rec,
        status="met",
        date=D(2024, 6, 1),
        note="Met at the monitoring visit.",
        user=editor,
        expected_version=rec.event.version,
    )
    assert (update.created_by, Recommendation.objects.get(pk=rec.pk).status) == (editor, "met")
    entries = audit.event_history(event_id=rec.event_id).entries
    assert [(e.kind, e.action) for e in entries if e.kind == "update"] == [("update", "Created")]
    status_change = next(e for e in entries if e.kind == "recommendation" and e.action == "Changed")
    assert [(c.before, c.after) for c in status_change.changes if c.label == "Status"] == [("Open", "Met")]


def test_a_restore_is_recorded_as_restored_by_the_admin(inspection, make_user):
    admin = make_user("admin", username="al.admin")
    pk = inspection.pk
    inspection.delete()
    restored = services.record_restore(kind="event", object_id=pk, user=admin)
    assert [r.pk for r in restored] == [pk]
    latest = audit.event_history(event_id=pk).entries[0]
    assert (latest.action, latest.who) == ("Restored", "al.admin")


def test_loading_the_council_lookup_records_each_council_created():
    row = services.CouncilLookupRow(
        row=2,
        urn=9_999_001,
        name="Loamshire",
        la_code="990",
        gss_code="E06999001",
        region_code="E12000009",
        region_name="South West",
        council_type="Unitary Authority",
        population_0_25=None,
        neighbour_la_codes=[],
    )
    statuses = services.councils_load(rows=[row], reorganisations=[])
    council = Council.objects.get(urn=9_999_001)
    assert statuses == {9_999_001: services.CREATED}
    assert (council.slug, council.region.name) == ("loamshire", "South West")
    assert [r.history_type for r in Council.history.filter(id=council.pk)] == ["+"]
    assert services.councils_load(rows=[row], reorganisations=[]) == {9_999_001: services.UNCHANGED}

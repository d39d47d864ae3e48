"""The audit trail: every create, change and delete is shown with who, when and before/after;
deletes are recoverable by an admin; recommendation status updates never overwrite each other."""

import datetime
import re
from datetime import timedelta

import pytest
from django.db.models import F
from django.urls import reverse

from inspections import audit, services
from inspections.models import (
    Council,
    Event,
    EventKind,
    Grade,
    Judgement,
    Recommendation,
    RecommendationStatus,
    RecommendationUpdate,
)
from tests.factories import CouncilFactory

pytestmark = pytest.mark.django_db


def wirral_2023(wirral):
    return wirral.events.get(kind=EventKind.INSPECTION, start_date=datetime.date(2023, 9, 18))


def history_url(event):
    return reverse("inspections:event_history", args=[event.pk])


def entry_for(history, kind, object_id, action):
    return [e for e in history.entries if e.kind == kind and e.object_id == object_id and e.action == action]


def admin_delete(client, obj):
    """Delete through the Django admin, as an admin does (the request's user is recorded)."""
    opts = obj._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_delete", args=[obj.pk])
    response = client.post(url, {"post": "yes"})
    assert response.status_code == 302, response.content[:500]


# Who, when, before and after ------------------------------------------------------------------


def test_a_changed_grade_shows_who_changed_it_and_the_grade_before_and_after(wirral, editor_client, make_user):
    event = wirral_2023(wirral)
    judgement = event.judgements.select_related("grade").first()
    editor = make_user("editor", username="jo.editor")
    judgement.grade = Grade.objects.get(key="inadequate")
    judgement._history_user = editor
    judgement.save()

    response = editor_client.get(reverse("inspections:council_history", args=[wirral.slug]))

    assert response.status_code == 200
    body = response.content.decode()
    assert "jo.editor" in body
    assert "Requires improvement" in body and "Inadequate" in body
    (changed,) = entry_for(audit.council_history(council=wirral), "judgement", judgement.pk, "Changed")
    assert changed.who == "jo.editor"
    assert [(c.label, c.before, c.after) for c in changed.changes] == [
        ("Grade", "Requires improvement to be good", "Inadequate")
    ]
    assert judgement.area.name in changed.label


@pytest.mark.parametrize("kind", ["council", "event", "judgement", "recommendation", "update"])
def test_each_kind_of_record_has_its_create_change_and_delete_recorded(kind, wirral, make_user):
    user = make_user("admin", username="audit-admin")
    event = wirral_2023(wirral)
    if kind == "council":
        obj = CouncilFactory(name="Audit Test Council")
        field, new_value = "name", "Renamed Council"
    elif kind == "event":
        obj = Event.objects.create(
            council=wirral, kind=EventKind.MILESTONE, milestone_type="other", start_date=datetime.date(2024, 5, 1)
        )
        field, new_value = "summary", "New director appointed."
    elif kind == "judgement":
        obj = event.judgements.first()
        field, new_value = "grade", Grade.objects.get(key="good")
    elif kind == "recommendation":
        obj = event.recommendations.first()
        field, new_value = "text", "Rewritten text."
    else:
        rec = event.recommendations.first()
        obj = RecommendationUpdate.objects.create(recommendation=rec, date=datetime.date(2024, 6, 1), status="met")
        field, new_value = "note", "Found met by the monitoring visit."
    obj._history_user = user
    setattr(obj, field, new_value)
    obj.save()
    pk = obj.pk
    obj._history_user = user
    obj.delete()

    history = (
        audit.council_history(council=wirral)
        if kind != "council"
        else audit._history({"council": Council.history.filter(id=pk)})
    )
    changed = entry_for(history, kind, pk, "Changed")
    deleted = entry_for(history, kind, pk, "Deleted")
    assert changed and changed[0].who == "audit-admin"
    assert str(new_value) in [c.after for c in changed[0].changes]
    assert deleted and deleted[0].who == "audit-admin" and deleted[0].restorable
    if kind == "event":  # created by this test, so its creation is in the trail too
        assert entry_for(history, kind, pk, "Created")


def test_history_pages_are_for_editors_and_admins_only(wirral, client_for):
    event = wirral_2023(wirral)
    clients = {role: client_for(role) for role in ("viewer", "analyst", "editor", "admin")}
    for url in (reverse("inspections:council_history", args=[wirral.slug]), history_url(event)):
        assert clients["viewer"].get(url).status_code == 403
        assert clients["analyst"].get(url).status_code == 403
        assert clients["editor"].get(url).status_code == 200
        assert clients["admin"].get(url).status_code == 200


def test_history_pages_take_a_fixed_number_of_queries(wirral, client_for, django_assert_max_num_queries):
    client = client_for("admin")
    event = wirral_2023(wirral)
    with django_assert_max_num_queries(15):
        assert client.get(reverse("inspections:council_history", args=[wirral.slug])).status_code == 200
    with django_assert_max_num_queries(15):
        assert client.get(history_url(event)).status_code == 200
    with django_assert_max_num_queries(15):
        assert client.get(reverse("inspections:deleted_records")).status_code == 200


def test_the_history_of_an_event_that_never_existed_is_not_found(editor_client):
    assert editor_client.get(reverse("inspections:event_history", args=[999_999_999])).status_code == 404


# Deletes are recoverable by an admin ---------------------------------------------------------


def test_an_admin_restores_a_deleted_event_with_its_judgements_recommendations_and_updates(wirral, client_for):
    admin = client_for("admin")
    event = wirral_2023(wirral)
    rec = event.recommendations.order_by("number").first()
    RecommendationUpdate.objects.create(recommendation=rec, date=datetime.date(2024, 6, 1), status="in_progress")
    before = {
        "event": Event.objects.filter(pk=event.pk).values().get(),
        "judgements": sorted(Judgement.objects.filter(event=event).values_list("pk", "area_id", "grade_id")),
        "recs": sorted(Recommendation.objects.filter(event=event).values_list("pk", "number", "text", "status")),
        "updates": sorted(RecommendationUpdate.objects.filter(recommendation__event=event).values_list("pk", "status")),
    }
    admin_delete(admin, event)
    assert not Event.objects.filter(pk=event.pk).exists()
    assert not Judgement.objects.filter(event_id=event.pk).exists()

    page = admin.get(history_url(event))
    assert page.status_code == 200
    assert "This event has been deleted" in page.content.decode()
    assert "Restore" in page.content.decode()

    response = admin.post(
        reverse("inspections:record_restore", args=["event", event.pk]), {"next": history_url(event)}, follow=True
    )

    assert "The event has been restored, with" in response.content.decode()
    restored = Event.objects.filter(pk=event.pk).values().get()
    assert {k: v for k, v in restored.items() if k not in ("updated_at", "version")} == {
        k: v for k, v in before["event"].items() if k not in ("updated_at", "version")
    }
    assert restored["version"] > before["event"]["version"]  # a form from before the delete is refused
    assert (
        sorted(Judgement.objects.filter(event=event).values_list("pk", "area_id", "grade_id")) == before["judgements"]
    )
    assert (
        sorted(Recommendation.objects.filter(event=event).values_list("pk", "number", "text", "status"))
        == before["recs"]
    )
    assert (
        sorted(RecommendationUpdate.objects.filter(recommendation__event=event).values_list("pk", "status"))
        == before["updates"]
    )
    history = audit.event_history(event_id=event.pk)
    assert entry_for(history, "event", event.pk, "Restored")[0].who == "client-admin"
    assert not history.deleted


def test_restoring_twice_changes_nothing_the_second_time(wirral, client_for):
    admin = client_for("admin")
    event = wirral_2023(wirral)
    admin_delete(admin, event)
    url = reverse("inspections:record_restore", args=["event", event.pk])
    admin.post(url)
    count = Event.history.filter(id=event.pk).count()

    response = admin.post(url, follow=True)

    assert "has not been deleted" in response.content.decode()
    assert Event.history.filter(id=event.pk).count() == count


@pytest.mark.parametrize("role", ["viewer", "analyst", "editor"])
def test_only_admins_may_restore(role, wirral, client_for):
    event = wirral_2023(wirral)
    admin_delete(client_for("admin"), event)

    response = client_for(role).post(reverse("inspections:record_restore", args=["event", event.pk]))

    assert response.status_code == 403
    assert not Event.objects.filter(pk=event.pk).exists()


def test_editors_see_deleted_records_but_no_restore_button(wirral, client_for):
    event = wirral_2023(wirral)
    admin_delete(client_for("admin"), event)

    body = client_for("editor").get(history_url(event)).content.decode()

    assert "This event has been deleted" in body and "An admin can restore it" in body
    assert reverse("inspections:record_restore", args=["event", event.pk]) not in body


def test_a_judgement_deleted_long_before_its_event_stays_deleted(wirral, client_for):
    admin = client_for("admin")
    event = wirral_2023(wirral)
    early = event.judgements.first()
    admin_delete(admin, early)
    # As if that judgement had been deleted (and created) two days before the event was.
    Judgement.history.filter(id=early.pk).update(history_date=F("history_date") - timedelta(days=2))
    admin_delete(admin, event)

    services.record_restore(kind="event", object_id=event.pk)

    assert not Judgement.objects.filter(pk=early.pk).exists()
    assert event.judgements.count() == 4
    services.record_restore(kind="judgement", object_id=early.pk)
    assert event.judgements.count() == 5


def test_restoring_an_event_that_clashes_with_one_entered_since_is_refused(wirral, client_for):
    admin = client_for("admin")
    event = wirral_2023(wirral)
    admin_delete(admin, event)
    Event.objects.create(
        council=wirral, kind=EventKind.INSPECTION, start_date=event.start_date, published_date=event.published_date
    )

    response = admin.post(reverse("inspections:record_restore", args=["event", event.pk]), follow=True)

    assert "cannot be restored" in response.content.decode()
    assert not Event.objects.filter(pk=event.pk).exists()
    assert not Judgement.objects.filter(event_id=event.pk).exists()


def test_a_recommendation_cannot_be_restored_while_its_event_is_deleted(wirral, client_for):
    admin = client_for("admin")
    event = wirral_2023(wirral)
    rec_pk = event.recommendations.first().pk
    admin_delete(admin, event)

    response = admin.post(reverse("inspections:record_restore", args=["recommendation", rec_pk]), follow=True)

    assert "restore it first" in response.content.decode()
    assert not Recommendation.objects.filter(pk=rec_pk).exists()


def test_a_deleted_council_is_listed_for_admins_and_can_be_restored(client_for):
    admin = client_for("admin")
    council = CouncilFactory(name="Shortlived Council")
    admin_delete(admin, council)

    page = admin.get(reverse("inspections:deleted_records"))
    assert "Shortlived Council" in page.content.decode()
    admin.post(reverse("inspections:record_restore", args=["council", council.pk]))

    assert Council.objects.get(pk=council.pk).name == "Shortlived Council"


def test_restore_only_accepts_posts_and_known_kinds(client_for):
    admin = client_for("admin")
    assert admin.get(reverse("inspections:record_restore", args=["event", 1])).status_code == 405
    assert admin.post(reverse("inspections:record_restore", args=["grade", 1])).status_code == 404


def test_restore_never_redirects_off_site(wirral, client_for):
    admin = client_for("admin")
    event = wirral_2023(wirral)
    admin_delete(admin, event)
    response = admin.post(
        reverse("inspections:record_restore", args=["event", event.pk]), {"next": "https://evil.example.org/"}
    )
    assert response["Location"] == reverse("inspections:deleted_records")


# Recommendation status updates ---------------------------------------------------------------


def rec_url(rec):
    return reverse("inspections:recommendation_update", args=[rec.pk])


def form_data(page, **values):
    data = {
        "seen": page.context["form"]["seen"].value(),
        "status": "met",
        "date_day": "3",
        "date_month": "2",
        "date_year": "2025",
        "note": "Found met by the monitoring visit.",
        "evidence_url": "https://reports.ofsted.gov.uk/provider/44/80581",
    }
    data.update(values)
    return data


def test_an_editor_records_a_dated_status_update_with_note_and_evidence(wirral, editor_client):
    rec = wirral_2023(wirral).recommendations.order_by("number").first()
    page = editor_client.get(rec_url(rec))
    assert page.status_code == 200

    response = editor_client.post(rec_url(rec), form_data(page))

    assert response.status_code == 302
    assert response["Location"].endswith(f"#recommendation-{rec.pk}")
    rec.refresh_from_db()
    assert rec.status == RecommendationStatus.MET
    update = rec.updates.get()
    assert (update.date, update.note, update.created_by.username) == (
        datetime.date(2025, 2, 3),
        "Found met by the monitoring visit.",
        "client-editor",
    )
    history = audit.event_history(event_id=rec.event_id)
    assert entry_for(history, "update", update.pk, "Created")[0].who == "client-editor"
    assert [(c.before, c.after) for c in entry_for(history, "recommendation", rec.pk, "Changed")[0].changes] == [
        ("Open", "Met")
    ]


def test_the_update_form_shows_the_updates_so_far(wirral, editor_client):
    rec = wirral_2023(wirral).recommendations.first()
    RecommendationUpdate.objects.create(
        recommendation=rec, date=datetime.date(2024, 6, 1), status="in_progress", note="Plan agreed."
    )
    body = editor_client.get(rec_url(rec)).content.decode()
    assert "Plan agreed." in body and "1 June 2024" in body


def test_a_second_editors_stale_form_is_refused_and_keeps_what_they_typed(wirral, client_for):
    rec = wirral_2023(wirral).recommendations.first()
    first, second = client_for("editor"), client_for("admin")
    page_1, page_2 = first.get(rec_url(rec)), second.get(rec_url(rec))
    assert first.post(rec_url(rec), form_data(page_1, status="met")).status_code == 302

    response = second.post(rec_url(rec), form_data(page_2, status="in_progress", note="My own careful note."))

    assert response.status_code == 200
    body = response.content.decode()
    assert "Someone else changed this recommendation" in body
    assert "My own careful note." in body
    rec.refresh_from_db()
    assert rec.status == "met" and rec.updates.count() == 1
    # Having seen the other update, submitting again is deliberate and is saved.
    again = second.post(rec_url(rec), form_data(response, status="in_progress", note="My own careful note."))
    assert again.status_code == 302
    assert rec.updates.count() == 2


def test_a_replayed_post_is_saved_once(wirral, editor_client):
    rec = wirral_2023(wirral).recommendations.first()
    data = form_data(editor_client.get(rec_url(rec)))
    editor_client.post(rec_url(rec), data)
    replay = editor_client.post(rec_url(rec), data)
    assert replay.status_code == 200 and "Someone else changed this recommendation" in replay.content.decode()
    assert rec.updates.count() == 1


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"status": ""}, "Select the recommendation&#x27;s status"),
        ({"status": "closed"}, "Select a status"),
        ({"date_day": "", "date_month": "", "date_year": ""}, "Enter the date of the update"),
        ({"date_month": ""}, "must include a month"),
        ({"date_day": "31", "date_month": "2"}, "must be a real date"),
        ({"date_year": "25"}, "must include a year with four digits"),
        ({"date_year": "2099"}, "must be today or in the past"),
        ({"date_year": "2999"}, "must be between 2000 and 2100"),
        ({"date_year": "2020"}, "must be on or after the inspection (18 September 2023)"),
        ({"evidence_url": "javascript:alert(1)"}, "Enter the evidence link as a web address"),
        ({"evidence_url": "not a link"}, "Enter the evidence link as a web address"),
        ({"note": "x" * 5001}, "The note must be 5000 characters or fewer"),
    ],
)
def test_bad_input_gets_a_clear_error_keeps_what_was_typed_and_changes_nothing(wirral, editor_client, values, message):
    rec = wirral_2023(wirral).recommendations.first()
    data = form_data(editor_client.get(rec_url(rec)), **values)

    response = editor_client.post(rec_url(rec), data)

    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body and message in body
    assert 'class="govuk-error-summary"' in body
    if values.get("note", "").startswith("x"):
        assert "x" * 100 in body
    else:
        assert "Found met by the monitoring visit." in body
    rec.refresh_from_db()
    assert rec.status == "open" and not rec.updates.exists()


def test_an_update_with_nothing_changed_is_refused_and_records_nothing(wirral, editor_client):
    rec = wirral_2023(wirral).recommendations.first()
    data = form_data(editor_client.get(rec_url(rec)), status=rec.status, note="  ", evidence_url="")

    response = editor_client.post(rec_url(rec), data)

    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body and "Choose a new status or add a note" in body
    assert 'href="#id_status_0"' in body
    assert not rec.updates.exists()
    # The same status with a note is a real update.
    assert editor_client.post(rec_url(rec), {**data, "note": "Board reviewed progress."}).status_code == 302
    assert rec.updates.get().note == "Board reviewed progress."


def test_the_update_form_takes_a_fixed_number_of_queries(wirral, editor_client, django_assert_max_num_queries):
    rec = wirral_2023(wirral).recommendations.first()
    with django_assert_max_num_queries(12):
        page = editor_client.get(rec_url(rec))
    # A save validates constraints and writes history rows: more queries, but never more with more data.
    with django_assert_max_num_queries(40):
        assert editor_client.post(rec_url(rec), form_data(page)).status_code == 302


@pytest.mark.parametrize("role", ["viewer", "analyst"])
def test_viewers_and_analysts_cannot_update_recommendations(role, wirral, client_for):
    rec = wirral_2023(wirral).recommendations.first()
    client = client_for(role)
    assert client.get(rec_url(rec)).status_code == 403
    assert (
        client.post(
            rec_url(rec), {"status": "met", "date_day": "1", "date_month": "1", "date_year": "2025"}
        ).status_code
        == 403
    )
    assert not rec.updates.exists()


def test_the_update_link_is_offered_to_editors_only(wirral, make_user):
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    from inspections.context_processors import service

    rec = wirral_2023(wirral).recommendations.first()
    for role, shown in (("viewer", False), ("analyst", False), ("editor", True), ("admin", True)):
        request = RequestFactory().get("/")
        request.user = make_user(role, username=f"link-{role}")
        html = render_to_string("editing/recommendation_actions.html", {"recommendation": rec, **service(request)})
        assert (rec_url(rec) in html) is shown


# The Django admin is for the admin role, and safe for it --------------------------------------


def test_admins_manage_users_roles_but_cannot_create_superusers(client_for, make_user):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    admin = client_for("admin")
    someone = make_user("viewer", username="promote-me")
    page = admin.get(reverse("admin:auth_user_change", args=[someone.pk]))
    assert page.status_code == 200
    form = page.context["adminform"].form
    assert "is_superuser" not in form.fields and "user_permissions" not in form.fields

    data = {
        "username": "promote-me",
        "first_name": "",
        "last_name": "",
        "email": "",
        "is_active": "on",
        "groups": [Group.objects.get(name="editor").pk],
        "is_superuser": "on",
    }
    response = admin.post(reverse("admin:auth_user_change", args=[someone.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    someone.refresh_from_db()
    assert list(someone.groups.values_list("name", flat=True)) == ["editor"]
    assert not someone.is_superuser

    boss = get_user_model().objects.create_superuser("boss", password="pw-for-tests-1")
    assert admin.get(reverse("admin:auth_user_change", args=[boss.pk])).status_code == 302  # not theirs to see


def test_admins_can_unlock_locked_sign_ins(client_for):
    admin = client_for("admin")
    assert admin.get(reverse("admin:axes_accessattempt_changelist")).status_code == 200


@pytest.mark.parametrize("role", ["viewer", "analyst", "editor"])
def test_other_roles_cannot_reach_the_django_admin(role, client_for):
    response = client_for(role).get(reverse("admin:index"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


# History pages: filter by who and what, grouped by event, paginated ---------------------------------


def _change_grade(event, user, grade="inadequate"):
    judgement = event.judgements.first()
    judgement._history_user = user
    judgement.grade = Grade.objects.get(key=grade)
    judgement.save()
    return judgement


def test_the_council_history_groups_changes_by_event(wirral, client_for, make_user):
    _change_grade(wirral_2023(wirral), make_user("editor", username="jo.editor"))
    html = client_for("editor").get(reverse("inspections:council_history", args=[wirral.slug])).content.decode()
    groups = re.findall(r'<section class="app-history-group"', html)
    assert 1 <= len(groups) <= 10
    first = html.split('<section class="app-history-group"')[1]
    event = wirral_2023(wirral)
    assert f"/events/{event.pk}/history/" in first.split("</h2>")[0] and "by jo.editor" in first, "latest first"
    assert 'aria-label="Pages of events"' in html or len(groups) < 10


def test_the_council_history_filters_by_who_and_what(wirral, client_for, make_user):
    _change_grade(wirral_2023(wirral), make_user("editor", username="jo.editor"))
    url = reverse("inspections:council_history", args=[wirral.slug])
    client = client_for("editor")
    everything = client.get(url).content.decode()
    assert '<option value="jo.editor">jo.editor</option>' in everything
    mine = client.get(url, {"who": "jo.editor"}).content.decode()
    assert ">1 change<" in mine and mine.count('<section class="app-history-group"') == 1
    assert '<option value="jo.editor" selected>' in mine
    judgements = client.get(url, {"what": "judgement"}).content.decode()
    whats = set(re.findall(r'govuk-!-margin-bottom-0">([A-Z][a-z ]+)</span>', judgements))
    assert whats == {"Judgement"}
    none = client.get(url, {"who": "jo.editor", "what": "recommendation"}).content.decode()
    assert "No changes match these filters." in none


def test_history_pages_keep_the_filters_when_paging(wirral, client_for, make_user):
    editor = make_user("editor", username="many.changes")
    event = wirral_2023(wirral)
    for n in range(audit_page_size() + 5):
        _change_grade(event, editor, "good" if n % 2 else "inadequate")
    url, client = history_url(event), client_for("editor")
    html = client.get(url, {"who": "many.changes"}).content.decode()
    assert 'href="?who=many.changes&amp;page=2"' in html
    second = client.get(url, {"who": "many.changes", "page": 2}).content.decode()
    assert second.count('<tr class="govuk-table__row" id="change-') == 5


def audit_page_size():
    from inspections.views.editing import HISTORY_PAGE_SIZE

    return HISTORY_PAGE_SIZE

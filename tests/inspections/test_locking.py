"""Lost and doubled writes: one locking scheme (Event.version, required, checked and bumped by every
write path, the Django admin included), one-use submit tokens on create forms, and a concurrent
duplicate told "already held" instead of a server error."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from inspections import services
from inspections.models import Event, EventKind, Recommendation
from inspections.selectors import matching as selectors_matching
from tests.inspections.test_entry import date_parts, error_summary, filled, form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def wirral_2019(wirral):
    return Event.objects.get(council=wirral, kind=EventKind.INSPECTION, start_date=datetime.date(2019, 6, 17))


def admin_change(client, event, **changes):
    url = f"/admin/inspections/event/{event.pk}/change/"
    return client.post(url, form_data(client.get(url), **changes))


def test_an_admin_correction_is_not_reverted_by_an_editor_saving_an_older_form(wirral_2019, editor_client, client_for):
    edit_url = f"/events/{wirral_2019.pk}/edit/"
    editors_form = form_data(editor_client.get(edit_url), lead_inspector="Editor's old spelling")
    before = wirral_2019.version
    response = admin_change(client_for("admin"), wirral_2019, lead_inspector="Admin's correction")
    assert response.status_code == 302, error_summary(response)
    wirral_2019.refresh_from_db()
    assert wirral_2019.lead_inspector == "Admin's correction" and wirral_2019.version > before

    refused = editor_client.post(edit_url, editors_form)
    assert refused.status_code == 200
    assert "Someone else changed this event" in refused.content.decode()
    wirral_2019.refresh_from_db()
    assert wirral_2019.lead_inspector == "Admin's correction"


def test_an_admins_stale_form_is_refused_too(wirral_2019, editor_client, client_for):
    admin = client_for("admin")
    url = f"/admin/inspections/event/{wirral_2019.pk}/change/"
    admins_form = form_data(admin.get(url), lead_inspector="Admin's stale value")
    edit_url = f"/events/{wirral_2019.pk}/edit/"
    assert (
        editor_client.post(edit_url, form_data(editor_client.get(edit_url), lead_inspector="Newer")).status_code == 302
    )
    response = admin.post(url, admins_form)
    assert response.status_code == 200 and "Someone else changed this event" in response.content.decode()
    wirral_2019.refresh_from_db()
    assert wirral_2019.lead_inspector == "Newer"


def test_an_admin_change_to_a_recommendation_outdates_an_open_status_form(wirral_2019, editor_client, client_for):
    rec = Recommendation.objects.filter(event__council=wirral_2019.council).first()
    url = reverse("inspections:recommendation_update", args=[rec.pk])
    data = form_data(editor_client.get(url), status="met", date_day="1", date_month="2", date_year="2025")
    admin = client_for("admin")
    rec_url = f"/admin/inspections/recommendation/{rec.pk}/change/"
    assert admin.post(rec_url, form_data(admin.get(rec_url), text="Corrected text.")).status_code == 302
    response = editor_client.post(url, data)
    assert response.status_code == 200 and "Someone else changed this recommendation" in response.content.decode()
    assert not rec.updates.exists()


@pytest.mark.parametrize("version", [None, "", "0", "-1", "abc"])
def test_an_edit_without_a_proper_version_is_refused_and_changes_nothing(wirral_2019, editor_client, version):
    edit_url = f"/events/{wirral_2019.pk}/edit/"
    data = form_data(editor_client.get(edit_url), lead_inspector="Sneaky")
    if version is None:
        data.pop("version")
    else:
        data["version"] = version
    response = editor_client.post(edit_url, data)
    assert response.status_code == 200
    wirral_2019.refresh_from_db()
    assert wirral_2019.lead_inspector != "Sneaky"


def test_the_service_refuses_an_edit_without_the_version_it_was_based_on(wirral_2019):
    for version in (None, 0, True):
        with pytest.raises(ValidationError) as caught:
            services.event_save(
                council=wirral_2019.council,
                kind=wirral_2019.kind,
                values={"lead_inspector": "x"},
                event=wirral_2019,
                expected_version=version,
            )
        assert caught.value.code == "stale_form"


def test_a_replayed_new_milestone_post_makes_one_milestone(editor_client, wirral):
    url = "/inspections/new/details/?council=wirral&kind=milestone"
    data = filled(
        editor_client, url, milestone_type="other", title="Board meeting", **date_parts("start_date", "3", "3", "2025")
    )
    data.setdefault("milestone_type", "other")
    first = editor_client.post(url, data)
    assert first.status_code == 302, error_summary(first)
    replay = editor_client.post(url, data)
    assert replay.status_code == 302 and replay["Location"] == first["Location"]
    assert Event.objects.filter(council=wirral, kind="milestone", start_date=datetime.date(2025, 3, 3)).count() == 1
    assert "saved already" in editor_client.get(replay["Location"]).content.decode()


def test_a_create_form_without_its_submit_token_is_refused_and_keeps_what_was_typed(editor_client, wirral):
    url = "/inspections/new/details/?council=wirral&kind=milestone"
    data = filled(
        editor_client, url, milestone_type="other", title="Tokenless", **date_parts("start_date", "4", "3", "2025")
    )
    data.pop("submit_token")
    response = editor_client.post(url, data)
    assert response.status_code == 200 and "This page is out of date" in response.content.decode()
    assert 'value="Tokenless"' in response.content.decode()
    assert not Event.objects.filter(title="Tokenless").exists()
    assert editor_client.post(url, form_data(response)).status_code == 302  # with the page's new token


def test_a_concurrent_save_of_the_same_inspection_says_it_is_already_held(wirral, monkeypatch):
    values = {"start_date": datetime.date(2026, 1, 12), "framework": None}
    services.event_save(council=wirral, kind=EventKind.INSPECTION, values=values)
    # The second save looked for a duplicate before the first was committed, and found none.
    real = selectors_matching.find_matching_event
    calls = []

    def raced(**kwargs):
        calls.append(1)
        return None if len(calls) == 1 else real(**kwargs)

    monkeypatch.setattr(selectors_matching, "find_matching_event", raced)
    monkeypatch.setattr(Event, "validate_constraints", lambda self, exclude=None: None)  # nor did full_clean
    with pytest.raises(ValidationError) as caught:
        services.event_save(council=wirral, kind=EventKind.INSPECTION, values=values)
    assert caught.value.code == "already_held" and "Wirral already has this inspection" in caught.value.messages[0]
    assert Event.objects.filter(council=wirral, start_date=datetime.date(2026, 1, 12)).count() == 1


def test_save_buttons_ignore_a_double_click(editor_client, wirral_2019):
    rec = Recommendation.objects.filter(event=wirral_2019).first() or Recommendation.objects.first()
    for url in (
        "/inspections/new/details/?council=wirral&kind=milestone",
        f"/events/{wirral_2019.pk}/edit/",
        reverse("inspections:recommendation_update", args=[rec.pk]),
        "/reports/upload/",
    ):
        page = editor_client.get(url).content.decode()
        assert 'class="govuk-button" data-module="govuk-button" data-prevent-double-click="true"' in page, url


def test_loading_the_demo_again_merges_into_what_is_held(wirral):
    """Loaders hold no form: they merge into the event they find, and a second run changes nothing."""
    import io

    from django.core.management import call_command

    before = Event.objects.count()
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert Event.objects.count() == before

"""Users and permissions come from the shared cache, yet a change of role takes effect at once."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client

pytestmark = pytest.mark.django_db


def signed_in(make_user, role):
    user = make_user(role, username=f"cache-{role}")
    client = Client()
    assert client.post("/accounts/login/", {"username": user.username, "password": "pw-for-tests-1"}).status_code == 302
    return user, client


def test_a_cached_page_needs_no_query_once_warm(make_user, django_assert_num_queries):
    _user, client = signed_in(make_user, "viewer")
    client.get("/")
    with django_assert_num_queries(0):
        assert client.get("/").status_code == 200


def test_losing_a_role_takes_effect_on_the_next_request(make_user):
    user, client = signed_in(make_user, "analyst")
    assert client.get("/councils/?_export=csv").status_code == 200
    user.groups.set([Group.objects.get(name="viewer")])
    assert client.get("/councils/?_export=csv").status_code == 403


def test_a_deactivated_user_is_signed_out_on_the_next_request(make_user):
    user, client = signed_in(make_user, "viewer")
    assert client.get("/").status_code == 200
    user.is_active = False
    user.save()
    response = client.get("/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_password_change_ends_other_sessions(make_user):
    user, client = signed_in(make_user, "viewer")
    assert client.get("/").status_code == 200
    user.set_password("a-new-password-2")
    user.save()
    assert client.get("/").status_code == 302


def test_a_repeat_visit_is_served_whole_from_the_cache_with_a_fresh_nonce(make_user, django_assert_num_queries):
    import re

    _user, client = signed_in(make_user, "viewer")
    client.get("/councils/wirral/")  # sets the CSRF cookie the page's forms need; not stored
    first = client.get("/councils/wirral/")
    with django_assert_num_queries(0):
        second = client.get("/councils/wirral/")
    nonce = re.compile(r'nonce="([^"]+)"')
    assert second.status_code == 200
    assert nonce.search(first.content.decode()).group(1) != nonce.search(second.content.decode()).group(1)
    assert nonce.search(second.content.decode()).group(1) in second["Content-Security-Policy"]
    assert first.content.decode().replace(nonce.search(first.content.decode()).group(1), "") == (
        second.content.decode().replace(nonce.search(second.content.decode()).group(1), "")
    )


def test_a_data_change_is_shown_on_the_next_visit(make_user, wirral):
    _user, client = signed_in(make_user, "viewer")
    assert "Renamed Wirral" not in client.get("/councils/wirral/").content.decode()
    wirral.name = "Renamed Wirral"
    wirral.save()
    assert "Renamed Wirral" in client.get("/councils/wirral/").content.decode()


def test_cached_pages_are_never_shared_between_sessions(make_user):
    _viewer, viewer_client = signed_in(make_user, "viewer")
    _editor, editor_client = signed_in(make_user, "editor")
    viewer_client.get("/councils/wirral/")
    assert "cache-editor" in editor_client.get("/councils/wirral/").content.decode()
    assert "cache-viewer" in viewer_client.get("/councils/wirral/").content.decode()


def test_after_signing_out_an_old_session_cookie_gets_no_cached_page(make_user):
    _user, client = signed_in(make_user, "viewer")
    assert client.get("/councils/wirral/").status_code == 200
    old_cookie = client.cookies["sessionid"].value
    client.post("/accounts/logout/")
    replay = Client()
    replay.cookies["sessionid"] = old_cookie
    response = replay.get("/councils/wirral/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_someone_signing_in_leaves_everyone_elses_cached_pages_warm(make_user, django_assert_num_queries):
    _user, client = signed_in(make_user, "viewer")
    client.get("/")
    signed_in(make_user, "analyst")  # saves the analyst's last_login
    with django_assert_num_queries(0):
        assert client.get("/").status_code == 200


def test_a_recommendation_note_keeps_the_national_pages_warm_and_shows_on_the_council_page(
    make_user, wirral, django_assert_num_queries
):
    import datetime

    from inspections.models import Event, Recommendation
    from inspections.services import recommendation_status_change

    _user, client = signed_in(make_user, "viewer")
    client.get("/")
    client.get("/councils/")
    rec = Recommendation.objects.filter(event__council=wirral, status="open").first()
    recommendation_status_change(
        recommendation=rec,
        status="met",
        date=datetime.date(2025, 3, 1),
        note="Met.",
        expected_version=Event.objects.get(pk=rec.event_id).version,
    )
    with django_assert_num_queries(0):
        assert client.get("/").status_code == 200
        assert client.get("/councils/").status_code == 200
    page = client.get(f"/events/{rec.event_id}/").content.decode()
    assert "Met." in page or "met" in page.lower()


def test_a_deactivation_made_outside_the_admin_ends_access_within_seconds(make_user, monkeypatch):
    import time

    from django.contrib.auth import get_user_model

    from inspections import cache

    monkeypatch.setattr(cache, "USER_SECONDS", 1)
    user, client = signed_in(make_user, "viewer")
    assert client.get("/").status_code == 200
    assert client.get("/").status_code == 200  # from the page cache
    get_user_model().objects.filter(pk=user.pk).update(is_active=False)  # no signal is sent
    time.sleep(1.2)
    response = client.get("/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_unknown_query_parameters_never_make_a_new_cache_entry(make_user, django_assert_num_queries):
    _user, client = signed_in(make_user, "viewer")
    client.get("/councils/?grade=inadequate")
    first = client.get("/councils/?grade=inadequate")
    with django_assert_num_queries(0):
        again = client.get("/councils/?utm_source=x&grade=inadequate&q=&cachebust=12345")
    assert again.status_code == 200
    assert again.content.count(b"govuk-table__row") == first.content.count(b"govuk-table__row")


def test_the_map_app_names_its_page_and_parameters_for_the_page_cache(make_user, django_assert_num_queries):
    from inspections import cache

    assert cache.known_parameters("maps:map") == {"theme", "region", "as_at", "compare"}
    _user, client = signed_in(make_user, "viewer")
    first = client.get("/map/?theme=overall&region=north-west")
    with django_assert_num_queries(0):  # answered whole: the same choice, unknown parameters ignored
        again = client.get("/map/?region=north-west&theme=overall&utm_source=x")
    assert again.status_code == 200 and "North West" in again.content.decode()
    assert again.content.count(b"<path") == first.content.count(b"<path")


def test_too_many_fresh_renders_in_a_minute_get_a_friendly_429(make_user, monkeypatch):
    from inspections import cache

    monkeypatch.setattr(cache, "RENDER_BUDGET_PER_MINUTE", 3)
    _user, client = signed_in(make_user, "viewer")
    statuses = [client.get(f"/councils/?q={letter}").status_code for letter in "abcdef"]
    assert statuses[:2] == [200, 200] and statuses[-1] == 429
    refused = client.get("/councils/?q=zzz")
    assert refused.status_code == 429 and refused["Retry-After"] == "60"
    assert "Sorry, too many requests" in refused.content.decode()
    assert "frame-ancestors 'none'" in refused["Content-Security-Policy"]
    assert client.get("/councils/?q=a").status_code == 200  # what was drawn already is still served
    _other, other_client = signed_in(make_user, "analyst")
    assert other_client.get("/councils/?q=yyy").status_code == 200  # the budget is per user

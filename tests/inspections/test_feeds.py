"""Atom feeds of newly published results: national and per council, by session or personal feed address."""

import xml.etree.ElementTree as ET

import pytest
from django.test import Client
from django.urls import reverse

from accounts.tokens import feed_key_reset, feed_token
from accounts.tokens import user_for_feed_token as user_for_token
from inspections.models import Event

ATOM = "{http://www.w3.org/2005/Atom}"


def entries(response):
    root = ET.fromstring(response.content)
    return [(e.findtext(f"{ATOM}title"), e.find(f"{ATOM}link").get("href")) for e in root.findall(f"{ATOM}entry")]


@pytest.mark.django_db
def test_national_feed_lists_newest_publications_first_as_atom(viewer_client):
    response = viewer_client.get(reverse("inspections:feed_latest"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    found = entries(response)
    newest = Event.objects.filter(published_date__isnull=False).order_by("-published_date", "-pk")[:50]
    assert len(found) == len(newest) == 50
    assert [link for _title, link in found] == [f"http://testserver{e.get_absolute_url()}" for e in newest]


@pytest.mark.django_db
def test_council_feed_holds_only_that_councils_publications_with_grades(viewer_client, wirral):
    found = entries(viewer_client.get(reverse("inspections:council_feed", args=["wirral"])))
    published = Event.objects.filter(council=wirral, published_date__isnull=False)
    assert len(found) == published.count() >= 3
    assert all(title.startswith("Wirral: ") for title, _link in found)
    assert found[0][0] == "Wirral: Focused visit"  # the letter of October 2024, newest of all
    inspections = [title for title, _link in found if "overall" in title]
    assert inspections[0].endswith("overall requires improvement to be good")
    assert any("overall inadequate" in title for title, _link in found)


@pytest.mark.django_db
def test_a_feed_reader_with_a_personal_address_gets_the_feed_without_signing_in(make_user):
    user = make_user("viewer")
    response = Client().get(reverse("inspections:feed_latest"), {"token": feed_token(user)})
    assert response.status_code == 200 and entries(response)


@pytest.mark.django_db
def test_a_feed_without_a_session_or_token_sends_to_sign_in_and_a_bad_token_is_refused(make_user):
    anonymous = Client()
    response = anonymous.get(reverse("inspections:council_feed", args=["wirral"]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    user = make_user("viewer")
    forged = f"{user.pk}-{'0' * 40}"
    assert anonymous.get(reverse("inspections:feed_latest"), {"token": forged}).status_code == 403
    assert anonymous.get(reverse("inspections:feed_latest"), {"token": "nonsense"}).status_code == 403


@pytest.mark.django_db
def test_changing_the_password_or_deactivating_revokes_feed_addresses(make_user):
    user = make_user("viewer")
    token = feed_token(user)
    assert user_for_token(token) == user
    user.set_password("a-new-password-for-tests")
    user.save()
    assert user_for_token(token) is None
    token = feed_token(user)
    user.is_active = False
    user.save()
    assert user_for_token(token) is None


@pytest.mark.django_db
def test_a_feed_address_is_revocable_and_opens_nothing_once_its_owner_has_no_role(make_user):
    user = make_user("viewer")
    token = feed_token(user)
    feed_key_reset(user=user)
    assert user_for_token(token) is None
    fresh = feed_token(user)
    assert fresh != token and user_for_token(fresh) == user
    user.groups.clear()
    assert user_for_token(fresh) is None
    assert Client().get(reverse("inspections:feed_latest"), {"token": fresh}).status_code == 403


@pytest.mark.django_db
def test_pages_show_the_signed_in_users_personal_feed_address(client_for, make_user):
    client = client_for("viewer")
    html = client.get(reverse("inspections:council_detail", args=["wirral"])).content.decode()
    assert "/councils/wirral/feed/?token=" in html
    assert 'rel="alternate" type="application/atom+xml"' in html


@pytest.mark.django_db
def test_feeds_make_a_fixed_number_of_queries(viewer_client, django_assert_num_queries):
    # The user and their two kinds of permission (the session is cached at sign-in); the latest
    # publications and their judgements.
    with django_assert_num_queries(3 + 2):
        viewer_client.get(reverse("inspections:feed_latest"))
    with django_assert_num_queries(3):  # the council, its publications and their judgements
        viewer_client.get(reverse("inspections:council_feed", args=["wirral"]))


def _entry(response, event):
    root = ET.fromstring(response.content)
    for entry in root.findall(f"{ATOM}entry"):
        if entry.find(f"{ATOM}link").get("href").endswith(event.get_absolute_url()):
            return entry
    raise AssertionError(f"{event} is not in the feed")


@pytest.mark.django_db
def test_each_entry_is_updated_at_its_own_publication_or_correction(viewer_client, wirral):
    import datetime

    from django.utils import timezone

    url = reverse("inspections:council_feed", args=["wirral"])
    ilacs_2019 = Event.objects.get(council=wirral, start_date="2019-06-17")
    assert _entry(viewer_client.get(url), ilacs_2019).findtext(f"{ATOM}updated").startswith("2019-07-29")
    corrected = timezone.now() + datetime.timedelta(hours=1)
    Event.objects.filter(pk=ilacs_2019.pk).update(updated_at=corrected)
    updated = _entry(viewer_client.get(url), ilacs_2019).findtext(f"{ATOM}updated")
    assert updated.startswith(corrected.strftime("%Y-%m-%dT%H"))
    national = ET.fromstring(viewer_client.get(reverse("inspections:feed_latest")).content)
    updates = {e.findtext(f"{ATOM}updated") for e in national.iter(f"{ATOM}entry")}
    assert len(updates) > 10, "not the import time on every entry"


@pytest.mark.django_db
def test_entry_summaries_are_html_paragraphs_and_lists(viewer_client, wirral):
    ilacs_2019 = Event.objects.get(council=wirral, start_date="2019-06-17")
    summary = _entry(viewer_client.get(reverse("inspections:council_feed", args=["wirral"])), ilacs_2019).find(
        f"{ATOM}summary"
    )
    assert summary.get("type") == "html"
    assert "<ul><li>" in summary.text and "Overall effectiveness" in summary.text
    assert "\n" not in summary.text

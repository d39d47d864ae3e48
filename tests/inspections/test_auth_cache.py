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

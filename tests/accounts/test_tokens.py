"""Personal API tokens: created and revoked on the account page, shown once, stored as a digest,
read-only, recorded when last used (at most once a minute), void once their owner may not read."""

import hashlib
import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import ApiToken
from accounts.tokens import api_token_create

pytestmark = pytest.mark.django_db
DETAIL = "/api/councils/80581/"


def bearer(raw):
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_a_token_is_created_on_the_account_page_shown_once_and_stored_only_as_a_digest(client_for):
    client = client_for("viewer")
    response = client.post(reverse("accounts:account"), {"name": "Weekly spreadsheet"})
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    raw = re.search(r'id="new-token" type="text" readonly value="([^"]+)"', response.content.decode()).group(1)
    token = ApiToken.objects.get(name="Weekly spreadsheet")
    assert token.digest == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in json.dumps(list(ApiToken.objects.values()), default=str)
    again = client.get(reverse("accounts:account")).content.decode()
    assert raw not in again and "Weekly spreadsheet" in again and token.prefix in again


def test_a_token_without_a_name_is_refused_with_a_message(client_for):
    response = client_for("viewer").post(reverse("accounts:account"), {"name": "  "})
    assert "Enter what the token is for" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_a_bearer_token_reads_the_api_without_a_password_check(make_user, monkeypatch):
    user = make_user("viewer", username="script-owner")
    _token, raw = api_token_create(user=user, name="script")
    monkeypatch.setattr(
        "django.contrib.auth.hashers.check_password", lambda *a, **k: pytest.fail("a password was checked")
    )
    client = Client()
    response = client.get(DETAIL, **bearer(raw))
    assert response.status_code == 200 and response.json()["urn"] == 80581
    assert client.get("/api/councils/", **bearer(raw)).status_code == 200
    assert "sessionid" not in response.cookies


def test_a_token_only_reads(make_user):
    _token, raw = api_token_create(user=make_user("admin", username="token-admin"), name="script")
    response = Client().post(DETAIL, **bearer(raw))
    assert response.status_code == 403 and response.json()["error"] == "API tokens only read."


def test_a_revoked_token_opens_nothing_at_once(client_for):
    client = client_for("viewer")
    token, raw = api_token_create(user=get_user_model().objects.get(username="client-viewer"), name="old")
    assert Client().get(DETAIL, **bearer(raw)).status_code == 200
    response = client.post(reverse("accounts:api_token_revoke", args=[token.pk]))
    assert response.status_code == 302
    refused = Client().get(DETAIL, **bearer(raw))
    assert refused.status_code == 401 and "revoked" in refused.json()["error"]
    assert "Content-Security-Policy" in refused and refused["X-Frame-Options"] == "DENY"


def test_nobody_revokes_someone_elses_token(client_for, make_user):
    token, raw = api_token_create(user=make_user("viewer", username="owner"), name="mine")
    assert client_for("editor").post(reverse("accounts:api_token_revoke", args=[token.pk])).status_code == 404
    assert Client().get(DETAIL, **bearer(raw)).status_code == 200


def test_last_use_is_recorded_at_most_once_a_minute(make_user):
    token, raw = api_token_create(user=make_user("viewer", username="busy-script"), name="busy")
    client = Client()
    client.get(DETAIL, **bearer(raw))
    token.refresh_from_db()
    assert token.last_used_at is not None
    with CaptureQueriesContext(connection) as queries:
        for _ in range(5):
            assert client.get(DETAIL, **bearer(raw)).status_code == 200
    assert not [q for q in queries if q["sql"].startswith("UPDATE")]


def test_a_token_stops_working_when_its_owner_loses_their_role_or_is_switched_off(make_user, monkeypatch):
    import time

    from inspections import cache

    monkeypatch.setattr(cache, "USER_SECONDS", 1)
    user = make_user("viewer", username="leaver")
    _token, raw = api_token_create(user=user, name="script")
    assert Client().get(DETAIL, **bearer(raw)).status_code == 200
    user.groups.clear()
    assert Client().get(DETAIL, **bearer(raw)).status_code == 403
    user.groups.add(Group.objects.get(name="viewer"))
    assert Client().get(DETAIL, **bearer(raw)).status_code == 200
    get_user_model().objects.filter(pk=user.pk).update(is_active=False)  # no signal is sent
    time.sleep(1.2)
    assert Client().get(DETAIL, **bearer(raw)).status_code == 401


def test_admins_see_every_token_but_never_the_token_itself(client_for, make_user):
    _token, raw = api_token_create(user=make_user("viewer", username="someone"), name="Someone's report")
    page = client_for("admin").get("/admin/accounts/apitoken/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Someone&#x27;s report" in body and raw not in body


def test_bad_tokens_from_one_address_are_throttled(settings):
    settings.SIGNIN_ADDRESS_FAILURE_LIMIT = 3
    client = Client()
    statuses = [client.get(DETAIL, **bearer(f"ojt_guess{n}")).status_code for n in range(5)]
    assert statuses[:3] == [401, 401, 401] and statuses[3:] == [429, 429]
    assert client.get(DETAIL, **bearer("ojt_guess")).json()["error"].startswith("Too many failed sign-ins")


def test_http_basic_still_works_and_a_locked_sign_in_gets_429_not_wrong_password(make_user):
    import base64

    make_user("viewer", username="basic-user")

    def basic(password):
        encoded = base64.b64encode(f"basic-user:{password}".encode()).decode()
        return Client().get(DETAIL, HTTP_AUTHORIZATION=f"Basic {encoded}")

    assert basic("pw-for-tests-1").status_code == 200
    assert [basic("wrong").status_code for _ in range(5)][:4] == [401] * 4
    locked = basic("pw-for-tests-1")
    assert locked.status_code == 429 and "locked" in locked.json()["error"]

"""Sign-in abuse: a limit per address across usernames, a ceiling on concurrent password checks
(both answered 429 without hashing), blank usernames never recorded, and the forwarded address
believed only from trusted proxies."""

import uuid

import pytest
from axes.models import AccessAttempt
from django.core.cache import cache
from django.test import Client, RequestFactory

from accounts import throttle

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"


@pytest.fixture
def hashes(monkeypatch):
    """Counts password checks (the expensive part of a sign-in)."""
    from django.contrib.auth import hashers

    calls = []
    real = hashers.check_password

    def counting(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(hashers, "check_password", counting)
    monkeypatch.setattr("django.contrib.auth.base_user.check_password", counting)
    return calls


def attempt(client, username, password="wrong-password", **extra):  # noqa: S107 (a test credential)
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def test_one_address_trying_many_usernames_gets_429_without_hashing(make_user, settings, hashes):
    settings.SIGNIN_ADDRESS_FAILURE_LIMIT = 3
    make_user("viewer", username="real-user")
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    assert [attempt(attacker, f"random-{uuid.uuid4().hex[:6]}").status_code for _ in range(3)] == [200, 200, 200]
    checked = len(hashes)
    refused = attempt(attacker, "real-user", "pw-for-tests-1")
    assert refused.status_code == 429 and refused["Retry-After"]
    assert "Sorry, too many requests" in refused.content.decode()
    assert len(hashes) == checked, "a throttled sign-in still checked a password"
    # Someone else, elsewhere, signs in as usual.
    assert attempt(Client(REMOTE_ADDR="198.51.100.7"), "real-user", "pw-for-tests-1").status_code == 302


def test_password_checks_beyond_the_servers_ceiling_get_429_at_once(make_user, settings, hashes):
    make_user("viewer", username="ceiling-user")
    busy = RequestFactory().post(LOGIN, REMOTE_ADDR="192.0.2.1")
    with throttle.password_check(busy):  # another request is checking a password in this worker
        refused = attempt(Client(), "ceiling-user", "pw-for-tests-1")
    assert refused.status_code == 429 and not hashes
    # Other workers' checks count too (the shared counter).
    cache.set(throttle.BUSY_KEY, settings.SIGNIN_CONCURRENT_CHECKS, timeout=30)
    assert attempt(Client(), "ceiling-user", "pw-for-tests-1").status_code == 429
    cache.delete(throttle.BUSY_KEY)
    assert attempt(Client(), "ceiling-user", "pw-for-tests-1").status_code == 302


def test_blank_usernames_are_neither_hashed_nor_recorded(settings, hashes):
    settings.SIGNIN_ADDRESS_FAILURE_LIMIT = 3
    client = Client(REMOTE_ADDR="203.0.113.10")
    for username in ["", " ", "", "   ", ""]:
        assert attempt(client, username).status_code == 200
    assert not hashes
    assert not AccessAttempt.objects.exists()
    assert cache.get("signin:failures:203.0.113.10") is None


def test_the_forwarded_address_is_believed_only_from_a_trusted_proxy(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    factory = RequestFactory()
    via_proxy = factory.get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.4, 10.0.0.9")
    assert throttle.client_ip(via_proxy) == "203.0.113.4"
    spoofed = factory.get("/", REMOTE_ADDR="192.0.2.50", HTTP_X_FORWARDED_FOR="203.0.113.4")
    assert throttle.client_ip(spoofed) == "192.0.2.50"
    garbled = factory.get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="not-an-address")
    assert throttle.client_ip(garbled) == "10.0.0.5"
    settings.TRUSTED_PROXIES = []
    assert throttle.client_ip(via_proxy) == "10.0.0.5"


def test_behind_the_proxy_one_clients_wrong_passwords_do_not_lock_the_account_for_everyone(make_user, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    make_user("viewer", username="shared-account")
    stranger = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.66")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(stranger, "shared-account")
    assert attempt(stranger, "shared-account", "pw-for-tests-1").status_code == 429  # locked for them
    owner = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.20")
    assert attempt(owner, "shared-account", "pw-for-tests-1").status_code == 302

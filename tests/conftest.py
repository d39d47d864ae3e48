"""Shared fixtures. The test database holds the full demo data (councils, history, Wirral story),
loaded once per run; each test runs in a transaction that is rolled back."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client

from inspections.roles import ROLES


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hasher():
    """PBKDF2 costs ~1 s a hash by design; tests that sign in hundreds of users need no such cost."""
    from django.test import override_settings

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_demo", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.fixture(autouse=True)
def _user_stays_cached(monkeypatch):
    """The signed-in user stays cached for the whole test (in service, USER_SECONDS), so a query count
    after a warm-up request does not depend on how fast the machine is. Saving a user still forgets it;
    tests of the expiry itself set their own."""
    from inspections import cache

    monkeypatch.setattr(cache, "USER_SECONDS", 600)


@pytest.fixture(autouse=True)
def _fresh_cache(settings):
    """Each test starts with an empty cache so cached pages never leak between tests."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def make_user(db):
    """make_user("editor") → a user holding that role (or none for role=None)."""

    def make(role, username=None):
        user = get_user_model().objects.create_user(username=username or f"test-{role}", password="pw-for-tests-1")
        if role:
            user.groups.add(Group.objects.get(name=role))
        if role == "admin":
            user.is_staff = True
            user.save()
        return user

    return make


@pytest.fixture
def client_for(make_user):
    """client_for("analyst") → a test Client signed in with that role (None: signed in, no role)."""

    def make(role):
        client = Client()
        client.force_login(make_user(role, username=f"client-{role}"))
        return client

    return make


@pytest.fixture(params=ROLES)
def any_role_client(request, client_for):
    return client_for(request.param)


@pytest.fixture
def viewer_client(client_for):
    return client_for("viewer")


@pytest.fixture
def analyst_client(client_for):
    return client_for("analyst")


@pytest.fixture
def editor_client(client_for):
    return client_for("editor")


@pytest.fixture
def wirral(db):
    from inspections.models import Council

    return Council.objects.get(urn=80581)

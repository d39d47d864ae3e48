"""The real development server (`manage.py runserver`, as `make run` starts it) serves every page
twice: the second visit is answered by the whole-page cache, whose headers wsgiref checks strictly
(it once refused a header name that was an enum member, so every reload was a server error)."""

import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.contrib.auth.models import Group
from django.db import connection

PASSWORD = "runserver-test-pass-1"


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database_url(tmp_path):
    """A database URL the server process can open holding what the test database holds now."""
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        # The test database is in memory: copy it to a file for the other process.
        path = tmp_path / "runserver.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(path)
        connection.connection.backup(target)
        target.close()
        return f"sqlite:///{path}"
    user = db.get("USER") or ""
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{user}{password}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"


@pytest.fixture
def runserver(tmp_path, role_pages):
    """(base URL, {role: [paths]}) of `manage.py runserver` on a free port, with one user per role."""
    for role in role_pages:
        user = get_user_model().objects.create_user(username=f"runserver-{role}")
        # The server process uses the real hashers, not the tests' fast one.
        user.password = PBKDF2PasswordHasher().encode(PASSWORD, "runserversalt1234")
        user.is_staff = role == "admin"
        user.save()
        user.groups.add(Group.objects.get(name=role))
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": _database_url(tmp_path), "DEBUG": "0", "PYTHONUNBUFFERED": "1"}
    env.pop("REDIS_URL", None)
    log = (tmp_path / "runserver.log").open("w")
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=Path(settings.BASE_DIR),
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=2)  # noqa: S310
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("runserver did not start: " + (tmp_path / "runserver.log").read_text()[-2000:])
                time.sleep(0.3)
        yield base, role_pages
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


def test_runserver_serves_every_page_twice_for_every_role(browser, runserver, tmp_path):
    base, role_pages = runserver
    failures = []
    for role, paths in role_pages.items():
        context = browser.new_context(base_url=base)
        page = context.new_page()
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill(f"runserver-{role}")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
        for path in paths:
            for visit in ("first", "second"):
                response = page.goto(path)
                if response.status != 200:
                    failures.append(f"{role} {path} {visit} visit: {response.status}")
        context.close()
    assert not failures, "\n".join(failures) + "\n" + (tmp_path / "runserver.log").read_text()[-3000:]

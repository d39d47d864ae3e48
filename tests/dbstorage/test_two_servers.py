"""Two app servers, each with its own disk, one PostgreSQL and one Redis: an upload on one is
confirmed on the other, the attached report opens on either, and pages answer the same from both.

Runs real gunicorn processes against a database of its own (made, migrated and dropped here), so
it needs PostgreSQL (DATABASE_URL); Redis is used when it answers. Skipped on SQLite."""

import os
import re
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

from tests.dbstorage.servers import ROOT, Browser, answers, free_port, manage
from tests.inspections.test_entry import form_data

REPORTS = ROOT / "tests" / "reportreader" / "reports"
STEM = "80581-wirral-2019-07-29"
REDIS_URL = "redis://127.0.0.1:6379/11"  # a database number of its own, emptied here

pytestmark = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="two servers share one PostgreSQL"
)


def redis_answers():
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1) as sock:
            sock.sendall(b"SELECT 11\r\nFLUSHDB\r\n")
            return b"+OK" in sock.recv(100)
    except OSError:
        return False


@pytest.fixture(scope="module")
def two_servers(tmp_path_factory, django_db_blocker):
    """Start two gunicorn servers on a fresh database; yields their base URLs and the editor's password."""
    with django_db_blocker.unblock():
        settings = connection.settings_dict
    name = f"tracker_multi_servers_{os.getpid()}"
    admin_url = f"postgres://{settings['USER']}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}"
    import psycopg2

    admin = psycopg2.connect(f"{admin_url}/postgres", connect_timeout=5)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    base_env = {
        key: value for key, value in os.environ.items() if not key.startswith(("PYTEST", "DJANGO_SETTINGS"))
    } | {
        "DJANGO_SETTINGS_MODULE": "tracker.settings",
        "DATABASE_URL": f"{admin_url}/{name}",
        "FILE_STORAGE": "database",
        "TRACKER_ALLOW_DEV_KEY": "1",
        "DEBUG": "0",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "STATIC_MANIFEST": "0",
        "AXES_ENABLED": "0",
    }
    if redis_answers():
        base_env["REDIS_URL"] = REDIS_URL
    else:
        base_env.pop("REDIS_URL", None)
    processes = []
    try:
        manage(base_env, "migrate", "--noinput")
        manage(base_env, "load_demo")
        manage(
            base_env,
            "shell",
            "-c",
            "from django.contrib.auth.models import Group, User;"
            "u = User.objects.create_user('two-servers-editor', password='pw-two-servers-1');"
            "u.groups.add(Group.objects.get(name='editor'))",
        )
        urls = []
        for server in ("a", "b"):
            port = free_port()
            env = base_env | {"MEDIA_ROOT": str(tmp_path_factory.mktemp(f"server-{server}"))}
            processes.append(
                subprocess.Popen(
                    [str(ROOT / ".venv/bin/gunicorn"), "tracker.wsgi", "--workers", "1", "--threads", "2"]
                    + ["--bind", f"127.0.0.1:{port}", "--timeout", "120"],
                    cwd=ROOT,
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
            urls.append((f"http://127.0.0.1:{port}", Path(env["MEDIA_ROOT"])))
        deadline = time.monotonic() + 60
        for url, _media in urls:
            while not answers(url):
                assert time.monotonic() < deadline, f"{url} did not start"
                time.sleep(0.5)
        yield urls
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=30)
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def signed_in(base):
    browser = Browser()
    browser.get(f"{base}/accounts/login/")
    status, headers, _ = browser.post(
        f"{base}/accounts/login/", {"username": "two-servers-editor", "password": "pw-two-servers-1"}
    )
    assert status == 302, "signed in"
    return browser


def same_page(body):
    """A page with what differs per response (CSP nonce, CSRF token) taken out."""
    text = body.decode()
    text = re.sub(r'nonce="[^"]+"', "", text)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)


def files_under(folder):
    return [p for p in folder.rglob("*") if p.is_file()]


def test_upload_on_one_server_confirm_on_the_other_and_open_the_report_on_either(two_servers):
    (a, media_a), (b, media_b) = two_servers
    browser = signed_in(a)
    data = (REPORTS / f"{STEM}.pdf").read_bytes()

    status, headers, _ = browser.post_file(f"{a}/reports/upload/", "report", f"{STEM}.pdf", data)
    assert status == 302, "uploaded on server A"
    confirm_path = urllib.parse.urlsplit(headers["Location"]).path
    status, _, page = browser.get(f"{b}{confirm_path}")
    assert status == 200, "server B shows what was read from the upload"
    status, headers, _ = browser.post(f"{b}{confirm_path}", form_data(page.decode()))
    assert status == 302, "confirmed on server B"
    event_path = urllib.parse.urlsplit(headers["Location"]).path
    assert re.fullmatch(r"/events/\d+/", event_path)

    for server in (a, b):
        status, headers, body = browser.get(f"{server}{event_path}report/")
        assert status == 200 and body == data, server
        assert headers["Content-Type"] == "application/pdf" and headers["Content-Length"] == str(len(data))
    assert files_under(media_a) == [] and files_under(media_b) == [], "no server kept the file on its disk"


def test_pages_and_a_briefing_answer_the_same_from_either_server(two_servers):
    (a, _), (b, _) = two_servers
    browser = signed_in(a)
    for path in ("/", "/councils/", "/councils/wirral/"):
        answers = [browser.get(f"{server}{path}") for server in (a, b)]
        assert [status for status, _, _ in answers] == [200, 200], path
        assert same_page(answers[0][2]) == same_page(answers[1][2]), path
    pdfs = [browser.get(f"{server}/briefing.pdf") for server in (a, b)]
    for status, headers, body in pdfs:
        assert status == 200 and headers["Content-Type"] == "application/pdf" and body.startswith(b"%PDF")
    assert abs(len(pdfs[0][2]) - len(pdfs[1][2])) < 200, "the same briefing, give or take its timestamp"

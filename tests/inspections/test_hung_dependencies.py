"""A stopped (SIGSTOP, not killed) PostgreSQL or Redis must not stall the service.

These tests start a PRIVATE PostgreSQL (initdb into a temporary directory) and a private
redis-server, each on a free port, run the app under gunicorn against them, then stop and resume
those processes and time real HTTP requests. The machine's shared servers are never touched.
Skipped when the PostgreSQL or Redis binaries are not installed.
"""

import contextlib
import glob
import http.client
import json
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PG_BIN = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
REDIS = shutil.which("redis-server")
PASSWORD = "hung-deps-pass-1"  # noqa: S105 (a throwaway user in a throwaway database)

pytestmark = pytest.mark.skipif(
    not PG_BIN or not os.path.exists(f"{PG_BIN[-1]}/initdb") or not REDIS,
    reason="needs PostgreSQL server binaries (/usr/lib/postgresql/*/bin) and redis-server",
)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on port {port}")


class Server:
    """A process group we started and may stop, resume and end."""

    def __init__(self, args, **kwargs):
        self.process = subprocess.Popen(
            args, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kwargs
        )

    def signal(self, sig):
        """Signal the process group, and every child that made a group of its own (PostgreSQL's
        backends call setsid()): "stopped" means the whole server, open connections included."""
        os.killpg(self.process.pid, sig)
        for child in self._children():
            with contextlib.suppress(ProcessLookupError):
                os.kill(child, sig)

    def _children(self):
        children = []
        for stat in glob.glob("/proc/[0-9]*/stat"):
            try:
                fields = Path(stat).read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.process.pid:  # the parent's pid
                children.append(int(stat.split("/")[2]))
        return children

    def end(self):
        try:
            self.signal(signal.SIGCONT)
            self.signal(signal.SIGTERM)
            self.process.wait(10)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            self.signal(signal.SIGKILL)


def _as_postgres_user():
    """initdb and postgres refuse to run as root: run them as the `postgres` account then."""
    if os.geteuid() != 0:
        return {}
    try:
        account = pwd.getpwnam("postgres")
    except KeyError:
        pytest.skip("running as root and there is no postgres account to run a private server as")
    return {"user": account.pw_uid, "group": account.pw_gid}


@pytest.fixture(scope="module")
def stack():
    """(base URL, PostgreSQL Server, Redis Server, env) with the app running under gunicorn."""
    tmp = tempfile.mkdtemp(prefix="tracker-hung-")
    servers = []
    try:
        who = _as_postgres_user()
        if who:
            os.chown(tmp, who["user"], who["group"])
        data = os.path.join(tmp, "pg")
        subprocess.run(
            [f"{PG_BIN[-1]}/initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"],
            check=True,
            capture_output=True,
            **who,
        )
        pg_port, redis_port, app_port = free_port(), free_port(), free_port()
        pg = Server(
            [f"{PG_BIN[-1]}/postgres", "-D", data, "-p", str(pg_port), "-k", tmp, "-h", "127.0.0.1"]
            + ["-c", "fsync=off", "-c", "full_page_writes=off", "-c", "synchronous_commit=off"],
            **who,
        )
        servers.append(pg)
        redis = Server([REDIS, "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
        servers.append(redis)
        wait_for_port(pg_port)
        wait_for_port(redis_port)
        deadline = time.monotonic() + 30
        while subprocess.run(
            [f"{PG_BIN[-1]}/pg_isready", "-h", "127.0.0.1", "-p", str(pg_port)], capture_output=True
        ).returncode:
            assert time.monotonic() < deadline, "private PostgreSQL did not start"
            time.sleep(0.2)
        subprocess.run(
            [f"{PG_BIN[-1]}/createdb", "-h", "127.0.0.1", "-p", str(pg_port), "-U", "postgres", "tracker"], check=True
        )
        env = {
            **os.environ,
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{pg_port}/tracker",
            "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
            "DJANGO_SETTINGS_MODULE": "tracker.settings",
            "TRACKER_ALLOW_DEV_KEY": "1",
            "DEBUG": "0",
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_COOKIES": "0",
            "ALLOWED_HOSTS": "127.0.0.1",
            "STATIC_MANIFEST": "0",
            "LOG_LEVEL": "CRITICAL",
        }
        manage = [sys.executable, "manage.py"]
        subprocess.run([*manage, "migrate", "--no-input", "-v0"], env=env, cwd=ROOT, check=True, capture_output=True)
        subprocess.run(
            [
                *manage,
                "shell",
                "-c",
                "from django.contrib.auth.models import Group, User;"
                f"u = User.objects.create_user('hung-viewer', password='{PASSWORD}');"
                "u.groups.add(Group.objects.get(name='viewer'))",
            ],
            env=env,
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        app = Server(
            [str(ROOT / ".venv/bin/gunicorn"), "tracker.wsgi", "--workers", "1", "--threads", "4"]
            + ["--bind", f"127.0.0.1:{app_port}", "--timeout", "60"],
            env=env,
            cwd=ROOT,
        )
        servers.append(app)
        wait_for_port(app_port)
        yield app_port, pg, redis
    finally:
        for server in reversed(servers):
            server.end()
        shutil.rmtree(tmp, ignore_errors=True)


def request(port, path, *, cookie="", method="GET", body=None, headers=None, timeout=20):
    """(status, headers, body text, seconds taken)."""
    started = time.monotonic()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    conn.request(method, path, body=body, headers={"Cookie": cookie, **(headers or {})})
    response = conn.getresponse()
    text = response.read().decode()
    conn.close()
    return response.status, dict(response.getheaders()), text, time.monotonic() - started


def sign_in(port):
    _status, headers, page, _took = request(port, "/accounts/login/")
    csrf = re.search(r"csrftoken=([^;]+)", headers["Set-Cookie"]).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode({"username": "hung-viewer", "password": PASSWORD, "csrfmiddlewaretoken": token})
    status, headers, _page, _took = request(
        port,
        "/accounts/login/",
        method="POST",
        body=body,
        cookie=f"csrftoken={csrf}",
        headers={"Content-Type": "application/x-www-form-urlencoded", "Referer": f"http://127.0.0.1:{port}/"},
    )
    assert status == 302, status
    session = re.search(r"sessionid=([^;]+)", headers["Set-Cookie"]).group(1)
    return f"csrftoken={csrf}; sessionid={session}"


def until(check, seconds=15):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.25)
    return False


def test_a_stopped_postgresql_gets_503s_within_two_seconds_and_the_service_recovers(stack):
    port, pg, _redis = stack
    cookie = sign_in(port)
    assert request(port, "/healthz")[0] == 200
    assert request(port, "/", cookie=cookie)[0] == 200
    pg.signal(signal.SIGSTOP)
    try:
        status, _headers, body, took = request(port, "/healthz")
        assert (status, json.loads(body)["database"]) == (503, "timed out")
        assert took < 2
        status, headers, body, took = request(port, "/", cookie=cookie)
        assert status == 503 and "Sorry, the service is unavailable" in body
        assert took < 2.5
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        # The load balancer keeps asking: every answer comes as fast, no probe piles up.
        assert all(request(port, "/healthz")[3] < 2 for _ in range(3))
    finally:
        pg.signal(signal.SIGCONT)
    assert until(lambda: request(port, "/healthz")[0] == 200)
    assert request(port, "/", cookie=cookie)[0] == 200


def test_a_stopped_redis_degrades_to_no_cache_and_healthz_says_so(stack):
    port, _pg, redis = stack
    cookie = sign_in(port)
    assert request(port, "/", cookie=cookie)[0] == 200
    redis.signal(signal.SIGSTOP)
    try:
        status, _headers, body, took = request(port, "/healthz")
        assert status == 503 and json.loads(body)["cache"] in ("timed out", "unreachable")
        assert took < 2
        # Pages are still served (the session and user come from the database) without hanging.
        timings = []
        for _ in range(4):
            status, _headers, body, took = request(port, "/", cookie=cookie)
            assert status == 200 and "hung-viewer" in body
            timings.append(took)
        assert timings[0] < 3
        assert max(timings[1:]) < 1.5, timings
    finally:
        redis.signal(signal.SIGCONT)
    assert until(lambda: request(port, "/healthz")[0] == 200)
    assert request(port, "/", cookie=cookie)[0] == 200

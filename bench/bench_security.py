"""Benchmark the security limits: the API with a personal token against HTTP Basic, and a signed-in
user's dashboard while anonymous clients flood the sign-in form with random usernames.

Run: .venv/bin/python bench/bench_security.py [--seconds 8] [--concurrency 8] [--workers 2]

A fresh database (as bench_pages.py: a new PostgreSQL database with DATABASE_URL, else SQLite) with
the demo data, gunicorn (gthread, DEBUG off, real PBKDF2 password hashing, django-axes on) and a
private redis-server when one is installed. Prints requests per second and p50/p95 latencies.
"""

from __future__ import annotations

import argparse
import base64
import http.client
import os
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from bench_pages import PASSWORD, PY, free_port, make_database, manage, sign_in, wait_for  # noqa: E402

API_DETAIL = "/api/councils/80581/"  # Wirral: the longest record


def hammer(port, path, *, headers, seconds, concurrency, method="GET", body_for=None):
    """{status: count}, [latencies in ms], requests per second: keep-alive threads for `seconds`."""
    statuses, latencies, lock = {}, [], threading.Lock()
    deadline = time.perf_counter() + seconds

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while time.perf_counter() < deadline:
            extra, body = body_for() if body_for else ({}, None)
            started = time.perf_counter()
            try:
                conn.request(method, path, body=body, headers={**headers, **extra})
                response = conn.getresponse()
                response.read()
                status = response.status
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            except (OSError, http.client.HTTPException):
                status = "error"
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            with lock:
                statuses[status] = statuses.get(status, 0) + 1
                latencies.append((time.perf_counter() - started) * 1000)

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return statuses, latencies, len(latencies) / (time.perf_counter() - started)


def pct(values, q):
    if not values:
        return float("nan")
    return statistics.quantiles(values, n=100)[q - 1] if len(values) > 1 else values[0]


def sign_in_form_body(port):
    """A function giving (headers, body) of a sign-in attempt with a fresh random username."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/accounts/login/")
    response = conn.getresponse()
    page = response.read().decode()
    csrf = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie", "")).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    conn.close()

    def body():
        form = {"username": f"nobody-{uuid.uuid4().hex[:8]}", "password": "guess", "csrfmiddlewaretoken": token}
        return (
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={csrf}",
                "Referer": f"http://127.0.0.1:{port}/accounts/login/",
            },
            urllib.parse.urlencode(form),
        )

    return body


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    database_url, drop_database = make_database()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-secret-key-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "STATIC_MANIFEST": "0",
        "AXES_ENABLED": "1",
        "LOG_LEVEL": "CRITICAL",
        "DJANGO_SETTINGS_MODULE": "tracker.settings",
    }
    redis = server = None
    try:
        if not env.get("REDIS_URL") and shutil.which("redis-server"):
            redis_port = free_port()
            redis = subprocess.Popen(
                ["redis-server", "--port", str(redis_port), "--save", "", "--appendonly", "no"],
                stdout=subprocess.DEVNULL,
            )
            env["REDIS_URL"] = f"redis://127.0.0.1:{redis_port}/0"
        engine = "PostgreSQL" if database_url.startswith("postgres") else "SQLite"
        print(f"Security benchmark: {engine}, demo data, cache {'Redis' if env.get('REDIS_URL') else 'local memory'}")
        manage(env, "migrate", "--no-input")
        manage(env, "load_demo")
        token_file = ROOT / "bench" / f".token-{os.getpid()}"
        manage(
            env,
            "shell",
            "-c",
            "from django.contrib.auth.models import Group, User; from accounts.tokens import api_token_create;"
            f"u = User.objects.create_user('bench-analyst', password='{PASSWORD}');"
            "u.groups.add(Group.objects.get(name='analyst'));"
            f"open('{token_file}', 'w').write(api_token_create(user=u, name='bench')[1])",
        )
        raw_token = token_file.read_text().strip()
        token_file.unlink()

        port = free_port()
        server = subprocess.Popen(
            [str(Path(PY).parent / "gunicorn"), "tracker.wsgi", "--bind", f"127.0.0.1:{port}"]
            + ["--workers", str(args.workers), "--worker-class", "gthread", "--threads", "4"]
            + ["--log-level", "warning", "--timeout", "120"],
            cwd=ROOT,
            env=env,
            stderr=subprocess.DEVNULL,  # every refused request is logged as a warning
        )
        wait_for(port)
        bound = {"seconds": args.seconds, "concurrency": args.concurrency}
        print(
            f"gunicorn {args.workers} workers x 4 threads, {args.concurrency} keep-alive clients, "
            f"{args.seconds:.0f} s\n"
        )

        print(f"{'API council detail (Wirral)':<34} {'req/s':>7} {'p50':>8} {'p95':>8}  statuses")
        bearer = {"Authorization": f"Bearer {raw_token}"}
        hammer(port, API_DETAIL, headers=bearer, seconds=1, concurrency=2)  # warm the workers
        for label, headers in [
            ("personal token (Bearer)", bearer),
            (
                "HTTP Basic (a password check each)",
                {"Authorization": "Basic " + base64.b64encode(f"bench-analyst:{PASSWORD}".encode()).decode()},
            ),
        ]:
            statuses, latencies, rps = hammer(port, API_DETAIL, headers=headers, **bound)
            print(f"{label:<34} {rps:>7.1f} {pct(latencies, 50):>6.1f}ms {pct(latencies, 95):>6.1f}ms  {statuses}")

        cookie = sign_in(port)
        print("\nA signed-in analyst's dashboard, alone and while anonymous clients try random usernames:")
        alone, alone_latencies, _rps = hammer(
            port, "/", headers={"Cookie": cookie}, seconds=args.seconds, concurrency=1
        )
        flood_result = {}

        def flood():
            flood_result["value"] = hammer(
                port,
                "/accounts/login/",
                headers={},
                method="POST",
                body_for=sign_in_form_body(port),
                seconds=args.seconds,
                concurrency=args.concurrency,
            )

        flooder = threading.Thread(target=flood)
        flooder.start()
        time.sleep(0.5)
        _statuses, during, _rps = hammer(port, "/", headers={"Cookie": cookie}, seconds=args.seconds - 1, concurrency=1)
        flooder.join()
        flood_statuses, _flood_latencies, flood_rps = flood_result["value"]
        print(
            f"  dashboard alone:        p50 {pct(alone_latencies, 50):6.1f} ms, p95 {pct(alone_latencies, 95):6.1f} ms"
        )
        print(f"  dashboard during flood: p50 {pct(during, 50):6.1f} ms, p95 {pct(during, 95):6.1f} ms")
        print(
            f"  sign-in flood: {flood_rps:.0f} attempts/s from one address, {args.concurrency} clients; statuses "
            f"{flood_statuses} (200 = a wrong password checked, 429 = refused without hashing)"
        )
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=20)
        if redis is not None:
            redis.terminate()
            redis.wait(timeout=10)
        drop_database()


if __name__ == "__main__":
    main()

"""Benchmark the pages: server time p50/p95 and queries per page, then requests per second under load.

Run: .venv/bin/python bench/bench_pages.py [--runs 30] [--seconds 8] [--requests 4000] [--concurrency 8] [--no-load]

1. A fresh database: with DATABASE_URL (PostgreSQL) a new database `bench_pages_<pid>` on that server,
   else a temporary SQLite file; migrated, loaded with the demo data (load_demo) and analysed (planner
   statistics, as autovacuum would keep them). Dropped at the end.
2. In process (Django test client, signed in as an analyst): for each page the queries and the
   server time p50/p95 with every cache cold (cleared before every request) and warm, and the CPU
   time of a cold request (p50; the machine may be shared, and a busy neighbour inflates the
   server time but hardly the CPU time). Target: dashboard and councils table cold p50 ≤ 150 ms.
3. Gunicorn (gthread workers) on a free port on 127.0.0.1, with DEBUG off and the shared cache:
   REDIS_URL when set, else a private redis-server on a free port if one is installed, else local
   memory. A signed-in, keep-alive, threaded load generator fetches each page, and a static file of
   exactly the same bytes served by the same server (WhiteNoise), each bounded by --requests and
   --seconds, and prints the requests per second side by side (skipped with --no-load).
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PY = sys.executable
PASSWORD = "bench-pages-pass-1"  # noqa: S105 (a throwaway user in a throwaway database)
PAGES = [
    ("dashboard", "/"),
    ("councils table", "/councils/"),
    ("councils filtered", "/councils/?grade=inadequate&region=north-west&sort=-overall"),
    ("council (Wirral)", "/councils/wirral/"),
    ("region", "/regions/north-west/"),
    ("feed", "/feeds/latest/"),
]
LOADED = ["dashboard", "councils table", "council (Wirral)"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_database():
    """(env with DATABASE_URL for a fresh database, cleanup function)."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        parts = urllib.parse.urlsplit(url)
        name = f"bench_pages_{os.getpid()}"
        admin = parts._replace(path="/postgres").geturl()
        import psycopg2

        def run(sql):
            conn = psycopg2.connect(admin)
            conn.autocommit = True
            conn.cursor().execute(sql)
            conn.close()

        run(f'DROP DATABASE IF EXISTS "{name}"')
        run(f'CREATE DATABASE "{name}"')
        return parts._replace(path=f"/{name}").geturl(), lambda: run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    folder = tempfile.mkdtemp(prefix="bench_pages_")
    return f"sqlite:///{folder}/bench.sqlite3", lambda: shutil.rmtree(folder, ignore_errors=True)


def manage(env, *args):
    subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def in_process(runs):
    """Queries and server time per page, cold and warm, through Django's test client. Prints a table."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(get_user_model().objects.get(username="bench-analyst"))
    print(
        f"{'page':<20} {'queries':>7} {'cold p50':>9} {'cold p95':>9} {'cold CPU':>9} {'warm p50':>9} "
        f"{'warm p95':>9} {'bytes':>8}"
    )
    for name, url in PAGES:
        cold, cold_cpu, warm = [], [], []
        for _ in range(runs):
            cache.clear()
            reset_queries()  # each request clears the query log as it starts
            with CaptureQueriesContext(connection) as queries:
                started, started_cpu = time.perf_counter(), time.process_time()
                response = client.get(url, HTTP_HOST="127.0.0.1")
                cold.append((time.perf_counter() - started) * 1000)
                cold_cpu.append((time.process_time() - started_cpu) * 1000)
            query_count = len(queries)  # read now: the next request clears the query log
            assert response.status_code == 200, (url, response.status_code)
        for _ in range(runs):
            started = time.perf_counter()
            client.get(url, HTTP_HOST="127.0.0.1")
            warm.append((time.perf_counter() - started) * 1000)

        def p(values, q):
            return statistics.quantiles(values, n=100)[q - 1] if len(values) > 1 else values[0]

        print(
            f"{name:<20} {query_count:>7} {p(cold, 50):>7.1f}ms {p(cold, 95):>7.1f}ms {p(cold_cpu, 50):>7.1f}ms "
            f"{p(warm, 50):>7.1f}ms {p(warm, 95):>7.1f}ms {len(response.content):>8}"
        )
    print("target: dashboard and councils table cold p50 ≤ 150 ms (CPU: this process only, not PostgreSQL's)")


def sign_in(port):
    """A session cookie for the bench user, through the sign-in form."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", "/accounts/login/")
    response = conn.getresponse()
    body = response.read().decode()
    csrf_cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie", "")).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
    form = urllib.parse.urlencode({"username": "bench-analyst", "password": PASSWORD, "csrfmiddlewaretoken": token})
    conn.request(
        "POST",
        "/accounts/login/",
        body=form,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={csrf_cookie}",
            "Referer": f"http://127.0.0.1:{port}/accounts/login/",
        },
    )
    response = conn.getresponse()
    response.read()
    session = re.search(r"sessionid=([^;]+)", response.getheader("Set-Cookie", ""))
    if response.status != 302 or not session:
        raise RuntimeError(f"Sign-in failed: {response.status}")
    return f"sessionid={session.group(1)}; csrftoken={csrf_cookie}"


def load(port, path, cookie, *, seconds, requests, concurrency):
    """(requests per second, requests done, errors): keep-alive threads until either bound is reached."""
    done, errors, lock = [0], [0], threading.Lock()
    deadline = time.perf_counter() + seconds

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.perf_counter() < deadline:
            with lock:
                if done[0] + errors[0] >= requests:
                    return
            try:
                conn.request("GET", path, headers={"Cookie": cookie})
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            except (OSError, http.client.HTTPException):
                ok = False
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            with lock:
                if ok:
                    done[0] += 1
                else:
                    errors[0] += 1

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    return done[0] / elapsed, done[0], errors[0]


def wait_for(port, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30, help="requests per page for server times (cold and warm)")
    parser.add_argument("--seconds", type=float, default=8, help="time bound of each load measurement")
    parser.add_argument("--requests", type=int, default=4000, help="request bound of each load measurement")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-load", action="store_true", help="only the in-process times, no gunicorn load")
    parser.add_argument("--in-process", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.in_process:
        in_process(args.runs)
        return

    database_url, drop_database = make_database()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-secret-key-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "STATIC_MANIFEST": "1",
        "AXES_ENABLED": "0",
        "DJANGO_SETTINGS_MODULE": "tracker.settings",
    }
    redis = None
    try:
        if not env.get("REDIS_URL") and shutil.which("redis-server"):
            redis_port = free_port()
            redis = subprocess.Popen(
                ["redis-server", "--port", str(redis_port), "--save", "", "--appendonly", "no"],
                stdout=subprocess.DEVNULL,
            )
            env["REDIS_URL"] = f"redis://127.0.0.1:{redis_port}/0"
        cache_kind = "Redis" if env.get("REDIS_URL") else "local memory (per worker)"
        engine = "PostgreSQL" if database_url.startswith("postgres") else "SQLite"
        print(f"Pages benchmark: {engine}, demo data, cache {cache_kind}")
        started = time.perf_counter()
        manage(env, "migrate", "--no-input")
        manage(env, "load_demo")
        manage(
            env,
            "shell",
            "-c",
            "from django.contrib.auth.models import Group, User;"
            f"u = User.objects.create_user('bench-analyst', password='{PASSWORD}');"
            "u.groups.add(Group.objects.get(name='analyst'))",
        )
        # Planner statistics, as a settled database has them (autovacuum analyses after a load; it may
        # be off, or not yet run, seconds after one): without them PostgreSQL picks nested loops that
        # made the dashboard's yearly count twice as slow (23 ms against 12, measured on a busy machine).
        manage(env, "shell", "-c", "from django.db import connection; connection.cursor().execute('ANALYZE')")
        manage(env, "collectstatic", "--no-input")
        print(f"database ready in {time.perf_counter() - started:.0f} s\n")

        print("Server time in process (test client, signed in), cache cold and warm:")
        subprocess.run([PY, __file__, "--in-process", "--runs", str(args.runs)], cwd=ROOT, env=env, check=True)
        if args.no_load:
            return

        port = free_port()
        server = subprocess.Popen(
            [
                str(Path(PY).parent / "gunicorn"),
                "tracker.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(args.workers),
                "--worker-class",
                "gthread",
                "--threads",
                "4",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        )
        try:
            wait_for(port)
            cookie = sign_in(port)
            print(
                f"\nRequests per second under load: gunicorn {args.workers} workers x 4 threads, "
                f"{args.concurrency} keep-alive clients, at most {args.requests} requests or {args.seconds:.0f} s each"
            )
            print(f"{'page':<20} {'page req/s':>10} {'static req/s':>12} {'ratio':>6} {'bytes':>8}")
            static_dir = ROOT / "staticfiles" / "bench"
            for name, url in PAGES:
                if name not in LOADED:
                    continue
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                conn.request("GET", url, headers={"Cookie": cookie})
                body = conn.getresponse().read()
                conn.close()
                # A static file of exactly the page's bytes, served by the same server (WhiteNoise reads
                # STATIC_ROOT at start-up, so these are written before a second server starts below).
                static_dir.mkdir(parents=True, exist_ok=True)
                (static_dir / f"{name.split()[0]}.html").write_bytes(body)
            server.terminate()
            server.wait(timeout=20)
            server = subprocess.Popen(server.args, cwd=ROOT, env=env)
            wait_for(port)
            time.sleep(1)
            cookie = sign_in(port)
            bounds = {"seconds": args.seconds, "requests": args.requests, "concurrency": args.concurrency}
            for name, url in PAGES:
                if name not in LOADED:
                    continue
                static = f"/static/bench/{name.split()[0]}.html"
                load(port, url, cookie, seconds=1, requests=50, concurrency=2)  # warm every worker's cache
                page_rps, page_n, page_errors = load(port, url, cookie, **bounds)
                static_rps, static_n, static_errors = load(port, static, cookie, **bounds)
                size = (static_dir / f"{name.split()[0]}.html").stat().st_size
                print(
                    f"{name:<20} {page_rps:>10.0f} {static_rps:>12.0f} {static_rps / page_rps:>5.2f}x {size:>8}"
                    + (f"  ({page_errors + static_errors} errors)" if page_errors + static_errors else "")
                )
            floor, _n, _errors = load(port, "/healthz", "", **bounds)
            print(f"{'(floor: /healthz)':<20} {floor:>10.0f}  a one-query Django view without sign-in, for scale")
            print("ratio: static requests per second / page requests per second (target: within 2x)")
        finally:
            server.terminate()
            server.wait(timeout=20)
            shutil.rmtree(ROOT / "staticfiles" / "bench", ignore_errors=True)
    finally:
        if redis is not None:
            redis.terminate()
            redis.wait(timeout=10)
        drop_database()


if __name__ == "__main__":
    main()

"""Sizing one app server: requests/s per gunicorn worker and memory per worker (and its reader child).

Run: DATABASE_URL=postgres://... .venv/bin/python bench/bench_workers.py [--seconds 10] [--clients 4]

Makes a throwaway PostgreSQL database with the demo data, starts one gunicorn worker (4 threads)
with files in the database, signs in, and for each page sends requests from `--clients` keep-alive
clients for `--seconds`; then uploads one report (which starts the worker's reader child, limited
to READER_MEMORY_MB) and prints the resident memory of the worker and of its reader child.
Redis is used when REDIS_URL is set. Nothing is kept.
"""

import argparse
import http.client
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.dbstorage.servers import Browser, answers, free_port, manage  # noqa: E402

PAGES = ["/", "/councils/", "/councils/wirral/"]
SAMPLE = ROOT / "tests/reportreader/reports/80581-wirral-2019-07-29.pdf"


def rss_mb(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def children(pid):
    """Child processes started by any thread of `pid` (the reader child is started from a request thread)."""
    return [int(c) for task in Path(f"/proc/{pid}/task").iterdir() for c in (task / "children").read_text().split()]


def hammer(port, path, cookie, seconds, clients):
    counts = [0] * clients
    stop = time.monotonic() + seconds

    def client(number):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.monotonic() < stop:
            connection.request("GET", path, headers={"Cookie": cookie})
            response = connection.getresponse()
            response.read()
            assert response.status == 200, (path, response.status)
            counts[number] += 1

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(counts) / seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--clients", type=int, default=4)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL server (a throwaway database is made on it).")
    import psycopg2

    server, name = url.rsplit("/", 1)[0], f"tracker_bench_workers_{os.getpid()}"
    admin = psycopg2.connect(f"{server}/postgres", connect_timeout=5)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    env = os.environ | {
        "DATABASE_URL": f"{server}/{name}",
        "FILE_STORAGE": "database",
        "TRACKER_ALLOW_DEV_KEY": "1",
        "DEBUG": "0",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "STATIC_MANIFEST": "0",
        "AXES_ENABLED": "0",
    }
    process = None
    try:
        manage(env, "migrate", "--noinput")
        manage(env, "load_demo")
        manage(
            env,
            "shell",
            "-c",
            "from django.contrib.auth.models import Group, User;"
            "u = User.objects.create_user('bench-editor', password='pw-bench-1');"
            "u.groups.add(Group.objects.get(name='editor'))",
        )
        port = free_port()
        process = subprocess.Popen(
            [str(ROOT / ".venv/bin/gunicorn"), "tracker.wsgi", "--workers", "1", "--threads", "4"]
            + ["--bind", f"127.0.0.1:{port}", "--timeout", "120"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        while not answers(base):
            time.sleep(0.5)
        browser = Browser()
        browser.get(f"{base}/accounts/login/")
        browser.post(f"{base}/accounts/login/", {"username": "bench-editor", "password": "pw-bench-1"})
        cookie = "; ".join(f"{c.name}={c.value}" for c in browser.cookies)
        worker = children(process.pid)[0]
        print(
            f"One gunicorn worker (4 threads), {args.clients} keep-alive clients, {args.seconds:g} s each, "
            f"Redis: {'yes' if env.get('REDIS_URL') else 'no'}"
        )
        print(f"worker memory after start: {rss_mb(worker):.0f} MB")
        for path in PAGES:
            browser.get(f"{base}{path}")  # warm the caches, as a running service has them
            print(f"{path:22} {hammer(port, path, cookie, args.seconds, args.clients):8.0f} requests/s")
        started = time.monotonic()
        status, _, _ = browser.post_file(f"{base}/reports/upload/", "report", SAMPLE.name, SAMPLE.read_bytes())
        print(f"upload and read one report: {time.monotonic() - started:.2f} s (status {status})")
        started = time.monotonic()
        status, _, pdf = browser.get(f"{base}/briefing.pdf")
        print(f"national briefing PDF: {time.monotonic() - started:.2f} s, {len(pdf) // 1024} KB (status {status})")
        readers = children(worker)
        limit = env.get("READER_MEMORY_MB", "768")
        print(f"worker memory after pages, an upload and a PDF: {rss_mb(worker):.0f} MB")
        for pid in readers:
            print(f"reader child memory: {rss_mb(pid):.0f} MB (address-space limit {limit} MB)")
    finally:
        if process:
            process.terminate()
            process.wait(timeout=30)
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


if __name__ == "__main__":
    main()

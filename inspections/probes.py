"""Ask the database and the cache whether they answer, never waiting longer than a deadline.

A stopped (not crashed) PostgreSQL or Redis accepts connections and then says nothing, and no
client timeout covers every way that can hang. So each probe runs in a thread of its own and the
caller waits at most `timeout` seconds for it. At most one probe of each kind runs per process: a
probe still stuck from earlier means "unreachable" at once, so a hung server never piles up threads
or connections. `database_answers()` remembers its answer for GATE_SECONDS, so every request can
ask it (DatabaseGateMiddleware) for the price of one probe per process per GATE_SECONDS;
requests arriving while a probe runs wait for that one instead of starting their own.
"""

import logging
import threading
import time

logger = logging.getLogger("inspections.probes")

GATE_SECONDS = 1.0
GATE_TIMEOUT = 1.0


class _Run:
    def __init__(self):
        self.started = time.monotonic()
        self.done = threading.Event()
        self.ok = False


class _Probe:
    """One kind of check, run in a thread that callers share, with its last answer remembered."""

    def __init__(self, name, check):
        self.name = name
        self.check = check
        self.lock = threading.Lock()
        self.current = None  # the latest _Run, finished or not
        self.answer = None  # (monotonic time, ok)

    def run(self, timeout):
        """(ok, detail): "ok", "unreachable" (it failed) or "timed out" (no answer in `timeout`
        seconds from the probe's start; a probe stuck from earlier answers "timed out" at once)."""
        with self.lock:
            run = self.current
            if run is None or run.done.is_set():
                run = self.current = _Run()
                threading.Thread(target=self._probe, args=(run,), name=f"probe-{self.name}", daemon=True).start()
        if run.done.wait(max(0.0, run.started + timeout - time.monotonic())):
            result = (True, "ok") if run.ok else (False, "unreachable")
        else:
            logger.error("%s did not answer within %.1f s", self.name, timeout)
            result = (False, "timed out")
        self.answer = (time.monotonic(), result[0])
        return result

    def _probe(self, run):
        try:
            self.check()
            run.ok = True
        except Exception as exc:  # noqa: BLE001 (any failure means "not answering")
            logger.warning("%s probe failed: %s", self.name, exc)
        finally:
            run.done.set()


def _check_database():
    from django.db import connections

    # A connection of its own: the request's connection may be the one that is stuck.
    connection = connections.create_connection("default")
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    finally:
        connection.close()


def _check_cache():
    from django.core.cache import cache

    client = getattr(cache, "client", None)
    if client is not None and hasattr(client, "get_client"):
        client.get_client(write=True).ping()  # the raw client: its errors are not swallowed
        return
    cache.set("probe:cache", 1, 10)


DATABASE = _Probe("database", _check_database)
CACHE = _Probe("cache", _check_cache)


def database_answers():
    """Whether the database answered within GATE_TIMEOUT at most GATE_SECONDS ago (probing again
    when that answer is older). A probe already running elsewhere leaves the last answer standing."""
    answer = DATABASE.answer
    if answer is not None and time.monotonic() - answer[0] < GATE_SECONDS:
        return answer[1]
    return DATABASE.run(GATE_TIMEOUT)[0]


def health(timeout):
    """{"database": detail, "cache": detail}, both probed at once; returns within `timeout`."""
    results = {}

    def probe(p):
        results[p.name] = p.run(timeout)[1]

    threads = [threading.Thread(target=probe, args=(p,), daemon=True) for p in (DATABASE, CACHE)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + timeout + 0.2
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    return {name: results.get(name, "timed out") for name in ("database", "cache")}

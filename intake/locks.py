"""One sync at a time, across every server: a PostgreSQL advisory lock (held by the database for
the command's connection, so a killed run frees it at once), or on SQLite, which only ever
serves one machine, an exclusive lock on a file beside the database."""

import contextlib
import fcntl
import hashlib
import tempfile
from pathlib import Path

from django.db import connection

# pg_advisory_lock takes a 64-bit key; this one is derived from a fixed name, so every server agrees.
SYNC_LOCK_KEY = int.from_bytes(hashlib.sha256(b"tracker.intake.sync_ofsted").digest()[:8], "big", signed=True)


@contextlib.contextmanager
def sync_lock():
    """Yield True while this process holds the sync lock, or False at once if another holds it."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [SYNC_LOCK_KEY])
            held = cursor.fetchone()[0]
        try:
            yield held
        finally:
            if held:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [SYNC_LOCK_KEY])
        return
    path = _lock_file()
    handle = path.open("a")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
    finally:
        handle.close()


def _lock_file():
    name = str(connection.settings_dict.get("NAME") or "")
    if name and not name.startswith(("file:", ":memory:")) and "mode=memory" not in name:
        return Path(f"{name}.sync-lock")
    digest = hashlib.sha256(name.encode()).hexdigest()[:12]
    return Path(tempfile.gettempdir()) / f"tracker-sync-{digest}.lock"

"""Read report PDFs in child processes with wall-clock, CPU and memory limits, so a hostile file
costs at most its limits and never the web worker or the command that asked.

No Django imports: the children run this module (`python -m intake.sandbox`) with `reportreader`
only. The parent keeps a small pool of long-lived children; each caps its address space once
(RLIMIT_AS) and its CPU time before every file (RLIMIT_CPU, counted from what it has used so
far); the parent kills a child that runs past the wall-clock limit. A child that dies, times out
or runs out of memory is replaced, and one is retired after `max_tasks` files, so memory PDFium
does not give back returns to the system.

Why children started with subprocess rather than multiprocessing: forking a threaded web worker
is unsafe, and multiprocessing's fork server and spawn re-import the parent's main module
(gunicorn's, pytest's). Why JSON on the pipe rather than pickle: the child parses hostile input,
so what it sends back is treated as data, never as objects to rebuild.
"""

from __future__ import annotations

import atexit
import contextlib
import datetime
import json
import os
import resource
import select
import signal
import struct
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from reportreader import Recommendation, ReportError, ReportResult, read_report

MB = 1024 * 1024
_HEADER = struct.Struct(">Q")
_ROOT = str(Path(__file__).resolve().parent.parent)


@dataclass(frozen=True)
class Limits:
    """What reading one file may cost: wall-clock and CPU seconds, bytes of address space."""

    wall_seconds: float = 20.0
    cpu_seconds: float = 10.0
    memory_bytes: int = 768 * MB
    max_tasks: int = 200


def result_from_dict(data):
    """A ReportResult from `ReportResult.to_dict()` output (the pipe, and readings stored for review)."""
    values = dict(data)
    for name in ("start_date", "end_date", "published_date"):
        if values.get(name):
            values[name] = datetime.date.fromisoformat(values[name])
    values["recommendations"] = [Recommendation(**r) for r in values.get("recommendations") or []]
    values["judgements"] = dict(values.get("judgements") or {})
    values["warnings"] = list(values.get("warnings") or [])
    known = ReportResult.__dataclass_fields__
    return ReportResult(**{k: v for k, v in values.items() if k in known})


# The child ------------------------------------------------------------------------------------


def _seconds(value):
    return "1 second" if value == 1 else f"{value:g} seconds"


def _cpu_used():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _read_exactly(stream, size):
    data = b""
    while len(data) < size:
        chunk = stream.read(size - len(data))
        if not chunk:
            raise EOFError
        data += chunk
    return data


def _send(stream, payload):
    stream.write(_HEADER.pack(len(payload)) + payload)
    stream.flush()


def child_main(memory_bytes, cpu_seconds):
    """Read files sent on standard input (name and bytes), answer each with a JSON reply."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C stops the parent, which stops its children
    requests = os.fdopen(os.dup(0), "rb")
    replies = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # anything a library prints goes to standard error, never into the replies
    # A platform without address-space limits still gets the CPU and wall-clock ones.
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    # Reading needs neither to write files nor to start processes; a compromised child can do neither.
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_NPROC, (0, 0))
    while True:
        try:
            (size,) = _HEADER.unpack(_read_exactly(requests, _HEADER.size))
            task = _read_exactly(requests, size)
        except EOFError:
            return
        name_size = int.from_bytes(task[:2], "big")
        filename = task[2 : 2 + name_size].decode("utf-8", "replace")
        data = task[2 + name_size :]
        del task
        # RLIMIT_CPU counts the process's whole life: allow this file `cpu_seconds` more than so far.
        resource.setrlimit(resource.RLIMIT_CPU, (int(_cpu_used() + cpu_seconds) + 1, resource.RLIM_INFINITY))
        try:
            reply = {"ok": read_report(data, filename=filename).to_dict()}
        except ReportError as error:
            reply = {"error": error.reason}
        except MemoryError:
            reply = {"memory": True}
        except RecursionError:
            reply = {"error": "the PDF is nested too deeply to read"}
        except Exception as error:  # noqa: BLE001 — a hostile file comes back as an error, never a crash
            reply = {"error": f"the file could not be read ({type(error).__name__})"}
        del data
        _send(replies, json.dumps(reply).encode())
        if "memory" in reply:
            return  # the heap may be in a poor state: the parent starts a fresh child


# The parent -----------------------------------------------------------------------------------


class _Child:
    def __init__(self, limits):
        # Only what Python needs: the child parses hostile files, so it gets no secrets
        # (SECRET_KEY, DATABASE_URL) and no open descriptors but its pipes.
        env = {name: os.environ[name] for name in ("PATH", "LANG", "LC_ALL", "TMPDIR") if name in os.environ}
        env["PYTHONPATH"] = os.pathsep.join([_ROOT, os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "intake.sandbox", str(limits.memory_bytes), str(limits.cpu_seconds)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            cwd=_ROOT,
            env=env,
            close_fds=True,
        )
        self.tasks = 0
        self.dead = False

    def ask(self, data, filename, wall_seconds):
        """Send one file; the reply dict, None if the child died, or "timeout"."""
        name = filename.encode("utf-8", "replace")[:1000]
        task = len(name).to_bytes(2, "big") + name + data
        try:
            self.process.stdin.write(_HEADER.pack(len(task)) + task)
            self.process.stdin.flush()
        except (BrokenPipeError, OSError):
            return None
        deadline = time.monotonic() + wall_seconds
        fd = self.process.stdout.fileno()
        buffer = b""
        wanted = None
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return "timeout"
            ready, _, _ = select.select([fd], [], [], remaining)
            if not ready:
                return "timeout"
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                return None
            buffer += chunk
            if wanted is None and len(buffer) >= _HEADER.size:
                (wanted,) = _HEADER.unpack(buffer[: _HEADER.size])
            if wanted is not None and len(buffer) >= _HEADER.size + wanted:
                return json.loads(buffer[_HEADER.size : _HEADER.size + wanted])

    def stop(self, *, kill=False):
        self.dead = True
        try:
            if kill:
                self.process.kill()
            else:
                self.process.stdin.close()
            self.process.wait(timeout=2)
        except (OSError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait(timeout=2)
        for stream in (self.process.stdin, self.process.stdout):
            with contextlib.suppress(OSError):
                stream.close()


class ReaderPool:
    """Up to `size` reader children shared by the threads of one process.

    `read(data, filename)` returns a ReportResult or raises ReportError with a reason a person
    understands ("reading took longer than 20 seconds, so it was stopped")."""

    def __init__(self, *, size=1, limits=None):
        self.size = max(1, int(size))
        self.limits = limits or Limits()
        self._idle = []
        self._slots = threading.BoundedSemaphore(self.size)
        self._lock = threading.Lock()
        self._pid = os.getpid()

    def read(self, data, filename="report.pdf"):
        """Read one report in a child process within the pool's limits. Raises ReportError."""
        if not self._slots.acquire(timeout=self.limits.wall_seconds * 3):
            raise ReportError(filename, "the service is busy reading other reports; try again in a minute")
        try:
            child = self._take()
            try:
                return self._run(child, bytes(data), filename)
            finally:
                self._give_back(child)
        finally:
            self._slots.release()

    def _run(self, child, data, filename):
        limits = self.limits
        started = time.monotonic()
        reply = child.ask(data, filename, limits.wall_seconds)
        if reply == "timeout":
            child.stop(kill=True)
            raise ReportError(filename, f"reading took longer than {_seconds(limits.wall_seconds)}, so it was stopped")
        if reply is None:  # the child died: the CPU limit, or PDFium aborting when memory ran out
            code = child.process.poll()
            if code is None:
                try:
                    code = child.process.wait(timeout=2)
                except subprocess.TimeoutExpired:
                    code = None
            child.stop(kill=True)
            if code in (-signal.SIGXCPU, -signal.SIGKILL) and time.monotonic() - started < limits.wall_seconds:
                raise ReportError(
                    filename,
                    f"reading needed more than {_seconds(limits.cpu_seconds)} of processor time, so it was stopped",
                )
            if code == -signal.SIGABRT:  # PDFium's answer to an allocation that fails
                raise ReportError(
                    filename, f"reading needed more than the {limits.memory_bytes // MB} MB of memory allowed"
                )
            raise ReportError(filename, "the file crashed the reader; it is damaged or deliberately malformed")
        child.tasks += 1
        if "ok" in reply:
            return result_from_dict(reply["ok"])
        if reply.get("memory"):
            child.stop(kill=True)
            raise ReportError(
                filename, f"reading needed more than the {limits.memory_bytes // MB} MB of memory allowed"
            )
        raise ReportError(filename, reply.get("error") or "the file could not be read")

    def _take(self):
        with self._lock:
            if os.getpid() != self._pid:  # made before a fork (gunicorn --preload): not our children
                self._idle, self._pid = [], os.getpid()
            while self._idle:
                child = self._idle.pop()
                if child.process.poll() is None:
                    return child
                child.stop(kill=True)
        return _Child(self.limits)

    def _give_back(self, child):
        if child.dead:
            return
        if child.tasks >= self.limits.max_tasks:
            child.stop()
            return
        with self._lock:
            self._idle.append(child)

    def close(self):
        """Stop every idle child (a busy one is stopped by the thread using it)."""
        with self._lock:
            idle, self._idle = self._idle, []
        if os.getpid() == self._pid:
            for child in idle:
                child.stop()


_pools = {}
_pools_lock = threading.Lock()


def shared_pool(*, size, limits):
    """This process's pool for these limits (made on first use, stopped at exit)."""
    key = (size, limits, os.getpid())
    with _pools_lock:
        pool = _pools.get(key)
        if pool is None:
            pool = _pools[key] = ReaderPool(size=size, limits=limits)
            atexit.register(pool.close)
        return pool


if __name__ == "__main__":
    child_main(int(sys.argv[1]), float(sys.argv[2]))

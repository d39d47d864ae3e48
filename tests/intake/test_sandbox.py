"""The reader's sandbox: a hostile PDF costs at most its wall-clock, CPU or memory limit, comes
back as a clear error, and the pool goes on reading the next file."""

import time

import pytest

from intake.sandbox import MB, Limits, ReaderPool, result_from_dict
from reportreader import ReportError, read_report
from tests.intake import hostile
from tests.intake.conftest import sample

GOOD = "80581-wirral-2019-07-29"


@pytest.fixture
def pool_with():
    pools = []

    def make(**limits):
        pool = ReaderPool(size=1, limits=Limits(**limits))
        pools.append(pool)
        return pool

    yield make
    for pool in pools:
        pool.close()


def still_reads(pool):
    assert pool.read(sample(GOOD), f"{GOOD}.pdf").council_name == "Wirral Metropolitan Borough Council"


def test_a_report_read_in_the_sandbox_is_what_the_reader_reads_in_process(pool_with):
    pool = pool_with()
    assert pool.read(sample(GOOD), "w.pdf") == read_report(sample(GOOD), filename="w.pdf")
    assert result_from_dict(read_report(sample(GOOD)).to_dict()) == read_report(sample(GOOD))


def test_a_deflate_bomb_stops_at_the_memory_limit(pool_with):
    pool = pool_with(memory_bytes=384 * MB, wall_seconds=30)
    started = time.monotonic()
    with pytest.raises(ReportError) as error:
        pool.read(hostile.deflate_bomb(1024), "bomb.pdf")
    assert error.value.reason == "reading needed more than the 384 MB of memory allowed"
    assert time.monotonic() - started < 30
    still_reads(pool)


def test_a_slow_page_stops_at_the_wall_clock_limit(pool_with):
    pool = pool_with(wall_seconds=0.3, memory_bytes=4096 * MB)
    still_reads(pool)  # the child is started before the clock matters
    started = time.monotonic()
    with pytest.raises(ReportError) as error:
        pool.read(hostile.operator_heavy(1_000_000), "heavy.pdf")
    assert error.value.reason == "reading took longer than 0.3 seconds, so it was stopped"
    assert time.monotonic() - started < 2
    still_reads(pool)


def test_an_operator_heavy_page_stops_at_the_cpu_limit(pool_with):
    pool = pool_with(cpu_seconds=1, wall_seconds=60, memory_bytes=4096 * MB)
    # RLIMIT_CPU counts whole seconds, so the child may run up to a second past the limit before it
    # is stopped: this page needs about 4 s of processor time to read (2 s for half as many runs).
    with pytest.raises(ReportError) as error:
        pool.read(hostile.operator_heavy(3_000_000), "heavy.pdf")
    assert error.value.reason == "reading needed more than 1 second of processor time, so it was stopped"
    still_reads(pool)


def test_a_page_tree_loop_is_refused_quickly(pool_with):
    pool = pool_with()
    started = time.monotonic()
    with pytest.raises(ReportError) as error:
        pool.read(hostile.page_tree_loop(), "loop.pdf")
    assert "damaged" in error.value.reason or "no pages" in error.value.reason
    assert time.monotonic() - started < 5
    still_reads(pool)


def test_a_child_is_retired_after_its_quota_of_files(pool_with):
    pool = pool_with(max_tasks=2)
    pids = set()
    for _ in range(4):
        still_reads(pool)
        pids |= {child.process.pid for child in pool._idle}
    assert len(pids) == 2, "a fresh child after every two files"


def test_the_reader_child_gets_no_secrets_from_the_environment(pool_with, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "do-not-leak")
    pool = pool_with()
    still_reads(pool)
    (child,) = pool._idle
    with open(f"/proc/{child.process.pid}/environ", "rb") as handle:
        environment = handle.read()
    assert b"do-not-leak" not in environment and b"SECRET_KEY" not in environment

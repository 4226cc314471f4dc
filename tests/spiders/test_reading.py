"""Reading pages in a worker process gives what reading them here gives, and survives the worker."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from spiders.reading import PageJob, PageReaders, read_page

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "scraper" / "sample"


def sample_jobs(limit: int = 40) -> list[PageJob]:
    """Pages of every kind the offline sample serves: agenda pages, event pages, feeds."""
    jobs = []
    kinds = {".html": ("text/html; charset=utf-8", "listing"), ".json": ("application/json", "feed:tribe"),
             ".ics": ("text/calendar", "feed:ical"), ".xml": ("application/rss+xml", "feed:rss")}
    for path in sorted(SAMPLE.rglob("*")):
        if path.suffix not in kinds or not path.is_file():
            continue
        content_type, kind = kinds[path.suffix]
        url = "https://cress.example/" + path.relative_to(SAMPLE).as_posix()
        jobs.append(PageJob(path.read_bytes(), url, "cress_exemple", content_type, date(2026, 10, 15),
                            "Europe/Paris", kind, date(2027, 10, 1)))
    assert len(jobs) >= 10, "the sample should hold pages of every kind"
    return jobs[:: max(1, len(jobs) // limit)]


async def read_all(readers: PageReaders, jobs: list[PageJob]) -> list[object]:
    return list(await asyncio.gather(*(readers.read(job) for job in jobs)))


def test_a_worker_reads_pages_exactly_as_the_crawling_process() -> None:
    jobs = sample_jobs()
    readers = PageReaders(2)
    try:
        assert len(readers.workers) == 2
        in_workers = asyncio.run(read_all(readers, jobs))
    finally:
        readers.close()
    here = [read_page(job) for job in jobs]
    assert in_workers == here
    assert any(r.extraction.events for r in here) and any(r.links is None for r in here)  # type: ignore[attr-defined]


def test_without_workers_pages_are_read_here() -> None:
    jobs = sample_jobs(5)
    readers = PageReaders(0)
    assert readers.workers == []
    assert asyncio.run(read_all(readers, jobs)) == [read_page(job) for job in jobs]


def test_a_dead_worker_costs_no_page() -> None:
    jobs = sample_jobs(12)
    readers = PageReaders(1)
    try:
        pid = readers.workers[0].pid

        async def kill_midway() -> list[object]:
            reads = [asyncio.ensure_future(readers.read(job)) for job in jobs]
            os.kill(pid, signal.SIGKILL)
            return list(await asyncio.gather(*reads))

        got = asyncio.run(kill_midway())
        assert got == [read_page(job) for job in jobs]
        assert not readers.workers[0].alive
        # Later pages are read here.
        assert asyncio.run(read_all(readers, jobs[:2])) == [read_page(job) for job in jobs[:2]]
    finally:
        readers.close()


@pytest.mark.skipif(sys.platform != "linux", reason="the parent-death signal is Linux's")
def test_workers_do_not_outlive_a_killed_crawl(tmp_path: Path) -> None:
    script = tmp_path / "crawl_stand_in.py"
    script.write_text(
        "import sys, time\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "from spiders.reading import PageReaders\n"
        "readers = PageReaders(2)\n"
        "print(' '.join(str(w.pid) for w in readers.workers), flush=True)\n"
        "time.sleep(60)\n"
    )
    proc = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    workers = [int(pid) for pid in proc.stdout.readline().split()]
    assert len(workers) == 2 and all(_running(pid) for pid in workers)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    deadline = time.monotonic() + 10
    while any(_running(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(_running(pid) for pid in workers)


def _running(pid: int) -> bool:
    """Alive and not a zombie waiting for whoever adopted it."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    state = next((line for line in status.splitlines() if line.startswith("State:")), "")
    return "Z" not in state.split()[1:2]

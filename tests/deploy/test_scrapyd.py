"""Deploying to Scrapyd: the egg scrapyd-deploy packs, and a local Scrapyd crawling two sources.

The project is deployed as an operator would: `scrapyd-deploy` against the `[deploy]` target of
scrapy.cfg, then `schedule.json` with `setting=NAME=value` pairs. Scrapyd, its jobs and the
offline sample all run on 127.0.0.1; the jobs import the project from the deployed egg.
"""

from __future__ import annotations

import configparser
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import tomllib
import zipfile
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path
from typing import Any
from urllib.error import URLError
from urllib.parse import urlencode
from urllib.request import urlopen

import pytest

pytest.importorskip("scrapyd", reason="Scrapyd is not installed: pip install 'essagenda[deploy]'")
pytest.importorskip("scrapyd_client", reason="scrapyd-client is not installed: pip install 'essagenda[deploy]'")

from scraper.sample import SAMPLE_CRAWL_DATE
from scraper.sample.server import serve_sample
from spiders.registry import get_source, load_registry

REPO = Path(__file__).resolve().parents[2]
PROJECT = "essagenda"
SOURCES = ("cress_hauts_de_france", "cress_reunion")
"""Two small sample sites on different engines: The Events Calendar's REST API, a Joomla RSS feed."""
JOBS_TIMEOUT_S = 120.0
"""Both crawls take a few seconds; a loaded machine may need many more."""


def copy_project(dest: Path, deploy_url: str) -> Path:
    """Copy what scrapyd-deploy packs (scrapy.cfg, setup.py, pyproject.toml, its readme and
    packages) to `dest`, with the default deploy target pointed at `deploy_url`.

    Building an egg writes build/ and *.egg-info/ beside setup.py: a copy keeps that out of the
    checkout. The packages are those pyproject.toml includes, so the copy cannot drift from it.
    """
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    dest.mkdir()
    for name in ("scrapy.cfg", "setup.py", "pyproject.toml", pyproject["project"]["readme"]):
        shutil.copy2(REPO / name, dest / name)
    for pattern in pyproject["tool"]["setuptools"]["packages"]["find"]["include"]:
        for package in REPO.glob(pattern):
            if (package / "__init__.py").is_file():
                shutil.copytree(package, dest / package.name,
                                ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    config = configparser.ConfigParser()
    config.read(dest / "scrapy.cfg", encoding="utf-8")
    assert config.get("deploy", "project") == PROJECT
    config.set("deploy", "url", deploy_url)
    with (dest / "scrapy.cfg").open("w", encoding="utf-8") as handle:
        config.write(handle)
    return dest


def clean_env(home: Path) -> dict[str, str]:
    """This environment without essagenda's and Scrapy's own variables, with HOME at `home` so
    that no ~/.scrapyd.conf or ~/.scrapy.cfg of the machine is read."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("ESS_", "SCRAPY_", "SCRAPYD_")) and k != "PYTHONPATH"}
    env["HOME"] = str(home)
    return env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(check: Callable[[], Any], timeout: float, what: str) -> Any:
    """Call `check` every 0.2 s until it returns something true; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            pytest.fail(f"gave up waiting for {what} after {timeout:.0f} s")
        time.sleep(0.2)


def api(url: str, form: list[tuple[str, str]] | None = None) -> dict[str, Any]:
    """Call a Scrapyd JSON endpoint (GET, or POST with `form`) and check its status."""
    data = urlencode(form).encode() if form is not None else None
    with urlopen(url, data=data, timeout=30) as response:
        answer = json.loads(response.read())
    assert answer["status"] == "ok", answer
    return answer


@pytest.fixture
def scrapyd(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A Scrapyd on 127.0.0.1 with its eggs, logs, items and queues under tmp_path: (url, dir)."""
    node = tmp_path / "scrapyd"
    node.mkdir()
    port = free_port()
    (node / "scrapyd.conf").write_text(
        "[scrapyd]\n"
        "bind_address = 127.0.0.1\n"
        f"http_port = {port}\n"
        f"eggs_dir = {node / 'eggs'}\n"
        f"logs_dir = {node / 'logs'}\n"
        f"items_dir = {node / 'items'}\n"
        f"dbs_dir = {node / 'dbs'}\n"
        # Jobs are picked from the queue at this interval (5 s by default).
        "poll_interval = 0.2\n",
        encoding="utf-8",
    )
    url = f"http://127.0.0.1:{port}/"
    with (node / "scrapyd.out").open("wb") as out:
        # Scrapyd reads scrapyd.conf from its working directory.
        process = subprocess.Popen([sys.executable, "-m", "scrapyd"], cwd=node, env=clean_env(node),
                                   stdout=out, stderr=subprocess.STDOUT)
        try:
            def answers() -> bool:
                if process.poll() is not None:
                    pytest.fail(f"Scrapyd exited: {(node / 'scrapyd.out').read_text(errors='replace')}")
                try:
                    return api(url + "daemonstatus.json")["status"] == "ok"
                except (URLError, ConnectionError):
                    return False

            wait_for(answers, 30, "Scrapyd to answer")
            yield url, node
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def test_egg_carries_the_settings_entry_point_modules_and_data(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project", "http://127.0.0.1:9/")
    egg = tmp_path / "essagenda.egg"
    result = subprocess.run([sys.executable, "-m", "scrapyd_client.deploy", "--build-egg", str(egg)],
                            cwd=project, env=clean_env(tmp_path), capture_output=True, text=True,
                            timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(egg) as archive:
        names = set(archive.namelist())
        entry_points = configparser.ConfigParser()
        entry_points.read_string(archive.read("EGG-INFO/entry_points.txt").decode())
    # Scrapyd finds the settings module of an egg only through this entry point.
    assert entry_points.get("scrapy", "settings") == "scraper.settings"
    modules = {p.relative_to(project).as_posix() for p in project.glob("*/**/*.py") if "build" not in p.parts}
    assert modules <= names
    assert {"spiders/sources.toml", "pipelines/normalize/data/communes.json.gz"} <= names


def test_scrapyd_crawls_two_sources_into_one_database(tmp_path: Path, scrapyd: tuple[str, Path]) -> None:
    url, node = scrapyd
    project = copy_project(tmp_path / "project", url)
    # The jobs must run the egg, not the checkout this test imports: the egg's bot is renamed.
    with (project / "scraper" / "settings.py").open("a", encoding="utf-8") as settings:
        settings.write('\nBOT_NAME = "essagenda-egg"\n')
    deploy = subprocess.run([sys.executable, "-m", "scrapyd_client.deploy"], cwd=project,
                            env=clean_env(tmp_path), capture_output=True, text=True, timeout=300,
                            check=False)
    assert deploy.returncode == 0, deploy.stderr
    registry = {entry.id for entry in load_registry()}
    assert json.loads(deploy.stdout)["spiders"] == len(registry)
    assert set(api(f"{url}listspiders.json?project={PROJECT}")["spiders"]) == registry

    db_path = tmp_path / "data" / "essagenda.db"
    server, base_url = serve_sample(0)
    try:
        jobs = {}
        for source in SOURCES:
            answer = api(url + "schedule.json", [
                ("project", PROJECT), ("spider", source),
                ("setting", f"ESS_DB_PATH={db_path}"),
                ("setting", f"ESS_BASE_URL_OVERRIDE={base_url}"),
                ("setting", f"ESS_CRAWL_DATE={SAMPLE_CRAWL_DATE}"),
            ])
            jobs[answer["jobid"]] = source

        def all_finished() -> bool:
            finished = api(f"{url}listjobs.json?project={PROJECT}")["finished"]
            return set(jobs) <= {job["id"] for job in finished}

        wait_for(all_finished, JOBS_TIMEOUT_S, f"Scrapyd jobs {sorted(jobs.values())}")
    finally:
        server.shutdown()
        server.server_close()

    for job, source in jobs.items():
        log = (node / "logs" / PROJECT / source / f"{job}.log").read_text(encoding="utf-8")
        assert "(bot: essagenda-egg)" in log
        assert " ERROR: " not in log, log
        # A component Scrapy turns off (a path only the checkout has, say) is only a warning.
        assert "Disabled " not in log, log
        items = (node / "items" / PROJECT / source / f"{job}.jl").read_text(encoding="utf-8")
        assert {json.loads(line)["source"] for line in items.splitlines()} == {source}

    # The jobs wrote one database, each in its own process, and the HTTP cache beside it.
    assert (db_path.parent / "httpcache").is_dir()
    with closing(sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)) as db:
        records = dict(db.execute("SELECT source, count(*) FROM event_sources GROUP BY source").fetchall())
        crawls = {row[0]: row[1:] for row in db.execute(
            "SELECT source, status, complete, events_seen FROM crawls ORDER BY id")}
        names = dict(db.execute("SELECT id, name FROM sources").fetchall())
        events = [json.loads(row[0]) for row in db.execute("SELECT sources FROM events")]
    assert set(records) == set(SOURCES)
    for source in SOURCES:
        assert records[source] > 0
        assert crawls[source] == ("ok", 1, records[source])
        # The feeds name a source from this table: the job wrote its registry entry there.
        assert names[source] == get_source(source).name
    assert {entry["source"] for listed in events for entry in listed} == set(SOURCES)

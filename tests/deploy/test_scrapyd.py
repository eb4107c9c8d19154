"""Deploying to scrapyd as docs/operations.md says: a real scrapyd on 127.0.0.1, the egg built
and uploaded by ``scrapyd-deploy``, a crawl of a local site scheduled through the HTTP API, its
articles found in the archive.

scrapyd's environment holds newscrawler's dependencies, not newscrawler itself: the code runs
from the deployed egg (a zip), where the built-in profiles and the migrations are no files on
disk. The test environment has newscrawler installed in editable mode, whose import hook
would shadow the egg; the scrapyd processes get a stand-in for that hook that installs nothing.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from newscrawler.samples.ispr import ispr_like_site
from storage.archive import Archive
from tests.support import REPO

PROJECT_FILES = ("scrapy.cfg", "pyproject.toml", "README.md")
PROJECT_PACKAGES = ("newscrawler", "spiders", "pipelines", "storage")

pytestmark = pytest.mark.skipif(
    shutil.which("scrapyd") is None or shutil.which("scrapyd-deploy") is None,
    reason="scrapyd and scrapyd-client are not installed (the test extra)",
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def editable_hook_stand_ins(folder: Path) -> None:
    """Modules named as the editable install's import hooks, with an ``install`` that does
    nothing: first on the path, they are imported in their place."""
    folder.mkdir()
    for entry in map(Path, sys.path):
        for hook in entry.glob("__editable___newscrawler_*_finder.py") if entry.is_dir() else ():
            (folder / hook.name).write_text("def install() -> None:\n    pass\n")


def api(base: str, endpoint: str, **fields: str) -> dict[str, Any]:
    data = urllib.parse.urlencode(fields).encode() if fields else None
    url = f"{base}/{endpoint}" + ("" if data else "?project=newscrawler")
    with urllib.request.urlopen(url, data=data, timeout=30) as response:
        answer: dict[str, Any] = json.load(response)
    return answer


@pytest.fixture
def scrapyd(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A scrapyd on 127.0.0.1 whose crawls archive into ``tmp_path/archive.sqlite3``."""
    port = free_port()
    workdir = tmp_path / "scrapyd"
    workdir.mkdir()
    (workdir / "scrapyd.conf").write_text(
        f"[scrapyd]\nbind_address = 127.0.0.1\nhttp_port = {port}\n"
        f"eggs_dir = {workdir / 'eggs'}\nlogs_dir = {workdir / 'logs'}\n"
        f"dbs_dir = {workdir / 'dbs'}\nitems_dir =\npoll_interval = 0.5\n"
    )
    editable_hook_stand_ins(tmp_path / "hooks")
    env = {
        "PATH": str(Path(sys.executable).parent) + ":/usr/bin:/bin",
        "HOME": str(tmp_path),
        "PYTHONPATH": str(tmp_path / "hooks"),
        "NEWSCRAWLER_DB": f"sqlite:///{tmp_path / 'archive.sqlite3'}",
        "NEWSCRAWLER_STATE_DIR": str(tmp_path / "state"),
    }
    server = subprocess.Popen(
        [sys.executable, shutil.which("scrapyd") or "scrapyd"],
        cwd=workdir, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                api(base, "daemonstatus.json")
                break
            except OSError:
                assert time.monotonic() < deadline, "scrapyd did not start"
                time.sleep(0.5)
        yield base, workdir
    finally:
        server.terminate()
        server.wait(timeout=30)


def project_copy(folder: Path, scrapyd_url: str) -> Path:
    """The project as an operator's checkout, with a deploy target for the test's scrapyd."""
    for name in PROJECT_FILES:
        shutil.copy(REPO / name, folder / name)
    for package in PROJECT_PACKAGES:
        shutil.copytree(
            REPO / package, folder / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    with (folder / "scrapy.cfg").open("a") as cfg:
        cfg.write(f"\n[deploy:test]\nurl = {scrapyd_url}/\nproject = newscrawler\n")
    return folder


def test_a_deployed_egg_crawls_a_site_into_the_archive(
    scrapyd: tuple[str, Path], tmp_path: Path
) -> None:
    base, workdir = scrapyd
    (tmp_path / "checkout").mkdir()
    project = project_copy(tmp_path / "checkout", base)
    deployed = subprocess.run(
        ["scrapyd-deploy", "test"], cwd=project, capture_output=True, text=True, timeout=300
    )
    assert deployed.returncode == 0, deployed.stdout + deployed.stderr
    assert '"status": "ok"' in deployed.stdout, deployed.stdout + deployed.stderr

    with ispr_like_site(12, per_page=5) as site:
        job = api(
            base, "schedule.json", project="newscrawler", spider="ispr", base_url=site.url,
            setting="DOWNLOAD_DELAY=0",
        )  # fmt: skip
        assert job["status"] == "ok", job
        deadline = time.monotonic() + 240
        while not any(j["id"] == job["jobid"] for j in api(base, "listjobs.json")["finished"]):
            assert time.monotonic() < deadline, "the job did not finish"
            time.sleep(1)

    log = next((workdir / "logs").rglob(f"{job['jobid']}.log")).read_text()
    assert "Traceback" not in log, log[-3000:]
    with Archive.open(f"sqlite:///{tmp_path / 'archive.sqlite3'}") as archive:
        assert archive.count_articles(site="ispr") == 12
        (run,) = archive.runs()
    assert run["outcome"] == "finished" and run["health"] == "ok"

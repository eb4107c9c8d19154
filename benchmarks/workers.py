"""One site over one and two Redis-backed workers, and ``crawl --all`` over two sites with
``--jobs 1`` and ``--jobs 2``: wall time, pages/s and CPU per article, side by side in one run.

``python -m benchmarks.workers [ARTICLES] [REDIS_URL]``. Each site is the generated news site of
``benchmarks.site``, served from its own process; every crawl writes a fresh SQLite archive.
CPU is the crawl's process tree's (user + system), from ``wait4``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from benchmarks.crawl import SHARED_SETTINGS, served_site
from newscrawler.samples.server import setting_arguments
from storage.archive import Archive

PROFILE = """\
extends = "wordpress"
name = "{name}"
site = "{name}"
enabled = true
hosts = ["127.0.0.1"]
base_url = "{url}/"
"""


def timed(command: Sequence[str], cwd: Path) -> tuple[float, float]:
    """Wall seconds and CPU seconds of a command and the processes it waited for."""
    started = time.perf_counter()
    child = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        assert child.stderr is not None
        raise RuntimeError(child.stderr.read().decode("utf-8", "replace")[-3000:])
    return wall, usage.ru_utime + usage.ru_stime


def row(label: str, db: str, wall: float, cpu: float) -> dict[str, Any]:
    with Archive.open(db) as archive:
        runs = archive.runs()
        articles = archive.count_articles()
    pages = sum(int(run["stats"].get("response_received_count", 0)) for run in runs)
    return {
        "crawl": label,
        "articles": articles,
        "pages": pages,
        "wall_s": round(wall, 2),
        "pages_per_s": round(pages / wall, 1),
        "cpu_ms_per_article": round(1000 * cpu / max(articles, 1), 2),
    }


def main() -> None:
    articles = int(sys.argv[1]) if len(sys.argv) > 1 else 400
    redis_url = sys.argv[2] if len(sys.argv) > 2 else "redis://127.0.0.1:6379/0"
    settings = setting_arguments({**SHARED_SETTINGS, "NEWSCRAWLER_PROGRESS": "off"})
    python = [sys.executable, "-m", "newscrawler.cli", "crawl"]
    rows = []
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
        workdir = Path(tmp)
        (workdir / "profiles").mkdir()
        urls = [stack.enter_context(served_site(articles)) for _ in range(2)]
        for name, url in zip(("site_a", "site_b"), urls, strict=True):
            profile = PROFILE.format(name=name, url=url)
            (workdir / "profiles" / f"{name}.toml").write_text(profile, encoding="utf-8")
        for workers in (1, 2):
            db = f"sqlite:///{workdir / f'workers{workers}.sqlite3'}"
            command = [*python, "site_a", "--db", db, *settings, "--redis", redis_url]
            wall, cpu = timed([*command, "--workers", str(workers)], workdir)
            rows.append(row(f"site_a --redis --workers {workers}", db, wall, cpu))
        for jobs in (1, 2):
            db = f"sqlite:///{workdir / f'jobs{jobs}.sqlite3'}"
            every = ["-s", "NEWSCRAWLER_ALL_SITES=site_a,site_b"]
            command = [*python, "--all", "--jobs", str(jobs), "--db", db, *settings, *every]
            wall, cpu = timed(command, workdir)
            rows.append(row(f"--all --jobs {jobs} (two sites)", db, wall, cpu))
    print("| crawl | articles | pages | wall (s) | pages/s | CPU per article (ms) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        print(
            f"| `{r['crawl']}` | {r['articles']} | {r['pages']} | {r['wall_s']} | "
            f"{r['pages_per_s']} | {r['cpu_ms_per_article']} |"
        )


if __name__ == "__main__":
    main()

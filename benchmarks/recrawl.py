"""What a re-crawl of an unchanged site costs next to its first crawl, in profile mode and in auto
mode, on a small and a large site: ``python -m benchmarks.recrawl [ARTICLES...]``.

Each size is the generated WordPress-shaped site of ``benchmarks.site``, served from its own
process; each mode crawls it twice into an archive of its own through the ``newscrawler crawl``
command, with the crawl benchmark's downloader settings. Requests are Scrapy's
``downloader/request_count`` of each run (robots.txt included), read from the run's record.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks.crawl import SHARED_SETTINGS, served_site
from newscrawler.samples.server import setting_arguments
from storage.archive import Archive

#: The modes compared: the crawl benchmark's profile for the site, and its URL alone.
MODES = ("profile", "auto")


def crawl_twice(arguments: Sequence[str], db: str, workdir: Path) -> list[dict[str, Any]]:
    """The figures of a first crawl and of a re-crawl of the unchanged site right after it."""
    settings = setting_arguments({**SHARED_SETTINGS, "NEWSCRAWLER_PROGRESS": "off"})
    command = [sys.executable, "-m", "newscrawler.cli", "crawl", *arguments, "--db", db]
    for _ in range(2):
        child = subprocess.run([*command, *settings], cwd=workdir, capture_output=True, text=True)
        if child.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed:\n{child.stderr[-3000:]}")
    with Archive.open(db) as archive:
        runs = archive.runs(limit=2)[::-1]
        articles = archive.count_articles()
    return [
        {
            "requests": int(run["stats"].get("downloader/request_count", 0)),
            "seconds": round(float(run["stats"].get("elapsed_time_seconds", 0.0)), 2),
            "articles": articles,
        }
        for run in runs
    ]


def run(*, sizes: Sequence[int] = (60, 5000)) -> dict[str, Any]:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        for articles in sizes:
            with served_site(articles) as base_url:
                arguments = {
                    "profile": ["poslanews", "-a", f"base_url={base_url}"],
                    "auto": [base_url + "/"],
                }
                for mode in MODES:
                    db = f"sqlite:///{workdir / f'{mode}-{articles}.sqlite3'}"
                    first, again = crawl_twice(arguments[mode], db, workdir)
                    rows.append(
                        {
                            "mode": mode,
                            "site_articles": articles,
                            "archived": first["articles"],
                            "first_requests": first["requests"],
                            "first_seconds": first["seconds"],
                            "recrawl_requests": again["requests"],
                            "recrawl_seconds": again["seconds"],
                            "share": round(again["requests"] / max(first["requests"], 1), 4),
                        }
                    )
    return {"rows": rows}


if __name__ == "__main__":
    sizes = [int(arg) for arg in sys.argv[1:]] or [60, 5000]
    print(json.dumps(run(sizes=sizes), indent=2))

"""Crawl throughput next to bare Scrapy, peak memory, and where the crawler's CPU time goes.

Every crawl runs in a child process against a generated site served by another child process on
127.0.0.1, with the same downloader settings. Pages/s is Scrapy's own count of responses over its
own elapsed time, so process start-up is left out of both sides alike.
"""

from __future__ import annotations

import json
import os
import pstats
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newscrawler.samples.server import LOCAL_SITE_SETTINGS, setting_arguments
from storage.archive import Archive

REPO = Path(__file__).resolve().parents[1]

#: The downloader settings every crawl shares: as fast as the local site allows, same concurrency
#: (items too: the crawler's own value, which the baseline would otherwise not have).
SHARED_SETTINGS: dict[str, Any] = {
    "CONCURRENT_REQUESTS": 16,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
    "CONCURRENT_ITEMS": 16,
    **LOCAL_SITE_SETTINGS,
    "ROBOTSTXT_OBEY": True,
    "LOG_LEVEL": "WARNING",
    "TELNETCONSOLE_ENABLED": False,
}

#: Functions whose cumulative time is a stage's cost, outermost first: (file part, function).
STAGES: dict[str, tuple[tuple[str, str], ...]] = {
    "extraction": (("newscrawler/extract/article.py", "extract_page"),),
    "cleaning": (("pipelines/cleaning.py", "process_item"),),
    "validation": (("pipelines/validation.py", "process_item"),),
    "dedup": (("pipelines/dedup.py", "process_item"),),
    "sink (reactor side)": (("pipelines/archive.py", "process_item"),),
    "link following": (("spiders/base.py", "follow"),),
}
#: Stages on threads of their own, which cProfile does not see: the CPU time each thread reports.
THREAD_STAGES = {
    "dedup (its thread)": "newscrawler/dedup/cpu_seconds",
    "sink (writer thread)": "newscrawler/archive/write_cpu_seconds",
}
#: The reactor's run: everything the crawl does on its main thread once it has started.
REACTOR_RUN = ("scrapy/crawler.py", "start")


@dataclass
class Run:
    """One measured child process."""

    pages: int
    items: int
    elapsed: float
    cpu_seconds: float
    peak_rss_mb: float
    requests: int
    stats: dict[str, Any]

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.elapsed if self.elapsed else 0.0


@contextmanager
def served_site(articles: int) -> Iterator[str]:
    """The generated news site served from a separate process; yields its base URL."""
    server = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.site", str(articles)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        yield server.stdout.readline().strip()
    finally:
        server.terminate()
        server.wait(timeout=10)


def _measure(command: Sequence[str], *, cwd: Path) -> tuple[float, float]:
    """CPU seconds and peak RSS (MB) of a child process run to its end."""
    with tempfile.TemporaryFile() as log:  # a pipe would block a child that logs much
        child = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=log)
        _, status, usage = os.wait4(child.pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            log.seek(0)
            stderr = log.read().decode("utf-8", "replace")
            raise RuntimeError(f"{' '.join(command)} failed:\n{stderr[-3000:]}")
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def bare_crawl(
    base_url: str, workdir: Path, *, spider: str = "bare", profile_to: Path | None = None
) -> Run:
    """A baseline crawl (``benchmarks.bare``): ``bare`` parses nothing, ``parsing`` reads each
    page's title, text and links."""
    stats_file = workdir / f"{spider}-stats.json"
    profiler = [] if profile_to is None else ["-m", "cProfile", "-o", str(profile_to)]
    command = [
        sys.executable,
        *profiler,
        "-m",
        "benchmarks.bare",
        base_url,
        json.dumps(SHARED_SETTINGS),
        str(stats_file),
        spider,
    ]
    cpu, rss = _measure(command, cwd=REPO)
    stats = json.loads(stats_file.read_text())
    return _run(stats, cpu=cpu, rss=rss)


def newscrawler_crawl(
    arguments: Sequence[str], db: str, workdir: Path, *, profile_to: Path | None = None
) -> Run:
    """A full-pipeline crawl through the CLI into ``db``; its stats come from the run record."""
    settings = setting_arguments(SHARED_SETTINGS)
    python = [sys.executable]
    if profile_to is not None:
        python += ["-m", "cProfile", "-o", str(profile_to)]
    command = [*python, "-m", "newscrawler.cli", "crawl", *arguments, "--db", db, *settings]
    cpu, rss = _measure(command, cwd=workdir)
    with Archive.open(db) as archive:
        stats = archive.runs(limit=1)[0]["stats"]
    return _run(stats, cpu=cpu, rss=rss)


def _run(stats: dict[str, Any], *, cpu: float, rss: float) -> Run:
    return Run(
        pages=int(stats.get("response_received_count", 0)),
        items=int(stats.get("item_scraped_count", 0)),
        elapsed=float(stats.get("elapsed_time_seconds", 0.0)),
        cpu_seconds=cpu,
        peak_rss_mb=rss,
        requests=int(stats.get("downloader/request_count", 0)),
        stats=stats,
    )


def stage_costs(profile: Path, run: Run) -> dict[str, float]:
    """Milliseconds of CPU per archived article in each stage, from a cProfile of the crawl;
    what the reactor thread spends outside them is Scrapy's, Twisted's and asyncio's."""
    table = pstats.Stats(str(profile)).stats  # type: ignore[attr-defined]
    per_item = 1000 / max(run.items, 1)
    costs = {}
    for stage, functions in STAGES.items():
        seconds = _cumulative(table, *functions)
        if seconds:
            costs[stage] = seconds * per_item
    costs[SCRAPY_STAGE] = _cumulative(table, REACTOR_RUN) * per_item - sum(costs.values())
    for stage, stat in THREAD_STAGES.items():
        costs[stage] = float(run.stats.get(stat, 0.0)) * per_item
    return costs


#: The reactor thread outside the crawler's own stages.
SCRAPY_STAGE = "Scrapy, Twisted, asyncio (the rest of the reactor thread)"


def scrapy_cost(profile: Path, run: Run) -> float:
    """Milliseconds of reactor-thread CPU per page of a bare crawl, from its cProfile."""
    table = pstats.Stats(str(profile)).stats  # type: ignore[attr-defined]
    return _cumulative(table, REACTOR_RUN) * 1000 / max(run.pages, 1)


def _cumulative(table: dict[Any, Any], *functions: tuple[str, str]) -> float:
    """The largest cumulative time of the profiled functions named (file part, name)."""
    return max(
        (
            entry[3]
            for (filename, _line, name), entry in table.items()
            for part, function in functions
            if part in filename.replace(os.sep, "/") and name == function
        ),
        default=0.0,
    )


def run(*, articles: int = 5000) -> dict[str, Any]:
    results: dict[str, Any] = {"articles": articles, "cores": os.cpu_count()}
    with tempfile.TemporaryDirectory() as tmp, served_site(articles) as base_url:
        workdir = Path(tmp)
        profile_mode = ["poslanews", "-a", f"base_url={base_url}"]

        def archive(name: str) -> str:
            return f"sqlite:///{workdir / name}.sqlite3"

        bare = bare_crawl(base_url, workdir)
        parsing = bare_crawl(base_url, workdir, spider="parsing")
        full = newscrawler_crawl(profile_mode, archive("profile"), workdir)
        recrawl = newscrawler_crawl(profile_mode, archive("profile"), workdir)
        auto = newscrawler_crawl([base_url + "/"], archive("auto"), workdir)
        profile = workdir / "crawl.prof"
        profiled = newscrawler_crawl(profile_mode, archive("profiled"), workdir, profile_to=profile)
        results["stage_ms_per_article"] = stage_costs(profile, profiled)
        bare_profile = workdir / "bare.prof"
        bare_profiled = bare_crawl(base_url, workdir, profile_to=bare_profile)
        results["bare_scrapy_ms_per_page"] = scrapy_cost(bare_profile, bare_profiled)
    results["bare"] = _figures(bare)
    for name, measured in (("parsing", parsing), ("profile_mode", full), ("auto_mode", auto)):
        results[name] = {
            **_figures(measured),
            "ratio_to_bare": round(measured.pages_per_second / bare.pages_per_second, 3),
            "ratio_to_parsing": round(measured.pages_per_second / parsing.pages_per_second, 3),
        }
    results["recrawl"] = {
        **_figures(recrawl),
        "requests_vs_first": recrawl.requests / max(full.requests, 1),
        "seconds_vs_first": recrawl.elapsed / max(full.elapsed, 1e-9),
    }
    return results


def _figures(run: Run) -> dict[str, Any]:
    return {
        "pages": run.pages,
        "items": run.items,
        "requests": run.requests,
        "seconds": round(run.elapsed, 2),
        "pages_per_second": round(run.pages_per_second, 1),
        "cpu_ms_per_page": round(1000 * run.cpu_seconds / max(run.pages, 1), 3),
        # Near 1 or above: CPU-bound; well below 1: waiting on the network or the site.
        "cores_busy": round(run.cpu_seconds / max(run.elapsed, 1e-9), 2),
        "peak_rss_mb": round(run.peak_rss_mb, 1),
    }


if __name__ == "__main__":
    print(json.dumps(run(articles=int(sys.argv[1]) if len(sys.argv) > 1 else 5000), indent=2))

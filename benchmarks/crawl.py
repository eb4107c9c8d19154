"""Crawl throughput and CPU per archived article next to bare Scrapy and the crawlers a user
would run instead, peak memory, and where the crawler's CPU time goes.

Every crawl runs in a child process against a generated site served by another child process on
127.0.0.1, with the same downloader settings. Pages/s is Scrapy's own count of responses over its
own elapsed time, so process start-up is left out of both sides alike. Every crawl runs
``rounds`` times, the rounds interleaved (each round crawls once with every side, in turn); each
side's figures are those of its round with the least CPU per page, the one the other users of the
machine disturbed least.
"""

from __future__ import annotations

import json
import os
import pstats
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.peers import BATCH_SIZE, archived, news_please_missing
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
#: Stages on threads of their own, which cProfile does not see: the CPU time each thread reports
#: (on SQLite the dedup runs on the reactor thread, where cProfile sees it).
THREAD_STAGES = {
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
    #: Articles in the crawl's archive after it; None for the baselines, which archive nothing.
    archived: int | None = None

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.elapsed if self.elapsed else 0.0

    @property
    def cpu_ms_per_page(self) -> float:
        return 1000 * self.cpu_seconds / max(self.pages, 1)


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


#: Runs ``argv[2:]`` as its child and writes the child's CPU seconds and peak RSS (KB) as JSON to
#: ``argv[1]``. Linux carries a process's RSS high-water mark across exec: a child forked by the
#: benchmark (which holds the crawler's modules) starts at the benchmark's RSS, so every crawl
#: is started from this small process instead.
_LAUNCHER = """import json, os, sys
pid = os.fork()
if pid == 0:
    os.execv(sys.argv[2], sys.argv[2:])
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as out:
    json.dump([usage.ru_utime + usage.ru_stime, usage.ru_maxrss], out)
sys.exit(os.waitstatus_to_exitcode(status))
"""


def _measure(command: Sequence[str], *, cwd: Path) -> tuple[float, float]:
    """CPU seconds and peak RSS (MB) of a child process run to its end."""
    with tempfile.TemporaryFile() as log, tempfile.TemporaryDirectory() as tmp:
        usage = Path(tmp) / "usage.json"
        launcher = [sys.executable, "-I", "-S", "-c", _LAUNCHER, str(usage)]
        # A pipe would block a child that logs much.
        child = subprocess.run(
            [*launcher, *command], cwd=cwd, stdout=subprocess.DEVNULL, stderr=log
        )
        if child.returncode != 0:
            log.seek(0)
            stderr = log.read().decode("utf-8", "replace")
            raise RuntimeError(f"{' '.join(command)} failed:\n{stderr[-3000:]}")
        cpu, rss_kb = json.loads(usage.read_text())
    return cpu, rss_kb / 1024


def bare_crawl(
    base_url: str,
    workdir: Path,
    *,
    spider: str = "bare",
    arguments: Sequence[str] = (),
    profile_to: Path | None = None,
) -> Run:
    """A baseline crawl (``benchmarks.bare``): ``bare`` parses nothing, ``parsing`` reads each
    page's title, text and links; or a peer's (``benchmarks.peers``), given its ``arguments``."""
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
        *arguments,
    ]
    cpu, rss = _measure(command, cwd=REPO)
    stats = json.loads(stats_file.read_text())
    return _run(stats, cpu=cpu, rss=rss)


def peer_crawl(base_url: str, workdir: Path, spider: str, db: Path) -> Run:
    """A peer's crawl into the SQLite file ``db``."""
    measured = bare_crawl(base_url, workdir, spider=spider, arguments=[f"db={db}"])
    measured.archived = archived(str(db))
    return measured


def newscrawler_crawl(
    arguments: Sequence[str],
    db: str,
    workdir: Path,
    *,
    profile_to: Path | None = None,
    sample_to: Path | None = None,
) -> Run:
    """A full-pipeline crawl through the CLI into ``db``; its stats come from the run record.
    ``profile_to`` runs it under cProfile, ``sample_to`` under py-spy (every thread sampled
    while it holds the GIL, written as collapsed stacks)."""
    settings = setting_arguments(SHARED_SETTINGS)
    python = [sys.executable]
    if profile_to is not None:
        python += ["-m", "cProfile", "-o", str(profile_to)]
    if sample_to is not None:
        python = [*_py_spy_command(sample_to), "--", *python]
    command = [*python, "-m", "newscrawler.cli", "crawl", *arguments, "--db", db, *settings]
    cpu, rss = _measure(command, cwd=workdir)
    with Archive.open(db) as archive:
        stats = archive.runs(limit=1)[0]["stats"]
        articles = archive.count_articles()
    measured = _run(stats, cpu=cpu, rss=rss)
    measured.archived = articles
    return measured


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


#: Where py-spy's samples are kept, for reading the stacks behind the stage table.
SAMPLES = REPO / "benchmarks" / "results"
#: Samples a second py-spy takes of each thread.
SAMPLE_RATE = 200
#: Threads of the crawl's own, by the start of their name, and the stage each one's samples are.
THREADS = {
    "PoolThread-dedup": "dedup (its thread)",
    "PoolThread-capture": "capture (its thread)",
    "PoolThread-archive-writer": "sink (writer thread)",
    "sqlite-checkpointer": "sink (checkpointer thread)",
}
#: The main thread before the reactor starts and after it stops: imports, settings, archive.
START_UP = "start-up and shut-down (main thread outside the reactor)"
OTHER_THREADS = "other threads (Twisted's resolver pool)"
_FRAME = re.compile(r"(?P<function>.*) \((?P<file>.*):\d+\)$")


def py_spy() -> str | None:
    """py-spy next to this Python (in its virtual environment) or on the PATH, else None."""
    return shutil.which("py-spy", path=str(Path(sys.executable).parent)) or shutil.which("py-spy")


def _py_spy_command(output: Path) -> list[str]:
    """py-spy sampling a child process it starts, every thread while it holds the GIL."""
    executable = py_spy()
    if executable is None:
        raise RuntimeError("py-spy is not installed")
    rate = str(SAMPLE_RATE)
    return [executable, "record", "--gil", "--threads", "-r", rate, "-f", "raw", "-o", str(output)]


def sampled_stage_costs(samples: Path, run: Run) -> dict[str, float]:
    """Milliseconds per archived article in each stage, on every thread, from py-spy's samples
    of the crawl (collapsed stacks, each with its count)."""
    counts: Counter[str] = Counter()
    for line in samples.read_text(encoding="utf-8").splitlines():
        stack, _, count = line.rpartition(" ")
        counts[_sampled_stage(stack.split(";"))] += int(count)
    per_item = 1000 / SAMPLE_RATE / max(run.archived or run.items, 1)
    order = [*STAGES, SCRAPY_STAGE, *THREADS.values(), OTHER_THREADS, START_UP]
    return {stage: counts[stage] * per_item for stage in order if counts[stage]}


def _sampled_stage(frames: list[str]) -> str:
    """The stage of one sampled stack: its thread's, else the innermost stage function's."""
    thread = frames[0]
    for prefix, stage in THREADS.items():
        if f": {prefix}" in thread:
            return stage
    if ": " in thread and not thread.endswith(": MainThread"):
        return OTHER_THREADS
    parsed = [(m["file"], m["function"]) for m in map(_FRAME.match, frames[1:]) if m]
    for frame in reversed(parsed):
        for stage, functions in STAGES.items():
            if any(_is(frame, function) for function in functions):
                return stage
    if any(_is(frame, REACTOR_RUN) for frame in parsed):
        return SCRAPY_STAGE
    return START_UP


def _is(frame: tuple[str, str], function: tuple[str, str]) -> bool:
    """Whether a sampled (file, qualified name) frame is the (file part, name) function."""
    (file, qualified), (part, name) = frame, function
    return part in file and (qualified == name or qualified.endswith(f".{name}"))


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


#: The crawls of a round, in their order: the baselines, the peers, then newscrawler's modes.
BASELINES = ("bare", "parsing")
PEERS = ("trafilatura", "newsplease")


def run(*, articles: int = 5000, rounds: int = 2) -> dict[str, Any]:
    results: dict[str, Any] = {
        "articles": articles,
        "cores": os.cpu_count(),
        "rounds": rounds,
        "peer_batch": BATCH_SIZE,
        "sample_rate": SAMPLE_RATE,
    }
    missing = news_please_missing()
    peers = [peer for peer in PEERS if peer != "newsplease" or missing is None]
    if missing:
        results["newsplease_skipped"] = missing
    with tempfile.TemporaryDirectory() as tmp, served_site(articles) as base_url:
        workdir = Path(tmp)
        modes = {
            "profile_mode": ["poslanews", "-a", f"base_url={base_url}"],
            "auto_mode": [base_url + "/"],
        }

        def archive(name: str) -> str:
            return f"sqlite:///{workdir / name}.sqlite3"

        def crawl(name: str, round_: int) -> Run:
            if name in BASELINES:
                return bare_crawl(base_url, workdir, spider=name)
            if name in PEERS:
                return peer_crawl(base_url, workdir, name, workdir / f"{name}-{round_}.sqlite3")
            return newscrawler_crawl(modes[name], archive(f"{name}-{round_}"), workdir)

        measured: dict[str, list[Run]] = {name: [] for name in (*BASELINES, *peers, *modes)}
        for round_ in range(rounds):
            for name, runs in measured.items():
                runs.append(crawl(name, round_))
        best = {name: min(runs, key=lambda r: r.cpu_ms_per_page) for name, runs in measured.items()}
        recrawl = newscrawler_crawl(modes["profile_mode"], archive("profile_mode-0"), workdir)
        results.update(_profiles(base_url, workdir, modes, archive))
    bare, parsing = best["bare"], best["parsing"]
    trafilatura = best["trafilatura"]
    for name, chosen in best.items():
        results[name] = {
            **_figures(chosen),
            "ratio_to_bare": round(chosen.pages_per_second / bare.pages_per_second, 3),
            "ratio_to_parsing": round(chosen.pages_per_second / parsing.pages_per_second, 3),
        }
        if chosen.archived is not None:
            results[name]["cpu_vs_trafilatura"] = round(
                _cpu_per_article(chosen) / _cpu_per_article(trafilatura), 3
            )
            if "newsplease" in best:
                results[name]["cpu_vs_newsplease"] = round(
                    _cpu_per_article(chosen) / _cpu_per_article(best["newsplease"]), 3
                )
    results["recrawl"] = {
        **_figures(recrawl),
        "requests_vs_first": recrawl.requests / max(best["profile_mode"].requests, 1),
        "seconds_vs_first": recrawl.elapsed / max(best["profile_mode"].elapsed, 1e-9),
    }
    return results


def _profiles(
    base_url: str, workdir: Path, modes: dict[str, list[str]], archive: Callable[[str], str]
) -> dict[str, Any]:
    """Where the time goes: py-spy's samples of every thread of a crawl in each mode where
    py-spy is installed, else cProfile of a profile-mode crawl's reactor thread."""
    if py_spy():
        SAMPLES.mkdir(parents=True, exist_ok=True)
        sampled: dict[str, dict[str, float]] = {}
        for mode, arguments in modes.items():
            samples = SAMPLES / f"{mode}.samples"
            crawl = newscrawler_crawl(
                arguments, archive(f"sampled-{mode}"), workdir, sample_to=samples
            )
            sampled[mode] = sampled_stage_costs(samples, crawl)
        return {"sampled_stage_ms_per_article": sampled}
    profile = workdir / "crawl.prof"
    profiled = newscrawler_crawl(
        modes["profile_mode"], archive("profiled"), workdir, profile_to=profile
    )
    bare_profile = workdir / "bare.prof"
    bare_profiled = bare_crawl(base_url, workdir, profile_to=bare_profile)
    return {
        "stage_ms_per_article": stage_costs(profile, profiled),
        "bare_scrapy_ms_per_page": scrapy_cost(bare_profile, bare_profiled),
    }


def _cpu_per_article(run: Run) -> float:
    return 1000 * run.cpu_seconds / max(run.archived or 0, 1)


def _figures(run: Run) -> dict[str, Any]:
    return {
        "pages": run.pages,
        "items": run.items,
        "requests": run.requests,
        "seconds": round(run.elapsed, 2),
        "pages_per_second": round(run.pages_per_second, 1),
        "cpu_ms_per_page": round(run.cpu_ms_per_page, 3),
        "archived": run.archived,
        "cpu_ms_per_article": None if run.archived is None else round(_cpu_per_article(run), 3),
        # Near 1 or above: CPU-bound; well below 1: waiting on the network or the site.
        "cores_busy": round(run.cpu_seconds / max(run.elapsed, 1e-9), 2),
        "peak_rss_mb": round(run.peak_rss_mb, 1),
    }


if __name__ == "__main__":
    print(json.dumps(run(articles=int(sys.argv[1]) if len(sys.argv) > 1 else 5000, rounds=1)))

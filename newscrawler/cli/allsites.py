"""``newscrawler crawl --all``: every enabled site, each in its own process and its own run.

A Scrapy process runs its reactor once, so each site is crawled by a child
``newscrawler crawl SITE`` with the same options: each takes its own site lock and resumable
frontier and is recorded as its own run. ``--jobs N`` runs up to N at once (default 1: one
after another). Child output is passed through line by line, prefixed with ``[site]``: a
child's summary to stdout, its log to stderr, as a single site's crawl writes them.

SIGTERM or Ctrl-C stops starting new sites and passes SIGTERM to the running ones, which stop
cleanly. The exit code is the most serious of the children's, in the order CONFIG, FAILED,
UNHEALTHY, INTERRUPTED, ALREADY_RUNNING, OK.
"""

from __future__ import annotations

import argparse
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from types import FrameType
from typing import IO

from scrapy.settings import Settings
from scrapy.spiderloader import SpiderLoader

from newscrawler.config import Config
from newscrawler.exitcodes import ExitCode
from newscrawler.profiles import list_profiles

#: Most serious first.
SEVERITY = (
    ExitCode.CONFIG,
    ExitCode.FAILED,
    ExitCode.UNHEALTHY,
    ExitCode.INTERRUPTED,
    ExitCode.ALREADY_RUNNING,
    ExitCode.OK,
)
#: Spiders that are not sites: never part of ``--all``.
NOT_SITES = ("scrape", "auto", "profile")


def enabled_sites(settings: Settings, config: Config) -> list[str]:
    """``NEWSCRAWLER_ALL_SITES`` when set, else every enabled profile (the configuration
    file's ``enabled`` over the profile's), else every site spider."""
    chosen = settings.getlist("NEWSCRAWLER_ALL_SITES")
    if chosen:
        return chosen
    profiles = [
        profile.name
        for profile in list_profiles()
        if profile.hosts and _enabled(config.site(profile.name).enabled, profile.enabled)
    ]
    if profiles:
        return profiles
    spiders = SpiderLoader.from_settings(settings).list()
    return sorted(name for name in spiders if name not in NOT_SITES)


def _enabled(configured: bool | None, profiled: bool) -> bool:
    return profiled if configured is None else configured


def child_arguments(args: argparse.Namespace) -> list[str]:
    """The options of ``crawl --all`` that each site's crawl gets too."""
    forwarded = [] if args.db is None else ["--db", args.db]
    if args.config:
        forwarded += ["--config", args.config]
    for assignment in args.settings:
        forwarded += ["-s", assignment]
    if args.log_level:
        forwarded += ["--log-level", args.log_level]
    if args.since:
        forwarded += ["--since", args.since]
    return forwarded


def worst(codes: Sequence[ExitCode]) -> ExitCode:
    return min(codes, key=SEVERITY.index, default=ExitCode.OK)


class AllSitesRun:
    """Children ``newscrawler crawl SITE``, at most ``jobs`` at a time."""

    def __init__(
        self,
        sites: Sequence[str],
        options: Sequence[str],
        *,
        jobs: int,
        out: IO[str],
        err: IO[str] = sys.stderr,
    ) -> None:
        self.waiting = list(sites)
        self.options = list(options)
        self.jobs = max(1, jobs)
        self.out = out
        self.err = err
        self.running: dict[str, subprocess.Popen[str]] = {}
        self.pumps: dict[str, list[threading.Thread]] = {}
        self.codes: dict[str, ExitCode] = {}
        self.stopping = False
        self._write_lock = threading.Lock()

    def run(self) -> ExitCode:
        previous = {sig: signal.signal(sig, self._stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        try:
            while self.waiting or self.running:
                while self.waiting and len(self.running) < self.jobs and not self.stopping:
                    self._start(self.waiting.pop(0))
                self._reap()
                time.sleep(0.1)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        self._report()
        return worst(list(self.codes.values()))

    def _start(self, site: str) -> None:
        command = [sys.executable, "-m", "newscrawler.cli", "crawl", site, *self.options]
        child = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            bufsize=1,
            start_new_session=True,
        )
        assert child.stdout is not None and child.stderr is not None
        self.running[site] = child
        self.pumps[site] = [
            threading.Thread(target=self._pump, args=(site, source, sink), daemon=True)
            for source, sink in ((child.stdout, self.out), (child.stderr, self.err))
        ]
        for pump in self.pumps[site]:
            pump.start()

    def _pump(self, site: str, source: IO[str], sink: IO[str]) -> None:
        for line in source:
            with self._write_lock:
                sink.write(f"[{site}] {line}")
                sink.flush()

    def _reap(self) -> None:
        for site, child in list(self.running.items()):
            returncode = child.poll()
            if returncode is None:
                continue
            del self.running[site]
            for pump in self.pumps.pop(site):
                pump.join(timeout=10)
            self.codes[site] = _exit_code(returncode)

    def _stop(self, signum: int, _frame: FrameType | None) -> None:
        """Start nothing more; ask the running crawls to stop cleanly."""
        self.stopping = True
        for site in self.waiting:
            self.codes[site] = ExitCode.INTERRUPTED
        self.waiting.clear()
        for child in self.running.values():
            child.send_signal(signal.SIGTERM)

    def _report(self) -> None:
        with self._write_lock:
            print("crawl --all:", file=self.out)
            for site, code in self.codes.items():
                print(f"  {site}: {code.name.lower()} ({int(code)})", file=self.out)


def _exit_code(returncode: int) -> ExitCode:
    try:
        return ExitCode(returncode)
    except ValueError:
        return ExitCode.FAILED

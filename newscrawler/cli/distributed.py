"""``newscrawler crawl SITE --redis URL --workers N``: one site's crawl spread over worker
processes on one machine or several, with scrapy-redis as the shared frontier.

The run's lead takes the site's lock (on PostgreSQL an advisory lock on the archive's server,
so no other crawl of the site starts on any host), clears the site's frontier and duplicate
filter in Redis, records itself as the run to join, and starts N workers. Each worker is a
crawl with scrapy-redis's scheduler and duplicate filter under the site's keys: a request one
worker queued is fetched by whichever is free, once. ``crawl SITE --redis URL --join`` on
another machine starts more workers for the running run. Every worker runs the same pipelines
and middlewares into the same archive, so skipping archived articles, conditional GETs and
the listing stop work across workers, and the archive writes each article once.

A worker killed mid-crawl loses the requests it had taken; the next run starts from the start
pages again and, as every crawl, fetches only what is not archived yet.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
from collections.abc import Callable, Sequence
from typing import IO, Any

from scrapy.settings import Settings

from newscrawler.cli.allsites import child_arguments, worst
from newscrawler.exitcodes import ExitCode
from newscrawler.incremental.jobs import crawl_exclusively
from newscrawler.locking import scope_name

#: The Redis keys of one site's distributed crawl: ``newscrawler:<site>:<part>``.
KEY_PREFIX = "newscrawler"


def add_distributed_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--redis",
        metavar="URL",
        help="spread the site's crawl over workers sharing a scrapy-redis frontier at URL "
        "(redis://host:6379/0)",
    )
    parser.add_argument(
        "--workers", type=int, default=1, help="with --redis: worker processes to start here"
    )
    parser.add_argument(
        "--join",
        action="store_true",
        help="with --redis: be one more worker of the site's running distributed crawl",
    )


def keys(site: str) -> dict[str, str]:
    base = f"{KEY_PREFIX}:{scope_name(site)}"
    return {
        "base": base,
        "requests": f"{base}:requests",
        "seen": f"{base}:dupefilter",
        "lead": f"{base}:lead",
    }


def worker_settings(settings: Settings, site: str, redis_url: str) -> None:
    """A worker's crawl: scrapy-redis's scheduler and duplicate filter under the site's keys,
    and no job directory of its own (the frontier is in Redis)."""
    names = keys(site)
    for name, value in {
        "SCHEDULER": "scrapy_redis.scheduler.Scheduler",
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        "REDIS_URL": redis_url,
        "SCHEDULER_PERSIST": True,
        "SCHEDULER_FLUSH_ON_START": False,
        "SCHEDULER_QUEUE_KEY": names["requests"],
        "SCHEDULER_DUPEFILTER_KEY": names["seen"],
        "NEWSCRAWLER_RESUME": False,
        "NEWSCRAWLER_WORKERS_KEY": names["base"],
    }.items():
        settings.set(name, value, priority="cmdline")


def lead(args: argparse.Namespace, settings: Settings, *, err: IO[str] = sys.stderr) -> ExitCode:
    """Hold the site's lock, make a fresh frontier and run ``--workers`` workers to the end."""
    client = _client(args.redis, err)
    if client is None:
        return ExitCode.CONFIG
    names = keys(args.site)

    def run(_settings: Settings) -> ExitCode:
        client.delete(names["requests"], names["seen"])
        client.set(names["lead"], f"{socket.gethostname()}:{os.getpid()}")
        try:
            workers = [_start_worker(args) for _ in range(max(1, args.workers))]
            return run_outcome([_exit_code(worker.wait()) for worker in workers])
        finally:
            client.delete(names["lead"])

    return crawl_exclusively(settings, args.site, run, err=err)


def join(
    args: argparse.Namespace,
    settings: Settings,
    crawl: Callable[[Settings], ExitCode],
    *,
    err: IO[str] = sys.stderr,
) -> ExitCode:
    """One worker of the site's running distributed crawl; without a lead, nothing to join."""
    client = _client(args.redis, err)
    if client is None:
        return ExitCode.CONFIG
    if client.get(keys(args.site)["lead"]) is None:
        print(
            f"newscrawler: no distributed crawl of {args.site} is running at {args.redis} "
            "to join; start one with --workers",
            file=err,
        )
        return ExitCode.CONFIG
    worker_settings(settings, args.site, args.redis)
    return crawl(settings)


def _client(url: str, err: IO[str]) -> Any:
    """A Redis client, or None (said on ``err``) without the ``redis`` extra installed."""
    try:
        import redis
    except ImportError:
        print("newscrawler: --redis needs scrapy-redis: pip install 'newscrawler[redis]'", file=err)
        return None
    return redis.Redis.from_url(url)


def _start_worker(args: argparse.Namespace) -> subprocess.Popen[bytes]:
    options = [*child_arguments(args), *(arg for a in args.spider_args for arg in ("-a", a))]
    if args.ids:
        options += ["--ids", args.ids]
    command = [sys.executable, "-m", "newscrawler.cli", "crawl", args.site]
    return subprocess.Popen([*command, "--redis", args.redis, "--join", *options])


def run_outcome(codes: Sequence[ExitCode]) -> ExitCode:
    """The distributed run's exit code: the most serious of its workers', but unhealthy only
    when every worker is (a worker the others left nothing to fetch judges itself broken)."""
    healthy = [ExitCode.OK if code == ExitCode.UNHEALTHY else code for code in codes]
    return ExitCode.UNHEALTHY if set(codes) == {ExitCode.UNHEALTHY} else worst(healthy)


def _exit_code(returncode: int) -> ExitCode:
    """A worker's exit code; one killed by a signal failed."""
    known: Sequence[int] = list(ExitCode)
    return ExitCode(returncode) if returncode in known else ExitCode.FAILED

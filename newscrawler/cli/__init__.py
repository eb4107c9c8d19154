"""The ``newscrawler`` command: crawl, scrape, export, search, runs, demo, db, reprocess and
import-warc."""

from __future__ import annotations

import argparse
import csv
import gc
import json
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from importlib.metadata import PackageNotFoundError, version
from itertools import islice
from pathlib import Path
from typing import IO, Any, NoReturn
from urllib.parse import urlsplit
from urllib.request import url2pathname

from scrapy.crawler import Crawler, CrawlerProcess
from scrapy.settings import Settings
from scrapy.spiderloader import SpiderLoader
from twisted.python.failure import Failure

from newscrawler.cli.allsites import AllSitesRun, child_arguments, enabled_sites, worst
from newscrawler.cli.clusters import add_rebuild_options, rebuild
from newscrawler.cli.common import (
    CRAWL_EXIT_CODES,
    CommandLineError,
    add_command,
    add_settings_option,
    default_settings,
)
from newscrawler.cli.common import add_db_option as _add_db_option
from newscrawler.cli.common import archive_url as _archive_url
from newscrawler.cli.common import iso_datetime as _iso_datetime
from newscrawler.cli.common import json_default as _json_default
from newscrawler.cli.distributed import add_distributed_options, join, lead
from newscrawler.cli.memory import limit_malloc_arenas
from newscrawler.cli.reprocess import (
    add_reprocess_parser,
    reprocess_arguments,
    stored_page_settings,
)
from newscrawler.cli.search import add_search_command
from newscrawler.cli.showconfig import add_config_command
from newscrawler.cli.summary import discovery_summary
from newscrawler.cli.targets import CrawlTargetError, crawl_target
from newscrawler.cli.warc import add_import_warc_parser, import_arguments, write_warc
from newscrawler.config import (
    ConfigError,
    apply_config,
    find_config,
)
from newscrawler.exitcodes import ExitCode
from newscrawler.health import outcome_exit_code
from newscrawler.incremental.jobs import crawl_exclusively
from newscrawler.incremental.since import Since
from newscrawler.profiles import Profile, ProfileError, find_profile, scan_profiles
from newscrawler.spidermiddlewares.dryrun import DRY_RUN_STAT
from newscrawler.stats import (
    RUN_RECORDED_STAT,
    recorded_stats,
    run_counts,
)
from newscrawler.text import search_form
from storage.archive import SEARCH_COLUMNS, Archive, SchemaOutdatedError, now_utc, upgrade
from storage.engine import ArchiveUnavailableError
from storage.models import Article
from storage.packs import PackMissingError

#: What ``export`` writes of an article: every column of ``articles`` but the fetch validators.
EXPORT_COLUMNS = tuple(
    column.name
    for column in Article.__table__.columns
    if column.name not in ("etag", "last_modified", *SEARCH_COLUMNS)
)
#: Where ``demo`` archives its sample articles, and under which site name, unless told.
DEMO_ARCHIVE = "sqlite:///demo.sqlite3"
DEMO_SITE = "demo"
#: An article line of the change feed: the kind of change, then the article.
CHANGE_COLUMNS = ("change", *EXPORT_COLUMNS)


LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


class Parser(argparse.ArgumentParser):
    """Bad arguments are said in one line, with where to read more, and exit with code 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(int(ExitCode.CONFIG), f"newscrawler: {message} (see `{self.prog} --help`)\n")


def main(argv: Sequence[str] | None = None) -> None:
    limit_malloc_arenas()
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code = args.handler(args)
    except (
        CommandLineError,
        ConfigError,
        ArchiveUnavailableError,
        SchemaOutdatedError,
        PackMissingError,
    ) as error:
        print(f"newscrawler: {error}", file=sys.stderr)
        code = ExitCode.CONFIG
    sys.exit(int(code))


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="newscrawler",
        description="Crawl and archive ISPR-style news in Urdu and English.",
        epilog=CRAWL_EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"newscrawler {_version()}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    crawl = add_command(
        commands,
        "crawl",
        "crawl a site into the archive",
        "Crawl one site (or every enabled one) into the archive: only what is new, changed or "
        "due for a re-check once the archive has seen the site. One crawl of a site at a time "
        "(a second start exits 4); a stopped crawl resumes where it stopped.",
    )
    crawl.add_argument(
        "site",
        nargs="?",
        help="a profile name (see `newscrawler sites`), a profile file (PATH.toml), a spider "
        "name, or a site's URL (https://site/: auto mode, for sites with no profile)",
    )
    crawl.add_argument(
        "--ids",
        metavar="RANGE",
        help="enumerate numbered pages instead of discovering: START-STOP, START- (until "
        "misses in a row) or next (after the newest archived id)",
    )
    crawl.add_argument(
        "--wayback",
        action="store_true",
        help="ispr: backfill from the Wayback Machine (captures since --since, if given)",
    )
    crawl.add_argument("--all", action="store_true", help="crawl every enabled site")
    crawl.add_argument(
        "--jobs", type=int, help="with --all only: sites crawled at once (default 1)"
    )
    crawl.add_argument(
        "--since",
        type=_since,
        metavar="DATE",
        help="only articles whose publication date is on or after DATE (ISO date); articles "
        "without one are kept",
    )
    crawl.add_argument(
        "--dry-run",
        action="store_true",
        help="discovery only: list the article pages a crawl would fetch now, one URL a line; "
        "fetch and archive none of them, record no run",
    )
    crawl.add_argument(
        "-a",
        dest="spider_args",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="spider argument (repeatable), e.g. -a base_url=https://mirror.example",
    )
    add_distributed_options(crawl)
    _add_crawl_options(crawl)
    crawl.set_defaults(handler=cmd_crawl)

    scrape = add_command(
        commands,
        "scrape",
        "fetch exactly these pages into the archive",
        "Fetch the given pages, and nothing else, through the crawl's pipelines into the "
        "archive, beside any running crawl. Each page is read with the profile of its host, "
        "else in auto mode; --profile names the site of pages served elsewhere (a mirror).",
    )
    scrape.add_argument("urls", nargs="+", metavar="URL")
    scrape.add_argument(
        "--url",
        dest="page_url",
        help="with a saved page (file:///path/page.html): the URL it was saved from",
    )
    scrape.add_argument(
        "--profile",
        metavar="NAME|PATH.toml",
        help="read every page with this profile and archive it under its site",
    )
    _add_crawl_options(scrape)
    scrape.set_defaults(handler=cmd_scrape)

    export = add_command(
        commands,
        "export",
        "stream archived articles",
        "Print archived articles as JSON lines or CSV, oldest archived first; or, with "
        "--after, the change feed.",
        reading=True,
    )
    _add_db_option(export)
    export.add_argument(
        "--format",
        choices=("jsonl", "csv", "warc"),
        default="jsonl",
        help="warc: the stored pages of the articles, every version, as gzipped WARC/1.1",
    )
    export.add_argument(
        "--since",
        type=_iso_datetime,
        metavar="DATE",
        help="only articles archived or changed at or after DATE (their changed_at; not the "
        "publication date)",
    )
    export.add_argument(
        "--until",
        type=_iso_datetime,
        metavar="DATE",
        help="only articles archived or changed before DATE (their changed_at)",
    )
    export.add_argument("--site", help="only this site's articles")
    export.add_argument("--language", help="only articles in this language (ur, en)")
    export.add_argument("--limit", type=int, metavar="N", help="at most N articles")
    export.add_argument(
        "--fields",
        type=_field_list,
        metavar="A,B,...",
        help=f"only these columns, in this order (of: {', '.join(EXPORT_COLUMNS)}, siblings)",
    )
    export.add_argument("-o", "--output", type=Path, help="file to write instead of stdout")
    export.add_argument(
        "--siblings",
        action="store_true",
        help="add each article's siblings: the other archived copies of its story",
    )
    export.add_argument(
        "--after",
        type=int,
        metavar="SEQ",
        help="the change feed: articles inserted or changed and removals after the change "
        "cursor SEQ, in commit order, each line with its change_seq (0: from the start)",
    )
    export.add_argument(
        "--follow",
        action="store_true",
        help="with the change feed: keep polling and printing new changes until interrupted",
    )
    export.add_argument(
        "--interval", type=float, default=2.0, help="seconds between polls of --follow"
    )
    export.set_defaults(handler=cmd_export)

    stories = add_command(
        commands,
        "clusters",
        "stories: the copies of each release",
        "List stories (the archived copies of one release across sites), newest first.",
        reading=True,
    )
    _add_db_option(stories)
    stories.add_argument(
        "--since",
        type=_iso_datetime,
        metavar="DATE",
        help="only stories with a copy published or archived at or after DATE (the story's "
        "latest copy, not its first publication)",
    )
    stories.add_argument("--min-members", type=int, default=1, help="only stories this carried")
    stories.add_argument("--limit", type=int, help="at most this many stories, newest first")
    stories.add_argument("--json", action="store_true", help="one JSON object per story")
    add_rebuild_options(stories)
    stories.set_defaults(handler=cmd_clusters)

    runs = add_command(
        commands,
        "runs",
        "recent crawl runs with their stats",
        "List recent crawl runs, newest first, with their counts and health verdicts.",
        reading=True,
    )
    _add_db_option(runs)
    runs.add_argument("--site", help="only this site's runs")
    runs.add_argument("--limit", type=int, default=20, help="at most this many (default 20)")
    runs.add_argument("--json", action="store_true", help="one JSON object per run")
    runs.set_defaults(handler=cmd_runs)

    demo = add_command(
        commands,
        "demo",
        "crawl a bundled sample site served on 127.0.0.1",
        "Serve a generated ISPR-like site on 127.0.0.1, crawl it into an archive of its own "
        "and print what was archived: no network needed.",
    )
    _add_crawl_options(demo)
    demo.add_argument("--articles", type=int, default=24, help="size of the sample site")
    demo.add_argument(
        "--site",
        default=DEMO_SITE,
        help=f"the site name its articles are archived under (default {DEMO_SITE}); the "
        f"archive is {DEMO_ARCHIVE} unless --db or -s ARCHIVE_URL=... names another",
    )
    demo.set_defaults(handler=cmd_demo)

    sites = add_command(
        commands,
        "sites",
        "the sites the crawler has profiles for",
        "List the profiles (the user's profiles folder, then the built-ins); a profile file "
        "that cannot be read is named on stderr and makes the exit code 2.",
        reading=True,
    )
    sites.set_defaults(handler=cmd_sites)

    add_search_command(commands)

    reprocess = add_reprocess_parser(commands)
    _add_crawl_options(reprocess)
    reprocess.set_defaults(handler=cmd_reprocess)

    import_warc = add_import_warc_parser(commands)
    _add_crawl_options(import_warc)
    import_warc.set_defaults(handler=cmd_import_warc)

    add_config_command(add_command(
        commands,
        "config",
        "the effective settings and where each came from",
        "Print every setting as the crawl would use it, with its source: command line, "
        "environment, configuration file or default; then the file's per-site settings.",
        reading=True,
    ), project_settings)  # fmt: skip

    db = add_command(commands, "db", "archive database maintenance", "Archive maintenance.")
    db_commands = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    db_upgrade = add_command(
        db_commands,
        "upgrade",
        "apply schema migrations",
        "Bring the archive's schema up to this version of newscrawler (makes a new archive).",
        reading=True,
    )
    _add_db_option(db_upgrade)
    db_upgrade.set_defaults(handler=cmd_db_upgrade)
    db_compact = add_command(
        db_commands,
        "compact-pages",
        "give back the disk of pruned pages",
        "Copy the live pages of pack files mostly taken by pruned pages (and by writes that "
        "failed) into the newest pack, and delete them. SQLite archive files only: PostgreSQL "
        "and older pages keep their bytes in the captures table. Safe beside a running crawl.",
    )
    _add_db_option(db_compact)
    db_compact.set_defaults(handler=cmd_db_compact_pages)
    return parser


def _version() -> str:
    try:
        return version("newscrawler")
    except PackageNotFoundError:
        return "unknown (not installed)"


def _add_crawl_options(parser: argparse.ArgumentParser) -> None:
    _add_db_option(parser)
    add_settings_option(parser)
    parser.add_argument(
        "--log-level",
        type=_log_level,
        help="DEBUG, INFO (default), WARNING, ERROR or CRITICAL; at WARNING a successful run "
        "prints only its summary",
    )


# -- settings ---------------------------------------------------------------------------------


def project_settings(args: argparse.Namespace | None = None) -> Settings:
    """The project's settings (``$SCRAPY_SETTINGS_MODULE``, else newscrawler/settings.py with
    its environment variables), then the configuration file's, then ``-s`` overrides, ``--db``
    and ``--log-level``."""
    settings = default_settings()
    if args is None:
        return settings
    apply_config(settings, find_config(getattr(args, "config", None)))
    for name, value in _assignments(getattr(args, "settings", []), option="-s").items():
        settings.set(name, value, priority="cmdline")
    if getattr(args, "db", None):
        settings.set("ARCHIVE_URL", args.db, priority="cmdline")
    if getattr(args, "log_level", None):
        settings.set("LOG_LEVEL", args.log_level.upper(), priority="cmdline")
    return settings


def _assignments(pairs: Iterable[str], *, option: str) -> dict[str, str]:
    values = {}
    for assignment in pairs:
        name, sep, value = assignment.partition("=")
        if not sep:
            raise CommandLineError(f"{option} expects NAME=VALUE, got {assignment!r}")
        values[name.strip()] = value
    return values


# -- running crawls ---------------------------------------------------------------------------


def run_crawl(
    settings: Settings,
    spider_name: str,
    spider_args: Mapping[str, Any] | None = None,
    *,
    out: IO[str] = sys.stdout,
) -> ExitCode:
    """Run one spider, found by its name in ``SPIDER_MODULES``, to the end, print its summary
    and say how it ended."""
    started = time.monotonic()
    crawler, stats = execute_crawl(settings, spider_name, spider_args)
    if "newscrawler/run_id" in stats and not stats.get(RUN_RECORDED_STAT):
        record_forced_stop(settings, stats)
    print_summary(crawler, stats, elapsed=time.monotonic() - started, out=out)
    return outcome_exit_code(stats)


def execute_crawl(
    settings: Settings, spider_name: str, spider_args: Mapping[str, Any] | None = None
) -> tuple[Crawler, dict[str, Any]]:
    """The crawl of one spider, run to its end, and its stats."""
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(spider_name)
    process.crawl(crawler, **(spider_args or {})).addErrback(report_crawl_failure)
    # Modules, profiles and settings live as long as the process: out of the collector's
    # sight, its full collections walk only what the crawl itself allocates.
    gc.freeze()
    process.start()
    return crawler, crawler.stats.get_stats() if crawler.stats else {}


def dry_run(settings: Settings, spider_name: str, spider_args: Mapping[str, Any]) -> ExitCode:
    """``crawl --dry-run``: the article pages a crawl would fetch now, one URL a line on
    stdout, then a count on stderr. Read-only: no lock, no frontier, no run record; an archive
    that does not exist yet is not made (every article is then new)."""
    settings.set("NEWSCRAWLER_DRY_RUN", True, priority="cmdline")
    try:
        check_archive(settings, create=False)
    except ArchiveUnavailableError:
        settings.set("ARCHIVE_URL", "", priority="cmdline")  # none yet: every article is new
    _, stats = execute_crawl(settings, spider_name, spider_args)
    urls = stats.get(DRY_RUN_STAT, [])
    for url in urls:
        print(url)
    reason = stats.get("finish_reason")
    print(f"newscrawler: a crawl would fetch {len(urls)} article pages ({reason})", file=sys.stderr)
    if reason == "shutdown":
        return ExitCode.INTERRUPTED
    return ExitCode.OK if reason == "finished" else ExitCode.FAILED


def report_crawl_failure(failure: Failure) -> None:
    """Say why a crawl that could not open (its archive's disk full, say) ended: Scrapy leaves
    the error in a Deferred that nothing reads."""
    print(f"newscrawler: the crawl failed: {failure.getErrorMessage()}", file=sys.stderr)


def record_forced_stop(settings: Settings, stats: dict[str, Any]) -> None:
    """A second Ctrl-C or SIGTERM stopped the reactor before the crawl could close: the run is
    recorded as interrupted from here. What the pipelines had not written yet is not archived;
    the next run fetches it."""
    stats.setdefault("finish_reason", "shutdown")
    stats["newscrawler/outcome"] = "interrupted"
    with Archive.open(str(settings.get("ARCHIVE_URL"))) as archive:
        archive.finish_run(
            stats["newscrawler/run_id"],
            outcome="interrupted",
            finished_at=now_utc(),
            stats=recorded_stats(stats),
            **run_counts(stats),
        )


def print_summary(crawler: Crawler, stats: dict[str, Any], *, elapsed: float, out: IO[str]) -> None:
    counts = run_counts(stats)
    spider = crawler.spider.name if crawler.spider else crawler.spidercls.name
    print(
        f"{spider}: {stats.get('newscrawler/outcome', 'failed')} "
        f"({stats.get('finish_reason', 'unknown')}) in {elapsed:.1f}s — "
        f"pages {counts['pages_fetched']}, new {counts['items_new']}, "
        f"changed {counts['items_changed']}, "
        f"unchanged {counts['items_archived'] - counts['items_new'] - counts['items_changed']}, "
        f"dropped {counts['items_dropped']}, errors {counts['errors']}",
        file=out,
    )
    for reason, count in sorted(counts["dropped_by_reason"].items()):
        print(f"  dropped ({reason}): {count}", file=out)
    for line in discovery_summary(stats):
        print(f"  {line}", file=out)
    lost = stats.get("newscrawler/archive/lost")
    if lost:
        print(f"  NOT ARCHIVED (write failures, see log): {lost}", file=out)
    print_incremental_summary(stats, out=out)


def cmd_crawl(args: argparse.Namespace) -> ExitCode:
    if args.all == bool(args.site):
        raise CommandLineError("crawl takes a SITE or --all")
    if args.jobs is not None and not args.all:
        raise CommandLineError("--jobs goes with --all (sites crawled at once)")
    if args.dry_run and (args.all or args.wayback):
        raise CommandLineError("--dry-run lists one site's pages: give a SITE, not --all")
    if ((args.join or args.workers != 1) and not args.redis) or (args.redis and args.all):
        raise CommandLineError("--workers and --join go with --redis, and --redis with a SITE")
    settings = project_settings(args)
    if args.all:
        check_archive(settings)  # made once here, not by each site's crawl at the same time
        sites = enabled_sites(settings, find_config(args.config))
        code = AllSitesRun(sites, child_arguments(args), jobs=args.jobs or 1, out=sys.stdout).run()
        return with_broken_profiles(code, scan_profiles()[1])
    try:
        spider_name, spider_args = crawl_target(
            args.site,
            SpiderLoader.from_settings(settings).list(),
            ids=args.ids,
            wayback=args.wayback,
            archive_url=str(settings.get("ARCHIVE_URL")),
        )
    except CrawlTargetError as error:
        print(f"newscrawler: {error}", file=sys.stderr)
        return ExitCode.CONFIG
    spider_args.update(_assignments(args.spider_args, option="-a"))
    profile = spider_args.get("profile")
    site = profile.name if isinstance(profile, Profile) else args.site
    apply_config(settings, find_config(args.config), site=site)
    if args.since:
        settings.set("NEWSCRAWLER_SINCE", args.since, priority="cmdline")
        spider_args.setdefault("since", args.since)
    if args.dry_run:
        return dry_run(settings, spider_name, spider_args)
    if args.redis and args.join:
        return join(args, settings, lambda s: checked_crawl(s, spider_name, spider_args))
    if args.redis:
        return lead(args, settings)
    return crawl_exclusively(
        settings, args.site, lambda s: checked_crawl(s, spider_name, spider_args), err=sys.stderr
    )


def checked_crawl(settings: Settings, spider_name: str, spider_args: Mapping[str, Any]) -> ExitCode:
    """The crawl of a site whose lock is held: a second start exits at once without touching
    the archive, so the archive is checked only now."""
    check_archive(settings)
    return run_crawl(settings, spider_name, spider_args)


def cmd_sites(args: argparse.Namespace) -> ExitCode:
    profiles, broken = scan_profiles()
    print(f"{'name':<16} {'enabled':<8} {'hosts':<40} source")
    for profile in profiles:
        hosts = ", ".join(profile.hosts) or "(template)"
        enabled = "yes" if profile.enabled else "no"
        print(f"{profile.name:<16} {enabled:<8} {hosts:<40} {profile.source}")
    print("\nAny other site: newscrawler crawl https://site/ (auto mode, no profile needed)")
    return with_broken_profiles(ExitCode.OK, broken)


def with_broken_profiles(code: ExitCode, broken: Sequence[ProfileError]) -> ExitCode:
    """Each profile file that could not be read, said in one line; the command, done for every
    other site, then exits as for bad arguments."""
    for error in broken:
        print(f"newscrawler: skipped a profile: {error}", file=sys.stderr)
    return worst([code, ExitCode.CONFIG]) if broken else code


def cmd_scrape(args: argparse.Namespace) -> ExitCode:
    saved = [url for url in args.urls if urlsplit(url).scheme == "file"]
    for url in [*(u for u in args.urls if u not in saved), *filter(None, [args.page_url])]:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise CommandLineError(f"{url!r} is not the URL of a web page (http:// or https://)")
    if saved and (len(saved) > 1 or not args.page_url):
        raise CommandLineError("a saved page (file://...) is scraped one at a time, with --url")
    for url in saved:
        if not Path(url2pathname(urlsplit(url).path)).is_file():
            raise CommandLineError(f"no such file: {url}")
    settings = project_settings(args)
    spider_args: dict[str, Any] = {"urls": list(args.urls)}
    if args.profile:
        try:
            spider_args["profile"] = find_profile(args.profile)
        except (ProfileError, OSError) as error:
            raise CommandLineError(str(error)) from error
    check_archive(settings)
    code = run_crawl(settings, "scrape", {**spider_args, "page_url": args.page_url})
    return with_broken_profiles(code, scan_profiles()[1])


def cmd_reprocess(args: argparse.Namespace) -> ExitCode:
    check_profile(args.profile)
    settings = stored_page_settings(project_settings(args))
    Archive.open(str(settings.get("ARCHIVE_URL")), create=False).close()
    code = run_crawl(settings, "reprocess", reprocess_arguments(args))
    return with_broken_profiles(code, scan_profiles()[1])


def cmd_import_warc(args: argparse.Namespace) -> ExitCode:
    try:
        spider_args = import_arguments(args)
    except FileNotFoundError as error:
        raise CommandLineError(str(error)) from None
    check_profile(args.profile)
    settings = stored_page_settings(project_settings(args))
    check_archive(settings)
    code = run_crawl(settings, "import_warc", spider_args)
    return with_broken_profiles(code, scan_profiles()[1])


def check_profile(name: str | None) -> None:
    """A profile given by name or path that cannot be read is said in one line (exit code 2)."""
    if name:
        try:
            find_profile(name)
        except ProfileError as error:
            raise CommandLineError(str(error)) from None


def cmd_demo(args: argparse.Namespace) -> ExitCode:
    from newscrawler.samples.ispr import ispr_like_site
    from newscrawler.samples.server import LOCAL_SITE_SETTINGS

    settings = project_settings(args)
    if not args.db and "ARCHIVE_URL" not in _assignments(args.settings, option="-s"):
        # Sample articles stay out of the operator's archive, where `--ids next` would
        # count their release ids.
        settings.set("ARCHIVE_URL", DEMO_ARCHIVE, priority="cmdline")
    check_archive(settings)
    # A local site needs no politeness; -s and --log-level still win over these.
    settings.setdict({**LOCAL_SITE_SETTINGS, "LOG_LEVEL": "WARNING"}, priority="project")
    with ispr_like_site(args.articles, per_page=8) as site:
        print(f"Serving a sample ISPR-like site of {args.articles} releases at {site.url}")
        code = run_crawl(settings, "ispr", {"base_url": site.url, "site": args.site})
    url = str(settings.get("ARCHIVE_URL"))
    with Archive.open(url) as archive:
        articles = list(archive.iter_articles())
        print(f"\n{len(articles)} articles in {archive.url}:")
        for article in articles[-10:]:
            print(f"  [{article['language']}] {article['title']}  <{article['url']}>")
    print(f"\nSee them all: newscrawler export --format jsonl --db {url}")
    return code


# -- reading the archive ----------------------------------------------------------------------


def cmd_export(args: argparse.Namespace) -> ExitCode:
    if args.after is not None or args.follow:
        return export_changes(args)
    if args.format == "warc":
        return export_warc(args)
    if args.fields and "siblings" in args.fields and not args.siblings:
        raise CommandLineError("the siblings column needs --siblings")
    with Archive.open(_archive_url(args), create=False) as archive:
        rows: Iterable[dict[str, Any]] = archive.iter_articles(
            since=args.since, until=args.until, site=args.site, language=args.language
        )
        rows = islice(rows, args.limit)
        columns: Sequence[str] = EXPORT_COLUMNS
        if args.siblings:
            rows, columns = archive.with_siblings(rows), (*EXPORT_COLUMNS, "siblings")
        columns = args.fields or columns
        if args.output:
            with args.output.open("w", encoding="utf-8", newline="") as out:
                count = EXPORTERS[args.format](rows, out, columns)
            print(f"{count} articles written to {args.output}", file=sys.stderr)
        else:
            try:
                EXPORTERS[args.format](rows, sys.stdout, columns)
            except BrokenPipeError:
                # The reader (head, less) has gone: stop quietly, as Unix tools do.
                sys.stderr.close()
    return ExitCode.OK


def export_warc(args: argparse.Namespace) -> ExitCode:
    """The stored pages of the selected articles, every version, as a WARC file."""
    if args.siblings:
        raise CommandLineError("--format warc writes pages, not siblings")
    with Archive.open(_archive_url(args), create=False) as archive:
        pages = archive.iter_captures(since=args.since, site=args.site, language=args.language)
        if args.output is None:
            write_warc(pages, sys.stdout.buffer, filename="newscrawler.warc.gz")
            return ExitCode.OK
        with args.output.open("wb") as out:
            count = write_warc(pages, out, filename=args.output.name)
    print(f"{count} pages written to {args.output}", file=sys.stderr)
    return ExitCode.OK


#: What a removal line of the change feed holds.
REMOVAL_COLUMNS = ("change", "change_seq", "url", "article_id", "http_status", "detected_at")


def export_changes(args: argparse.Namespace) -> ExitCode:
    """The change feed as JSON lines: a reader keeps the last ``change_seq`` it read and asks
    ``--after`` it next time; nothing committed later can come before it."""
    filters = (args.since, args.until, args.siblings, args.site, args.language, args.fields)
    if args.format != "jsonl" or args.limit is not None or any(filters):
        raise CommandLineError("--after and --follow give JSON lines of every change, no filters")
    with Archive.open(_archive_url(args), create=False) as archive:
        try:
            for row in iter_changes(archive, after=args.after or 0, follow=args.follow,
                                    interval=args.interval):  # fmt: skip
                columns = REMOVAL_COLUMNS if row["change"] == "removal" else CHANGE_COLUMNS
                export_jsonl([row], sys.stdout, columns)
                sys.stdout.flush()
        except KeyboardInterrupt:
            pass  # a follower stopped by its operator: done, not failed
        except BrokenPipeError:
            sys.stderr.close()
    return ExitCode.OK


def iter_changes(
    archive: Archive, *, after: int, follow: bool, interval: float
) -> Iterator[dict[str, Any]]:
    """Changes after ``after`` in commit order; with ``follow``, forever, polling."""
    while True:
        page = archive.changes(after=after)
        yield from page
        if page:
            after = page[-1]["change_seq"]
        elif follow:
            time.sleep(interval)
        else:
            return


def export_jsonl(
    rows: Iterable[dict[str, Any]], out: IO[str], columns: Sequence[str] = EXPORT_COLUMNS
) -> int:
    count = 0
    for row in rows:
        record = {column: row.get(column) for column in columns}
        out.write(json.dumps(record, ensure_ascii=False, default=_json_default) + "\n")
        count += 1
    return count


def export_csv(
    rows: Iterable[dict[str, Any]], out: IO[str], columns: Sequence[str] = EXPORT_COLUMNS
) -> int:
    writer = csv.DictWriter(out, fieldnames=columns)
    writer.writeheader()
    count = 0
    for row in rows:
        writer.writerow({column: _csv_value(row.get(column)) for column in columns})
        count += 1
    return count


EXPORTERS: dict[str, Callable[[Iterable[dict[str, Any]], IO[str], Sequence[str]], int]] = {
    "jsonl": export_jsonl,
    "csv": export_csv,
}


def _csv_value(value: Any) -> Any:
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, default=_json_default)
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def cmd_runs(args: argparse.Namespace) -> ExitCode:
    with Archive.open(_archive_url(args), create=False) as archive:
        runs = archive.runs(limit=args.limit, site=args.site)
    if args.json:
        for run in runs:
            print(json.dumps(run, ensure_ascii=False, default=_json_default))
        return ExitCode.OK
    print(
        f"{'id':>5} {'spider':<14} {'started (UTC)':<19} {'secs':>6} {'outcome':<12} "
        f"{'pages':>6} {'new':>5} {'chg':>5} {'drop':>5} {'err':>4} health"
    )
    for run in runs:
        started = run["started_at"].strftime("%Y-%m-%d %H:%M:%S")
        secs = (
            f"{(run['finished_at'] - run['started_at']).total_seconds():.0f}"
            if run["finished_at"]
            else "-"
        )
        print(
            f"{run['id']:>5} {run['spider'][:14]:<14} {started:<19} {secs:>6} "
            f"{run['outcome'][:12]:<12} {run['pages_fetched']:>6} {run['items_new']:>5} "
            f"{run['items_changed']:>5} {run['items_dropped']:>5} {run['errors']:>4} "
            f"{run['health'] or '-'}"
        )
        for note in run["health_notes"] or ():
            print(f"{'':>6}{note}")
    return ExitCode.OK


def cmd_clusters(args: argparse.Namespace) -> ExitCode:
    if args.rebuild:
        return rebuild(_archive_url(args), project_settings(args), args)
    if args.site:
        raise CommandLineError("--site goes with --rebuild")
    with Archive.open(_archive_url(args), create=False) as archive:
        stories = archive.stories.iter_stories(since=args.since, min_members=args.min_members)
        if args.json:
            for story in islice(stories, args.limit):
                print(json.dumps(story, ensure_ascii=False, default=_json_default))
            return ExitCode.OK
        print(f"{'story':>7} {'copies':>6} {'first published':<16} {'last published':<16} sites")
        for story in islice(stories, args.limit):
            print(
                f"{story['id']:>7} {story['member_count']:>6} "
                f"{_minute(story['first_published_at']):<16} "
                f"{_minute(story['last_published_at']):<16} {', '.join(story['sites'])}"
            )
            print(f"{'':>8}{story['origin_title'] or ''}  <{story['origin_url']}>")
    return ExitCode.OK


def _minute(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else "-"


def check_archive(settings: Settings, *, create: bool = True) -> None:
    """Open (or make) the crawl's archive before the crawl starts, so that an archive that
    cannot be used is said in one line (``main``) instead of failing every pipeline."""
    Archive.open(str(settings.get("ARCHIVE_URL")), create=create).close()


def cmd_db_upgrade(args: argparse.Namespace) -> ExitCode:
    url = _archive_url(args)
    upgrade(url, search_form=search_form)
    print(f"{url}: schema is current")
    return ExitCode.OK


def cmd_db_compact_pages(args: argparse.Namespace) -> ExitCode:
    url = _archive_url(args)
    with Archive.open(url, create=False) as archive:
        before = _packs_size(archive)
        emptied = archive.compact_pages()
        after = _packs_size(archive)
    print(f"{url}: {len(emptied)} page files compacted, {before - after:,} bytes given back")
    return ExitCode.OK


def _packs_size(archive: Archive) -> int:
    packs = archive.packs
    return sum(packs.size(name) for name in packs.names()) if packs is not None else 0


def print_incremental_summary(stats: Mapping[str, Any], *, out: IO[str]) -> None:
    """What the run did not fetch, confirmed unchanged or found removed, and its health."""
    skipped = sum(
        int(value)
        for key, value in stats.items()
        if key.startswith("newscrawler/incremental/skipped/")
    )
    not_modified = int(stats.get("newscrawler/refetch/not_modified", 0))
    removed = int(stats.get("newscrawler/refetch/removed", 0))
    if skipped or not_modified or removed:
        print(
            f"  {stats.get('newscrawler/incremental/mode', 'fresh')} run: skipped {skipped} "
            f"archived or out of range, not modified {not_modified}, removed {removed}",
            file=out,
        )
    for note in stats.get("newscrawler/health/notes", ()):
        print(f"  UNHEALTHY: {note}", file=out)


def _since(text: str) -> str:
    try:
        Since.parse(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not an ISO date: {text!r}") from error
    return text


def _log_level(text: str) -> str:
    if text.upper() not in LOG_LEVELS:
        raise argparse.ArgumentTypeError(f"not a log level: {text!r} ({', '.join(LOG_LEVELS)})")
    return text.upper()


def _field_list(text: str) -> tuple[str, ...]:
    fields = tuple(name.strip() for name in text.split(",") if name.strip())
    unknown = [name for name in fields if name not in (*EXPORT_COLUMNS, "siblings")]
    if not fields:
        raise argparse.ArgumentTypeError(f"no column named in {text!r}")
    if unknown:
        raise argparse.ArgumentTypeError(f"no such column: {', '.join(unknown)}")
    return fields


if __name__ == "__main__":
    main()

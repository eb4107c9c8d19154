"""Scrapy settings of the newscrawler project. Every project setting is documented in
docs/settings.md with its default; override any of them with ``-s NAME=VALUE``."""

from __future__ import annotations

import os

from scrapy.settings.default_settings import EXTENSIONS_BASE as _SCRAPY_EXTENSIONS

BOT_NAME = "newscrawler"
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"
#: Scrapy commands the project replaces: ``scrapy crawl`` exits with the run's outcome,
#: ``scrapy parse`` leaves the archive alone.
COMMANDS_MODULE = "newscrawler.commands"

# -- The archive ------------------------------------------------------------------------------
#: Where articles go: an SQLAlchemy URL (sqlite:///path or postgresql+psycopg://...).
ARCHIVE_URL = os.environ.get("NEWSCRAWLER_DB", "sqlite:///archive.sqlite3")
#: Items per write transaction of the archive sink.
ARCHIVE_BATCH_SIZE = 200
#: Seconds an item may wait in the sink's buffer before a partial batch is written.
ARCHIVE_BATCH_MAX_DELAY = 2.0
#: How often a failed batch write is tried again before its URLs are reported as lost.
ARCHIVE_WRITE_RETRIES = 3

#: Keep each article page as fetched (status, headers, bytes) in the archive's captures table,
#: compressed, once per distinct version: for `newscrawler reprocess` and WARC export.
NEWSCRAWLER_CAPTURE_ENABLED = True
#: Versions of each article's page kept, newest first; 0: every version.
NEWSCRAWLER_CAPTURE_KEEP_VERSIONS = 0

ITEM_PIPELINES = {
    "pipelines.cleaning.TextCleaningPipeline": 300,
    "pipelines.validation.ValidationPipeline": 400,
    "pipelines.since.SincePipeline": 450,
    "pipelines.dedup.DedupPipeline": 800,
    "pipelines.capture.CapturePipeline": 850,
    "pipelines.archive.ArchivePipeline": 900,
}

# -- Text cleaning (docs/text.md) ------------------------------------------------------------
NEWSCRAWLER_CLEANING_ENABLED = True
#: R22: a space after ۔ ، ؟ ؛ before a letter (breaks dotted abbreviations such as آئی۔ایس۔پی۔آر).
NEWSCRAWLER_CLEAN_SPACE_AFTER_PUNCT = False
#: R23: split Urdu letters from glued Latin letters and digits.
NEWSCRAWLER_CLEAN_URDU_LATIN_SPACING = False
#: R24: word-initial ھ becomes ہ.
NEWSCRAWLER_CLEAN_INITIAL_HEH = False
#: Restore ھ in common words of documents typed with Arabic heh (section 3 of the rule set).
NEWSCRAWLER_CLEAN_HEH_LEXICON = False

# -- Validation: what is dropped, with a reason counted as newscrawler/dropped/<reason> ----------
NEWSCRAWLER_VALIDATION_ENABLED = True
#: Shortest body kept, in characters of the cleaned text.
NEWSCRAWLER_MIN_BODY_CHARS = 200
#: Most U+FFFD replacement characters allowed in title and body together.
NEWSCRAWLER_MAX_REPLACEMENT_CHARS = 10
#: Drop items whose text looks like mojibake (UTF-8 read as cp1252).
NEWSCRAWLER_DROP_MOJIBAKE = True

# -- Deduplication and story clusters (docs/schema.md, docs/benchmarks.md) ---------------------
#: Off: no URL/text dedup before the sink and every new article is a story of its own.
NEWSCRAWLER_DEDUP_ENABLED = True
#: Words per shingle of the MinHash signature.
NEWSCRAWLER_DEDUP_SHINGLE_SIZE = 3
#: MinHash permutations (32-bit values per signature); a multiple of the bands.
NEWSCRAWLER_DEDUP_NUM_PERM = 128
#: LSH bands: two articles become candidates when one band of their signatures agrees.
NEWSCRAWLER_DEDUP_BANDS = 32
#: LSH slots a query takes from one bucket at most (the newest): bounds a query's candidates.
NEWSCRAWLER_DEDUP_BUCKET_LIMIT = 256
#: Candidates whose signatures agree on less than this share are not compared.
NEWSCRAWLER_DEDUP_MIN_ESTIMATE = 0.2
#: Candidates compared sentence by sentence per article, at most.
NEWSCRAWLER_DEDUP_MAX_COMPARED = 6
#: Share of the shorter body that its candidate must contain, sentence by sentence.
NEWSCRAWLER_DEDUP_MIN_CONTAINMENT = 0.7
#: Shorter body over longer body, at least (a short item inside a long roundup is no copy).
NEWSCRAWLER_DEDUP_MIN_LENGTH_RATIO = 0.4
#: Reworded terms tolerated between two copies; another number or date is never tolerated.
NEWSCRAWLER_DEDUP_MAX_WORD_SUBSTITUTIONS = 1
#: Seconds between looks for articles that other processes archived meanwhile.
NEWSCRAWLER_DEDUP_REFRESH_INTERVAL = 5.0
#: Match texts of recent articles kept in memory; older candidates are re-read from the archive.
NEWSCRAWLER_DEDUP_TEXT_CACHE = 5000

# -- Unattended use: no listening sockets -----------------------------------------------------
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
#: Scrapy's own extensions less the remote control, which is off: Scrapy imports every listed
#: extension's module, even one mapped to None, and that one loads aiohttp's web server
#: (0.12 s and 8 MB of every crawl).
EXTENSIONS_BASE = {
    path: order
    for path, order in _SCRAPY_EXTENSIONS.items()
    if path != "scrapy.extensions.remote_control.RemoteControl"
}
EXTENSIONS = {
    "scrapy.extensions.telnet.TelnetConsole": None,
    "newscrawler.extensions.crawldelay.RobotsCrawlDelay": 500,
    "newscrawler.extensions.progress.CrawlProgress": 600,
    # Shared by the incremental middlewares; the index is off with NEWSCRAWLER_INCREMENTAL.
    "newscrawler.extensions.archiveindex.ArchiveIndex": 700,
    "newscrawler.extensions.unfetched.UnfetchedArticles": 710,
    "newscrawler.extensions.sitetitles.SiteTitles": 720,
    # Auto mode's memory of a site's pages that are not articles; off with the index.
    "newscrawler.extensions.discoverymemory.DiscoveryMemory": 740,
    # Off but in the workers of a distributed crawl (NEWSCRAWLER_WORKERS_KEY).
    "newscrawler.extensions.workers.WorkerKeepAlive": 730,
}

# -- Politeness (docs/discovery.md) -----------------------------------------------------------
#: Where a site's operator learns who crawls them and how to reach us: part of USER_AGENT.
NEWSCRAWLER_CONTACT_URL = os.environ.get(
    "NEWSCRAWLER_CONTACT_URL", "https://github.com/newscrawler/newscrawler"
)
USER_AGENT = f"newscrawler/0.1 (+{NEWSCRAWLER_CONTACT_URL})"
#: robots.txt groups for "newscrawler" apply to us; its Crawl-delay is applied by
#: newscrawler.extensions.crawldelay.RobotsCrawlDelay (Scrapy reads it but leaves it unused).
ROBOTSTXT_OBEY = True
ROBOTSTXT_USER_AGENT = "newscrawler"
#: The longest robots.txt Crawl-delay honoured, in seconds.
NEWSCRAWLER_MAX_CRAWL_DELAY = 60.0
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
#: Outputs of one response processed at once. Scrapy starts this many tasks for every
#: response; a page gives one article and some links, so 100 (Scrapy's default) was pure
#: overhead: 16 makes a crawl of a local site about a quarter faster.
CONCURRENT_ITEMS = 16
DOWNLOAD_DELAY = 0.25
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.5
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 8 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
#: Retry n waits BASE * 2**(n-1) seconds (or the server's Retry-After), at most MAX; 0: none.
NEWSCRAWLER_RETRY_BACKOFF_BASE = 1.0
NEWSCRAWLER_RETRY_BACKOFF_MAX = 60.0
DOWNLOADER_MIDDLEWARES = {
    # Nearest the engine, before robots.txt (100): a stored page is answered with no network.
    "newscrawler.downloadermiddlewares.stored.StoredPageMiddleware": 5,
    # Between retry (550) and decompression (590): a challenge page is not retried.
    "newscrawler.downloadermiddlewares.blocking.BlockedPageMiddleware": 580,
    # Above retry (550): sees Retry-After before the retry middleware copies the request.
    "newscrawler.downloadermiddlewares.backoff.RetryBackoffMiddleware": 560,
    # Below decompression (590): re-fetches of archived articles, 304s and 404s.
    "newscrawler.downloadermiddlewares.conditional.ConditionalRefetchMiddleware": 570,
    # Nearest the engine: decodes the final response (decompressed, redirected, retried).
    "newscrawler.downloadermiddlewares.decoding.DecodingMiddleware": 10,
    # Before robots.txt (100): an off-site redirect target is not even asked for its robots.txt.
    "newscrawler.downloadermiddlewares.redirects.OffsiteRedirectMiddleware": 40,
    # Below redirect (600): sees a redirect back into its own chain before it is followed.
    "newscrawler.downloadermiddlewares.redirects.RedirectLoopMiddleware": 610,
}

# -- Discovery (docs/discovery.md) --------------------------------------------------------------
#: Other hosts that count as the crawled site's own (comma-separated), besides its www. form.
NEWSCRAWLER_HOST_ALIASES: list[str] = []
#: Trap protection: longer URLs, more query parameters, more distinct sets of query parameter
#: names on one path, or deeper paths than these are never followed.
NEWSCRAWLER_MAX_URL_LENGTH = 2000
NEWSCRAWLER_MAX_QUERY_PARAMS = 4
NEWSCRAWLER_MAX_QUERY_SHAPES = 8
NEWSCRAWLER_MAX_PATH_SEGMENTS = 12
#: Pages of one listing followed through "next" links when the profile gives no bound.
NEWSCRAWLER_MAX_LISTING_PAGES = 50
#: Auto mode (newscrawler crawl https://site/): link hops followed from the home page.
NEWSCRAWLER_AUTO_MAX_DEPTH = 3
#: Auto mode: article pages with different text that carry one <title> make it the site's own
#: (its name, not a headline: extraction takes the heading instead); below 2: never learned.
NEWSCRAWLER_SITE_TITLE_PAGES = 3
#: Auto mode: later such articles an article waits for, held, before its title is taken as is.
NEWSCRAWLER_SITE_TITLE_WAIT = 20
#: ISPR id enumeration (--ids START- or next) stops after this many ids in a row with no release.
NEWSCRAWLER_ISPR_MAX_MISSES = 50
#: The Wayback Machine, for ISPR backfill (--wayback): its CDX index and raw captures.
NEWSCRAWLER_WAYBACK_URL = "https://web.archive.org"
#: Captures of one release tried, newest first, before it is reported unusable.
NEWSCRAWLER_WAYBACK_MAX_TRIES = 3

# -- Scheduled and incremental crawls (docs/operations.md) -----------------------------------
SPIDER_MIDDLEWARES = {
    # Below the incremental middleware: a dry run lists what that lets through.
    "newscrawler.spidermiddlewares.dryrun.DryRunMiddleware": 800,
    "newscrawler.spidermiddlewares.incremental.IncrementalCrawlMiddleware": 850,
    # Nearest the spider: counts items as the spider yields them.
    "newscrawler.spidermiddlewares.coverage.FieldCoverageMiddleware": 950,
}
#: Discovery only: list the article pages a run would fetch, fetch and archive none of them
#: (``newscrawler crawl SITE --dry-run``).
NEWSCRAWLER_DRY_RUN = False
#: Skip archived articles unless due for a re-check; stop listings that hold nothing new.
NEWSCRAWLER_INCREMENTAL = True
#: Listing pages in a row holding only archived articles after which paging stops (0: never).
NEWSCRAWLER_INCREMENTAL_STOP_AFTER = 2
#: Re-check tiers AGE:INTERVAL by article age (see newscrawler/incremental/schedule.py).
NEWSCRAWLER_RECHECK_SCHEDULE = "2d:1h,14d:1d,*:7d"
#: Most due re-checks of archived articles one run schedules itself, oldest check first.
NEWSCRAWLER_RECHECK_MAX_PER_RUN = 200
#: Send If-None-Match / If-Modified-Since when re-fetching an archived article (and, in auto
#: mode, a remembered listing, navigation page, sitemap or feed).
NEWSCRAWLER_CONDITIONAL_REQUESTS = True
#: Auto mode: remember per site the pages that are not articles (discovered_pages), and skip
#: or ask conditionally for them in re-crawls.
NEWSCRAWLER_DISCOVERY_MEMORY = True
#: Auto mode: days before a path that answered 404/410 (a missing sitemap or feed) is probed again.
NEWSCRAWLER_DISCOVERY_REPROBE_DAYS = 7.0
#: Auto mode: days before a page that linked to no article (about, contact) is read again.
NEWSCRAWLER_DISCOVERY_REVISIT_DAYS = 7.0
#: Only articles published since this ISO date (`crawl SITE --since DATE`); empty: all.
NEWSCRAWLER_SINCE = ""
#: Set by `newscrawler crawl` when the run continues a cleanly stopped run's frontier.
NEWSCRAWLER_RESUMING = False
#: The sites `crawl --all` runs (comma-separated); empty: every enabled profile.
NEWSCRAWLER_ALL_SITES: list[str] = []
#: Progress display: auto (a live line on a terminal, else log lines), live, log or off.
NEWSCRAWLER_PROGRESS = "auto"
#: Seconds between progress log lines when not on a terminal.
NEWSCRAWLER_PROGRESS_INTERVAL = 60.0
#: Per-site locks and resumable frontiers (JOBDIR) of `newscrawler crawl`.
NEWSCRAWLER_STATE_DIR = os.environ.get("NEWSCRAWLER_STATE_DIR", ".newscrawler")
#: Keep a cleanly stopped crawl's frontier and resume it on the next start.
NEWSCRAWLER_RESUME = True
#: The Redis key prefix of the distributed crawl this process is a worker of (set by
#: `crawl SITE --redis`); empty: not a worker.
NEWSCRAWLER_WORKERS_KEY = ""
#: Seconds a worker's busy mark lasts unless renewed (a worker that is not idle renews it every
#: third of that): after a worker is killed, the others wait this long for it at most.
NEWSCRAWLER_WORKERS_BUSY_SECONDS = 60.0
#: The frontier's disk queue: Scrapy's pickle LIFO queue, naming callbacks without inspecting
#: the whole spider for every request.
SCHEDULER_DISK_QUEUE = "newscrawler.incremental.queues.NamedCallbackLifoDiskQueue"
#: The frontier's queue of start requests: Scrapy's FIFO queue; a write that fails (a full disk)
#: stops the crawl as failed, as it does for the queue above.
SCHEDULER_START_DISK_QUEUE = "newscrawler.incremental.queues.StartRequestsDiskQueue"
#: Run health (newscrawler/health.py): how many recent finished runs a run is compared with,
NEWSCRAWLER_HEALTH_WINDOW = 5
#: the item fields whose coverage is watched,
NEWSCRAWLER_HEALTH_FIELDS = ["title", "body", "published_at"]
#: the drop in a field's share of items that makes a run unhealthy,
NEWSCRAWLER_HEALTH_COVERAGE_DROP = 0.3
#: the fewest items for a coverage share to count,
NEWSCRAWLER_HEALTH_MIN_ITEMS = 5
#: the share of blocked responses that makes a run unhealthy,
NEWSCRAWLER_HEALTH_BLOCKED_SHARE = 0.5
#: and the HTTP statuses counted as blocked.
NEWSCRAWLER_HEALTH_BLOCKED_STATUSES = [401, 403, 429]

# -- Misc ---------------------------------------------------------------------------------------
LOG_LEVEL = "INFO"
FEED_EXPORT_ENCODING = "utf-8"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"

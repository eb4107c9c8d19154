"""Scrapy settings of the newscrawler project. Every project setting is documented in
docs/settings.md with its default; override any of them with ``-s NAME=VALUE``."""

from __future__ import annotations

import os

BOT_NAME = "newscrawler"
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"

# -- The archive ------------------------------------------------------------------------------
#: Where articles go: an SQLAlchemy URL (sqlite:///path or postgresql+psycopg://...).
ARCHIVE_URL = os.environ.get("NEWSCRAWLER_DB", "sqlite:///archive.sqlite3")
#: Items per write transaction of the archive sink.
ARCHIVE_BATCH_SIZE = 200
#: Seconds an item may wait in the sink's buffer before a partial batch is written.
ARCHIVE_BATCH_MAX_DELAY = 2.0
#: How often a failed batch write is tried again before its URLs are reported as lost.
ARCHIVE_WRITE_RETRIES = 3

ITEM_PIPELINES = {
    "pipelines.cleaning.TextCleaningPipeline": 300,
    "pipelines.validation.ValidationPipeline": 400,
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

# -- Unattended use: no listening sockets -----------------------------------------------------
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
EXTENSIONS = {
    "scrapy.extensions.telnet.TelnetConsole": None,
    "scrapy.extensions.remote_control.RemoteControl": None,
}

# -- Politeness -------------------------------------------------------------------------------
USER_AGENT = "newscrawler/0.1 (+https://github.com/newscrawler/newscrawler)"
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
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

# -- Misc ---------------------------------------------------------------------------------------
LOG_LEVEL = "INFO"
FEED_EXPORT_ENCODING = "utf-8"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"

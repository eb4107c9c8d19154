"""The crawlers a user would run instead of newscrawler, doing the same job: the pages the site's
sitemaps list, each page's article extracted and archived in SQLite.

* ``trafilatura``: Scrapy + ``trafilatura.bare_extraction`` + SQLite with batched inserts, a
  typical home-made crawler.
* ``newsplease``: Scrapy + news-please's extraction (``NewsPlease.from_html``) + the same SQLite
  archive. news-please is an optional dependency (the ``benchmarks`` extra), imported only when
  that spider starts.

Both archive a page only when its extraction gave a body; the rows in the archive are the
articles they archived. They run through ``python -m benchmarks.bare`` like the baselines.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from typing import Any

from scrapy.crawler import Crawler
from scrapy.http import Response, TextResponse
from trafilatura import bare_extraction
from trafilatura.settings import Document

from benchmarks.bare import SitemapArticles

#: Rows written in one transaction.
BATCH_SIZE = 100

SCHEMA = """CREATE TABLE IF NOT EXISTS articles (
    url TEXT PRIMARY KEY, title TEXT, author TEXT, published TEXT, language TEXT, body TEXT
)"""
INSERT = """INSERT OR REPLACE INTO articles
    VALUES (:url, :title, :author, :published, :language, :body)"""


class SQLitePipeline:
    """Writes items into the spider's SQLite file, ``BATCH_SIZE`` rows a transaction."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.batch: list[dict[str, Any]] = []

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SQLitePipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        assert isinstance(self.crawler.spider, _PeerSpider)
        self.connection = sqlite3.connect(self.crawler.spider.db)
        self.connection.execute(SCHEMA)

    def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        self.batch.append(item)
        if len(self.batch) >= BATCH_SIZE:
            self._flush()
        return item

    def close_spider(self) -> None:
        self._flush()
        self.connection.close()

    def _flush(self) -> None:
        with self.connection:
            self.connection.executemany(INSERT, self.batch)
        self.batch.clear()


class _PeerSpider(SitemapArticles):
    """A sitemap crawl whose articles go to ``SQLitePipeline`` in the SQLite file ``db``."""

    custom_settings = {"ITEM_PIPELINES": {SQLitePipeline: 300}}  # noqa: RUF012 (Scrapy's)

    def __init__(self, base_url: str, db: str, *args: Any, **kwargs: Any) -> None:
        super().__init__(base_url, *args, **kwargs)
        self.db = db

    def parse(self, response: Response, **kwargs: Any) -> Iterator[dict[str, Any]]:
        assert isinstance(response, TextResponse)
        article = self.extract(response)
        if article and article["body"]:
            yield {"url": response.url, **article}

    def extract(self, response: TextResponse) -> dict[str, Any] | None:
        raise NotImplementedError


class TrafilaturaSpider(_PeerSpider):
    name = "trafilatura"

    def extract(self, response: TextResponse) -> dict[str, Any] | None:
        document = bare_extraction(response.text, url=response.url, with_metadata=True)
        if not isinstance(document, Document):  # None: no article found
            return None
        return {
            "title": document.title,
            "author": document.author,
            "published": document.date,
            "language": document.language,
            "body": document.text,
        }


class NewsPleaseSpider(_PeerSpider):
    name = "newsplease"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from newsplease import NewsPlease

        self.from_html = NewsPlease.from_html

    def extract(self, response: TextResponse) -> dict[str, Any] | None:
        # No image downloads: every side fetches the site's pages and nothing else.
        article = self.from_html(response.text, url=response.url, fetch_images=False)
        if not article:
            return None
        published = article.date_publish
        return {
            "title": article.title,
            "author": ", ".join(article.authors or []),
            "published": published.isoformat() if published else None,
            "language": article.language,
            "body": article.maintext,
        }


def news_please_missing() -> str | None:
    """Why the news-please peer cannot run here, or None when it can."""
    try:
        from newsplease import NewsPlease

        # Its extractors import their packages (newspaper4k, readability) on first use.
        NewsPlease.from_html("<html><body><p>x</p></body></html>", url="https://a.example/")
    except Exception as error:
        return f'news-please is not importable ({error}); `pip install -e ".[benchmarks]"`'
    return None


def archived(db: str) -> int:
    """Articles a peer archived: the rows of its SQLite file."""
    with sqlite3.connect(db) as connection:
        return int(connection.execute("SELECT count(*) FROM articles").fetchone()[0])


PEERS: dict[str, type[_PeerSpider]] = {
    spider.name: spider for spider in (TrafilaturaSpider, NewsPleaseSpider)
}

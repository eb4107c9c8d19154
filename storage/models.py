"""The archive schema. Table and column names are a contract with readers: see docs/schema.md."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, LargeBinary, String, Text, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from storage.types import JSONDocument, UTCDateTime


class Base(DeclarativeBase):
    pass


class Article(Base):
    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(Text, unique=True)
    site: Mapped[str] = mapped_column(String(200), index=True)
    language: Mapped[str | None] = mapped_column(String(16))
    title: Mapped[str | None] = mapped_column(Text)
    body: Mapped[str | None] = mapped_column(Text)
    authors: Mapped[list[str]] = mapped_column(JSONDocument, default=list)
    images: Mapped[list[dict[str, Any]]] = mapped_column(JSONDocument, default=list)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    modified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    http_status: Mapped[int | None] = mapped_column(Integer)
    extras: Mapped[dict[str, Any]] = mapped_column(JSONDocument, default=dict)
    text_flags: Mapped[dict[str, Any]] = mapped_column(JSONDocument, default=dict)
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(Text)
    #: The change cursor: a number from the archive's one sequence, given in the transaction
    #: that inserts the article or changes its content, under the archive's write lock, so that
    #: its order is the order of commits (docs/schema.md, "Following changes").
    change_seq: Mapped[int | None] = mapped_column(BigInteger, unique=True, index=True)
    #: The story this article tells: ``clusters.id`` (see docs/schema.md, Deduplication).
    #: Checked at commit: a new story's row is written after the articles that start it.
    cluster_id: Mapped[int | None] = mapped_column(
        ForeignKey(
            "clusters.id",
            name="fk_articles_cluster_id",
            deferrable=True,
            initially="DEFERRED",
            use_alter=True,
        ),
        index=True,
    )
    #: The search forms of the title and body (``newscrawler.text.search_form``), made by the
    #: crawler and indexed for full-text search: ``articles_fts`` (FTS5) on SQLite, the
    #: generated ``search_vector`` on PostgreSQL (docs/schema.md, "Searching").
    search_title: Mapped[str | None] = mapped_column(Text)
    search_body: Mapped[str | None] = mapped_column(Text)
    #: The extraction that made the row's fields (``newscrawler.extract.extraction_version``):
    #: ``reprocess`` finds the rows an upgraded extraction would read otherwise.
    extracted_with: Mapped[str | None] = mapped_column(String(120))


class ArticleAlias(Base):
    """Another URL that leads to an archived article: never a second row."""

    __tablename__ = "article_aliases"

    url: Mapped[str] = mapped_column(Text, primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )
    reason: Mapped[str] = mapped_column(String(32))
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ArticleRevision(Base):
    """A superseded version of an article's title and body, with when it was current."""

    __tablename__ = "article_revisions"
    __table_args__ = (Index("ix_article_revisions_article", "article_id", "valid_from"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    title: Mapped[str | None] = mapped_column(Text)
    body: Mapped[str | None] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    modified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    valid_from: Mapped[datetime] = mapped_column(UTCDateTime)
    valid_to: Mapped[datetime] = mapped_column(UTCDateTime)


class CrawlRun(Base):
    __tablename__ = "crawl_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    spider: Mapped[str] = mapped_column(String(200), index=True)
    site: Mapped[str | None] = mapped_column(String(200))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome: Mapped[str] = mapped_column(String(32))
    pages_fetched: Mapped[int] = mapped_column(Integer, default=0)
    items_archived: Mapped[int] = mapped_column(Integer, default=0)
    items_new: Mapped[int] = mapped_column(Integer, default=0)
    items_changed: Mapped[int] = mapped_column(Integer, default=0)
    items_dropped: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[int] = mapped_column(Integer, default=0)
    dropped_by_reason: Mapped[dict[str, int]] = mapped_column(JSONDocument, default=dict)
    stats: Mapped[dict[str, Any]] = mapped_column(JSONDocument, default=dict)
    #: "ok" or "unhealthy" for a finished run; None while running or when not assessed.
    health: Mapped[str | None] = mapped_column(String(16))
    #: Why a run is unhealthy, one sentence per problem.
    health_notes: Mapped[list[str]] = mapped_column(JSONDocument, default=list)


class ArticleRemoval(Base):
    """A re-fetch of an archived article that answered 404 or 410; the article row stays.

    One record per disappearance: another is added only after the article was seen again.
    """

    __tablename__ = "article_removals"
    __table_args__ = (Index("ix_article_removals_article", "article_id", "detected_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    url: Mapped[str] = mapped_column(Text)
    http_status: Mapped[int] = mapped_column(Integer)
    detected_at: Mapped[datetime] = mapped_column(UTCDateTime)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_runs.id", ondelete="SET NULL"))
    #: The change cursor, from the same sequence as ``articles.change_seq``.
    change_seq: Mapped[int | None] = mapped_column(BigInteger, unique=True, index=True)


class SiteTitle(Base):
    """A page title a site puts on every page (``Press Release | ISPR``): the site's name, never
    an article's headline. Learned by crawls, read by every extraction of the site."""

    __tablename__ = "site_titles"

    site: Mapped[str] = mapped_column(String(200), primary_key=True)
    title: Mapped[str] = mapped_column(Text, primary_key=True)
    #: How many article pages with different text carried the title when it was learned.
    pages: Mapped[int] = mapped_column(Integer)
    learned_at: Mapped[datetime] = mapped_column(UTCDateTime)


class DiscoveredPage(Base):
    """A page an auto-mode crawl's discovery requested that is not an article: a listing, a
    navigation page, a sitemap or feed, or a path that does not exist. Re-crawls of the site
    skip what is known to be missing or of no use until it is due again, and ask the rest
    conditionally."""

    __tablename__ = "discovered_pages"

    site: Mapped[str] = mapped_column(String(200), primary_key=True)
    url: Mapped[str] = mapped_column(Text, primary_key=True)
    #: What it was requested as: ``page``, ``listing``, ``article``, ``sitemap`` or ``feed``.
    kind: Mapped[str] = mapped_column(String(16))
    #: ``listing``, ``navigation``, ``document`` or ``missing``.
    role: Mapped[str] = mapped_column(String(16))
    http_status: Mapped[int] = mapped_column(Integer)
    #: The page whose link (or sitemap entry, or feed link) led to it; null for seeds.
    via: Mapped[str | None] = mapped_column(Text)
    depth: Mapped[int] = mapped_column(Integer)
    #: Its place in a listing's pages: 1, or 2 and more for the pages reached by "next".
    page_number: Mapped[int] = mapped_column(Integer)
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(Text)
    content_hash: Mapped[str | None] = mapped_column(String(64))
    #: Links to article pages it held when last read.
    article_links: Mapped[int] = mapped_column(Integer)
    checked_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Cluster(Base):
    """A story: every archived copy of one release, across sites. Ids are given as stories
    start; the counts and dates are kept current on every write."""

    __tablename__ = "clusters"
    __table_args__ = (
        Index(
            "ix_clusters_release_key",
            "release_key",
            sqlite_where=text("release_key IS NOT NULL"),
            postgresql_where=text("release_key IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    #: The earliest-published member (the earliest first seen when dates tie or are missing).
    origin_article_id: Mapped[int | None] = mapped_column(
        ForeignKey("articles.id", ondelete="SET NULL")
    )
    member_count: Mapped[int] = mapped_column(Integer)
    site_count: Mapped[int] = mapped_column(Integer)
    sites: Mapped[list[str]] = mapped_column(JSONDocument, default=list)
    languages: Mapped[list[str]] = mapped_column(JSONDocument, default=list)
    first_published_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    last_published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: When the latest member was first seen: a story with a new copy counts as updated.
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    #: Press-release number and date ("PR-123/2025@2025-07-26") shared by the English and Urdu
    #: versions of one release: their clusters carry the same key.
    release_key: Mapped[str | None] = mapped_column(String(64))


class ArticleSignature(Base):
    """The MinHash signature of an article's text, so that any process can rebuild the index."""

    __tablename__ = "article_signatures"

    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    #: How the signature was made (shingle size, permutations): others are not comparable.
    scheme: Mapped[str] = mapped_column(String(40))
    signature: Mapped[bytes] = mapped_column(LargeBinary)


class ArchiveSequence(Base):
    """The archive's counters; ``changes`` is the last change cursor given out."""

    __tablename__ = "archive_sequences"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger)


class Capture(Base):
    """A page as fetched: its bytes (compressed), status, headers, final URL and fetch time.

    One row per distinct version of an article's page, found by the hash of its bytes: an
    unchanged re-fetch adds nothing, a changed page adds the version beside the revision it made.
    """

    __tablename__ = "captures"
    __table_args__ = (
        Index("ix_captures_article_sha256", "article_id", "sha256", unique=True),
        Index("ix_captures_article_fetched", "article_id", "fetched_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    #: The URL that answered (after redirects), as fetched.
    url: Mapped[str] = mapped_column(Text)
    #: When the page was fetched with these bytes: first, or again after holding other bytes.
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime)
    http_status: Mapped[int] = mapped_column(Integer)
    #: The response headers, ``[[name, value], ...]`` in the order received.
    headers: Mapped[list[list[str]]] = mapped_column(JSONDocument, default=list)
    #: sha256 (hex) of the page's bytes as received (after transfer decoding).
    sha256: Mapped[str] = mapped_column(String(64))
    #: Bytes before compression.
    size: Mapped[int] = mapped_column(Integer)
    #: How ``body`` is compressed: ``zstd`` (Zstandard).
    compression: Mapped[str] = mapped_column(String(16))
    #: The compressed bytes, or empty when they are in a pack file beside a SQLite archive.
    body: Mapped[bytes] = mapped_column(LargeBinary)
    #: The pack file (``<archive file>.pages/pages-000001.zst``) holding the compressed bytes
    #: at ``pack_offset``, ``pack_length`` long (``storage.packs``); null when in ``body``.
    pack: Mapped[str | None] = mapped_column(String(32))
    pack_offset: Mapped[int | None] = mapped_column(BigInteger)
    pack_length: Mapped[int | None] = mapped_column(Integer)
    #: ``articles.content_hash`` of the text read from these bytes when they were fetched.
    content_hash: Mapped[str] = mapped_column(String(64))

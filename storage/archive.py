"""``Archive``: the one way into and out of the archive database (its story reads are
``Archive.stories``)."""

from __future__ import annotations

import os
import socket
import threading
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from itertools import islice
from pathlib import Path
from typing import Any, NamedTuple

from sqlalchemy import (
    BindParameter,
    Connection,
    Engine,
    bindparam,
    case,
    delete,
    exists,
    func,
    insert,
    inspect,
    select,
    text,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import aliased
from sqlalchemy.sql import ColumnElement

from storage.captures import (
    append_new_pages,
    compact_packs,
    newest_captures,
    record_captures,
    stored_bytes,
    unpack,
)
from storage.clusters import Reclustered, assign_clusters, reassign_clusters, record_clusters
from storage.engine import (
    WRITE_LOCK,
    ArchiveUnavailableError,
    create_archive_engine,
    normalize_url,
)
from storage.migrations import HEAD_REVISION
from storage.models import (
    ArchiveSequence,
    Article,
    ArticleAlias,
    ArticleRemoval,
    ArticleRevision,
    Capture,
    CrawlRun,
    DiscoveredPage,
    SiteTitle,
)
from storage.packs import Packs
from storage.records import ArticleRecord, DiscoveredPageRecord
from storage.search import RANKED_MATCHES, SearchFilters, index_new_articles, search
from storage.stories import Stories
from storage.types import UTCDateTime

#: The fields of an ``ArticleRecord`` stored in the record's ``articles`` row.
RECORD_COLUMNS = (
    "url",
    "site",
    "language",
    "title",
    "body",
    "authors",
    "images",
    "published_at",
    "modified_at",
    "content_hash",
    "http_status",
    "extras",
    "text_flags",
    "etag",
    "last_modified",
    "cluster_id",
    "search_title",
    "search_body",
    "extracted_with",
)

#: Where a capture's bytes are, when in a pack file: ``iter_captures`` gives the bytes instead.
PACK_COLUMNS = ("pack", "pack_offset", "pack_length")

#: Columns that take the new value only when the content hash changes.
CONTENT_COLUMNS = (
    "title",
    "body",
    "authors",
    "images",
    "extras",
    "text_flags",
    "language",
    "extracted_with",
)
#: The search forms: the new ones when the content changes, else the stored ones, or the
#: record's where none are stored (an article archived by a writer that made none).
SEARCH_COLUMNS = ("search_title", "search_body")
#: What readers get of an article: every column but the search forms, which only the index
#: needs.
ARTICLE_COLUMNS = tuple(
    column for column in Article.__table__.columns if column.name not in SEARCH_COLUMNS
)

#: The fields a reprocess may change, each counted when it does (``BatchResult.fields``).
REPROCESSED_FIELDS = (
    "title",
    "body",
    "authors",
    "images",
    "published_at",
    "modified_at",
    "language",
    "extras",
    "text_flags",
)

#: The batch's look-ups by URL, built once rather than per batch.
_URLS: BindParameter[list[str]] = bindparam("urls", expanding=True)
_IDS_BY_URL = select(Article.url, Article.id).where(Article.url.in_(_URLS))
_ALIAS_OWNERS = (
    select(ArticleAlias.url, Article.url)
    .join(Article, Article.id == ArticleAlias.article_id)
    .where(ArticleAlias.url.in_(_URLS))
)
#: What an update of an archived article needs: its revision, whether its text changed, and
#: for a reprocess, which of its fields change.
_EXISTING = select(
    Article.id,
    Article.url,
    Article.content_hash,
    Article.changed_at,
    Article.extracted_with,
    *(getattr(Article, name) for name in REPROCESSED_FIELDS),
).where(Article.url.in_(_URLS))

#: The row of ``archive_sequences`` that holds the last change cursor given.
CHANGES_SEQUENCE = "changes"
#: The archive's one change sequence, advanced by ``count``; returns the last number given.
_TAKE_CURSORS = (
    update(ArchiveSequence)
    .where(ArchiveSequence.name == CHANGES_SEQUENCE)
    .values(value=ArchiveSequence.value + bindparam("count"))
    .returning(ArchiveSequence.value)
)

#: Serialises schema checks and creation between the pipelines of one process.
_SCHEMA_LOCK = threading.Lock()

# Any constant works: it names the lock that serialises archive writers on PostgreSQL.
_PG_WRITE_LOCK_KEY = zlib.crc32(b"newscrawler.archive.write")


#: Called by ``write_batch`` inside its transaction, under the write lock, with the batch's new
#: articles before they are given their stories: a last look at what other writers committed
#: since their stories were decided (``newscrawler.dedup.recheck``). It may replace a record's
#: ``dedup`` facts.
BatchCheck = Callable[[Connection, Sequence[ArticleRecord]], None]


class KnownArticle(NamedTuple):
    """An archived article as a re-crawl sees it (``Archive.iter_known``)."""

    #: The article's URL, or one of its aliases.
    url: str
    #: The URL the article is archived under.
    article_url: str
    published_at: datetime | None
    last_seen_at: datetime
    etag: str | None
    last_modified: str | None
    #: When the latest removal record was made, or None.
    removed_at: datetime | None


class SchemaOutdatedError(RuntimeError):
    """The database was made by an older (or newer) newscrawler than this one."""


@dataclass
class BatchResult:
    """What one ``write_batch`` did, by canonical URL."""

    new: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    ids: dict[str, int] = field(default_factory=dict)
    #: Captures stored (new versions of pages).
    captures: int = 0
    #: Reprocessed articles whose newest capture is not the one they were read from (a crawl
    #: fetched the page again meanwhile): left as they are.
    superseded: list[str] = field(default_factory=list)
    #: Reprocessed articles by field changed.
    fields: Counter[str] = field(default_factory=Counter)


class Archive:
    """An open archive database.

    Writes go through ``write_batch`` in one explicit transaction each, under a write lock, so
    several crawls (and one-off scrapes) can share an archive. Reads never take that lock.
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        #: Where a SQLite archive file keeps its pages (``storage.packs``); None elsewhere.
        self.packs = _packs_of(engine)

    @classmethod
    def open(cls, url: str, *, create: bool = True) -> Archive:
        """Open ``url``; an empty database is given the current schema when ``create`` is set,
        and without it no database is made. Raises ``ArchiveUnavailableError`` (the archive
        cannot be reached or made) or ``SchemaOutdatedError``, each saying what to do."""
        archive = cls(create_archive_engine(url, must_exist=not create))
        try:
            with _SCHEMA_LOCK:  # pipelines open the archive side by side; one creates the schema
                archive._check_schema(create=create)
        except DBAPIError as error:
            archive.close()
            raise _unavailable(archive.engine, error) from None
        return archive

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def close(self) -> None:
        if "stories" in self.__dict__:  # made (and holding a connection) only once read
            self.stories.close()
        self.engine.dispose()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # -- schema ---------------------------------------------------------------------------

    def _check_schema(self, *, create: bool) -> None:
        with self.engine.connect() as conn:
            # Tables first: another process may be creating the schema. Read the other way
            # round, its commit could fall between the two reads: no revision yet, but tables.
            tables = inspect(conn).get_table_names()
            empty = not tables
            current = _schema_revision(conn) if "alembic_version" in tables else None
        if current == HEAD_REVISION:
            return
        if current is None and empty and create:
            upgrade(self.engine)
            return
        raise SchemaOutdatedError(
            f"the archive at {self.url} has schema {current or 'none'}, this newscrawler "
            f"needs {HEAD_REVISION}: run `newscrawler db upgrade --db {self.url}` (back the file "
            "up first)"
        )

    # -- writing --------------------------------------------------------------------------

    def write_batch(
        self,
        records: Sequence[ArticleRecord],
        *,
        keep_captures: int = 0,
        check: BatchCheck | None = None,
    ) -> BatchResult:
        """Insert or update articles by canonical URL, keeping revisions and the captures the
        records carry (the ``keep_captures`` newest of each article; 0: all); one transaction.
        ``check`` sees the new articles first, under the write lock. Records read again from a
        stored capture (``reprocessed_from``) update their article in place: no revision, no
        new ``changed_at``."""
        result = BatchResult()
        if not records:
            return result
        with self._write_transaction() as conn:
            records = _last_per_url(self._resolve_aliases(conn, records))
            existing = self._existing(conn, [r["url"] for r in records])
            fetched = [r for r in records if r.get("reprocessed_from") is None]
            added = [r for r in fetched if r["url"] not in existing]
            early = append_new_pages(added, self.packs)
            redone = self._reprocess(conn, records, existing, result)
            if fetched:
                self._keep_revisions(conn, fetched, existing)
                if check is not None:
                    check(conn, added)
                plan = assign_clusters(conn, fetched, existing)
                cursors = _change_cursors(conn, fetched, existing)
                self._store_articles(conn, fetched, existing, cursors)
                self._record_aliases(conn, fetched)
            else:
                plan = assign_clusters(conn, (), existing)
            ids = _pairs(conn.execute(_IDS_BY_URL, {"urls": [r["url"] for r in records]}))
            index_new_articles(conn, [(ids[r["url"]], r) for r in added])
            record_clusters(conn, [*fetched, *redone], ids, plan, self._dialect_insert)
            result.captures = record_captures(
                conn, fetched, ids, keep=keep_captures, packs=self.packs,
                new={ids[r["url"]] for r in added}, early=early.refs,
            )  # fmt: skip
            early.wait()
        for record in fetched:
            url = record["url"]
            old = existing.get(url)
            if old is None:
                result.new.append(url)
            elif old["content_hash"] != record["content_hash"]:
                result.changed.append(url)
            else:
                result.unchanged.append(url)
        result.ids = ids
        return result

    def _reprocess(
        self,
        conn: Connection,
        records: Sequence[ArticleRecord],
        existing: Mapping[str, Mapping[str, Any]],
        result: BatchResult,
    ) -> list[ArticleRecord]:
        """Update archived articles in place with the fields read again from their newest
        capture; the records applied. Fields are counted in ``result`` as they change."""
        redone = [r for r in records if r.get("reprocessed_from") is not None]
        if not redone:
            return []
        ids = [existing[r["url"]]["id"] for r in redone if r["url"] in existing]
        newest = newest_captures(conn, ids)
        applied = []
        for record in redone:
            old = existing.get(record["url"])
            if old is None or newest.get(old["id"]) != record["reprocessed_from"]:
                result.superseded.append(record["url"])
                continue
            row = _row(record, None)
            changed = [name for name in REPROCESSED_FIELDS if row[name] != old[name]]
            values = {name: row[name] for name in changed}
            if changed:
                values["content_hash"] = row["content_hash"]
                values.update({name: row[name] for name in SEARCH_COLUMNS if row[name]})
                values["change_seq"] = _take_cursors(conn, 1)
                result.fields.update(changed)
                result.changed.append(record["url"])
            else:
                result.unchanged.append(record["url"])
            if changed or row["extracted_with"] != old["extracted_with"]:
                values["extracted_with"] = row["extracted_with"]
                conn.execute(update(Article).where(Article.id == old["id"]).values(**values))
            applied.append(record)
        return applied

    def start_run(self, spider: str, site: str | None, *, started_at: datetime) -> int:
        with self._write_transaction() as conn:
            run_id = conn.execute(
                insert(CrawlRun)
                .values(
                    spider=spider,
                    site=site,
                    started_at=started_at,
                    outcome="running",
                    pages_fetched=0,
                    items_archived=0,
                    items_new=0,
                    items_changed=0,
                    items_dropped=0,
                    errors=0,
                    dropped_by_reason={},
                    stats=_this_process(),
                )
                .returning(CrawlRun.id)
            ).scalar_one()
        return int(run_id)

    def finish_run(
        self, run_id: int, *, outcome: str, finished_at: datetime, **counts: Any
    ) -> None:
        with self._write_transaction() as conn:
            conn.execute(
                update(CrawlRun)
                .where(CrawlRun.id == run_id)
                .values(outcome=outcome, finished_at=finished_at, **counts)
            )

    def mark_killed_runs(self, spider: str) -> list[int]:
        """Mark as "killed" the runs of ``spider`` left "running" by a process of this host
        that no longer exists (SIGKILL, power loss); their ids."""
        with self._write_transaction() as conn:
            running = conn.execute(
                select(CrawlRun.id, CrawlRun.stats).where(
                    CrawlRun.spider == spider, CrawlRun.outcome == "running"
                )
            ).all()
            dead = [run_id for run_id, stats in running if _process_gone(stats)]
            if dead:
                conn.execute(update(CrawlRun).where(CrawlRun.id.in_(dead)).values(outcome="killed"))
        return dead

    def mark_seen(self, seen: Sequence[tuple[str, datetime]]) -> None:
        """Move ``last_seen_at`` of the articles at these URLs (or aliases) forward, and nothing
        else: a re-fetch that answered 304 Not Modified."""
        if not seen:
            return
        at = bindparam("seen_at", type_=UTCDateTime())
        owner = select(ArticleAlias.article_id).where(ArticleAlias.url == bindparam("seen_url"))
        statement = (
            update(Article)
            .where((Article.url == bindparam("seen_url")) | Article.id.in_(owner))
            .values(last_seen_at=case((Article.last_seen_at < at, at), else_=Article.last_seen_at))
        )
        with self._write_transaction() as conn:
            conn.execute(statement, [{"seen_url": url, "seen_at": when} for url, when in seen])

    def record_removals(self, removals: Sequence[Mapping[str, Any]]) -> int:
        """Record archived articles that answered 404/410 (``url``, ``http_status``,
        ``detected_at``, ``run_id``); an article already recorded as removed since it was last
        seen gets no second record. The article rows stay. How many were recorded."""
        if not removals:
            return 0
        with self._write_transaction() as conn:
            owners = self._removal_candidates(conn, [r["url"] for r in removals])
            rows = {}
            for removal in removals:
                article_id = owners.get(removal["url"])
                if article_id is not None and article_id not in rows:
                    rows[article_id] = {**removal, "article_id": article_id}
            if rows:
                first = _take_cursors(conn, len(rows))
                records = [{**row, "change_seq": first + n} for n, row in enumerate(rows.values())]
                conn.execute(insert(ArticleRemoval), records)
        return len(rows)

    def _removal_candidates(self, conn: Connection, urls: list[str]) -> dict[str, int]:
        """Article ids by URL (or alias) of the articles with no removal since last seen."""
        by_url = select(Article.url, Article.id).where(Article.url.in_(urls))
        by_alias = select(ArticleAlias.url, ArticleAlias.article_id).where(
            ArticleAlias.url.in_(urls)
        )
        found = _pairs(conn.execute(by_url.union_all(by_alias)))
        still_removed = set(
            conn.execute(
                select(ArticleRemoval.article_id)
                .join(Article, Article.id == ArticleRemoval.article_id)
                .where(
                    ArticleRemoval.article_id.in_(set(found.values())),
                    ArticleRemoval.detected_at >= Article.last_seen_at,
                )
            ).scalars()
        )
        return {url: owner for url, owner in found.items() if owner not in still_removed}

    def _write_transaction(self) -> Any:
        return _WriteTransaction(self.engine)

    def _resolve_aliases(
        self, conn: Connection, records: Sequence[ArticleRecord]
    ) -> list[ArticleRecord]:
        """Point a record whose URL is a known alias at the article that alias belongs to."""
        owner = _pairs(conn.execute(_ALIAS_OWNERS, {"urls": [r["url"] for r in records]}))
        resolved = []
        for record in records:
            record = record.copy()
            if record["url"] in owner:
                record["aliases"] = [*record.get("aliases", ()), record["url"]]
                record["url"] = owner[record["url"]]
            resolved.append(record)
        return resolved

    def _existing(self, conn: Connection, urls: list[str]) -> dict[str, dict[str, Any]]:
        rows = conn.execute(_EXISTING, {"urls": urls}).mappings()
        return {row["url"]: dict(row) for row in rows}

    def _keep_revisions(
        self,
        conn: Connection,
        records: Sequence[ArticleRecord],
        existing: Mapping[str, Mapping[str, Any]],
    ) -> None:
        revisions = [
            {
                "article_id": old["id"],
                "title": old["title"],
                "body": old["body"],
                "content_hash": old["content_hash"],
                "published_at": old["published_at"],
                "modified_at": old["modified_at"],
                "valid_from": old["changed_at"],
                "valid_to": record["fetched_at"],
            }
            for record in records
            if (old := existing.get(record["url"])) is not None
            and old["content_hash"] != record["content_hash"]
        ]
        if revisions:
            conn.execute(insert(ArticleRevision), revisions)

    def _store_articles(
        self,
        conn: Connection,
        records: Sequence[ArticleRecord],
        existing: Mapping[str, Any],
        cursors: Mapping[str, int],
    ) -> None:
        """New articles by a plain INSERT, known ones by the upsert. On SQLite the upsert's
        UPDATE carries the trigger that keeps the search index in step, and a statement that
        may write the index costs each row it inserts a third more: new articles are entered
        into the index by the writer itself (``index_new_articles``)."""
        new = [_row(r, cursors.get(r["url"])) for r in records if r["url"] not in existing]
        known = [_row(r, cursors.get(r["url"])) for r in records if r["url"] in existing]
        if new:
            conn.execute(insert(Article), new)
        if known:
            conn.execute(self._upsert, known)

    def _dialect_insert(self, model: Any) -> Any:
        """An INSERT that knows ON CONFLICT on this backend."""
        dialect_module = postgresql if self.dialect == "postgresql" else sqlite
        return dialect_module.insert(model)

    @cached_property
    def _upsert(self) -> Any:
        """The article upsert, built once for the archive's backend rather than per batch."""
        stmt = self._dialect_insert(Article)
        new = stmt.excluded
        changed = Article.content_hash != new.content_hash

        def on_change(column: str) -> ColumnElement[Any]:
            return case((changed, getattr(new, column)), else_=getattr(Article, column))

        return stmt.on_conflict_do_update(
            index_elements=[Article.url],
            set_={
                **{column: on_change(column) for column in CONTENT_COLUMNS},
                **{
                    column: case(
                        (changed, getattr(new, column)),
                        else_=func.coalesce(getattr(Article, column), getattr(new, column)),
                    )
                    for column in SEARCH_COLUMNS
                },
                "changed_at": case((changed, new.last_seen_at), else_=Article.changed_at),
                "change_seq": case((changed, new.change_seq), else_=Article.change_seq),
                "content_hash": new.content_hash,
                "published_at": func.coalesce(new.published_at, Article.published_at),
                "modified_at": func.coalesce(new.modified_at, Article.modified_at),
                "last_seen_at": func.max(Article.last_seen_at, new.last_seen_at)
                if self.dialect == "sqlite"
                else func.greatest(Article.last_seen_at, new.last_seen_at),
                "http_status": new.http_status,
                "etag": new.etag,
                "last_modified": new.last_modified,
            },
        )

    def _record_aliases(self, conn: Connection, records: Sequence[ArticleRecord]) -> None:
        wanted = {
            alias: (record["url"], record["fetched_at"])
            for record in records
            for alias in record.get("aliases", ())
            if alias != record["url"]
        }
        if not wanted:
            return
        ids = _pairs(conn.execute(_IDS_BY_URL, {"urls": list({url for url, _ in wanted.values()})}))
        conn.execute(
            self._dialect_insert(ArticleAlias).on_conflict_do_nothing(
                index_elements=[ArticleAlias.url]
            ),
            [
                {"url": alias, "article_id": ids[url], "reason": "alias", "first_seen_at": seen}
                for alias, (url, seen) in wanted.items()
            ],
        )

    def add_site_titles(
        self, site: str, pages_by_title: Mapping[str, int], *, learned_at: datetime
    ) -> None:
        """Keep page titles learned to be ``site``'s own (its name on every page), with how
        many pages carried each; titles already kept stay as they were."""
        if not pages_by_title:
            return
        with self._write_transaction() as conn:
            known = set(
                conn.execute(select(SiteTitle.title).where(SiteTitle.site == site)).scalars()
            )
            rows = [
                {"site": site, "title": title, "pages": pages, "learned_at": learned_at}
                for title, pages in pages_by_title.items()
                if title not in known
            ]
            if rows:
                conn.execute(insert(SiteTitle), rows)

    def remember_pages(self, site: str, pages: Sequence[DiscoveredPageRecord]) -> None:
        """Keep what a crawl's discovery found of ``site``: each page replaces the row of its
        URL."""
        if not pages:
            return
        stmt = self._dialect_insert(DiscoveredPage)
        columns = [name for name in DiscoveredPageRecord.__annotations__ if name != "url"]
        stmt = stmt.on_conflict_do_update(
            index_elements=[DiscoveredPage.site, DiscoveredPage.url],
            set_={name: stmt.excluded[name] for name in columns},
        )
        with self._write_transaction() as conn:
            for chunk in _chunks([{**page, "site": site} for page in pages], 500):
                conn.execute(stmt, chunk)

    def discovered_pages(self, site: str) -> list[DiscoveredPageRecord]:
        """What earlier crawls' discovery found of ``site`` (``remember_pages``)."""
        names = list(DiscoveredPageRecord.__annotations__)
        query = select(*(DiscoveredPage.__table__.c[name] for name in names)).where(
            DiscoveredPage.site == site
        )
        with self.engine.connect() as conn:
            return [
                DiscoveredPageRecord(**dict(row))  # type: ignore[typeddict-item]
                for row in conn.execute(query).mappings()
            ]

    def reassign_clusters(
        self, articles: Sequence[Reclustered], *, scheme: str, progress: str
    ) -> dict[str, int]:
        """Store the stories a rebuild decided for these articles (``storage.clusters``), and
        the last of their ids as the rebuild's progress in ``archive_sequences`` row
        ``progress``, in one transaction. Returns each article's story by URL."""
        with self._write_transaction() as conn:
            given = reassign_clusters(conn, articles, scheme, self._dialect_insert)
            if articles:
                stmt = self._dialect_insert(ArchiveSequence)
                row = {"name": progress, "value": max(a.id for a in articles)}
                conn.execute(
                    stmt.on_conflict_do_update(
                        index_elements=[ArchiveSequence.name], set_={"value": row["value"]}
                    ),
                    [row],
                )
        return given

    def progress(self, name: str) -> int:
        """The value of ``archive_sequences`` row ``name``, 0 when there is none."""
        with self.engine.connect() as conn:
            query = select(ArchiveSequence.value).where(ArchiveSequence.name == name)
            return int(conn.execute(query).scalar() or 0)

    def end_progress(self, name: str) -> None:
        """Drop ``archive_sequences`` row ``name``: the work it tracked is done."""
        with self._write_transaction() as conn:
            conn.execute(delete(ArchiveSequence).where(ArchiveSequence.name == name))

    # -- reading --------------------------------------------------------------------------

    @cached_property
    def stories(self) -> Stories:
        """Reads of story clusters and signatures."""
        return Stories(self.engine)

    def iter_articles(
        self,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        site: str | None = None,
        language: str | None = None,
        chunk_size: int = 500,
    ) -> Iterator[dict[str, Any]]:
        """Stream articles in id order; ``since`` and ``until`` select those new or changed
        since then, and before then."""
        query = select(*ARTICLE_COLUMNS).order_by(Article.id)
        if since is not None:
            query = query.where(Article.changed_at >= since)
        if until is not None:
            query = query.where(Article.changed_at < until)
        if site is not None:
            query = query.where(Article.site == site)
        if language is not None:
            query = query.where(Article.language == language)
        with self.engine.connect() as conn:
            result = conn.execution_options(yield_per=chunk_size).execute(query).mappings()
            for row in result:
                yield dict(row)

    def iter_captures(
        self,
        *,
        site: str | None = None,
        language: str | None = None,
        since: datetime | None = None,
        fetched_since: datetime | None = None,
        latest: bool = False,
        after_article: int = 0,
        limit: int | None = None,
        chunk_size: int = 100,
    ) -> Iterator[dict[str, Any]]:
        """Stored pages: each a ``captures`` row with its bytes uncompressed in ``body``, and
        its article's ``article_url``, ``site``, ``title`` and ``extracted_with``; by article,
        oldest version first. ``since``: articles new or changed since then (as
        ``iter_articles``); ``fetched_since``: pages fetched since then; ``latest``: each
        article's newest page only; ``after_article`` and ``limit``: pages of articles with
        greater ids than that, at most ``limit`` pages (a reader that goes in short reads)."""
        query = _captures_query(site, language, since, fetched_since, latest=latest)
        query = query.where(Capture.article_id > after_article).limit(limit)
        reader = self.packs.reader() if self.packs is not None else None
        with self.engine.connect() as conn, reader or nullcontext():
            rows = conn.execution_options(yield_per=chunk_size).execute(query).mappings()
            for row in rows:
                page = dict(row)
                stored = stored_bytes(page, reader)
                for column in PACK_COLUMNS:
                    del page[column]
                page["body"] = unpack(page.pop("compression"), stored)
                yield page

    def count_captures(
        self,
        *,
        site: str | None = None,
        language: str | None = None,
        since: datetime | None = None,
        fetched_since: datetime | None = None,
        latest: bool = False,
    ) -> int:
        """How many pages ``iter_captures`` gives with the same filters."""
        query = _captures_query(site, language, since, fetched_since, latest=latest).subquery()
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(query)).scalar_one())

    def capture_sizes(self) -> tuple[int, int, int]:
        """(captures, bytes as fetched, bytes stored) over the whole archive."""
        query = select(
            func.count(), func.coalesce(func.sum(Capture.size), 0),
            func.coalesce(func.sum(func.length(Capture.body)), 0)
            + func.coalesce(func.sum(Capture.pack_length), 0),
        )  # fmt: skip
        with self.engine.connect() as conn:
            count, size, stored = conn.execute(query).one()
        return int(count), int(size), int(stored)

    def compact_pages(self, *, dead_share: float = 0.5) -> list[str]:
        """Give back the disk of pruned pages: packs more than ``dead_share`` dead are copied
        (their live pages) into the newest and deleted. The pack files deleted."""
        if self.packs is None:
            return []
        with self._write_transaction() as conn:
            emptied = compact_packs(conn, self.packs, dead_share=dead_share)
        self.packs.remove(emptied)
        return emptied

    def changes(self, *, after: int = 0, limit: int = 1000) -> list[dict[str, Any]]:
        """What was written after the change cursor ``after``, in the order of commits, at most
        ``limit`` rows: articles inserted or changed (``"change": "article"``, every column)
        and removal records (``"change": "removal"``). A reader resumes from the last row's
        ``change_seq``; a row written later always gets a greater one."""
        with self.engine.connect() as conn:
            articles = conn.execute(_changed(ARTICLE_COLUMNS, after, limit)).mappings().all()
            removed = conn.execute(_changed(ArticleRemoval.__table__.columns, after, limit))
            removals = removed.mappings().all()
        rows = [
            *({**row, "change": "article"} for row in articles),
            *({**row, "change": "removal"} for row in removals),
        ]
        return sorted(rows, key=lambda row: row["change_seq"])[:limit]

    def last_change(self) -> int:
        """The last change cursor given out: a reader that wants only what comes next starts
        after it."""
        with self.engine.connect() as conn:
            query = select(ArchiveSequence.value).where(ArchiveSequence.name == CHANGES_SEQUENCE)
            return int(conn.execute(query).scalar_one())

    def search(
        self,
        query: str,
        *,
        site: str | None = None,
        language: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = 20,
        ranked: int = RANKED_MATCHES,
    ) -> list[dict[str, Any]]:
        """Articles whose title or body holds every word of ``query``, best first (bm25 on
        SQLite, ``ts_rank`` on PostgreSQL) among the ``ranked`` newest matches, each with its
        ``score`` and a ``snippet`` around the match. ``query`` must be in the search form the
        index holds: pass ``newscrawler.text.search_form(words)``. ``since`` and ``until``
        bound the publication time (``until`` excluded)."""
        filters = SearchFilters(site=site, language=language, since=since, until=until)
        with self.engine.connect() as conn:
            return search(conn, query.split(), filters, limit=limit, ranked=ranked)

    def get_article(self, url: str) -> dict[str, Any] | None:
        """The article at ``url`` or at an alias of it."""
        with self.engine.connect() as conn:
            alias_of = select(ArticleAlias.article_id).where(ArticleAlias.url == url)
            row = (
                conn.execute(
                    select(*ARTICLE_COLUMNS).where((Article.url == url) | Article.id.in_(alias_of))
                )
                .mappings()
                .first()
            )
        return dict(row) if row else None

    def article_with_siblings(self, url: str) -> dict[str, Any] | None:
        """The article at ``url`` (or an alias), its ``cluster`` row, its ``siblings`` (the
        other members of its story, earliest published first) and the ``versions`` of its
        release in the other language (``clusters`` rows with the same release key)."""
        article = self.get_article(url)
        if article is None:
            return None
        cluster_id: int | None = article.get("cluster_id")
        if cluster_id is None:
            return {**article, "cluster": None, "siblings": [], "versions": []}
        members = self.stories.members([cluster_id]).get(cluster_id, [])
        article["cluster"] = self.stories.by_id([cluster_id]).get(cluster_id)
        article["siblings"] = [member for member in members if member["id"] != article["id"]]
        article["versions"] = self.stories.release_versions(cluster_id)
        return article

    def with_siblings(
        self, articles: Iterable[dict[str, Any]], *, chunk_size: int = 500
    ) -> Iterator[dict[str, Any]]:
        """``articles`` (rows of ``iter_articles``), each with its ``siblings``: the other
        members of its story, earliest published first."""
        rows = iter(articles)
        while chunk := list(islice(rows, chunk_size)):
            members = self.stories.members([article.get("cluster_id") for article in chunk])
            for article in chunk:
                story = members.get(article.get("cluster_id") or 0, [])
                yield {**article, "siblings": [m for m in story if m["id"] != article["id"]]}

    def revisions(self, article_id: int) -> list[dict[str, Any]]:
        return self._rows_of(ArticleRevision, article_id, order_by=ArticleRevision.valid_from)

    def aliases(self, article_id: int) -> list[str]:
        with self.engine.connect() as conn:
            return list(
                conn.execute(
                    select(ArticleAlias.url)
                    .where(ArticleAlias.article_id == article_id)
                    .order_by(ArticleAlias.url)
                ).scalars()
            )

    def runs(
        self, *, limit: int = 20, spider: str | None = None, site: str | None = None
    ) -> list[dict[str, Any]]:
        """The most recent crawl runs, newest first."""
        query = select(CrawlRun.__table__).order_by(CrawlRun.id.desc()).limit(limit)
        if spider is not None:
            query = query.where(CrawlRun.spider == spider)
        if site is not None:
            query = query.where(CrawlRun.site == site)
        with self.engine.connect() as conn:
            return [dict(row) for row in conn.execute(query).mappings()]

    def iter_known(self, site: str, *, chunk_size: int = 2000) -> Iterator[KnownArticle]:
        """What re-crawls of ``site`` need to know of each archived article, under its URL and
        again under each alias."""
        removed = (
            select(
                ArticleRemoval.article_id, func.max(ArticleRemoval.detected_at).label("removed_at")
            )
            .group_by(ArticleRemoval.article_id)
            .subquery()
        )
        state = (
            Article.published_at,
            Article.last_seen_at,
            Article.etag,
            Article.last_modified,
            removed.c.removed_at,
        )
        articles = select(Article.url, Article.url.label("article_url"), *state)
        aliases = select(ArticleAlias.url, Article.url.label("article_url"), *state).join(
            Article, Article.id == ArticleAlias.article_id
        )
        with self.engine.connect() as conn:
            for query in (articles, aliases):
                query = query.outerjoin(removed, removed.c.article_id == Article.id).where(
                    Article.site == site
                )
                for row in conn.execution_options(yield_per=chunk_size).execute(query):
                    yield KnownArticle(*row)

    def site_titles(self) -> dict[str, frozenset[str]]:
        """By site, the page titles learned to be the site's own, not any article's headline
        (a few rows for the few sites that have such titles)."""
        titles: dict[str, set[str]] = {}
        with self.engine.connect() as conn:
            for site, title in conn.execute(select(SiteTitle.site, SiteTitle.title)):
                titles.setdefault(site, set()).add(title)
        return {site: frozenset(found) for site, found in titles.items()}

    def removals(self, article_id: int) -> list[dict[str, Any]]:
        """The removal records of an article, oldest first."""
        return self._rows_of(ArticleRemoval, article_id, order_by=ArticleRemoval.detected_at)

    def _rows_of(self, model: Any, article_id: int, *, order_by: Any) -> list[dict[str, Any]]:
        """The rows of ``model`` (a table with an ``article_id``) about one article."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(model.__table__).where(model.article_id == article_id).order_by(order_by)
            ).mappings()
            return [dict(row) for row in rows]

    def count_articles(self, *, site: str | None = None) -> int:
        query = select(func.count()).select_from(Article)
        if site is not None:
            query = query.where(Article.site == site)
        with self.engine.connect() as conn:
            return int(conn.execute(query).scalar_one())

    def max_extra(self, key: str, *, site: str | None = None) -> int | None:
        """The largest integer ``extras[key]`` of the archived articles (the newest ISPR
        ``release_id``, say), or None when no article has one."""
        query = select(func.max(Article.extras[key].as_integer()))
        if site is not None:
            query = query.where(Article.site == site)
        with self.engine.connect() as conn:
            value = conn.execute(query).scalar_one()
        return None if value is None else int(value)


class _WriteTransaction:
    """A transaction holding the archive's write lock for its whole length."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._conn: Connection | None = None

    def __enter__(self) -> Connection:
        conn = self._engine.connect().execution_options(**{WRITE_LOCK: True})
        conn.begin()
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_PG_WRITE_LOCK_KEY})")
        self._conn = conn
        return conn

    def __exit__(self, exc_type: object, *_exc: object) -> None:
        assert self._conn is not None
        try:
            if exc_type is None:
                self._conn.commit()
            else:
                self._conn.rollback()
        finally:
            self._conn.close()


def upgrade(
    target: Engine | str,
    revision: str = "head",
    *,
    search_form: Callable[[str], str] | None = None,
) -> None:
    """Apply migrations up to ``revision`` (``newscrawler db upgrade``). ``search_form`` makes
    the search forms of the articles already archived when the search index is added (schema
    revision 0007); the archive cannot make them itself."""
    # Alembic is imported here, by the one function that needs it: a crawl opening a current
    # archive never loads it (0.15 s and 11 MB).
    from alembic import command

    from storage.migrations.config import SEARCH_FORM_ATTRIBUTE, alembic_config

    engine = create_archive_engine(target) if isinstance(target, str) else target
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    config.attributes[SEARCH_FORM_ATTRIBUTE] = search_form
    try:
        # Under the archive's write lock: a second process creating the same new archive at
        # the same moment waits for the first, then finds the schema current.
        with _WriteTransaction(engine) as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, revision)
    except DBAPIError as error:
        raise _unavailable(engine, error) from None
    finally:
        if isinstance(target, str):
            engine.dispose()


def _schema_revision(conn: Connection) -> str | None:
    """The revision Alembic recorded in ``alembic_version`` (one row: the archive's history
    has no branches)."""
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _unavailable(engine: Engine, error: DBAPIError) -> ArchiveUnavailableError:
    """The database's own reason, in its first line: no traceback, no SQL."""
    cause = str(error.orig).strip().splitlines()[0] if error.orig else type(error).__name__
    url = engine.url.render_as_string(hide_password=True)
    return ArchiveUnavailableError(f"cannot open the archive at {url}: {cause}")


def _pairs(result: Any) -> dict[Any, Any]:
    return {key: value for key, value in result}


def _this_process() -> dict[str, Any]:
    """Who runs a crawl: lets a later run tell a live run from one whose process was killed."""
    return {"pid": os.getpid(), "host": socket.gethostname()}


def _process_gone(stats: Mapping[str, Any]) -> bool:
    if stats.get("host") != socket.gethostname() or not isinstance(stats.get("pid"), int):
        return False
    try:
        os.kill(stats["pid"], 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def _packs_of(engine: Engine) -> Packs | None:
    """The pack folder beside a SQLite archive file; None for PostgreSQL and in-memory SQLite."""
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        return None
    if engine.url.query.get("mode") == "memory":
        return None
    return Packs.beside(Path(database).absolute())


def now_utc() -> datetime:
    """The archive's clock: every timestamp it stores is timezone-aware UTC."""
    return datetime.now(UTC)


def _row(record: ArticleRecord, change_seq: int | None) -> dict[str, Any]:
    row = {column: record.get(column) for column in RECORD_COLUMNS}
    for column in ("authors", "images"):
        row[column] = row[column] or []
    for column in ("extras", "text_flags"):
        row[column] = row[column] or {}
    seen = record["fetched_at"]
    times = {"first_seen_at": seen, "last_seen_at": seen, "changed_at": seen}
    return {**row, **times, "change_seq": change_seq}


def _changed(columns: Iterable[Any], after: int, limit: int) -> Any:
    """The rows of the table of ``columns`` with a change cursor after ``after``, oldest
    first."""
    query = select(*columns)
    cursor = query.selected_columns.change_seq
    return query.where(cursor > after).order_by(cursor).limit(limit)


def _captures_query(
    site: str | None,
    language: str | None,
    since: datetime | None,
    fetched_since: datetime | None,
    *,
    latest: bool,
) -> Any:
    """The captures ``Archive.iter_captures`` reads, with their articles' columns, in article
    order: an index walk that a LIMIT stops early, never a sort of the pages."""
    query = (
        select(
            Capture.__table__,
            Article.url.label("article_url"),
            Article.site,
            Article.title,
            Article.extracted_with,
        )
        .join(Article, Article.id == Capture.article_id)
        .order_by(Capture.article_id, Capture.fetched_at, Capture.id)
    )
    if latest:
        newer = aliased(Capture)
        query = query.where(
            ~exists().where(
                newer.article_id == Capture.article_id,
                (newer.fetched_at > Capture.fetched_at)
                | ((newer.fetched_at == Capture.fetched_at) & (newer.id > Capture.id)),
            )
        )
    articles = select(Article.id)
    if site is not None:
        articles = articles.where(Article.site == site)
    if language is not None:
        articles = articles.where(Article.language == language)
    if since is not None:
        articles = articles.where(Article.changed_at >= since)
    if articles.whereclause is not None:
        # Asked as a set of ids, so that the pages are still read in their index's order.
        query = query.where(Capture.article_id.in_(articles))
    if fetched_since is not None:
        query = query.where(Capture.fetched_at >= fetched_since)
    return query


def _change_cursors(
    conn: Connection, records: Sequence[ArticleRecord], existing: Mapping[str, Mapping[str, Any]]
) -> dict[str, int]:
    """The next change cursors for the records that are new or change their content, in the
    batch's order; the others keep theirs."""
    changes = [
        record["url"]
        for record in records
        if (old := existing.get(record["url"])) is None
        or old["content_hash"] != record["content_hash"]
    ]
    first = _take_cursors(conn, len(changes))
    return {url: first + n for n, url in enumerate(changes)}


def _take_cursors(conn: Connection, count: int) -> int:
    """The first of ``count`` new change cursors. Taken under the archive's write lock, in the
    writing transaction: cursors follow the order of commits."""
    if not count:
        return 0
    last = conn.execute(_TAKE_CURSORS, {"count": count}).scalar_one()
    return int(last) - count + 1


def _last_per_url(records: Sequence[ArticleRecord]) -> list[ArticleRecord]:
    """One record per URL in a batch: an upsert may not touch one row twice."""
    latest: dict[str, ArticleRecord] = {}
    for record in records:
        previous = latest.get(record["url"])
        if previous is not None:
            record["aliases"] = [*previous.get("aliases", ()), *record.get("aliases", ())]
        latest[record["url"]] = record
    return list(latest.values())


__all__ = [
    "ARTICLE_COLUMNS",
    "SEARCH_COLUMNS",
    "Archive",
    "BatchResult",
    "KnownArticle",
    "SchemaOutdatedError",
    "normalize_url",
    "now_utc",
    "upgrade",
]


def _chunks(rows: list[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]

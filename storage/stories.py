"""``Stories``: the archive's reads of story clusters and signatures (``Archive.stories``).

The dedup reads the index of signatures at start-up, the texts of candidates and what is known
of a URL or a text; readers read stories, their members and the versions of a release.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Generator, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, bindparam, func, select

from storage.engine import positional_mark
from storage.models import Article, ArticleSignature, Cluster

#: Columns of a story's member (``Stories.members``, ``export --siblings``).
MEMBER_COLUMNS = (
    Article.id,
    Article.url,
    Article.site,
    Article.language,
    Article.title,
    Article.published_at,
    Article.first_seen_at,
)


@dataclass(frozen=True)
class MatchedArticle:
    """An archived article that one of a crawled article's URL forms or its text matched."""

    id: int
    url: str
    content_hash: str
    site: str


@dataclass(frozen=True)
class Lookup:
    """What the archive knows of one crawled article, in one round trip."""

    #: The archived articles at each of the article's URL forms (canonical URL or alias).
    by_url: dict[str, MatchedArticle]
    #: Archived articles with the same content hash, on any site.
    same_text: list[MatchedArticle]

    def known(self, forms: Sequence[str]) -> MatchedArticle | None:
        """The article at the first of ``forms`` the archive knows."""
        return next((self.by_url[form] for form in forms if form in self.by_url), None)

    def same_text_url(self, site: str) -> str | None:
        """The URL of an article of ``site`` with the same text, the earliest archived."""
        mine = [article for article in self.same_text if article.site == site]
        return min(mine, key=lambda article: article.id).url if mine else None


#: The lookup, in the driver's own SQL on a connection held for it: it runs for every crawled
#: article, and SQLAlchemy's execution of it cost ten times the query (on SQLite 111 µs against
#: 9). Same-text rows are found by the content hash alone (its index); their sites are checked
#: in Python, as a planner without statistics would rather scan the site index.
_LOOKUP_SQL = """\
SELECT articles.url AS form, articles.id, articles.url, articles.content_hash, articles.site
FROM articles WHERE articles.url IN ({forms})
UNION ALL
SELECT article_aliases.url, articles.id, articles.url, articles.content_hash, articles.site
FROM article_aliases JOIN articles ON articles.id = article_aliases.article_id
WHERE article_aliases.url IN ({forms})
UNION ALL
SELECT NULL, articles.id, articles.url, articles.content_hash, articles.site
FROM articles WHERE articles.content_hash = {mark}"""

_TEXTS_BY_ID = select(Article.id, Article.title, Article.body).where(
    Article.id.in_(bindparam("refs", expanding=True))
)
_TEXTS_BY_URL = select(Article.url, Article.title, Article.body).where(
    Article.url.in_(bindparam("refs", expanding=True))
)


class Stories:
    """Reads of the archive's stories (``clusters``) and signatures; never writes."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._mark = positional_mark(engine.dialect)
        #: Each thread's connection for ``lookup``, held between calls.
        self._held = threading.local()
        self._all_held: list[Any] = []

    def close(self) -> None:
        """Give back the connections held for look-ups."""
        for connection in self._all_held:
            connection.close()
        self._all_held.clear()
        self._held = threading.local()

    # -- for the dedup --------------------------------------------------------------------

    def lookup(self, forms: Sequence[str], content_hash: str) -> Lookup:
        """The archived articles at these URL forms (canonical or alias) and with this text."""
        marks = ", ".join([self._mark] * len(forms))
        sql = _LOOKUP_SQL.format(forms=marks, mark=self._mark)
        connection = self._connection()
        try:
            cursor = connection.cursor()
            cursor.execute(sql, (*forms, *forms, content_hash))
            rows = cursor.fetchall()
            cursor.close()
            connection.rollback()  # ends the read: the next one sees what was written since
        except Exception:
            self._drop(connection)  # a broken connection is not held again
            raise
        by_url: dict[str, MatchedArticle] = {}
        same_text: list[MatchedArticle] = []
        for form, *article in rows:
            if form is None:
                same_text.append(MatchedArticle(*article))
            else:
                by_url.setdefault(form, MatchedArticle(*article))
        return Lookup(by_url, same_text)

    def _connection(self) -> Any:
        """This thread's held DB-API connection (from the engine's pool, so configured as
        every connection of the archive is)."""
        connection = getattr(self._held, "connection", None)
        if connection is None:
            connection = self._held.connection = self.engine.raw_connection()
            self._all_held.append(connection)
        return connection

    def _drop(self, connection: Any) -> None:
        self._held.connection = None
        self._all_held.remove(connection)
        connection.invalidate()

    def iter_signatures(self, scheme: str, *, after: int = 0, chunk: int = 10_000) -> Iterator[Any]:
        """``(article_id, url, cluster_id, signature)`` of the articles signed with ``scheme``
        whose id is above ``after``, in id order."""
        query = (
            select(
                ArticleSignature.article_id,
                Article.url,
                Article.cluster_id,
                ArticleSignature.signature,
            )
            .join(Article, Article.id == ArticleSignature.article_id)
            .where(ArticleSignature.scheme == scheme, ArticleSignature.article_id > after)
            .order_by(ArticleSignature.article_id)
        )
        with self.engine.connect() as conn:
            yield from conn.execution_options(yield_per=chunk).execute(query)

    def iter_selected(
        self,
        *,
        site: str | None = None,
        since: datetime | None = None,
        after: int = 0,
        chunk: int = 500,
    ) -> Generator[Any, None, None]:
        """``(id, url, title, body, extras, published_at, cluster_id)`` of the articles of
        ``site`` published (or, undated, first seen) since ``since``, above id ``after``, in id
        order: what ``clusters --rebuild`` decides again."""
        query = select(
            Article.id,
            Article.url,
            Article.title,
            Article.body,
            Article.extras,
            Article.published_at,
            Article.cluster_id,
        )
        query = _selected(query, site=site, since=since, after=after).order_by(Article.id)
        with self.engine.connect() as conn:
            yield from conn.execution_options(yield_per=chunk).execute(query)

    def selected_ids(
        self, *, site: str | None = None, since: datetime | None = None, after: int = 0
    ) -> set[int]:
        """The ids ``iter_selected`` gives with the same arguments."""
        query = _selected(select(Article.id), site=site, since=since, after=after)
        with self.engine.connect() as conn:
            return set(conn.execute(query).scalars())

    def count_other_schemes(self, scheme: str) -> int:
        """How many signatures were made with another scheme than ``scheme``."""
        query = select(func.count()).where(ArticleSignature.scheme != scheme)
        with self.engine.connect() as conn:
            return int(conn.execute(query).scalar_one())

    def texts(self, refs: Sequence[int | str]) -> dict[int | str, tuple[str, str]]:
        """``(title, body)`` of archived articles by id or by URL."""
        numbers = [ref for ref in refs if isinstance(ref, int)]
        urls = [ref for ref in refs if isinstance(ref, str)]
        found: dict[int | str, tuple[str, str]] = {}
        with self.engine.connect() as conn:
            for query, wanted in ((_TEXTS_BY_ID, numbers), (_TEXTS_BY_URL, urls)):
                if wanted:
                    rows = conn.execute(query, {"refs": wanted})
                    found.update((ref, (title or "", body or "")) for ref, title, body in rows)
        return found

    # -- for readers ----------------------------------------------------------------------

    def members(self, cluster_ids: Sequence[int | None]) -> dict[int, list[dict[str, Any]]]:
        """The members of each story, earliest published first."""
        wanted = {c for c in cluster_ids if c is not None}
        found: dict[int, list[dict[str, Any]]] = defaultdict(list)
        if not wanted:
            return found
        query = (
            select(Article.cluster_id, *MEMBER_COLUMNS)
            .where(Article.cluster_id.in_(wanted))
            .order_by(
                Article.published_at.is_(None),
                Article.published_at,
                Article.first_seen_at,
                Article.id,
            )
        )
        with self.engine.connect() as conn:
            for row in conn.execute(query).mappings():
                member = dict(row)
                found[member.pop("cluster_id")].append(member)
        return found

    def by_id(self, cluster_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
        """The ``clusters`` rows of these stories, by id."""
        query = select(Cluster.__table__).where(Cluster.id.in_(cluster_ids))
        with self.engine.connect() as conn:
            return {row["id"]: dict(row) for row in conn.execute(query).mappings()}

    def iter_stories(
        self, *, since: datetime | None = None, min_members: int = 1, chunk_size: int = 500
    ) -> Iterator[dict[str, Any]]:
        """Stories (``clusters`` rows, with ``origin_url`` and ``origin_title``) newest first;
        ``since`` keeps those published or given a new copy since then, ``min_members`` those
        carried by that many articles at least."""
        query = (
            select(
                Cluster.__table__,
                Article.url.label("origin_url"),
                Article.title.label("origin_title"),
            )
            .join(Article, Article.id == Cluster.origin_article_id, isouter=True)
            .order_by(
                func.coalesce(Cluster.first_published_at, Cluster.first_seen_at).desc(),
                Cluster.id.desc(),
            )
        )
        if since is not None:
            query = query.where(
                (func.coalesce(Cluster.last_published_at, Cluster.first_seen_at) >= since)
                | (Cluster.updated_at >= since)
            )
        if min_members > 1:
            query = query.where(Cluster.member_count >= min_members)
        with self.engine.connect() as conn:
            result = conn.execution_options(yield_per=chunk_size).execute(query).mappings()
            for row in result:
                yield dict(row)

    def release_versions(self, cluster_id: int) -> list[dict[str, Any]]:
        """The other stories of the same press release (its English or Urdu version)."""
        key = select(Cluster.release_key).where(Cluster.id == cluster_id).scalar_subquery()
        query = select(Cluster.__table__).where(
            Cluster.release_key == key, Cluster.id != cluster_id
        )
        with self.engine.connect() as conn:
            return [dict(row) for row in conn.execute(query.order_by(Cluster.id)).mappings()]


def _selected(query: Any, *, site: str | None, since: datetime | None, after: int) -> Any:
    query = query.where(Article.id > after)
    if site is not None:
        query = query.where(Article.site == site)
    if since is not None:
        query = query.where(func.coalesce(Article.published_at, Article.first_seen_at) >= since)
    return query

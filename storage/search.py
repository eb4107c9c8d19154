"""Full-text search over the search forms of articles: FTS5 with bm25 on SQLite, a ``tsvector``
with ``ts_rank`` on PostgreSQL (docs/schema.md, "Searching").

The index holds the search forms the crawler made (``articles.search_title``,
``articles.search_body``); a query must be in the same form, made by the same function
(``newscrawler.text.search_form``), which lives above the archive: the caller folds it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Float, Integer, Text, TextualSelect, bindparam, text
from sqlalchemy.types import TypeEngine

from storage.types import UTCDateTime

#: How much more a word in the title counts than one in the body, in SQLite's bm25 (the
#: PostgreSQL vector weighs the title A and the body B: ``ts_rank`` counts them 1.0 and 0.4).
TITLE_WEIGHT = 4.0
#: How many matches are ranked: the newest (by archive order), when a query matches more. A
#: query of words most articles hold would otherwise rank tens of thousands of rows (hundreds
#: of milliseconds); in a news archive the best of the newest few thousand is what a reader
#: wants first, and narrower words or filters reach further back.
RANKED_MATCHES = 5_000
#: Words of the snippet around the best match, and the marks around each matched word.
SNIPPET_WORDS = 16
MATCH_START, MATCH_END, ELLIPSIS = "[", "]", "…"

#: What a search gives of each article.
RESULT_COLUMNS = "id, url, site, language, title, published_at, changed_at, cluster_id, change_seq"
_TYPES: dict[str, TypeEngine[Any]] = {
    "id": Integer(),
    "published_at": UTCDateTime(),
    "changed_at": UTCDateTime(),
    "score": Float(),
    "snippet": Text(),
}


@dataclass(frozen=True)
class SearchFilters:
    """What narrows a search besides its words; times bound ``published_at``."""

    site: str | None = None
    language: str | None = None
    since: datetime | None = None
    until: datetime | None = None

    def where(self, table: str) -> str:
        conditions = [
            condition
            for value, condition in (
                (self.site, f"{table}.site = :site"),
                (self.language, f"{table}.language = :language"),
                (self.since, f"{table}.published_at >= :since"),
                (self.until, f"{table}.published_at < :until"),
            )
            if value is not None
        ]
        return "".join(f" AND {condition}" for condition in conditions)

    def params(self) -> dict[str, Any]:
        values: dict[str, Any] = {"site": self.site, "language": self.language}
        values |= {"since": self.since, "until": self.until}
        return {name: value for name, value in values.items() if value is not None}


#: A new article's entry in SQLite's index.
_INDEX_NEW = text(
    "INSERT INTO articles_fts (rowid, search_title, search_body) VALUES (:id, :title, :body)"
)


def index_new_articles(conn: Connection, articles: Sequence[tuple[int, Mapping[str, Any]]]) -> None:
    """Enter new articles (id, record) into SQLite's index, in the transaction that inserts
    them. A trigger would do it row by row, and FTS5 writes its pending entries out at each
    triggered statement: three times the cost. Changes and deletions, rarer, are left to the
    triggers; PostgreSQL computes its ``search_vector`` itself."""
    if not articles or conn.dialect.name != "sqlite":
        return
    conn.execute(
        _INDEX_NEW,
        [
            {"id": article_id, "title": record.get("search_title"),
             "body": record.get("search_body")}
            for article_id, record in articles
        ],
    )  # fmt: skip


def search(
    conn: Connection,
    words: list[str],
    filters: SearchFilters,
    *,
    limit: int,
    ranked: int = RANKED_MATCHES,
) -> list[dict[str, Any]]:
    """The articles whose title or body holds every one of ``words`` (in the search form),
    best first among the ``ranked`` newest matches, each with its ``score`` (higher is better)
    and a ``snippet`` of the search form around the match, matched words in brackets."""
    if not words:
        return []
    build = _sqlite if conn.dialect.name == "sqlite" else _postgres
    statement = build(filters)
    params = {**filters.params(), "limit": limit, "ranked": ranked}
    if conn.dialect.name == "sqlite":
        params["match"] = fts5_query(words)
    else:
        params["words"] = " ".join(words)
    rows = conn.execute(statement, params).mappings()
    return [dict(row) for row in rows]


def fts5_query(words: list[str]) -> str:
    """Every word, each as a quoted FTS5 string: no word is read as an operator (AND, NEAR),
    a prefix (*) or a column filter (:)."""
    return " ".join('"' + word.replace('"', '""') + '"' for word in words)


def _typed(sql: str) -> TextualSelect:
    """``sql`` with its result columns and time parameters typed (UTC on both backends)."""
    times = [bindparam(name, type_=UTCDateTime()) for name in ("since", "until")]
    statement = text(sql).bindparams(*(time for time in times if f":{time.key}" in sql))
    return statement.columns(**_TYPES)


def _sqlite(filters: SearchFilters) -> TextualSelect:
    # The newest matches (FTS5 walks its index in rowid order), ranked and cut to ``limit``,
    # joined to ``articles`` only to filter; then a snippet for each of those rows alone (made
    # in the ranking query, it would be made for every match).
    where = filters.where("a")
    join = " JOIN articles a ON a.id = articles_fts.rowid" if where else ""
    return _typed(f"""
        WITH newest AS (
            SELECT articles_fts.rowid AS id, bm25(articles_fts, {TITLE_WEIGHT}, 1.0) AS rank
            FROM articles_fts{join}
            WHERE articles_fts MATCH :match{where}
            ORDER BY articles_fts.rowid DESC LIMIT :ranked),
        best AS (SELECT id, rank FROM newest ORDER BY rank LIMIT :limit)
        SELECT {_prefixed("a")}, -best.rank AS score, (
            SELECT snippet(articles_fts, -1, '{MATCH_START}', '{MATCH_END}', '{ELLIPSIS}',
                           {SNIPPET_WORDS})
            FROM articles_fts WHERE articles_fts MATCH :match AND rowid = best.id) AS snippet
        FROM best JOIN articles a ON a.id = best.id
        ORDER BY best.rank, a.id""")


def _postgres(filters: SearchFilters) -> TextualSelect:
    headline = (
        f"StartSel={MATCH_START}, StopSel={MATCH_END}, FragmentDelimiter={ELLIPSIS}, "
        f"MaxWords={SNIPPET_WORDS}, MinWords={SNIPPET_WORDS // 2}, MaxFragments=1"
    )
    # The newest matches, ranked and cut to ``limit``; then a headline (which reads the whole
    # text) for those rows alone.
    return _typed(f"""
        SELECT {_prefixed("a")}, best.score,
            ts_headline('simple', coalesce(nullif(a.search_body, ''), a.search_title, ''),
                        best.query, '{headline}') AS snippet
        FROM (
            SELECT r.id, q.query, ts_rank(r.search_vector, q.query) AS score
            FROM (
                SELECT a.id
                FROM articles a, plainto_tsquery('simple', :words) AS q(query)
                WHERE a.search_vector @@ q.query{filters.where("a")}
                ORDER BY a.id DESC LIMIT :ranked
            ) newest JOIN articles r ON r.id = newest.id,
            plainto_tsquery('simple', :words) AS q(query)
            ORDER BY score DESC, r.id LIMIT :limit
        ) best JOIN articles a ON a.id = best.id
        ORDER BY best.score DESC, a.id""")


def _prefixed(table: str) -> str:
    return ", ".join(f"{table}.{column.strip()}" for column in RESULT_COLUMNS.split(","))

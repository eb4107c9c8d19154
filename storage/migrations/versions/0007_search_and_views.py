"""full-text search, readers' views, articles.cluster_id a foreign key

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04

Readers could not search the archive, and SQL tools showed no link from an article to its
story. Articles now keep the search forms of their title and body (``search_title``,
``search_body``), indexed by an FTS5 table on SQLite (kept in step by the archive's writer
and by triggers) and by a generated ``tsvector`` with a GIN index on PostgreSQL. The search
form is made above the archive (``newscrawler.text.search_form``): ``newscrawler db upgrade``
hands it to this migration, which fills the forms of the articles already archived. Two
views give readers readable names, and on SQLite timestamps in the ISO 8601 form the export
writes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import sqlalchemy as sa
from alembic import context, op

from storage.migrations.config import SEARCH_FORM_ATTRIBUTE

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: Articles read and written per statement while their search forms are filled.
CHUNK = 500

#: The foreign key as SQLite keeps it in the table's definition.
SQLITE_CLUSTER_KEY = "cluster_id INTEGER REFERENCES clusters (id) DEFERRABLE INITIALLY DEFERRED"

#: The index of SQLite archives. The archive's writer enters each new article itself, in the
#: inserting transaction (``storage.search.index_new_articles``): FTS5 flushes its pending
#: entries at every statement a trigger runs, which would make an insert three times dearer.
#: Changes and deletions, rare, are kept in step by triggers.
SQLITE_SEARCH = (
    """CREATE VIRTUAL TABLE articles_fts USING fts5(
        search_title, search_body, content="articles", content_rowid="id",
        tokenize="unicode61 remove_diacritics 2")""",
    """CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts (articles_fts, rowid, search_title, search_body)
        VALUES ('delete', old.id, old.search_title, old.search_body);
    END""",
    """CREATE TRIGGER articles_fts_update AFTER UPDATE OF search_title, search_body ON articles
    WHEN old.search_title IS NOT new.search_title OR old.search_body IS NOT new.search_body
    BEGIN
        INSERT INTO articles_fts (articles_fts, rowid, search_title, search_body)
        VALUES ('delete', old.id, old.search_title, old.search_body);
        INSERT INTO articles_fts (rowid, search_title, search_body)
        VALUES (new.id, new.search_title, new.search_body);
    END""",
    # The articles already archived.
    "INSERT INTO articles_fts (articles_fts) VALUES ('rebuild')",
)

POSTGRES_SEARCH = (
    """ALTER TABLE articles ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', coalesce(search_title, '')), 'A')
        || setweight(to_tsvector('simple', coalesce(search_body, '')), 'B')) STORED""",
    "CREATE INDEX ix_articles_search_vector ON articles USING gin (search_vector)",
)

#: Timestamp columns of the views, by table.
ARTICLE_TIMES = ("published_at", "modified_at", "first_seen_at", "last_seen_at", "changed_at")
RUN_TIMES = ("started_at", "finished_at")


def upgrade() -> None:
    op.add_column("articles", sa.Column("search_title", sa.Text()))
    op.add_column("articles", sa.Column("search_body", sa.Text()))
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        _cluster_key_sqlite()
    else:
        _cluster_key_postgres()
    search_form = context.config.attributes.get(SEARCH_FORM_ATTRIBUTE)
    if search_form is not None:
        fill_search_forms(op.get_bind(), search_form)
    for statement in SQLITE_SEARCH if sqlite else POSTGRES_SEARCH:
        op.execute(statement)
    for statement in views(iso_text=sqlite):
        op.execute(statement)


def _cluster_key_postgres() -> None:
    _forget_missing_stories()
    op.create_foreign_key(
        "fk_articles_cluster_id",
        "articles",
        "clusters",
        ["cluster_id"],
        ["id"],
        deferrable=True,
        initially="DEFERRED",
    )


def _cluster_key_sqlite() -> None:
    """SQLite adds a constraint only by rebuilding the table, and a rebuild drops the old table,
    which with foreign keys on deletes every alias, revision and signature. The constraint is
    written into the table's definition instead, SQLite's documented way for a change that
    leaves the stored rows as they are (https://www.sqlite.org/lang_altertable.html, section
    7); no story that an article names is missing, so the rows already satisfy it."""
    _forget_missing_stories()
    _redefine_articles(r"\bcluster_id INTEGER\b", SQLITE_CLUSTER_KEY)
    problems = op.get_bind().exec_driver_sql("PRAGMA quick_check").scalars().all()
    if problems != ["ok"]:
        raise RuntimeError(f"the archive failed its integrity check: {problems[:3]}")


def _forget_missing_stories() -> None:
    """A story id no ``clusters`` row has (none is expected) would break the new key."""
    op.execute(
        "UPDATE articles SET cluster_id = NULL "
        "WHERE cluster_id IS NOT NULL AND cluster_id NOT IN (SELECT id FROM clusters)"
    )


def _redefine_articles(pattern: str, replacement: str) -> None:
    """Rewrite the SQLite definition of ``articles``: ``pattern`` must occur once."""
    conn = op.get_bind()
    table = conn.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'articles'"
    ).scalar_one()
    changed, found = re.subn(pattern, replacement, table)
    if found != 1:
        raise RuntimeError("articles.cluster_id is not defined as this migration expects")
    version = conn.exec_driver_sql("PRAGMA schema_version").scalar_one()
    conn.exec_driver_sql("PRAGMA writable_schema = ON")
    conn.exec_driver_sql(
        "UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = 'articles'", (changed,)
    )
    conn.exec_driver_sql(f"PRAGMA schema_version = {int(version) + 1}")
    conn.exec_driver_sql("PRAGMA writable_schema = OFF")


def fill_search_forms(conn: sa.Connection, search_form: Callable[[str], str]) -> None:
    """Give every archived article the search forms of its title and body."""
    last = 0
    read = sa.text("SELECT id, title, body FROM articles WHERE id > :last ORDER BY id LIMIT :chunk")
    write = sa.text("UPDATE articles SET search_title = :title, search_body = :body WHERE id = :id")
    while rows := conn.execute(read, {"last": last, "chunk": CHUNK}).all():
        conn.execute(
            write,
            [
                {"id": row.id, "title": search_form(row.title or ""),
                 "body": search_form(row.body or "")}
                for row in rows
            ],
        )  # fmt: skip
        last = rows[-1].id


def views(*, iso_text: bool) -> tuple[str, str]:
    """The readers' views; ``iso_text``: present SQLite's stored timestamps
    (``YYYY-MM-DD HH:MM:SS.ffffff``) as the export writes them
    (``YYYY-MM-DDTHH:MM:SS.ffffff+00:00``), so that ISO 8601 text compares right."""

    def at(column: str) -> str:
        return f"replace({column}, ' ', 'T') || '+00:00'" if iso_text else column

    article_times = ", ".join(f"{at('a.' + name)} AS {name}" for name in ARTICLE_TIMES)
    run_times = ", ".join(f"{at(name)} AS {name}" for name in RUN_TIMES)
    articles = f"""CREATE VIEW articles_with_story AS
        SELECT a.id, a.url, a.site, a.language, a.title, a.body, a.authors, a.images,
            {article_times}, a.content_hash, a.http_status, a.extras, a.text_flags,
            a.change_seq, a.cluster_id AS story_id,
            c.member_count - 1 AS sibling_count, c.site_count AS story_site_count,
            c.sites AS story_sites, c.languages AS story_languages,
            c.release_key AS story_release_key, o.url AS story_origin_url,
            {at("c.first_published_at")} AS story_first_published_at
        FROM articles a
        LEFT JOIN clusters c ON c.id = a.cluster_id
        LEFT JOIN articles o ON o.id = c.origin_article_id"""
    runs = f"""CREATE VIEW latest_runs AS
        SELECT id, spider, site, {run_times}, outcome, pages_fetched, items_archived,
            items_new, items_changed, items_dropped, errors, dropped_by_reason, health,
            health_notes
        FROM crawl_runs
        WHERE id IN (SELECT max(id) FROM crawl_runs GROUP BY site)"""
    return articles, runs


def downgrade() -> None:
    op.execute("DROP VIEW latest_runs")
    op.execute("DROP VIEW articles_with_story")
    if op.get_bind().dialect.name == "sqlite":
        for name in ("articles_fts_update", "articles_fts_delete"):
            op.execute(f"DROP TRIGGER {name}")
        op.execute("DROP TABLE articles_fts")
        _redefine_articles(re.escape(SQLITE_CLUSTER_KEY), "cluster_id INTEGER")
    else:
        op.execute("DROP INDEX ix_articles_search_vector")
        op.execute("ALTER TABLE articles DROP COLUMN search_vector")
        op.drop_constraint("fk_articles_cluster_id", "articles", type_="foreignkey")
    op.drop_column("articles", "search_body")
    op.drop_column("articles", "search_title")

"""articles, aliases, revisions and crawl runs

Revision ID: 0001
Revises:
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.types import JSONDocument, UTCDateTime

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "articles",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("url", sa.Text(), nullable=False, unique=True),
        sa.Column("site", sa.String(200), nullable=False, index=True),
        sa.Column("language", sa.String(16), index=True),
        sa.Column("title", sa.Text()),
        sa.Column("body", sa.Text()),
        sa.Column("authors", JSONDocument, nullable=False),
        sa.Column("images", JSONDocument, nullable=False),
        sa.Column("published_at", UTCDateTime(), index=True),
        sa.Column("modified_at", UTCDateTime()),
        sa.Column("first_seen_at", UTCDateTime(), nullable=False),
        sa.Column("last_seen_at", UTCDateTime(), nullable=False),
        sa.Column("changed_at", UTCDateTime(), nullable=False, index=True),
        sa.Column("content_hash", sa.String(64), nullable=False, index=True),
        sa.Column("http_status", sa.Integer()),
        sa.Column("extras", JSONDocument, nullable=False),
        sa.Column("text_flags", JSONDocument, nullable=False),
        sa.Column("etag", sa.Text()),
        sa.Column("last_modified", sa.Text()),
    )
    op.create_table(
        "article_aliases",
        sa.Column("url", sa.Text(), primary_key=True),
        sa.Column(
            "article_id",
            sa.Integer(),
            sa.ForeignKey("articles.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("reason", sa.String(32), nullable=False),
        sa.Column("first_seen_at", UTCDateTime(), nullable=False),
    )
    op.create_table(
        "article_revisions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "article_id",
            sa.Integer(),
            sa.ForeignKey("articles.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("title", sa.Text()),
        sa.Column("body", sa.Text()),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("published_at", UTCDateTime()),
        sa.Column("modified_at", UTCDateTime()),
        sa.Column("valid_from", UTCDateTime(), nullable=False),
        sa.Column("valid_to", UTCDateTime(), nullable=False),
    )
    op.create_index(
        "ix_article_revisions_article", "article_revisions", ["article_id", "valid_from"]
    )
    op.create_table(
        "crawl_runs",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("spider", sa.String(200), nullable=False, index=True),
        sa.Column("site", sa.String(200)),
        sa.Column("started_at", UTCDateTime(), nullable=False, index=True),
        sa.Column("finished_at", UTCDateTime()),
        sa.Column("outcome", sa.String(32), nullable=False),
        sa.Column("pages_fetched", sa.Integer(), nullable=False),
        sa.Column("items_archived", sa.Integer(), nullable=False),
        sa.Column("items_new", sa.Integer(), nullable=False),
        sa.Column("items_changed", sa.Integer(), nullable=False),
        sa.Column("items_dropped", sa.Integer(), nullable=False),
        sa.Column("errors", sa.Integer(), nullable=False),
        sa.Column("dropped_by_reason", JSONDocument, nullable=False),
        sa.Column("stats", JSONDocument, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("crawl_runs")
    op.drop_index("ix_article_revisions_article", "article_revisions")
    op.drop_table("article_revisions")
    op.drop_table("article_aliases")
    op.drop_table("articles")

"""captures: the pages as fetched; articles.extracted_with

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04

Only the extracted fields were kept: once a page was gone, a better extractor could not read
it again. Each distinct version of an article's page is now kept, compressed, with its status,
headers and fetch time, and each article row says which extraction made its fields, so that
``newscrawler reprocess`` can read the archive again and ``export --format warc`` can give the
pages back. Articles archived before this revision have no capture and no extraction version.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.types import JSONDocument, UTCDateTime

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("articles", sa.Column("extracted_with", sa.String(120)))
    op.create_table(
        "captures",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "article_id",
            sa.Integer(),
            sa.ForeignKey("articles.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("fetched_at", UTCDateTime(), nullable=False),
        sa.Column("http_status", sa.Integer(), nullable=False),
        sa.Column("headers", JSONDocument, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("compression", sa.String(16), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
    )
    if op.get_bind().dialect.name == "postgresql":
        # The pages are compressed already: TOAST keeps them out of line without trying again.
        op.execute("ALTER TABLE captures ALTER COLUMN body SET STORAGE EXTERNAL")
    op.create_index("ix_captures_article_sha256", "captures", ["article_id", "sha256"], unique=True)
    op.create_index("ix_captures_article_fetched", "captures", ["article_id", "fetched_at"])


def downgrade() -> None:
    op.drop_index("ix_captures_article_fetched", "captures")
    op.drop_index("ix_captures_article_sha256", "captures")
    op.drop_table("captures")
    op.drop_column("articles", "extracted_with")

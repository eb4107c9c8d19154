"""discovered_pages: what auto-mode discovery found on each site

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05

An auto-mode crawl probes the usual sitemap and feed paths and follows a site's navigation; a
re-crawl of an unchanged site did all of it again. The pages that are not articles are now kept
per site (missing paths, navigation pages, listings, sitemaps and feeds, with their validators
and content hash), so that a re-crawl skips what is missing or of no use until it is due and
asks the rest conditionally.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "discovered_pages",
        sa.Column("site", sa.String(200), primary_key=True),
        sa.Column("url", sa.Text(), primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("http_status", sa.Integer(), nullable=False),
        sa.Column("via", sa.Text()),
        sa.Column("depth", sa.Integer(), nullable=False),
        sa.Column("page_number", sa.Integer(), nullable=False),
        sa.Column("etag", sa.Text()),
        sa.Column("last_modified", sa.Text()),
        sa.Column("content_hash", sa.String(64)),
        sa.Column("article_links", sa.Integer(), nullable=False),
        sa.Column("checked_at", UTCDateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("discovered_pages")

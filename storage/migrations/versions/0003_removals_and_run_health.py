"""article removals; health and health notes of crawl runs

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.types import JSONDocument, UTCDateTime

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "article_removals",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "article_id",
            sa.Integer(),
            sa.ForeignKey("articles.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("http_status", sa.Integer(), nullable=False),
        sa.Column("detected_at", UTCDateTime(), nullable=False),
        sa.Column("run_id", sa.Integer(), sa.ForeignKey("crawl_runs.id", ondelete="SET NULL")),
    )
    op.create_index(
        "ix_article_removals_article", "article_removals", ["article_id", "detected_at"]
    )
    with op.batch_alter_table("crawl_runs") as batch:
        batch.add_column(sa.Column("health", sa.String(16)))
        batch.add_column(
            sa.Column("health_notes", JSONDocument, nullable=False, server_default="[]")
        )


def downgrade() -> None:
    with op.batch_alter_table("crawl_runs") as batch:
        batch.drop_column("health_notes")
        batch.drop_column("health")
    op.drop_index("ix_article_removals_article", "article_removals")
    op.drop_table("article_removals")

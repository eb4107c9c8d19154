"""story clusters: articles.cluster_id, clusters and article_signatures

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28

Articles archived before this revision each become a story of their own.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.types import JSONDocument, UTCDateTime

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: Rows of existing articles read and written per statement while giving them clusters.
CHUNK = 5000


def upgrade() -> None:
    op.add_column("articles", sa.Column("cluster_id", sa.Integer()))
    op.create_index("ix_articles_cluster_id", "articles", ["cluster_id"])
    clusters = op.create_table(
        "clusters",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column(
            "origin_article_id", sa.Integer(), sa.ForeignKey("articles.id", ondelete="SET NULL")
        ),
        sa.Column("member_count", sa.Integer(), nullable=False),
        sa.Column("site_count", sa.Integer(), nullable=False),
        sa.Column("sites", JSONDocument, nullable=False),
        sa.Column("languages", JSONDocument, nullable=False),
        sa.Column("first_published_at", UTCDateTime(), index=True),
        sa.Column("last_published_at", UTCDateTime()),
        sa.Column("first_seen_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False, index=True),
        sa.Column("release_key", sa.String(64), index=True),
    )
    op.create_table(
        "article_signatures",
        sa.Column(
            "article_id",
            sa.Integer(),
            sa.ForeignKey("articles.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("scheme", sa.String(40), nullable=False),
        sa.Column("signature", sa.LargeBinary(), nullable=False),
    )
    _one_story_per_existing_article(clusters)


def _one_story_per_existing_article(clusters: sa.Table) -> None:
    conn = op.get_bind()
    articles = sa.table(
        "articles",
        sa.column("id", sa.Integer()),
        sa.column("site", sa.String()),
        sa.column("language", sa.String()),
        sa.column("published_at", UTCDateTime()),
        sa.column("first_seen_at", UTCDateTime()),
        sa.column("cluster_id", sa.Integer()),
    )
    conn.execute(sa.update(articles).values(cluster_id=articles.c.id))
    rows = conn.execute(sa.select(articles).order_by(articles.c.id)).mappings()
    while chunk := rows.fetchmany(CHUNK):
        conn.execute(
            sa.insert(clusters),
            [
                {
                    "id": row["id"],
                    "origin_article_id": row["id"],
                    "member_count": 1,
                    "site_count": 1,
                    "sites": [row["site"]],
                    "languages": [row["language"]] if row["language"] else [],
                    "first_published_at": row["published_at"],
                    "last_published_at": row["published_at"],
                    "first_seen_at": row["first_seen_at"],
                    "updated_at": row["first_seen_at"],
                    "release_key": None,
                }
                for row in chunk
            ],
        )


def downgrade() -> None:
    op.drop_table("article_signatures")
    op.drop_table("clusters")
    op.drop_index("ix_articles_cluster_id", "articles")
    with op.batch_alter_table("articles") as batch:
        batch.drop_column("cluster_id")

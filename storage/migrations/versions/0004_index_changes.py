"""articles.language no longer indexed; clusters.release_key indexed only where set

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28

An index on a column of three values (``ur``, ``en``, ``mixed``) finds nothing faster than a
scan and costs every insert an index write. Most stories have no release key: the index keeps
only those that have one, and ``release_key = ...`` look-ups still use it.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RELEASE_KEY_SET = sa.text("release_key IS NOT NULL")


def upgrade() -> None:
    op.drop_index("ix_articles_language", "articles")
    op.drop_index("ix_clusters_release_key", "clusters")
    op.create_index(
        "ix_clusters_release_key",
        "clusters",
        ["release_key"],
        sqlite_where=RELEASE_KEY_SET,
        postgresql_where=RELEASE_KEY_SET,
    )


def downgrade() -> None:
    op.drop_index("ix_clusters_release_key", "clusters")
    op.create_index("ix_clusters_release_key", "clusters", ["release_key"])
    op.create_index("ix_articles_language", "articles", ["language"])

"""change cursor: articles.change_seq, article_removals.change_seq, archive_sequences

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04

A reader polling "changed since T" missed rows that committed after rows with later
timestamps. Every insert or content change of an article, and every removal record, now takes
the next number of one sequence inside the write transaction, under the archive's write lock:
the numbers follow the order of commits. Rows already archived are numbered here, articles in
the order their content was written, then removal records in the order they were found.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: The name of the change cursor's row in ``archive_sequences``.
CHANGES = "changes"


def upgrade() -> None:
    op.create_table(
        "archive_sequences",
        sa.Column("name", sa.String(40), primary_key=True),
        sa.Column("value", sa.BigInteger(), nullable=False),
    )
    op.add_column("articles", sa.Column("change_seq", sa.BigInteger()))
    op.add_column("article_removals", sa.Column("change_seq", sa.BigInteger()))
    conn = op.get_bind()
    last = _number(conn, "articles", "changed_at", start=0)
    last = _number(conn, "article_removals", "detected_at", start=last)
    conn.execute(
        sa.text("INSERT INTO archive_sequences (name, value) VALUES (:name, :value)"),
        {"name": CHANGES, "value": last},
    )
    op.create_index("ix_articles_change_seq", "articles", ["change_seq"], unique=True)
    op.create_index(
        "ix_article_removals_change_seq", "article_removals", ["change_seq"], unique=True
    )


def _number(conn: sa.Connection, table: str, order: str, *, start: int) -> int:
    """Give the rows of ``table`` numbers after ``start`` in ``order``; the last one given."""
    ids = conn.execute(sa.text(f"SELECT id FROM {table} ORDER BY {order}, id")).scalars().all()
    if ids:
        conn.execute(
            sa.text(f"UPDATE {table} SET change_seq = :seq WHERE id = :id"),
            [{"seq": start + n, "id": row_id} for n, row_id in enumerate(ids, 1)],
        )
    return start + len(ids)


def downgrade() -> None:
    op.drop_index("ix_article_removals_change_seq", "article_removals")
    op.drop_index("ix_articles_change_seq", "articles")
    op.drop_column("article_removals", "change_seq")
    op.drop_column("articles", "change_seq")
    op.drop_table("archive_sequences")

"""captures.pack, pack_offset, pack_length: pages of SQLite archives in files beside them

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05

A page written into SQLite is written twice (write-ahead log, then database file) a 4 KiB
B-tree page at a time; appended to a file, once. New pages of a SQLite archive go to pack files
in ``<archive file>.pages/`` and their row says where (``body`` is then empty); pages stored
before, and every page of a PostgreSQL archive, stay in ``body``.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = (
    sa.Column("pack", sa.String(32)),
    sa.Column("pack_offset", sa.BigInteger()),
    sa.Column("pack_length", sa.Integer()),
)


def upgrade() -> None:
    for column in COLUMNS:
        op.add_column("captures", column)


def downgrade() -> None:
    # The pages in packs stay in their files; their rows keep no bytes of them.
    for column in reversed(COLUMNS):
        op.drop_column("captures", column.name)

"""site_titles: page titles a site puts on every page, learned per site

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04

A site whose every page carries the same <title> ("Press Release | ISPR") names itself there,
not the article: crawls learn such titles and keep them here, so that every later extraction
of the site (a one-off scrape too) looks for the headline elsewhere.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "site_titles",
        sa.Column("site", sa.String(200), primary_key=True),
        sa.Column("title", sa.Text(), primary_key=True),
        sa.Column("pages", sa.Integer(), nullable=False),
        sa.Column("learned_at", UTCDateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("site_titles")

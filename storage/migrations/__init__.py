"""Alembic migrations of the archive schema."""

#: The newest migration's revision: what every archive opened by this newscrawler must be at.
#: Said here, checked against the migrations by a test, so that opening an archive reads one
#: row instead of importing Alembic and every migration script.
HEAD_REVISION = "0010"

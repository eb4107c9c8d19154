"""Alembic configuration built in code, so the archive needs no alembic.ini on disk."""

from __future__ import annotations

from pathlib import Path

from alembic.config import Config

SCRIPT_LOCATION = Path(__file__).parent
#: Where ``storage.archive.upgrade`` hands the migrations the search form function.
SEARCH_FORM_ATTRIBUTE = "search_form"


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(SCRIPT_LOCATION))
    # ConfigParser interpolates '%': URL-encoded passwords must survive it.
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config

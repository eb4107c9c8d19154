"""Alembic configuration built in code, so the archive needs no alembic.ini on disk."""

from __future__ import annotations

from alembic.config import Config

from storage.resources import package_dir

#: The migrations folder, on disk even when the project runs from a zipped egg.
SCRIPT_LOCATION = package_dir("storage.migrations")
#: Where ``storage.archive.upgrade`` hands the migrations the search form function.
SEARCH_FORM_ATTRIBUTE = "search_form"


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(SCRIPT_LOCATION))
    # ConfigParser interpolates '%': URL-encoded passwords must survive it.
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config

"""Datasette on an SQLite archive: ``_search`` uses the archive's full-text index, and an
article links to its story, as its JSON API shows."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any
from urllib.parse import quote

from datasette.app import Datasette

from storage.archive import Archive
from tests.storage.test_search import ARTICLES, article


def datasette_json(database: Path, path: str) -> Any:
    """GET ``path`` of Datasette serving ``database`` (its own in-process client)."""

    async def get() -> Any:
        response = await Datasette([str(database)]).client.get(f"/{database.stem}/{path}")
        assert response.status_code == 200, response.text[:500]
        return response.json()

    return asyncio.run(get())


def test_datasette_search_finds_articles_in_the_index(tmp_path: Path) -> None:
    database = tmp_path / "archive.sqlite3"
    with Archive.open(f"sqlite:///{database}") as archive:
        archive.write_batch([article(*fields) for fields in ARTICLES])

    english = datasette_json(database, "articles.json?_search=Army+chief&_shape=array&_col=url")
    urdu = datasette_json(
        database, f"articles.json?_search={quote('آرمی چیف')}&_shape=array&_col=url"
    )
    linked = datasette_json(database, "articles.json?_shape=array&_labels=on&_col=cluster_id")

    assert sorted(row["url"] for row in english) == [
        "https://dawn.example/en/floods",
        "https://ispr.example/en/quetta",
    ]
    assert sorted(row["url"] for row in urdu) == [
        "https://dawn-urdu.example/ur/floods",
        "https://ispr.example/ur/quetta",
    ]
    assert all(isinstance(row["cluster_id"], dict) for row in linked)  # a link, with its label
    assert {row["cluster_id"]["value"] for row in linked} == set(range(1, len(ARTICLES) + 1))

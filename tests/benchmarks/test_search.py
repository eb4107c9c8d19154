"""The search benchmark runs end to end on small SQLite archives and renders its section."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from benchmarks import search
from benchmarks.report import render_search
from benchmarks.sink import records, write
from newscrawler.hashing import fill_search_forms
from storage.archive import Archive


def test_a_small_search_benchmark_and_its_report(tmp_path: Path) -> None:
    figures = search.measure(
        f"sqlite:///{tmp_path / 'indexed.sqlite3'}",
        f"sqlite:///{tmp_path / 'plain.sqlite3'}",
        size=1200,
    )
    writing = figures["write_us_per_article"]
    assert writing["with_index"] > 0 and writing["without_index"] > 0
    assert figures["file_mb"]["with_index"] > figures["file_mb"]["without"]
    queries = figures["queries"]
    assert set(queries) == set(search.queries())
    for query in queries.values():
        assert query["results"] == min(query["matches"], search.LIMIT)
    assert queries["en, the two commonest words"]["matches"] > 0
    results = {"size": 1200, "runs": search.RUNS, "limit": search.LIMIT, "ranked": 5000,
               "load_before": 1.0, "load_after": 1.0, "sqlite": figures,
               "postgresql": None}  # fmt: skip
    section = render_search(results)
    assert section.startswith("## Full-text search")
    assert "| postgresql | server not reachable |" in section
    assert "Against the goals: sqlite:" in section
    assert "The newest 5,000 matches are ranked" in section


@pytest.mark.postgres
def test_the_vectors_alone_are_timed_on_postgresql_and_reported(postgres_database: str) -> None:
    engine = create_engine(postgres_database, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    with Archive.open(postgres_database) as archive:
        searchable = [dict(record) for record in records(400)]
        for record in searchable:
            fill_search_forms(record)
        write(archive, searchable)  # type: ignore[arg-type]
        vector_us = search.vector_alone_us(archive, 400)
        queries = search.time_queries(archive)

    assert vector_us > 0
    writing = {"without_index": 100.0, "with_index": 150.0, "index_adds": 0.5,
               "search_forms": 50.0, "forms_add": 0.5, "vector_alone": vector_us,
               "vector_adds": vector_us / 100}  # fmt: skip
    figures = {"write_us_per_article": writing, "queries": queries}
    results = {"size": 400, "runs": 1, "limit": 20, "ranked": 5000, "load_before": 1.0,
               "load_after": 1.0, "sqlite": None, "postgresql": figures}  # fmt: skip
    section = render_search(results)
    words = " ".join(section.split())
    assert f"{vector_us:,.0f} µs an article, {vector_us / 100:+.0%} of a write" in words

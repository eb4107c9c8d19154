"""The search benchmark runs end to end on small SQLite archives and renders its section."""

from __future__ import annotations

from pathlib import Path

from benchmarks import search
from benchmarks.report import render_search


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

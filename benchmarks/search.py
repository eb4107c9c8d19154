"""Full-text search: how fast two-word queries answer over an archive of 100,000 articles, and
what the search index adds to the cost of writing an article.

Run ``python -m benchmarks.search``. Two archives of each backend are filled side by side with
the sink benchmark's records (``benchmarks.sink.records``), batch by batch in turn: one as
newscrawler makes it, with the search forms and their index, the other with the index dropped
and records without search forms. Then queries of two words are timed on the first
(``Archive.search``, 20 results with their snippets, the median of repeated runs).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from sqlalchemy import text

from benchmarks.sink import BATCH, postgres_url, records, write
from newscrawler.hashing import fill_search_forms
from newscrawler.samples.ispr import generate_releases
from newscrawler.text import search_form
from storage.archive import Archive
from storage.search import RANKED_MATCHES, fts5_query

#: Articles written to both archives before the other is written to, in turn.
CHUNK = 5 * BATCH
#: Each query's time is the median of this many runs (after one untimed run).
RUNS = 15
LIMIT = 20

#: How each backend's index is taken away for the archive written without one. On SQLite the
#: writer still enters each new article's id (with no text: the records carry no search forms)
#: into ``articles_fts``, made a plain table.
DROP_INDEX = {
    "sqlite": (
        "DROP TRIGGER articles_fts_update",
        "DROP TRIGGER articles_fts_delete",
        "DROP TABLE articles_fts",
        "CREATE TABLE articles_fts (rowid INTEGER PRIMARY KEY, search_title, search_body)",
    ),
    "postgresql": ("ALTER TABLE articles DROP COLUMN search_vector",),
}


def queries() -> dict[str, str]:
    """Two-word queries over the records' releases (``benchmarks.sink`` uses 64, seed 11), in
    the search form: the subject and place of one release's title, and the two words found in
    most releases of its language (a query that matches most of the archive)."""
    releases = generate_releases(64, seed=11)
    chosen: dict[str, str] = {}
    for language in ("en", "ur"):
        of_language = [r for r in releases if r.language == language]
        words = Counter(
            word for r in of_language for word in dict.fromkeys(_words(f"{r.title} {r.body}"))
        )
        title = _words(of_language[0].title)
        chosen[f"{language}, one release's title words"] = f"{title[0]} {title[-1]}"
        common = [word for word, _ in words.most_common(2)]
        chosen[f"{language}, the two commonest words"] = " ".join(common)
    return chosen


def _words(text: str) -> list[str]:
    """The words of ``text``'s search form, without the punctuation beside them."""
    return re.findall(r"\w+", search_form(text))


def without_index(archive: Archive) -> None:
    with archive.engine.begin() as conn:
        for statement in DROP_INDEX[archive.dialect]:
            conn.exec_driver_sql(statement)


def fill_side_by_side(indexed: Archive, plain: Archive, size: int) -> dict[str, float]:
    """Write ``size`` articles into each archive, a chunk at a time, alternating which goes
    first; the writing time per article of each, in microseconds."""
    spent = {"with_index": 0.0, "without_index": 0.0, "search_forms": 0.0}
    for n, start in enumerate(range(0, size, CHUNK)):
        bare = list(records(min(CHUNK, size - start), start=start))
        searchable = [dict(record) for record in bare]
        began = time.perf_counter()
        for record in searchable:
            fill_search_forms(record)
        spent["search_forms"] += time.perf_counter() - began
        sides = [("with_index", indexed, searchable), ("without_index", plain, bare)]
        for name, archive, batch in sides if n % 2 == 0 else sides[::-1]:
            began = time.perf_counter()
            write(archive, batch)  # type: ignore[arg-type]
            spent[name] += time.perf_counter() - began
    figures = {name: seconds / size * 1e6 for name, seconds in spent.items()}
    figures["index_adds"] = figures["with_index"] / figures["without_index"] - 1
    figures["forms_add"] = figures["search_forms"] / figures["without_index"]
    return figures


def analyze(archive: Archive) -> None:
    """Table statistics, as PostgreSQL's autovacuum keeps them for a live archive: the planner
    needs them to walk the newest rows first for a query of common words."""
    if archive.dialect == "postgresql":
        with archive.engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE articles")


def time_queries(archive: Archive) -> dict[str, dict[str, Any]]:
    timed = {}
    for label, query in queries().items():
        archive.search(query, limit=LIMIT)
        times = []
        for _ in range(RUNS):
            began = time.perf_counter()
            results = archive.search(query, limit=LIMIT)
            times.append((time.perf_counter() - began) * 1000)
        timed[label] = {
            "query": query,
            "matches": count_matches(archive, query),
            "results": len(results),
            "median_ms": round(statistics.median(times), 2),
            "max_ms": round(max(times), 2),
        }
    return timed


#: How many articles hold every word of a query: all of them are ranked before the best are cut.
COUNT_MATCHES = {
    "sqlite": "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH :match",
    "postgresql": "SELECT count(*) FROM articles "
    "WHERE search_vector @@ plainto_tsquery('simple', :match)",
}


def count_matches(archive: Archive, query: str) -> int:
    words = query.split()
    match = fts5_query(words) if archive.dialect == "sqlite" else query
    with archive.engine.connect() as conn:
        count = conn.execute(text(COUNT_MATCHES[archive.dialect]), {"match": match})
        return int(count.scalar_one())


#: The expression of the archive's generated ``search_vector``, as the server keeps it.
VECTOR_EXPRESSION = """SELECT pg_get_expr(d.adbin, d.adrelid)
    FROM pg_attrdef d JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
    WHERE d.adrelid = 'articles'::regclass AND a.attname = 'search_vector'"""
#: The same scan and sums without the vectors, taken from the time with them.
SCAN_ALONE = "SELECT sum(length(search_title) + length(search_body)) FROM articles"


def vector_alone_us(archive: Archive, size: int) -> float:
    """Microseconds a PostgreSQL server takes to make one article's vector, the best of three:
    what the index costs a write before the vector is stored or indexed. One process: a
    parallel scan would share the work among the server's cores, as a write does not."""
    with archive.engine.connect() as conn:
        conn.exec_driver_sql("SET max_parallel_workers_per_gather = 0")
        expression = conn.exec_driver_sql(VECTOR_EXPRESSION).scalar_one()
        vectors = f"SELECT sum(length({expression})) FROM articles"
        spent = {}
        for query in (vectors, SCAN_ALONE):
            runs = []
            for _ in range(3):
                began = time.perf_counter()
                conn.exec_driver_sql(query).scalar_one()
                runs.append(time.perf_counter() - began)
            spent[query] = min(runs)
    return (spent[vectors] - spent[SCAN_ALONE]) / size * 1e6


def measure(url_with: str, url_without: str, *, size: int) -> dict[str, Any]:
    with Archive.open(url_with) as indexed, Archive.open(url_without) as plain:
        without_index(plain)
        writing = fill_side_by_side(indexed, plain, size)
        analyze(indexed)
        if indexed.dialect == "postgresql":
            writing["vector_alone"] = vector_alone_us(indexed, size)
            writing["vector_adds"] = writing["vector_alone"] / writing["without_index"]
        figures = {"write_us_per_article": writing, "queries": time_queries(indexed)}
        if indexed.dialect == "sqlite":
            figures["file_mb"] = {
                "with_index": _size_mb(url_with),
                "without": _size_mb(url_without),
            }
        return figures


def _size_mb(url: str) -> float:
    """An SQLite archive's size on disk, its write-ahead log included."""
    path = url.removeprefix("sqlite:///")
    files = [path, f"{path}-wal"]
    return round(sum(os.path.getsize(f) for f in files if os.path.exists(f)) / 1e6, 1)


def run(*, size: int = 100_000) -> dict[str, Any]:
    results: dict[str, Any] = {"size": size, "runs": RUNS, "limit": LIMIT, "ranked": RANKED_MATCHES}
    results["load_before"] = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as workdir:
        results["sqlite"] = measure(
            f"sqlite:///{Path(workdir) / 'indexed.sqlite3'}",
            f"sqlite:///{Path(workdir) / 'plain.sqlite3'}",
            size=size,
        )
    indexed, plain = postgres_url("newscrawler_search"), postgres_url("newscrawler_plain")
    results["postgresql"] = measure(indexed, plain, size=size) if indexed and plain else None
    results["load_after"] = os.getloadavg()[0]
    return results


def main() -> None:
    from benchmarks.__main__ import DOC, REPO
    from benchmarks.report import render_search, write_section

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--no-doc", action="store_true", help="do not rewrite the doc")
    args = parser.parse_args()
    results = run(size=args.size)
    print(json.dumps(results, indent=2, ensure_ascii=False))
    if not args.no_doc:
        write_section(render_search(results), DOC)
        print(f"figures written to {DOC.relative_to(REPO)}")


if __name__ == "__main__":
    main()

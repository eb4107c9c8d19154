"""The archive sink alone: batched articles/s into SQLite and PostgreSQL, and how the cost of a
write grows with the size of the archive.

Run ``python -m benchmarks.sink``. Records are realistic: 2-4 kB Urdu or English bodies, JSON
extras, UTC timestamps; batches of ``ARCHIVE_BATCH_SIZE`` (200) as the sink writes them.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

from newscrawler.dedup.releases import release_key
from newscrawler.hashing import content_hash
from newscrawler.samples.ispr import generate_releases
from storage.archive import Archive
from storage.records import ArticleRecord

BATCH = 200
POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def records(count: int, *, start: int = 0, seed: int = 11) -> Iterator[ArticleRecord]:
    """``count`` distinct article records, numbered from ``start``, with their release keys as
    the sink makes them."""
    releases = generate_releases(64, seed=seed)
    fetched = datetime(2026, 1, 1, tzinfo=UTC)
    for n in range(start, start + count):
        release = releases[n % len(releases)]
        body = f"{release.body}\n\n{n}: {release.body}"
        extras = {"release_id": release.id, "pr_number": release.pr_number}
        published_at = fetched - timedelta(minutes=n)
        yield {
            "url": f"https://news.example/{n // 1000}/{n}-{release.id}/",
            "site": "news.example",
            "language": release.language,
            "title": f"{release.title} {n}",
            "body": body,
            "published_at": published_at,
            "fetched_at": fetched,
            "content_hash": content_hash(release.title, body),
            "extras": extras,
            "release_key": release_key(extras, published_at),
        }


def write_rate(archive: Archive, count: int, *, start: int, warm_up: int = BATCH) -> float:
    """Articles/s for ``count`` new articles written in batches, in a steady state: the records
    are made beforehand and the first ``warm_up`` articles written before the clock starts."""
    pending = list(records(warm_up + count, start=start))
    write(archive, pending[:warm_up])
    began = time.perf_counter()
    write(archive, pending[warm_up:])
    return count / (time.perf_counter() - began)


#: Each figure is the median of this many measurements, ``sample / REPEATS`` articles each: on
#: a shared machine one slow stretch would otherwise decide it.
REPEATS = 3


def median_rate(archive: Archive, sample: int, *, start: int) -> float:
    count = sample // REPEATS
    return statistics.median(
        write_rate(archive, count, start=start + k * (count + BATCH)) for k in range(REPEATS)
    )


def write(archive: Archive, pending: list[ArticleRecord]) -> None:
    for i in range(0, len(pending), BATCH):
        archive.write_batch(pending[i : i + BATCH])


def fill(archive: Archive, upto: int) -> None:
    have = archive.count_articles()
    if have < upto:
        write(archive, list(records(upto - have, start=have)))


def measure(url: str, *, sizes: tuple[int, ...], sample: int) -> dict[str, float]:
    """Write rate into an empty archive, then at each archive size in ``sizes``."""
    figures: dict[str, float] = {}
    with Archive.open(url) as archive:
        figures["empty"] = median_rate(archive, sample, start=10_000_000)
        for size in sizes:
            fill(archive, size)
            figures[f"at_{size}"] = median_rate(archive, sample, start=20_000_000 + size)
        # A re-crawl: the same articles again, unchanged.
        unchanged = list(records(sample // REPEATS, start=10_000_000))
        began = time.perf_counter()
        write(archive, unchanged)
        figures["unchanged"] = len(unchanged) / (time.perf_counter() - began)
    return figures


def postgres_url(database: str = "newscrawler_bench") -> str | None:
    """A new, empty ``database`` on the local server, or None when there is no server."""
    try:
        engine = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)"))
            conn.execute(text(f"CREATE DATABASE {database}"))
        engine.dispose()
    except Exception:
        return None
    return POSTGRES_URL.rsplit("/", 1)[0] + f"/{database}"


def run(*, sizes: tuple[int, ...] = (10_000, 100_000), sample: int = 5_000) -> dict[str, Any]:
    results: dict[str, Any] = {"batch_size": BATCH, "sample": sample}
    with tempfile.TemporaryDirectory() as workdir:
        results["sqlite"] = measure(
            f"sqlite:///{Path(workdir) / 'bench.sqlite3'}", sizes=sizes, sample=sample
        )
    pg = postgres_url()
    results["postgresql"] = measure(pg, sizes=sizes, sample=sample) if pg else None
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--sample", type=int, default=5000)
    args = parser.parse_args()
    sizes = tuple(int(s) for s in args.sizes.split(","))
    results = run(sizes=sizes, sample=args.sample)
    for backend in ("sqlite", "postgresql"):
        figures = results[backend]
        if figures is None:
            print(f"{backend}: server not reachable, skipped")
            continue
        line = ", ".join(f"{name} {rate:,.0f}/s" for name, rate in figures.items())
        print(f"{backend}: {line}")


if __name__ == "__main__":
    main()

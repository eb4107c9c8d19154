"""docs/benchmarks.md from the figures of one ``python -m benchmarks`` run."""

from __future__ import annotations

import os
import re
import textwrap
from collections.abc import Callable
from importlib import import_module
from pathlib import Path
from typing import Any


def write_report(results: dict[str, Any], path: Path) -> None:
    """The doc's header and every benchmark's section anew; sections of the doc that no
    benchmark writes (a before-and-after comparison, say) stay where they are."""
    kept = re.split(r"\n+## ", path.read_text("utf-8"), maxsplit=1)[1:] if path.exists() else []
    path.write_text("\n\n## ".join([_header(results), *kept]) + "\n", encoding="utf-8")
    for name, render in RENDERERS.items():
        if results.get(name):
            write_section(render(results[name]), path)


def _header(results: dict[str, Any]) -> str:
    m = results["machine"]
    quick = " (quick run: small sizes, not the reference figures)" if results["quick"] else ""
    return f"""# Benchmarks

Figures from `python -m benchmarks`{quick}, run on {m["date"]} at commit `{m["commit"]}`:
{m["cpu"]}, {m["cores"]} cores, {m["memory_gb"]} GB, Python {m["python"]}, {m["platform"]}.
Every crawl is a child process against a generated site served by another process on 127.0.0.1;
both share the machine's cores, so absolute rates are lower than on a dedicated crawler and the
ratios are what carries over."""


#: The crawl table's columns, the first left-aligned and the figures right-aligned.
CRAWL_COLUMNS = (
    "crawl",
    "pages",
    "requests",
    "seconds",
    "pages/s",
    "vs bare",
    "vs parsing",
    "CPU ms/page",
    "articles archived",
    "CPU ms/article",
    "cores busy",
    "peak RSS MB",
)
#: The crawl table's rows: their key in the figures and their label.
CRAWL_ROWS = {
    "bare": "bare Scrapy (baseline)",
    "parsing": "Scrapy parsing each page (title, text, links)",
    "trafilatura": "Scrapy + `trafilatura.bare_extraction` + SQLite, batched",
    "newsplease": "Scrapy + news-please (`NewsPlease.from_html`) + SQLite, batched",
    "profile_mode": "newscrawler, profile mode",
    "auto_mode": "newscrawler, auto mode",
    "recrawl": "newscrawler, re-crawl of the unchanged site",
}


def _table_head(columns: tuple[str, ...]) -> str:
    return f"| {' | '.join(columns)} |\n| --- |" + " ---: |" * (len(columns) - 1)


def _crawl(r: dict[str, Any]) -> str:
    bare_rate, parsing_rate = r["bare"]["pages_per_second"], r["parsing"]["pages_per_second"]
    table = "\n".join(
        f"| {label} | {f['pages']:,} | {f['requests']:,} | {f['seconds']} | "
        f"{f['pages_per_second']} | {f['pages_per_second'] / bare_rate:.2f}× | "
        f"{f['pages_per_second'] / parsing_rate:.2f}× | {f['cpu_ms_per_page']} | "
        f"{_per_article(key, f)} | "
        f"{f['cores_busy']} | {f['peak_rss_mb']} |"
        for key, label in CRAWL_ROWS.items()
        if (f := r.get(key))
    )
    return f"""## Crawling

{_run_line(r)}A WordPress-shaped site of {r["articles"]:,} articles (English and Urdu posts,
listing pages, category and tag archives, a feed and a sitemap index); newscrawler's profile
mode crawls it with the `poslanews` profile, auto mode from its URL alone. The baselines and the
peers fetch every page the site's sitemaps list: bare Scrapy parses nothing; the parsing
baseline does the least an article crawler does with each page (parses it with lxml, reads its
title and paragraphs, extracts its links with Scrapy's `LinkExtractor`, yields an item to no
pipeline). The peers are what a user would run instead of newscrawler for the same job
(`benchmarks/peers.py`): a typical home-made crawler, Scrapy with
`trafilatura.bare_extraction(html, url=url, with_metadata=True)` and an item pipeline inserting
into SQLite {r["peer_batch"]} rows a transaction; and the same with news-please's extraction
(`NewsPlease.from_html`, no image downloads) in place of trafilatura. Each archives a page when
its extraction gave a body. Same downloader settings on every side: 16 concurrent requests, 16
concurrent items (the crawler's setting, given to the others too), no delay, no AutoThrottle,
robots.txt obeyed. Pages/s is Scrapy's response count over Scrapy's elapsed time; CPU is the
crawl process's (its start-up included); articles archived are the rows of its archive after the
crawl; cores busy is CPU time over elapsed time: near 1 or above, the crawl is bound by CPU, not
by the site.
{_rounds(r)}

{_table_head(CRAWL_COLUMNS)}
{table}

{_peer_ratios(r)}

The re-crawl made {r["recrawl"]["requests_vs_first"]:.1%} of the first crawl's requests.

{_stages(r)}

{_crawl_bounds(r)}"""


def _per_article(key: str, f: dict[str, Any]) -> str:
    """Articles archived and CPU per article; none for the baselines, which archive nothing, nor
    for the re-crawl, which finds the first crawl's articles in its archive and adds few."""
    if key == "recrawl" or f.get("archived") is None:
        return "— | —"
    return f"{f['archived']:,} | {f['cpu_ms_per_article']}"


def _run_line(r: dict[str, Any]) -> str:
    """The run's date and commit, where the crawl section was written on its own."""
    m = r.get("machine")
    return f"Run on {m['date']} at commit `{m['commit']}`.\n\n" if m else ""


def _rounds(r: dict[str, Any]) -> str:
    rounds = r.get("rounds", 1)
    if rounds < 2:
        return "One round of crawls."
    return (
        f"{rounds} rounds, interleaved (each round crawls once with every side in turn); each\n"
        "row is its side's round with the least CPU per page, the one the machine's other load\n"
        "disturbed least. Peak RSS is each crawl process's own, from its start."
    )


def _peer_ratios(r: dict[str, Any]) -> str:
    """newscrawler's CPU per archived article next to the peers'."""
    lines = []
    if skipped := r.get("newsplease_skipped"):
        lines.append(f"No news-please row: {skipped}.")
    for mode in ("profile_mode", "auto_mode"):
        f = r.get(mode)
        if not f or "cpu_vs_trafilatura" not in f:
            continue
        against = f"{f['cpu_vs_trafilatura']:.2f}× the trafilatura peer's"
        if "cpu_vs_newsplease" in f:
            against += f", {f['cpu_vs_newsplease']:.2f}× the news-please peer's"
        lines.append(f"* {CRAWL_ROWS[mode]}: CPU per archived article {against}.")
    return "\n".join(lines)


def _stages(r: dict[str, Any]) -> str:
    """Where the time goes, from py-spy's samples of every thread, else cProfile's reactor."""
    if sampled := r.get("sampled_stage_ms_per_article"):
        modes = list(sampled)
        names = dict.fromkeys(stage for mode in modes for stage in sampled[mode])
        rows = "\n".join(
            f"| {stage} | " + " | ".join(f"{sampled[m].get(stage, 0.0):.3f}" for m in modes) + " |"
            for stage in names
        )
        totals = " | ".join(f"**{sum(sampled[m].values()):.3f}**" for m in modes)
        head = _table_head(("stage", *(CRAWL_ROWS[m] for m in modes)))
        return f"""Where the time goes, in ms per archived article, from py-spy sampling every
thread of one more crawl of each mode {r["sample_rate"]} times a second while the thread holds
the GIL (so it is CPU time of Python code and of the C code it calls without releasing the GIL;
SQLite's and numpy's work with the GIL released is not in it). A sample counts to the innermost
stage function on its stack: extraction is `extract_page`, link following the spider's
`follow`, the pipelines their `process_item`, on the reactor thread; the rest of that thread,
under Scrapy's reactor, is Scrapy's, Twisted's and asyncio's; the capture, archive-writer and
checkpointer threads are their own stages (on SQLite the dedup runs on the reactor thread).

{head}
{rows}
| total | {totals} |"""
    profiled = r["stage_ms_per_article"].items()
    stages = "\n".join(f"| {stage} | {ms:.3f} |" for stage, ms in profiled)
    return f"""Where the time goes, per archived article (from a cProfile of a full profile-mode
crawl: the reactor thread's wall-clock time, waits for the GIL included; the writer thread,
which cProfile does not see, by the CPU time it reports; the profiler inflates code
that makes many small calls, so these add up to more than the table above):

| stage | ms per article |
| --- | ---: |
{stages}

Bare Scrapy under the same profiler: {r["bare_scrapy_ms_per_page"]:.3f} ms per page on its
reactor thread."""


def _crawl_bounds(r: dict[str, Any]) -> str:
    """What bounds the crawl rates, with the arithmetic of this run's figures."""
    parsing, full = r["parsing"], r["profile_mode"]
    bare_ms, full_ms = r["bare"]["cpu_ms_per_page"], full["cpu_ms_per_page"]
    parsing_ms = parsing["cpu_ms_per_page"]
    goal_ms = 1000 / (0.7 * parsing["pages_per_second"])
    return f"""What bounds it: against a local server every crawl is bound by CPU (cores busy
above). Scrapy runs its reactor, spider callbacks and item pipelines on one thread, and the
threads of one Python process take turns with the GIL, so a crawl process uses about one core
whatever its threads. Bare Scrapy spends {bare_ms} ms of CPU per page, the parsing baseline
{parsing_ms} ms; the full crawl {full_ms} ms, most of it the crawler's own work on every page
(parsing and extracting, resolving links, cleaning text, dedup fingerprints, writing) and the
Scrapy work its items and requests bring (every callback's output goes through an asynchronous
spider-middleware chain, every item through six pipelines). 0.7× the parsing baseline's pages/s
would leave {goal_ms:.2f} ms of the crawl process's time a page. Scrapy 2.19 starts
`CONCURRENT_ITEMS` tasks for every response: its default of 100 cost bare Scrapy a quarter of
its time, so every side runs with the crawler's 16."""


def _sink(r: dict[str, Any]) -> str:
    lines = []
    for backend in ("sqlite", "postgresql"):
        figures = r.get(backend)
        if figures is None:
            lines.append(f"| {backend} | server not reachable | | |")
            continue
        at = [f"{rate:,.0f}" for name, rate in figures.items() if name.startswith("at_")]
        sizes = [name.removeprefix("at_") for name in figures if name.startswith("at_")]
        lines.append(
            f"| {backend} | {figures['empty']:,.0f} | "
            + " / ".join(at)
            + f" | {figures['unchanged']:,.0f} |"
        )
    size_list = " / ".join(f"{int(s):,}" for s in sizes)
    return f"""## The archive sink

`python -m benchmarks.sink`: articles/s written by `Archive.write_batch` in batches of
{r["batch_size"]}, each figure the median of three measurements of {r["sample"] // 3:,} articles
(records made beforehand, each measurement after one untimed batch): into an empty archive, into
archives already holding {size_list} articles, and articles written again unchanged (a re-crawl).

| backend | empty | at {size_list} | unchanged |
| --- | ---: | ---: | ---: |
{chr(10).join(lines)}

{_growth(r, sizes)}

What bounds it: one transaction per batch; per article, the upsert and its index updates (URL,
site, dates, content hash, cluster), the alias and cluster look-ups, the row of a one-article
story and, on SQLite, the WAL append. The content-hash and release-key indexes take keys in
random order: once they outgrow a batch, each new article changes its own leaf page of each
(a batch of 200 changes about 540 pages at 100,000 articles, 360 at 10,000). Copying those
scattered pages back into the database file, with its fsyncs, is left to a background thread
(`storage.engine`), so the writer's cost grows only with the WAL pages it appends. On a shared
two-core machine the figures vary by about a fifth from run to run."""


def _growth(r: dict[str, Any], sizes: list[str]) -> str:
    """The cost of an article at the largest size next to the smallest, per backend."""
    small, large = f"at_{sizes[0]}", f"at_{sizes[-1]}"
    ratios = [
        f"{backend} {r[backend][small] / r[backend][large]:.2f}×"
        for backend in ("sqlite", "postgresql")
        if r.get(backend)
    ]
    return (
        f"Cost of writing an article into an archive of {int(sizes[-1]):,} next to one of "
        f"{int(sizes[0]):,}: {', '.join(ratios)}."
    )


def render_search(r: dict[str, Any]) -> str:
    writing, searching = [], []
    for backend in ("sqlite", "postgresql"):
        figures = r.get(backend)
        if figures is None:
            writing.append(f"| {backend} | server not reachable | | | |")
            continue
        w = figures["write_us_per_article"]
        writing.append(
            f"| {backend} | {w['without_index']:,.0f} | {w['with_index']:,.0f} | "
            f"{w['index_adds']:+.0%} | {w['search_forms']:,.0f} ({w['forms_add']:+.0%}) |"
        )
        searching.extend(
            f"| {backend} | {label} | `{q['query']}` | {q['matches']:,} | {q['median_ms']} | "
            f"{q['max_ms']} |"
            for label, q in figures["queries"].items()
        )
    vector = (r.get("postgresql") or {}).get("write_us_per_article", {})
    vector_alone = (
        "\n\n"
        + textwrap.fill(
            "On PostgreSQL the server's work of making the vectors alone (`to_tsvector` over "
            "the search forms, as the generated column does, timed over the filled archive less a "
            f"scan of the same texts): {vector['vector_alone']:,.0f} µs an article, "
            f"{vector['vector_adds']:+.0%} of a write without the index, before the vector is "
            "stored or indexed.",
            width=100,
        )
        if "vector_alone" in vector
        else ""
    )
    sizes = (r.get("sqlite") or {}).get("file_mb")
    on_disk = (
        f" On disk the SQLite archive takes {sizes['with_index']:,} MB with the index and the "
        f"forms, {sizes['without']:,} MB without."
        if sizes
        else ""
    )
    return f"""## Full-text search

`python -m benchmarks.search`: two archives of each backend filled side by side to
{r["size"]:,} articles with the sink benchmark's records (five batches of 200 to one archive,
then five to the other, which goes first in turn): one as newscrawler writes it (the search
forms of title and body, indexed by FTS5 or a `tsvector` with its GIN index), the other without
the index and without the forms. Microseconds of `write_batch` per article, over the whole fill,
on a machine shared with other work (load average {r["load_before"]:.1f} at the start,
{r["load_after"]:.1f} at the end, on {_cores()} cores): the ratios carry over, the absolute
figures do not.{on_disk}

| backend | without the index | with it | the index adds | making the search forms |
| --- | ---: | ---: | ---: | ---: |
{chr(10).join(writing)}

The last column is the time `newscrawler.text.search_form` takes over each record's title and
body, and what that would add next to the writes without the index: in a crawl the dedup makes
the forms once, for the content hash, and hands them on to the sink, which makes them only for
an article that comes without them (dedup off).{vector_alone}

Queries of two words in the search form, `Archive.search` with the best {r["limit"]} and their
snippets, the median and the slowest of {r["runs"]} runs after one untimed run, on the
{r["size"]:,}-article archive (on PostgreSQL after `ANALYZE`, as autovacuum keeps a live
archive). The newest {r["ranked"]:,} matches are ranked (bm25, `ts_rank`) and the best
of them kept (`storage.search.RANKED_MATCHES`), so a query that matches most of the archive costs
about as much as one that matches {r["ranked"]:,} articles:

| backend | query | words | matches | median ms | max ms |
| --- | --- | --- | ---: | ---: | ---: |
{chr(10).join(searching)}

{_search_goals(r)}

What bounds it: writing, the index's own entries. FTS5 adds each word of an article to the
segment its transaction writes and merges segments as they pile up. A statement that may write
the FTS5 table costs every row it writes: the article upsert, whose `ON CONFLICT DO UPDATE`
carries the trigger that follows changed search forms, made the index add about half to a write
(49% over 30,000 articles); new articles now go in by a plain `INSERT` and only known ones by the
upsert (21%). An FTS5 insert trigger cost three times what the writer's own insert costs, and
`detail=column` saved a seventh of the index's cost but made ranking two to three times slower:
neither is used; FTS5's `automerge` and `pgsz` settings changed nothing measurable. On
PostgreSQL the cost is the `tsvector` itself, above all computing it: in the server's own
timing of an `INSERT ... SELECT` of 1,000 articles into a 20,000-article archive, a row took
17 µs with the search forms and no vector, 83 µs with the generated vector and 44 µs with the
same vector given as a `tsvector` literal (parsed, stored and indexed; the GIN index itself
about 4 µs with its pending list). Storing the vector (about 0.8 KB an article) without
compression (`toast_tuple_target`) or with `lz4`, a larger `gin_pending_list_limit` and
`fastupdate=off` changed nothing measurable. A literal made by the writer instead would be
within reach of the goal on the server, but it moves the making of the vector into the crawl
(about 60 µs an article in Python) and makes every program that writes articles responsible
for it, where the generated column keeps it in step by itself. Searching: bm25 and `ts_rank` read
each ranked article's entry; on PostgreSQL a query of words most articles hold walks the
primary key from the newest article (after `ANALYZE`), one of rarer words reads the GIN index
and the matching rows; the snippets are made for the results alone."""


def _search_goals(r: dict[str, Any]) -> str:
    """The goals next to the figures: a query of two words of one story under 50 ms, the index
    adding at most a quarter to the write."""
    said = []
    for backend in ("sqlite", "postgresql"):
        figures = r.get(backend)
        if figures is None:
            continue
        typical = figures["queries"]["en, one release's title words"]["median_ms"]
        adds = figures["write_us_per_article"]["index_adds"]
        said.append(
            f"{backend}: the query of one release's title words {typical} ms "
            f"({'under' if typical < 50 else 'over'} the 50 ms goal), the index adds "
            f"{adds:.0%} to a write ({'within' if adds <= 0.25 else 'over'} the goal of 25%)"
        )
    return "Against the goals: " + "; ".join(said) + "."


def _cores() -> int:
    return os.cpu_count() or 1


def _cleaning(r: dict[str, Any]) -> str:
    rows = "\n".join(
        f"| `{name.removesuffix('_mb_s')}` | {value:.1f} |"
        for name, value in r.items()
        if name.endswith("_mb_s")
    )
    return f"""## Text cleaning

Throughput on one core over a generated Urdu corpus of {r["corpus_mb"]:.1f} MB with the noise
scraped pages carry (Arabic letters, presentation forms, invisible controls, NBSP, tatweel):

| function | MB/s |
| --- | ---: |
{rows}

What bounds it: `clean_display` is a few `str.translate` passes, two NFC normalisations and
regular expressions, each linear in the text."""


def _dedup(r: dict[str, Any]) -> str:
    render: Callable[[dict[str, Any]], str] | None = getattr(
        import_module("benchmarks.dedup"), "report", None
    )
    if render is not None:
        return render(r)
    rows = "\n".join(f"| {key} | {value} |" for key, value in r.items())
    return f"## Deduplication\n\n| figure | value |\n| --- | ---: |\n{rows}"


def _captures(r: dict[str, Any]) -> str:
    render: Callable[[dict[str, Any]], str] = import_module("benchmarks.captures").report
    return render(r)


def _extraction(r: dict[str, Any]) -> str:
    m, stored = r["machine"], r["stored"]
    rows = "\n".join(
        f"| `{page['page']}` | expected {page['expected']} | {page['ours']} | |"
        if "expected" in page
        else f"| `{page['page']}` | article | {page['ours_f1']:.3f} | "
        f"{page['trafilatura_f1']:.3f} |"
        for page in stored["pages"]
    )
    corpus = _extraction_corpus(r["corpus"]) if r.get("corpus") else NO_CORPUS
    return f"""## Extraction

Auto mode reading a page as a crawl does (the response decoded by the decoding middleware's
rules, `extract_page` with no profile, then the text cleaning pipeline with the default
settings: the archived body) next to `trafilatura.extract(html, url=url)` alone (trafilatura
{r["trafilatura"]}, its defaults, given the page's bytes), on the same pages.
Run on {m["date"]} at commit `{m["commit"]}`: {m["cpu"]}, {m["cores"]} cores, Python {m["python"]}.

{corpus}

The project's stored auto-mode pages (`tests/extract/pages/generic`), their expected JSON the
ground truth: word 4-gram shingle F1 of each side's body against the expected body (as sets of
shingles, whitespace-split words); pages that hold no article say what we answered. Our
titles exact: {stored["titles_exact"]} of {stored["articles"]}. Mean body F1: \
{stored["ours_body_f1"]:.3f} ours, {stored["trafilatura_body_f1"]:.3f} trafilatura.

| page | expected | ours | trafilatura |
| --- | --- | ---: | ---: |
{rows}"""


NO_CORPUS = """No evaluation corpus in this run: `python -m benchmarks.extraction --corpus PATH`
adds its figures (see Reproducing)."""


def _extraction_corpus(c: dict[str, Any]) -> str:
    columns = ("extraction", "precision", "recall", "F1", "accuracy", "pages/s", "CPU ms/page")
    table = "\n".join(
        f"| {label} | {f['precision']:.3f} | {f['recall']:.3f} | {f['f1']:.3f} | "
        f"{f['accuracy']:.3f} | {f['pages_per_second']} | {f['cpu_ms_per_page']} |"
        for label, f in (
            ("ours (auto mode, cleaned)", c["ours"]),
            ("`trafilatura.extract` alone", c["trafilatura"]),
        )
    )
    rejected = ", ".join(f"{reason} {count}" for reason, count in c["rejected"].items())
    return f"""Corpus `{c["name"]}` (revision {c["revision"]}): {c["pages"]:,} pages scored,
{c["missing_files"]} entries whose page file is missing skipped. Each page lists snippets its
text must hold (`with`) and must not (`without`); both sides' texts and the snippets are
compared with every run of whitespace (line breaks and no-break spaces too) made one space. A
`with` snippet found is a true positive, missed a false negative; a `without` snippet found a
false positive, absent a true negative; a page with no text misses every `with` snippet.
Precision, recall, F1 and accuracy are over the snippets of all pages. Pages/s is over each
side's own wall-clock time; CPU ms/page is the process CPU time of each side's call (ours:
decoding, `extract_page` and cleaning; a page refused early costs us less), the two sides
alternating from page to page which runs first.

{_table_head(columns)}
{table}

* CPU per page, ours over trafilatura's: {c["cpu_ratio"]}× (the goal: at most 1.25×).
* Refused as not articles: {sum(c["rejected"].values())} ({rejected or "none"}).
* Emptied (an article-like page where extraction found no body, or cleaning left none): \
{c["emptied"]}.
* Lost to trafilatura (our page F1 below its by more than {c["loss_margin"]}): \
{c["lost_to_trafilatura"]}.
* Pages trafilatura extracts well (page F1 at least {c["well_extracted"]}) that we refuse or \
empty: {c["well_extracted_lost"]} (the goal: 0)."""


def write_sections(results: dict[str, Any], names: list[str], path: Path) -> None:
    """Rewrites the sections of the benchmarks ``names`` only, each stating its run's date and
    commit (the header's are those of the last full run)."""
    for name in names:
        render = RENDERERS[name]
        write_section(render({"machine": results["machine"], **results[name]}), path)


def write_section(section: str, path: Path) -> None:
    """Puts ``section`` (starting with its ``## `` heading) into the doc at ``path`` in place of
    the section of that heading, else before Reproducing, and refreshes Reproducing."""
    title = section.split("\n", 1)[0].removeprefix("## ")
    parts = [
        part
        for part in re.split(r"\n+## ", path.read_text("utf-8").rstrip("\n"))
        if not part.startswith("Reproducing")
    ]
    new = section.removeprefix("## ")
    at = next((i for i, part in enumerate(parts) if part.startswith(title)), None)
    if at is None:
        parts.append(new)
    else:
        parts[at] = new
    body = "\n\n## ".join(parts)
    path.write_text(f"{body}\n\n{REPRODUCE}\n", encoding="utf-8")


def _recrawl(r: dict[str, Any]) -> str:
    columns = (
        "mode",
        "site articles",
        "archived",
        "first crawl requests",
        "seconds",
        "unchanged re-crawl requests",
        "seconds",
        "share",
    )
    table = "\n".join(
        f"| {row['mode']} | {row['site_articles']:,} | {row['archived']:,} | "
        f"{row['first_requests']:,} | {row['first_seconds']} | {row['recrawl_requests']:,} | "
        f"{row['recrawl_seconds']} | {row['share']:.1%} |"
        for row in r["rows"]
    )
    return f"""## Re-crawls

{_run_line(r)}What a re-crawl of a site that has not changed since its first crawl costs
(`python -m benchmarks.recrawl`): the WordPress-shaped site of the crawl benchmark at each size,
crawled twice into a fresh archive in profile mode (the `poslanews` profile) and in auto mode
(its URL alone), with the crawl benchmark's downloader settings. Requests are Scrapy's
`downloader/request_count` of each run, robots.txt included. The goals: an unchanged auto-mode
re-crawl makes at most 10% of the first crawl's requests on a site of 60 articles, at most 2% on
one of 5,000.

{_table_head(columns)}
{table}"""


RENDERERS: dict[str, Callable[[dict[str, Any]], str]] = {
    "crawl": _crawl,
    "sink": _sink,
    "captures": _captures,
    "dedup": _dedup,
    "cleaning": _cleaning,
    "extraction": _extraction,
    "search": render_search,
    "recrawl": _recrawl,
}

REPRODUCE = """## Reproducing

```sh
pip install -e ".[test,benchmarks]"
python -m benchmarks            # everything, rewrites this file (several minutes)
python -m benchmarks --quick    # small sizes, a smoke test
python -m benchmarks --only crawl   # rewrites the Crawling section only
python -m benchmarks --only crawl --no-doc
python -m benchmarks --only recrawl  # first crawls and unchanged re-crawls, both modes
python -m benchmarks.extraction --corpus PATH --report pages.jsonl
python -m benchmarks.captures --corpus PATH
```

The `benchmarks` extra brings the news-please peer and py-spy; without news-please the crawl
table has no news-please row (it says why), without py-spy the stage table comes from cProfile
of the reactor thread. Raw figures of the last run are in `benchmarks/results/latest.json`, with
py-spy's samples of the two profiled crawls as collapsed stacks beside it (not committed).

`python -m benchmarks` scores extraction on the stored pages only. The evaluation corpus is
trafilatura's own: clone its Git repository and pass its checkout (or its `tests` folder) as
`PATH`; the benchmark reads `tests/evaldata.json` and the pages in `tests/eval/`, skips entries
whose page file is missing, and rewrites only the Extraction section of this file.
`--report FILE` writes one JSON line per corpus page (both sides' outcome, snippet counts, F1 and
the snippets each missed or wrongly kept), `--limit N` scores the first N entries only.
`python -m benchmarks.captures --corpus PATH` measures the captures on the same corpus's pages
besides the stored ones, and rewrites only the Captures section."""

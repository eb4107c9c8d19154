"""The crawl benchmark runs end to end on a small site and renders its section."""

from __future__ import annotations

from pathlib import Path

from benchmarks import crawl
from benchmarks.peers import news_please_missing
from benchmarks.report import _crawl, write_sections


def test_a_small_crawl_benchmark_and_its_report(tmp_path: Path) -> None:
    results = crawl.run(articles=30, rounds=1)
    bare, parsing, profile = results["bare"], results["parsing"], results["profile_mode"]
    assert bare["pages"] == parsing["pages"] == profile["pages"] > 30
    assert bare["items"] == 0 and parsing["items"] >= 30  # every page its sitemaps list
    assert profile["items"] == results["auto_mode"]["items"] == 30
    assert profile["archived"] == results["auto_mode"]["archived"] == 30
    assert results["recrawl"]["requests_vs_first"] < 0.5
    trafilatura = results["trafilatura"]
    assert trafilatura["pages"] == bare["pages"]
    assert trafilatura["archived"] >= 30  # the non-article pages its sitemaps list too
    assert trafilatura["cpu_vs_trafilatura"] == 1.0
    assert profile["cpu_vs_trafilatura"] > 0
    assert profile["cpu_ms_per_article"] > 0
    stages = results.get("sampled_stage_ms_per_article", {}).get("profile_mode")
    stages = stages or results["stage_ms_per_article"]
    assert stages["extraction"] > 0
    assert stages["dedup"] > 0  # on the reactor thread: the archive is SQLite
    section = _crawl(results)
    assert "| Scrapy parsing each page (title, text, links) |" in section
    assert "| newscrawler, auto mode |" in section
    assert "| Scrapy + `trafilatura.bare_extraction` + SQLite, batched |" in section
    assert "CPU per archived article" in section
    if news_please_missing():
        assert "No news-please row: news-please is not importable" in section
    else:
        # news-please finds no body in the Urdu posts.
        assert 0 < results["newsplease"]["archived"] < trafilatura["archived"]
        assert "the news-please peer's" in section
    doc = tmp_path / "benchmarks.md"
    doc.write_text("# Benchmarks\n\n## Crawling\n\nstale figures\n\n## Text cleaning\n\nkept\n")
    write_sections(
        {"machine": {"date": "2026-12-04", "commit": "abc1234"}, "crawl": results}, ["crawl"], doc
    )
    written = doc.read_text()
    assert "stale figures" not in written and "## Text cleaning\n\nkept" in written
    assert "Run on 2026-12-04 at commit `abc1234`." in written


def test_sampled_stacks_count_to_the_innermost_stage_or_their_thread() -> None:
    main = "thread (1): MainThread"
    reactor = "CrawlerProcess.start (scrapy/crawler.py:400)"
    parse = "PoslaSpider.parse (spiders/base.py:100)"
    extract = "extract_page (newscrawler/extract/article.py:120)"
    follow = "PoslaSpider.follow (spiders/base.py:240)"
    assert crawl._sampled_stage([main, reactor, parse, extract]) == "extraction"
    assert crawl._sampled_stage([main, reactor, parse, follow]) == "link following"
    assert crawl._sampled_stage([main, reactor, parse]) == crawl.SCRAPY_STAGE
    assert crawl._sampled_stage([main, "<module> (newscrawler/cli/__main__.py:3)"]) == (
        crawl.START_UP
    )
    dedup = "thread (7): PoolThread-dedup-0"
    assert crawl._sampled_stage([dedup, "Thread.run (threading.py:1)"]) == "dedup (its thread)"
    resolver = "thread (9): PoolThread-twisted.internet.reactor-0"
    assert crawl._sampled_stage([resolver, "Thread.run (threading.py:1)"]) == crawl.OTHER_THREADS

"""The crawl benchmark runs end to end on a small site and renders its section."""

from __future__ import annotations

from benchmarks import crawl
from benchmarks.report import _crawl


def test_a_small_crawl_benchmark_and_its_report() -> None:
    results = crawl.run(articles=30)
    bare, parsing, profile = results["bare"], results["parsing"], results["profile_mode"]
    assert bare["pages"] == parsing["pages"] == profile["pages"] > 30
    assert bare["items"] == 0 and parsing["items"] >= 30  # every page its sitemaps list
    assert profile["items"] == results["auto_mode"]["items"] == 30
    assert results["recrawl"]["requests_vs_first"] < 0.5
    assert results["stage_ms_per_article"]["extraction"] > 0
    assert results["stage_ms_per_article"]["dedup (its thread)"] > 0
    section = _crawl(results)
    assert "| Scrapy parsing each page (title, text, links) |" in section
    assert "| full pipeline, auto mode |" in section
